"""Peer row: Rn-222 decay chain, 1000 scalar calls, fcspace.dorn.decay vs radioactivedecay.

Both sides get the same nuclear data (radioactivedecay's ICRP-107 values turned into an
fcspace table) and the same 1000 times, log-spaced from 1 min to 30 days, one scalar call
each: ``activities({"Rn-222": 1.0}, t, table)`` against
``radioactivedecay.Inventory({"Rn-222": 1.0}, "Bq").decay(t, "s").activities("Bq")``.
Agreement, checked first: every chain member against radioactivedecay's exact SymPy solver
(``InventoryHP``) to 1e-9 relative at 6 of the times, and against its float solver to 1e-9
relative on every activity above 1e-6 Bq (below that its own cancellation dominates: see
fcspace.dorn.decay).
"""

from __future__ import annotations

import math

import numpy as np

from fcspace.testing.peers import radioactivedecay_table
from peer_rows._timing import alternate, result, stats

ROW = "Rn-222 decay, 1000 scalar calls"
GOAL = ">= 2x"
TIMES = np.geomspace(60.0, 30 * 86400.0, 1000)
CHECK_TIMES = TIMES[[0, 199, 399, 599, 799, 999]]
REL = 1e-9


def _rel(ours: dict, ref: dict, floor: float = 0.0) -> float:
    """Largest relative difference over the members whose reference activity > floor."""
    if set(ours) != set(ref):
        return math.inf
    return max(
        (abs(ours[k] - float(v)) / float(v) for k, v in ref.items() if float(v) > floor),
        default=0.0,
    )


def run(repeats: int = 5) -> dict:
    """Agreement first, then both sides alternated ``repeats`` times (CPU time)."""
    import radioactivedecay as rd

    from fcspace.dorn.decay import activities

    table = radioactivedecay_table("Rn-222")
    hp = max(
        _rel(activities({"Rn-222": 1.0}, float(t), table),
             rd.InventoryHP({"Rn-222": 1.0}, "Bq").decay(float(t), "s").activities("Bq"))
        for t in CHECK_TIMES
    )  # fmt: skip
    fl = max(
        _rel(activities({"Rn-222": 1.0}, float(t), table),
             rd.Inventory({"Rn-222": 1.0}, "Bq").decay(float(t), "s").activities("Bq"), 1e-6)
        for t in TIMES[::50]
    )  # fmt: skip
    agree = hp <= REL and fl <= REL

    def ours() -> None:
        for t in TIMES:
            activities({"Rn-222": 1.0}, float(t), table)

    def peer() -> None:
        for t in TIMES:
            rd.Inventory({"Rn-222": 1.0}, "Bq").decay(float(t), "s").activities("Bq")

    a, b = alternate(ours, peer, repeats)
    return result(
        ROW, GOAL,
        stats(a, "fcspace.dorn.decay.activities, 1000 scalar times (chain cached)"),
        stats(b, f"radioactivedecay {rd.__version__} Inventory(...).decay(t).activities()"),
        agree,
        f"every member vs radioactivedecay InventoryHP (exact) max rel {hp:.1e} at "
        f"{len(CHECK_TIMES)} times; vs its float solver max rel {fl:.1e} on activities > 1e-6 "
        f"Bq at {len(TIMES[::50])} times (limit {REL:g})",
    )  # fmt: skip
