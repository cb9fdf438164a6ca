"""Pieces shared by every mission's command line: the --json option, errors, result output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer

from fcspace.core.report import dumps, print_table

#: The ``--json`` option of every command whose result a script reads.
JSON_OPT = typer.Option(False, "--json", help="Print one JSON object for scripts (no bars).")


def fail(err: Exception) -> NoReturn:
    """Print ``err`` on stderr and leave with exit code 2 (bad input or settings)."""
    typer.secho(f"error: {err}", err=True, fg="red")
    raise typer.Exit(2)


def emit(result: dict[str, Any], as_json: bool, title: str) -> None:
    """Print a result: one JSON object, or rich tables (nested score groups as sub-tables)."""
    if as_json:
        typer.echo(dumps(result))
        return
    flat = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    print_table(title, flat)
    for key, value in result.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            for sub, scores in value.items():
                print_table(f"{title}: {key} {sub}", scores)


def level_name(src: Path, from_level: str, to_level: str) -> str:
    """Product file name: the input's level tag (``L1B``) turned into the output's (``L2B``).

    Without the tag in the input's name, ``_<to_level>`` is appended to its stem.
    """
    for old, new in ((from_level, to_level), (from_level.lower(), to_level.lower())):
        if old in src.stem:
            return src.stem.replace(old, new) + ".nc"
    return f"{src.stem}_{to_level.lower()}.nc"


def file_tasks(
    inputs: list[Path], out: Path | None, out_dir: Path | None, name: Callable[[Path], str]
) -> list[tuple[Path, Path]]:
    """(input, output) pairs: ``--out`` for one input, else ``--out-dir`` / ``name(input)``."""
    if len(inputs) == 1 and out is not None:
        return [(inputs[0], out)]
    if out_dir is None:
        raise typer.BadParameter("give --out for one input or --out-dir for several")
    return [(p, out_dir / name(p)) for p in inputs]


def process_files(
    func: Callable[[tuple[Path, Path]], dict[str, Any]],
    tasks: list[tuple[Path, Path]],
    options: dict[str, Any],
    title: str,
    hide: tuple[str, ...] = (),
) -> None:
    """Run one task per file (``run_batch``) and print the summaries (JSON or tables).

    ``options`` holds the command's ``scheduler``, ``workers`` and ``as_json`` values.
    """
    from fcspace.core.errors import FcspaceError
    from fcspace.core.parallel import run_batch

    as_json = bool(options["as_json"])
    try:
        results = run_batch(func, tasks, scheduler=options["scheduler"],
                            n_workers=options["workers"], progress=not as_json,
                            description=title)  # fmt: skip
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(results[0] if len(results) == 1 else results))
        return
    for res in results:
        emit({k: v for k, v in res.items() if k not in hide}, False, title)
