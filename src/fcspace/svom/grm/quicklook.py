"""Quicklooks: GRM (or Fermi GBM) light curves with triggers marked; GRM sky maps (Mollweide)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np


def plot_lightcurve(
    events: Any, triggers: list[dict[str, Any]], out: str | os.PathLike[str], bin_s: float = 0.256
) -> Path:
    """PNG light curve of each detector (all energies) with the triggers marked."""
    from fcspace.core.plots import new_figure, save_figure

    t = np.asarray(events["time"].values, float)
    trig = events.attrs.get("trigtime", np.nan)
    ref = float(trig) if np.isfinite(trig) else float(events["gti_start"].values.min())
    edges = np.arange(t.min(), t.max() + bin_s, bin_s)
    fig, ax = new_figure(figsize=(9, 4.5))
    for d, name in enumerate(events["detector_name"].values):
        rate, _ = np.histogram(t[events["detector"].values == d], edges)
        ax.step(edges[:-1] - ref, rate / bin_s, where="post", lw=0.8, label=str(name))
    for k, tr in enumerate(triggers):
        ax.axvline(tr["met"] - ref, color="red", ls="--", lw=1,
                   label="trigger" if k == 0 else None)  # fmt: skip
    ax.set_xlabel(f"time - {ref:.3f} MET (s)")
    ax.set_ylabel("counts s$^{-1}$ (all energies)")
    ax.set_title(f"{events.attrs.get('instrument', '')} {events.attrs.get('object', '')}".strip())
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return save_figure(fig, out)


def _mollweide_x(ra_deg: Any) -> Any:
    """Mollweide abscissa (rad) with RA increasing to the left, RA 0 in the centre."""
    return -np.deg2rad((np.asarray(ra_deg, float) + 180.0) % 360.0 - 180.0)


def plot_skymap(
    sky: Any,
    out: str | os.PathLike[str],
    truth_radec: tuple[float, float] | None = None,
    n_lon: int = 720,
) -> Path:
    """Mollweide PNG of a GRM HEALPix sky map with its 50 % and 90 % credible contours.

    The colour is the probability density (deg^-2); the contours are the greedy credible
    regions of :func:`fcspace.svom.grm.skymap.credible_levels`; the peak is marked with a
    cross and ``truth_radec`` (ICRS degrees), when given, with a star. Equatorial frame, RA
    increasing to the left (the sky seen from inside).
    """
    import astropy.units as u
    from astropy_healpix import HEALPix

    from fcspace.core.plots import new_figure, save_figure
    from fcspace.svom.grm.skymap import credible_levels

    hp = HEALPix(nside=sky.nside, order="nested", frame="icrs")
    xx, dd = np.meshgrid(np.linspace(-180.0, 180.0, n_lon), np.linspace(-90.0, 90.0, n_lon // 2))
    pix = hp.lonlat_to_healpix(((-xx) % 360.0) * u.deg, dd * u.deg)  # RA grows to the left
    density = sky.prob[pix] / sky.pixel_area_deg2
    levels = credible_levels(sky.prob)[pix]
    fig, ax = new_figure(figsize=(9, 5), subplot_kw={"projection": "mollweide"})
    x, y = np.deg2rad(xx), np.deg2rad(dd)
    mesh = ax.pcolormesh(x, y, density, cmap="cividis", shading="auto", rasterized=True)
    ax.contour(x, y, levels, levels=[0.5, 0.9], colors=["white", "orange"], linewidths=1.0)
    pra, pdec = sky.peak_radec
    ax.plot(_mollweide_x(pra), np.deg2rad(pdec), "m+", ms=12, mew=2, label="peak")
    if truth_radec is not None:
        ax.plot(_mollweide_x(truth_radec[0]), np.deg2rad(truth_radec[1]), "r*", ms=12,
                label="truth")  # fmt: skip
    ticks = np.arange(-150.0, 181.0, 30.0)
    ax.set_xticks(np.deg2rad(ticks))
    ax.set_xticklabels([f"{(-t) % 360:.0f}°" for t in ticks], fontsize=7)
    ax.grid(alpha=0.4)
    bar = fig.colorbar(mesh, ax=ax, orientation="horizontal", fraction=0.05, pad=0.08,
                       label="probability density (deg$^{-2}$)")  # fmt: skip
    bar.formatter.set_powerlimits((-2, 2))
    bar.ax.locator_params(nbins=5)
    ax.set_title(f"GRM {sky.object} {sky.date_obs}  90 %: {sky.area_deg2(0.9):.0f} deg², "
                 f"50 %: {sky.area_deg2(0.5):.0f} deg² (contours 50/90 %)", fontsize=9,
                 pad=18)  # fmt: skip
    ax.legend(loc="lower right", fontsize=8)
    return save_figure(fig, out)
