"""SVOM notices: machine instructions per notice read, fcspace against gcn-notice-parser.

Usage: .venv/bin/python benchmarks/svom_notices_instructions.py [--json]

A figure that does not drift with the machine's load, beside the timed ``notices`` row of
``benchmarks/peers.py`` (process CPU time, which on this shared 2-core machine moves by up to
20 % from minute to minute, and moves fcspace's side more than the peer's). Each side reads the
49 real notices of ../shared in a child process run under valgrind's callgrind, once with 2
and once with 12 passes kept alive (as the peer row keeps them); the difference of the two
instruction totals, over 10 passes x 49 notices, is the cost of reading one notice, without
the imports and start-up. Both sides' outputs are checked to agree first (the peer row's
``agreement``). Needs ``valgrind`` on PATH (Debian: ``apt-get install valgrind``; without it
the figure is reported skipped); about two and a half minutes in all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_rows.notices import agreement, notice_paths, peer_reader  # noqa: E402

from fcspace.svom.alerts.layouts import LAYOUTS, LEARN_AFTER  # noqa: E402

SIDES = ("fcspace", "gcn-notice-parser")
FEW, MANY = 2, 12  # passes of the two runs whose difference is counted


def _read_passes(side: str, passes: int) -> int:
    """Child process: read the notices ``passes`` times (after warm-up passes), results kept.

    The warm-up (``LEARN_AFTER + 1`` passes, on both sides) lets fcspace learn the notices'
    layouts (:mod:`fcspace.svom.alerts.layouts`), so both counted runs are in the steady state
    of a process that reads notices. Returns the number of notices read in the kept passes.
    """
    paths = notice_paths()
    if side == "fcspace":
        from fcspace.svom.alerts import read_voevents

        def read() -> list:
            return read_voevents(paths)
    else:
        read = peer_reader(paths)
    for _ in range(LEARN_AFTER + 1):  # steady state: fcspace has learnt the notices' layouts
        read()
    kept = [read() for _ in range(passes)]
    if side == "fcspace" and not len(LAYOUTS):
        raise RuntimeError("fcspace learnt no notice layout in the warm-up")
    return sum(map(len, kept))


def _instructions(side: str, passes: int) -> int:
    """Instructions callgrind counts for a child reading ``passes`` times."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
               sys.executable, __file__, "--child", side, str(passes)]  # fmt: skip
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run of {side} failed: {proc.stderr[-500:]}")
    return int(found.group(1))


def run() -> dict:
    """Instructions per notice of each side and their ratio (peer / fcspace)."""
    paths = notice_paths()
    agree, text = agreement(paths)
    per_notice = {}
    for side in SIDES:
        extra = _instructions(side, MANY) - _instructions(side, FEW)
        per_notice[side] = extra / ((MANY - FEW) * len(paths))
    return {
        "instructions_per_notice": per_notice,
        "ratio": per_notice["gcn-notice-parser"] / per_notice["fcspace"],
        "notices": len(paths),
        "agree": agree,
        "agreement": text,
        "method": f"callgrind, {MANY} minus {FEW} passes kept alive, over "
        f"{MANY - FEW} x {len(paths)} notices",
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: the figures as text or ``--json``; "skipped" without valgrind or notices."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--child", nargs=2, metavar=("SIDE", "PASSES"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _read_passes(args.child[0], int(args.child[1]))
        return 0
    skipped = ("valgrind is not installed" if shutil.which("valgrind") is None
               else None if notice_paths() else "no real notices in ../shared")  # fmt: skip
    if skipped:  # reported like a peer row whose peer is missing (make bench goes on)
        print(json.dumps({"skipped": skipped}) if args.json else f"skipped: {skipped}")
        return 0
    out = run()
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for side, n in out["instructions_per_notice"].items():
            print(f"{side:>18}: {n:12,.0f} instructions per notice")
        print(f"{'ratio':>18}: {out['ratio']:.2f} (peer / fcspace); {out['agreement']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
