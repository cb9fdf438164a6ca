"""L3 grids and indicators in Zarr: the same products as NetCDF, and appends along time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr
from typer.testing import CliRunner

from fcspace.cfosat.grid import open_l3
from fcspace.cli import app
from fcspace.sco.io import open_indicators

RUN = CliRunner()


def _ok(*args: str) -> dict:
    res = RUN.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("sco")
    _ok("sco", "simulate-archive", "--days", "3", "--orbits-per-day", "1", "--out", str(d / "arch"))
    return d


def _fields(ds: xr.Dataset) -> xr.Dataset:
    """The product without its global attributes (history and creation date differ)."""
    return ds.load().drop_attrs(deep=False)


def test_zarr_grid_equals_netcdf_and_daily_appends_equal_one_run(archive: Path) -> None:
    files = sorted(str(p) for p in (archive / "arch").glob("CFOSAT_*.nc"))
    nc, store = archive / "l3.nc", archive / "l3.zarr"
    _ok("sco", "grid", *files, "--res", "1", "--out", str(nc))
    out = _ok("sco", "grid", *files, "--res", "1", "--out", str(store), "--format", "zarr")
    assert out["format"] == "zarr"
    xr.testing.assert_identical(_fields(open_l3(store)), _fields(open_l3(nc)))
    daily = archive / "daily.zarr"
    for day in ("20210101", "20210102", "20210103"):
        part = [f for f in files if f"_{day}T" in f]
        _ok("sco", "grid", *part, "--res", "1", "--out", str(daily), "--format", "zarr",
            "--append")  # fmt: skip
    xr.testing.assert_identical(_fields(open_l3(daily)), _fields(open_l3(nc)))
    again = RUN.invoke(app, ["sco", "grid", *files[:2], "--res", "1", "--out", str(daily),
                             "--format", "zarr", "--append"])  # fmt: skip
    assert again.exit_code == 2 and "follow the store's last" in again.output
    assert open_l3(daily).sizes["time"] == 3


def test_zarr_indicators_equal_netcdf(archive: Path) -> None:
    files = sorted(str(p) for p in (archive / "arch").glob("CFOSAT_*.nc"))
    l3 = archive / "ind_l3.nc"
    _ok("sco", "grid", *files, "--res", "1", "--out", str(l3))
    _ok("sco", "indicators", str(l3), "--out", str(archive / "ind.nc"), "--min-count", "1")
    _ok("sco", "indicators", str(l3), "--out", str(archive / "ind.zarr"), "--min-count", "1",
        "--format", "zarr")  # fmt: skip
    xr.testing.assert_identical(_fields(open_indicators(archive / "ind.zarr")),
                                _fields(open_indicators(archive / "ind.nc")))  # fmt: skip
