"""Benchmark of the SCAT wind inversion (fcspace.cfosat.scat.inversion.invert), one core.

Builds a synthetic L1B of its own (a rotating-fan-beam-like geometry: 8 to 16 views per wind
vector cell, fewer and with less azimuth diversity towards the swath edges, incidence 28-48
degrees, VV and HH, Kp noise 0.05-0.10), times ``invert`` after a Numba warm-up, and times a
straightforward per-cell reference: ``scipy.optimize.minimize`` (Nelder-Mead) on the same MLE
from 4 starting directions per cell, on a subset of cells, extrapolated per cell.
It also measures the peak memory that ``invert`` allocates for a full orbit (1624 x 42 WVCs),
with tracemalloc.

Usage::

    python benchmarks/scat_inversion.py [--rows 480] [--ref-cells 150] [--no-orbit] [--json]
"""

from __future__ import annotations

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from fcspace.cfosat.scat.gmf import sigma0  # noqa: E402
from fcspace.cfosat.scat.inversion import invert  # noqa: E402
from fcspace.core.stats import circular_diff  # noqa: E402

D3 = ("numrows", "numcells", "numviews")
D2 = ("numrows", "numcells")
NCELL = 42
NVIEW = 16


def make_l1b(nrows: int, seed: int = 0) -> xr.Dataset:
    """Synthetic L1B with truth: 8-16 views per WVC, azimuth arc 360 deg at nadir -> 120 at edge."""
    rng = np.random.default_rng(seed)
    x = np.abs(np.linspace(-1.0, 1.0, NCELL))  # normalised cross-track distance
    nview = np.round(16 - 8 * x).astype(int)  # 16 at nadir, 8 at the edges
    arc = 360.0 - 240.0 * x
    k = np.arange(NVIEW)
    shape = (nrows, NCELL, NVIEW)
    frac = (k[None, :] + 0.5) / nview[:, None]  # (cell, view)
    heading = rng.uniform(0.0, 360.0, (nrows, 1, 1))
    az = (heading + 180.0 - 0.5 * arc[None, :, None] + frac[None] * arc[None, :, None]) % 360.0
    az = az + rng.normal(0.0, 2.0, shape)
    inc = 28.0 + 20.0 * x[None, :, None] + rng.uniform(-2.0, 2.0, shape)
    pol = np.broadcast_to((k % 2).astype(np.int8), shape).copy()
    present = k[None, None, :] < nview[None, :, None]
    speed = rng.weibull(2.0, (nrows, NCELL)) * 9.0 + 1.0
    speed = np.clip(speed, 1.0, 35.0)
    wdir = rng.uniform(0.0, 360.0, (nrows, NCELL))
    kp = rng.uniform(0.05, 0.10, shape)
    rel = wdir[..., None] - az + 180.0
    s = np.where(
        pol == 0,
        sigma0(speed[..., None], rel, inc, pol="VV"),
        sigma0(speed[..., None], rel, inc, pol="HH"),
    )
    s = s * (1.0 + kp * rng.standard_normal(shape))
    nan = np.where(present, 1.0, np.nan)
    return xr.Dataset(
        {
            "sigma0": (D3, s * nan),
            "kp": (D3, kp * nan),
            "azimuth": (D3, az * nan),
            "incidence": (D3, inc * nan),
            "polarisation": (D3, np.where(present, pol, -1).astype(np.int8)),
            "look": (D3, np.where(present, (az > 180).astype(np.int8), -1).astype(np.int8)),
            "wvc_lat": (D2, np.zeros((nrows, NCELL))),
            "wvc_lon": (D2, np.zeros((nrows, NCELL))),
            "truth_speed": (D2, speed),
            "truth_dir": (D2, wdir),
        }
    )


def reference_cell(s, kp, az, inc, pol):
    """Per-cell reference: Nelder-Mead on the MLE from 4 starting directions."""
    ok = np.isfinite(s)
    s, kp, az, inc, pol = s[ok], kp[ok], az[ok], inc[ok], pol[ok]

    def mle(x):
        v = min(max(x[0], 0.2), 50.0)
        rel = x[1] - az + 180.0
        model = np.where(pol == 0, sigma0(v, rel, inc, "VV"), sigma0(v, rel, inc, "HH"))
        return np.mean(((s - model) / (kp * model)) ** 2)

    sols = [minimize(mle, [8.0, d0], method="Nelder-Mead") for d0 in (0.0, 90.0, 180.0, 270.0)]
    return sorted((r.fun, r.x[0], r.x[1] % 360.0) for r in sols)


def time_reference(ds: xr.Dataset, ncells: int) -> tuple[float, float]:
    """Reference throughput (WVC/s) and RMS direction error of its best solution."""
    flat = {k: ds[k].values.reshape(-1, NVIEW) for k in ("sigma0", "kp", "azimuth", "incidence",
                                                          "polarisation")}  # fmt: skip
    idx = np.linspace(0, flat["sigma0"].shape[0] - 1, ncells).astype(int)
    t0 = time.process_time()
    best = [reference_cell(*(flat[k][i] for k in flat))[0] for i in idx]
    dt = time.process_time() - t0
    err = circular_diff([b[2] for b in best], ds.truth_dir.values.ravel()[idx])
    return ncells / dt, float(np.sqrt(np.mean(err**2)))


def orbit_memory(seed: int = 1) -> dict[str, float]:
    """Peak memory allocated inside ``invert`` for a full orbit (1624 x 42 WVCs), MiB."""
    ds = make_l1b(1624, seed=seed)
    input_mib = ds.nbytes / 2**20
    tracemalloc.start()
    t0 = time.process_time()
    out = invert(ds)
    dt = time.process_time() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "orbit_n_wvc": int(ds.sizes["numrows"] * NCELL),
        "orbit_input_mib": round(input_mib, 1),
        "orbit_output_mib": round(out.nbytes / 2**20, 1),
        "orbit_peak_alloc_mib": round(peak / 2**20, 1),
        "orbit_seconds_tracemalloc": round(dt, 2),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Run the benchmark and print a summary (or one JSON object with --json)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=480, help="rows of 42 WVCs to invert")
    ap.add_argument("--ref-cells", type=int, default=150, help="cells for the scipy reference")
    ap.add_argument("--no-orbit", action="store_true", help="skip the full-orbit memory check")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    ds = make_l1b(args.rows)
    invert(ds.isel(numrows=slice(0, 2)))  # Numba warm-up (compile or load the cache)
    t0 = time.process_time()
    out = invert(ds)
    dt = time.process_time() - t0
    n_wvc = int(ds.sizes["numrows"] * NCELL)
    amb_err = np.abs(circular_diff(out.wind_dir.values, ds.truth_dir.values[..., None]))
    k = np.nanargmin(np.where(np.isnan(amb_err), np.inf, amb_err), axis=-1)[..., None]
    close_v = np.take_along_axis(out.wind_speed.values, k, -1)[..., 0]
    res = {
        "n_wvc": n_wvc,
        "mean_views": float(np.isfinite(ds.sigma0.values).sum(-1).mean()),
        "seconds": round(dt, 3),
        "wvc_per_s": round(n_wvc / dt, 1),
        "closest_speed_rmse": round(float(np.sqrt(np.mean((close_v - ds.truth_speed) ** 2))), 3),
        "first_rank_skill": round(float(np.mean(k[..., 0] == 0)), 3),
    }
    ref_rate, ref_err = time_reference(ds, args.ref_cells)
    res |= {"reference_wvc_per_s": round(ref_rate, 2), "reference_cells": args.ref_cells,
            "speedup": round(res["wvc_per_s"] / ref_rate, 1)}  # fmt: skip
    if not args.no_orbit:
        res |= orbit_memory()
    if args.json:
        print(json.dumps(res))
        return
    for key, val in res.items():
        print(f"{key:>28}: {val}")


if __name__ == "__main__":
    main()
