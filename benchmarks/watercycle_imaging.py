"""Benchmark of the water-cycle image reconstruction: the HR array against real time.

1. HR concept (228 elements, 35 107 visibilities, 320 x 320 hexagonal grid): one noisy
   snapshot simulated by the type-3 NUFFT forward model, then reconstructed by the fast path
   (hexagonal FFT + Blackman + flat target); time per snapshot (median of ``--repeat``) and
   the ratio to real time (one snapshot per 1.2 s), on one core.
2. The dense G-matrix pseudo-inverse path ([Anterrieu2004]) on a Y array small enough to
   form it (``--dense-n`` elements per arm): build time (A = G U*, SVD) and apply time (A^+ V
   then the inverse FFT), against the fast path on the same array, same run.
3. The dense path for the HR array cannot be formed (A^+ is 35 107^2 complex, 19.7 GB); its
   apply time is extrapolated from the complex multiply-add rate measured here on a
   ``--mac-n`` square matrix-vector product (n_vis^2 MACs per snapshot), build not counted.

4. ``--accuracy``: the reconstruction figures of issue 11 section 5 in the same run (noise-free
   in-coverage scene, 280/100 K coast, uniform target after the flat-target transformation,
   Monte Carlo noise against the Camps formula, MIRAS boresight sensitivity), on the
   ``--dense-n`` Y array (G-matrix and fast paths) and on MIRAS / HR (fast path).

The machine may be shared: the figures are what it measured, under whatever load it had.

Usage::

    python benchmarks/watercycle_imaging.py [--repeat 20] [--dense-n 10] [--mac-n 4000]
        [--accuracy] [--json]
"""

from __future__ import annotations

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from fcspace.watercycle.geometry import alias_free_fov, hex_grid  # noqa: E402
from fcspace.watercycle.imaging import (  # noqa: E402
    radiometric_sensitivity,
    reconstruct,
    reconstruction_operator,
    smoothed_truth,
)
from fcspace.watercycle.instrument import HR_CONCEPT, MIRAS  # noqa: E402
from fcspace.watercycle.interferometry import visibilities  # noqa: E402


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def hr_fast_path(repeat: int) -> dict:
    grid = hex_grid(HR_CONCEPT)
    scene = np.where(grid.disc_xi > 0.0, 250.0, 120.0)
    t0 = time.perf_counter()
    v = visibilities(scene, HR_CONCEPT, rng=0)
    forward_s = time.perf_counter() - t0
    flat = visibilities(np.full(grid.disc_xi.shape, 3.0), HR_CONCEPT, noise=False)
    reconstruct(v, HR_CONCEPT, flat_target=(flat, 3.0))  # warm caches (grid, partner)
    t = median_time(lambda: reconstruct(v, HR_CONCEPT, flat_target=(flat, 3.0)), repeat)
    return {"array": HR_CONCEPT.name, "elements": HR_CONCEPT.n_elements,
            "visibilities": HR_CONCEPT.n_visibilities, "grid": grid.size,
            "forward_nufft_s": round(forward_s, 4), "fft_reconstruct_s": round(t, 5),
            "snapshots_per_s": round(1 / t, 2),
            "ratio_to_real_time": round(HR_CONCEPT.snapshot_time_s / t, 1)}  # fmt: skip


def dense_vs_fast(n_per_arm: int, repeat: int) -> dict:
    array = dataclasses.replace(MIRAS, n_per_arm=n_per_arm, name=f"Y{n_per_arm}")
    grid = hex_grid(array)
    v = visibilities(np.where(grid.disc_xi > 0.0, 250.0, 120.0), array, rng=1)
    t0 = time.perf_counter()
    reconstruction_operator(array, grid)
    build_s = time.perf_counter() - t0
    dense = median_time(lambda: reconstruct(v, array, method="gmatrix"), repeat)
    fast = median_time(lambda: reconstruct(v, array, method="fft"), repeat)
    return {"elements": array.n_elements, "visibilities": array.n_visibilities,
            "grid": grid.size, "dense_build_s": round(build_s, 3),
            "dense_apply_s": round(dense, 5), "fft_s": round(fast, 5),
            "speedup_fft_vs_dense_apply": round(dense / fast, 2),
            "speedup_fft_vs_dense_build_and_apply": round((build_s + dense) / fast, 1)}  # fmt: skip


def hr_dense_extrapolated(mac_n: int, fft_s: float) -> dict:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((mac_n, mac_n)) + 1j * rng.standard_normal((mac_n, mac_n))
    x = rng.standard_normal(mac_n) + 0j
    t = median_time(lambda: a @ x, 5)
    rate = mac_n**2 / t
    n = HR_CONCEPT.n_visibilities
    apply_s = n**2 / rate
    return {"measured_complex_mac_per_s": float(f"{rate:.3g}"),
            "hr_dense_apply_s_extrapolated": round(apply_s, 2),
            "hr_dense_matrix_gb": round(n**2 * 16 / 1e9, 1),
            "speedup_fft_vs_dense_apply_extrapolated": round(apply_s / fft_s, 1)}  # fmt: skip


def _rmse(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    return float(f"{np.sqrt(np.mean((a - b)[mask] ** 2)):.4g}")


def coast_rmse(array, method: str) -> float:
    grid = hex_grid(array)
    af, _ = alias_free_fov(array, grid)
    step = np.hypot(*grid.reciprocal[0]) / grid.size
    far = af & (np.abs(grid.xi - 0.05) > 3 * step)
    tb = np.where(grid.xi > 0.05, 280.0, 100.0)
    v = visibilities(tb, array, noise=False)
    return _rmse(reconstruct(v, array, method=method), smoothed_truth(tb, array), far)


def in_coverage_rmse(array) -> float:
    grid = hex_grid(array)
    af, _ = alias_free_fov(array, grid)
    rng = np.random.default_rng(0)
    spec = np.zeros((grid.size, grid.size), complex)
    k = array.baseline_indices
    spec[k[:, 0] % grid.size, k[:, 1] % grid.size] = rng.standard_normal(len(k)) * np.exp(
        -np.hypot(*array.baselines_uv.T) / 5)
    img = np.fft.fftshift(np.fft.ifft2(spec)).real
    tb = 200 + 30 * img / img.std()
    v = visibilities(tb, array, noise=False)
    return _rmse(reconstruct(v, array, method="gmatrix"), smoothed_truth(tb, array), af)


def ftt_bias(array) -> dict:
    grid = hex_grid(array)
    af, _ = alias_free_fov(array, grid)
    real = dataclasses.replace(array, pattern_exponent=2.8, bandwidth_hz=25e6)
    rng = np.random.default_rng(2)
    v = visibilities(np.full(grid.disc_xi.shape, 200.0), real, noise=False)  # systematic part
    sky = np.full(grid.disc_xi.shape, 3.0)
    clean_flat = visibilities(sky, real, noise=False)
    # ASSUMPTION: the flat target is the cold sky averaged over 100 snapshots
    v_flat = clean_flat + (visibilities(sky, real, rng=rng) - clean_flat) / 10.0
    raw = reconstruct(v, array)
    ftt = reconstruct(v, array, flat_target=(v_flat, 3.0))
    return {"bias_without_ftt_k": round(float(np.mean(raw[af]) - 200), 3),
            "bias_with_ftt_k": round(float(np.mean(ftt[af]) - 200), 4)}  # fmt: skip


def monte_carlo_ratio(array, draws: int = 200) -> float:
    grid = hex_grid(array)
    af, _ = alias_free_fov(array, grid)
    tb = np.full(grid.disc_xi.shape, 150.0)
    clean = reconstruct(visibilities(tb, array, noise=False), array)
    rng = np.random.default_rng(5)
    sd = np.std([reconstruct(visibilities(tb, array, rng=rng), array) - clean
                 for _ in range(draws)], axis=0)  # fmt: skip
    return round(float(np.mean(sd[af] / radiometric_sensitivity(array, 150.0)[af])), 4)


def accuracy(n_per_arm: int) -> dict:
    small = dataclasses.replace(MIRAS, n_per_arm=n_per_arm, name=f"Y{n_per_arm}")
    grid = hex_grid(MIRAS)
    centre = np.unravel_index(np.argmin(grid.xi**2 + grid.eta**2), grid.xi.shape)
    return {
        "in_coverage_rmse_k_gmatrix": in_coverage_rmse(small),
        "coast_rmse_k": {"gmatrix_small": coast_rmse(small, "gmatrix"),
                         "fft_small": coast_rmse(small, "fft"),
                         "fft_miras": coast_rmse(MIRAS, "fft"),
                         "fft_hr": coast_rmse(HR_CONCEPT, "fft")},
        "uniform_target_small": ftt_bias(small),
        "monte_carlo_over_camps_miras": monte_carlo_ratio(MIRAS),
        "miras_boresight_sensitivity_k": {
            "ocean_ta_100k": round(float(radiometric_sensitivity(MIRAS, 100.0)[centre]), 3),
            "land_ta_250k": round(float(radiometric_sensitivity(MIRAS, 250.0)[centre]), 3),
            "published_ceos_range_k": [1.6, 4.0]},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--dense-n", type=int, default=10)
    parser.add_argument("--mac-n", type=int, default=4000)
    parser.add_argument("--accuracy", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    hr = hr_fast_path(args.repeat)
    result = {"hr_fast_path": hr, "dense_vs_fast_same_array": dense_vs_fast(args.dense_n,
                                                                             args.repeat),
              "hr_dense_extrapolated": hr_dense_extrapolated(args.mac_n,
                                                             hr["fft_reconstruct_s"])}  # fmt: skip
    if args.accuracy:
        result["accuracy"] = accuracy(args.dense_n)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for section, values in result.items():
        print(section)
        for key, value in values.items():
            print(f"  {key:42s} {value}")


if __name__ == "__main__":
    main()
