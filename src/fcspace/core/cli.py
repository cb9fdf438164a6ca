"""Pieces shared by every mission's command line: the --json option, errors, result output."""

from __future__ import annotations

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
