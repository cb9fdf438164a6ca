"""VOEvent 2.0 notices on disk: safe XML reading and writing in the FSC layout.

Reading expands no entity, reads no DTD, touches no network and refuses any DOCTYPE/ENTITY
declaration (billion-laughs and XXE attacks); writing is atomic and lossless
(``read_voevent(write_voevent(a, p)) == a``). The tree and the strings taken from it are
:mod:`fcspace.svom.alerts.notice_tree`'s job; a process that keeps reading notices of the same
layouts reads them without a tree (:mod:`fcspace.svom.alerts.layouts`), with the same result.

References
----------
IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11,
https://www.ivoa.net/documents/VOEvent/.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from fcspace.core.errors import InputError
from fcspace.core.products import atomic_path
from fcspace.svom.alerts.checks import check_params, check_position, check_time_text
from fcspace.svom.alerts.isotime import iso_utc_texts
from fcspace.svom.alerts.layouts import LAYOUTS
from fcspace.svom.alerts.model import Alert, Group, Param
from fcspace.svom.alerts.notice_tree import (
    VOEVENT_NS,
    Gathered,
    parser,
    read_notice_bytes,
)

__all__ = ["read_voevent", "read_voevents", "voevent_bytes", "write_voevent"]

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{VOEVENT_NS} http://www.ivoa.net/xml/VOEvent/VOEvent-v2.0.xsd"


def _position(texts: tuple[str | None, str | None, str | None],
              path: str | os.PathLike[str]) -> dict[str, Any]:  # fmt: skip
    """RA, Dec and error radius (None: GRM's -1, unknown) from the Position2D texts, checked."""
    c1, c2, err = texts
    try:
        ra, dec = float(c1), float(c2)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err_:
        raise InputError("Position2D lacks a numeric C1/C2", path, "Position2D") from err_
    try:
        radius = None if err is None or float(err) < 0 else float(err)
    except ValueError as err_:
        raise InputError(f"Error2Radius {err!r} is not a number", path, "Error2Radius") from err_
    check_position(ra, dec, radius, path)
    return {"ra": ra, "dec": dec, "err_radius_deg": radius}


def _fields(g: Gathered, path: str | os.PathLike[str]) -> dict[str, Any]:
    """The :class:`Alert` keywords of a notice's strings, checked; its ISOTime still text."""
    check_params(g.params, path)
    fields = {
        "author_ivorn": g.author_ivorn, "date": g.date, "author": g.author, "time": g.iso_time,
        "observatory_id": g.observatory_id, "coord_system_id": g.coord_system_id,
        "how_description": g.how_description, "how_references": g.how_references,
        "why_xml": g.why_xml, "citations": g.citations,
        "citations_description": g.citations_description, "ivorn": g.ivorn,
        "_what_raw": g.what, "source_path": str(path), "role": g.role, "version": g.version,
    }  # fmt: skip
    if g.position is not None:
        fields.update(_position(g.position, path))
    return fields


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
    collector little to scan (about 8 tracked objects an alert instead of 35). A notice whose
    markup the process has learnt (:mod:`fcspace.svom.alerts.layouts`: after ``LEARN_AFTER``
    notices of a layout) is read without an XML tree, to the same result and the same checks.

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
    return _fields(LAYOUTS.gather(read_notice_bytes(path), path), path)  # maybe with no tree


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
        root.append(etree.fromstring(alert.why_xml.encode(), parser()))
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
