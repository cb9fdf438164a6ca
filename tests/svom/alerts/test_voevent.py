"""VOEvent 2.0 reading and writing: every real notice, round trips, safety against bad XML."""

from pathlib import Path

import pytest

from fcspace.core.errors import InputError
from fcspace.svom import alerts
from fcspace.svom.alerts import make_alert, read_voevent, write_voevent
from fcspace.testing.data import shared_file

NOTICES = sorted(shared_file("svom/voevents").glob("*/*.xml"))
by_name = pytest.mark.parametrize("path", NOTICES, ids=[p.name for p in NOTICES])
PACKETS = {201, 202, 203, 204, 205, 209, 210, 219}


# ---------------------------------------------------------------- reading real notices


@pytest.mark.shared_data
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


@pytest.mark.shared_data
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


@pytest.mark.shared_data
def test_grm_unknown_error_radius_reads_as_none(real):
    with_pos = [a for a in real.values() if a.instrument == "GRM" and a.ra is not None]
    assert with_pos, "some GRM notices carry a position with Error2Radius = -1"
    assert all(a.err_radius_deg is None for a in with_pos)


# ----------------------------------------------------------------------- round trips


@pytest.mark.shared_data
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


def test_made_alert_round_trips_through_voevent(tmp_path, made):
    a = made(sat_longitude=112.3, sat_latitude=-2.46, sat_altitude=621.27)
    assert read_voevent(write_voevent(a, tmp_path / "a.xml")) == a
    g = make_alert(None, None, "2026-02-04T10:11:30", 91.4, instrument="GRM", timescale_s=1.0)
    back = read_voevent(write_voevent(g, tmp_path / "g.xml"))
    assert back == g and back.ra is None and back.packet_type == 201


def test_comments_are_not_fields_and_sections_are_read_in_one_walk(tmp_path, made):
    """Comments anywhere are skipped (an Author comment is no Author field); How, Citations."""
    a = made()
    data = alerts.voevent_bytes(a).replace(b"<shortName>", b"<!-- c --><shortName>")
    data = data.replace(b"<How>", b"<How><!-- c --><Reference uri='https://x.org/a'/>")
    citations = (b"<Citations><Description>d</Description>"
                 b"<EventIVORN cite='followup'>ivo://x#1</EventIVORN></Citations>")  # fmt: skip
    data = data.replace(b"</WhereWhen>", b"</WhereWhen>" + citations)
    path = tmp_path / "c.xml"
    path.write_bytes(data)
    back = read_voevent(path)
    assert back.author == a.author and all(isinstance(t, str) for t, _ in back.author)
    assert back.how_references == ("https://x.org/a", *a.how_references)
    assert back.how_description == a.how_description
    assert back.citations == (("ivo://x#1", "followup"),) and back.citations_description == "d"
    assert read_voevent(write_voevent(back, tmp_path / "again.xml")) == back


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


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch, made):
    target = tmp_path / "n.xml"
    bad = alerts.with_params(made(), SNR="bad\x00value")
    with pytest.raises(InputError, match="cannot write"):
        write_voevent(bad, target)
    assert list(tmp_path.iterdir()) == []

    target.write_text("old")

    def explode(self, data):
        Path.write_text(self, "partial")
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", explode)
    with pytest.raises(OSError, match="disk full"):
        write_voevent(made(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["n.xml"] and target.read_text() == "old"
