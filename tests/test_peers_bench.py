"""benchmarks/peers.py: the decay row run end to end in a subprocess (shape and agreement)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _peers(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "peers.py"), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip


def test_decay_row_json_shape_and_agreement():
    pytest.importorskip("radioactivedecay")
    proc = _peers("--repeats", "1", "--only", "decay", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"rows", "all_met", "skipped"}
    assert isinstance(out["all_met"], bool) and out["skipped"] == []
    (row,) = out["rows"]
    assert row["name"] == "decay" and row["goal"] == ">= 2x"
    assert set(row) >= {"row", "goal", "fcspace", "peer", "ratio", "met", "agree", "agreement"}
    for side in ("fcspace", "peer"):
        assert set(row[side]) >= {"min_s", "median_s", "what"}
        assert 0 < row[side]["min_s"] <= row[side]["median_s"]
    assert row["ratio"] == pytest.approx(row["peer"]["median_s"] / row["fcspace"]["median_s"])
    assert row["agree"] is True
    assert "InventoryHP" in row["agreement"]


def test_unknown_row_is_refused():
    proc = _peers("--only", "no_such_row", "--json")
    assert proc.returncode != 0 and "unknown rows" in proc.stderr


def test_alternate_warms_each_side_then_collects_before_every_timed_run(monkeypatch):
    """Each side runs once untimed, then alternated, a full GC (untimed) before each run."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from peer_rows import _timing
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    calls: list[str] = []
    monkeypatch.setattr(_timing.gc, "collect", lambda: calls.append("gc"))
    ours, peer = _timing.alternate(lambda: calls.append("ours"), lambda: calls.append("peer"), 3)
    assert calls == ["ours", "peer"] + ["gc", "ours", "gc", "peer"] * 3
    assert len(ours) == len(peer) == 3 and min(ours + peer) >= 0


def _instructions_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "svom_notices_instructions", ROOT / "benchmarks" / "svom_notices_instructions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_instruction_count_is_reported_skipped_without_valgrind(monkeypatch, capsys):
    module = _instructions_module()
    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    assert module.main(["--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"skipped": "valgrind is not installed"}


@pytest.mark.shared_data
def test_instruction_count_child_reads_every_notice_on_both_sides():
    pytest.importorskip("gcn_notice_parser")
    module = _instructions_module()
    if not module.notice_paths():
        pytest.skip("real SVOM notices absent")
    n = len(module.notice_paths())
    for side in module.SIDES:  # the child of each callgrind run, without valgrind
        assert module._read_passes(side, 2) == 2 * n
        assert module.main(["--child", side, "1"]) == 0
