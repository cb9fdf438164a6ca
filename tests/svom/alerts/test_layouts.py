"""Learnt notice layouts read exactly what the XML tree reads, or decline (issue 13)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.svom.alerts import make_alert, read_voevents, voevent, voevent_bytes
from fcspace.svom.alerts.layouts import NoticeLayouts, _cut
from fcspace.svom.alerts.notice_tree import gather, parse_notice
from fcspace.testing.data import shared_file

NOTICES = sorted(shared_file("svom/voevents").glob("*/*.xml"))
MADE = voevent_bytes(make_alert(86.9755, -0.4379, "2026-02-11T19:24:23.604", 12.79,
                                timescale_s=40.96, band_kev=(5.0, 20.0)))  # fmt: skip
# Characters that change what XML means: quotes, markup, references, whitespace XML
# normalises, controls, non-ASCII, the probe's mark, "]]>"
TRICKY = [*" aZ09.:-+/#\"'&<>;=]!?\n\t\r\x00\x7féé€\ud800", "fcsLayoutSlot1Q", "]]>", "&amp;",
          "&#60;", "<!--"]  # fmt: skip


def _tree(raw: bytes):
    """What the tree reader gathers from ``raw``, or None when it refuses it."""
    try:
        return gather(parse_notice(raw, "b.xml"), "b.xml")
    except Exception:  # noqa: BLE001 (any refusal)
        return None


def _learnt(raw: bytes) -> NoticeLayouts:
    layouts = NoticeLayouts(learn_after=1)
    assert layouts.learn(raw, _tree(raw))
    return layouts


def _with_slots(raw: bytes, data, most: int) -> bytes:  # noqa: ANN001 (hypothesis data)
    """``raw`` with up to ``most`` of its slots replaced by strings drawn from TRICKY."""
    literals, slots, _ = _cut(raw.decode("ascii"))
    for i in data.draw(st.lists(st.integers(0, len(slots) - 1), max_size=most)):
        slots[i] = data.draw(st.lists(st.sampled_from(TRICKY), max_size=6).map("".join))
    text = literals[0] + "".join(s + lit for s, lit in zip(slots, literals[1:], strict=True))
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture
def by_tree(monkeypatch):
    """The real notices read through the tree alone (skips when absent)."""
    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    monkeypatch.setattr(voevent, "LAYOUTS", NoticeLayouts(learn_after=10**9))
    return read_voevents(NOTICES)


def _sound(layouts: NoticeLayouts, raw: bytes) -> bool:
    """The layouts read ``raw`` as the tree does, or decline; never accept what it refuses."""
    fast = layouts.match(raw)
    return fast is None or fast == _tree(raw)


def test_a_made_notice_is_learnt_and_read_back_exactly():
    layouts = _learnt(MADE)
    assert len(layouts) == 1
    assert layouts.match(MADE) == _tree(MADE)
    other = voevent_bytes(make_alert(200.5, 33.25, "2027-05-01T00:00:01.5", 7.5,
                                     timescale_s=1.28, band_kev=(4.0, 120.0)))  # fmt: skip
    got = layouts.match(other)
    assert got is not None and got == _tree(other)  # same markup, other values
    assert got.position == ("200.5000", "33.2500", got.position[2])


@pytest.mark.shared_data
def test_every_real_notice_reads_the_same_through_its_layout():
    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    layouts = NoticeLayouts(learn_after=1)
    raws = [p.read_bytes() for p in NOTICES]
    for raw in raws:
        if layouts.match(raw) is None:
            layouts.learn(raw, _tree(raw))
    assert len(layouts) == 18  # the FSC layouts among the 49 notices
    fast = [layouts.match(raw) for raw in raws]
    assert all(g is not None for g in fast)
    assert fast == [_tree(raw) for raw in raws]
    # interned names are the tree's objects: alerts held share them
    assert fast[0].params[0][0] is _tree(raws[0]).params[0][0]


@pytest.mark.shared_data
def test_read_voevents_with_learnt_layouts_equals_the_tree_reader(monkeypatch, by_tree):
    monkeypatch.setattr(voevent, "LAYOUTS", NoticeLayouts(learn_after=1))
    read_voevents(NOTICES)  # learns
    assert len(voevent.LAYOUTS) == 18
    assert read_voevents(NOTICES) == by_tree
    assert [a.what for a in read_voevents(NOTICES)] == [a.what for a in by_tree]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_slot_strings_read_as_the_tree_reads_them_or_are_declined(data):
    assert _sound(_learnt(MADE), _with_slots(MADE, data, 4))


@pytest.mark.shared_data
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_real_layouts_read_any_slot_strings_as_the_tree_or_decline(data):
    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    raw = data.draw(st.sampled_from(NOTICES)).read_bytes()
    assert _sound(_learnt(raw), _with_slots(raw, data, 6))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(MADE)), st.integers(0, 3), st.sampled_from(TRICKY))
def test_any_markup_change_is_declined_or_read_as_the_tree_reads_it(at, cut, put):
    layouts = _learnt(MADE)
    text = MADE.decode("ascii")
    raw = (text[:at] + put + text[at + cut:]).encode("utf-8", "surrogatepass")
    assert _sound(layouts, raw)


def test_values_that_mean_something_else_in_xml_are_declined():
    layouts = _learnt(MADE)
    for value in ['a&amp;b', "a\tb", "  12.5", "", "12.5 "]:
        raw = MADE.replace(b">86.9755<", f">{value}<".encode())
        assert raw != MADE and layouts.match(raw) is None  # the tree strips, drops, expands
    raw = MADE.replace(b'value="12.79"', b'value="a b"')  # a plain attribute value is read
    assert layouts.match(raw) == _tree(raw)


def test_a_bad_value_read_through_a_layout_is_the_same_error(monkeypatch, tmp_path):
    monkeypatch.setattr(voevent, "LAYOUTS", NoticeLayouts(learn_after=1))
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(MADE)
    bad.write_bytes(MADE.replace(b'value="12.79"', b'value="-3"'))
    read_voevents([good])  # learns the layout
    assert voevent.LAYOUTS.match(bad.read_bytes()) is not None
    with pytest.raises(InputError, match="SNR") as fast:
        read_voevents([bad])
    monkeypatch.setattr(voevent, "LAYOUTS", NoticeLayouts(learn_after=10**9))
    with pytest.raises(InputError, match="SNR") as tree:
        read_voevents([bad])
    assert str(fast.value) == str(tree.value) and "bad.xml" in str(fast.value)


@pytest.mark.parametrize("change", [
    (b"<Who>", b"<Who><!-- note -->"),  # a comment
    (b"<Who>", b"<Who><?pi x?>"),  # a processing instruction
    (b"FSC", "FSC\u00e9".encode()),  # not ASCII
    (b"<Date>", b"<Date>a&amp;"),  # a reference
])  # fmt: skip
def test_notices_a_layout_cannot_read_exactly_are_not_learnt(change):
    raw = MADE.replace(*change, 1)
    assert raw != MADE and _tree(raw) is not None
    assert not NoticeLayouts(learn_after=1).learn(raw, _tree(raw))


def test_learning_waits_for_repeats_and_stops_at_the_cap():
    layouts = NoticeLayouts(learn_after=3, max_layouts=1)
    tree = _tree(MADE)
    assert [layouts.learn(MADE, tree) for _ in range(3)] == [False, False, True]
    assert len(layouts) == 1 and layouts.match(MADE) == tree
    other = MADE.replace(b"<Who>", b"<Who><AuthorIVORN>x</AuthorIVORN>")
    assert not any(layouts.learn(other, _tree(other)) for _ in range(6))  # cap reached
    layouts.clear()
    assert len(layouts) == 0 and layouts.match(MADE) is None


def test_gather_reads_through_the_tree_until_a_layout_is_learnt():
    layouts = NoticeLayouts(learn_after=2)
    assert layouts.gather(MADE, "a.xml") == _tree(MADE) and len(layouts) == 0
    assert layouts.gather(MADE, "a.xml") == _tree(MADE) and len(layouts) == 1  # learnt now
    assert layouts.gather(MADE, "a.xml") == layouts.match(MADE) == _tree(MADE)
    with pytest.raises(InputError, match="malformed") as info:
        layouts.gather(MADE[:-40], "cut.xml")  # a truncated notice: the tree's error
    assert "cut.xml" in str(info.value)
    huge = MADE.replace(b"SVOM", b"S" * 1_000_000, 1)  # matches the layout, too large a notice
    assert layouts.match(huge) is None
    with pytest.raises(InputError, match="too large"):
        layouts.gather(huge, "huge.xml")


@pytest.mark.shared_data
def test_threads_learning_and_reading_together_read_what_the_tree_reads(monkeypatch, by_tree):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(voevent, "LAYOUTS", NoticeLayouts(learn_after=2))
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: read_voevents(NOTICES), range(16)))
    assert all(run == by_tree for run in runs)
    assert 0 < len(voevent.LAYOUTS) <= 64
