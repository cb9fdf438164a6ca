"""``fcspace alert``: read SVOM VOEvent notices and make new ones (VOEvent 2.0 or GCN JSON)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from fcspace.core.cli import fail
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_outputs
from fcspace.core.report import dumps, print_table

app = typer.Typer(no_args_is_help=True, add_completion=False)


class Format(StrEnum):
    """Output format of ``fcspace alert make``."""

    voevent = "voevent"
    json = "json"


@app.command()
def read(
    notice: Annotated[Path, typer.Argument(help="SVOM VOEvent 2.0 notice (XML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Read a notice and show its packet type, instrument, time, position and angles."""
    from fcspace.svom.alerts import alert_to_dict, read_voevent

    try:
        result = alert_to_dict(read_voevent(notice))
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(result))
        return
    flat = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    print_table(f"alert {notice.name}", flat)


def _detection(**options: Any) -> dict[str, Any]:
    out = {k: v for k, v in options.items() if v is not None and k not in ("band_low", "band_high")}
    low, high = options.get("band_low"), options.get("band_high")
    if (low is None) != (high is None):
        raise typer.BadParameter("give both --band-low and --band-high, or neither")
    if low is not None:
        out["band_kev"] = (low, high)
    return out


@app.command()
def make(
    ra: Annotated[float, typer.Option(help="ICRS right ascension [deg].")],
    dec: Annotated[float, typer.Option(help="ICRS declination [deg].")],
    time: Annotated[str, typer.Option(help="Trigger time, ISO 8601 UTC.")],
    snr: Annotated[float, typer.Option(help="Image (or rate, GRM) signal-to-noise ratio.")],
    instrument: Annotated[str, typer.Option(help="ECLAIRs | GRM | MXT")] = "ECLAIRs",
    timescale: Annotated[float | None, typer.Option(help="Trigger timescale [s].")] = None,
    band_low: Annotated[float | None, typer.Option(help="Band lower bound [keV].")] = None,
    band_high: Annotated[float | None, typer.Option(help="Band upper bound [keV].")] = None,
    err: Annotated[float | None, typer.Option(help="Error radius [deg] (MXT).")] = None,
    burst_id: Annotated[str | None, typer.Option(help="Burst id, e.g. sb26021102.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="voevent | json")] = Format.voevent,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
) -> None:
    """Build an alert from a localisation; write it as VOEvent 2.0 or GCN JSON."""
    from fcspace.svom import alerts

    check_outputs([], [out])
    detection = _detection(
        timescale_s=timescale,
        band_low=band_low,
        band_high=band_high,
        err_radius_deg=err,
        burst_id=burst_id,
    )
    try:
        alert = alerts.make_alert(ra, dec, time, snr, instrument=instrument, **detection)
        if out is not None:
            writer = alerts.write_voevent if fmt is Format.voevent else alerts.write_gcn_json
            writer(alert, out)
    except FcspaceError as error:
        fail(error)
    if out is not None:
        typer.echo(str(out))
    elif fmt is Format.voevent:
        typer.echo(alerts.voevent_bytes(alert).decode().rstrip("\n"))
    else:
        typer.echo(json.dumps(alerts.to_gcn_json(alert), indent=2, allow_nan=False))
