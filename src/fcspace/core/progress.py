"""Progress on the terminal: one live rich display per command, shared by every bar in it.

Every ``fcspace`` command runs under :func:`command_activity`: a transient spinner with the
command's name and the time elapsed, on stderr, so a long run (a full orbit, a simulated
archive, a lunar day) always shows it is working. Steps that know how far they are add a bar
to the same display with :func:`progress_bar` (rich allows one live display at a time). No
display with ``--json`` (scripts read stdout, and a bar would interleave with their logs) or
when stderr is not a terminal (CI logs, pipes).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["command_activity", "progress_bar", "wants_progress"]

_ACTIVE: list[Any] = []  # the live rich Progress of the running command, if any


def wants_progress(argv: list[str]) -> bool:
    """Whether a command line gets a live display: no ``--json`` and stderr a terminal."""
    return "--json" not in argv and sys.stderr.isatty()


def _new_progress() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                    transient=True, console=Console(stderr=True))  # fmt: skip


@contextmanager
def command_activity(enabled: bool, description: str) -> Iterator[None]:
    """The command's live display: a spinner task (no total) while the command runs."""
    if not enabled:
        yield
        return
    with _new_progress() as bar:
        bar.add_task(description, total=None)
        _ACTIVE.append(bar)
        try:
            yield
        finally:
            _ACTIVE.pop()


@contextmanager
def progress_bar(
    enabled: bool, description: str, total: float | None = 1.0
) -> Iterator[Callable[[float], None]]:
    """A bar with ``total`` steps; yields ``update(done)``. A no-op when ``enabled`` is False.

    Inside a command the bar joins the command's display; elsewhere (the Python API with
    ``progress=True``) it opens its own, transient.
    """
    if not enabled:
        yield lambda done: None
        return
    if _ACTIVE:
        bar = _ACTIVE[-1]
        task = bar.add_task(description, total=total)
        try:
            yield lambda done: bar.update(task, completed=done)
        finally:
            bar.remove_task(task)
        return
    with _new_progress() as own:
        task = own.add_task(description, total=total)
        yield lambda done: own.update(task, completed=done)
