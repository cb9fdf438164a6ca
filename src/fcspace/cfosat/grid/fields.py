"""L3 variables of one period from its per-cell sums: means, spreads, counts, CF attributes.

Statistics per cell: mean ``S1 / n``; sample variance ``(S2 - S1^2 / n) / (n - 1)`` (ddof = 1,
NaN for n < 2), from float64 sums (Chan, Golub & LeVeque 1983, *Am. Stat.* 37, 242, discuss
the pairwise alternative). The axial peak direction is averaged as doubled angles and its
spread is the circular standard deviation of Mardia & Jupp (2000, eq. 2.3.11), halved.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fcspace.cfosat.grid.spec import AXIAL, CF, COUNT_NAME, FAMILIES, PASSES, GridSpec


def _mean_std(n: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample standard deviation (ddof = 1) from count, sum and sum of squares."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s1 / n, np.nan)
        var = np.where(n > 1, (s2 - s1 * s1 / np.maximum(n, 1)) / (n - 1), np.nan)
    return mean, np.sqrt(np.maximum(var, 0.0))


def family_fields(
    family: str, count: np.ndarray, sums: dict[str, np.ndarray]
) -> dict[str, tuple[np.ndarray, dict[str, Any]]]:
    """L3 arrays of one family: ``<var>``, ``<var>_std`` per variable and the count."""
    out = {}
    for var in FAMILIES[family]:
        mean, std = _mean_std(count, sums[f"sum:{var}"], sums[f"sumsq:{var}"])
        out[var] = (mean.astype(np.float32), _attrs(var, "mean"))
        out[f"{var}_std"] = (std.astype(np.float32), _attrs(var, "standard_deviation"))
    if family == "spectra":
        c, s = sums[f"cos2:{AXIAL}"], sums[f"sin2:{AXIAL}"]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(count > 0, np.hypot(c, s) / np.maximum(count, 1), np.nan)
            mean = np.where(count > 0, np.degrees(np.arctan2(s, c)) / 2.0 % 180.0, np.nan)
            spread = np.degrees(np.sqrt(-2.0 * np.log(np.clip(r, 1e-12, 1.0)))) / 2.0
        out[AXIAL] = (mean.astype(np.float32), _attrs(AXIAL, "mean"))
        out[f"{AXIAL}_std"] = (
            np.where(count > 1, spread, np.nan).astype(np.float32),
            _attrs(AXIAL, "standard_deviation"),
        )
    cname = COUNT_NAME[family]
    out[cname] = (
        count.astype(np.int32),
        {
            "long_name": f"number of observations ({family})",
            "units": "1",
            "standard_name": "number_of_observations",
        },
    )
    return out


def _attrs(var: str, method: str) -> dict[str, Any]:
    standard, units, long_name = CF[var]
    attrs: dict[str, Any] = {"units": units, "cell_methods": f"time: {method} area: {method}"}
    if method == "mean":
        attrs["long_name"] = long_name
        if standard:
            attrs["standard_name"] = standard
    else:
        attrs["long_name"] = f"sample standard deviation (ddof=1) of {var} in the cell"
    if var == AXIAL:
        attrs["comment"] = (
            "axial mean of doubled angles (SWIM spectra are 180 degree ambiguous), clockwise "
            "from north; std is the circular standard deviation (Mardia & Jupp 2000)"
        )
    return attrs


def l3_coords(grid: GridSpec, start: np.datetime64, end: np.datetime64, n_pass: int) -> dict:
    """CF coordinates of one period: time (+ bounds), lat and lon (+ bounds), pass."""
    r = grid.res
    coords = {
        "time": (
            "time",
            [np.datetime64(start, "ns")],
            {"standard_name": "time", "long_name": "start of the period", "bounds": "time_bnds"},
        ),
        "time_bnds": (("time", "nv"), np.array([[start, end]], dtype="datetime64[ns]")),
        "lat": (
            "lat",
            grid.lat,
            {
                "standard_name": "latitude",
                "units": "degrees_north",
                "bounds": "lat_bnds",
                "axis": "Y",
            },
        ),
        "lon": (
            "lon",
            grid.lon,
            {
                "standard_name": "longitude",
                "units": "degrees_east",
                "bounds": "lon_bnds",
                "axis": "X",
            },
        ),
        "lat_bnds": (("lat", "nv"), np.stack([grid.lat - r / 2, grid.lat + r / 2], -1)),
        "lon_bnds": (("lon", "nv"), np.stack([grid.lon - r / 2, grid.lon + r / 2], -1)),
    }
    if n_pass == 2:
        coords["pass"] = ("pass", np.array(PASSES), {"long_name": "satellite pass direction"})
    return coords
