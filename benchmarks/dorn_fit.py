"""Coverage, bias and speed of the DORN spectrum fit over simulated spectra.

    python benchmarks/dorn_fit.py [--n 1000] [--seed 2024] [--json]

Each spectrum: 30 h live time (the surface operation of [NSSDC]), a temperature drawn in
-40..60 C, all lines present at a few hundred to two thousand counts, Poisson counts.
Reports, per line, the fraction of fits whose 68 % interval (activity +- sigma) holds the
truth, the mean of (fit - truth)/truth and of the pull, and fits per second.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from fcspace.dorn.detector import LINES
from fcspace.dorn.fit import fit_spectrum
from fcspace.dorn.spectrum import REFERENCE_LIVE_TIME_S, REFERENCE_SOURCES, simulate_spectrum

SOURCES = REFERENCE_SOURCES
LIVE_TIME_S = REFERENCE_LIVE_TIME_S


def run(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    est, sig, truth = [], [], []
    t_fit, n_bad = 0.0, 0
    for _ in range(n):
        ds = simulate_spectrum(SOURCES, LIVE_TIME_S, float(rng.uniform(-40, 60)), rng)
        t0 = time.perf_counter()
        res = fit_spectrum(ds)
        t_fit += time.perf_counter() - t0
        n_bad += int(not res.attrs["converged"])
        est.append(res.activity.values)
        sig.append(res.activity_sigma.values)
        truth.append(ds.truth_activity.values)
    est, sig, truth = np.array(est), np.array(sig), np.array(truth)
    pull = (est - truth) / sig
    return {
        "n_spectra": n,
        "not_converged": n_bad,
        "fits_per_s": n / t_fit,
        "coverage_68": dict(
            zip(LINES, np.mean(np.abs(pull) <= 1.0, axis=0).round(4).tolist(), strict=True)
        ),
        "relative_bias": dict(
            zip(LINES, np.mean(est / truth - 1, axis=0).round(5).tolist(), strict=True)
        ),
        "mean_pull": dict(zip(LINES, pull.mean(axis=0).round(3).tolist(), strict=True)),
        "pull_std": dict(zip(LINES, pull.std(axis=0).round(3).tolist(), strict=True)),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    out = run(args.n, args.seed)
    if args.json:
        print(json.dumps(out))
        return
    print(
        f"{out['n_spectra']} spectra, {out['fits_per_s']:.1f} fits/s, "
        f"{out['not_converged']} not converged"
    )
    print(f"{'line':8s} {'cover68':>8s} {'rel.bias':>9s} {'pull':>7s} {'pull sd':>8s}")
    for line in LINES:
        print(
            f"{line:8s} {out['coverage_68'][line]:8.3f} {out['relative_bias'][line]:9.5f} "
            f"{out['mean_pull'][line]:7.3f} {out['pull_std'][line]:8.3f}"
        )


if __name__ == "__main__":
    main()
