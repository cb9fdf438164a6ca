"""The indicator chain stays lazy: building computes nothing, writing computes the graph once.

Uses the counting scheduler of `fcspace.testing.dask`: an accidental ``.values`` or
``float()`` on a dask array inside `compute_indicators` or `write_indicators` would run the
whole graph again (once per variable), which on years of L3 grids costs hours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from fcspace.sco import indicators as ind
from fcspace.sco.io import open_indicators, write_indicators
from fcspace.testing import assert_computes


@pytest.fixture
def stack_file(tmp_path: Path) -> Path:
    """Four years of monthly L3-like maps (wind with a 0.5 m/s per year trend) on disk."""
    time = pd.date_range("2021-01-01", periods=48, freq="MS").values
    lat, lon = np.arange(-60.0, 61.0, 30.0), np.arange(-150.0, 180.0, 90.0)
    years = (np.arange(48) / 12.0)[:, None, None]
    rng = np.random.default_rng(5)
    shape = (48, lat.size, lon.size)
    ds = xr.Dataset(
        {
            "wind_speed": (("time", "lat", "lon"), 8 + 0.5 * years + rng.normal(0, 1, shape)),
            "nadir_swh": (("time", "lat", "lon"), 2 + 0.1 * years + rng.normal(0, 0.3, shape)),
        },
        coords={"time": time, "lat": lat, "lon": lon},
    )
    ds["wind_speed"].attrs["units"] = "m s-1"
    ds["nadir_swh"].attrs["units"] = "m"
    ds.to_netcdf(tmp_path / "l3_stack.nc")
    return tmp_path / "l3_stack.nc"


def test_build_is_lazy_and_write_computes_once(stack_file: Path, tmp_path: Path) -> None:
    with xr.open_dataset(stack_file, chunks={"lat": 2}) as stack:
        with assert_computes(0):
            res = ind.compute_indicators(stack, min_count=5)
        with assert_computes(1, exact=True):
            write_indicators(res, tmp_path / "indicators.nc")
    with assert_computes(0):
        summary = ind.summary(open_indicators(tmp_path / "indicators.nc"))
    assert summary["wind_speed"]["trend_per_year"] == pytest.approx(0.5, abs=0.15)
    assert summary["nadir_swh"]["trend_per_year"] == pytest.approx(0.1, abs=0.05)


def test_summary_of_a_lazy_result_would_recompute(stack_file: Path) -> None:
    """Why the CLI summarises the written file: on the lazy result each number recomputes."""
    with xr.open_dataset(stack_file, chunks={"lat": 2}) as stack:
        res = ind.compute_indicators(stack, min_count=5)
        with pytest.raises(AssertionError, match="expected at most 1"):
            with assert_computes(1):
                ind.summary(res)
