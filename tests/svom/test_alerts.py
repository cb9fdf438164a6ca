"""SVOM VOEvent / GCN JSON alerts: real notices, round trips, computed angles, safety."""

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fcspace.core.errors import InputError
from fcspace.svom import alerts
from fcspace.svom.alert_cli import app
from fcspace.svom.alerts import (
    eclairs_r90_deg,
    make_alert,
    read_voevent,
    sky_angles,
    to_gcn_json,
    validate_gcn_json,
    write_gcn_json,
    write_voevent,
)
from fcspace.testing.data import shared_file

SHARED_DATA = shared_file()
SVOM = SHARED_DATA / "svom"
SCHEMA_DIR = SVOM / "gcn_schema_svom"
NOTICES = sorted((SVOM / "voevents").glob("*/*.xml"))
_skip_without_data = pytest.mark.skipif(not SVOM.is_dir(), reason=f"real SVOM data absent: {SVOM}")


def needs_data(test):
    return pytest.mark.shared_data(_skip_without_data(test))


by_name = pytest.mark.parametrize("path", NOTICES, ids=[p.name for p in NOTICES])
PACKETS = {201, 202, 203, 204, 205, 209, 210, 219}
runner = CliRunner()


@pytest.fixture(scope="module")
def real():
    if not NOTICES:
        pytest.skip(f"real SVOM notices absent: {SVOM}")
    return {p.name: read_voevent(p) for p in NOTICES}


def _made(**kw):
    base = dict(
        ra=86.9755,
        dec=-0.4379,
        time="2026-02-11T19:24:23.604",
        snr=12.79,
        timescale_s=40.96,
        band_kev=(5.0, 20.0),
        attitude_ra=114.17,
        attitude_dec=22.7,
        attitude_roll=78.74,
    )
    return make_alert(**(base | kw))


# ---------------------------------------------------------------- reading real notices


@needs_data
@by_name
def test_every_real_notice_reads_like_the_peer_parser(path):
    oracle = pytest.importorskip("gcn_notice_parser.svom")
    raw = path.read_bytes()
    if oracle.is_svom_retraction(raw):
        peer = oracle.parse_svom_retraction(raw)
    else:
        parse = {
            "eclairs": oracle.parse_svom_eclairs,
            "grm": oracle.parse_svom_grm_trigger,
            "mxt": oracle.parse_svom_mxt,
        }[path.parent.name]
        peer = parse(raw)
    a = read_voevent(path)
    assert a.packet_type in PACKETS and a.packet_type == int(peer.packet_type)
    assert (a.instrument, a.burst_id, a.ivorn) == (peer.instrument, peer.burst_id, peer.ivorn)
    assert a.time.scale == "utc"
    assert abs((a.time.datetime - peer.burst_datetime.replace(tzinfo=None)).total_seconds()) < 1e-6
    assert (a.ra, a.dec) == (peer.ra, peer.dec)
    peer_err = peer.error_radius if peer.error_radius is None or peer.error_radius >= 0 else None
    assert a.err_radius_deg == peer_err
    names = (
        "snr",
        "galactic_lon",
        "galactic_lat",
        "moon_angle",
        "sun_angle",
        "attitude_ra",
        "attitude_dec",
        "attitude_roll",
    )
    for name in names:
        assert getattr(a, name) == getattr(peer, name, None), name
    if getattr(peer, "timescale", None) is not None:
        assert a.timescale_s == peer.timescale
        assert a.band_kev == (peer.lower_energy_bound, peer.upper_energy_bound)


@needs_data
def test_known_values_of_three_notices(real):
    e = real["eclairs_296.xml"]
    assert (e.packet_type, e.instrument, e.burst_id) == (202, "ECLAIRs", "sb26021102")
    assert e.time.isot == "2026-02-11T19:24:23.604"
    assert (e.ra, e.dec, e.err_radius_deg) == (86.9755, -0.4379, 0.1057)
    assert (e.snr, e.timescale_s, e.band_kev, e.trigger_type) == (12.79, 40.96, (5.0, 20.0), "IMT")
    assert (e.attitude_ra, e.attitude_dec, e.attitude_roll) == (114.17, 22.70, 78.74)
    g = real["grm_284.xml"]
    assert (g.packet_type, g.instrument, g.ra, g.err_radius_deg, g.moon_angle) == (
        201,
        "GRM",
        None,
        None,
        None,
    )
    r = real["grm_287.xml"]
    assert r.packet_type == 219 and r.citations[0] == (
        "ivo://org.svom/fsc#sb26020303_grm-trigger",
        "retraction",
    )
    assert r.how_description is None and r.citations_description.startswith("Determined")
    assert real["mxt_40.xml"].param("ECLAIRs_Angle").unit == "arcmin"


@needs_data
def test_grm_unknown_error_radius_reads_as_none(real):
    with_pos = [a for a in real.values() if a.instrument == "GRM" and a.ra is not None]
    assert with_pos, "some GRM notices carry a position with Error2Radius = -1"
    assert all(a.err_radius_deg is None for a in with_pos)


# ----------------------------------------------------------------------- round trips


@needs_data
@by_name
def test_real_notice_written_and_read_back_is_identical(path, tmp_path):
    a = read_voevent(path)
    b = read_voevent(write_voevent(a, tmp_path / "out.xml"))
    assert b == a
    assert [(p.name, p.value, p.unit, p.ucd) for p in b.iter_params()] == [
        (p.name, p.value, p.unit, p.ucd) for p in a.iter_params()
    ]
    text = (tmp_path / "out.xml").read_text()
    assert 'AstroCoords coord_system_id="UTC-ICRS-GEO"' in text
    assert ("<Error2Radius>-1.0000</Error2Radius>" in text) == (
        a.ra is not None and a.err_radius_deg is None
    )


def test_made_alert_round_trips_through_voevent(tmp_path):
    a = _made(sat_longitude=112.3, sat_latitude=-2.46, sat_altitude=621.27)
    assert read_voevent(write_voevent(a, tmp_path / "a.xml")) == a
    g = make_alert(None, None, "2026-02-04T10:11:30", 91.4, instrument="GRM", timescale_s=1.0)
    back = read_voevent(write_voevent(g, tmp_path / "g.xml"))
    assert back == g and back.ra is None and back.packet_type == 201


@settings(max_examples=12, deadline=None)
@given(
    st.floats(0, 360, exclude_max=True),
    st.floats(-90, 90),
    st.floats(5.0, 500.0),
    st.integers(0, 10 * 365 * 86400),
)
def test_make_alert_round_trip_and_angle_ranges(ra, dec, snr, seconds):
    # ISO strings up to 2035: past the leap-second table, which make_alert must handle
    t = (datetime(2025, 1, 1) + timedelta(seconds=seconds, microseconds=seconds % 997)).isoformat()
    a = make_alert(ra, dec, t, snr)
    assert alerts.alert_to_dict(a)["time"][:19] == t[:19]
    assert read_voevent_bytes(alerts.voevent_bytes(a)) == a
    assert 0 <= a.moon_angle <= 180 and 0 <= a.sun_angle <= 180
    assert 0 <= a.galactic_lon < 360.005 and -90 <= a.galactic_lat <= 90
    assert a.err_radius_deg == pytest.approx(eclairs_r90_deg(snr))
    assert a.err_radius_deg >= 2 / 60


def read_voevent_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "n.xml"
        p.write_bytes(data)
        return read_voevent(p)


# ------------------------------------------------ angles and r90 against real notices


def _angle_diff(a, b):
    return abs((a - b + 180) % 360 - 180)


@needs_data
def test_make_alert_reproduces_galactic_moon_sun_of_every_notice(real):
    worst = {}
    for name, n in real.items():
        if n.moon_angle is None:
            continue
        made = make_alert(n.ra, n.dec, n.time, n.snr or 10.0, err_radius_deg=0.1)
        exact = sky_angles(n.ra, n.dec, n.time)
        for key in ("galactic_lon", "galactic_lat", "moon_angle", "sun_angle"):
            assert _angle_diff(getattr(made, key), getattr(n, key)) <= 0.0100001, (name, key)
            worst[key] = max(worst.get(key, 0), _angle_diff(exact[key], getattr(n, key)))
    assert len([n for n in real.values() if n.moon_angle is not None]) >= 30
    # unrounded values are within the notices' own 0.005° rounding (max seen ~0.0049°)
    assert max(worst.values()) <= 0.0051, worst


@needs_data
def test_eclairs_r90_formula_reproduces_every_eclairs_error_radius(real):
    eclairs = [n for n in real.values() if n.instrument == "ECLAIRs"]
    assert len(eclairs) >= 18
    diffs = [abs(eclairs_r90_deg(n.snr) - n.err_radius_deg) for n in eclairs]
    assert max(diffs) <= 1.5e-4  # notices round SNR to 0.01 and the radius to 1e-4°
    made = [make_alert(n.ra, n.dec, n.time, n.snr).err_radius_deg for n in eclairs]
    assert max(abs(m - n.err_radius_deg) for m, n in zip(made, eclairs, strict=False)) <= 1.5e-4


def test_r90_known_values_and_bad_snr():
    assert eclairs_r90_deg(1e9) == pytest.approx(2 / 60)
    assert eclairs_r90_deg(77.0) == pytest.approx(5**0.5 / 60)
    for bad in (0.0, -3.0, float("nan"), float("inf")):
        with pytest.raises(InputError, match="SNR"):
            eclairs_r90_deg(bad)


def test_make_alert_packet_types_and_inputs():
    assert _made().packet_type == 202 and _made().ivorn.endswith("#sb26021101_eclairs-wakeup")
    assert _made(packet_type=204, burst_id="sb26021102").ivorn.endswith("sb26021102_slewing")
    mxt = make_alert(10, 20, "2026-02-25T09:36:39", 42, instrument="MXT", err_radius_deg=0.06)
    assert (mxt.packet_type, mxt.err_radius_deg, mxt.timescale_s) == (209, 0.06, None)
    with pytest.raises(InputError, match="err_radius_deg"):
        make_alert(10, 20, "2026-02-25T09:36:39", 42, instrument="MXT")
    assert _made(stage="not-slewing").packet_type == 205
    assert _made(stage="catalog").ivorn.endswith("_eclairs-catalog")
    mxt_update = make_alert(
        1, 2, "2026-01-01", 30, instrument="MXT", stage="update", err_radius_deg=0.01
    )
    assert mxt_update.packet_type == 210
    with pytest.raises(InputError, match="stage"):
        _made(stage="landed")
    with pytest.raises(InputError, match="unknown detection"):
        _made(colour="blue")
    with pytest.raises(InputError, match="instrument"):
        _made(instrument="BAT")
    with pytest.raises(InputError, match="position"):
        make_alert(None, None, "2026-01-01T00:00:00", 9)
    with pytest.raises(InputError, match="ISO"):
        make_alert(1, 2, "yesterday", 9)


# ------------------------------------------------------------------------- GCN JSON


@needs_data
def test_schema_examples_validate_with_the_offline_registry():
    examples = sorted(SCHEMA_DIR.glob("*/*.example.json"))
    assert len(examples) == 5
    for path in examples:
        validate_gcn_json(json.loads(path.read_text()), SCHEMA_DIR)
    doc = json.loads(examples[0].read_text())
    with pytest.raises(InputError, match="unexpected|Unevaluated|not allowed"):
        validate_gcn_json(doc | {"not_a_field": 1}, SCHEMA_DIR)
    with pytest.raises(InputError, match="ra"):
        validate_gcn_json(doc | {"ra": "12h"}, SCHEMA_DIR)
    with pytest.raises(InputError, match="slew_status"):
        validate_gcn_json(doc | {"slew_status": "requested"}, SCHEMA_DIR)


@needs_data
def test_every_real_notice_converts_to_valid_gcn_json(real, tmp_path):
    examples = {p.stem: json.loads(p.read_text()) for p in SCHEMA_DIR.glob("*/*.example.json")}
    for _name, a in real.items():
        doc = to_gcn_json(a)
        validate_gcn_json(doc, SCHEMA_DIR)
        assert doc["id"] == [a.burst_id] and doc["instrument"] == a.instrument
    wake = to_gcn_json(real["eclairs_296.xml"])
    ref = examples["trigger.wakeup.example"]
    assert set(ref) - {"alert_tense"} <= set(wake)  # same fields as the FSC example
    assert wake["slew_status"] == "not_requested" and wake["image_energy_range"] == [5.0, 20.0]
    grm = to_gcn_json(real["grm_284.xml"])
    assert grm["triggered_GRDs"] == [True, False, True] and "ra" not in grm
    assert to_gcn_json(real["grm_287.xml"])["alert_type"] == "retraction"
    assert to_gcn_json(real["eclairs_300.xml"])["alert_type"] == "update"
    out = write_gcn_json(real["eclairs_296.xml"], tmp_path / "n.json")
    assert json.loads(out.read_text()) == wake


def test_made_alert_gcn_json_is_valid():
    doc = to_gcn_json(_made())
    assert doc["ra_dec_error"] == pytest.approx(eclairs_r90_deg(12.79))
    if SCHEMA_DIR.is_dir():
        validate_gcn_json(doc, SCHEMA_DIR)


# --------------------------------------------------------------------- bad input


GOOD = alerts.voevent_bytes(make_alert(1.0, 2.0, "2026-01-01T00:00:00", 10.0))

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<voe:VOEvent xmlns:voe="http://www.ivoa.net/xml/VOEvent/v2.0" ivorn="ivo://x#y">
<What><Param name="Packet_Type" value="&lol9;"/></What></voe:VOEvent>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<voe:VOEvent xmlns:voe="http://www.ivoa.net/xml/VOEvent/v2.0" ivorn="&xxe;"/>"""


def _without(data: bytes, needle: bytes) -> bytes:
    lines = [line for line in data.splitlines(keepends=True) if needle not in line]
    return b"".join(lines)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<voe:VOEvent xmlns:voe='http://www.ivoa.net/xml/VOEvent/v2.0'><What>", "malformed"),
        (GOOD[: len(GOOD) // 2], "malformed or truncated"),
        (b"", "malformed"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (XXE, "DOCTYPE"),
        (GOOD.replace(b"voe:VOEvent", b"voe:Other"), "root element"),
        (GOOD.replace(b"VOEvent/v2.0", b"VOEvent/v1.1"), "root element"),
        (_without(GOOD, b'"Burst_Id"'), "Burst_Id"),
        (_without(GOOD, b'"Packet_Type"'), "Packet_Type"),
        (_without(GOOD, b"ISOTime"), "ISOTime"),
        (GOOD.replace(b'value="202"', b'value="x"'), "Packet_Type"),
    ],
    ids=[
        "malformed",
        "truncated",
        "empty",
        "billion-laughs",
        "xxe",
        "wrong-root",
        "wrong-namespace",
        "no-burst-id",
        "no-packet-type",
        "no-isotime",
        "bad-packet",
    ],
)
def test_bad_xml_raises_input_error_naming_the_file(tmp_path, data, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        read_voevent(path)
    assert str(path) in str(info.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_voevent(tmp_path / "none.xml")


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    target = tmp_path / "n.xml"
    bad = alerts.with_params(_made(), SNR="bad\x00value")
    with pytest.raises(InputError, match="cannot write"):
        write_voevent(bad, target)
    assert list(tmp_path.iterdir()) == []

    target.write_text("old")

    def explode(self, data):
        Path.write_text(self, "partial")
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", explode)
    with pytest.raises(OSError, match="disk full"):
        write_voevent(_made(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["n.xml"] and target.read_text() == "old"


# ---------------------------------------------------------------------------- CLI


@needs_data
def test_cli_read_json(real):
    path = SVOM / "voevents/eclairs/eclairs_296.xml"
    result = runner.invoke(app, ["read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["packet_type"], doc["instrument"], doc["time"]) == (
        202,
        "ECLAIRs",
        "2026-02-11T19:24:23.604000",
    )
    assert doc["band_kev"] == [5.0, 20.0] and doc["params"]["Slew_Status"] == "not-requested"
    assert 0 < doc["theta_deg"] < 60  # inside the ECLAIRs field of view


def test_cli_make_and_errors(tmp_path):
    args = [
        "make",
        "--ra",
        "86.9755",
        "--dec",
        "-0.4379",
        "--time",
        "2026-02-11T19:24:23.604",
        "--snr",
        "12.79",
        "--timescale",
        "40.96",
        "--band-low",
        "5",
        "--band-high",
        "20",
    ]
    out = tmp_path / "n.xml"
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    a = read_voevent(out)
    assert (a.packet_type, a.moon_angle) == (202, 149.61)
    assert a.err_radius_deg == pytest.approx(0.1057, abs=5e-5)
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["image_snr"] == 12.79
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "<voe:VOEvent" in result.output
    result = runner.invoke(app, [*args, "--instrument", "BAT"])
    assert result.exit_code == 2 and "instrument" in result.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<oops")
    result = runner.invoke(app, ["read", str(bad), "--json"])
    assert result.exit_code == 2 and "malformed" in result.output
