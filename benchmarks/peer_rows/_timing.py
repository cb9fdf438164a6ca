"""Shared timing of the peer rows: both sides alternated, process CPU time, min and median."""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable


def stats(times: list[float], what: str) -> dict:
    """``{"min_s", "median_s", "what", "runs"}`` of a list of durations (s)."""
    return {"min_s": min(times), "median_s": statistics.median(times), "what": what,
            "runs": len(times)}  # fmt: skip


def alternate(
    ours: Callable[[], object], peer: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    """CPU seconds of ``repeats`` runs of each side, alternated (ours, peer, ours, ...).

    Each side runs once untimed first (first-use costs: caches, lazy imports, memory
    growth). Before every timed run a full garbage collection is made, outside the timed
    region: otherwise a full collection set off by the objects both sides (and the imports)
    have left lands on whichever side happens to be running, and costs it several
    milliseconds that are not its own. Collections that a run's own allocations set off
    are still timed.
    """
    ours(), peer()
    a, b = [], []
    for _ in range(max(int(repeats), 1)):
        for fn, out in ((ours, a), (peer, b)):
            gc.collect()
            t0 = time.process_time()
            fn()
            out.append(time.process_time() - t0)
    return a, b


def goal_met(goal: str, ratio: float | None, agree: bool) -> bool:
    """Whether a ``">= N x"`` goal is met by ``ratio``; a row that does not agree never is."""
    m = re.fullmatch(r"\s*>=\s*([0-9.]+)\s*x\s*", goal)
    return bool(agree and m and ratio is not None and ratio >= float(m.group(1)))


def result(row: str, goal: str, ours: dict, peer: dict, agree: bool, agreement: str) -> dict:
    """The row's dict of the peer-row contract (ratio = peer median / fcspace median)."""
    ratio = peer["median_s"] / ours["median_s"] if ours["median_s"] > 0 else None
    return {
        "row": row,
        "goal": goal,
        "fcspace": ours,
        "peer": peer,
        "ratio": ratio,
        "met": goal_met(goal, ratio, agree),
        "agree": bool(agree),
        "agreement": agreement,
    }
