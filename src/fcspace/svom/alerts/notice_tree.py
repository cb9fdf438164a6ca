"""A VOEvent 2.0 notice's XML tree: safe parsing, and the strings a notice reader takes from it.

:func:`parse_notice` parses safely (no entity expansion, no DTD, no network; any DOCTYPE or
ENTITY declaration refused: billion-laughs and XXE attacks). :func:`gather` walks the tree once
and returns every string :func:`fcspace.svom.alerts.voevent.read_voevent` uses, as the file holds
them (a :class:`Gathered`); converting them to numbers and checking their ranges is the reader's
job. The two steps are apart so that :mod:`fcspace.svom.alerts.layouts` can make the same
:class:`Gathered` without a tree for a notice whose markup it has seen before.

References
----------
IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11,
https://www.ivoa.net/documents/VOEvent/, §2 (document structure).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, NamedTuple

from lxml import etree

from fcspace.core.errors import InputError

__all__ = ["MAX_BYTES", "VOEVENT_NS", "Gathered", "gather", "parse_notice", "parser",
           "read_notice_bytes"]  # fmt: skip

VOEVENT_NS = "http://www.ivoa.net/xml/VOEvent/v2.0"
MAX_BYTES = 1_000_000  # a notice is ~3 kB; anything this big is not a notice
_ROOT_TAG = f"{{{VOEVENT_NS}}}VOEvent"
_PARSERS = threading.local()  # an lxml parser must not be shared between threads

RawParam = tuple[str | None, str | None, str | None, str | None, str | None]
# A Param is read as RawParam, (name, value, unit, ucd, dataType): a plain tuple of strings,
# which the garbage collector stops tracking (a Param, a tuple subclass, stays tracked). Its
# name, unit and UCD come from a small vocabulary ("Packet_Type", "deg", "meta.id"): they are
# interned (sys.intern; still freed once unused), so that alerts held in memory share them
# (resident memory per alert kept: 9.9 kB before, 6.4 kB after). The ``get`` calls are
# written out in _gather_what: a helper call per Param costs ~10 % more instructions.


class Gathered(NamedTuple):
    """Every string a notice reader takes from a VOEvent, as in the file (texts stripped).

    ``what`` is the raw form of :meth:`fcspace.svom.alerts.model.Alert.read` (a Param its
    ``RawParam`` tuple, a Group ``(name, (params...))``), ``params`` the same Params flattened
    in document order; ``position`` is None without a Position2D, else the texts of C1, C2 and
    Error2Radius (None where absent).
    """

    ivorn: str
    role: str
    version: str
    author_ivorn: str | None
    date: str | None
    author: tuple[tuple[str, str], ...]
    what: tuple[tuple, ...]
    params: tuple[RawParam, ...]
    observatory_id: str
    coord_system_id: str
    iso_time: str
    position: tuple[str | None, str | None, str | None] | None
    how_description: str | None
    how_references: tuple[str, ...]
    why_xml: str | None
    citations: tuple[tuple[str, str], ...]
    citations_description: str | None


def parser() -> etree.XMLParser:
    """The calling thread's XML parser (lxml): no entity expansion, no DTD, no network."""
    found = getattr(_PARSERS, "parser", None)
    if found is None:
        found = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_blank_text=True,  # fewer nodes to build and walk
            collect_ids=False,  # no ID hash table: nothing looks elements up by ID
        )
    return found


def read_notice_bytes(path: str | os.PathLike[str]) -> bytes:
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


def parse_notice(raw: bytes, path: str | os.PathLike[str]) -> etree._Element:
    """The root ``voe:VOEvent`` of a notice's bytes, parsed safely; InputError otherwise."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"{len(raw)} bytes is too large for a VOEvent notice", path)
    # "!" is found by memchr, far quicker than a search for "<!" among a notice's many "<"
    if b"!" in raw and (b"<!DOCTYPE" in raw or b"<!ENTITY" in raw):
        raise InputError("DOCTYPE/ENTITY declarations are refused (entity expansion)", path)
    try:
        root = etree.fromstring(raw, parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"malformed or truncated XML: {err}", path) from err
    if root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 DOCTYPE
        raise InputError("DOCTYPE declarations are refused (entity expansion)", path)
    if root.tag != _ROOT_TAG:
        raise InputError(f"root element is {root.tag!r}, expected voe:VOEvent 2.0", path)
    return root


def _text(node: etree._Element | None) -> str | None:
    return None if node is None or node.text is None else node.text.strip()


_SECTIONS = ("Who", "What", "WhereWhen", "How", "Why", "Citations")


def _sections(root: etree._Element) -> dict[str, etree._Element]:
    """The first child of ``root`` of each VOEvent section tag (one walk, filtered in C)."""
    found: dict[str, etree._Element] = {}
    for node in root.iterchildren(*_SECTIONS):
        found.setdefault(node.tag, node)
    return found


def _gather_what(what: etree._Element | None, path: str | os.PathLike[str]) -> tuple[Any, Any]:
    """``What`` in the raw form of :meth:`Alert.read`, and its Params flattened."""
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
    return tuple(items), tuple(flat)


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


def _gather_wherewhen(ww: etree._Element | None, path: str | os.PathLike[str]) -> tuple:
    """(observatory id, coordinate system id, ISOTime text, position texts or None)."""
    loc, observation = _firsts(_child(ww, "ObsDataLocation"), "ObservatoryLocation",
                               "ObservationLocation")  # fmt: skip
    coords = _child(observation, "AstroCoords")
    time, pos = _firsts(coords, "Time", "Position2D")
    iso = _text(_child(time, "TimeInstant", "ISOTime"))
    if iso is None:
        raise InputError("no WhereWhen/.../AstroCoords/Time/TimeInstant/ISOTime", path)
    position = None
    if pos is not None:
        value, error = _firsts(pos, "Value2", "Error2Radius")
        c1, c2 = _firsts(value, "C1", "C2")
        position = (_text(c1), _text(c2), _text(error))
    observatory = "GEOLEO" if loc is None else loc.get("id", "GEOLEO")
    return observatory, coords.get("coord_system_id", "UTC-ICRS-GEO"), iso, position  # type: ignore[union-attr]


def _gather_who(who: etree._Element | None) -> tuple:
    ivorn, date, author = _firsts(who, "AuthorIVORN", "Date", "Author")
    intern = sys.intern  # the Author's tags and texts repeat from notice to notice
    fields = [] if author is None else [c for c in author if isinstance(c.tag, str)]
    pairs = tuple((intern(c.tag), intern(c.text or "")) for c in fields)  # no comments, PIs
    return _text(ivorn), _text(date), pairs


def _description_and_all(node: etree._Element | None, tag: str) -> tuple[Any, list[Any]]:
    """The first ``Description`` child of ``node`` and every child of ``tag``, in one walk."""
    description, found = None, []
    for child in () if node is None else node:
        if child.tag == tag:
            found.append(child)
        elif description is None and child.tag == "Description":
            description = child
    return description, found


def gather(root: etree._Element, path: str | os.PathLike[str]) -> Gathered:
    """Every string the notice reader takes from the tree of :func:`parse_notice`.

    Raises
    ------
    InputError
        No ``ivorn`` attribute, no ``What`` section or no ``ISOTime`` (naming the file).
    """
    ivorn = root.get("ivorn")
    if ivorn is None:
        raise InputError("VOEvent has no ivorn attribute", path, "ivorn")
    sections = _sections(root)
    what, params = _gather_what(sections.get("What"), path)
    author_ivorn, date, author = _gather_who(sections.get("Who"))
    observatory, coord_system, iso, position = _gather_wherewhen(sections.get("WhereWhen"), path)
    how, why, cit = sections.get("How"), sections.get("Why"), sections.get("Citations")
    how_description, references = _description_and_all(how, "Reference")
    cit_description, cites = _description_and_all(cit, "EventIVORN")
    return Gathered(
        ivorn, root.get("role", "observation"), root.get("version", "2.0"),
        author_ivorn, date, author, what, params, observatory, coord_system, iso, position,
        _text(how_description), tuple([r.get("uri", "") for r in references]),
        None if why is None else etree.tostring(why, encoding="unicode"),
        tuple([(_text(c) or "", c.get("cite", "")) for c in cites]), _text(cit_description),
    )  # fmt: skip
