"""SVOM alerts: read, write and build VOEvent 2.0 notices and GCN JSON trigger notices.

One frozen :class:`Alert` holds a notice as the SVOM French Science Center (FSC) publishes it
on the GCN Kafka topics ``gcn.notices.svom.voevent.{eclairs,grm,mxt}``: the header (IVORN,
role, Who), every ``What`` Param in order with its unit, UCD and dataType (values kept as the
exact strings of the file, so writing a notice back keeps every value), the WhereWhen
position and time, How and Citations. Typed views (``packet_type``, ``snr``, ``band_kev``,
``moon_angle`` ...) are properties computed from those Params.

Conventions checked against the real notices (``../shared/data/svom/voevents``):

* ``Galactic_Lon/Lat``: IAU 1958 galactic coordinates of the ICRS position (astropy).
* ``Moon_Angle``/``Sun_Angle``: angle between the source ICRS (RA, Dec) and the geocentric
  apparent (GCRS, astropy ``get_body``, built-in ephemeris) RA/Dec of the Moon/Sun at the
  WhereWhen time; reproduces every notice to within the 0.005° rounding of the notices.
  (Topocentric positions from the satellite miss the Moon angle by up to 0.9°, and geometric
  positions without aberration miss the Sun angle by up to 0.01°.)
* ECLAIRs error radius (90 % containment, systematic included):
  ``r90 = sqrt((77′/SNR)² + (2′)²)``, equal to the notices' ``Error2Radius`` to 1e-4°.
* GRM notices write ``Error2Radius = -1`` when the error is unknown; it reads as ``None``.

References
----------
IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11,
https://www.ivoa.net/documents/VOEvent/.
GCN, SVOM notices documentation, https://gcn.nasa.gov/missions/svom, and the SVOM trigger
JSON schema ``gcn/notices/svom/trigger.schema.json`` (nasa-gcn/gcn-schema).
Wei, J. et al. (2016), "The Deep and Transient Universe in the SVOM Era", arXiv:1610.06892
(ECLAIRs localisation accuracy).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from fcspace.core.errors import InputError
from fcspace.core.products import atomic_path

if TYPE_CHECKING:
    from astropy.time import Time

__all__ = [
    "Alert",
    "Group",
    "Param",
    "alert_to_dict",
    "eclairs_r90_deg",
    "gcn_schema_registry",
    "make_alert",
    "read_voevent",
    "sky_angles",
    "to_gcn_json",
    "validate_gcn_json",
    "voevent_bytes",
    "with_params",
    "write_gcn_json",
    "write_voevent",
]

VOEVENT_NS = "http://www.ivoa.net/xml/VOEvent/v2.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{VOEVENT_NS} http://www.ivoa.net/xml/VOEvent/VOEvent-v2.0.xsd"
GCN_TRIGGER_SCHEMA = "https://gcn.nasa.gov/schema/main/gcn/notices/svom/trigger.schema.json"
MAX_BYTES = 1_000_000  # a notice is ~3 kB; anything this big is not a notice
REQUIRED_PARAMS = ("Packet_Type", "Instrument", "Burst_Id")

#: SVOM packet types (GCN SVOM notice documentation) and the IVORN suffix FSC uses.
PACKET_TYPES: dict[int, str] = {
    201: "grm-trigger",
    202: "eclairs-wakeup",
    203: "eclairs-catalog",
    204: "slewing",
    205: "not-slewing",
    209: "mxt-initial",
    210: "mxt-update",
    219: "retraction",
}
_STAGES = {
    "trigger": 201,
    "wakeup": 202,
    "catalog": 203,
    "slewing": 204,
    "not-slewing": 205,
    "initial": 209,
    "update": 210,
    "retraction": 219,
}
_DEFAULT_PACKET = {"ECLAIRs": 202, "GRM": 201, "MXT": 209}
_NOTICE_LEVEL = {"ECLAIRs": "N1e", "GRM": "N1g", "MXT": "N2m"}
_HOW = {
    "ECLAIRs": "https://www.svom.eu/en/telescope-eclairs-en/",
    "GRM": "https://www.svom.eu/en/grm-gamma-ray-burst-monitor-en/",
    "MXT": "https://www.svom.eu/en/mxt-microchannel-x-ray-telescope-en/",
}
_FSC_AUTHOR = (
    ("title", "SVOM French Science Center"),
    ("shortName", "FSC"),
    ("contactEmail", "svom-contact@cea.fr"),
)


@dataclass(frozen=True)
class Param:
    """One VOEvent ``<Param>``: value kept as the exact string of the notice."""

    name: str
    value: str
    unit: str | None = None
    ucd: str | None = None
    data_type: str | None = None


@dataclass(frozen=True)
class Group:
    """One VOEvent ``<Group>`` of Params."""

    name: str
    params: tuple[Param, ...] = ()


@dataclass(frozen=True)
class Alert:
    """An SVOM notice (VOEvent 2.0), complete enough to be written back as it was read.

    Typed views of the Params (``packet_type``, ``instrument``, ``burst_id``, ``snr``,
    ``timescale_s``, ``band_kev``, ``trigger_type``, ``galactic_lon``, ``galactic_lat``,
    ``moon_angle``, ``sun_angle``, ``attitude_ra``, ``attitude_dec``, ``attitude_roll``) are
    properties; they are ``None`` where the notice lacks the Param.

    Attributes
    ----------
    ivorn, role, version
        Root attributes (IVOA VOEvent 2.0 §2.1).
    what
        ``What`` content in document order: top-level :class:`Param` and :class:`Group`.
    time
        Event time (WhereWhen ``ISOTime``), an astropy ``Time`` in UTC.
    ra, dec
        ICRS position [deg]; ``None`` where the notice has no ``Position2D`` (GRM).
    err_radius_deg
        ``Error2Radius`` [deg]; ``None`` where unknown (GRM writes -1).
    """

    ivorn: str
    what: tuple[Param | Group, ...]
    time: Time
    ra: float | None = None
    dec: float | None = None
    err_radius_deg: float | None = None
    role: str = "observation"
    version: str = "2.0"
    author_ivorn: str | None = "ivo://org.svom/fsc"
    date: str | None = None
    author: tuple[tuple[str, str], ...] = _FSC_AUTHOR
    observatory_id: str = "GEOLEO"
    coord_system_id: str = "UTC-ICRS-GEO"
    how_description: str | None = None
    how_references: tuple[str, ...] = ()
    why_xml: str | None = None
    citations: tuple[tuple[str, str], ...] = ()
    citations_description: str | None = None
    source_path: str | None = field(default=None, compare=False)

    def __eq__(self, other: object) -> bool:
        """Equal when every field matches (times compared to the microsecond)."""
        if not isinstance(other, Alert):
            return NotImplemented
        return _key(self) == _key(other)

    def __hash__(self) -> int:
        """Hash of the same key as equality."""
        return hash(_key(self))

    def iter_params(self) -> Iterator[Param]:
        """Every Param of ``What`` in document order (groups flattened)."""
        for item in self.what:
            if isinstance(item, Group):
                yield from item.params
            else:
                yield item

    def param(self, name: str) -> Param | None:
        """The first Param called ``name`` (``None`` if absent)."""
        return next((p for p in self.iter_params() if p.name == name), None)

    def _float(self, name: str) -> float | None:
        p = self.param(name)
        return None if p is None else float(p.value)

    @property
    def packet_type(self) -> int:
        """SVOM packet type (201 GRM trigger ... 219 retraction)."""
        return int(self.param("Packet_Type").value)  # type: ignore[union-attr]

    @property
    def instrument(self) -> str:
        """``ECLAIRs``, ``GRM`` or ``MXT``."""
        return self.param("Instrument").value  # type: ignore[union-attr]

    @property
    def burst_id(self) -> str:
        """SVOM burst identifier, e.g. ``sb26021102``."""
        return self.param("Burst_Id").value  # type: ignore[union-attr]

    @property
    def snr(self) -> float | None:
        """Detection signal-to-noise ratio [sigma]."""
        return self._float("SNR")

    @property
    def timescale_s(self) -> float | None:
        """Trigger timescale [s]."""
        return self._float("Timescale")

    @property
    def band_kev(self) -> tuple[float, float] | None:
        """Trigger energy band (low, high) [keV]."""
        lo, hi = self._float("Lower_Energy_Bound"), self._float("Upper_Energy_Bound")
        return None if lo is None or hi is None else (lo, hi)

    @property
    def trigger_type(self) -> str | None:
        """ECLAIRs trigger type: ``CRT`` (count rate) or ``IMT`` (image)."""
        p = self.param("Trigger_Type")
        return None if p is None else p.value

    @property
    def galactic_lon(self) -> float | None:
        """Galactic longitude of the source [deg]."""
        return self._float("Galactic_Lon")

    @property
    def galactic_lat(self) -> float | None:
        """Galactic latitude of the source [deg]."""
        return self._float("Galactic_Lat")

    @property
    def moon_angle(self) -> float | None:
        """Angle source–Moon [deg] (geocentric apparent Moon)."""
        return self._float("Moon_Angle")

    @property
    def sun_angle(self) -> float | None:
        """Angle source–Sun [deg] (geocentric apparent Sun)."""
        return self._float("Sun_Angle")

    @property
    def attitude_ra(self) -> float | None:
        """Satellite pointing RA [deg] (see :mod:`fcspace.svom.attitude`)."""
        return self._float("Attitude_Ra")

    @property
    def attitude_dec(self) -> float | None:
        """Satellite pointing Dec [deg]."""
        return self._float("Attitude_Dec")

    @property
    def attitude_roll(self) -> float | None:
        """Satellite roll [deg]."""
        return self._float("Attitude_Roll")


def _key(alert: Alert) -> tuple:
    """Fields compared by ``==``: all but ``source_path``; time as its ISO string (1 µs)."""
    return tuple(
        _iso(alert.time) if name == "time" else getattr(alert, name)
        for name in alert.__dataclass_fields__
        if name != "source_path"
    )


# ---------------------------------------------------------------------------- time helpers


@contextlib.contextmanager
def _quiet_time() -> Iterator[None]:
    """Silence, in this block only, the expected warnings of times past the tables.

    ERFA warns "dubious year" for UTC after the last leap-second table entry, and astropy
    warns when IERS tables do not cover a time; both are expected for simulated or future
    alerts, and the values are still computed (no new leap second assumed).
    """
    from astropy.utils.exceptions import AstropyWarning
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        warnings.simplefilter("ignore", AstropyWarning)
        yield


def _astropy_quiet() -> None:
    """Never let astropy try to download IERS tables (offline ground segment)."""
    from astropy.utils import iers

    iers.conf.auto_download = False


def _to_time(value: Any, path: str | os.PathLike[str] | None = None) -> Any:
    """An astropy ``Time`` in UTC from an ISO string (``Z`` allowed) or a ``Time``."""
    from astropy.time import Time

    if isinstance(value, Time):
        return value.utc
    text = str(value).strip().removesuffix("Z")
    try:
        with _quiet_time():
            return Time(text, format="isot", scale="utc")
    except ValueError as err:
        raise InputError(f"not an ISO 8601 UTC time: {value!r}", path, "ISOTime") from err


def _iso(time: Any, precision: int = 6) -> str:
    """ISO 8601 UTC string without time-zone letter (``2026-02-11T19:24:23.604000``)."""
    t = time.utc.replicate()
    t.precision = precision
    with _quiet_time():
        return str(t.isot)


# ------------------------------------------------------------------------------ safe parse


def _parser() -> etree.XMLParser:
    """XML parser (lxml) that expands no entity, reads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=True,
    )


def _parse_bytes(raw: bytes, path: str | os.PathLike[str]) -> etree._Element:
    if len(raw) > MAX_BYTES:
        raise InputError(f"{len(raw)} bytes is too large for a VOEvent notice", path)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InputError("DOCTYPE/ENTITY declarations are refused (entity expansion)", path)
    try:
        tree = etree.fromstring(raw, _parser()).getroottree()
    except etree.XMLSyntaxError as err:
        raise InputError(f"malformed or truncated XML: {err}", path) from err
    if tree.docinfo.internalDTD is not None:
        raise InputError("DOCTYPE declarations are refused (entity expansion)", path)
    root = tree.getroot()
    if etree.QName(root).localname != "VOEvent" or etree.QName(root).namespace != VOEVENT_NS:
        raise InputError(f"root element is {root.tag!r}, expected voe:VOEvent 2.0", path)
    return root


def _text(node: etree._Element | None) -> str | None:
    return None if node is None or node.text is None else node.text.strip()


def _read_param(node: etree._Element, path: str | os.PathLike[str]) -> Param:
    name = node.get("name")
    if name is None or node.get("value") is None:
        raise InputError("a <Param> has no name or no value attribute", path)
    return Param(name, node.get("value"), node.get("unit"), node.get("ucd"), node.get("dataType"))


def _read_what(root: etree._Element, path: str | os.PathLike[str]) -> tuple[Param | Group, ...]:
    what = root.find("What")
    if what is None:
        raise InputError("no <What> section", path)
    items: list[Param | Group] = []
    for node in what:
        if node.tag == "Param":
            items.append(_read_param(node, path))
        elif node.tag == "Group":
            params = tuple(_read_param(p, path) for p in node.findall("Param"))
            items.append(Group(node.get("name", ""), params))
    return tuple(items)


def _read_position(coords: etree._Element, path: str | os.PathLike[str]) -> dict[str, Any]:
    pos = coords.find("Position2D")
    if pos is None:
        return {}
    try:
        ra, dec = float(_text(pos.find("Value2/C1"))), float(_text(pos.find("Value2/C2")))
        err = _text(pos.find("Error2Radius"))
    except (TypeError, ValueError) as err_:
        raise InputError("Position2D lacks a numeric C1/C2", path, "Position2D") from err_
    radius = None if err is None or float(err) < 0 else float(err)
    return {"ra": ra, "dec": dec, "err_radius_deg": radius}


def _read_wherewhen(root: etree._Element, path: str | os.PathLike[str]) -> dict[str, Any]:
    obs = root.find("WhereWhen/ObsDataLocation")
    coords = None if obs is None else obs.find("ObservationLocation/AstroCoords")
    iso = None if coords is None else _text(coords.find("Time/TimeInstant/ISOTime"))
    if iso is None:
        raise InputError("no WhereWhen/.../AstroCoords/Time/TimeInstant/ISOTime", path)
    out = {"time": _to_time(iso, path), **_read_position(coords, path)}
    loc = obs.find("ObservatoryLocation")
    out["observatory_id"] = "GEOLEO" if loc is None else loc.get("id", "GEOLEO")
    out["coord_system_id"] = coords.get("coord_system_id", "UTC-ICRS-GEO")
    return out


def _read_who(root: etree._Element) -> dict[str, Any]:
    who = root.find("Who")
    if who is None:
        return {"author_ivorn": None, "date": None, "author": ()}
    author = who.find("Author")
    pairs = () if author is None else tuple((c.tag, c.text or "") for c in author)
    return {
        "author_ivorn": _text(who.find("AuthorIVORN")),
        "date": _text(who.find("Date")),
        "author": pairs,
    }


def _read_how_why_citations(root: etree._Element) -> dict[str, Any]:
    how, why, cit = root.find("How"), root.find("Why"), root.find("Citations")
    refs = () if how is None else tuple(r.get("uri", "") for r in how.findall("Reference"))
    cites = () if cit is None else cit.findall("EventIVORN")
    return {
        "how_description": None if how is None else _text(how.find("Description")),
        "how_references": refs,
        "why_xml": None if why is None else etree.tostring(why, encoding="unicode"),
        "citations": tuple((_text(c) or "", c.get("cite", "")) for c in cites),
        "citations_description": None if cit is None else _text(cit.find("Description")),
    }


def _check_required(what: tuple[Param | Group, ...], path: str | os.PathLike[str]) -> None:
    names = {p.name for item in what for p in (item.params if isinstance(item, Group) else [item])}
    missing = [n for n in REQUIRED_PARAMS if n not in names]
    if missing:
        raise InputError(f"required Param(s) missing: {', '.join(missing)}", path, missing[0])


def read_voevent(path: str | os.PathLike[str]) -> Alert:
    """Read an SVOM VOEvent 2.0 notice (ECLAIRs, GRM or MXT; packet types 201–219).

    Parsing is safe: no entity expansion, no DTD, no network, no huge trees; any DOCTYPE
    or ENTITY declaration is refused (billion-laughs and XXE attacks).

    Parameters
    ----------
    path
        The notice file.

    Returns
    -------
    Alert
        The notice; ``alert.source_path`` is the file read.

    Raises
    ------
    InputError
        Unreadable, malformed or truncated XML, wrong root element, DOCTYPE present, a
        required Param (``Packet_Type``, ``Instrument``, ``Burst_Id``) or the ISOTime missing.

    References
    ----------
    IVOA VOEvent 2.0 Recommendation (2011), §2 (document structure).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read notice: {err.strerror}", path) from err
    root = _parse_bytes(raw, path)
    if root.get("ivorn") is None:
        raise InputError("VOEvent has no ivorn attribute", path, "ivorn")
    what = _read_what(root, path)
    _check_required(what, path)
    try:
        int(next(p for p in _flat(what) if p.name == "Packet_Type").value)
    except ValueError as err:
        raise InputError("Packet_Type is not an integer", path, "Packet_Type") from err
    return Alert(
        ivorn=root.get("ivorn"),
        what=what,
        role=root.get("role", "observation"),
        version=root.get("version", "2.0"),
        source_path=str(path),
        **_read_who(root),
        **_read_wherewhen(root, path),
        **_read_how_why_citations(root),
    )


def _flat(what: tuple[Param | Group, ...]) -> Iterator[Param]:
    for item in what:
        yield from (item.params if isinstance(item, Group) else (item,))


# ----------------------------------------------------------------------------------- write


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> Any:
    node = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _write_param(parent: etree._Element, p: Param) -> None:
    attrs = {"name": p.name, "value": p.value, "unit": p.unit, "ucd": p.ucd}
    _sub(parent, "Param", **attrs, dataType=p.data_type)


def _write_who(root: etree._Element, alert: Alert) -> None:
    who = _sub(root, "Who")
    if alert.author_ivorn is not None:
        _sub(who, "AuthorIVORN", alert.author_ivorn)
    if alert.date is not None:
        _sub(who, "Date", alert.date)
    if alert.author:
        author = _sub(who, "Author")
        for tag, text in alert.author:
            _sub(author, tag, text)


def _write_what(root: etree._Element, alert: Alert) -> None:
    what = _sub(root, "What")
    for item in alert.what:
        if isinstance(item, Group):
            group = _sub(what, "Group", name=item.name)
            for p in item.params:
                _write_param(group, p)
        else:
            _write_param(what, item)


def _write_wherewhen(root: etree._Element, alert: Alert) -> None:
    obs = _sub(_sub(root, "WhereWhen"), "ObsDataLocation")
    _sub(obs, "ObservatoryLocation", id=alert.observatory_id)
    loc = _sub(obs, "ObservationLocation")
    _sub(loc, "AstroCoordSystem", id=alert.coord_system_id)
    coords = _sub(loc, "AstroCoords", coord_system_id=alert.coord_system_id)
    instant = _sub(_sub(coords, "Time", unit="s"), "TimeInstant")
    _sub(instant, "ISOTime", _iso(alert.time))
    if alert.ra is None or alert.dec is None:
        return
    pos = _sub(coords, "Position2D", unit="deg")
    _sub(pos, "Name1", "RA")
    _sub(pos, "Name2", "Dec")
    value = _sub(pos, "Value2")
    _sub(value, "C1", _exact(alert.ra))
    _sub(value, "C2", _exact(alert.dec))
    err = -1.0 if alert.err_radius_deg is None else alert.err_radius_deg
    _sub(pos, "Error2Radius", _exact(err))


def _exact(x: float) -> str:
    """Four decimals as in the FSC notices when lossless, else the shortest exact repr."""
    text = f"{x:.4f}"
    return text if float(text) == x else repr(float(x))


def _write_how_why_citations(root: etree._Element, alert: Alert) -> None:
    if alert.how_description is not None or alert.how_references:
        how = _sub(root, "How")
        if alert.how_description is not None:
            _sub(how, "Description", alert.how_description)
        for uri in alert.how_references:
            _sub(how, "Reference", uri=uri)
    if alert.why_xml is not None:
        root.append(etree.fromstring(alert.why_xml.encode(), _parser()))
    if alert.citations or alert.citations_description is not None:
        cit = _sub(root, "Citations")
        for ivorn, cite in alert.citations:
            _sub(cit, "EventIVORN", ivorn, cite=cite)
        if alert.citations_description is not None:
            _sub(cit, "Description", alert.citations_description)


def voevent_bytes(alert: Alert) -> bytes:
    """The VOEvent 2.0 document of ``alert`` (UTF-8, indented like the FSC notices)."""
    root = etree.Element(f"{{{VOEVENT_NS}}}VOEvent", nsmap={"voe": VOEVENT_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    root.set("role", alert.role)
    root.set("version", alert.version)
    root.set("ivorn", alert.ivorn)
    _write_who(root, alert)
    _write_what(root, alert)
    _write_wherewhen(root, alert)
    _write_how_why_citations(root, alert)
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


def write_voevent(alert: Alert, path: str | os.PathLike[str]) -> Path:
    """Write ``alert`` as a VOEvent 2.0 notice, atomically (temporary name, then rename).

    The structure follows the FSC notices: root ``voe:VOEvent`` with IVORN, role and
    version; Who, What (same Params, units, UCDs and groups), WhereWhen with
    ObsDataLocation/ObservationLocation/AstroCoords in ``UTC-ICRS-GEO``, How, Why and
    Citations. ``read_voevent(write_voevent(a, p)) == a``.

    Parameters
    ----------
    alert
        The notice.
    path
        Destination; nothing is left there if writing fails.

    Returns
    -------
    pathlib.Path
        ``path``.

    References
    ----------
    IVOA VOEvent 2.0 Recommendation (2011), §2–§4.
    """
    try:
        data = voevent_bytes(alert)
    except (ValueError, TypeError, etree.LxmlError) as err:
        raise InputError(f"cannot write this alert as VOEvent: {err}", path) from err
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


# -------------------------------------------------------------------------------- compute


def eclairs_r90_deg(snr: float) -> float:
    """ECLAIRs 90 % error radius [deg] from the image SNR, systematics included.

    ``r90 = sqrt((77′ / SNR)² + (2′)²)``; reproduces the ``Error2Radius`` of every ECLAIRs
    notice we hold to 1e-4° (their rounding).

    Raises
    ------
    InputError
        SNR not strictly positive and finite.
    """
    if not (math.isfinite(snr) and snr > 0):
        raise InputError(f"SNR must be > 0 for an error radius, got {snr}", variable="snr")
    from fcspace.svom.eclairs.localize import r90_notice

    return float(r90_notice(snr))


def sky_angles(ra: float, dec: float, time: Any) -> dict[str, float]:
    """Galactic coordinates and Moon/Sun angles of a source, as SVOM notices give them.

    Moon and Sun are the geocentric apparent positions (GCRS at ``time``, astropy
    ``get_body`` with the built-in ephemeris); the angle is taken between their RA/Dec and
    the source's ICRS RA/Dec. This reproduces every real notice within their 0.005° rounding.

    Parameters
    ----------
    ra, dec
        ICRS position [deg].
    time
        ISO 8601 UTC string or astropy ``Time``.

    Returns
    -------
    dict
        ``galactic_lon``, ``galactic_lat``, ``moon_angle``, ``sun_angle`` [deg], unrounded.
    """
    import astropy.units as u
    from astropy.coordinates import SkyCoord, get_body

    _astropy_quiet()
    t = _to_time(time)
    src = SkyCoord(ra * u.deg, dec * u.deg, frame="icrs")
    gal = src.galactic
    out = {"galactic_lon": float(gal.l.deg), "galactic_lat": float(gal.b.deg)}
    with _quiet_time():
        for body in ("moon", "sun"):
            b = get_body(body, t)
            direction = SkyCoord(b.ra, b.dec, frame="icrs")
            out[f"{body}_angle"] = float(direction.separation(src).deg)
    return out


# -------------------------------------------------------------------------------- build

_DETECTION_KEYS = {
    "timescale_s",
    "band_kev",
    "trigger_type",
    "attitude_ra",
    "attitude_dec",
    "attitude_roll",
    "burst_id",
    "packet_type",
    "err_radius_deg",
    "slew_status",
    "sat_longitude",
    "sat_latitude",
    "sat_altitude",
    "notice_date",
    "pkt_ser_num",
    "notice_level",
    "triggered_grds",
    "citations",
    "stage",
}


def _num(value: float, fmt: str = ".2f") -> str:
    return format(float(value), fmt)


def _ms(time: Any) -> str:
    return _iso(time, precision=3) + "Z"


def _identifiers(instrument: str, burst_id: str, level: str | None) -> Group:
    level = level or _NOTICE_LEVEL[instrument]
    return Group(
        "Svom_Identifiers",
        (Param("Notice_Level", level, ucd="meta.id"), Param("Burst_Id", burst_id, ucd="meta.id")),
    )


def _detection(instrument: str, t: Any, snr: float, d: Mapping[str, Any]) -> Group:
    from astropy import units as u

    params = [Param("SNR", _num(snr), "sigma", "stat.snr")]
    if instrument != "MXT":
        scale = float(d.get("timescale_s", 1.0 if instrument == "GRM" else 20.48))
        lo, hi = d.get("band_kev", (15.0, 5000.0) if instrument == "GRM" else (5.0, 20.0))
        params += [
            Param("Timescale", repr(scale), "s", "time.interval"),
            Param("Time_Window_Start", _ms(t), ucd="time.start"),
            Param("Time_Window_End", _ms(t + scale * u.s), ucd="time.end"),
            Param("Lower_Energy_Bound", _num(lo, "g"), "keV", "em.energy"),
            Param("Upper_Energy_Bound", _num(hi, "g"), "keV", "em.energy"),
        ]
    if instrument == "ECLAIRs":
        params.append(Param("Trigger_Type", d.get("trigger_type", "IMT"), ucd="instr.param"))
    if instrument == "GRM":
        params.append(Param("Triggered_GRDs", d.get("triggered_grds", "111"), ucd="instr.param"))
    return Group("Detection_Info", tuple(params))


def _target(ra: float, dec: float, t: Any) -> Group:
    angles = sky_angles(ra, dec, t)
    spec = (
        ("Galactic_Lon", "galactic_lon", "pos.galactic.lon"),
        ("Galactic_Lat", "galactic_lat", "pos.galactic.lat"),
        ("Moon_Angle", "moon_angle", "pos.angdistance"),
        ("Sun_Angle", "sun_angle", "pos.angdistance"),
    )
    return Group("Target_Info", tuple(Param(n, _num(angles[k]), "deg", u) for n, k, u in spec))


def _satellite(instrument: str, d: Mapping[str, Any]) -> Group:
    params = []
    if instrument == "ECLAIRs":
        params.append(
            Param("Slew_Status", d.get("slew_status", "not-requested"), ucd="meta.code.status")
        )
    spec = (
        ("Attitude_Ra", "attitude_ra", "deg", "instr.param"),
        ("Attitude_Dec", "attitude_dec", "deg", "instr.param"),
        ("Attitude_Roll", "attitude_roll", "deg", "instr.param"),
        ("Sat_Longitude", "sat_longitude", "deg", "pos.earth.lon"),
        ("Sat_Latitude", "sat_latitude", "deg", "pos.earth.lat"),
        ("Sat_Altitude", "sat_altitude", "km", "pos.earth.altitude"),
    )
    params += [Param(n, _num(d[k]), unit, ucd) for n, k, unit, ucd in spec if d.get(k) is not None]
    return Group("Satellite_Info", tuple(params))


def _check_make_inputs(instrument: str, detection: Mapping[str, Any], ra: Any, dec: Any) -> None:
    if instrument not in _DEFAULT_PACKET:
        raise InputError(f"instrument must be ECLAIRs, GRM or MXT, got {instrument!r}")
    unknown = sorted(set(detection) - _DETECTION_KEYS)
    if unknown:
        raise InputError(f"unknown detection keyword(s): {', '.join(unknown)}")
    if (ra is None) != (dec is None):
        raise InputError("give both ra and dec, or neither (GRM without localisation)")
    if ra is not None and not (math.isfinite(ra) and -90.0 <= dec <= 90.0):
        raise InputError(f"bad position ra={ra}, dec={dec}", variable="ra/dec")
    if ra is None and instrument != "GRM":
        raise InputError(f"{instrument} alerts need a position (ra, dec)")


def _packet_type(instrument: str, d: Mapping[str, Any]) -> int:
    """Packet type from ``packet_type``, else from ``stage`` (e.g. "slewing"), else default."""
    if "packet_type" in d:
        return int(d["packet_type"])
    if "stage" not in d:
        return _DEFAULT_PACKET[instrument]
    stage = str(d["stage"]).lower().removeprefix(instrument.lower() + "-")
    if stage not in _STAGES:
        raise InputError(f"unknown stage {d['stage']!r}; expected one of {sorted(_STAGES)}")
    return _STAGES[stage]


def _error_radius(instrument: str, snr: float, d: Mapping[str, Any], has_pos: bool) -> Any:
    if "err_radius_deg" in d:
        return d["err_radius_deg"]
    if instrument == "ECLAIRs":
        return eclairs_r90_deg(snr)
    if instrument == "MXT" and has_pos:
        raise InputError("MXT alerts need err_radius_deg (no SNR formula)", variable="err")
    return None


def make_alert(
    ra: float | None,
    dec: float | None,
    time: Any,
    snr: float,
    instrument: str = "ECLAIRs",
    **detection: Any,
) -> Alert:
    """Build an SVOM alert from a localisation, as the FSC notices are made.

    Computes the Galactic coordinates and Moon/Sun angles (:func:`sky_angles`), the error
    radius from SNR for ECLAIRs (:func:`eclairs_r90_deg`), the packet type, notice level,
    IVORN and burst id appropriate to the instrument.

    Parameters
    ----------
    ra, dec
        ICRS position [deg] (``None`` for a GRM trigger without localisation).
    time
        Trigger time, ISO 8601 UTC string or astropy ``Time``.
    snr
        Image (ECLAIRs, MXT) or rate (GRM) signal-to-noise ratio.
    instrument
        ``ECLAIRs``, ``GRM`` or ``MXT``.
    **detection
        Optional: ``timescale_s``, ``band_kev`` (low, high), ``trigger_type`` (CRT/IMT),
        ``attitude_ra``, ``attitude_dec``, ``attitude_roll`` [deg], ``sat_longitude``,
        ``sat_latitude`` [deg], ``sat_altitude`` [km], ``slew_status``, ``burst_id``,
        ``packet_type`` (default 202 ECLAIRs, 201 GRM, 209 MXT) or ``stage`` (``wakeup``
        202, ``catalog`` 203, ``slewing`` 204, ``not-slewing`` 205, ``trigger`` 201,
        ``initial`` 209, ``update`` 210, ``retraction`` 219), ``err_radius_deg``
        (overrides the formula; required for MXT), ``notice_date``, ``pkt_ser_num``,
        ``notice_level``, ``triggered_grds``, ``citations`` ((ivorn, cite) pairs).

    Returns
    -------
    Alert

    Raises
    ------
    InputError
        Unknown instrument or keyword, bad position or SNR.
    """
    _check_make_inputs(instrument, detection, ra, dec)
    _astropy_quiet()
    with _quiet_time():
        return _build(ra, dec, _to_time(time), float(snr), instrument, detection)


def _build(
    ra: float | None,
    dec: float | None,
    t: Any,
    snr: float,
    instrument: str,
    d: Mapping[str, Any],
) -> Alert:
    packet = _packet_type(instrument, d)
    burst_id = d.get("burst_id") or "sb" + t.utc.strftime("%y%m%d") + "01"
    what: list[Param | Group] = [
        Param("Packet_Type", str(packet), ucd="meta.id"),
        Param("Pkt_Ser_Num", str(d.get("pkt_ser_num", 1)), ucd="meta.id"),
        Param("Instrument", instrument, ucd="instr"),
        _identifiers(instrument, burst_id, d.get("notice_level")),
        _detection(instrument, t, snr, d),
    ]
    if ra is not None:
        what.append(_target(float(ra), float(dec), t))
    what.append(_satellite(instrument, d))
    level = what[3].params[0].value  # type: ignore[union-attr]
    return Alert(
        ivorn=f"ivo://org.svom/fsc#{burst_id}_{PACKET_TYPES.get(packet, str(packet))}",
        what=tuple(what),
        time=t,
        ra=None if ra is None else float(ra),
        dec=None if dec is None else float(dec),
        err_radius_deg=_error_radius(instrument, snr, d, ra is not None),
        date=d.get("notice_date") or _iso(t, 0) + "+00:00",
        how_description=f"{level} notice, data from {instrument}",
        how_references=(_HOW[instrument],),
        citations=tuple(d.get("citations", ())),
    )


# ----------------------------------------------------------------------------- summaries


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """Plain-JSON summary of an alert: typed fields, time ISO UTC, every Param value.

    Adds the source's instrument-frame angles ``theta_deg``/``phi_deg`` when both the
    position and the attitude are known (convention of :mod:`fcspace.svom.attitude`).
    """
    out: dict[str, Any] = {
        "ivorn": alert.ivorn,
        "packet_type": alert.packet_type,
        "packet_name": PACKET_TYPES.get(alert.packet_type),
        "instrument": alert.instrument,
        "burst_id": alert.burst_id,
        "time": _iso(alert.time),
        "ra": alert.ra,
        "dec": alert.dec,
        "err_radius_deg": alert.err_radius_deg,
    }
    for name in (
        "snr",
        "timescale_s",
        "band_kev",
        "trigger_type",
        "galactic_lon",
        "galactic_lat",
        "moon_angle",
        "sun_angle",
        "attitude_ra",
        "attitude_dec",
        "attitude_roll",
    ):
        value = getattr(alert, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    out.update(_instrument_angles(alert))
    out["params"] = {p.name: p.value for p in alert.iter_params()}
    out["citations"] = [{"ivorn": i, "cite": c} for i, c in alert.citations]
    return out


def _instrument_angles(alert: Alert) -> dict[str, float]:
    att = (alert.attitude_ra, alert.attitude_dec, alert.attitude_roll)
    if alert.ra is None or alert.dec is None or None in att:
        return {}
    from fcspace.svom.attitude import radec_to_instrument

    theta, phi = radec_to_instrument(alert.ra, alert.dec, *att)  # type: ignore[arg-type]
    return {"theta_deg": round(float(theta), 4), "phi_deg": round(float(phi), 4)}


# ------------------------------------------------------------------------------- GCN JSON

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
        doc["alert_datetime"] = _iso(_to_time(alert.date[:19]), 0)
    doc["alert_tense"] = alert_tense
    doc["alert_type"] = _ALERT_TYPE.get(alert.packet_type, "initial")
    doc["id"] = [alert.burst_id]
    doc["trigger_time"] = _iso(alert.time)
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


# ------------------------------------------------------------------- offline JSON schema


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


def with_params(alert: Alert, **values: str) -> Alert:
    """Copy of ``alert`` with the named Params' value strings replaced (others kept)."""

    def swap(p: Param) -> Param:
        return replace(p, value=values[p.name]) if p.name in values else p

    what = tuple(
        Group(i.name, tuple(swap(p) for p in i.params)) if isinstance(i, Group) else swap(i)
        for i in alert.what
    )
    return replace(alert, what=what)
