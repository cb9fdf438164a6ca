"""Calibrate and check the ECLAIRs 90 % error radius on photon-simulated bursts.

Each burst is a full photon simulation (``simulate_grb``: ray tracing through the mask, CXB,
instrumental background, dead and noisy pixels) of a short single-pulse GRB at a random
direction over the whole field of view (uniform on the tangent plane, coding > 0), with a
log-uniform peak flux. The event list is imaged (shadowgram, quadratic background fit,
balanced FFT deconvolution) and localised (peak + PSF fit). Bursts with a measured SNR in
6.5-50 are kept until ``--n`` are collected.

Calibration (``--fit``): the angular offsets are scaled to on-axis sky pixels by
``pixel_deg cos^1.5(theta)`` (see ``localize.err_radius_90``); the 90 % quantile of the
scaled offsets in SNR bins is fitted with ``r90 = sqrt((A / snr)^2 + B^2)``. The check
reports the fraction of bursts whose true direction is inside ``err_radius_90`` (the law in
``fcspace.svom.eclairs.localize``), overall and per SNR bin, the median offset, and r90 at
SNR 8 compared with the notice formula.

    .venv/bin/python benchmarks/eclairs_localisation_calibration.py --n 600 --json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy.optimize import least_squares

from fcspace.svom.eclairs.imaging import fit_background, shadowgram, sky_image
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.localize import (
    angular_distance_deg,
    err_radius_90,
    localize,
    r90_notice,
)
from fcspace.svom.eclairs.mask import make_mask
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb, Pulse

PULSE = (Pulse(t_peak=0.5, rise=0.2, decay=0.4),)
EXPOSURE = 1.0
SNR_RANGE = (6.5, 50.0)
BINS = [6.5, 8.0, 10.0, 13.0, 17.0, 23.0, 32.0, 50.0]


def draw_direction(rng: np.random.Generator) -> tuple[float, float]:
    """Uniform on the tangent plane of the FoV, rejected where the coding is zero."""
    t_max = np.tan(np.radians(ECLAIRS.half_fov_deg))
    while True:
        ty, tz = rng.uniform(-t_max, t_max, 2)
        theta = float(np.degrees(np.arctan(np.hypot(ty, tz))))
        phi = float(np.degrees(np.arctan2(tz, ty)) % 360.0)
        if ECLAIRS.coding_fraction(theta, phi) > 0.0:
            return theta, phi


def one_burst(rng: np.random.Generator, mask: np.ndarray) -> dict | None:
    """Simulate, image and localise one burst; None if the SNR is outside the range."""
    theta, phi = draw_direction(rng)
    flux = float(np.exp(rng.uniform(np.log(0.5), np.log(40.0))))
    grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=flux, t0=0.0, pulses=PULSE)
    ds = simulate_grb(grb, EXPOSURE, rng, mask=mask)
    status = ds["pixel_status"].values
    d = shadowgram(ds)
    sky = sky_image(d, fit_background(d, (status == 0).astype(float)), mask,
                    pixel_status=status)  # fmt: skip
    loc = localize(sky)
    if not SNR_RANGE[0] <= loc.snr <= SNR_RANGE[1]:
        return None
    off = float(angular_distance_deg(theta, phi, loc.theta_deg, loc.phi_deg))
    return {
        "theta": theta,
        "phi": phi,
        "flux": flux,
        "snr": loc.snr,
        "offset_deg": off,
        "r90_deg": loc.err_radius_deg,
        "coding": float(ECLAIRS.coding_fraction(theta, phi)),
    }


def fit_law(snr: np.ndarray, off_px: np.ndarray) -> tuple[float, float]:
    """Fit sqrt((A/snr)^2 + B^2) to the 90 % quantiles of scaled offsets in SNR bins."""
    idx = np.digitize(snr, BINS) - 1
    s_mid, q90 = [], []
    for k in range(len(BINS) - 1):
        sel = idx == k
        if sel.sum() >= 20:
            s_mid.append(np.median(snr[sel]))
            q90.append(np.quantile(off_px[sel], 0.9))
    s_mid, q90 = np.array(s_mid), np.array(q90)
    fit = least_squares(lambda p: np.sqrt((p[0] / s_mid) ** 2 + p[1] ** 2) / q90 - 1.0,
                        [8.0, 0.1], bounds=([0.1, 0.0], [100.0, 2.0]))  # fmt: skip
    return float(fit.x[0]), float(fit.x[1])


def summary(rows: list[dict], a: float, b: float) -> dict:
    """Containment, offsets and radii with the law (a, b)."""
    snr = np.array([r["snr"] for r in rows])
    theta = np.array([r["theta"] for r in rows])
    off = np.array([r["offset_deg"] for r in rows])
    r90 = np.sqrt((a / snr) ** 2 + b**2) * ECLAIRS.sky_pixel_deg * np.cos(np.radians(theta)) ** 1.5
    inside = off <= r90
    idx = np.digitize(snr, BINS) - 1
    per_bin = {f"{BINS[k]}-{BINS[k + 1]}": [int((idx == k).sum()), float(inside[idx == k].mean())]
               for k in range(len(BINS) - 1) if (idx == k).any()}  # fmt: skip
    near8 = (snr >= 7.0) & (snr < 9.0)
    r8 = float(np.sqrt((a / 8.0) ** 2 + b**2) * ECLAIRS.sky_pixel_deg) * 60.0
    return {
        "law_A_px": a, "law_B_px": b,
        "containment": float(inside.mean()), "containment_by_snr_bin": per_bin,
        "containment_notice_formula": float((off <= r90_notice(snr)).mean()),
        "median_offset_arcmin": float(np.median(off) * 60.0),
        "median_offset_snr7_9_arcmin": float(np.median(off[near8]) * 60.0) if near8.any() else None,
        "r90_snr8_onaxis_arcmin": r8,
        "r90_notice_snr8_arcmin": float(r90_notice(8.0) * 60.0),
    }  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=600)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--fit", action="store_true", help="fit the law on these bursts too")
    p.add_argument("--json", action="store_true")
    p.add_argument("--rows", help="also write the per-burst table (JSON) to this file")
    args = p.parse_args()
    rng = np.random.default_rng(args.seed)
    mask = make_mask()
    rows: list[dict] = []
    t0, tries = time.perf_counter(), 0
    while len(rows) < args.n and tries < 20 * args.n:
        tries += 1
        r = one_burst(rng, mask)
        if r is not None:
            rows.append(r)
    out = {"n_bursts": len(rows), "n_simulated": tries, "seed": args.seed,
           "method": "full photon simulation (simulate_grb), 1 s exposure",
           "runtime_s": time.perf_counter() - t0}  # fmt: skip
    snr = np.array([r["snr"] for r in rows])
    theta = np.array([r["theta"] for r in rows])
    off = np.array([r["offset_deg"] for r in rows])
    out["snr_min_max"] = [float(snr.min()), float(snr.max())]
    out["theta_max_deg"] = float(theta.max())
    out["library_law"] = summary(rows, ECLAIRS.r90_stat_px, ECLAIRS.r90_sys_px)
    out["library_containment_err_radius_90"] = float(np.mean(off <= err_radius_90(snr, theta)))
    if args.fit:
        scaled = off / (ECLAIRS.sky_pixel_deg * np.cos(np.radians(theta)) ** 1.5)
        out["fitted_law"] = summary(rows, *fit_law(snr, scaled))
    if args.rows:
        with open(args.rows, "w") as f:
            json.dump(rows, f)
    print(json.dumps(out, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
