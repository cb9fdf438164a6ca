"""The ``fcspace`` program: one subcommand per instrument, mounted from each mission's cli."""

from __future__ import annotations

import typer

from fcspace import __version__
from fcspace.batch_cli import app as batch_app
from fcspace.cfosat.scat.cli import app as scat_app
from fcspace.cfosat.swim.cli import app as swim_app
from fcspace.dorn.cli import app as dorn_app
from fcspace.report_cli import report as report_command
from fcspace.sco.cli import app as sco_app
from fcspace.svom.alert_cli import app as alert_app
from fcspace.svom.eclairs.cli import app as eclairs_app
from fcspace.svom.grm.cli import app as grm_app

app = typer.Typer(
    name="fcspace",
    help="Science ground segment of the CNES-CNSA missions (CFOSat, SVOM, DORN).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(scat_app, name="scat", help="CFOSat SCAT: Ku-band fan-beam scatterometer winds.")
app.add_typer(swim_app, name="swim", help="CFOSat SWIM: nadir wave heights and wave spectra.")
app.add_typer(eclairs_app, name="eclairs", help="SVOM ECLAIRs: coded-mask imaging and triggers.")
app.add_typer(grm_app, name="grm", help="SVOM GRM: gamma-ray monitor simulation and triggers.")
app.add_typer(alert_app, name="alert", help="SVOM alerts: read and make VOEvent / GCN JSON.")
app.add_typer(dorn_app, name="dorn", help="Chang'e-6 DORN: radon spectra, fits, flux/Q inversion.")
app.add_typer(batch_app, name="batch", help="Many files, one dask task each; resumable manifest.")
app.add_typer(sco_app, name="sco", help="Space Climate Observatory: archive, L3 grids, indicators.")


app.command("report")(report_command)


@app.command()
def version() -> None:
    """Print the fcspace version."""
    typer.echo(__version__)


@app.command()
def demo(
    out: str = typer.Option("demo_output", help="Folder for products, PNGs and the report."),
    rows: int = typer.Option(500, help="Along-track rows of the simulated orbit segment."),
    seed: int = typer.Option(2026, help="Random seed of the simulation."),
) -> None:
    """Run the end-to-end demo on simulated data, plus the real files in ../shared if present."""
    from fcspace.demo import run_demo

    run_demo(out, rows=rows, seed=seed)


def main() -> None:
    """Console-script entry point."""
    app()
