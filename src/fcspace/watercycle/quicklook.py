"""Water-cycle quicklooks: a snapshot image in (xi, eta) with the FOV boundaries; L2 maps.

matplotlib is imported inside the functions (through :mod:`fcspace.core.plots`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.plots import new_figure, save_figure
from fcspace.watercycle.retrieve import FLAGS

COAST_FLAG = FLAGS["coast"]

__all__ = ["product_figure", "snapshot_figure"]


def snapshot_figure(images: xr.Dataset, path: str | os.PathLike[str], snapshot: int = 0,
                    polarization: str = "H") -> Path:  # fmt: skip
    """TB image of one snapshot on the hexagonal grid in (xi, eta), AF-FOV and EAF-FOV drawn.

    ``images`` from :func:`fcspace.watercycle.retrieve.image_snapshots`; the boundaries are the
    0.5 contours of the alias-free masks (Camps et al. 1997; Kerr et al. 2010).
    """
    tb = images["reconstructed_tb"].sel(polarization=polarization).isel(snapshot=snapshot).values
    xi, eta = images["xi"].values, images["eta"].values
    fig, ax = new_figure(figsize=(7, 6))
    ok = np.isfinite(tb)
    sc = ax.scatter(xi[ok], eta[ok], c=tb[ok], s=6, cmap="viridis", marker="h")
    fig.colorbar(sc, ax=ax, label=f"TB_{polarization} (K)")
    for name, colour in (("alias_free", "white"), ("extended_alias_free", "red")):
        mask = images[name].values.astype(float)
        ax.tricontour(xi.ravel(), eta.ravel(), mask.ravel(), levels=[0.5], colors=colour,
                      linewidths=1.0)  # fmt: skip
    t = np.linspace(0, 2 * np.pi, 361)
    ax.plot(np.cos(t), np.sin(t), "k-", lw=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("ξ")
    ax.set_ylabel("η")
    ax.set_title(f"{images.attrs.get('array', '')} snapshot {snapshot}: AF-FOV white, "
                 "extended AF-FOV red")  # fmt: skip
    return save_figure(fig, path)


def _display_values(l2: xr.Dataset, name: str) -> np.ndarray:
    """Values of ``name`` to draw: cells flagged coast hidden; truths only on their surface."""
    values = np.asarray(l2[name].values, dtype=float).copy()
    flags = np.asarray(l2["flags"].values) if "flags" in l2 else None
    if flags is not None:
        values[(flags & COAST_FLAG) != 0] = np.nan
    if name.startswith("truth_") and "truth_land" in l2:
        land = np.asarray(l2["truth_land"].values) > 0.5
        values[~land if "soil" in name else land] = np.nan
    return values


def product_figure(l2: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Maps of retrieved soil moisture and SSS beside their truths on lat/lon.

    Cells flagged ``coast`` (mixed footprints, scored apart by :mod:`.validate`) are not drawn;
    each retrieved field shares its colour scale with its truth.
    """
    from matplotlib.ticker import MaxNLocator

    candidates = ("soil_moisture", "truth_soil_moisture", "sss", "truth_sss")
    shown = {n: _display_values(l2, n) for n in candidates if n in l2}
    shown = {n: v for n, v in shown.items() if np.isfinite(v).any()}
    if not shown:
        raise InputError("no retrieved soil moisture or salinity to draw", variable="soil_moisture")
    fig, axes = new_figure(ncols=len(shown), figsize=(5.2 * len(shown), 4.5), squeeze=False)
    lon, lat = l2["lon"].values, l2["lat"].values
    for ax, (name, values) in zip(axes[0], shown.items(), strict=True):
        pair = [
            v for k, v in shown.items() if k.removeprefix("truth_") == name.removeprefix("truth_")
        ]
        lo = float(min(np.nanmin(v) for v in pair))
        hi = float(max(np.nanmax(v) for v in pair))
        mesh = ax.pcolormesh(lon, lat, values, shading="auto", cmap="viridis", vmin=lo, vmax=hi)
        fig.colorbar(mesh, ax=ax, label=f"{name} ({l2[name].attrs.get('units', '')})")
        ax.set_title(name)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        ax.xaxis.set_major_locator(MaxNLocator(4))
    fig.tight_layout()
    return save_figure(fig, path)
