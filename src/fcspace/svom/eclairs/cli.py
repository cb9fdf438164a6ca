"""``fcspace eclairs``: simulate ECLAIRs event lists, make sky images, run the burst triggers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from fcspace.core.cli import JSON_OPT, emit, fail
from fcspace.core.errors import FcspaceError, InputError
from fcspace.core.outputs import check_output_dirs, check_outputs
from fcspace.core.progress import progress_bar
from fcspace.core.report import dumps, print_table

app = typer.Typer(no_args_is_help=True, add_completion=False)







@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="FITS event list to write."),
    theta: float = typer.Option(0.0, help="Off-axis angle of the burst (deg, from +X)."),
    phi: float = typer.Option(0.0, help="Azimuth of the burst (deg, from +Y towards +Z)."),
    peak_flux: float = typer.Option(5.0, help="Peak flux 15-150 keV (ph cm-2 s-1); 0 = none."),
    exposure: float = typer.Option(120.0, help="Duration of the event list (s)."),
    t0: float = typer.Option(80.0, help="Burst reference time (s after the start)."),
    met_start: float = typer.Option(0.0, help="MET of the first instant (s)."),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    att_ra: float | None = typer.Option(None, help="Pointing RA of the boresight (deg)."),
    att_dec: float | None = typer.Option(None, help="Pointing Dec of the boresight (deg)."),
    att_roll: float = typer.Option(0.0, help="Roll (deg), convention of fcspace.svom.frames."),
    as_json: bool = JSON_OPT,
) -> None:
    """Simulate an event list: a GRB (one FRED pulse, Band spectrum) plus background.

    With --att-ra/--att-dec the pointing is stored in the list (RA_PNT, DEC_PNT, PA_PNT), and
    ``fcspace eclairs trigger`` then gives sky positions without further options.
    """
    from fcspace.svom.eclairs.io import write_events
    from fcspace.svom.eclairs.simulate import simulate_grb
    from fcspace.svom.eclairs.sources import Grb

    check_outputs([], [out])
    try:
        grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=peak_flux, t0=t0)
        ds = simulate_grb(grb, exposure, seed, met_start=met_start)
        att = _attitude(att_ra, att_dec, att_roll, need=False)
        if att is not None:
            ds.attrs |= {"attitude_ra": att.ra, "attitude_dec": att.dec, "attitude_roll": att.roll}
        write_events(ds, out)
    except FcspaceError as err:
        fail(err)
    result = {"output": str(out), "events": int(ds.sizes["event"]),
              "source_events": int(ds.attrs["truth_n_source"]), "exposure_s": exposure,
              "theta_deg": theta, "phi_deg": phi, "peak_flux": peak_flux, "seed": seed}  # fmt: skip
    emit(result, as_json, "eclairs simulate")


def _read(path: Path) -> Any:
    from fcspace.svom.eclairs.io import read_events

    return read_events(path)


@app.command()
def image(
    events: Path = typer.Argument(..., help="FITS event list."),
    out: Path = typer.Option(..., "--out", "-o", help="Sky image FITS (a PNG is written beside)."),
    t_start: float | None = typer.Option(None, help="Start (s after the file start)."),
    t_stop: float | None = typer.Option(None, help="Stop (s after the file start)."),
    band_low: float = typer.Option(4.0, help="Low end of the energy band (keV)."),
    band_high: float = typer.Option(150.0, help="High end of the energy band (keV)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Sky image of a time window and band (quadratic background fit, deconvolution)."""
    from fcspace.svom.eclairs import imaging
    from fcspace.svom.eclairs.io import write_sky_image
    from fcspace.svom.eclairs.localize import localize
    from fcspace.svom.eclairs.quicklook import plot_sky_image

    check_outputs([events], [out, out.with_suffix(".png")])
    try:
        ds = _read(events)
        band = (band_low, band_high)
        shadow = imaging.shadowgram(ds, t_start, t_stop, band)
        status = ds["pixel_status"].values if "pixel_status" in ds else None
        bkg = imaging.fit_background(shadow, imaging.pixel_weights(status))
        t0 = 0.0 if t_start is None else t_start
        t1 = float(ds.attrs.get("exposure", 0.0)) if t_stop is None else t_stop
        sky = imaging.sky_image(shadow, bkg, pixel_status=status, exposure_s=t1 - t0,
                                band_kev=band)  # fmt: skip
        loc = localize(sky, shadow=shadow, pixel_status=status)
        write_sky_image(sky, out)
        png = plot_sky_image(sky, out.with_suffix(".png"), loc=loc)
    except FcspaceError as err:
        fail(err)
    result = {"output": str(out), "png": str(png), "band_kev": list(band),
              "t_start": t0, "t_stop": t1, "counts": float(shadow.sum()),
              "theta_deg": float(loc.theta_deg), "phi_deg": float(loc.phi_deg),
              "snr": float(loc.snr), "err_radius_deg": float(loc.err_radius_deg),
              "method": loc.method, "sigma_crb_deg": loc.sigma_crb_deg}  # fmt: skip
    emit(result, as_json, "eclairs image")


def _attitude(ra: float | None, dec: float | None, roll: float, need: bool) -> Any:
    """Attitude from the options; the default pointing (0, 0, 0) when alerts need one."""
    from fcspace.svom.frames import Attitude

    if (ra is None) != (dec is None):
        raise InputError("give both --att-ra and --att-dec, or neither", variable="attitude")
    if ra is None:
        return Attitude(0.0, 0.0, roll) if need else None
    if not -90.0 <= dec <= 90.0:
        raise InputError(f"--att-dec must be in [-90, 90], got {dec}", variable="attitude")
    return Attitude(ra, dec, roll)


def _write_alerts(
    triggers: list, att: Any, folders: tuple[Path | None, Path | None], reads: Path
) -> list[str]:
    """One VOEvent and/or GCN JSON notice per trigger in ``folders``; returns the paths written.

    Every path is checked before the first is written: none is ``reads`` (the event list) and
    no two triggers write the same notice.
    """
    from fcspace.svom.alerts import write_gcn_json, write_voevent
    from fcspace.svom.eclairs.trigger import trigger_alert

    planned = []
    for i, t in enumerate(triggers):
        alert = trigger_alert(t, att, i + 1)
        name = f"{alert.burst_id}_{t.trigger_type.lower()}"
        for folder, write, ext in zip(folders, (write_voevent, write_gcn_json), ("xml", "json"),
                                      strict=True):  # fmt: skip
            if folder is not None:
                planned.append((write, alert, folder / f"{name}.{ext}"))
    check_outputs([reads], [path for _, _, path in planned])
    return [str(write(alert, path)) for write, alert, path in planned]


@app.command()
def trigger(
    events: Path = typer.Argument(..., help="FITS event list."),
    att_ra: float | None = typer.Option(None, help="Pointing RA of the boresight (deg)."),
    att_dec: float | None = typer.Option(None, help="Pointing Dec of the boresight (deg)."),
    att_roll: float = typer.Option(0.0, help="Roll (deg), convention of fcspace.svom.frames."),
    voevent: Path | None = typer.Option(None, help="Folder: one VOEvent 2.0 per trigger."),
    gcn_json: Path | None = typer.Option(None, help="Folder: one GCN JSON notice per trigger."),
    as_json: bool = JSON_OPT,
) -> None:
    """Count-rate (image-confirmed) and image triggers; optional VOEvent / GCN JSON alerts.

    The pointing comes from --att-ra/--att-dec, else from the event list (RA_PNT, DEC_PNT).
    Without either the triggers carry instrument angles only (ra, dec null);
    alerts need a sky position, so --voevent/--gcn-json then use the pointing (0, 0, roll).
    """
    from fcspace.svom.eclairs.trigger import run_triggers

    check_output_dirs([voevent, gcn_json])
    try:
        ds = _read(events)
        if att_ra is None and att_dec is None and "attitude_ra" in ds.attrs:
            att_ra, att_dec = ds.attrs["attitude_ra"], ds.attrs["attitude_dec"]
            att_roll = ds.attrs.get("attitude_roll", att_roll)
        att = _attitude(att_ra, att_dec, att_roll, voevent is not None or gcn_json is not None)
        with progress_bar(not as_json, "ECLAIRs triggers") as tick:
            found = run_triggers(ds, attitude=att, progress=tick)
        folders = (voevent, gcn_json)
        alerts = _write_alerts(found, att, folders, events) if att is not None else []
    except FcspaceError as err:
        fail(err)
    result = {"events": str(events), "exposure_s": float(ds.attrs["exposure"]),
              "attitude": None if att is None else [att.ra, att.dec, att.roll],
              "n_triggers": len(found), "triggers": [t.to_dict() for t in found],
              "alerts": alerts}  # fmt: skip
    if as_json:
        typer.echo(dumps(result))
        return
    emit(result, False, "eclairs trigger")
    for i, t in enumerate(found):
        print_table(f"trigger {i + 1}", {k: v for k, v in t.to_dict().items() if v is not None})
