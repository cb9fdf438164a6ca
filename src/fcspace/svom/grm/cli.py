"""``fcspace grm``: simulate GRM event lists, run the rate trigger, localise (sky maps), plot.

``trigger``, ``localize`` and ``lightcurve`` read either an fcspace GRM event list (NetCDF,
from ``simulate``) or a real Fermi GBM TTE FITS file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from fcspace.core.cli import JSON_OPT, fail
from fcspace.core.errors import FcspaceError
from fcspace.core.report import dumps

app = typer.Typer(no_args_is_help=True, add_completion=False)

MIN_DET_OPT = typer.Option(
    None, "--min-detectors", help="Detectors over threshold (default: 2 for GRM, 1 for 1 det)."
)
THRESH_OPT = typer.Option(None, "--threshold", help="Threshold in sigma (default 4.5).")




def _config(n_det: int, min_detectors: int | None, threshold: float | None) -> Any:
    from dataclasses import replace

    from fcspace.svom.grm.trigger import GBM_CONFIG, GRM_CONFIG

    cfg = GRM_CONFIG if n_det > 1 else GBM_CONFIG
    if min_detectors is not None:
        cfg = replace(cfg, min_detectors=min_detectors)
    if threshold is not None:
        cfg = replace(cfg, threshold_sigma=threshold)
    return cfg


def _load_and_trigger(
    path: Path, min_detectors: int | None, threshold: float | None
) -> tuple[Any, list[dict[str, Any]]]:
    from fcspace.svom.grm.io import read_events
    from fcspace.svom.grm.trigger import run_trigger

    events = read_events(path)
    cfg = _config(int(events.sizes["det"]), min_detectors, threshold)
    return events, run_trigger(events, cfg)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="NetCDF event list to write."),
    duration: float = typer.Option(120.0, help="Seconds simulated."),
    start_utc: str = typer.Option("2025-01-01T00:00:00", help="UTC of the first event."),
    grb_at: float | None = typer.Option(60.0, help="Burst onset, s after start (none: no GRB)."),
    no_grb: bool = typer.Option(False, "--no-grb", help="Background only."),
    peak_flux: float = typer.Option(10.0, help="Peak photon flux, ph/cm2/s (10-1000 keV)."),
    theta: float = typer.Option(20.0, help="Off-axis angle from the ECLAIRs axis (deg)."),
    phi: float = typer.Option(45.0, help="Azimuth in the SVOM frame (deg)."),
    epeak: float = typer.Option(250.0, help="Band Epeak (keV)."),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Simulate a GRM event list (3 GRDs, background + a FRED/Band burst, truth attached)."""
    from fcspace.core.outputs import check_outputs
    from fcspace.svom.grm.instrument import GRM
    from fcspace.svom.grm.io import write_events
    from fcspace.svom.grm.simulate import GrbTruth, simulate_events
    from fcspace.svom.time import iso_to_met

    check_outputs([], [out])
    try:
        t0 = iso_to_met(start_utc, GRM.met_epoch_mjd_tt)
        grb = None if no_grb or grb_at is None else GrbTruth(
            t0_met=t0 + grb_at, theta_deg=theta, phi_deg=phi, peak_flux=peak_flux,
            epeak_kev=epeak,
        )  # fmt: skip
        ds = simulate_events(duration, grb, rng=seed, t_start_met=t0)
        write_events(ds, out)
    except FcspaceError as err:
        fail(err)
    result = {"output": str(out), "events": int(ds.sizes["event"]), "duration_s": duration,
              "grb": grb is not None, "seed": seed}  # fmt: skip
    typer.echo(dumps(result) if as_json else "\n".join(f"{k}: {v}" for k, v in result.items()))


def _print_triggers(triggers: list[dict[str, Any]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("time (UTC)", "MET", "timescale s", "band keV", "SNR", "detectors"):
        table.add_column(col)
    for t in triggers:
        band = f"{t['band_kev'][0]:g}-{t['band_kev'][1]:g}"
        table.add_row(t["time"], f"{t['met']:.3f}", f"{t['timescale_s']:g}", band,
                      f"{t['snr']:.1f}", ",".join(t["detectors"]))  # fmt: skip
    Console().print(table)


@app.command()
def trigger(
    path: Path = typer.Argument(..., help="GRM event list (NetCDF) or Fermi GBM TTE (FITS)."),
    min_detectors: int | None = MIN_DET_OPT,
    threshold: float | None = THRESH_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Rate trigger (16 ms-4.096 s, several bands, running background) on an event list."""
    from fcspace.svom.grm.io import read_event_arrays
    from fcspace.svom.grm.trigger import run_trigger

    try:  # arrays, not a Dataset: a GBM TTE file is triggered without importing xarray
        events = read_event_arrays(path)
        triggers = run_trigger(events, _config(len(events.detector_names), min_detectors,
                                                threshold))  # fmt: skip
    except FcspaceError as err:
        fail(err)
    result = {"file": str(path), "instrument": events.attrs.get("instrument", ""),
              "detectors": list(events.detector_names), "events": int(events.time.size),
              "triggers": triggers}  # fmt: skip
    if as_json:
        typer.echo(dumps(result))
        return
    _print_triggers(triggers, f"{path.name}: {len(triggers)} trigger(s)")


def _skymap_products(
    events: Any, triggers: list[dict[str, Any]], out_dir: Path, nside: int | None, stem: str
) -> list[dict[str, Any]]:
    """Per trigger: sky map, notice (same stem) and Mollweide quicklook in ``out_dir``."""
    from fcspace.svom.grm.notice import (
        grm_alert,
        skymap_of_trigger,
        truth_radec,
        write_localization,
    )

    out = []
    for k, trig in enumerate(triggers, start=1):
        name = f"{stem}_grm_{k}"
        sky = skymap_of_trigger(events, trig, nside, object_name=name)
        alert = grm_alert(sky, trig)
        paths = write_localization(sky, alert, out_dir / name, True,
                                   truth_radec(events, sky.attitude))  # fmt: skip
        ra, dec = sky.peak_radec
        out.append(paths | {"ra_deg": ra, "dec_deg": dec, "nside": sky.nside,
                            "area50_deg2": sky.area_deg2(0.5), "area90_deg2": sky.area_deg2(0.9),
                            "err_radius_deg": alert.err_radius_deg,
                            "attitude_assumed": sky.attitude_assumed})  # fmt: skip
    return out


@app.command()
def localize(
    path: Path = typer.Argument(..., help="GRM event list (NetCDF, 3 GRDs)."),
    skymap: Path | None = typer.Option(
        None, "--skymap", help="Folder: per trigger a HEALPix map (.fits), its notice (.xml) "
        "and a Mollweide quicklook (.png), same stem."
    ),  # fmt: skip
    nside: int | None = typer.Option(None, help="HEALPix nside (default: from the error)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Trigger, then localise each trigger from the GRD count ratios (SVOM frame).

    With ``--skymap``, each trigger also gets a probability sky map (ICRS, NESTED) and the
    notice stating the map's 90 % area (equal-area radius).
    """
    from fcspace.core.outputs import check_output_dirs, check_outputs
    from fcspace.svom.grm.localize import localize_trigger

    check_output_dirs([skymap])
    try:
        events, triggers = _load_and_trigger(path, None, None)
        if int(events.sizes["det"]) < 3:
            raise FcspaceError("localisation needs the 3 GRDs of the GRM")
        locs = [t | {"localization": localize_trigger(events, t)} for t in triggers]
        if skymap is not None:
            check_outputs([path], [skymap / f"{path.stem}_grm_{k}{ext}"
                                   for k in range(1, len(triggers) + 1)
                                   for ext in (".xml", ".fits", ".png")])  # fmt: skip
            maps = _skymap_products(events, triggers, skymap, nside, path.stem)
            locs = [t | {"skymap": m} for t, m in zip(locs, maps, strict=True)]
    except FcspaceError as err:
        fail(err)
    typer.echo(dumps({"file": str(path), "triggers": locs}) if as_json else dumps(locs))


@app.command("skymap")
def skymap_plot(
    path: Path = typer.Argument(..., help="HEALPix sky map (FITS) written by localize."),
    out: Path = typer.Option(..., "--out", "-o", help="PNG to write."),
    as_json: bool = JSON_OPT,
) -> None:
    """Mollweide quicklook of a sky map (50/90 % contours) and its credible areas."""
    from fcspace.core.outputs import check_outputs
    from fcspace.svom.grm.quicklook import plot_skymap
    from fcspace.svom.grm.skymap_fits import read_skymap

    check_outputs([path], [out])
    try:
        sky = read_skymap(path)
        target = plot_skymap(sky, out)
    except FcspaceError as err:
        fail(err)
    ra, dec = sky.peak_radec
    result = {"file": str(path), "output": str(target), "nside": sky.nside, "ra_deg": ra,
              "dec_deg": dec, "area50_deg2": sky.area_deg2(0.5),
              "area90_deg2": sky.area_deg2(0.9)}  # fmt: skip
    typer.echo(dumps(result) if as_json else "\n".join(f"{k}: {v}" for k, v in result.items()))


@app.command()
def lightcurve(
    path: Path = typer.Argument(..., help="GRM event list (NetCDF) or Fermi GBM TTE (FITS)."),
    out: Path = typer.Option(..., "--out", "-o", help="PNG to write."),
    bin_s: float = typer.Option(0.256, "--bin", help="Bin width (s)."),
) -> None:
    """Quicklook light curve per detector with the triggers marked."""
    from fcspace.core.outputs import check_outputs
    from fcspace.svom.grm.quicklook import plot_lightcurve

    check_outputs([path], [out])
    try:
        events, triggers = _load_and_trigger(path, None, None)
        target = plot_lightcurve(events, triggers, out, bin_s)
    except FcspaceError as err:
        fail(err)
    typer.echo(str(target))
