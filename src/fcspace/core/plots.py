"""Quicklook figures (matplotlib with the Agg backend, imported inside each function).

Figures are saved atomically (temporary name, then rename) like every other product.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from fcspace.core.products import atomic_path


def new_figure(**kwargs: Any) -> tuple[Any, Any]:
    """A matplotlib figure and axes on the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt.subplots(**kwargs)


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 120) -> Path:
    """Save ``fig`` as PNG atomically, close it, return the path."""
    import matplotlib.pyplot as plt

    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png", bbox_inches="tight")
    plt.close(fig)
    return Path(path)


def wind_map(
    lon: ArrayLike,
    lat: ArrayLike,
    speed: ArrayLike,
    wind_to_dir_deg: ArrayLike,
    path: str | os.PathLike[str],
    title: str = "",
    stride: int = 4,
    vmax: float | None = None,
) -> Path:
    """Map of wind speed (colour) with arrows every ``stride`` cells; directions are "to".

    Coastlines and land (:mod:`fcspace.core.landmask`) are drawn under the data.

    Arrow components follow the oceanographic convention: ``u = s sin(dir)``,
    ``v = s cos(dir)`` with ``dir`` clockwise from north, the direction the wind blows to.
    """
    lon_a, lat_a = np.asarray(lon, float), np.asarray(lat, float)
    spd, ang = np.asarray(speed, float), np.deg2rad(np.asarray(wind_to_dir_deg, float))
    fig, ax = new_figure(figsize=(9, 7))
    ok = np.isfinite(lon_a) & np.isfinite(lat_a) & np.isfinite(spd)
    top = vmax if vmax is not None else float(np.nanpercentile(spd[ok], 99.5)) if ok.any() else 1
    sc = ax.scatter(lon_a[ok], lat_a[ok], c=spd[ok], s=4, cmap="viridis", vmin=0, vmax=top)
    fig.colorbar(sc, ax=ax, label="wind speed (m s$^{-1}$)")
    sub = (slice(None, None, stride),) * lon_a.ndim
    q_ok = ok[sub] & np.isfinite(ang[sub])
    u, v = (spd * np.sin(ang))[sub][q_ok], (spd * np.cos(ang))[sub][q_ok]
    ax.quiver(lon_a[sub][q_ok], lat_a[sub][q_ok], u, v, scale=400, width=0.0015)
    if ok.any():
        from fcspace.core.landmask import draw_coastlines

        pad = 1.0  # degrees around the swath, so coasts at its edge show
        ax.set_xlim(lon_a[ok].min() - pad, lon_a[ok].max() + pad)
        ax.set_ylim(max(lat_a[ok].min() - pad, -90.0), min(lat_a[ok].max() + pad, 90.0))
        draw_coastlines(ax)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)
