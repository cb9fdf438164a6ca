import json

import numpy as np
from typer.testing import CliRunner

from fcspace.watercycle.cli import app
from fcspace.watercycle.io import open_water_product

RUN = CliRunner()


def _json(args):
    res = RUN.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_end_to_end_tiny_pass(tmp_path):
    vis, img, l2 = tmp_path / "vis.nc", tmp_path / "img.nc", tmp_path / "l2.nc"
    out = _json(["simulate", "-o", str(vis), "--snapshots", "4", "--size", "12"])
    assert out["snapshots"] == 4 and out["cells"] == 144
    assert _json(["image", str(vis), "-o", str(img)])["alias_free_pixels"] > 1000
    assert _json(["retrieve", str(vis), "-o", str(l2)])["retrieved_sm"] > 0
    product = open_water_product(l2)
    assert np.nanmax(product["soil_moisture"].values) <= 0.5
    scores = _json(["validate", str(l2)])
    assert scores["soil_moisture"]["open"]["n"] > 0
    assert _json(["info", str(l2)])["kind"] == "fcspace water product"
    assert (tmp_path / "img.png").exists() is False
    _json(["quicklook", str(img)])
    _json(["quicklook", str(l2)])
    assert (tmp_path / "img.png").stat().st_size > 1000
    assert (tmp_path / "l2.png").stat().st_size > 1000


def test_bad_file_exit_2_one_line(tmp_path):
    bad = tmp_path / "broken.nc"
    bad.write_bytes(b"CDF\x01 truncated")
    for cmd in (["retrieve", str(bad), "-o", str(tmp_path / "x.nc")], ["validate", str(bad)],
                ["info", str(bad)]):  # fmt: skip
        res = RUN.invoke(app, cmd)
        assert res.exit_code == 2
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and "broken.nc" in lines[0]
    assert not (tmp_path / "x.nc").exists()


def test_readme_commands_run(tmp_path, monkeypatch):
    """Every ``fcspace water`` line of the README's water section runs (exit 0, JSON)."""
    import shlex
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Water cycle", 1)[1].split("\n## ", 1)[0]
    lines = [ln.split("#")[0] for ln in section.splitlines() if ln.startswith("fcspace water")]
    assert len(lines) == 6
    monkeypatch.chdir(tmp_path)
    for line in lines:
        json.loads(_json_raw(shlex.split(line)[2:]))


def _json_raw(args):
    res = RUN.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output
