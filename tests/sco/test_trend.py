from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fcspace.core.errors import ConfigError
from fcspace.sco import trend as tr


def _mk_direct(y: np.ndarray) -> tuple[float, float, float]:
    """Mann-Kendall by the textbook: S over all pairs, tie-corrected variance, p-value."""
    n = len(y)
    s = sum(np.sign(y[j] - y[i]) for i, j in itertools.combinations(range(n), 2))
    _, counts = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts)) / 18
    z = 0.0 if s == 0 else (s - np.sign(s)) / math.sqrt(var)
    return float(s), var, 2 * (1 - stats.norm.cdf(abs(z)))


@settings(max_examples=30)
@given(st.floats(-50, 50), st.floats(-100, 100), st.integers(4, 40))
def test_exact_linear_series_gives_its_slope(slope: float, intercept: float, n: int) -> None:
    t = np.arange(n, dtype=float) * 0.5
    r = tr.mann_kendall(intercept + slope * t, t)
    assert r.slope == pytest.approx(slope, abs=1e-9 * (1 + abs(slope)))
    assert r.intercept == pytest.approx(intercept, abs=1e-7 * (1 + abs(intercept) + abs(slope) * n))
    assert r.n == n


@pytest.mark.parametrize("seed", range(6))
def test_against_scipy_and_direct_mann_kendall(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 25))
    y = np.round(rng.normal(size=n) + 0.1 * np.arange(n), 1)  # rounding makes ties
    t = np.arange(n, dtype=float)
    r = tr.mann_kendall(y, t, alpha=0.1)
    ref = stats.theilslopes(y, t, alpha=0.9, method="joint")
    assert r.slope == pytest.approx(ref.slope, abs=1e-12)
    assert r.intercept == pytest.approx(ref.intercept, abs=1e-12)
    assert (r.slope_low, r.slope_high) == pytest.approx((ref.low_slope, ref.high_slope), abs=1e-12)
    s, var, p = _mk_direct(y)
    assert (r.s, r.var_s, r.p_value) == pytest.approx((s, var, p), rel=1e-10, abs=1e-12)


def test_missing_values_and_short_series() -> None:
    y = np.array([1.0, np.nan, 3.0, 4.0, np.nan, 6.0])
    r = tr.mann_kendall(y)
    assert r.n == 4 and r.slope == pytest.approx(1.0)
    assert math.isnan(tr.mann_kendall(np.array([1.0, 2.0, np.nan])).slope)


def test_seasonal_sen_slope_ignores_the_seasonal_cycle() -> None:
    months = np.arange(48)
    t = months / 12.0
    y = 5 * np.cos(2 * np.pi * months / 12) + 0.3 * t
    season = months % 12
    r = tr.mann_kendall(y, t, season=season)
    assert r.slope == pytest.approx(0.3, rel=1e-9)
    assert r.s == 12 * 6 and r.p_value < 1e-6  # every same-month pair increases
    assert tr.mann_kendall(y, t).p_value > 0.05  # the cycle hides the trend from the plain test
    with pytest.raises(ConfigError):
        tr.trend_kernel(y, t, hamed_rao=True, season=season)


def test_hamed_rao_widens_for_autocorrelated_series() -> None:
    rng = np.random.default_rng(4)
    n = 120
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = 0.8 * e[i - 1] + rng.normal()
    y = e + 0.01 * np.arange(n)
    plain, corrected = tr.mann_kendall(y), tr.mann_kendall(y, hamed_rao=True)
    assert corrected.var_s > 2 * plain.var_s and corrected.p_value > plain.p_value
    assert corrected.slope == plain.slope
    white = rng.normal(size=n)
    ratio = tr.mann_kendall(white, hamed_rao=True).var_s / tr.mann_kendall(white).var_s
    assert ratio == pytest.approx(1.0, abs=0.35)


def test_trend_is_lazy_and_matches_the_kernel() -> None:
    rng = np.random.default_rng(2)
    time = pd.date_range("2001-01-01", periods=60, freq="MS")
    data = rng.normal(size=(6, 5, 60)) + 0.2 * np.arange(60) / 12
    data[0, 0, :50] = np.nan
    da = xr.DataArray(
        data, dims=("lat", "lon", "time"), coords={"time": time}, attrs={"units": "m"}
    ).chunk({"lat": 2})
    out = tr.trend(da)
    assert out["slope"].chunks is not None  # nothing computed yet
    res = out.compute()
    years = tr.decimal_years(time.values)
    ref = tr.trend_kernel(data, years)
    np.testing.assert_allclose(res["slope"].values, ref[..., 0], equal_nan=True)
    np.testing.assert_allclose(res["p_value"].values, ref[..., 7], equal_nan=True)
    assert np.isfinite(res["slope"].values[0, 0])  # 10 points left
    assert res["slope"].attrs["units"] == "m per year"
    assert float(res["slope"].median()) == pytest.approx(0.2, abs=0.1)
    assert res["significant"].dtype == bool
