"""The ``fcspace`` program: one subcommand per instrument, mounted from each mission's cli.

The missions and their subcommands come from :mod:`fcspace.core.registry` (each mission's
``mission.py``); this module names none of them.

Every failure of every command exits with code 2 and one line on stderr naming the file and
the problem (:class:`fcspace.core.cli.CleanErrorsGroup`); ``fcspace --debug ...`` (or
``FCSPACE_DEBUG=1``) prints the traceback too.
"""

from __future__ import annotations

import typer

from fcspace import __version__
from fcspace.batch_cli import app as batch_app
from fcspace.core.cli import DEBUG_ENV, CleanErrorsGroup
from fcspace.core.lazy_cli import mount_lazily
from fcspace.core.registry import commands
from fcspace.report_cli import report as report_command

app = typer.Typer(
    name="fcspace",
    help="Science ground segment of the CNES-CNSA missions (CFOSat, SVOM, DORN).",
    no_args_is_help=True,
    add_completion=False,
    cls=CleanErrorsGroup,
)


@app.callback()
def _options(
    debug: bool = typer.Option(
        False, "--debug", envvar=DEBUG_ENV, help="On failure, print the full traceback too."
    ),
) -> None:
    # read by CleanErrorsGroup.invoke from the root context's parameters
    del debug


mount_lazily(app, commands())  # each mission's cli is imported only when its name is run
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
    from fcspace.core.outputs import check_output_dirs
    from fcspace.demo import run_demo
    from fcspace.report import write_report

    check_output_dirs([out])
    run_demo(out, rows=rows, seed=seed, page=write_report)


def main() -> None:
    """Console-script entry point."""
    app()
