"""Peer rows of ``benchmarks/peers.py``: one module per row of issue 13's table.

Contract: a row module defines ``ROW`` (str), ``GOAL`` (str, e.g. ">= 1.5x") and
``run(repeats: int = 5) -> dict`` returning ``{"row", "goal", "fcspace": {"min_s", "median_s",
"what"}, "peer": {...} or None, "ratio": peer_median / fcspace_median or None, "met", "agree",
"agreement"}``; a missing peer package makes ``run`` raise ``ModuleNotFoundError``. Modules
whose name starts with ``_`` are helpers, not rows.
"""
