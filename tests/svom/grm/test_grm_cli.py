import json

import pytest
from typer.testing import CliRunner

from fcspace.svom.grm.cli import app
from fcspace.testing.data import shared_file

runner = CliRunner()
SHARED = shared_file()
GBM_TTE = SHARED / "svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit"


@pytest.fixture(scope="module")
def sim_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("grm") / "sim.nc"
    res = runner.invoke(
        app,
        [
            "simulate",
            "--out",
            str(out),
            "--duration",
            "60",
            "--grb-at",
            "30",
            "--peak-flux",
            "20",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["events"] > 100000
    return out


def test_trigger_json_on_simulation(sim_file):
    res = runner.invoke(app, ["trigger", str(sim_file), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert len(out["triggers"]) == 1
    trig = out["triggers"][0]
    for key in ("time", "met", "timescale_s", "band_kev", "snr", "detectors"):
        assert key in trig
    assert trig["time"].startswith("2025-01-01T00:00:3")


def test_localize_and_lightcurve(sim_file, tmp_path):
    res = runner.invoke(app, ["localize", str(sim_file), "--json"])
    assert res.exit_code == 0, res.output
    loc = json.loads(res.output)["triggers"][0]["localization"]
    assert abs(loc["theta_deg"] - 20.0) < 15.0
    png = tmp_path / "lc.png"
    res = runner.invoke(app, ["lightcurve", str(sim_file), "--out", str(png)])
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_file_exit_code(tmp_path):
    bad = tmp_path / "bad.fits"
    bad.write_bytes(b"SIMPLE  =                    T" + b" " * 50)
    res = runner.invoke(app, ["trigger", str(bad), "--json"])
    assert res.exit_code == 2
    assert "bad.fits" in res.output


@pytest.mark.shared_data
def test_trigger_real_gbm():
    if not GBM_TTE.exists():
        pytest.skip(f"real data not available: {GBM_TTE} (../shared/data is absent)")
    res = runner.invoke(app, ["trigger", str(GBM_TTE), "--json"])
    assert res.exit_code == 0, res.output
    trig = json.loads(res.output)["triggers"]
    assert len(trig) == 1 and abs(trig[0]["met"] - 332916465.760476) < 1.0
