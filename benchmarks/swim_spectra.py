"""SWIM spectra: closed-loop accuracy (single swells, bimodal seas) and inversion throughput.

Usage: .venv/bin/python benchmarks/swim_spectra.py [--cases 200] [--boxes 2000] [--seed 1]
       [--json]

Truth spectra (fcspace.cfosat.swim.truth) go through the forward model with speckle for the
8 and 10 deg beams (fcspace.cfosat.swim.modulation), are inverted, normalised with the
(true) nadir SWH, combined, and their parameters compared with the truth:
- single swells, wavelength uniform in 100-500 m, direction uniform, Hs 1-4 m, gamma 7,
  s 30 + a weak wind sea (Hs 0.3 m, 60 m): peak wavelength within 10 %, direction within
  15 deg modulo 180, SWH of the combined spectrum within 10 %;
- bimodal seas: a swell (200-450 m) and a wind sea (70-140 m) more than 45 deg apart (mod
  180): "split right" when the two largest partitions each match one system (wavelength
  within 25 %, direction within 25 deg mod 180).
Throughput: boxes (one side, both beams, normalisation and combination) inverted per second.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from fcspace.cfosat.swim import modulation as mod
from fcspace.cfosat.swim import spectra, truth

K, PHI = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG


def dir_err(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs((np.asarray(a) - np.asarray(b) + 90.0) % 180.0 - 90.0)


def single_swells(n: int, rng: np.random.Generator) -> dict:
    wl = rng.uniform(100, 500, n)
    dr = rng.uniform(0, 360, n)
    hs = rng.uniform(1, 4, n)
    F = np.stack(
        [
            truth.bimodal_kphi(
                [
                    {"hs": h, "peak_wavelength": w, "direction_deg": d, "gamma": 7.0, "s": 30.0},
                    {"hs": 0.3, "peak_wavelength": 60.0, "direction_deg": d + 60.0, "s": 8.0},
                ]
            )
            for h, w, d in zip(hs, wl, dr, strict=True)
        ]
    )
    hs_true = np.array([truth.significant_wave_height(f, K, PHI) for f in F])
    out = mod.simulate_and_invert(F, K, hs_true, mod.mss_cox_munk(np.full(n, 7.0)), rng)
    pw, pd = spectra.peak_kernel(out["combined"], K, PHI)
    werr = np.abs(pw / wl - 1)
    derr = dir_err(pd, dr)
    herr = np.abs(spectra.hs_kernel(out["combined"], K) / hs_true - 1)
    return {
        "n": n,
        "wavelength_within_10pct": float(np.mean(werr <= 0.10)),
        "wavelength_err_p95": float(np.percentile(werr, 95)),
        "direction_within_15deg": float(np.mean(derr <= 15)),
        "direction_err_p95_deg": float(np.percentile(derr, 95)),
        "hs_within_10pct": float(np.mean(herr <= 0.10)),
    }


def _bimodal_case(rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[float, float]]]:
    d1 = rng.uniform(0, 180)
    d2 = d1 + rng.choice([-1, 1]) * rng.uniform(45, 90)
    sw = (rng.uniform(200, 450), d1)
    ws = (rng.uniform(70, 140), d2)
    F = truth.bimodal_kphi(
        [
            {
                "hs": rng.uniform(1.0, 3.0),
                "peak_wavelength": sw[0],
                "direction_deg": sw[1],
                "gamma": 7.0,
                "s": 30.0,
            },
            {
                "hs": rng.uniform(1.0, 2.5),
                "peak_wavelength": ws[0],
                "direction_deg": ws[1],
                "gamma": 3.3,
                "s": 10.0,
            },
        ]
    )
    return F, [sw, ws]


def split_right(wl: np.ndarray, dr: np.ndarray, systems: list[tuple[float, float]]) -> bool:
    if not np.all(np.isfinite(wl[:2])):
        return False
    for order in ((0, 1), (1, 0)):
        ok = all(
            abs(wl[o] / s[0] - 1) <= 0.25 and dir_err(dr[o], s[1]) <= 25
            for o, s in zip(order, systems, strict=True)
        )
        if ok:
            return True
    return False


def bimodal(n: int, rng: np.random.Generator) -> dict:
    cases = [_bimodal_case(rng) for _ in range(n)]
    F = np.stack([c[0] for c in cases])
    hs = np.array([truth.significant_wave_height(f, K, PHI) for f in F])
    out = mod.simulate_and_invert(F, K, hs, mod.mss_cox_munk(np.full(n, 8.0)), rng)
    hits = 0
    for spec, (_, systems) in zip(out["combined"], cases, strict=True):
        _, _, wl, dr = spectra.partition_kernel(spec, K, PHI)
        hits += split_right(wl, dr, systems)
    return {"n": n, "split_right": hits / n}


def throughput(n_boxes: int, rng: np.random.Generator) -> float:
    F = np.broadcast_to(truth.wave_system_kphi(2.0, 250.0, 30.0, gamma=7, s=30), (n_boxes, 32, 24))
    hs, mss = np.full(n_boxes, 2.0), mod.mss_cox_munk(np.full(n_boxes, 7.0))
    mod.simulate_and_invert(F[:10], K, hs[:10], mss[:10], rng)
    t0 = time.perf_counter()
    out = mod.simulate_and_invert(F, K, hs, mss, rng)
    spectra.peak_kernel(out["combined"], K, PHI)
    return n_boxes / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--boxes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    res = {
        "single_swell": single_swells(a.cases, rng),
        "bimodal": bimodal(a.cases, rng),
        "boxes_per_s": throughput(a.boxes, rng),
    }
    if a.json:
        print(json.dumps(res))
    else:
        for key, val in res.items():
            print(f"{key}: {val}")


if __name__ == "__main__":
    main()
