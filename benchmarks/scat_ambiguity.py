"""Ambiguity removal on the real CFOSat SCAT L2B orbit: agreement with the operational choice.

Runs 2DVAR (fcspace.cfosat.scat.ambiguity.remove_ambiguities) and the two baselines on the
file's own ambiguities and background, and prints the fraction of cells (>= 2 ambiguities)
where the selection equals the operational NSOAS ``wvc_selection``, per number of
ambiguities, with the CPU and wall time of each method and the 2DVAR convergence report
(iterations and cost per annealing pass). The library holds BLAS to one thread inside 2DVAR
(fcspace.core.threads), so the default environment does not oversubscribe the cores.

    .venv/bin/python benchmarks/scat_ambiguity.py [PATH] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import xarray as xr

from fcspace.cfosat.scat import ambiguity as amb
from fcspace.cfosat.scat.io import open_l2b
from fcspace.testing.data import shared_file

DEFAULT = shared_file(
    "cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc"
)


def read(path: Path) -> xr.Dataset:
    return open_l2b(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ds = read(args.path)
    ref = ds["wvc_selection"].values.astype(int)
    n = ds["num_ambigs"].values
    results = {}
    for name, fn in [
        ("nearest_to_background", amb.nearest_to_background),
        ("vector_median_filter_7x7", amb.vector_median_filter),
        ("2dvar", amb.remove_ambiguities_with_report),
    ]:
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn(ds)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        out, report = out if isinstance(out, tuple) else (out, None)
        agreement = amb.selection_agreement(out["wvc_selection"].values, ref, n)
        results[name] = {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), **agreement}
        if report is not None:
            results[name]["twodvar"] = report
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'method':26s} {'all':>7s} {'n=2':>7s} {'n=3':>7s} {'n=4':>7s} {'time':>8s}")
    for name, r in results.items():
        cols = " ".join(f"{100 * r[k]:6.2f}%" for k in ("all", "n=2", "n=3", "n=4"))
        print(f"{name:26s} {cols} {r['seconds']:7.2f}s wall {r['cpu_seconds']:7.2f}s CPU")
    for p in results["2dvar"]["twodvar"]["passes"]:
        print(f"  2DVAR pass eps_o={p['observation_error']:.3f}: {p['iterations']} it, "
              f"J {p['cost_start']:.1f} -> {p['cost_end']:.1f}, {p['stop']}")  # fmt: skip


if __name__ == "__main__":
    main()
