"""Speed of the Numba soil-moisture retrieval against a per-pixel scipy.optimize loop.

    python benchmarks/watercycle_retrieval.py [--pixels 5000] [--scipy-pixels 200] [--seed 11]
                                              [--json]

Scene: SMOS-like looks (14 incidence angles 20-55 deg, H and V), SM uniform in 0.02-0.45,
tau_nad uniform in 0-0.8, T uniform 275-310 K, L-MEB defaults, 2.5 K Gaussian noise per look.

1. Numba: :func:`fcspace.watercycle.land_retrieval.retrieve_soil_moisture` on all pixels in
   one call (the reflectivity table is built inside the timed call); warmed up first so the
   JIT load is not counted.
2. scipy: one ``scipy.optimize.least_squares`` (trust-region reflective, bounds
   0 <= SM <= porosity, 0 <= tau <= 3, start (0.2, 0.3)) per pixel on the first
   ``--scipy-pixels`` pixels, with the same cost function and two versions of the same model:
   ``scipy_exact`` calls :func:`fcspace.watercycle.land.land_tb` (dielectric functions
   evaluated exactly), ``scipy_table`` the compiled tau-omega kernel on the same
   reflectivity table as the Numba retrieval. Both are checked to agree with the Numba
   answers (max |dSM| <= 1e-4) before their speed is reported.

One core: NUMBA/OpenMP/BLAS threads are set to 1. The machine may be shared: figures are what
it measured under its load at the time.
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

from fcspace.watercycle.land import LandParams, land_tb, land_tb_from_reflectivity  # noqa: E402
from fcspace.watercycle.land_kernels import interpolate_reflectivity  # noqa: E402
from fcspace.watercycle.land_retrieval import (  # noqa: E402
    reflectivity_table,
    retrieve_soil_moisture,
)

THETA = np.linspace(20.0, 55.0, 14)
NOISE_K = 2.5
PARAMS = LandParams()
TAU_MAX = 3.0


def make_scene(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    sm = rng.uniform(0.02, 0.45, n)
    tau = rng.uniform(0.0, 0.8, n)
    t_k = rng.uniform(275.0, 310.0, n)
    tb_h, tb_v = land_tb(sm[:, None], tau[:, None], t_k[:, None], THETA, PARAMS)
    tb_h = tb_h + rng.normal(0.0, NOISE_K, tb_h.shape)
    tb_v = tb_v + rng.normal(0.0, NOISE_K, tb_v.shape)
    return {"sm": sm, "tau": tau, "t_k": t_k, "tb_h": tb_h, "tb_v": tb_v}


def run_numba(scene: dict) -> tuple[float, np.ndarray]:
    sub = {k: v[:4] for k, v in scene.items()}
    retrieve_soil_moisture(sub["tb_h"], sub["tb_v"], THETA, sub["t_k"], PARAMS)  # warm-up
    t0 = time.perf_counter()
    ds = retrieve_soil_moisture(scene["tb_h"], scene["tb_v"], THETA, scene["t_k"], PARAMS,
                                sigma_k=NOISE_K, tau_max=TAU_MAX)  # fmt: skip
    return time.perf_counter() - t0, ds.soil_moisture.values


def _exact_model(x, t_k):
    return land_tb(x[0], x[1], t_k, THETA, PARAMS)


def _table_model(table):
    clay = np.full(THETA.size, float(PARAMS.clay_fraction))

    def model(x, t_k):
        t = np.full(THETA.size, t_k)
        rs = interpolate_reflectivity(clay, t, np.full(THETA.size, x[0]), THETA,
                                      table.origin, table.step, table.values)  # fmt: skip
        return land_tb_from_reflectivity(rs[:, 0], rs[:, 1], x[1], t_k, THETA, PARAMS)

    return model


def run_scipy(scene: dict, n: int, model) -> tuple[float, np.ndarray]:
    out = np.empty(n)
    t0 = time.perf_counter()
    for i in range(n):
        obs = np.concatenate([scene["tb_h"][i], scene["tb_v"][i]])
        t_k = scene["t_k"][i]

        def residuals(x, obs=obs, t_k=t_k):
            tb_h, tb_v = model(x, t_k)
            return (obs - np.concatenate([tb_h, tb_v])) / NOISE_K

        bounds = ([0.0, 0.0], [PARAMS.porosity, TAU_MAX])
        fit = least_squares(residuals, x0=[0.2, 0.3], bounds=bounds, x_scale=[0.1, 0.1],
                            xtol=1e-10, ftol=1e-12, gtol=1e-10)  # fmt: skip
        out[i] = fit.x[0]
    return time.perf_counter() - t0, out


def run(pixels: int, scipy_pixels: int, seed: int) -> dict:
    scene = make_scene(pixels, seed)
    t_numba, sm_numba = run_numba(scene)
    table = reflectivity_table(np.array([PARAMS.clay_fraction]), scene["t_k"], THETA, PARAMS)
    result = {
        "pixels": pixels,
        "looks": int(THETA.size),
        "numba_pixels_per_s": pixels / t_numba,
        "rmse_sm_vs_truth": float(np.sqrt(np.mean((sm_numba - scene["sm"]) ** 2))),
    }
    for name, model in (("scipy_exact", _exact_model), ("scipy_table", _table_model(table))):
        t_scipy, sm_scipy = run_scipy(scene, scipy_pixels, model)
        diff = float(np.max(np.abs(sm_scipy - sm_numba[:scipy_pixels])))
        result[name] = {
            "pixels": scipy_pixels,
            "pixels_per_s": scipy_pixels / t_scipy,
            "max_abs_dsm_vs_numba": diff,
            "agree_1e-4": diff <= 1e-4,
            "speed_ratio": (pixels / t_numba) / (scipy_pixels / t_scipy),
        }
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pixels", type=int, default=5000)
    p.add_argument("--scipy-pixels", type=int, default=200)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    out = run(args.pixels, args.scipy_pixels, args.seed)
    if args.json:
        print(json.dumps(out))
        return
    print(f"numba: {out['numba_pixels_per_s']:.0f} pixels/s over {out['pixels']} pixels "
          f"(SM RMSE vs truth {out['rmse_sm_vs_truth']:.4f})")  # fmt: skip
    for name in ("scipy_exact", "scipy_table"):
        r = out[name]
        print(f"{name}: {r['pixels_per_s']:.1f} pixels/s, max |dSM| vs numba "
              f"{r['max_abs_dsm_vs_numba']:.2e}, ratio {r['speed_ratio']:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
