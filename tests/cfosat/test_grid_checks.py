"""What the L3 reader refuses and masks (issue 14): incomplete families, values out of range."""

from __future__ import annotations

import shutil
from pathlib import Path

import dask.array
import netCDF4
import numpy as np
import pytest

from fcspace.cfosat.grid import open_l3
from fcspace.cfosat.grid.spec import family_variables, l3_valid_range
from fcspace.core.errors import InputError
from fcspace.testing.fakes import fake_l3_grid


@pytest.fixture(scope="module")
def l3_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_l3_grid(tmp_path_factory.mktemp("l3") / "fake_L3_daily.nc")


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


def test_ranges_of_the_l3_variables() -> None:
    assert l3_valid_range("wind_speed") == (0.0, 100.0)
    assert l3_valid_range("northward_wind_std") == (0.0, 200.0)
    assert l3_valid_range("peak_direction_std") == (0.0, None)
    assert l3_valid_range("wind_count") is None and l3_valid_range("lat") is None
    assert family_variables("wind") == (
        "wind_speed", "eastward_wind", "northward_wind", "wind_speed_std", "eastward_wind_std",
        "northward_wind_std", "wind_count")  # fmt: skip


def test_removed_variable_of_a_family_refused(l3_file: Path, tmp_path: Path) -> None:
    path = _copy(l3_file, tmp_path)
    with netCDF4.Dataset(path, "r+") as nc:
        nc.renameVariable("wind_speed", "wind_speed_gone")
    with pytest.raises(InputError, match="wind_speed") as err:
        open_l3(path)
    assert path.name in str(err.value)


def test_impossible_values_masked_lazily(l3_file: Path, tmp_path: Path) -> None:
    clean = open_l3(l3_file).load()
    filled = np.argwhere(np.isfinite(clean.wind_speed.values))[:3]
    path = _copy(l3_file, tmp_path)
    with netCDF4.Dataset(path, "r+") as nc:
        for (t, i, j), value in zip(filled, (1e30, np.inf, -5.0), strict=True):
            nc["wind_speed"][t, i, j] = value
        std_cell = tuple(np.argwhere(np.isfinite(clean.northward_wind_std.values))[0])
        nc["northward_wind_std"][std_cell] = -1e30
    ds = open_l3(path)
    assert isinstance(ds.wind_speed.data, dask.array.Array)  # still lazy
    got = ds.load()
    for t, i, j in filled:
        assert np.isnan(got.wind_speed.values[t, i, j])
    assert np.isnan(got.northward_wind_std.values[std_cell])
    keep = np.ones(clean.wind_speed.shape, bool)
    keep[tuple(filled.T)] = False
    np.testing.assert_array_equal(got.wind_speed.values[keep], clean.wind_speed.values[keep])
    assert got.wind_speed.attrs == clean.wind_speed.attrs
    np.testing.assert_array_equal(got.wind_count.values, clean.wind_count.values)


def test_clean_l3_reads_as_written(l3_file: Path) -> None:
    import xarray as xr

    with xr.open_dataset(l3_file) as raw:
        ds = open_l3(l3_file).load()
        for name in raw.data_vars:
            np.testing.assert_array_equal(ds[name].values, raw[name].values, err_msg=name)
            assert ds[name].attrs == raw[name].attrs
