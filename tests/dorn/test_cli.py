from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from fcspace.dorn.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("dorn")
    spectra, fits = d / "spectra.nc", d / "fits.nc"
    res = runner.invoke(app, ["simulate", "--out", str(spectra), "--seed", "2", "--hours", "3",
                              "--spectra", "8", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    sim = json.loads(res.output)
    res = runner.invoke(app, ["fit", str(spectra), "--out", str(fits), "--json"])
    assert res.exit_code == 0, res.output
    return d, spectra, fits, sim, json.loads(res.output)


def test_simulate_and_fit_json(files) -> None:
    _, spectra, fits, sim, fit = files
    assert spectra.is_file() and fits.is_file()
    assert sim["spectra_per_view"] == 8 and sim["total_counts"] > 0
    assert fit["n_fits"] == 16 and len(fit["fits"]) == 16
    row = fit["fits"][0]
    assert {"view", "local_time", "gain", "gain_sigma", "lines"} <= set(row)
    assert {"activity", "activity_sigma", "detection_limit"} <= set(row["lines"]["Rn-222"])


def test_invert_json(files) -> None:
    _, _, fits, _, _ = files
    res = runner.invoke(app, ["invert", str(fits), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"flux", "flux_sigma", "q", "q_sigma", "pull_flux", "pull_q"} <= set(out)
    assert abs(out["pull_flux"]) < 3 and abs(out["pull_q"]) < 3


def test_quicklook_writes_pngs(files) -> None:
    d, spectra, _, _, _ = files
    png = d / "dorn_ql.png"
    res = runner.invoke(app, ["quicklook", str(spectra), "--out", str(png), "--atoms", "1000"])
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert (d / "dorn_ql_radon_map.png").read_bytes()[:4] == b"\x89PNG"


def test_bad_input_exit_2_and_no_partial_file(files, tmp_path) -> None:
    _, spectra, _, _, _ = files
    res = runner.invoke(app, ["invert", str(tmp_path / "missing.nc"), "--json"])
    assert res.exit_code == 2
    out = tmp_path / "x.nc"
    res = runner.invoke(app, ["simulate", "--out", str(out), "--hours", "-1", "--json"])
    assert res.exit_code == 2
    assert list(tmp_path.iterdir()) == []
    junk = tmp_path / "junk.nc"
    junk.write_text("not netcdf")
    res = runner.invoke(app, ["fit", str(junk), "--out", str(tmp_path / "f.nc"), "--json"])
    assert res.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.nc"]
    res = runner.invoke(app, ["invert", str(spectra), "--json"])  # spectra are not fits
    assert res.exit_code == 2
