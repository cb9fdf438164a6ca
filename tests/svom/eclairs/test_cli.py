import json

import pytest
from typer.testing import CliRunner

from fcspace.svom.eclairs.cli import app

runner = CliRunner()
CONTRACT = ("time", "met", "timescale_s", "band_kev", "snr", "ra", "dec", "err_radius_deg",
            "trigger_type", "theta_deg", "phi_deg")  # fmt: skip


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    path = tmp_path_factory.mktemp("ecl") / "events.fits"
    res = runner.invoke(app, ["simulate", "--out", str(path), "--theta", "6", "--phi", "200",
                              "--peak-flux", "3", "--exposure", "90", "--t0", "72",
                              "--seed", "4", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["events"] > 300_000 and out["source_events"] > 1000
    return path


def test_trigger_json_contract_and_alerts(events, tmp_path):
    vo, gcn = tmp_path / "vo", tmp_path / "gcn"
    res = runner.invoke(app, ["trigger", str(events), "--json", "--att-ra", "120", "--att-dec",
                              "45", "--voevent", str(vo), "--gcn-json", str(gcn)])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["n_triggers"] == len(out["triggers"]) >= 1
    for trig in out["triggers"]:
        assert all(key in trig for key in CONTRACT)
    first = next(t for t in out["triggers"] if t["trigger_type"] == "CRT")
    assert abs(first["met"] - 72.0) < 5.0
    assert first["ra"] is not None and len(first["band_kev"]) == 2
    assert len(list(vo.glob("*.xml"))) == len(list(gcn.glob("*.json"))) == out["n_triggers"]
    doc = json.loads(next(gcn.glob("*.json")).read_text())
    assert doc["instrument"] == "ECLAIRs" and doc["ra"] == pytest.approx(first["ra"])


def test_trigger_without_attitude_has_no_radec(events):
    res = runner.invoke(app, ["trigger", str(events), "--json"])
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)["triggers"][-1]
    assert first["ra"] is None and first["dec"] is None and first["theta_deg"] < 10


def test_image_writes_fits_and_png(events, tmp_path):
    out = tmp_path / "sky.fits"
    res = runner.invoke(app, ["image", str(events), "--t-start", "72", "--t-stop", "78",
                              "--band-low", "8", "--band-high", "120", "--out", str(out),
                              "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    loc = json.loads(res.stdout)
    assert out.exists() and out.with_suffix(".png").exists()
    assert loc["snr"] > 10 and abs(loc["theta_deg"] - 6.0) < 1.0


def test_bad_input_exits_2(tmp_path):
    res = runner.invoke(app, ["trigger", str(tmp_path / "missing.fits"), "--json"])
    assert res.exit_code == 2
    bad = tmp_path / "bad.fits"
    bad.write_text("not a fits file")
    assert runner.invoke(app, ["image", str(bad), "--out", str(tmp_path / "s.fits")]).exit_code == 2
    res = runner.invoke(app, ["simulate", "--out", str(tmp_path / "x.fits"), "--exposure", "-1"])
    assert res.exit_code == 2


def test_trigger_rejects_half_attitude(events):
    res = runner.invoke(app, ["trigger", str(events), "--att-ra", "10", "--json"])
    assert res.exit_code == 2


def test_pointing_stored_by_simulate_gives_sky_positions(tmp_path):
    from fcspace.svom.eclairs.localize import angular_distance_deg
    from fcspace.svom.frames import instrument_to_radec

    path = tmp_path / "pointed.fits"
    res = runner.invoke(app, ["simulate", "--out", str(path), "--theta", "10", "--phi", "30",
                              "--peak-flux", "4", "--exposure", "90", "--t0", "72", "--seed", "5",
                              "--att-ra", "150", "--att-dec", "-20",
                              "--att-roll", "10"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(runner.invoke(app, ["trigger", str(path), "--json"]).stdout)
    assert out["attitude"] == [150.0, -20.0, 10.0]
    crt = next(t for t in out["triggers"] if t["trigger_type"] == "CRT")
    # the truth direction through the same attitude: within a few r90 of the trigger position
    ra, dec = instrument_to_radec(10.0, 30.0, 150.0, -20.0, 10.0)
    sep = angular_distance_deg(90 - crt["dec"], crt["ra"], 90 - float(dec), float(ra))
    assert sep < 3 * crt["err_radius_deg"]
