"""``fcspace swim`` commands end to end: simulate → process → validate / info / quicklook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fcspace.cfosat.swim.cli import app
from fcspace.testing.data import shared_file

runner = CliRunner()
SHARED_DATA = shared_file()
L2P = SHARED_DATA / "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc"


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("swim_cli")
    l1, l2 = folder / "swim_L1.nc", folder / "swim_L2.nc"
    sim = _json(
        runner.invoke(app, ["simulate", "--out", str(l1), "--boxes", "10", "--seed", "3", "--json"])
    )
    proc = _json(runner.invoke(app, ["process", str(l1), "--out", str(l2), "--json"]))
    return folder, sim, proc


@pytest.fixture(scope="module")
def l2p() -> Path:
    if not L2P.exists():
        pytest.skip(f"real data not available: {L2P} (../shared/data is absent on this machine)")
    return L2P


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("simulate", "process", "validate", "info", "quicklook"):
        assert command in result.output


def test_simulate_and_process_write_products(chain):
    folder, sim, proc = chain
    assert sim["n_box"] == 10 and sim["waveforms"] > 500 and sim["beams"] == [6.0, 8.0, 10.0]
    assert proc["n_box"] == 10 and proc["boxes_with_valid_nadir_swh"] == 10
    assert proc["cells_with_valid_spectrum"] == [20, 20, 20]
    assert sorted(p.name for p in folder.iterdir()) == ["swim_L1.nc", "swim_L2.nc"]


def test_validate_json_keys_and_values(chain):
    folder, _, _ = chain
    res = _json(runner.invoke(app, ["validate", str(folder / "swim_L2.nc"), "--json"]))
    for key in (
        "n",
        "swh_bias",
        "swh_rmse",
        "peak_wavelength_rel_error",
        "peak_dir_error_deg",
        "nadir_n",
        "nadir_swh_bias",
        "nadir_swh_rmse",
        "systems",
        "beams",
    ):
        assert key in res, key
    assert res["n"] == 20 and res["nadir_n"] == 10
    assert res["nadir_swh_rmse"] < 0.1
    assert res["systems"]["swell"]["peak_wavelength_rel_error"] < 0.1
    beam = _json(
        runner.invoke(app, ["validate", str(folder / "swim_L2.nc"), "--spectrum", "10", "--json"])
    )
    assert beam["spectrum"] == "10" and beam["n"] == 20


def test_info_json_on_simulated_l2(chain):
    folder, _, _ = chain
    res = _json(runner.invoke(app, ["info", str(folder / "swim_L2.nc"), "--json"]))
    assert res["n_box"] == 10 and res["beams"] == [6.0, 8.0, 10.0]
    assert res["time_start"].startswith("2022-02-26")


def test_quicklook_writes_both_pngs(chain, tmp_path):
    folder, _, _ = chain
    out = tmp_path / "ql.png"
    res = _json(
        runner.invoke(app, ["quicklook", str(folder / "swim_L2.nc"), "--out", str(out), "--json"])
    )
    nadir = tmp_path / "ql_nadir_swh.png"
    assert res["spectrum_png"] == str(out) and res["nadir_png"] == str(nadir)
    for png in (out, nadir):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the storm peak is mid-segment: the largest nadir SWH is in a middle box
    assert 3 <= res["box"] <= 6
    chosen = runner.invoke(
        app, ["quicklook", str(folder / "swim_L2.nc"), "--out", str(out), "--box", "0"]
    )
    assert chosen.exit_code == 0 and str(out) in chosen.output


@pytest.mark.shared_data
def test_info_and_quicklook_on_the_real_l2p(l2p, tmp_path):
    res = _json(runner.invoke(app, ["info", str(l2p), "--json"]))
    assert res["n_box"] == 110 and res["boxes_with_valid_nadir_swh"] == 40
    assert res["cells_with_wave_param"] == [44] and res["beams"] == [10.0]
    ql = _json(
        runner.invoke(app, ["quicklook", str(l2p), "--out", str(tmp_path / "r.png"), "--json"])
    )
    assert (tmp_path / "r.png").stat().st_size > 10_000
    assert (tmp_path / "r_nadir_swh.png").stat().st_size > 10_000
    assert ql["side"] in (0, 1)
    val = runner.invoke(app, ["validate", str(l2p), "--json"])
    assert val.exit_code == 2 and "truth" in val.output


def test_bad_inputs_exit_2_without_partial_files(chain, tmp_path):
    folder, _, _ = chain
    junk = tmp_path / "junk.nc"
    junk.write_text("not a netcdf file")
    out = tmp_path / "out.nc"
    for args in (
        ["process", str(junk), "--out", str(out)],
        ["process", str(tmp_path / "missing.nc"), "--out", str(out)],
        ["info", str(junk)],
        ["validate", str(junk), "--json"],
        ["quicklook", str(junk), "--out", str(tmp_path / "q.png")],
        ["quicklook", str(folder / "swim_L2.nc"), "--out", str(tmp_path / "q.png"), "--box", "99"],
        ["simulate", "--out", str(out), "--boxes", "1"],
        ["simulate", "--out", str(out), "--scene", "calm"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "error:" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.nc"]


def test_process_needs_out_dir_for_many_inputs(chain):
    folder, _, _ = chain
    l1 = str(folder / "swim_L1.nc")
    result = runner.invoke(app, ["process", l1, l1])
    assert result.exit_code == 2 and "--out-dir" in result.output


def test_process_out_dir_names_the_product_after_the_l1(chain, tmp_path):
    folder, _, _ = chain
    res = _json(
        runner.invoke(
            app, ["process", str(folder / "swim_L1.nc"), "--out-dir", str(tmp_path), "--json"]
        )
    )
    assert res["output"] == str(tmp_path / "swim_L2.nc") and res["n_box"] == 10
