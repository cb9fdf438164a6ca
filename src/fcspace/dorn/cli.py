"""``fcspace dorn``: simulate a lunar day of DORN spectra, fit them, invert, quicklook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from fcspace.core.cli import JSON_OPT, emit, fail
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_outputs

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="Spectra NetCDF file to write."),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    hours: float = typer.Option(3.0, help="Live time of each spectrum (Earth hours)."),
    spectra: int = typer.Option(24, help="Spectra per view over the lunar day."),
    flux: float = typer.Option(185.0, help="Truth: daily-mean Rn-222 exhalation, m-2 s-1."),
    q: float = typer.Option(8.5, help="Truth: adsorption heat, kcal/mol."),
    as_json: bool = JSON_OPT,
) -> None:
    """A lunar day at the Chang'e-6 site: sky- and ground-facing spectra with the truth."""
    from fcspace.dorn.day import DayConfig, simulate_day
    from fcspace.dorn.io import write_spectra

    check_outputs([], [out])
    try:
        cfg = DayConfig(flux_m2_s=flux, q_kcal_mol=q, n_spectra=spectra, live_time_h=hours)
        ds = simulate_day(cfg, seed)
        write_spectra(ds, out)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(out), "spectra_per_view": spectra, "live_time_h": hours,
          "truth_flux": flux, "truth_q": q, "seed": seed,
          "total_counts": int(ds["counts"].sum())}, as_json, "dorn simulate")  # fmt: skip


def _fit_summary(fits: Any) -> list[dict[str, Any]]:
    rows = []
    for view in fits["view"].values:
        for t in range(fits.sizes["time"]):
            f = fits.sel(view=view).isel(time=t)
            lines = {
                str(name): {k: float(f[k].sel(line=name)) for k in
                            ("activity", "activity_sigma", "decision_threshold", "detection_limit")}
                for name in f["line"].values
            }  # fmt: skip
            rows.append({"view": str(view), "local_time": float(f["local_time"]),
                         "gain": float(f["gain"]), "gain_sigma": float(f["gain_sigma"]),
                         "temperature_c_from_gain": float(f["temperature_c_from_gain"]),
                         "converged": bool(f["converged"]), "lines": lines})  # fmt: skip
    return rows


@app.command()
def fit(
    spectra: Path = typer.Argument(..., help="Spectra NetCDF (fcspace dorn simulate)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Fits NetCDF to write."),
    as_json: bool = JSON_OPT,
) -> None:
    """Fit every spectrum: line activities ± sigma, Currie limits, energy calibration."""
    from fcspace.dorn.invert import fit_day
    from fcspace.dorn.io import open_spectra, write_fits

    check_outputs([spectra], [out])
    try:
        fits = fit_day(open_spectra(spectra))
        if out is not None:
            write_fits(fits, out)
    except FcspaceError as err:
        fail(err)
    rows = _fit_summary(fits)
    result = {"spectra": str(spectra), "output": str(out) if out else None,
              "n_fits": len(rows), "converged": sum(r["converged"] for r in rows)}  # fmt: skip
    if as_json:
        emit(result | {"fits": rows}, True, "dorn fit")
        return
    emit(result, False, "dorn fit")


@app.command()
def invert(
    fits: Path = typer.Argument(..., help="Fits NetCDF (fcspace dorn fit --out)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Daily-mean exhalation flux and adsorption heat Q, with uncertainties."""
    from fcspace.dorn.invert import invert_day
    from fcspace.dorn.io import open_fits

    try:
        res = invert_day(open_fits(fits))
    except FcspaceError as err:
        fail(err)
    keys = ("flux", "flux_sigma", "q", "q_sigma", "correlation", "chi2", "ndof",
            "pull_flux", "pull_q")  # fmt: skip
    result = {"fits": str(fits)} | {k: float(res[k]) for k in keys if k in res}
    result |= {"production_scale": float(res.attrs["production_scale"]),
               "at_bound": bool(res.attrs["at_bound"])}  # fmt: skip
    emit(result, as_json, "dorn invert (flux m-2 s-1, Q kcal/mol)")


@app.command()
def quicklook(
    path: Path = typer.Argument(..., help="Spectra NetCDF (fcspace dorn simulate)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="PNG (default: beside input)."),
    atoms: int = typer.Option(10_000, help="Monte Carlo atoms of the radon map."),
) -> None:
    """PNG of the brightest spectrum with its fitted lines; PNG of the radon column map."""
    import numpy as np

    from fcspace.dorn.invert import fit_day
    from fcspace.dorn.io import open_spectra
    from fcspace.dorn.quicklook import radon_map, radon_map_figure, spectrum_figure

    target = out or path.with_suffix(".png")
    map_png = target.with_name(f"{target.stem}_radon_map.png")
    check_outputs([path], [target, map_png])
    try:
        ds = open_spectra(path)
        sky = ds["counts"].sel(view="sky").sel(channel=slice(430, 460)).sum("channel")
        one = ds.isel(time=[int(np.argmax(sky.values))])
        spectrum_figure(one, fit_day(one), target, time=0)
        weights = None
        if "truth_exhalation" in ds:
            lt = ds["local_time"].values
            weights = np.interp(np.arange(24) + 0.5, lt, ds["truth_exhalation"].values, period=24)
        flux = float(ds["truth_flux"]) if "truth_flux" in ds else 185.0
        q = float(ds["truth_q"]) if "truth_q" in ds else 8.5
        radon_map_figure(radon_map(weights, flux, q, n_atoms=atoms), map_png)
    except (FcspaceError, KeyError) as err:
        fail(err)
    typer.echo(str(target))
    typer.echo(str(map_png))
