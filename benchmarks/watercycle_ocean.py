"""Benchmark of the sea-surface-salinity retrieval: vectorised Gauss-Newton vs a scipy loop.

Simulates ``--cells`` ocean cells (SSS 30-38 psu, SST 275-303 K, wind 0-15 m/s, incidence
20-55 deg) with :func:`fcspace.watercycle.ocean.ocean_tb` and 0.3 K noise, then retrieves SSS

1. with :func:`fcspace.watercycle.ocean.retrieve_sss` on all cells at once, and
2. with a per-cell ``scipy.optimize.least_squares`` loop on the first ``--loop-cells`` cells
   (same forward model, same data), scaled to cells per second.

It reports cells/s of both, their ratio (the issue asks for >= 100x), and the largest
difference between the two solutions on the common cells (both solve the same problem).
One core (thread variables set to 1); the machine may be shared.

Usage::

    python benchmarks/watercycle_ocean.py [--cells 100000] [--loop-cells 300] [--json]
"""

from __future__ import annotations

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

from fcspace.watercycle.ocean import ocean_tb, retrieve_sss  # noqa: E402


def simulate(n: int, seed: int = 1) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    sss = rng.uniform(30.0, 38.0, n)
    sst = rng.uniform(275.0, 303.0, n)
    wind = rng.uniform(0.0, 15.0, n)
    theta = rng.uniform(20.0, 55.0, n)
    tb_h, tb_v = ocean_tb(sss, sst, wind, theta)
    tb_h = tb_h + rng.normal(0.0, 0.3, n)
    tb_v = tb_v + rng.normal(0.0, 0.3, n)
    return sss, sst, wind, theta, tb_h, tb_v


def scipy_loop(sst, wind, theta, tb_h, tb_v) -> np.ndarray:
    out = np.empty(sst.size)
    for i in range(sst.size):

        def residual(s, i=i):
            h, v = ocean_tb(s[0], sst[i], wind[i], theta[i])
            return [h - tb_h[i], v - tb_v[i]]

        out[i] = least_squares(residual, [35.0], bounds=(0.5, 44.5)).x[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--loop-cells", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sss, sst, wind, theta, tb_h, tb_v = simulate(args.cells)
    t0 = time.perf_counter()
    fast, _ = retrieve_sss(tb_v, tb_h, theta, sst, wind, nedt_k=0.3)
    t_fast = time.perf_counter() - t0
    k = min(args.loop_cells, args.cells)
    t0 = time.perf_counter()
    slow = scipy_loop(sst[:k], wind[:k], theta[:k], tb_h[:k], tb_v[:k])
    t_slow = time.perf_counter() - t0
    result = {
        "cells": args.cells,
        "vectorised_cells_per_s": round(args.cells / t_fast, 1),
        "scipy_loop_cells": k,
        "scipy_loop_cells_per_s": round(k / t_slow, 1),
        "speed_ratio": round((args.cells / t_fast) / (k / t_slow), 1),
        "max_abs_diff_psu": float(np.max(np.abs(fast[:k] - slow))),
        "rmse_vs_truth_psu": float(np.sqrt(np.mean((fast - sss) ** 2))),
    }
    if args.json:
        print(json.dumps(result))  # noqa: T201
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")  # noqa: T201


if __name__ == "__main__":
    main()
