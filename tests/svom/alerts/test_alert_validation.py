"""Issue 14: notices with impossible fields are refused, naming the file and the field.

Each bad VOEvent is a real (or made) notice with one value string replaced in the XML text, so
the rest of the document is exactly as FSC published it; each bad GCN JSON notice is the real
schema example (or a written notice) with one field changed.
"""

import json
import re

import pytest

from fcspace.core.errors import InputError
from fcspace.svom.alerts import read_gcn_json, read_voevent, write_gcn_json, write_voevent
from fcspace.testing.data import require_shared

ECLAIRS = "svom/voevents/eclairs"


def _notice(tmp_path, made):
    """A real ECLAIRs notice with a position when ../shared has one, else a made one."""
    try:
        folder = require_shared(ECLAIRS)
    except pytest.skip.Exception:
        return write_voevent(made(err_radius_deg=0.1), tmp_path / "made.xml")
    for path in sorted(folder.glob("*.xml")):
        if read_voevent(path).err_radius_deg is not None:
            return path
    pytest.skip("no ECLAIRs notice with a position")


def _replace(src, dst, pattern, new):
    text, n = re.subn(pattern, new, src.read_text(encoding="utf-8"), count=1)
    assert n == 1, pattern
    dst.write_text(text, encoding="utf-8")
    return dst


def _param(name):
    return rf'(<Param name="{name}" value=")[^"]*(")'


def _refused(reader, path, field, *words):
    with pytest.raises(InputError) as err:
        reader(path)
    assert err.value.path == str(path) and str(path) in str(err.value)
    assert err.value.variable == field
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize(
    ("pattern", "value", "field", "words"),
    [(r"(<C2>)[^<]*(</C2>)", "200.0", "dec", ("dec = 200.0 outside [-90.0, 90.0]",)),
     (r"(<C1>)[^<]*(</C1>)", "NaN", "ra", ("not finite",)),
     (_param("SNR"), "inf", "SNR", ("SNR = 'inf' is not finite",)),
     (_param("Packet_Type"), "999", "Packet_Type", ("outside [201, 219]",)),
     (r"(<Error2Radius>)[^<]*(</Error2Radius>)", "abc", "Error2Radius", ("'abc'",
                                                                        "not a number")),
     (_param("Attitude_Dec"), "-91", "Attitude_Dec", ("outside",)),
     (_param("Moon_Angle"), "abc", "Moon_Angle", ("not a number",)),
     (r"(<ISOTime>)[^<]*(</ISOTime>)", "1850-01-01T00:00:00", "ISOTime",
      ("outside the mission",))],
)  # fmt: skip
def test_impossible_voevent_fields(tmp_path, made, pattern, value, field, words):
    src = _notice(tmp_path, made)
    bad = _replace(src, tmp_path / f"bad_{field}.xml", pattern, rf"\g<1>{value}\g<2>")
    _refused(read_voevent, bad, field, *words)


def test_real_notices_all_pass_the_checks():
    notices = sorted(require_shared("svom/voevents").glob("*/*.xml"))
    assert len(notices) >= 40
    for path in notices:
        alert = read_voevent(path)
        assert alert.packet_type in (201, 202, 203, 204, 205, 209, 210, 219)


def test_entity_attacks_still_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
                    '<voe:VOEvent xmlns:voe="http://www.ivoa.net/xml/VOEvent/v2.0">&lol;'
                    "</voe:VOEvent>")  # fmt: skip
    with pytest.raises(InputError, match="DOCTYPE") as err:
        read_voevent(bomb)
    assert err.value.path == str(bomb)


# ------------------------------------------------------------------------------- GCN JSON
def _example(tmp_path):
    try:
        return require_shared("svom/gcn_schema_svom/grm/trigger.example.json")
    except pytest.skip.Exception:
        return None


@pytest.fixture
def gcn(tmp_path, made):
    real = _example(tmp_path)
    if real is not None:
        return real
    return write_gcn_json(made(err_radius_deg=0.1), tmp_path / "made.json")


def test_good_gcn_json_reads(gcn):
    doc = read_gcn_json(gcn)
    assert doc == json.loads(gcn.read_text())


def test_gcn_json_against_the_schema(tmp_path):
    schema = require_shared("svom/gcn_schema_svom")
    for path in sorted(schema.glob("*/*.example.json")):
        assert read_gcn_json(path, schema_dir=schema)["id"]
    doc = json.loads((schema / "grm" / "trigger.example.json").read_text())
    bad = tmp_path / "wrong_type.json"
    bad.write_text(json.dumps(doc | {"alert_type": "sometimes"}))
    with pytest.raises(InputError, match="GCN JSON invalid") as err:
        read_gcn_json(bad, schema_dir=schema)
    assert err.value.path == str(bad) and "alert_type" in str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("dec", 200, "dec = 200 outside"), ("ra", "abc", "not a number"),
     ("rate_snr", -1.0, "outside"), ("ra_dec_error", 400.0, "outside [0.0, 180.0]"),
     ("rate_energy_range", [550, 15], "not increasing"), ("instrument", "XRT", "not an SVOM"),
     ("trigger_time", "yesterday", "not an ISO 8601 time"),
     ("trigger_time", "1850-01-01T00:00:00", "outside the mission")],
)  # fmt: skip
def test_impossible_gcn_fields(gcn, tmp_path, field, value, words):
    doc = json.loads(gcn.read_text())
    bad = tmp_path / f"bad_{field}.json"
    bad.write_text(json.dumps(doc | {field: value}))
    _refused(read_gcn_json, bad, field, words)


def test_gcn_json_nan_deep_large_and_truncated(gcn, tmp_path):
    doc = json.loads(gcn.read_text())
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(doc | {"ra": float("nan")}))  # NaN literal: not JSON
    for path, word in (
        (nan, "NaN is not a JSON number"),
        (tmp_path / "deep.json", "nested deeper"),
        (tmp_path / "large.json", "at most"),
        (tmp_path / "cut.json", "not a readable JSON notice"),
        (tmp_path / "list.json", "JSON object"),
    ):
        if path.name == "deep.json":
            path.write_text("[" * 500 + "]" * 500)
        elif path.name == "large.json":
            path.write_text(" " * 1_000_001 + "{}")
        elif path.name == "cut.json":
            path.write_text(gcn.read_text()[:40])
        elif path.name == "list.json":
            path.write_text("[1, 2]")
        with pytest.raises(InputError, match=word) as err:
            read_gcn_json(path)
        assert err.value.path == str(path)
