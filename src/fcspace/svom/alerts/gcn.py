"""GCN JSON trigger notices of SVOM alerts: the writer and the offline JSON-schema validation.

References
----------
GCN, SVOM notices documentation, https://gcn.nasa.gov/missions/svom, and the SVOM trigger
JSON schema ``gcn/notices/svom/trigger.schema.json`` (nasa-gcn/gcn-schema).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fcspace.core.errors import InputError
from fcspace.core.products import atomic_path
from fcspace.svom.alerts.isotime import iso_utc_texts
from fcspace.svom.alerts.model import Alert

__all__ = [
    "GCN_CORE_STANDINS",
    "gcn_schema_registry",
    "to_gcn_json",
    "validate_gcn_json",
    "write_gcn_json",
]

GCN_TRIGGER_SCHEMA = "https://gcn.nasa.gov/schema/main/gcn/notices/svom/trigger.schema.json"

_ALERT_TYPE = {204: "update", 205: "update", 210: "update", 219: "retraction"}
_TRIGGER_TYPE = {"CRT": "rate", "IMT": "image"}


def _gcn_statistics(alert: Alert) -> dict[str, Any]:
    kind = "rate" if alert.instrument == "GRM" else "image"
    out: dict[str, Any] = {}
    if alert.snr is not None:
        out[f"{kind}_snr"] = alert.snr
    if alert.timescale_s is not None:
        out[f"{kind}_duration"] = alert.timescale_s
    if alert.band_kev is not None:
        out[f"{kind}_energy_range"] = list(alert.band_kev)
    if alert.trigger_type in _TRIGGER_TYPE:
        out["trigger_type"] = _TRIGGER_TYPE[alert.trigger_type]
    return out


def _gcn_extras(alert: Alert) -> dict[str, Any]:
    out: dict[str, Any] = {}
    slew = alert.param("Slew_Status")
    if slew is not None and slew.value in ("accepted", "rejected", "not-requested"):
        out["slew_status"] = slew.value.replace("-", "_")
    grds = alert.param("Triggered_GRDs")
    if grds is not None and re.fullmatch("[01]{3}", grds.value):
        out["triggered_GRDs"] = [c == "1" for c in grds.value]
    name = alert.param("Source_Name")
    if name is not None:
        out["event_name"] = [name.value]
    for key, pname in (
        ("latitude", "Sat_Latitude"),
        ("longitude", "Sat_Longitude"),
        ("altitude", "Sat_Altitude"),
    ):
        value = alert._float(pname)
        if value is not None:
            out[key] = value
    return out


def to_gcn_json(alert: Alert, alert_tense: str = "current") -> dict[str, Any]:
    """GCN JSON notice (SVOM ``trigger.schema.json``) of an alert.

    Mapping: ``Burst_Id`` → ``id``; WhereWhen time → ``trigger_time``; Who Date →
    ``alert_datetime``; position/``Error2Radius`` → ``ra``, ``dec``, ``ra_dec_error``
    (90 % containment); ECLAIRs/MXT SNR, timescale and band → ``image_*``, GRM → ``rate_*``;
    ``Trigger_Type`` CRT/IMT → ``rate``/``image``; ``Slew_Status`` → ``slew_status``;
    ``Triggered_GRDs`` "101" → ``[true, false, true]``; satellite geolocation →
    ``latitude``/``longitude``/``altitude``. Packet types 204/205/210 are ``update``,
    219 ``retraction``, the others ``initial``.

    References
    ----------
    GCN SVOM trigger schema, ``gcn/notices/svom/trigger.schema.json`` and its examples
    (nasa-gcn/gcn-schema, @nasa-gcn/schema 7.2.1).
    """
    doc: dict[str, Any] = {"$schema": GCN_TRIGGER_SCHEMA, "instrument": alert.instrument}
    if alert.date is not None:
        doc["alert_datetime"] = iso_utc_texts([alert.date[:19]])[0][:19]  # whole seconds
    doc["alert_tense"] = alert_tense
    doc["alert_type"] = _ALERT_TYPE.get(alert.packet_type, "initial")
    doc["id"] = [alert.burst_id]
    doc["trigger_time"] = alert.time_iso
    if alert.ra is not None and alert.dec is not None:
        doc |= {"ra": alert.ra, "dec": alert.dec}
        if alert.err_radius_deg is not None:
            doc |= {"ra_dec_error": alert.err_radius_deg, "containment_probability": 0.9}
    return doc | _gcn_statistics(alert) | _gcn_extras(alert)


def write_gcn_json(alert: Alert, path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_gcn_json` of ``alert`` atomically (indented UTF-8 JSON)."""
    text = json.dumps(to_gcn_json(alert), indent=2, allow_nan=False) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _props(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


_NUM, _STR, _BOOL = {"type": "number"}, {"type": "string"}, {"type": "boolean"}
_STRS = {"oneOf": [_STR, {"type": "array", "items": _STR}]}
_RANGE = {"type": "array", "items": _NUM, "minItems": 2, "maxItems": 2}

#: Stand-ins for the GCN core schemas that ``svom/trigger.schema.json`` references by
#: ``$ref: ../core/*.schema.json`` but that are not shipped with it: the property names and
#: JSON types of the GCN core notice schemas (nasa-gcn/gcn-schema ``gcn/notices/core``),
#: restated here so validation runs offline. Real core files, when present, take precedence.
GCN_CORE_STANDINS: dict[str, dict[str, Any]] = {
    "AdditionalInfo": _props(additional_info=_STR),
    "Alert": _props(
        alert_datetime=_STR,
        alert_tense={
            "enum": ["current", "archival", "planned", "test", "injection", "commanded", "mock"]
        },
        alert_type={"enum": ["initial", "update", "retraction", "test", "injected"]},
    ),
    "DateTime": _props(
        trigger_time=_STR,
        observation_start=_STR,
        observation_stop=_STR,
        observation_livetime=_NUM,
        trigger_time_error=_NUM,
    ),
    "Event": _props(id=_STRS, event_name=_STRS, data_archive_page=_STR),
    "Localization": _props(
        ra=_NUM,
        dec=_NUM,
        ra_dec_error=_NUM,
        ra_dec_error_68=_NUM,
        containment_probability={"type": "number", "minimum": 0, "maximum": 1},
        systematic_included=_BOOL,
        instrument_phi=_NUM,
        instrument_theta=_NUM,
    ),
    "Reporter": _props(
        mission=_STR,
        instrument=_STR,
        record_number=_NUM,
        messenger={"enum": ["EM", "GW", "Neutrino"]},
    ),
    "Statistics": _props(
        far=_NUM,
        rate_snr=_NUM,
        rate_duration=_NUM,
        rate_energy_range=_RANGE,
        image_snr=_NUM,
        image_duration=_NUM,
        image_energy_range=_RANGE,
        trigger_type=_STR,
        net_count_rate=_NUM,
    ),
    "Pointing": _props(ra=_NUM, dec=_NUM, roll=_NUM, position_angle=_NUM),
    "GeoLocBase": _props(latitude=_NUM, longitude=_NUM, altitude=_NUM, mcilwain_l=_NUM),
}


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read JSON schema: {err}", path) from err


def gcn_schema_registry(schema_dir: str | os.PathLike[str]) -> tuple[Any, str]:
    """Offline ``referencing`` registry for the SVOM trigger schema; no network access.

    Registers ``schema_dir/trigger.schema.json`` under its ``$id``, every
    ``*.schema.json`` found in ``schema_dir/../core`` or ``schema_dir/core`` and, for the
    core schemas still missing, the :data:`GCN_CORE_STANDINS` under the URI that the
    relative ``$ref`` resolves to.

    Returns
    -------
    registry, root_uri
        The registry and the ``$id`` of the trigger schema.
    """
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    base = Path(schema_dir)
    trigger = _load_json(base / "trigger.schema.json")
    root_uri = trigger.get("$id", GCN_TRIGGER_SCHEMA)
    core_uri = root_uri.rsplit("/", 2)[0] + "/core/"
    found = {
        p.name.removesuffix(".schema.json"): _load_json(p)
        for d in (base.parent / "core", base / "core")
        if d.is_dir()
        for p in sorted(d.glob("*.schema.json"))
    }
    core = {**GCN_CORE_STANDINS, **found}
    pairs = [(root_uri, Resource.from_contents(trigger, default_specification=DRAFT202012))]
    for name, contents in core.items():
        resource = DRAFT202012.create_resource(contents)
        pairs.append((f"{core_uri}{name}.schema.json", resource))
    return Registry().with_resources(pairs), root_uri


def validate_gcn_json(doc: Mapping[str, Any], schema_dir: str | os.PathLike[str]) -> None:
    """Validate a GCN JSON notice against the SVOM trigger schema, offline.

    Raises
    ------
    InputError
        The first validation error, with its JSON path.
    """
    import jsonschema

    registry, root_uri = gcn_schema_registry(schema_dir)
    schema = registry.contents(root_uri)
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    error = jsonschema.exceptions.best_match(validator.iter_errors(dict(doc)))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise InputError(f"GCN JSON invalid at {where}: {error.message}", variable=where)
