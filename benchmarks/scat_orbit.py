"""One SCAT orbit end to end, CPU and wall seconds per orbit (issue 13: <= 5 s CPU, one core).

Real orbit (orbit 15259, NSOAS L2B in ../shared/data): read and check the L2B (the reader's
decoding and quality checks), 2DVAR on the file's own ambiguities and background, selection,
and the agreement with the operational ``wvc_selection``. The L2B holds no sigma0, so the
inversion cannot be rerun on it; the synthetic orbit (1624 x 42 WVCs simulated with known
truth, used when ../shared is absent and always reported) runs the whole chain: MLE
inversion with quality flags, then 2DVAR and selection (``process.l1b_to_l2b``).

CPU time is ``time.process_time`` of this process, on one thread (BLAS is held to one thread
by the library, numba runs serially); min and median of ``--repeats`` runs after a warm-up
run (Numba kernels compiled or loaded from the cache). Also printed: per annealing pass the
iterations and the cost before and after.

    .venv/bin/python benchmarks/scat_orbit.py [--repeats 5] [--json] [--no-synthetic]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from fcspace.testing.data import shared_file

REAL = shared_file("cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc")


def _timed(fn, repeats: int) -> tuple[dict[str, float], Any]:
    """Warm-up, then min / median CPU and wall seconds of ``repeats`` calls."""
    out = fn()
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    stats = {
        "cpu_min_s": round(min(cpu), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "wall_min_s": round(min(wall), 3),
        "wall_median_s": round(statistics.median(wall), 3),
        "repeats": repeats,
    }
    return stats, out


def real_orbit(path: Path, repeats: int = 5) -> dict[str, Any]:
    """Read + 2DVAR + selection on the real L2B; agreement with the operational selection."""
    from fcspace.cfosat.scat.ambiguity import remove_ambiguities_with_report, selection_agreement
    from fcspace.cfosat.scat.io import open_l2b

    def run():
        ds = open_l2b(path)
        new, report = remove_ambiguities_with_report(ds)
        return ds, new, report

    stats, (ds, new, report) = _timed(run, repeats)
    agree = selection_agreement(
        new["wvc_selection"].values, ds["wvc_selection"].values.astype(int), ds["num_ambigs"].values
    )
    return {
        "orbit": path.name,
        "wvc": int(ds["wvc_lat"].size),
        "what": "open_l2b + 2DVAR + selection (the L2B holds no sigma0: no inversion)",
        **stats,
        "agreement": {k: round(v, 4) for k, v in agree.items()},
        "twodvar": report,
    }


def synthetic_orbit(repeats: int = 5, rows: int = 1624, seed: int = 15259) -> dict[str, Any]:
    """Inversion + 2DVAR + selection on a simulated full orbit (1624 x 42 WVCs)."""
    from fcspace.cfosat.scat.ambiguity import remove_ambiguities_with_report
    from fcspace.cfosat.scat.inversion import invert
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment
    from fcspace.cfosat.scat.validate import validate_against_truth

    l1b = simulate_orbit_segment(rows, scene="synoptic", seed=seed)

    def run():
        return remove_ambiguities_with_report(invert(l1b))

    stats, (l2b, report) = _timed(run, repeats)
    scores = validate_against_truth(l2b)
    return {
        "wvc": int(l2b["wvc_lat"].size),
        "what": "invert (MLE, quality flags) + 2DVAR + selection on simulated L1B",
        **stats,
        "ambiguity_skill": round(scores["ambiguity_skill"], 4),
        "twodvar": report,
    }


def _print_case(name: str, r: dict[str, Any]) -> None:
    print(f"{name}: {r['wvc']} WVC, {r['what']}")
    print(
        f"  CPU {r['cpu_min_s']:.2f} s min / {r['cpu_median_s']:.2f} s median, "
        f"wall {r['wall_min_s']:.2f} / {r['wall_median_s']:.2f} s ({r['repeats']} runs)"
    )
    if "agreement" in r:
        a = r["agreement"]
        print("  agreement with operational selection: " + ", ".join(
            f"{k} {100 * v:.2f} %" for k, v in a.items()))  # fmt: skip
    if "ambiguity_skill" in r:
        print(f"  selected = truth-closest ambiguity: {100 * r['ambiguity_skill']:.2f} %")
    for p in r["twodvar"]["passes"]:
        print(
            f"  pass eps_o={p['observation_error']:.3f}: {p['iterations']:4d} it, J "
            f"{p['cost_start']:.1f} -> {p['cost_end']:.1f} ({100 * p['relative_decrease']:.2f} %"
            f" lower), {p['stop']}"
        )


def main() -> None:
    """Time the real orbit (when present) and the synthetic one; print or emit JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--path", type=Path, default=REAL)
    args = ap.parse_args()
    res: dict[str, Any] = {}
    if args.path.exists():
        res["real"] = real_orbit(args.path, args.repeats)
    if not args.no_synthetic or "real" not in res:
        res["synthetic"] = synthetic_orbit(args.repeats)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    for name, r in res.items():
        _print_case(name, r)


if __name__ == "__main__":
    main()
