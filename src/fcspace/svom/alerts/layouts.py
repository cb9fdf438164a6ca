"""Notice layouts: reading a notice whose markup has been seen before without an XML tree.

The FSC writes every notice of a kind from one template: two ECLAIRs N1e notices differ only in
the texts of leaf elements (times, C1, C2, ...) and in the ``value``, ``ivorn``, ``uri`` and
``cite`` attributes. Once a process has read enough notices of a layout through the tree (the
break-even of learning, :data:`LEARN_AFTER`), it learns the layout from the next one and reads
later notices of that layout with string searches instead of an lxml tree: a whole read then
costs about half the machine instructions (0.49 M a notice against 1.02 M, checks included;
``benchmarks/svom_notices_instructions.py``).

The result is the tree reader's, exactly. A layout is the notice's text cut into *literals* (all
markup, including whitespace between tags) and *slots* (those attribute values and non-blank
leaf texts). A notice matches when its text is the literals in order with any slot strings
between them, every slot printable ASCII without ``&``, ``<`` or ``>`` (an attribute value also
without ``"``, a text non-empty with no space at either end). Such a notice is well-formed
exactly when the learnt one was (same markup; the slots add no markup, entity, character
reference, CDATA end, control character or whitespace that XML would normalise), and its tree
is the learnt one with the slot strings put in. Which field of
:class:`~fcspace.svom.alerts.notice_tree.Gathered` each slot fills is found by parsing a
*probe*: the learnt notice with a unique marker in every slot, read by
:func:`~fcspace.svom.alerts.notice_tree.gather`. A notice is only learnt when it is ASCII, has
no comment, CDATA, DOCTYPE or processing instruction, every one of its slots passes the test
above, and the learnt layout gives back, from its own slots, exactly what the tree gave. A
notice that matches no layout is read through the tree (and may be learnt).

References
----------
W3C, "Extensible Markup Language (XML) 1.0 (Fifth Edition)", 2008: §2.2 (characters), §2.4
(character data: ``<``, ``&`` and ``]]>``), §3.1 (attribute values), §3.3.3 (attribute-value
normalisation), §4.1 (references).
"""

from __future__ import annotations

import operator
import os
import re
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from fcspace.svom.alerts.notice_tree import MAX_BYTES, Gathered, gather, parse_notice

__all__ = ["LAYOUTS", "LEARN_AFTER", "MAX_LAYOUTS", "NoticeLayouts"]

#: Notices with the same number of tags read through the tree before their layout is learnt.
#: Learning costs about what 8 reads through the tree cost (~1 ms) and saves about half of
#: each later read, so it pays once ~14 more notices of the layout come; a layout seen 16 times is
#: likely to be seen as many more (a batch of a few dozen notices never pays for it).
LEARN_AFTER = 16
#: Layouts kept per process (a few kB each; the FSC has about twenty).
MAX_LAYOUTS = 64

_SLOT = re.compile(r'\s(?:value|ivorn|uri|cite)="([^"]*)"|>([^<>]*)</')
_ATTR_CHARS = "[ !#-%'-;=?-~]"  # printable ASCII but " & < >
_TEXT = "[!-%'-;=?-~](?:[ -%'-;=?-~]*[!-%'-;=?-~])?"  # printable ASCII but & < >, no end space
_ATTR_SLOT, _TEXT_SLOT = re.compile(f"{_ATTR_CHARS}*"), re.compile(_TEXT)
# Every slot of a notice in one test: each is joined after a mark saying its kind, a character
# no slot holds (slots are ASCII, the marks not)
_ATTR_MARK, _TEXT_MARK = "\x80", "\x81"
_SLOTS_OK = re.compile(f"(?:{_ATTR_MARK}{_ATTR_CHARS}*|{_TEXT_MARK}{_TEXT})*")
_DECLARATION = re.compile(r"""<\?xml version=(["'])1\.0\1( encoding=(["'])(UTF-8|utf-8)\3)?\?>""")
_MARK = "fcsLayoutSlot"


class _Layout(NamedTuple):
    head: str  # the text before the first slot
    steps: tuple[tuple[str, str], ...]  # per slot: its end character, the literal after it
    marks: tuple[str, ...]  # per slot: _ATTR_MARK (attribute value) or _TEXT_MARK (leaf text)
    build: Callable[[list[str]], Gathered]


class _NotLearnable(Exception):
    """The notice is outside what a layout can read exactly (see the module docstring)."""


class NoticeLayouts:
    """The layouts a process has learnt, by number of tags (thread-safe).

    Parameters
    ----------
    learn_after
        Notices of a tag count read through the tree before one of them is learnt.
    max_layouts
        Layouts kept; later ones are not learnt.
    """

    def __init__(self, learn_after: int = LEARN_AFTER, max_layouts: int = MAX_LAYOUTS) -> None:
        self.learn_after, self.max_layouts = learn_after, max_layouts
        self._by_tags: dict[int, list[_Layout]] = {}
        self._seen: dict[int, int] = {}
        self._count = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    def clear(self) -> None:
        """Forget every layout and count."""
        with self._lock:
            self._by_tags, self._seen, self._count = {}, {}, 0

    def gather(self, raw: bytes, path: str | os.PathLike[str]) -> Gathered:
        """What :func:`~fcspace.svom.alerts.notice_tree.gather` takes from ``raw``'s tree.

        By a learnt layout when one matches, else through the tree (the notice then counts
        towards learning its layout). InputError as :func:`parse_notice` and ``gather``.
        """
        tags = raw.count(b"<")
        gathered = self.match(raw, tags)
        if gathered is not None:
            return gathered
        gathered = gather(parse_notice(raw, path), path)
        self._learn_when_due(raw, gathered, tags)
        return gathered

    def match(self, raw: bytes, tags: int | None = None) -> Gathered | None:
        """The tree's :class:`Gathered` of ``raw`` by a learnt layout; None if none matches.

        ``tags``: ``raw.count(b"<")`` when the caller has it.
        """
        if len(raw) > MAX_BYTES:  # the tree refuses it: so must a layout
            return None
        found = self._by_tags.get(raw.count(b"<") if tags is None else tags)
        if found and raw.isascii():
            text = raw.decode("ascii")
            for layout in found:
                slots = _match(text, layout)
                if slots is not None:
                    return layout.build(slots)
        return None

    def learn(self, raw: bytes, gathered: Gathered) -> bool:
        """Count a notice read through the tree; learn its layout when due. True if learnt."""
        return self._learn_when_due(raw, gathered, raw.count(b"<"))

    def _learn_when_due(self, raw: bytes, gathered: Gathered, tags: int) -> bool:
        with self._lock:
            seen = self._seen[tags] = self._seen.get(tags, 0) + 1
            if seen < self.learn_after or self._count >= self.max_layouts:
                return False
            self._seen[tags] = 0  # a notice that cannot be learnt is retried only as often
        try:
            layout = _learn(raw, gathered)
        except _NotLearnable:
            return False
        with self._lock:
            if self._count >= self.max_layouts:
                return False
            self._by_tags[tags] = [*self._by_tags.get(tags, []), layout]  # readers see old or new
            self._count += 1
        return True


def _match(text: str, layout: _Layout) -> list[str] | None:
    """The slot strings of ``text`` in ``layout``, or None when it does not match exactly."""
    if not text.startswith(layout.head):
        return None
    pos = len(layout.head)
    find, startswith = text.find, text.startswith
    slots = []
    for end_char, literal in layout.steps:
        end = find(end_char, pos)  # a slot holds no end character: the first one ends it
        if end < 0 or not startswith(literal, end):
            return None
        slots.append(text[pos:end])
        pos = end + len(literal)
    if pos != len(text):
        return None
    return slots if _SLOTS_OK.fullmatch("".join(map(str.__add__, layout.marks, slots))) else None


def _cut(text: str) -> tuple[list[str], list[str], list[str]]:
    """The notice's literals (one more than slots), slot strings and slot marks."""
    literals, slots, marks = [], [], []
    pos = 0
    for m in _SLOT.finditer(text):
        is_attr = m.group(1) is not None
        start, end = m.span(1 if is_attr else 2)
        if not is_attr and not text[start:end].strip():
            continue  # whitespace between tags stays markup
        if not (_ATTR_SLOT if is_attr else _TEXT_SLOT).fullmatch(text, start, end):
            raise _NotLearnable
        literals.append(text[pos:start])
        slots.append(text[start:end])
        marks.append(_ATTR_MARK if is_attr else _TEXT_MARK)
        pos = end
    literals.append(text[pos:])
    return literals, slots, marks


def _learn(raw: bytes, gathered: Gathered) -> _Layout:
    """The layout of a notice the tree read as ``gathered``; _NotLearnable if it has none."""
    if not raw.isascii() or b"<!" in raw or b"&" in raw:
        raise _NotLearnable
    text = raw.decode("ascii")
    declaration = _DECLARATION.match(text)
    if text.find("<?", declaration.end() if declaration else 0) >= 0 or _MARK in text:
        raise _NotLearnable  # a processing instruction, or the probe's marks already there
    literals, slots, marks = _cut(text)
    probe = literals[0] + "".join(f"{_MARK}{i}Q{lit}" for i, lit in enumerate(literals[1:]))
    try:
        probed = gather(parse_notice(probe.encode("ascii"), "<layout probe>"), "<layout probe>")
    except Exception as err:  # noqa: BLE001 (any failure: not learnable, read by the tree)
        raise _NotLearnable from err
    build = _compile(probed, len(slots))
    if build(slots) != gathered:
        raise _NotLearnable
    steps = tuple((lit[0], lit) for lit in literals[1:])
    return _Layout(literals[0], steps, tuple(marks), build)


class _Source:
    """Python source of a layout's build function (slot ``i`` is ``z[i]``), constants aside."""

    def __init__(self, n_slots: int) -> None:
        self.marks = {f"{_MARK}{i}Q": i for i in range(n_slots)}
        self.constants: dict[str, Any] = {"_new": tuple.__new__, "_Gathered": Gathered,
                                          "_zip": zip}  # fmt: skip

    def constant(self, value: Any) -> str:
        name = f"c{len(self.constants)}"
        self.constants[name] = value  # the tree's own string objects (interned names stay shared)
        return name

    def expression(self, x: Any) -> str:
        if x is None:
            return "None"
        if isinstance(x, tuple):
            return "(" + "".join(self.expression(i) + ", " for i in x) + ")"
        if not isinstance(x, str):
            raise _NotLearnable
        if x in self.marks:
            return f"z[{self.marks[x]}]"
        if _MARK in x:  # a slot inside a longer string (the Why section's XML): not a slot
            raise _NotLearnable
        return self.constant(x)

    def column(self, values: tuple) -> str:
        """One attribute of every Param: one C call when all are slots, else a display."""
        slots = [self.marks.get(v) for v in values]
        if len(slots) > 1 and None not in slots:
            return self.constant(operator.itemgetter(*slots)) + "(z)"
        text = self.expression(values)
        return text if "z[" in text else self.constant(values)

    def what(self, probed: Gathered) -> str:
        """``what`` from ``P``, the Params in document order (the tree shares their tuples)."""
        index = {id(p): k for k, p in enumerate(probed.params)}
        items = []
        for item in probed.what:
            if len(item) == 5:
                items.append(f"P[{index[id(item)]}]")
            else:
                first = index[id(item[1][0])] if item[1] else 0
                items.append(f"({self.expression(item[0])}, P[{first}:{first + len(item[1])}])")
        return "(" + "".join(i + ", " for i in items) + ")"


def _compile(probed: Gathered, n_slots: int) -> Callable[[list[str]], Gathered]:
    """A function making the :class:`Gathered` of a notice from its slot strings.

    Written as Python source and compiled once per layout: per notice it is then a few tuple
    displays and one ``zip`` of the Params' columns, all in C.
    """
    source = _Source(n_slots)
    params = probed.params
    columns = (", ".join(source.column(c) for c in zip(*params, strict=True)) if params
               else "(), (), (), (), ()")  # fmt: skip
    fields = [source.expression(v) for v in probed]
    fields[Gathered._fields.index("what")] = source.what(probed)
    fields[Gathered._fields.index("params")] = "P"
    text = (f"def build(z):\n    P = tuple(_zip({columns}))\n"
            f"    return _new(_Gathered, ({', '.join(fields)},))\n")  # fmt: skip
    exec(compile(text, "<notice layout>", "exec"), source.constants)  # noqa: S102 (our source)
    return source.constants["build"]


#: The process's layouts, used by :func:`fcspace.svom.alerts.voevent.read_voevents`.
LAYOUTS = NoticeLayouts()
