"""The ``fcspace`` program end to end: simulate → process → validate/info/quicklook."""

import json

import pytest
from typer.testing import CliRunner

from fcspace.cli import app

runner = CliRunner()


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_help_lists_the_missions():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "scat" in result.output
    sub = runner.invoke(app, ["scat", "--help"])
    for command in ("simulate", "process", "validate", "info", "quicklook", "reselect"):
        assert command in sub.output


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    l1b, l2b = folder / "l1b.nc", folder / "l2b.nc"
    sim = _json(runner.invoke(app, ["scat", "simulate", "--out", str(l1b), "--rows", "60",
                                    "--scene", "synoptic", "--seed", "4", "--json"]))
    proc = _json(runner.invoke(app, ["scat", "process", str(l1b), "--out", str(l2b), "--json"]))
    return folder, sim, proc


def test_simulate_and_process_write_products(chain):
    folder, sim, proc = chain
    assert sim["numrows"] == 60 and sim["views"] > 60 * 42 * 4
    assert proc["cells_with_selected_wind"] == 60 * 42
    assert sorted(p.name for p in folder.iterdir()) == ["l1b.nc", "l2b.nc"]


def test_validate_json_has_the_contract_keys(chain):
    folder, _, _ = chain
    out = _json(runner.invoke(app, ["scat", "validate", str(folder / "l2b.nc"), "--json"]))
    for key in ("n", "speed_bias", "speed_rmse", "dir_rmse_deg", "vector_rmse",
                "ambiguity_skill"):
        assert key in out
    assert out["n"] == 60 * 42 and out["speed_rmse"] < 0.5
    bg = _json(runner.invoke(app, ["scat", "validate", str(folder / "l2b.nc"),
                                   "--against", "background", "--json"]))
    # the background carries ~1.8 m/s vector error: the retrieval is far closer to truth
    assert bg["vector_rmse"] > out["vector_rmse"] + 0.5


def test_info_and_quicklook(chain):
    folder, _, _ = chain
    info = _json(runner.invoke(app, ["scat", "info", str(folder / "l2b.nc"), "--json"]))
    assert info["cells"] == 60 * 42 and info["time_start"].startswith("2021-08-01")
    png = folder / "map.png"
    res = runner.invoke(app, ["scat", "quicklook", str(folder / "l2b.nc"), "--out", str(png)])
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_fails_clearly_and_writes_nothing(tmp_path):
    bad = tmp_path / "junk.nc"
    bad.write_bytes(b"this is not netcdf at all" * 10)
    res = runner.invoke(app, ["scat", "process", str(bad), "--out", str(tmp_path / "o.nc")])
    assert res.exit_code == 2
    assert "junk.nc" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.nc"]
    missing = runner.invoke(app, ["scat", "info", str(tmp_path / "nope.nc"), "--json"])
    assert missing.exit_code == 2 and "nope.nc" in missing.output


@pytest.mark.shared_data
def test_info_on_the_real_l2b(scat_l2b_path):
    info = _json(runner.invoke(app, ["scat", "info", str(scat_l2b_path), "--json"]))
    assert info["cells_with_selected_wind"] == 35132
    assert info["num_ambigs_histogram"] == {"0": 33076, "1": 335, "2": 17079, "3": 9688,
                                            "4": 8030}
    assert abs(info["mean_selected_speed"] - 8.76) < 0.01


def test_many_files_run_as_one_task_each_on_a_local_cluster(chain, tmp_path):
    folder, _, _ = chain
    second = tmp_path / "CFO_SIM_SCA_L1B_2.nc"
    second.write_bytes((folder / "l1b.nc").read_bytes())
    first = tmp_path / "CFO_SIM_SCA_L1B_1.nc"
    first.write_bytes((folder / "l1b.nc").read_bytes())
    out_dir = tmp_path / "l2b"
    res = _json(runner.invoke(app, ["scat", "process", str(first), str(second), "--out-dir",
                                    str(out_dir), "--workers", "1", "--json"]))
    assert [r["cells_with_selected_wind"] for r in res] == [60 * 42, 60 * 42]
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "CFO_SIM_SCA_L2B_1.nc", "CFO_SIM_SCA_L2B_2.nc"]


def test_validate_against_another_product(chain):
    folder, _, _ = chain
    l2b = str(folder / "l2b.nc")
    out = _json(runner.invoke(app, ["scat", "validate", l2b, "--against", l2b, "--json"]))
    assert out["speed_rmse"] == 0.0 and out["selection_agreement"] == 1.0
