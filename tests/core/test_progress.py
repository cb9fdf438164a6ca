"""Progress: one live display per command, bars joining it, nothing with --json or no terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fcspace.core import progress as pg


def test_bars_join_the_command_display_and_leave_it() -> None:
    with pg.command_activity(True, "fcspace test"):
        display = pg._ACTIVE[-1]
        assert len(display.tasks) == 1 and display.tasks[0].total is None  # the spinner
        with pg.progress_bar(True, "steps", total=4) as update:
            update(3)
            bar = [t for t in display.tasks if t.description == "steps"][0]
            assert (bar.completed, bar.total) == (3, 4)
        assert [t.description for t in display.tasks] == ["fcspace test"]
    assert pg._ACTIVE == []


def test_disabled_bars_do_nothing() -> None:
    with pg.command_activity(False, "x"):
        assert pg._ACTIVE == []
        with pg.progress_bar(False, "steps", total=3) as update:
            update(1)  # a no-op


def test_no_display_for_json_or_without_a_terminal() -> None:
    assert not pg.wants_progress(["scat", "info", "f.nc", "--json"])
    if not sys.stderr.isatty():
        assert not pg.wants_progress(["scat", "info", "f.nc"])


@pytest.mark.skipif(shutil.which("script") is None, reason="no `script` (util-linux) for a pty")
def test_a_long_command_shows_its_bar_in_a_terminal(tmp_path: Path) -> None:
    fcspace = Path(sys.executable).with_name("fcspace")
    log = tmp_path / "tty.txt"
    for extra, shown in (([], True), (["--json"], False)):
        out = tmp_path / f"arch{len(extra)}"
        cmd = " ".join([str(fcspace), "sco", "simulate-archive", "--days", "1",
                        "--orbits-per-day", "3", "--out", str(out), *extra])
        run = subprocess.run(["script", "-qec", cmd, str(log)], capture_output=True, timeout=300,
                             env={**os.environ, "COLUMNS": "120"}, check=False)  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:]
        text = run.stdout.decode("utf-8", "replace")  # what the terminal showed
        assert ("revolutions simulated" in text) is shown
        assert ("fcspace sco simulate-archive" in text) is shown  # the command's spinner
