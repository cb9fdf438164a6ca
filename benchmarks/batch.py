"""Benchmark of ``fcspace batch scat``: files per second with 1 and 2 workers, and a scale model.

1. Simulates ``--files`` SCAT L1B files of ``--rows`` rows (42 cells each) and runs
   :func:`fcspace.batch.run_files` on them twice, with a LocalCluster of 1 then 2 one-thread
   workers (fresh output folders, same inputs); the time counted is from submitting the tasks
   to the last product (cluster start excluded, worker warm-up included). Speed-up = files/s
   with 2 workers / files/s with 1.
2. Measures the cost of one full orbit (``--orbit-rows`` 1624 rows x 42 cells, the CFOSat SCAT
   L1B orbit size) with the one-file task in this process (read, MLE, 2DVAR, write).
3. Scale model: orbits of the archive = ``--orbits-per-day`` x days from the first SCAT data
   (2018-11-01) to today; CPU hours = orbits x per-orbit cost; workers to do it in one hour =
   ceil(CPU hours / parallel efficiency), the efficiency being the measured speed-up / 2.

The machine may be shared: the figures are what it measured, under whatever load it had.

Usage::

    python benchmarks/batch.py [--files 8] [--rows 100] [--orbit-rows 1624] [--no-orbit] [--json]
"""

from __future__ import annotations

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core per worker: the workers are the parallelism

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from fcspace.batch import run_files  # noqa: E402
from fcspace.cfosat.scat.io import write_l1b  # noqa: E402
from fcspace.cfosat.scat.process import process_file  # noqa: E402
from fcspace.cfosat.scat.simulate import simulate_orbit_segment  # noqa: E402

ARCHIVE_START = dt.date(2018, 11, 1)  # first CFOSat SCAT L1B data (launch 2018-10-29)


def make_inputs(folder: Path, n_files: int, rows: int) -> list[Path]:
    paths = []
    for seed in range(n_files):
        path = folder / f"CFO_BENCH_SCA_L1B_{seed:03d}.nc"
        l1b = simulate_orbit_segment(rows, scene="synoptic", seed=seed, start_lat=-40.0 + 5 * seed)
        write_l1b(l1b, path)
        paths.append(path)
    return paths


def throughput(inputs: list[Path], folder: Path, workers: int) -> dict:
    summary = run_files("scat", inputs, folder / f"out_{workers}", n_workers=workers)
    assert summary.ok and summary.count("done") == len(inputs), summary.to_dict()
    return {"workers": summary.workers, "seconds": round(summary.wall_seconds, 3),
            "files_per_second": round(summary.files_per_second, 4)}  # fmt: skip


def orbit_cost(folder: Path, rows: int) -> dict:
    src = folder / "CFO_BENCH_SCA_L1B_orbit.nc"
    write_l1b(simulate_orbit_segment(rows, scene="synoptic", seed=99, start_lat=-60.0), src)
    start = time.perf_counter()
    process_file((src, folder / "CFO_BENCH_SCA_L2B_orbit.nc"))
    return {"rows": rows, "cells": rows * 42, "seconds": round(time.perf_counter() - start, 2)}


def scale_model(seconds_per_orbit: float, efficiency: float, orbits_per_day: float) -> dict:
    days = (dt.date.today() - ARCHIVE_START).days
    orbits = round(days * orbits_per_day)
    cpu_hours = orbits * seconds_per_orbit / 3600.0
    return {
        "archive_start": ARCHIVE_START.isoformat(), "today": dt.date.today().isoformat(),
        "days": days, "orbits_per_day": orbits_per_day, "orbits": orbits,
        "cpu_hours": round(cpu_hours, 1), "parallel_efficiency": round(efficiency, 3),
        "workers_for_one_hour_ideal": math.ceil(cpu_hours),
        "workers_for_one_hour": math.ceil(cpu_hours / efficiency),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--orbit-rows", type=int, default=1624)
    parser.add_argument("--orbits-per-day", type=float, default=14.0)
    parser.add_argument("--no-orbit", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fcspace_bench_batch_") as tmp:
        folder = Path(tmp)
        inputs = make_inputs(folder, args.files, args.rows)
        one, two = throughput(inputs, folder, 1), throughput(inputs, folder, 2)
        speedup = two["files_per_second"] / one["files_per_second"]
        result = {"files": args.files, "rows_per_file": args.rows, "cpu_count": os.cpu_count(),
                  "load_average_1min": round(os.getloadavg()[0], 2),
                  "one_worker": one, "two_workers": two, "speedup": round(speedup, 3)}  # fmt: skip
        if not args.no_orbit:
            result["orbit"] = orbit_cost(folder, args.orbit_rows)
            efficiency = min(1.0, result["speedup"] / 2.0)
            result["scale"] = scale_model(
                result["orbit"]["seconds"], efficiency, args.orbits_per_day
            )
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.files} files x {args.rows} rows, {os.cpu_count()} cores, "
          f"load {result['load_average_1min']}")  # fmt: skip
    for key in ("one_worker", "two_workers"):
        r = result[key]
        print(f"  {r['workers']} worker(s): {r['seconds']} s, {r['files_per_second']} files/s")
    print(f"  speed-up: {result['speedup']}x")
    if "scale" in result:
        o, s = result["orbit"], result["scale"]
        print(f"full orbit ({o['rows']} rows x 42 cells): {o['seconds']} s")
        print(f"archive: {s['orbits']} orbits ({s['days']} days x {s['orbits_per_day']}/day), "
              f"{s['cpu_hours']} CPU h -> {s['workers_for_one_hour']} workers for one hour "
              f"({s['workers_for_one_hour_ideal']} at perfect scaling)")  # fmt: skip


if __name__ == "__main__":
    main()
