"""CPU cost of the checks of issue 14 on the real Fermi GBM TTE file (284,600 events).

Three reads: a bare astropy read of the columns :func:`fcspace.svom.grm.io.read_gbm_tte` uses;
the same with CHECKSUM/DATASUM verified (the difference is the checksum cost); and the full
``read_gbm_tte`` (checksums, header numbers, TIME in [TSTART, TSTOP], EBOUNDS, PHA indices, and
building the event-list Dataset). CPU time (``time.process_time``), min and median of
``--repeat`` runs.

Run: ``.venv/bin/python benchmarks/svom_reader_checks.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

GBM = "svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit"


def bare_read(path: Path, checksum: bool = False) -> int:
    """The columns read_gbm_tte needs, read by astropy (checksums verified if ``checksum``)."""
    from astropy.io import fits

    with fits.open(path, memmap=False, checksum=checksum) as hdul:
        t = np.asarray(hdul["EVENTS"].data["TIME"], float)
        pha = np.asarray(hdul["EVENTS"].data["PHA"], np.int64)
        e = np.asarray(hdul["EBOUNDS"].data["E_MIN"], float)
        gti = np.asarray(hdul["GTI"].data["START"], float)
    return t.size + pha.size + e.size + gti.size


def cpu(func, repeat: int) -> tuple[float, float]:
    """(min, median) CPU seconds of ``func()`` over ``repeat`` runs (one warm-up first)."""
    func()
    runs = []
    for _ in range(repeat):
        t0 = time.process_time()
        func()
        runs.append(time.process_time() - t0)
    return min(runs), statistics.median(runs)


def main() -> None:
    """Print the CPU time of the checked and the bare read."""
    from fcspace.svom.grm.io import read_gbm_tte
    from fcspace.testing.data import shared_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    path = shared_file(GBM)
    if not path.exists():
        raise SystemExit(f"real GBM file not found: {path}")
    rows = {
        "astropy bare read": cpu(lambda: bare_read(path), args.repeat),
        "bare read + checksums": cpu(lambda: bare_read(path, True), args.repeat),
        "read_gbm_tte": cpu(lambda: read_gbm_tte(path), args.repeat),
    }
    for name, (lo, med) in rows.items():
        print(f"{name:24s} min {lo * 1e3:7.1f} ms  median {med * 1e3:7.1f} ms CPU")


if __name__ == "__main__":
    main()
