"""VOEvent 2.0 notices on disk: safe XML reading and writing in the FSC layout.

Reading expands no entity, reads no DTD, touches no network and refuses any DOCTYPE/ENTITY
declaration (billion-laughs and XXE attacks); writing is atomic and lossless
(``read_voevent(write_voevent(a, p)) == a``).

References
----------
IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11,
https://www.ivoa.net/documents/VOEvent/.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from fcspace.core.errors import InputError
from fcspace.core.products import atomic_path
from fcspace.svom.alerts.checks import check_params, check_position, check_time_text
from fcspace.svom.alerts.isotime import iso_utc_texts
from fcspace.svom.alerts.model import Alert, Group, Param

__all__ = ["read_voevent", "read_voevents", "voevent_bytes", "write_voevent"]

VOEVENT_NS = "http://www.ivoa.net/xml/VOEvent/v2.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{VOEVENT_NS} http://www.ivoa.net/xml/VOEvent/VOEvent-v2.0.xsd"
MAX_BYTES = 1_000_000  # a notice is ~3 kB; anything this big is not a notice
_ROOT_TAG = f"{{{VOEVENT_NS}}}VOEvent"


_PARSERS = threading.local()  # an lxml parser must not be shared between threads


def _parser() -> etree.XMLParser:
    """The calling thread's XML parser (lxml): no entity expansion, no DTD, no network."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = _new_parser()
    return parser


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=True,  # fewer nodes to build and walk
        collect_ids=False,  # no ID hash table: nothing looks elements up by ID
    )


def _parse_bytes(raw: bytes, path: str | os.PathLike[str]) -> etree._Element:
    if len(raw) > MAX_BYTES:
        raise InputError(f"{len(raw)} bytes is too large for a VOEvent notice", path)
    # "!" is found by memchr, far quicker than a search for "<!" among a notice's many "<"
    if b"!" in raw and (b"<!DOCTYPE" in raw or b"<!ENTITY" in raw):
        raise InputError("DOCTYPE/ENTITY declarations are refused (entity expansion)", path)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"malformed or truncated XML: {err}", path) from err
    if root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 DOCTYPE
        raise InputError("DOCTYPE declarations are refused (entity expansion)", path)
    if root.tag != _ROOT_TAG:
        raise InputError(f"root element is {root.tag!r}, expected voe:VOEvent 2.0", path)
    return root


def _text(node: etree._Element | None) -> str | None:
    return None if node is None or node.text is None else node.text.strip()


RawParam = tuple[str | None, str | None, str | None, str | None, str | None]
# A Param is read as RawParam, (name, value, unit, ucd, dataType): a plain tuple of strings,
# which the garbage collector stops tracking (a Param, a tuple subclass, stays tracked). Its
# name, unit and UCD come from a small vocabulary ("Packet_Type", "deg", "meta.id"): they are
# interned (sys.intern; still freed once unused), so that alerts held in memory share them
# (resident memory per alert kept: 9.9 kB before, 6.4 kB after). The ``get`` calls are
# written out in _read_what: a helper call per Param costs ~10 % more instructions (callgrind).


_SECTIONS = ("Who", "What", "WhereWhen", "How", "Why", "Citations")


def _sections(root: etree._Element) -> dict[str, etree._Element]:
    """The first child of ``root`` of each VOEvent section tag (one walk, filtered in C)."""
    found: dict[str, etree._Element] = {}
    for node in root.iterchildren(*_SECTIONS):
        found.setdefault(node.tag, node)
    return found


def _read_what(what: etree._Element | None, path: str | os.PathLike[str]) -> tuple[tuple, ...]:
    """``What`` in the raw form of :meth:`Alert.read`, its Params checked (``check_params``).

    Raw form: a Param is its ``RawParam`` tuple, a Group ``(name, (params...))``.
    """
    if what is None:
        raise InputError("no <What> section", path)
    intern = sys.intern
    items: list[tuple] = []
    flat: list[RawParam] = []
    for node in what:  # a plain walk: an iterchildren(tag) matcher costs more per node
        tag = node.tag
        if tag == "Param":
            nodes, group = (node,), None
        elif tag == "Group":
            nodes, group = [p for p in node if p.tag == "Param"], []
        else:
            continue
        for p in nodes:
            get = p.get
            name, unit, ucd = get("name"), get("unit"), get("ucd")
            param = (name and intern(name), get("value"), unit and intern(unit),
                     ucd and intern(ucd), get("dataType"))  # fmt: skip
            flat.append(param)
            if group is not None:
                group.append(param)
        items.append(param if group is None else (node.get("name", ""), tuple(group)))
    check_params(flat, path)
    return tuple(items)


def _firsts(node: etree._Element | None, *tags: str) -> Any:
    """The first child of ``node`` of each of ``tags`` (None where absent), in one walk.

    One walk over a node's few children instead of one per tag: each child visited costs a
    proxy object and its tag string.
    """
    found: dict[Any, etree._Element | None] = dict.fromkeys(tags)
    if node is not None:
        left = len(found)
        for child in node:
            tag = child.tag
            if tag in found and found[tag] is None:
                found[tag] = child
                left -= 1
                if not left:
                    break
    return found.values()


def _child(node: etree._Element | None, *tags: str) -> etree._Element | None:
    """First element down the path of child ``tags`` (``find("A/B")`` of the first A), or None.

    The one-tag case of :func:`_firsts` written out: a dict per step costs ~2 % of a notice.
    """
    for tag in tags:
        if node is None:
            return None
        parent, node = node, None
        for child in parent:
            if child.tag == tag:
                node = child
                break
    return node


def _read_position(pos: etree._Element | None, path: str | os.PathLike[str]) -> dict[str, Any]:
    if pos is None:
        return {}
    value, error = _firsts(pos, "Value2", "Error2Radius")
    c1, c2 = _firsts(value, "C1", "C2")
    try:
        ra, dec = float(_text(c1)), float(_text(c2))  # type: ignore[arg-type]
    except (TypeError, ValueError) as err_:
        raise InputError("Position2D lacks a numeric C1/C2", path, "Position2D") from err_
    err = _text(error)
    try:
        radius = None if err is None or float(err) < 0 else float(err)
    except ValueError as err_:
        raise InputError(f"Error2Radius {err!r} is not a number", path, "Error2Radius") from err_
    check_position(ra, dec, radius, path)
    return {"ra": ra, "dec": dec, "err_radius_deg": radius}


def _read_wherewhen(ww: etree._Element | None, path: str | os.PathLike[str]) -> dict[str, Any]:
    loc, observation = _firsts(_child(ww, "ObsDataLocation"), "ObservatoryLocation",
                               "ObservationLocation")  # fmt: skip
    coords = _child(observation, "AstroCoords")
    time, pos = _firsts(coords, "Time", "Position2D")
    iso = _text(_child(time, "TimeInstant", "ISOTime"))
    if iso is None:
        raise InputError("no WhereWhen/.../AstroCoords/Time/TimeInstant/ISOTime", path)
    out = {"time": iso, **_read_position(pos, path)}  # text, checked by read_voevents
    out["observatory_id"] = "GEOLEO" if loc is None else loc.get("id", "GEOLEO")
    out["coord_system_id"] = coords.get("coord_system_id", "UTC-ICRS-GEO")  # type: ignore[union-attr]
    return out


def _read_who(who: etree._Element | None) -> dict[str, Any]:
    ivorn, date, author = _firsts(who, "AuthorIVORN", "Date", "Author")
    intern = sys.intern  # the Author's tags and texts repeat from notice to notice
    fields = [] if author is None else [c for c in author if isinstance(c.tag, str)]
    pairs = tuple((intern(c.tag), intern(c.text or "")) for c in fields)  # no comments, PIs
    return {"author_ivorn": _text(ivorn), "date": _text(date), "author": pairs}


def _description_and_all(node: etree._Element | None, tag: str) -> tuple[Any, list[Any]]:
    """The first ``Description`` child of ``node`` and every child of ``tag``, in one walk."""
    description, found = None, []
    for child in () if node is None else node:
        if child.tag == tag:
            found.append(child)
        elif description is None and child.tag == "Description":
            description = child
    return description, found


def _read_how_why_citations(sections: dict[str, etree._Element]) -> dict[str, Any]:
    how, why, cit = sections.get("How"), sections.get("Why"), sections.get("Citations")
    how_description, references = _description_and_all(how, "Reference")
    cit_description, cites = _description_and_all(cit, "EventIVORN")
    return {
        "how_description": _text(how_description),
        "how_references": tuple([r.get("uri", "") for r in references]),
        "why_xml": None if why is None else etree.tostring(why, encoding="unicode"),
        "citations": tuple([(_text(c) or "", c.get("cite", "")) for c in cites]),
        "citations_description": _text(cit_description),
    }


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
        required Param (``Packet_Type``, ``Instrument``, ``Burst_Id``) or the ISOTime missing,
        a numeric field that is not a finite number in its range
        (:mod:`fcspace.svom.alerts.checks`: Dec 200, RA NaN, SNR inf, Packet_Type 999,
        Error2Radius "abc"), naming the file and the field.

    References
    ----------
    IVOA VOEvent 2.0 Recommendation (2011), §2 (document structure).
    """
    return read_voevents([path])[0]


def read_voevents(paths: Iterable[str | os.PathLike[str]]) -> list[Alert]:
    """Read many SVOM VOEvent 2.0 notices (as :func:`read_voevent` reads each), in order.

    The ``ISOTime`` of every notice is checked and normalised in one vectorised call
    (:func:`fcspace.svom.alerts.isotime.iso_utc_texts`); no astropy ``Time`` is made (an
    alert's ``time`` is made on first use). Every Param and the position are checked as they
    are read (:func:`fcspace.svom.alerts.checks.check_params`, ``check_position``); the Params
    are kept as plain tuples of their strings and made :class:`Param` objects on first use of
    ``alert.what`` (:meth:`Alert.read`), so that many alerts held in memory leave the garbage
    collector little to scan (about 8 tracked objects an alert instead of 35).

    Raises
    ------
    InputError
        As :func:`read_voevent`, naming the first bad file.
    """
    fields = [_read_fields(p) for p in paths]
    times = iso_utc_texts([f.pop("time") for f in fields], [f["source_path"] for f in fields])
    for f, t in zip(fields, times, strict=True):
        check_time_text(t, "ISOTime", f["source_path"])
    return [Alert.read(f, t) for f, t in zip(fields, times, strict=True)]


def _read_fields(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The :class:`Alert` keywords of one notice, its ISOTime as the file's text."""
    root = _parse_bytes(_read_bytes(path), path)
    ivorn = root.get("ivorn")
    if ivorn is None:
        raise InputError("VOEvent has no ivorn attribute", path, "ivorn")
    sections = _sections(root)
    what = _read_what(sections.get("What"), path)
    fields = _read_who(sections.get("Who"))
    fields.update(_read_wherewhen(sections.get("WhereWhen"), path))
    fields.update(_read_how_why_citations(sections))
    fields["ivorn"], fields["_what_raw"], fields["source_path"] = ivorn, what, str(path)
    fields["role"], fields["version"] = root.get("role", "observation"), root.get("version", "2.0")
    return fields


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, at most about :data:`MAX_BYTES` + 1 of them.

    A regular file is read in one ``read`` of its size, with no Python file object; a pipe or
    a file that grows is read on in blocks until its end or past :data:`MAX_BYTES`.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            data = os.read(fd, min(size, MAX_BYTES) + 1)
            if len(data) > size:  # more than the size said (a pipe, a growing file): read on
                parts, n = [data], len(data)
                while n <= MAX_BYTES and (block := os.read(fd, 65536)):
                    parts.append(block)
                    n += len(block)
                data = b"".join(parts)
            return data
        finally:
            os.close(fd)
    except OSError as err:
        raise InputError(f"cannot read notice: {err.strerror}", path) from err


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
    _sub(instant, "ISOTime", alert.time_iso)
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
