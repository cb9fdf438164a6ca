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
    """Write one self-contained HTML page (figures embedded) describing DIR; print its path.

    The page is never written over a file it reads (``--out DIR/report.json`` is refused);
    entries of DIR that are not regular files (FIFOs, devices) are skipped, one warning line
    each on stderr.
    """
    from fcspace.core.cli import fail, one_line
    from fcspace.report import write_report

    skipped: list[tuple[Path, str]] = []
    try:
        path = write_report(directory, out, skipped=skipped)
    except FcspaceError as err:
        fail(err)
    for entry, why in skipped:
        typer.echo(one_line(f"warning: {entry}: {why}"), err=True)
    typer.echo(str(path))


app = typer.Typer(add_completion=False, help="Self-contained HTML report of an output folder.")
app.command("report")(report)

if __name__ == "__main__":  # python -m fcspace.report_cli DIR, until mounted as ``fcspace report``
    app()
