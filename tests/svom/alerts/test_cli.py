"""``fcspace alert``: read a real notice as JSON, make notices, report bad input."""

import json

import pytest
from typer.testing import CliRunner

from fcspace.svom.alert_cli import app
from fcspace.svom.alerts import read_voevent
from fcspace.testing.data import shared_file

runner = CliRunner()


@pytest.mark.shared_data
def test_cli_read_json(real):
    path = shared_file("svom/voevents/eclairs/eclairs_296.xml")
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
