"""The ``fcspace`` program: one subcommand per instrument, mounted from each mission's cli.

The missions and their subcommands come from :mod:`fcspace.core.registry` (each mission's
``mission.py``); this module names none of them.
"""

from __future__ import annotations

import typer

from fcspace import __version__
from fcspace.batch_cli import app as batch_app
from fcspace.core.registry import commands, load
from fcspace.report_cli import report as report_command

app = typer.Typer(
    name="fcspace",
    help="Science ground segment of the CNES-CNSA missions (CFOSat, SVOM, DORN).",
    no_args_is_help=True,
    add_completion=False,
)
for _name, _target, _help in commands():
    app.add_typer(load(_target), name=_name, help=_help)
app.add_typer(batch_app, name="batch", help="Many files, one dask task each; resumable manifest.")
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
    from fcspace.report import write_report

    run_demo(out, rows=rows, seed=seed, page=write_report)


def main() -> None:
    """Console-script entry point."""
    app()
