"""``fcspace batch``: run a one-file task over many files on dask, with a resumable manifest.

``fcspace batch TASK INPUTS... --out DIR [--workers N] [--scheduler ADDRESS]``: one dask
task per file, each writing its own product in DIR atomically; ``DIR/manifest.jsonl`` records
every input (output, SHA-256, status, error, time). A re-run skips the finished products and
redoes the rest. Exit status: 0 when every input is done or skipped, 2 when some failed (after
all ran: one ``failed: FILE: problem`` line each; the others' products are kept) or for bad
settings, as every fcspace failure. One command per task the missions register (``scat``, ``swim``).
See :mod:`fcspace.batch` and docs/cluster.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from fcspace.core.errors import FcspaceError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Process many files, one dask task per file; resumable (manifest.jsonl in --out).",
)

Inputs = Annotated[list[Path], typer.Argument(help="Input files, one task (and product) each.")]
OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Output folder: products and manifest.jsonl.")
]
Workers = Annotated[
    int | None, typer.Option("--workers", "-w", help="LocalCluster workers (default: cores).")
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a running dask scheduler (tcp://host:8786)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON summary (no bar).")]


def _announce(summary: object) -> None:
    from fcspace.batch import BatchSummary

    assert isinstance(summary, BatchSummary)
    typer.echo(f"scheduler: {summary.scheduler} ({summary.workers} workers)", err=True)
    typer.echo(f"dashboard: {summary.dashboard}", err=True)


def _report_failure(record: object) -> None:
    from fcspace.core.manifest import ManifestRecord

    assert isinstance(record, ManifestRecord)
    if record.status == "failed":
        typer.secho(f"failed: {record.input}: {record.error}", err=True, fg="red")


def _run(
    task: str,
    inputs: list[Path],
    out: Path,
    workers: int | None,
    scheduler: str | None,
    as_json: bool,
) -> None:
    from fcspace.batch import run_files
    from fcspace.core.cli import emit, fail
    from fcspace.core.outputs import check_output_dirs

    try:
        check_output_dirs([out])
        summary = run_files(task, inputs, out, scheduler=scheduler, n_workers=workers,
                            progress=not as_json, on_start=None if as_json else _announce,
                            on_record=_report_failure)  # fmt: skip
    except FcspaceError as err:
        fail(err)
    result = summary.to_dict()
    if not as_json:
        result.pop("failures")
    emit(result, as_json, f"batch {task}")
    if not summary.ok:
        if not as_json:
            typer.secho(f"{summary.count('failed')} of {len(summary.records)} inputs failed "
                        f"(see {summary.manifest})", err=True, fg="red")  # fmt: skip
        raise typer.Exit(2)


def _command(task: str) -> Callable[..., None]:
    """The ``fcspace batch TASK`` command."""

    def command(
        inputs: Inputs,
        out: OutDir,
        workers: Workers = None,
        scheduler: Scheduler = None,
        as_json: AsJson = False,
    ) -> None:
        _run(task, inputs, out, workers, scheduler, as_json)

    return command


def _mount_tasks() -> None:
    """One command per batch task the missions register (:mod:`fcspace.core.registry`)."""
    from fcspace.core.registry import batch_task, batch_task_names

    for name in batch_task_names():
        spec = batch_task(name)
        app.command(name, help=spec.help or spec.description)(_command(name))


_mount_tasks()


if __name__ == "__main__":  # python -m fcspace.batch_cli, until mounted as ``fcspace batch``
    app()
