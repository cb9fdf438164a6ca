"""Water-cycle quicklooks: a snapshot image in (xi, eta) with the FOV boundaries; L2 maps.

matplotlib is imported inside the functions (through :mod:`fcspace.core.plots`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.core.plots import new_figure, save_figure

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


def product_figure(l2: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Maps of retrieved soil moisture, its truth and SSS (when carried) on lat/lon."""
    names = [n for n in ("soil_moisture", "truth_soil_moisture", "sss") if n in l2]
    fig, axes = new_figure(ncols=len(names), figsize=(5 * len(names), 4.5), squeeze=False)
    lon, lat = l2["lon"].values, l2["lat"].values
    sm_max = float(np.nanmax(l2["truth_soil_moisture"])) if "truth_soil_moisture" in l2 else 0.5
    for ax, name in zip(axes[0], names, strict=True):
        vmax = sm_max if "soil" in name else None
        mesh = ax.pcolormesh(lon, lat, l2[name].values, shading="auto", cmap="viridis",
                             vmin=0.0 if vmax else None, vmax=vmax)  # fmt: skip
        fig.colorbar(mesh, ax=ax, label=f"{name} ({l2[name].attrs.get('units', '')})")
        ax.set_title(name)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
    return save_figure(fig, path)
