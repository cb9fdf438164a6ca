"""Peak memory of L3 gridding: 1 month vs 12 months of simulated L2 files (tracemalloc).

The gridder streams files into one dense accumulator per open period and writes each
finished period out, so the peak should not grow with the number of months. A year of SCAT
L2B + SWIM L2 files is simulated once (reduced sampling, see fcspace.sco.archive) into
``--archive`` and reused.

    python benchmarks/grid_memory.py --json
    python benchmarks/grid_memory.py --res 0.25 --orbits-per-day 2 --json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from fcspace.cfosat.grid import GridSpec, grid_files, write_l3
from fcspace.sco.archive import ArchiveConfig, simulate_archive


def _archive(folder: Path, orbits_per_day: int, seed: int) -> list[Path]:
    cfg = ArchiveConfig(
        days=365,
        start="2021-01-01",
        seed=seed,
        orbits_per_day=orbits_per_day,
        row_step=8,
        box_step=8,
    )
    if (folder / "archive.json").exists():
        meta = json.loads((folder / "archive.json").read_text())["config"]
        if meta["orbits_per_day"] == orbits_per_day and meta["seed"] == seed:
            return sorted(folder.glob("CFOSAT_*.nc"))
    return simulate_archive(folder, cfg)


def _month_files(paths: list[Path], months: int) -> list[Path]:
    """Files whose name stamp falls in the first ``months`` months of 2021."""
    end = np.datetime64("2021-01", "M") + np.timedelta64(months, "M")
    keep = []
    for p in paths:
        stamp = p.stem.split("_")[3]
        t = np.datetime64(f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}", "M")
        if t < end:
            keep.append(p)
    return keep


def _peak(files: list[Path], grid: GridSpec, period: str, out: Path) -> tuple[float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    write_l3(grid_files(files, grid, period), out, grid, period, len(files))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--res", type=float, default=0.5)
    ap.add_argument("--period", default="monthly", choices=("daily", "monthly"))
    ap.add_argument("--orbits-per-day", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--archive", type=Path, default=Path(tempfile.gettempdir()) / "fcspace_grid_bench"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    paths = _archive(args.archive, args.orbits_per_day, args.seed)
    grid = GridSpec(args.res)
    result = {
        "res": args.res,
        "period": args.period,
        "orbits_per_day": args.orbits_per_day,
        "peak_mib": {},
        "seconds": {},
        "files": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for months in (1, 12):
            files = _month_files(paths, months)
            peak, secs = _peak(files, grid, args.period, Path(tmp) / f"l3_{months}.nc")
            key = f"{months}_month" + ("s" if months > 1 else "")
            result["peak_mib"][key] = round(peak, 1)
            result["seconds"][key] = round(secs, 1)
            result["files"][key] = len(files)
    result["ratio_12_to_1"] = round(
        result["peak_mib"]["12_months"] / result["peak_mib"]["1_month"], 3
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
