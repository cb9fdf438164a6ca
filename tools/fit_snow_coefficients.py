"""Fit the X/Ka snow-water-equivalent law on SMRT runs and store it as package data.

Writes src/fcspace/watercycle/data/snow_coefficients.json: one table per polarisation (V, H)
of the cubic SWE(TB_X - TB_Ka) law over grain radius (fcspace.watercycle.snow), with the SMRT
version and every forward-model setting. Also records, per grain radius, the residual of
Chang's linear form (why the cubic is used) and where the X-Ka difference saturates.

Usage: python tools/fit_snow_coefficients.py [--json] [--out PATH]
       python tools/fit_snow_coefficients.py --closed-loop N [--seed S]   (no write: the closed
       loop by SMRT at N random SWE in 0-250 mm and grain radii in the table, RMSE as JSON)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from fcspace.watercycle import snow
from fcspace.watercycle.instrument import SNOW_CHANNELS

RADII_M = np.round(np.arange(0.300e-3, 0.6001e-3, 0.025e-3), 7)  # table nodes, 0.3-0.6 mm
SWE_MM = np.linspace(0.0, 250.0, 26)  # training runs, every 10 mm
DEGREE = 3
OUT = Path(__file__).resolve().parents[1] / "src/fcspace/watercycle/data/snow_coefficients.json"


def saturation_swe_mm(radius_m: float, polarization: str, fraction: float = 0.1) -> float | None:
    """SWE (mm) where d(TB_X - TB_Ka)/dSWE falls below ``fraction`` of its 0-20 mm slope.

    Runs up to 1000 mm; returns None if the slope never falls that low.
    """
    swe = np.linspace(0.0, 1000.0, 51)
    tb = snow.snowpack_tb(swe, radius_m, channels=("X", "Ka"), polarization=polarization)
    diff = tb["X"] - tb["Ka"]
    slope = np.diff(diff) / np.diff(swe)
    below = np.nonzero(slope < fraction * slope[0])[0]
    return float(swe[below[0]]) if below.size else None


def fit_all() -> dict:
    """Fit both polarisations; return the JSON document."""
    doc: dict = {"description": "SWE = sum_k c_k D^k (mm), D = TB_X - TB_Ka (K); "
                 "fcspace.watercycle.snow; fitted by tools/fit_snow_coefficients.py",
                 "tables": {}, "diagnostics": {}}
    for pol in ("V", "H"):
        table = snow.fit_swe_coefficients(RADII_M, pol, SWE_MM, DEGREE)
        linear = snow.fit_swe_coefficients(RADII_M, pol, SWE_MM, 1)
        doc["tables"][pol] = table.to_dict()
        doc["diagnostics"][pol] = {
            "grain_radius_m": RADII_M.tolist(),
            "linear_fit_rmse_mm": linear.fit_rmse_mm.round(3).tolist(),
            "cubic_fit_rmse_mm": table.fit_rmse_mm.round(3).tolist(),
            "saturation_swe_mm": [saturation_swe_mm(r, pol) for r in RADII_M[::4]],
            "saturation_radius_m": RADII_M[::4].tolist(),
        }
    return doc


def closed_loop(n: int, seed: int) -> dict:
    """RMSE (mm) of the stored law on ``n`` SMRT runs at random SWE and grain radius.

    Noise-free, and with the instrument NEdT added to each channel (200 draws per case).
    """
    rng = np.random.default_rng(seed)
    swe = rng.uniform(0.0, 250.0, n)
    radius = rng.uniform(RADII_M[0], RADII_M[-1], n)
    nedt = np.array([c.nedt_k for c in SNOW_CHANNELS])
    out = {"n": n, "seed": seed, "nedt_k": nedt.tolist()}
    for pol in ("V", "H"):
        tb = snow.snowpack_tb(swe, radius, polarization=pol)
        clean = snow.retrieve_swe(tb["X"], tb["Ka"], radius, pol)
        noisy = snow.retrieve_swe(tb["X"] + rng.normal(0.0, nedt[0], (200, n)),
                                  tb["Ka"] + rng.normal(0.0, nedt[1], (200, n)), radius, pol)
        out[pol] = {"rmse_mm": float(np.sqrt(np.mean((clean - swe) ** 2))),
                    "max_abs_mm": float(np.max(np.abs(clean - swe))),
                    "bias_mm": float(np.mean(clean - swe)),
                    "rmse_with_nedt_mm": float(np.sqrt(np.mean((noisy - swe) ** 2)))}
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--json", action="store_true", help="print the diagnostics as JSON")
    parser.add_argument("--closed-loop", type=int, default=0, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.closed_loop:
        sys.stdout.write(json.dumps(closed_loop(args.closed_loop, args.seed)) + "\n")
        return 0
    doc = fit_all()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    if args.json:
        sys.stdout.write(json.dumps(doc["diagnostics"]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
