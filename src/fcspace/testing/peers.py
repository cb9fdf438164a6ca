"""Peer libraries' data in fcspace's own forms, for checks and benchmarks against them.

:func:`radioactivedecay_table`: a decay chain with radioactivedecay's nuclear data (ICRP-107),
as rows of :data:`fcspace.dorn.nuclides.NUCLIDES`, so that a comparison of activities tests
the Bateman solvers alone (the NuDat/ENSDF values fcspace ships differ from ICRP-107 by up to
10 % on minor branches, At-218, and ~1e-3 on some half-lives). Needs radioactivedecay.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["radioactivedecay_table"]


def radioactivedecay_table(parent: str) -> dict[str, Any]:
    """The chain of ``parent`` (every daughter) from radioactivedecay; no spontaneous fission."""
    import radioactivedecay as rd

    from fcspace.dorn.nuclides import Branch, Nuclide

    table: dict[str, Any] = {}
    todo = [parent]
    while todo:
        name = todo.pop()
        if name in table:
            continue
        nuc = rd.Nuclide(name)
        half = nuc.half_life("s")
        branches = tuple(
            Branch(d, m, f)
            for d, m, f in zip(
                nuc.progeny(), nuc.decay_modes(), nuc.branching_fractions(), strict=True
            )
            if d != "SF"
        )
        table[name] = Nuclide(name, math.inf if half == math.inf else half, branches)
        todo += [b.daughter for b in branches]
    return table
