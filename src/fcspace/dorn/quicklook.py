"""DORN quicklooks: a fitted spectrum with its lines, activities over the day, the radon map.

Figures are saved atomically through `fcspace.core.plots` (Agg backend).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.dorn.detector import CALIBRATION, LINES, background_rates, line_responses
from fcspace.dorn.instrument import DORN, DornInstrument

__all__ = ["activity_figure", "radon_map", "radon_map_figure", "spectrum_figure"]


def spectrum_figure(
    spectra: xr.Dataset,
    fits: xr.Dataset,
    path: str | os.PathLike[str],
    time: int | None = None,
    instrument: DornInstrument = DORN,
) -> Path:
    """Counts of both views at one time (default: largest sky Rn-222) with the fitted lines.

    Each line's expected counts are ``T a_j R_j(g)`` (fcspace.dorn.spectrum); the
    background is drawn separately.
    """
    from fcspace.core.plots import new_figure, save_figure

    if time is None:
        time = int(np.argmax(fits["activity"].sel(view="sky", line="Rn-222").values))
    fig, axes = new_figure(nrows=2, figsize=(10, 7), sharex=True)
    energy = spectra["energy"].values / 1000.0
    bkg_rates = background_rates(instrument)[:2]
    for ax, view in zip(axes, ("sky", "ground"), strict=True):
        fit = fits.sel(view=view).isel(time=time)
        live = float(fit["exposure_s"])
        resp = line_responses(float(fit["gain"]), instrument.offset_kev, instrument).rate
        ax.step(energy, spectra["counts"].sel(view=view).isel(time=time), where="mid",
                color="0.4", lw=0.8, label="counts")  # fmt: skip
        a = fit["activity"].values
        total = live * (np.clip(a, 0, None) @ resp + fit["background"].values @ bkg_rates)
        for j, name in enumerate(LINES):
            part = live * max(a[j], 0.0) * resp[j]
            if part.max() > 0.5 or name == CALIBRATION:
                ax.plot(energy, part, lw=1.0, label=f"{name} {a[j]:.3g}")
        ax.plot(energy, total, color="k", lw=1.0, label="fit")
        ax.set_yscale("symlog", linthresh=1.0)
        ax.set_xlim(4.0, 9.0)
        ax.set_ylabel("counts / 10 keV")
        lt = float(fits["local_time"].values[time])
        ax.set_title(
            f"DORN {view}-facing units, local time {lt:.1f} h, {live / 3600:.0f} h (units summed)"
        )
        ax.legend(fontsize=7, ncol=2)
    axes[-1].set_xlabel("energy (MeV)")
    return save_figure(fig, path)


def activity_figure(
    fits: xr.Dataset, inversion: xr.Dataset | None, path: str | os.PathLike[str]
) -> Path:
    """Fitted Rn-222 / Po-218 / Po-214 activities versus local time, with the model fit."""
    from fcspace.core.plots import new_figure, save_figure

    fig, axes = new_figure(nrows=2, figsize=(10, 7), sharex=True)
    lt = fits["local_time"].values
    for ax, view in zip(axes, ("sky", "ground"), strict=True):
        for k, name in enumerate(("Rn-222", "Po-218", "Po-214")):
            a = fits["activity"].sel(view=view, line=name).values
            s = fits["activity_sigma"].sel(view=view, line=name).values
            ax.errorbar(lt + 0.08 * k, a, s, fmt="o", ms=3, label=f"{name} fitted")
            if inversion is not None:
                ax.plot(lt, inversion["predicted"].sel(view=view, fit_line=name), lw=1)
        ax.set_ylabel("activity (Bq m$^{-2}$)")
        ax.set_title(f"{view}-facing units")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    if inversion is not None:
        axes[0].set_title(
            f"sky-facing units; F = {float(inversion.flux):.1f} ± {float(inversion.flux_sigma):.1f}"
            f" m$^{{-2}}$ s$^{{-1}}$, Q = {float(inversion.q):.3f} ± {float(inversion.q_sigma):.3f}"
            " kcal/mol"
        )
    axes[-1].set_xlabel("local time (h)")
    return save_figure(fig, path)


def radon_map(
    exhalation_local_time: np.ndarray | None = None,
    flux_m2_s: float = 185.0,
    q_kcal_mol: float = 8.5,
    n_atoms: int = 10_000,
    seed: int = 0,
) -> xr.Dataset:
    """Radon column over latitude x local time from `fcspace.dorn.exosphere.simulate`.

    ``exhalation_local_time`` (24 values, one per local hour) weights the source; the
    global mean source is ``flux_m2_s``.
    """
    from fcspace.dorn.exosphere import ExosphereConfig, simulate
    from fcspace.dorn.moon import CAL_J

    cfg = ExosphereConfig(n_atoms=n_atoms, seed=seed, source_flux_m2_s=flux_m2_s,
                          adsorption_heat_j_mol=q_kcal_mol * 1000.0 * CAL_J)  # fmt: skip
    return simulate(cfg, source_local_time_weights=exhalation_local_time)


def radon_map_figure(ds: xr.Dataset, path: str | os.PathLike[str], title: str = "") -> Path:
    """Map of the radon column density (latitude x local time), the landing site marked."""
    from fcspace.core.plots import new_figure, save_figure
    from fcspace.dorn.moon import CHANGE6_SITE

    fig, ax = new_figure(figsize=(9, 5))
    col = ds["column_density"].values
    top = float(col.max()) if col.max() > 0 else 1.0
    mesh = ax.pcolormesh(ds["local_time"], ds["lat"], np.log10(np.maximum(col, top * 1e-4)),
                         shading="nearest", cmap="magma")  # fmt: skip
    fig.colorbar(mesh, ax=ax, label="log10 Rn-222 column (atoms m$^{-2}$)")
    ax.axhline(CHANGE6_SITE.latitude_deg, color="c", lw=1, ls="--", label="Chang'e-6 latitude")
    ax.set_xlabel("local time (h)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(title or "Lunar radon exosphere (Monte Carlo)")
    ax.legend(fontsize=8, loc="lower right")
    return save_figure(fig, path)
