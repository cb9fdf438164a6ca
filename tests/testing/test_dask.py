"""The counting dask scheduler catches a lazy chain that computes more often than intended."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
import xarray as xr

from fcspace.testing import assert_computes, count_computes


def test_counts_each_compute() -> None:
    x = da.arange(10, chunks=5)
    with count_computes() as counter:
        assert int(x.sum().compute()) == 45
        assert float(x.mean()) == 4.5  # float() on a dask array computes too
    assert counter.count == 2


def test_double_compute_fails_at_the_extra_one() -> None:
    ds = xr.Dataset({"a": ("x", np.arange(6.0))}).chunk({"x": 3})
    with pytest.raises(AssertionError, match="computed 2 times, expected at most 1"):
        with assert_computes(1):
            total = ds["a"].sum()
            _ = float(total)
            _ = total.values  # the second, unintended compute


def test_lazy_building_computes_nothing_and_one_load_is_one() -> None:
    ds = xr.Dataset({"a": (("t", "x"), np.ones((4, 6)))}).chunk({"x": 2})
    with assert_computes(0):
        lazy = (ds["a"] * 2).mean("t")
    with assert_computes(1, exact=True):
        np.testing.assert_array_equal(lazy.compute().values, 2.0)


def test_swallowed_extra_compute_still_fails_on_exit() -> None:
    x = da.ones(4, chunks=2)
    with pytest.raises(AssertionError, match="expected at most 0"):
        with assert_computes(0):
            try:
                x.sum().compute()
            except AssertionError:
                pass


def test_exact_refuses_too_few() -> None:
    with pytest.raises(AssertionError, match="expected exactly 1"):
        with assert_computes(1, exact=True):
            pass
