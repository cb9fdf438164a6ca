"""Reading notices makes no astropy Time (issue 13); batches read like single notices."""

import dataclasses
import sys

import pytest

from fcspace.core.errors import InputError
from fcspace.svom.alerts import make_alert, read_voevent, read_voevents, write_voevent
from fcspace.svom.alerts.isotime import IsoUtc, iso_utc, iso_utc_texts, to_utc_time
from fcspace.svom.alerts.model import Alert, Param
from fcspace.testing.data import shared_file

NOTICES = sorted(shared_file("svom/voevents").glob("*/*.xml"))

FORMS = ["2026-02-11T19:24:23.604Z", "2026-02-11T19:24:23", "2026-02-11T19:24", "2026-02-11",
         "2026-02-11T19:24:23.6041239", "2016-12-31T23:59:60.5", " 2026-02-11T19:24:23.1 ",
         "1999-12-31T23:59:59.999999"]  # fmt: skip
BAD = ["2026-02-11 19:24:23.604", "2026-02-30T00:00:00", "abc", "2026-02-11T24:00:00",
       "2026-02-11T19:24:23+01:00", "2026-13-01T00:00:00", ""]  # fmt: skip


def test_iso_texts_equal_astropy_formatting():
    assert iso_utc_texts(FORMS) == [iso_utc(to_utc_time(f)) for f in FORMS]
    assert all(isinstance(t, IsoUtc) for t in iso_utc_texts(FORMS))


@pytest.mark.parametrize("bad", BAD)
def test_bad_iso_text_is_an_input_error_naming_its_file(bad):
    with pytest.raises(InputError, match="ISO 8601") as info:
        iso_utc_texts(["2026-02-11T19:24:23.604", bad], ["good.xml", "bad.xml"])
    assert "bad.xml" in str(info.value) and "ISOTime" in str(info.value)


@pytest.mark.shared_data
def test_a_batch_reads_like_single_notices_and_makes_no_time():
    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    batch = read_voevents(NOTICES)
    assert all(a.__dict__["_time_time"] is None for a in batch)  # no astropy Time made
    singles = [read_voevent(p) for p in NOTICES]
    assert batch == singles
    for a in batch:
        t = a.time  # made now, once, from the kept text
        assert t.scale == "utc" and a.time is t and iso_utc(t) == a.time_iso
    assert [p.name for p in a.iter_params()] == [p.name for p in singles[-1].iter_params()]


def test_time_field_takes_time_or_text_and_stays_frozen():
    text = Alert(ivorn="x", what=(), time="2026-02-11T19:24:23.604Z")
    given = Alert(ivorn="x", what=(), time=to_utc_time("2026-02-11T19:24:23.604"))
    assert text == given and text.time_iso == "2026-02-11T19:24:23.604000"
    assert text.time.isot == "2026-02-11T19:24:23.604"
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.time = "2026-01-01T00:00:00"
    with pytest.raises(TypeError, match="time"):
        Alert(ivorn="x", what=())
    moved = dataclasses.replace(text, ivorn="y")
    assert moved.time_iso == text.time_iso and moved != text
    with pytest.raises(InputError, match="ISO 8601"):
        Alert(ivorn="x", what=(), time="not a time")


def test_fast_constructors_equal_the_dataclass_ones(tmp_path):
    snr = Param("SNR", "12.8", "sigma", "stat.snr")
    assert (snr.name, snr.value, snr.unit, snr.ucd, snr.data_type) == (
        "SNR",
        "12.8",
        "sigma",
        "stat.snr",
        None,
    )
    with pytest.raises(AttributeError):
        snr.value = "13"
    made = make_alert(86.9755, -0.4379, "2026-02-11T19:24:23.604", 12.79, timescale_s=40.96)
    back = read_voevent(write_voevent(made, tmp_path / "a.xml"))
    fields = {f.name: getattr(back, f.name) for f in dataclasses.fields(Alert) if f.name != "time"}
    assert Alert.read(fields, IsoUtc(back.time_iso)) == back == made
    assert back.param("SNR").value == "12.79" and back.param("nope") is None


def test_reading_imports_no_astropy_time():
    import subprocess

    code = ("import sys\nfrom fcspace.svom.alerts import read_voevents, alert_to_dict\n"
            f"a = read_voevents({[str(p) for p in NOTICES[:5]]!r})\n"
            "d = [alert_to_dict(x) for x in a if x.ra is None]\n"
            "print('astropy.time' in sys.modules)")  # fmt: skip
    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.shared_data
def test_read_params_stay_plain_tuples_until_used():
    import gc

    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    alert = read_voevents(NOTICES[:1])[0]
    raw = alert.__dict__["_what_raw"]
    gc.collect()
    assert not any(gc.is_tracked(p) for p in raw if len(p) == 5)  # untracked by the collector
    what = alert.what  # made now, once
    assert "_what_raw" not in alert.__dict__ and alert.what is what
    flat = [p for i in what for p in (i.params if hasattr(i, "params") else (i,))]
    assert all(type(p) is Param for p in flat) and flat[0].name == "Packet_Type"
    assert [tuple(p) for p in flat] == [tuple(p) for p in alert.iter_params()]


@pytest.mark.shared_data
def test_a_notice_is_read_from_a_pipe(tmp_path):
    import os
    import threading

    if not NOTICES:
        pytest.skip("real SVOM notices absent")
    fifo = tmp_path / "notice.fifo"
    os.mkfifo(fifo)
    data = NOTICES[0].read_bytes()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data))
    writer.start()
    got = read_voevent(fifo)
    writer.join()
    assert got == read_voevent(NOTICES[0])


@pytest.mark.shared_data
def test_alerts_share_their_param_names_units_and_ucds():
    """Names, units and UCDs are interned: alerts held in memory share one string of each."""
    if len(NOTICES) < 2:
        pytest.skip("real SVOM notices absent")
    first, second = (a.__dict__["_what_raw"] for a in read_voevents(NOTICES[:2]))
    assert first[0][0] == second[0][0] == "Packet_Type" and first[0][0] is second[0][0]
    assert first[0][3] == second[0][3] == "meta.id" and first[0][3] is second[0][3]
