"""Land/sea mask and coastlines, from the land fraction table shipped as package data.

The table (``core/data/land_fraction_3min.npz``) gives, on a 3-arc-minute (0.05 deg, ~5.6 km)
grid, the fraction of land among the 36 cells of the 30-arc-second GLOBE land/sea mask
(GLOBE Task Team 1999, NOAA NGDC) as distributed by the PyPI package global-land-mask 1.0.0
(MIT licence); ``tools/make_landmask.py`` derives it. It is shipped rather than read from
that package at run time because the package loads its whole 1 km mask (~0.9 GB) on import,
and a dask worker per core cannot afford that; the 0.4 MB table loads in milliseconds.

The GLOBE mask is an *ocean* mask: inland seas and lakes (the Caspian, the Great Lakes)
count as land, so winds that real scatterometers measure over them are drawn over land and
are not simulated there.

Coastlines are the 0.5 contour of the land fraction, drawn on the axes of a quicklook in
plain longitude/latitude: no map-projection library and no download (Natural Earth through
cartopy would need one at run time).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "coastline_grid",
    "draw_coastlines",
    "footprint_land_fraction",
    "is_land",
    "land_fraction",
]


@lru_cache(maxsize=1)
def _table() -> tuple[NDArray[np.uint8], int, float]:
    """(land counts rows north→south, fine cells per coarse cell, step in degrees)."""
    with resources.files("fcspace.core").joinpath("data/land_fraction_3min.npz").open("rb") as f:
        z = np.load(f)
        counts = np.ascontiguousarray(z["land_count"])
        per_cell, step = int(z["fine_per_cell"]), float(z["step_deg"])
    return counts, per_cell, step


def _indices(lat: NDArray, lon: NDArray, step: float, shape: tuple[int, int]) -> tuple:
    row = np.clip(((90.0 - lat) / step).astype(np.int64), 0, shape[0] - 1)
    col = (np.floor((np.mod(lon + 180.0, 360.0)) / step).astype(np.int64)) % shape[1]
    return row, col


def land_fraction(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """Fraction of land (0..1) in the 3-arc-minute cell holding each (lat, lon).

    Longitudes in any convention (-180..180 or 0..360); NaN positions give NaN. Latitudes
    outside [-90, 90] are an error.
    """
    la, lo = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    ok = np.isfinite(la) & np.isfinite(lo)
    if np.any(np.abs(la[ok]) > 90.0):
        raise ValueError("latitude outside [-90, 90] deg")
    counts, per_cell, step = _table()
    out = np.full(la.shape, np.nan)
    row, col = _indices(la[ok], lo[ok], step, counts.shape)
    out[ok] = counts[row, col] / per_cell
    return out


def is_land(lat: ArrayLike, lon: ArrayLike, threshold: float = 0.5) -> NDArray[np.bool_]:
    """True where the land fraction reaches ``threshold`` (NaN positions are not land)."""
    frac = land_fraction(lat, lon)
    return np.nan_to_num(frac, nan=0.0) >= threshold


def footprint_land_fraction(
    lat: ArrayLike, lon: ArrayLike, half_size_m: float, n: int = 5
) -> NDArray[np.float64]:
    """Land fraction of a square footprint (side ``2 half_size_m``) centred on each point.

    The mean of :func:`land_fraction` over an ``n x n`` grid of points spread over the square
    (local east/north offsets on a sphere of the Earth's mean radius): a 25 km scatterometer
    cell (``half_size_m=12500``) samples 25 table cells of ~5.6 km.
    """
    from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M

    la, lo = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    offs = np.linspace(-1.0, 1.0, n) * np.degrees(half_size_m / EARTH_MEAN_RADIUS_M)
    coslat = np.maximum(np.cos(np.radians(la)), 1e-6)
    total = np.zeros(la.shape)
    for dy in offs:
        plat = np.clip(la + dy, -90.0, 90.0)
        for dx in offs:
            total += land_fraction(plat, lo + dx / coslat)
    return total / (n * n)


def coastline_grid(
    lon_range: tuple[float, float], lat_range: tuple[float, float], max_cells: int = 1_000_000
) -> tuple[NDArray, NDArray, NDArray]:
    """(lon, lat, land fraction) on a grid over the ranges, decimated to <= ``max_cells``.

    ``lon_range`` may run past 180 (a 0..360 map) or cross it; longitudes are returned in the
    caller's convention so the contour lands where the caller's data are.
    """
    counts, per_cell, step = _table()
    lo0, lo1 = lon_range
    la0, la1 = max(lat_range[0], -90.0), min(lat_range[1], 90.0)
    n_lon = max(int(np.ceil((lo1 - lo0) / step)), 2)
    n_lat = max(int(np.ceil((la1 - la0) / step)), 2)
    stride = max(int(np.ceil(np.sqrt(n_lon * n_lat / max_cells))), 1)
    lon = np.linspace(lo0, lo1, max(n_lon // stride, 2))
    lat = np.linspace(la0, la1, max(n_lat // stride, 2))
    glat, glon = np.meshgrid(lat, lon, indexing="ij")
    row, col = _indices(glat, glon, step, counts.shape)
    return lon, lat, counts[row, col] / per_cell


def draw_coastlines(ax: Any, color: str = "0.25", linewidth: float = 0.6, fill: bool = True) -> Any:
    """Draw coastlines (and a light land fill) on lon/lat axes, over their current limits.

    Call it after the data are plotted (the axes' limits decide the area). Returns the
    contour set, or None when the axes span no area.
    """
    x0, x1 = sorted(ax.get_xlim())
    y0, y1 = sorted(ax.get_ylim())
    if not (x1 > x0 and y1 > y0):
        return None
    lon, lat, frac = coastline_grid((x0, x1), (y0, y1))
    if fill and np.any(frac >= 0.5):
        ax.contourf(lon, lat, frac, levels=[0.5, 1.01], colors=["0.88"], zorder=0)
    cs = ax.contour(lon, lat, frac, levels=[0.5], colors=[color], linewidths=linewidth, zorder=1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return cs
