"""Trends per grid cell: Theil-Sen slope and Mann-Kendall test (with tie correction).

Statistics
----------
- **Theil-Sen slope** (Sen 1968, "Estimates of the regression coefficient based on Kendall's
  tau", *J. Am. Stat. Assoc.* 63, 1379-1389): the median of the pairwise slopes
  ``(y_j - y_i) / (t_j - t_i)``, ``i < j``, ``t_j != t_i``; intercept ``median(y - b t)``.
  Its ``1 - alpha`` confidence interval (Sen 1968; Gilbert 1987, *Statistical Methods for
  Environmental Pollution Monitoring*, sect. 16.5): with ``N`` pairwise slopes sorted and
  ``C = z_{1 - alpha/2} sqrt(Var S)``, the bounds are the ``M1 = (N - C) / 2``-th and the
  ``(M2 + 1)``-th, ``M2 = (N + C) / 2``, slopes (rounded ranks, 1-based).
- **Mann-Kendall test** (Mann 1945, *Econometrica* 13, 245-259; Kendall 1975, *Rank
  Correlation Methods*, 4th ed., Griffin): ``S = sum_{i<j} sign(y_j - y_i)``,
  ``Var S = [n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)] / 18`` with ``t_g`` the size of each
  group of tied values; ``Z = (S - sign S) / sqrt(Var S)`` (continuity correction); two-sided
  ``p = erfc(|Z| / sqrt 2)``.
- **Seasonal variant** (``season=``): Hirsch, Slack & Smith (1982), "Techniques of trend
  analysis for monthly water quality data", *Water Resour. Res.* 18, 107-121: S, Var S and the
  slopes use only pairs of the same season (calendar month); Var S is the sum of the
  per-season variances (seasons taken independent).
- **Autocorrelation** (optional, ``hamed_rao=True``): Hamed & Rao (1998), "A modified
  Mann-Kendall trend test for autocorrelated data", *J. Hydrol.* 204, 182-196: ``Var S`` is
  multiplied by ``n / n*_s = 1 + 2 / (n(n-1)(n-2)) sum_k (n-k)(n-k-1)(n-k-2) rho_s(k)`` with
  ``rho_s(k)`` the lag-``k`` autocorrelation of the ranks of the Theil-Sen-detrended series,
  kept only where significant (``|rho_s(k)| > z_{1-alpha/2} / sqrt n``), for lags
  ``k <= 3`` (:data:`HAMED_RAO_LAGS`; Rao, Hamed & Chen 2003, *Nonstationarities in Hydrologic
  and Environmental Time Series*, Kluwer). The corrected
  variance is used for both the p-value and the slope's confidence interval.

Kernels are compiled with numba and loop over cells (memory O(n^2) per cell, not per chunk);
:func:`trend` wraps them once with ``xr.apply_ufunc(..., dask="parallelized")``, so a dask
array is processed chunk of cells by chunk of cells (time must be one chunk).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np
import xarray as xr
from scipy.stats import norm

from fcspace.core.errors import ConfigError, InputError

__all__ = [
    "TREND_FIELDS",
    "MKResult",
    "decimal_years",
    "mann_kendall",
    "theil_sen",
    "trend",
    "trend_kernel",
]

#: Output fields of :func:`trend_kernel`, in order.
TREND_FIELDS = (
    "slope",
    "intercept",
    "slope_low",
    "slope_high",
    "mk_s",
    "mk_var_s",
    "mk_z",
    "p_value",
    "n",
)
MIN_POINTS = 4  # fewer valid points: every output is NaN
#: Lags of the rank autocorrelation used by the Hamed & Rao correction (Rao, Hamed & Chen
#: 2003, the "3 lags" variant of R's modifiedmk::mmky3lag / mmkh3lag): with every lag up to
#: n - 1, chance "significant" negative correlations at long lags can bring n / n*_s below 1
#: even for a strongly autocorrelated AR(1) series.
HAMED_RAO_LAGS = 3


class MKResult(NamedTuple):
    """Theil-Sen and Mann-Kendall result of one series (see the module docstring)."""

    slope: float
    intercept: float
    slope_low: float
    slope_high: float
    s: float
    var_s: float
    z: float
    p_value: float
    n: int


@numba.njit(cache=True)
def _mk_s(y: np.ndarray, season: np.ndarray) -> float:
    """S = sum over pairs i < j of the same season of sign(y_j - y_i)."""
    s = 0.0
    n = y.size
    for i in range(n - 1):
        for j in range(i + 1, n):
            if season[i] == season[j]:
                d = y[j] - y[i]
                s += (d > 0) - (d < 0)
    return s


@numba.njit(cache=True)
def _tie_term(y: np.ndarray) -> float:
    """sum_g t_g (t_g - 1) (2 t_g + 5) over groups of equal values."""
    v = np.sort(y)
    total, run = 0.0, 1
    for i in range(1, v.size + 1):
        if i < v.size and v[i] == v[i - 1]:
            run += 1
        else:
            total += run * (run - 1) * (2 * run + 5)
            run = 1
    return total


@numba.njit(cache=True)
def _var_s(y: np.ndarray, season: np.ndarray) -> float:
    """Var S with the tie correction, summed over seasons (Kendall 1975; Hirsch et al. 1982)."""
    total = 0.0
    for g in np.unique(season):
        v = y[season == g]
        n = v.size
        total += (n * (n - 1.0) * (2.0 * n + 5.0) - _tie_term(v)) / 18.0
    return total


@numba.njit(cache=True)
def _pair_slopes(y: np.ndarray, t: np.ndarray, season: np.ndarray) -> np.ndarray:
    n = y.size
    out = np.empty(n * (n - 1) // 2)
    m = 0
    for i in range(n - 1):
        for j in range(i + 1, n):
            if t[j] != t[i] and season[i] == season[j]:
                out[m] = (y[j] - y[i]) / (t[j] - t[i])
                m += 1
    return np.sort(out[:m])


@numba.njit(cache=True)
def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (1-based; ties share the mean rank)."""
    n = x.size
    r = np.empty(n)
    for i in range(n):
        less, equal = 0, 0
        for j in range(n):
            less += x[j] < x[i]
            equal += x[j] == x[i]
        r[i] = less + (equal + 1) / 2.0
    return r


@numba.njit(cache=True)
def _hamed_rao_factor(y: np.ndarray, t: np.ndarray, slope: float, z_crit: float) -> float:
    """N / n*_s of Hamed & Rao (1998) from significant rank autocorrelations."""
    n = y.size
    r = _ranks(y - slope * t)
    r = r - r.mean()
    denom = np.sum(r * r)
    if denom <= 0.0 or n < 3:
        return 1.0
    total = 0.0
    for k in range(1, min(n - 1, HAMED_RAO_LAGS + 1)):
        rho = np.sum(r[: n - k] * r[k:]) / denom
        if abs(rho) > z_crit / math.sqrt(n):
            total += (n - k) * (n - k - 1) * (n - k - 2) * rho
    factor = 1.0 + 2.0 / (n * (n - 1.0) * (n - 2.0)) * total
    return factor if factor > 0.0 else 1.0


@numba.njit(cache=True)
def _series(
    y: np.ndarray,
    t: np.ndarray,
    season: np.ndarray,
    z_crit: float,
    hamed_rao: bool,
    out: np.ndarray,
) -> None:
    """Every :data:`TREND_FIELDS` value of one series (NaN points dropped) into ``out``."""
    ok = np.isfinite(y) & np.isfinite(t)
    yv, tv, sv = y[ok], t[ok], season[ok]
    n = yv.size
    out[:] = np.nan
    out[8] = n
    if n < MIN_POINTS:
        return
    slopes = _pair_slopes(yv, tv, sv)
    if slopes.size == 0:
        return
    slope = np.median(slopes)
    s = _mk_s(yv, sv)
    var_s = _var_s(yv, sv)
    if hamed_rao:
        var_s *= _hamed_rao_factor(yv, tv, slope, z_crit)
    z = 0.0
    if var_s > 0.0 and s != 0.0:
        z = (s - np.sign(s)) / math.sqrt(var_s)
    c = z_crit * math.sqrt(max(var_s, 0.0))
    m = slopes.size
    lo = int(round((m - c) / 2.0)) - 1
    hi = int(round((m + c) / 2.0))
    out[0] = slope
    out[1] = np.median(yv - slope * tv)
    out[2] = slopes[min(max(lo, 0), m - 1)]
    out[3] = slopes[min(max(hi, 0), m - 1)]
    out[4], out[5], out[6] = s, var_s, z
    out[7] = math.erfc(abs(z) / math.sqrt(2.0))


@numba.njit(cache=True)
def _kernel(
    y: np.ndarray, t: np.ndarray, season: np.ndarray, z_crit: float, hamed_rao: bool
) -> np.ndarray:
    cells = y.shape[0]
    out = np.empty((cells, 9))
    for c in range(cells):
        _series(y[c], t, season, z_crit, hamed_rao, out[c])
    return out


def trend_kernel(
    y: np.ndarray,
    t: np.ndarray,
    alpha: float = 0.05,
    hamed_rao: bool = False,
    season: np.ndarray | None = None,
) -> np.ndarray:
    """Theil-Sen and Mann-Kendall over the last axis of ``y`` (any leading shape).

    Parameters
    ----------
    y
        Series, time on the last axis; NaN = missing (dropped per cell).
    t
        Times (any unit; the slope is per unit of ``t``), same length as ``y``'s last axis.
    alpha
        Two-sided level of the slope's confidence interval (and of the Hamed-Rao lag test).
    hamed_rao
        Correct ``Var S`` for autocorrelation (Hamed & Rao 1998); not with ``season``.
    season
        Integer season of each time (e.g. calendar month): only pairs of the same season
        count (seasonal Kendall test and seasonal Sen slope, Hirsch et al. 1982). None: one
        season (the plain tests).

    Returns
    -------
    numpy.ndarray
        ``y.shape[:-1] + (9,)``: :data:`TREND_FIELDS` (NaN where fewer than 4 valid points).
    """
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if t.shape != y.shape[-1:]:
        raise InputError(f"times of shape {t.shape} do not match series of shape {y.shape}")
    if season is not None and hamed_rao:
        raise ConfigError("the Hamed & Rao correction is not defined for the seasonal test")
    seasons = np.zeros(t.shape, np.int64) if season is None else np.asarray(season, np.int64)
    if seasons.shape != t.shape:
        raise InputError(f"seasons of shape {seasons.shape} do not match times {t.shape}")
    z_crit = float(norm.ppf(1.0 - alpha / 2.0))
    flat = np.ascontiguousarray(y.reshape(-1, y.shape[-1]))
    return _kernel(flat, t, seasons, z_crit, bool(hamed_rao)).reshape(*y.shape[:-1], 9)


def mann_kendall(
    y: np.ndarray,
    t: np.ndarray | None = None,
    alpha: float = 0.05,
    hamed_rao: bool = False,
    season: np.ndarray | None = None,
) -> MKResult:
    """Theil-Sen slope and Mann-Kendall test of one series (``t`` defaults to 0, 1, 2 ...)."""
    y = np.asarray(y, dtype=float)
    t = np.arange(y.size, dtype=float) if t is None else np.asarray(t, dtype=float)
    r = trend_kernel(y, t, alpha, hamed_rao, season)
    return MKResult(*(float(v) for v in r[:8]), n=int(r[8]))


def theil_sen(y: np.ndarray, t: np.ndarray | None = None) -> tuple[float, float]:
    """(slope, intercept) of the Theil-Sen estimator (Sen 1968)."""
    r = mann_kendall(y, t)
    return r.slope, r.intercept


def decimal_years(time: xr.DataArray | np.ndarray) -> np.ndarray:
    """Times as years (365.2425 d) since the first one."""
    t = np.asarray(time, dtype="datetime64[ns]")
    return (t - t.min()).astype(np.float64) / (365.2425 * 86400e9)


def trend(
    da: xr.DataArray,
    dim: str = "time",
    alpha: float = 0.05,
    hamed_rao: bool = False,
    units: str | None = None,
    seasonal: bool = False,
) -> xr.Dataset:
    """Theil-Sen trend and Mann-Kendall significance of every cell of ``da``, lazily.

    Parameters
    ----------
    da
        Series along ``dim`` (datetime64: slopes per year; otherwise per unit of the
        coordinate); any other dims are cells. A dask array stays lazy: chunks of cells are
        processed independently (``dim`` is rechunked to one chunk), so memory is bounded by
        one chunk of cells.
    alpha
        Level: ``significant = p_value < alpha``; ``slope_low``/``slope_high`` is the
        ``1 - alpha`` interval.
    hamed_rao
        Autocorrelation correction of Hamed & Rao (1998).
    units
        Units of ``da`` (default: its ``units`` attribute).
    seasonal
        Seasonal Kendall test and seasonal Sen slope with the calendar month as season
        (Hirsch, Slack & Smith 1982, *Water Resour. Res.* 18, 107-121): only pairs of the same
        month are compared, so a seasonal cycle (or the staircase left by subtracting a
        monthly climatology from a trending series) does not bias the slope.

    Returns
    -------
    xarray.Dataset
        ``slope``, ``intercept``, ``slope_low``, ``slope_high``, ``mk_s``, ``mk_var_s``,
        ``mk_z``, ``p_value``, ``n`` (valid points) and ``significant``.
    """
    coord = da[dim].values
    t = decimal_years(coord) if np.issubdtype(coord.dtype, np.datetime64) else coord.astype(float)
    per = " per year" if np.issubdtype(coord.dtype, np.datetime64) else f" per unit of {dim}"
    season = None
    if seasonal:
        season = np.asarray(coord, dtype="datetime64[M]").astype(np.int64) % 12
    if da.chunks is not None:
        da = da.chunk({dim: -1})
    res = xr.apply_ufunc(
        trend_kernel,
        da.astype(np.float64),
        kwargs={"t": t, "alpha": alpha, "hamed_rao": hamed_rao, "season": season},
        input_core_dims=[[dim]],
        output_core_dims=[["trend_field"]],
        dask="parallelized",
        output_dtypes=[np.float64],
        dask_gufunc_kwargs={"output_sizes": {"trend_field": len(TREND_FIELDS)}},
    )
    u = units or str(da.attrs.get("units", "1"))
    out = xr.Dataset(
        {name: res.isel(trend_field=i, drop=True) for i, name in enumerate(TREND_FIELDS)}
    )
    for name in ("slope", "slope_low", "slope_high"):
        out[name].attrs["units"] = f"{u}{per}"
    out["slope"].attrs["long_name"] = "Theil-Sen slope (Sen 1968)" + (
        ", seasonal (Hirsch et al. 1982)" if seasonal else ""
    )
    out["slope_low"].attrs["long_name"] = f"lower bound of the {1 - alpha:.0%} slope interval"
    out["slope_high"].attrs["long_name"] = f"upper bound of the {1 - alpha:.0%} slope interval"
    out["intercept"].attrs.update(units=u, long_name="Theil-Sen intercept at the first time")
    out["p_value"].attrs["long_name"] = "two-sided Mann-Kendall p-value (tie-corrected)" + (
        ", Hamed & Rao 1998 autocorrelation correction" if hamed_rao else ""
    )
    out["significant"] = (out["p_value"] < alpha).assign_attrs(
        long_name=f"Mann-Kendall trend significant at level {alpha}"
    )
    return out
