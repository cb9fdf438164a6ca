"""Peer script of the ``grm_startup`` row: open a GBM TTE with astro-gdt-fermi, bin to 64 ms.

Usage: python benchmarks/peer_rows/_gdt_tte_lightcurve.py TTE_FILE [BIN_S]

The whole process is what is timed (interpreter start, imports, open, binning, output), as
``fcspace grm trigger TTE --json`` is on the other side. It prints one JSON object: the number
of bins, the first bin edge (s after the trigger time, gdt's time frame) and the counts of
every bin, which the row compares with fcspace's own binning of the same events. gdt calls
used as its documentation shows them: ``GbmTte.open``, ``to_phaii(bin_by_time, dt)``,
``to_lightcurve()``.
"""

import json
import sys

from gdt.core.binning.unbinned import bin_by_time
from gdt.missions.fermi.gbm.tte import GbmTte


def main() -> None:
    """Open, bin, print the light curve."""
    path = sys.argv[1]
    dt = float(sys.argv[2]) if len(sys.argv) > 2 else 0.064
    tte = GbmTte.open(path)
    try:
        lc = tte.to_phaii(bin_by_time, dt).to_lightcurve()
        out = {"bins": int(lc.size), "first_edge_s": float(lc.lo_edges[0]),
               "trigtime": float(tte.trigtime), "counts": [int(c) for c in lc.counts]}  # fmt: skip
    finally:
        tte.close()
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
