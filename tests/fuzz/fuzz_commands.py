"""Run one ``fcspace`` command case (in this process, or as a subprocess) and classify it.

In process, typer's ``CliRunner`` gives the exit code, stdout and stderr apart and the
exception a command let escape (a traceback for a user); the few cases that need a real process
(a FIFO, the exact stderr of the installed program) run ``python -c 'from fcspace.cli import
main; main()'`` with a timeout. Both are classified the same way (:func:`command_outcome`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fuzz_harness import Hang, Outcome, sha256, time_limit, where


@dataclass
class Run:
    """What a command did: exit code, stdout, stderr, and the exception it let escape."""

    code: int
    stdout: str
    stderr: str
    error: BaseException | None = None


def run_inprocess(argv: list[str], limit: float) -> Run:
    """``fcspace ARGV`` through ``CliRunner`` under a time limit (``Hang`` -> code -9)."""
    from typer.testing import CliRunner

    from fcspace.cli import app

    try:
        with time_limit(limit), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = CliRunner().invoke(app, argv, catch_exceptions=True)
    except Hang as err:
        return Run(-9, "", "", err)
    error = res.exception if not isinstance(res.exception, SystemExit) else None
    # a warning reaches a user's terminal on stderr, as in a real process
    shown = "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
    return Run(res.exit_code, res.stdout, shown + res.stderr, error)


def run_subprocess(argv: list[str], limit: float) -> Run:
    """``fcspace ARGV`` in a fresh interpreter (the installed program), killed after ``limit``."""
    code = "from fcspace.cli import main; main()"
    try:
        proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True, timeout=limit, stdin=subprocess.DEVNULL)  # fmt: skip
    except subprocess.TimeoutExpired:
        return Run(-9, "", "", Hang(f"no answer within {limit} s"))
    return Run(proc.returncode, proc.stdout, proc.stderr)


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def _error_outcome(run: Run, names: tuple[str, ...]) -> Outcome:
    """Classify a run that did not exit 0."""
    if isinstance(run.error, Hang) or run.code == -9:
        return Outcome("hang", str(run.error))
    if run.error is not None:
        msg = f"{type(run.error).__name__}: {run.error}".replace("\n", " ")[:300]
        return Outcome("traceback", f"{msg} [{where(run.error)}]")
    lines = _lines(run.stderr)
    if "Traceback" in run.stderr:
        last = lines[-1] if lines else ""
        return Outcome("traceback", f"exit {run.code}, Traceback on stderr: {last[:300]}")
    if run.code != 2:
        return Outcome("traceback", f"exit {run.code}: {' | '.join(lines)[:300]}")
    if len(lines) != 1:
        return Outcome("unnamed_error", f"{len(lines)} lines on stderr: {' | '.join(lines)[:300]}")
    if not any(n in lines[0] for n in names):
        return Outcome("unnamed_error", f"file not named: {lines[0][:300]}")
    return Outcome("clean_error", lines[0][:300])


def json_result(stdout: str, dirs: tuple[str, ...]) -> Any:
    """The command's JSON (folders replaced); None when stdout is not JSON.

    Text output (rich tables) is not compared: its line wrapping depends on the length of the
    paths it shows, which differ between case folders. The product itself is compared.
    """
    for d in dirs:
        stdout = stdout.replace(d, "<dir>")
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def listing(folder: Path | None) -> set[str]:
    """Names of the entries of ``folder`` (empty when it is absent or not a folder)."""
    if folder is None or not folder.is_dir():
        return set()
    return set(os.listdir(folder))


@dataclass
class Watch:
    """What is checked around a command: inputs' hashes, the output, the output folder."""

    inputs: tuple[Path, ...]
    out: Path | None
    expected: frozenset[str] = frozenset()
    hashes: tuple[str | None, ...] = ()
    out_existed: bool = False
    before: frozenset[str] = frozenset()

    def start(self) -> Watch:
        self.hashes = tuple(sha256(p) for p in self.inputs)
        self.out_existed = self.out is not None and os.path.lexists(self.out)
        self.before = frozenset(listing(self.out.parent if self.out else None))
        return self

    def new_files(self) -> frozenset[str]:
        """Names that appeared in the output's folder since :meth:`start`."""
        return frozenset(listing(self.out.parent if self.out else None) - self.before)

    def damage(self, failed: bool) -> Outcome | None:
        """``overwritten_input`` or ``partial_output`` when the command left either.

        ``expected``: the names the command wrote on the clean file (its output and the
        files it writes beside it); a success may leave only those.
        """
        for p, h in zip(self.inputs, self.hashes, strict=True):
            if sha256(p) != h:
                return Outcome("overwritten_input", f"{p.name} changed")
        if self.out is None:
            return None
        new = listing(self.out.parent) - self.before
        if failed and (new or (self.out.is_file() and not self.out_existed)):
            return Outcome("partial_output", f"left after the failure: {sorted(new)}")
        extra = new - {self.out.name} - self.expected
        if extra:
            return Outcome("partial_output", f"temporary files left: {sorted(extra)}")
        return None


def command_outcome(run: Run, watch: Watch, names: tuple[str, ...]) -> Outcome | None:
    """The failure class of a run (damage first), or None when it exited 0 cleanly."""
    failed = run.code != 0 or run.error is not None
    damage = watch.damage(failed)
    if damage is not None:
        return damage
    if failed:
        return _error_outcome(run, names)
    if "Traceback" in run.stderr:
        return Outcome("traceback", "exit 0 with a Traceback on stderr")
    return None
