"""DORN part of the demo: a simulated lunar day at the Chang'e-6 site, fitted and inverted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np


def _day(out: Path, seed: int) -> dict[str, Any]:
    from fcspace.dorn.day import DayConfig, simulate_day
    from fcspace.dorn.invert import fit_day, invert_day
    from fcspace.dorn.io import write_fits, write_spectra
    from fcspace.dorn.quicklook import activity_figure, spectrum_figure

    cfg = DayConfig()
    spectra = simulate_day(cfg, seed)
    write_spectra(spectra, out / "dorn_day_spectra.nc")
    start = time.perf_counter()
    fits = fit_day(spectra)
    fit_s = time.perf_counter() - start
    write_fits(fits, out / "dorn_day_fits.nc")
    start = time.perf_counter()
    inv = invert_day(fits)
    inv_s = time.perf_counter() - start
    spectrum_figure(spectra, fits, out / "dorn_spectrum.png")
    activity_figure(fits, inv, out / "dorn_activities.png")
    keys = ("flux", "flux_sigma", "q", "q_sigma", "correlation", "chi2", "ndof", "pull_flux",
            "pull_q")  # fmt: skip
    return {
        "site": spectra.attrs["site"],
        "truth": {"flux": cfg.flux_m2_s, "q": cfg.q_kcal_mol},
        "spectra_per_view": cfg.n_spectra,
        "live_time_h": cfg.live_time_h,
        "fits_converged": int(fits["converged"].sum()),
        "fits": int(fits["converged"].size),
        "recovered": {k: float(inv[k]) for k in keys},
        "seconds": {"fit": fit_s, "invert": inv_s},
        "weights": spectra["truth_exhalation"].values,
        "local_time": spectra["local_time"].values,
    }


def run(out: Path, shared: Path | None, rows: int, seed: int) -> dict[str, Any]:
    """Run the DORN demo; return its part of the report (``shared`` and ``rows`` unused)."""
    from fcspace.dorn.quicklook import radon_map, radon_map_figure

    sim = _day(out, seed)
    lt, exh = sim.pop("local_time"), sim.pop("weights")
    weights = np.interp(np.arange(24) + 0.5, lt, exh, period=24.0)
    rmap = radon_map(weights, sim["truth"]["flux"], sim["truth"]["q"], n_atoms=10_000, seed=seed)
    radon_map_figure(rmap, out / "dorn_radon_map.png")
    site = rmap["column_density"].sel(lat=-41.6, method="nearest")
    sim["radon_column_site_max"] = float(site.max())
    sim["radon_fates"] = {
        k[9:]: float(v) for k, v in rmap.attrs.items() if k.startswith("fraction")
    }
    return {"simulated": sim}


def markdown(report: dict[str, Any]) -> list[str]:
    """Report section (Markdown lines)."""
    sim = report["simulated"]
    rec, truth = sim["recovered"], sim["truth"]
    lines = ["## DORN, a simulated lunar day at the Chang'e-6 site", ""]
    lines += [
        f"{sim['spectra_per_view']} spectra per view (sky- and ground-facing units), "
        f"{sim['live_time_h']:.0f} h live each, over a full lunar day (Chang'e-6 itself "
        "operated ~2 Earth days, in daylight); "
        f"{sim['fits_converged']}/{sim['fits']} fits converged.",
        "",
        "| quantity | truth | recovered | sigma | pull |",
        "|---|---|---|---|---|",
        f"| daily-mean Rn-222 exhalation (m-2 s-1) | {truth['flux']:.1f} | {rec['flux']:.1f} | "
        f"{rec['flux_sigma']:.2f} | {rec['pull_flux']:+.2f} |",
        f"| adsorption heat Q (kcal/mol) | {truth['q']:.3f} | {rec['q']:.3f} | "
        f"{rec['q_sigma']:.3f} | {rec['pull_q']:+.2f} |",
        "",
        f"chi2 = {rec['chi2']:.1f} for {rec['ndof']:.0f} degrees of freedom. "
        f"Radon column above the site peaks at {sim['radon_column_site_max']:.3g} atoms m-2 "
        "(Monte Carlo map, dorn_radon_map.png; spectra dorn_spectrum.png, "
        "activities dorn_activities.png).",
    ]
    return lines + [""]


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    rec = report["simulated"]["recovered"]
    return {
        "DORN flux (m-2 s-1)": f"{rec['flux']:.1f} ± {rec['flux_sigma']:.1f}",
        "DORN Q (kcal/mol)": f"{rec['q']:.3f} ± {rec['q_sigma']:.3f}",
        "DORN pulls flux, Q": f"{rec['pull_flux']:+.2f}, {rec['pull_q']:+.2f}",
    }
