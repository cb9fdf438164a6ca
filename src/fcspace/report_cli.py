"""``fcspace report DIR [--out FILE]``: the self-contained HTML page of an output folder.

Mount :func:`report` as a command (``app.command("report")(report)``); :data:`app` runs it on
its own (``python -m fcspace.report_cli DIR``). See :mod:`fcspace.report` and docs/report.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fcspace.core.errors import FcspaceError

Directory = Annotated[
    Path, typer.Argument(help="Output folder of a run: report.json, manifests, PNGs, products.")
]
Out = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Where to write the page (default: DIR/report.html)."),
]


def report(directory: Directory, out: Out = None) -> None:
    """Write one self-contained HTML page (figures embedded) describing DIR; print its path."""
    from fcspace.core.cli import fail
    from fcspace.report import write_report

    try:
        path = write_report(directory, out)
    except FcspaceError as err:
        fail(err)
    typer.echo(str(path))


app = typer.Typer(add_completion=False, help="Self-contained HTML report of an output folder.")
app.command("report")(report)

if __name__ == "__main__":  # python -m fcspace.report_cli DIR, until mounted as ``fcspace report``
    app()
