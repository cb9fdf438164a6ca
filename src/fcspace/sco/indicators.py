"""Climate indicators from a stack of L3 grids: climatology, anomalies, percentiles, trends.

Every function takes and returns xarray objects and stays lazy on dask arrays; the per-cell
kernels are wrapped once with ``xr.apply_ufunc(..., dask="parallelized")`` over chunks of grid
cells (time in one chunk), so memory is bounded by one chunk of cells whatever the number of
periods (open the stack with :func:`fcspace.cfosat.grid.open_l3` and ``chunks={"lat": n}``).

Definitions
-----------
- **Monthly series**: monthly L3 as they are; daily L3 are averaged to calendar months first
  (mean of the daily cell means, each day weighted equally).
- **Climatology**: per cell and calendar month, the mean over years of the monthly series
  (WMO 2017, *Guidelines on the Calculation of Climate Normals*, WMO-No. 1203, uses 30 years;
  here whatever the stack covers). **Anomalies**: monthly series minus the climatology of its
  calendar month.
- **Percentiles** (P50, P90, P99): per cell, of the **period means of the input grids** (the
  daily means for daily L3), linear interpolation between order statistics (Hyndman & Fan
  1996, *Am. Stat.* 50, 361, definition 7, numpy's default). They describe daily-mean
  conditions: a daily cell mean averages a few overpasses, so its P99 is lower than the P99
  of single L2 observations (per-observation histograms are not kept in the accumulator).
  Cells with fewer than ``min_count`` valid periods get NaN.
- **Exceedance frequency**: share of valid periods whose mean exceeds a threshold (defaults:
  wind speed > 17.2 m/s, gale force 8 on the Beaufort scale, WMO-No. 306; SWH > 6 m, "very
  high" sea, WMO sea state code 3700 class 7).
- **Trends**: Theil-Sen slope with the Mann-Kendall test (tie-corrected) of the monthly
  anomalies, per year (:mod:`fcspace.sco.trend`; Sen 1968, Mann 1945, Kendall 1975). By default
  the seasonal form (Hirsch et al. 1982: pairs of the same calendar month only): subtracting a
  monthly climatology from a trending series leaves a staircase (the within-year part of the
  trend goes into the climatology), on which the plain Theil-Sen median is biased towards 0
  for short records (half the pairs are within-year pairs for 2 years). ``hamed_rao=True``
  uses the plain test with the Hamed & Rao (1998) autocorrelation correction instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.products import cf_global_attrs
from fcspace.sco.trend import trend

__all__ = [
    "DEFAULT_THRESHOLDS",
    "anomalies",
    "area_mean",
    "climatology",
    "compute_indicators",
    "exceedance_frequency",
    "monthly_series",
    "percentile_kernel",
    "percentiles",
    "quicklooks",
    "summary",
]

DEFAULT_THRESHOLDS: dict[str, float] = {"wind_speed": 17.2, "nadir_swh": 6.0, "swh": 6.0}
DEFAULT_PERCENTILES = (50.0, 90.0, 99.0)


def _check(da: xr.DataArray, dim: str) -> None:
    if dim not in da.dims:
        raise InputError(f"no {dim!r} dimension (dims {da.dims})", variable=str(da.name))


def monthly_series(da: xr.DataArray, dim: str = "time") -> xr.DataArray:
    """Calendar-month means (each input period weighted equally); monthly input unchanged."""
    _check(da, dim)
    t = np.asarray(da[dim].values, dtype="datetime64[ns]")
    months = t.astype("datetime64[M]")
    if months.size == np.unique(months).size:
        return da
    out = da.resample({dim: "1MS"}).mean(skipna=True)
    return out.assign_attrs(da.attrs)


def climatology(da: xr.DataArray, dim: str = "time") -> xr.DataArray:
    """Mean per calendar month (dim ``month``, 1..12) of the monthly series."""
    clim = monthly_series(da, dim).groupby(f"{dim}.month").mean(dim, skipna=True)
    return clim.assign_attrs(da.attrs, cell_methods="time: mean within years time: mean over years")


def anomalies(
    da: xr.DataArray, clim: xr.DataArray | None = None, dim: str = "time"
) -> xr.DataArray:
    """Monthly series minus the climatology of its calendar month."""
    monthly = monthly_series(da, dim)
    clim = climatology(monthly, dim) if clim is None else clim
    anom = monthly.groupby(f"{dim}.month") - clim
    return anom.drop_vars("month", errors="ignore").assign_attrs(
        units=da.attrs.get("units", "1"), long_name=f"anomaly of {da.name}"
    )


def percentile_kernel(a: np.ndarray, q: Sequence[float], min_count: int = 1) -> np.ndarray:
    """Percentiles over the last axis ignoring NaN (linear, Hyndman & Fan definition 7).

    Returns ``a.shape[:-1] + (len(q),)``; NaN where fewer than ``min_count`` valid values.
    Vectorised: NaN sort last, so order statistic ``h = q/100 (n - 1)`` is read with
    ``take_along_axis`` at ``floor(h)`` and ``ceil(h)``.
    """
    a = np.sort(np.asarray(a, dtype=np.float64), axis=-1)
    n = np.isfinite(a).sum(axis=-1)[..., None]
    h = np.asarray(q, dtype=float) / 100.0 * np.maximum(n - 1, 0)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    v_lo = np.take_along_axis(a, lo, axis=-1)
    v_hi = np.take_along_axis(a, hi, axis=-1)
    out = v_lo + (h - lo) * (v_hi - v_lo)
    return np.where(n >= max(min_count, 1), out, np.nan)


def percentiles(
    da: xr.DataArray,
    q: Sequence[float] = DEFAULT_PERCENTILES,
    dim: str = "time",
    min_count: int = 10,
) -> xr.DataArray:
    """Percentiles of the period means of each cell (dim ``percentile``), lazily."""
    _check(da, dim)
    if da.chunks is not None:
        da = da.chunk({dim: -1})
    out = xr.apply_ufunc(
        percentile_kernel,
        da,
        kwargs={"q": list(q), "min_count": min_count},
        input_core_dims=[[dim]],
        output_core_dims=[["percentile"]],
        dask="parallelized",
        output_dtypes=[np.float64],
        dask_gufunc_kwargs={"output_sizes": {"percentile": len(q)}},
    )
    return out.assign_coords(percentile=("percentile", np.asarray(q, float))).assign_attrs(
        units=da.attrs.get("units", "1"),
        long_name=f"percentiles of the period means of {da.name}",
    )


def exceedance_frequency(da: xr.DataArray, threshold: float, dim: str = "time") -> xr.DataArray:
    """Share of valid periods whose cell mean exceeds ``threshold`` (NaN: no valid period)."""
    _check(da, dim)
    valid = da.notnull().sum(dim)
    above = (da > threshold).sum(dim)
    return (above / valid.where(valid > 0)).assign_attrs(
        units="1", long_name=f"frequency of {da.name} > {threshold:g} {da.attrs.get('units', '')}"
    )


def _per_variable(
    da: xr.DataArray, name: str, threshold: float | None, q: Sequence[float], opts: dict
) -> dict[str, xr.DataArray]:
    units = str(da.attrs.get("units", "1"))
    anom = anomalies(da)
    tr = trend(
        anom,
        alpha=opts["alpha"],
        hamed_rao=opts["hamed_rao"],
        units=units,
        seasonal=opts["seasonal"],
    )
    out = {
        f"{name}_mean": da.mean("time", skipna=True).assign_attrs(units=units),
        f"{name}_climatology": climatology(da),
        f"{name}_percentile": percentiles(da, q, min_count=opts["min_count"]),
        f"{name}_trend": tr["slope"],
        f"{name}_trend_low": tr["slope_low"],
        f"{name}_trend_high": tr["slope_high"],
        f"{name}_trend_p_value": tr["p_value"],
        f"{name}_trend_significant": tr["significant"],
        f"{name}_trend_n": tr["n"].assign_attrs(long_name="valid monthly anomalies"),
    }
    if threshold is not None:
        out[f"{name}_exceedance"] = exceedance_frequency(da, threshold)
        out[f"{name}_exceedance"].attrs["threshold"] = threshold
    return out


def compute_indicators(
    ds: xr.Dataset,
    variables: Sequence[str] = ("wind_speed", "nadir_swh"),
    thresholds: Mapping[str, float] | None = None,
    q: Sequence[float] = DEFAULT_PERCENTILES,
    alpha: float = 0.05,
    hamed_rao: bool = False,
    min_count: int = 10,
    seasonal: bool = True,
) -> xr.Dataset:
    """Indicators of each variable of a stack of L3 grids (lazy; see the module docstring).

    Returns a Dataset with, per variable ``v``: ``v_mean``, ``v_climatology`` (month, ...),
    ``v_percentile`` (percentile, ...), ``v_exceedance`` (if a threshold is known),
    ``v_trend`` (Theil-Sen slope of the monthly anomalies, units per year),
    ``v_trend_low``/``v_trend_high`` (``1 - alpha`` interval), ``v_trend_p_value``,
    ``v_trend_significant`` and ``v_trend_n``. Variables absent from ``ds`` are skipped.
    """
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    names = [v for v in variables if v in ds.data_vars]
    if not names:
        raise InputError(f"none of {list(variables)} in the L3 stack")
    opts = {
        "alpha": alpha,
        "hamed_rao": hamed_rao,
        "min_count": min_count,
        "seasonal": seasonal and not hamed_rao,
    }
    out: dict[str, xr.DataArray] = {}
    for v in names:
        out.update(_per_variable(ds[v], v, thresholds.get(v), q, opts))
    res = xr.Dataset(out)
    res.attrs = cf_global_attrs(
        title="fcspace Space Climate Observatory indicators from CFOSat L3",
        source="CFOSAT SCAT/SWIM L3",
        processing_level="L4",
        fcspace_periods=int(ds.sizes["time"]),
        time_coverage_start=str(np.asarray(ds["time"].values).min())[:19],
        time_coverage_end=str(np.asarray(ds["time"].values).max())[:19],
        fcspace_trend_method="Theil-Sen (Sen 1968) + Mann-Kendall (Mann 1945; Kendall 1975), "
        "tie-corrected" + ("; Hamed & Rao 1998 autocorrelation correction" if hamed_rao else ""),
        fcspace_percentile_method="of the period means of the input grids (daily means for "
        "daily L3), Hyndman & Fan 1996 definition 7",
    )
    return res


def area_mean(da: xr.DataArray) -> xr.DataArray:
    """cos(latitude)-weighted mean over ``lat`` and ``lon`` (NaN cells ignored)."""
    w = np.cos(np.radians(da["lat"]))
    return da.weighted(w.where(np.isfinite(w), 0.0)).mean(("lat", "lon"), skipna=True)


def _scalar(da: xr.DataArray) -> float | None:
    value = float(np.asarray(da.values).ravel()[0]) if da.size == 1 else float(da.mean())
    return value if np.isfinite(value) else None


def summary(ind: xr.Dataset) -> dict[str, Any]:
    """Area-weighted global numbers of an indicator Dataset, for ``--json`` output."""
    out: dict[str, Any] = {"periods": ind.attrs.get("fcspace_periods")}
    for name in sorted(
        n.removesuffix("_trend") for n in ind.data_vars if str(n).endswith("_trend")
    ):
        sig = ind[f"{name}_trend_significant"].where(ind[f"{name}_trend"].notnull())
        entry: dict[str, Any] = {
            "mean": _scalar(area_mean(ind[f"{name}_mean"])),
            "trend_per_year": _scalar(area_mean(ind[f"{name}_trend"])),
            "significant_fraction": _scalar(area_mean(sig.astype(float))),
            "percentiles": {
                f"P{q:g}": _scalar(area_mean(ind[f"{name}_percentile"].sel(percentile=q)))
                for q in ind["percentile"].values
            },
        }
        if f"{name}_exceedance" in ind:
            entry["exceedance_frequency"] = _scalar(area_mean(ind[f"{name}_exceedance"]))
            entry["threshold"] = float(ind[f"{name}_exceedance"].attrs["threshold"])
        out[name] = entry
    return out


def _map(da: xr.DataArray, path: Path, title: str, cmap: str, mask: xr.DataArray | None) -> Path:
    from fcspace.core.plots import new_figure, save_figure

    fig, ax = new_figure(figsize=(10, 5))
    values = np.asarray(da.values, float)
    finite = values[np.isfinite(values)]
    if cmap == "RdBu_r" and finite.size:
        top = float(np.percentile(np.abs(finite), 98)) or 1.0
        mesh = ax.pcolormesh(da["lon"], da["lat"], values, cmap=cmap, vmin=-top, vmax=top)
    else:
        mesh = ax.pcolormesh(da["lon"], da["lat"], values, cmap=cmap)
    fig.colorbar(mesh, ax=ax, label=da.attrs.get("units", ""))
    if mask is not None:
        lon2, lat2 = np.meshgrid(da["lon"].values, da["lat"].values)
        m = np.asarray(mask.values, bool)
        ax.scatter(lon2[m], lat2[m], s=0.3, c="k", marker=".", linewidths=0)
    ax.set(
        xlabel="longitude (°E)",
        ylabel="latitude (°N)",
        title=title,
        xlim=(-180, 180),
        ylim=(-90, 90),
    )
    from fcspace.core.landmask import draw_coastlines

    draw_coastlines(ax)  # land cells of the grid are empty: the land fill shows through
    return save_figure(fig, path)


def quicklooks(ind: xr.Dataset, out_dir: str | os.PathLike[str]) -> list[Path]:
    """PNG maps: trend (dots where significant), P90 and exceedance frequency per variable.

    Extra dims (``pass``) are averaged for the maps.
    """
    out = Path(out_dir)
    paths = []
    for name in sorted(
        n.removesuffix("_trend") for n in ind.data_vars if str(n).endswith("_trend")
    ):

        def flat(v: str) -> xr.DataArray:
            da = ind[v]
            extra = [d for d in da.dims if d not in ("lat", "lon")]
            return da.mean(extra) if extra else da

        sig = ind[f"{name}_trend_significant"]
        sig = sig.any([d for d in sig.dims if d not in ("lat", "lon")]) if sig.ndim > 2 else sig
        paths.append(
            _map(
                flat(f"{name}_trend"),
                out / f"{name}_trend.png",
                f"{name} trend (Theil-Sen; dots: Mann-Kendall significant)",
                "RdBu_r",
                sig,
            )
        )
        pct = ind[f"{name}_percentile"]
        q90 = float(pct["percentile"].values[np.argmin(np.abs(pct["percentile"].values - 90))])
        p90 = pct.sel(percentile=q90, drop=True)
        paths.append(
            _map(
                p90.mean([d for d in p90.dims if d not in ("lat", "lon")]),
                out / f"{name}_p90.png",
                f"{name} P{q90:g}",
                "viridis",
                None,
            )
        )
        if f"{name}_exceedance" in ind:
            paths.append(
                _map(
                    flat(f"{name}_exceedance"),
                    out / f"{name}_exceedance.png",
                    f"{name} exceedance frequency",
                    "magma",
                    None,
                )
            )
    return paths
