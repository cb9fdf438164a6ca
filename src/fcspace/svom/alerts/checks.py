"""What a read SVOM notice may hold: the physical range of every numeric field, as data.

Applied by :func:`fcspace.svom.alerts.voevent.read_voevent` (VOEvent 2.0 ``What`` Params and the
WhereWhen position) and :func:`read_gcn_json` (GCN JSON notices read from files). A value that is
not a number where a number is due (``Error2Radius`` "abc"), not finite (RA NaN, SNR inf) or
outside its range (Dec 200) means the notice is not what it claims and is refused with an
:class:`~fcspace.core.errors.InputError` naming the file and the field. A notice has no flagged
cells, so nothing is masked.

Ranges: ICRS RA in [0, 360] deg and Dec in [-90, 90] deg (IVOA STC); angles between directions in
[0, 180] deg; Galactic longitude [0, 360], latitude [-90, 90]; geodetic latitude [-90, 90] and
longitude [-180, 360] (both conventions occur); SNR, timescales, energies and fluxes finite and
>= 0; ``Error2Radius`` -1 (unknown, as GRM notices write it) or [0, 180] deg; packet types those
of :data:`fcspace.svom.alerts.model.PACKET_TYPES` (the GCN SVOM notice documentation); notice
times between the SVOM MET epoch 2017-01-01 and 100 years later (an ISOTime of 1850 is damage).

Sources
-------
- IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11
  (Param ``value`` strings, WhereWhen Position2D, Error2Radius).
- GCN SVOM notices documentation, https://gcn.nasa.gov/missions/svom, and the trigger schema
  ``gcn/notices/svom/trigger.schema.json`` (nasa-gcn/gcn-schema): field names and meanings.
"""

from __future__ import annotations

import json
import math
import operator
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fcspace.core.errors import InputError
from fcspace.svom.alerts.model import PACKET_TYPES

__all__ = [
    "EARLIEST_TIME",
    "GCN_FIELD_RANGES",
    "LATEST_TIME",
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "PARAM_RANGES",
    "POSITION_RANGES",
    "REQUIRED_PARAMS",
    "check_alert_fields",
    "check_gcn_fields",
    "check_params",
    "check_position",
    "check_time_text",
    "read_gcn_json",
]

_INF = math.inf
_ANGLE, _RA, _DEC = (0.0, 180.0), (0.0, 360.0), (-90.0, 90.0)

#: Params every SVOM notice has.
REQUIRED_PARAMS = ("Packet_Type", "Instrument", "Burst_Id")
#: VOEvent ``What`` Param -> inclusive range of its value (a number).
PARAM_RANGES: dict[str, tuple[float, float]] = {
    "Packet_Type": (201, 219),
    "Pkt_Ser_Num": (0, _INF),
    "SNR": (0.0, _INF),
    "Mean_Flux": (0.0, _INF),
    "Flux_Error": (0.0, _INF),
    "ECLAIRs_Angle": _ANGLE,
    "Galactic_Lon": _RA,
    "Galactic_Lat": _DEC,
    "Moon_Angle": _ANGLE,
    "Sun_Angle": _ANGLE,
    "Attitude_Ra": _RA,
    "Attitude_Dec": _DEC,
    "Attitude_Roll": (-360.0, 360.0),
    "Sat_Longitude": (-180.0, 360.0),
    "Sat_Latitude": _DEC,
    "Sat_Altitude": (0.0, 1.0e6),
    "Timescale": (0.0, _INF),
    "Lower_Energy_Bound": (0.0, _INF),
    "Upper_Energy_Bound": (0.0, _INF),
}
# PARAM_RANGES with infinite bounds as the largest floats: one comparison refuses NaN and inf
_FINITE_RANGES = {k: (max(lo, -sys.float_info.max), min(hi, sys.float_info.max))
                  for k, (lo, hi) in PARAM_RANGES.items()}  # fmt: skip
_NAME_VALUE = operator.itemgetter(0, 1)
#: WhereWhen Position2D fields of :class:`~fcspace.svom.alerts.model.Alert` -> range.
POSITION_RANGES: dict[str, tuple[float, float]] = {
    "ra": _RA, "dec": _DEC, "err_radius_deg": _ANGLE,
}  # fmt: skip
#: GCN JSON field -> range (numbers; the ``*_energy_range`` pairs are checked in order).
GCN_FIELD_RANGES: dict[str, tuple[float, float]] = {
    "ra": _RA, "dec": _DEC, "ra_dec_error": _ANGLE, "containment_probability": (0.0, 1.0),
    "rate_snr": (0.0, _INF), "image_snr": (0.0, _INF), "rate_duration": (0.0, _INF),
    "image_duration": (0.0, _INF), "latitude": _DEC, "longitude": (-180.0, 360.0),
    "altitude": (0.0, 1.0e6), "far": (0.0, _INF),
}  # fmt: skip
#: Earliest and latest notice times (UTC, ISO 8601): the SVOM MET epoch, before any SVOM data
#: (simulated lists start there; the satellite flies since 2024-06-22), and 100 years after it,
#: the MET limit of :data:`fcspace.svom.events.MET_LIMIT_S` (planned and simulated alerts may
#: lie in the future).
EARLIEST_TIME = "2017-01-01T00:00:00"
LATEST_TIME = "2117-01-01T00:00:00"
#: Largest GCN JSON notice read (a notice is ~1 kB) and deepest nesting accepted.
MAX_JSON_BYTES = 1_000_000
MAX_JSON_DEPTH = 20
_GCN_INSTRUMENTS = ("ECLAIRs", "GRM", "MXT", "VT")


def _number(value: Any, field: str, path: Any) -> float:
    """``value`` as a finite float; :class:`InputError` naming the field otherwise."""
    if isinstance(value, bool):
        raise InputError(f"{field} = {value!r} is not a number", path, field)
    try:
        x = float(value)
    except (TypeError, ValueError) as err:
        raise InputError(f"{field} = {value!r} is not a number", path, field) from err
    if not math.isfinite(x):
        raise InputError(f"{field} = {value!r} is not finite", path, field)
    return x


def _in_range(value: Any, field: str, rng: tuple[float, float], path: Any) -> float:
    x = _number(value, field, path)
    if not rng[0] <= x <= rng[1]:
        raise InputError(f"{field} = {value!r} outside [{rng[0]}, {rng[1]}]", path, field)
    return x


def check_alert_fields(alert: Any, path: str | os.PathLike[str] | None) -> None:
    """Refuse an :class:`~fcspace.svom.alerts.model.Alert` with an impossible field.

    Its Params as :func:`check_params` checks them, its position within
    :data:`POSITION_RANGES` and its time within the mission (:func:`check_time_text`).
    """
    check_params(tuple(alert.iter_params()), path)
    check_position(alert.ra, alert.dec, alert.err_radius_deg, path)
    check_time_text(alert.time_iso, "ISOTime", path)


def check_params(
    params: Sequence[Sequence[str | None]], path: str | os.PathLike[str] | None
) -> None:
    """Refuse a notice's ``What`` Params that cannot be an SVOM notice's.

    ``params`` are ``(name, value, ...)`` sequences in document order (groups flattened):
    :class:`~fcspace.svom.alerts.model.Param` or the plain tuples the reader keeps. Every Param
    has a name and a value; :data:`REQUIRED_PARAMS` are present; ``Packet_Type`` is an integer
    of :data:`~fcspace.svom.alerts.model.PACKET_TYPES`; every Param of :data:`PARAM_RANGES` is a
    finite number in its range; the energy band (first ``Lower_Energy_Bound`` and
    ``Upper_Energy_Bound``) increases.
    """
    first = dict(map(_NAME_VALUE, reversed(params)))  # the first Param of a name wins
    if None in first or None in first.values():
        raise InputError("a <Param> has no name or no value attribute", path)
    missing = [n for n in REQUIRED_PARAMS if n not in first]
    if missing:
        raise InputError(f"required Param(s) missing: {', '.join(missing)}", path, missing[0])
    try:
        int(first["Packet_Type"])
    except ValueError as err:
        raise InputError("Packet_Type is not an integer", path, "Packet_Type") from err
    ranges = _FINITE_RANGES.get
    for p in params:
        rng = ranges(p[0])
        if rng is not None:
            try:  # the common case inline (the finite bounds refuse NaN and inf too)
                x = float(p[1])
            except ValueError:
                x = math.nan
            if not rng[0] <= x <= rng[1]:
                _in_range(p[1], p[0], PARAM_RANGES[p[0]], path)  # words the error
    packet = float(first["Packet_Type"])
    if packet not in PACKET_TYPES:
        known = ", ".join(map(str, PACKET_TYPES))
        raise InputError(f"Packet_Type {packet:g} is not an SVOM packet ({known})", path,
                         "Packet_Type")  # fmt: skip
    lo, hi = first.get("Lower_Energy_Bound"), first.get("Upper_Energy_Bound")
    if lo is not None and hi is not None and not float(lo) < float(hi):
        raise InputError(f"energy band ({float(lo)}, {float(hi)}) not increasing", path,
                         "Upper_Energy_Bound")  # fmt: skip


def check_position(
    ra: float | None, dec: float | None, err_radius_deg: float | None, path: Any
) -> None:
    """A WhereWhen position within :data:`POSITION_RANGES` (None: absent or unknown)."""
    for (field, rng), value in zip(POSITION_RANGES.items(), (ra, dec, err_radius_deg), strict=True):
        if value is not None:
            _in_range(value, field, rng, path)


def check_time_text(text: str, field: str, path: Any) -> None:
    """An ISO 8601 UTC time (normalised text) in [:data:`EARLIEST_TIME`, :data:`LATEST_TIME`]."""
    t = str(text).strip().removesuffix("Z")
    if not EARLIEST_TIME <= t <= LATEST_TIME:
        raise InputError(f"{field} {text} outside the mission, "
                         f"[{EARLIEST_TIME}, {LATEST_TIME}]", path, field)  # fmt: skip


def check_gcn_fields(doc: Mapping[str, Any], path: str | os.PathLike[str] | None) -> None:
    """Refuse a GCN JSON notice with an impossible field (:data:`GCN_FIELD_RANGES`)."""
    if not isinstance(doc, Mapping):
        raise InputError(f"a GCN notice is a JSON object, not {type(doc).__name__}", path)
    for field, rng in GCN_FIELD_RANGES.items():
        if field in doc:
            _in_range(doc[field], field, rng, path)
    for field in ("rate_energy_range", "image_energy_range"):
        if field in doc:
            _check_pair(doc[field], field, path)
    if "instrument" in doc and doc["instrument"] not in _GCN_INSTRUMENTS:
        raise InputError(f"instrument {doc['instrument']!r} is not an SVOM instrument", path,
                         "instrument")  # fmt: skip
    for field in ("trigger_time", "alert_datetime"):
        if field in doc:
            from fcspace.svom.alerts.isotime import to_utc_time

            try:
                to_utc_time(str(doc[field]), path)
            except InputError as err:
                raise InputError(f"{field} {doc[field]!r} is not an ISO 8601 time", path,
                                 field) from err  # fmt: skip
            check_time_text(doc[field], field, path)


def _check_pair(pair: Any, field: str, path: Any) -> None:
    """An energy range ``[low, high]`` of finite numbers >= 0, increasing."""
    if not isinstance(pair, list) or len(pair) != 2:
        raise InputError(f"{field} must be [low, high]", path, field)
    lo, hi = (_in_range(v, field, (0.0, _INF), path) for v in pair)
    if not lo < hi:
        raise InputError(f"{field} {pair} not increasing", path, field)


def _depth(obj: Any, limit: int, level: int = 0) -> int:
    """Nesting depth of a JSON value, stopping past ``limit``."""
    if level > limit:
        return level
    children = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else ()
    return max((_depth(c, limit, level + 1) for c in children), default=level)


def read_gcn_json(
    path: str | os.PathLike[str], schema_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Read a GCN JSON notice from a file, checked field by field.

    Parameters
    ----------
    path
        The notice (UTF-8 JSON object), at most :data:`MAX_JSON_BYTES`, nested at most
        :data:`MAX_JSON_DEPTH` deep.
    schema_dir
        Folder of ``trigger.schema.json``: also validate against the SVOM trigger schema,
        offline (:func:`fcspace.svom.alerts.gcn.validate_gcn_json`).

    Raises
    ------
    InputError
        Naming the file (and the field): unreadable, too large, not JSON, NaN/Infinity
        literals, too deep, not an object, a field outside :data:`GCN_FIELD_RANGES`, an
        unordered energy range, an unknown instrument, a time that is not ISO 8601.
    """
    p = Path(path)
    try:
        if p.stat().st_size > MAX_JSON_BYTES or not p.is_file():
            raise InputError(f"not a regular file of at most {MAX_JSON_BYTES} bytes", p)
        text = p.read_text(encoding="utf-8")
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (OSError, UnicodeDecodeError, RecursionError, ValueError) as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"not a readable JSON notice ({type(err).__name__}: {err})", p) from err
    if _depth(doc, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH}", p)
    check_gcn_fields(doc, p)
    if schema_dir is not None:
        from fcspace.svom.alerts.gcn import validate_gcn_json

        try:
            validate_gcn_json(doc, schema_dir)
        except InputError as err:
            prefix = "" if err.variable is None else f"variable {err.variable!r}: "
            raise InputError(str(err).removeprefix(prefix), p, err.variable) from err
    return doc


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number (RFC 8259)")
