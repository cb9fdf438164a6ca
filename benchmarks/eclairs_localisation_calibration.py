"""Calibrate and check ECLAIRs localisation (three estimators) on photon-simulated bursts.

Each burst is a full photon simulation (``simulate_grb``: ray tracing through the mask, CXB,
instrumental background, dead and noisy pixels) of a short single-pulse GRB at a random
direction, uniform on the tangent plane over the whole field of view (``--field all``,
coding > 0) or over the fully coded field (``--field fcfov``, the square |tan| <=
tan(11.1 deg) per axis), with a log-uniform peak flux. The event list is imaged (shadowgram,
quadratic background, balanced FFT deconvolution) and localised three ways:

- ``sky``: today's PSF fit of a 7 x 7 sky window, pixels independent (``localize``);
- ``sky_cov``: the same fit with the correlated sky noise whitened (``weighting="covariance"``);
- ``detector``: the Poisson likelihood fit in the detector plane from the ``sky`` start
  (``localize(..., shadow=...)``), with its Cramer-Rao sigma and curvature sigma.

Bursts with a measured sky-peak SNR in 6.5-50 are kept until ``--n`` are collected.

Figures (per estimator): the 90 % quantile of ``offset x SNR`` (arcmin, scaled on axis by
``cos^-1.5(theta)``), the containment of the notices' law ``sqrt((77'/SNR)^2 + (2')^2)``
overall and per SNR bin, the empirical r90 of the bursts with SNR 7-9; for the detector fit
also ``sigma_fit / sigma_CRB = sqrt(mean(offset^2 / (2 sigma_CRB^2)))`` (1 for an efficient
estimator), the 90 % quantile of ``offset / sigma_curv`` (the factor ``k`` of
``err_radius_detector``, printed as ``k_fit``), the containment of ``err_radius_detector``,
and the cost of the detector fit per source. ``--png`` draws the 90 % offset quantiles per SNR
bin against SNR with the notice law and the Cramer-Rao bound (``2.146 sigma_CRB``).

The sky law ``err_radius_90`` (A, B in on-axis sky pixels) is checked as before
(``library_law``) and refitted with ``--fit``. One core: run with OMP_NUM_THREADS=1.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eclairs_localisation_calibration.py \\
        --n 600 --field fcfov --seed 2024 --json --png eclairs_localisation.png
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
METHODS = ("sky", "sky_cov", "detector")
K_GAUSS = float(np.sqrt(-2.0 * np.log(0.1)))  # r90 / sigma of a circular Gaussian


def draw_direction(rng: np.random.Generator, field: str) -> tuple[float, float]:
    """Uniform on the tangent plane of the FoV (coding > 0) or of the fully coded field."""
    half = ECLAIRS.half_fov_deg if field == "all" else ECLAIRS.half_fully_coded_deg
    t_max = np.tan(np.radians(half))
    while True:
        ty, tz = rng.uniform(-t_max, t_max, 2)
        theta = float(np.degrees(np.arctan(np.hypot(ty, tz))))
        phi = float(np.degrees(np.arctan2(tz, ty)) % 360.0)
        if ECLAIRS.coding_fraction(theta, phi) > 0.0:
            return theta, phi


def one_burst(rng: np.random.Generator, mask: np.ndarray, args) -> dict | None:
    """Simulate, image and localise one burst; None if the SNR is outside the range."""
    theta, phi = draw_direction(rng, args.field)
    flux = float(np.exp(rng.uniform(np.log(args.flux[0]), np.log(args.flux[1]))))
    grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=flux, t0=0.0, pulses=PULSE)
    ds = simulate_grb(grb, EXPOSURE, rng, mask=mask)
    status = ds["pixel_status"].values
    d = shadowgram(ds)
    sky = sky_image(d, fit_background(d, (status == 0).astype(float)), mask,
                    pixel_status=status)  # fmt: skip
    loc = localize(sky)
    if not SNR_RANGE[0] <= loc.snr <= SNR_RANGE[1]:
        return None
    cov = localize(sky, weighting="covariance")
    t0 = time.perf_counter()
    det = localize(sky, shadow=d, pixel_status=status, mask=mask)
    cost = time.perf_counter() - t0
    row = {"theta": theta, "phi": phi, "flux": flux, "snr": loc.snr,
           "coding": float(ECLAIRS.coding_fraction(theta, phi)), "r90_deg": loc.err_radius_deg,
           "det_method": det.method, "det_r90_deg": det.err_radius_deg,
           "sigma_crb_deg": det.sigma_crb_deg, "det_cost_s": cost}  # fmt: skip
    for name, x in zip(METHODS, (loc, cov, det), strict=True):
        row[f"off_{name}_deg"] = float(angular_distance_deg(theta, phi, x.theta_deg, x.phi_deg))
    return row


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


def _col(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows], dtype=float)


def summary(rows: list[dict], a: float, b: float) -> dict:
    """Containment, offsets and radii of the sky fit with the sky law (a, b)."""
    snr, theta, off = _col(rows, "snr"), _col(rows, "theta"), _col(rows, "off_sky_deg")
    r90 = np.sqrt((a / snr) ** 2 + b**2) * ECLAIRS.sky_pixel_deg * np.cos(np.radians(theta)) ** 1.5
    inside = off <= r90
    idx = np.digitize(snr, BINS) - 1
    per_bin = {f"{BINS[k]}-{BINS[k + 1]}": [int((idx == k).sum()), float(inside[idx == k].mean())]
               for k in range(len(BINS) - 1) if (idx == k).any()}  # fmt: skip
    return {"law_A_px": a, "law_B_px": b, "containment": float(inside.mean()),
            "containment_by_snr_bin": per_bin,
            "r90_snr8_onaxis_arcmin": float(np.hypot(a / 8.0, b) * ECLAIRS.sky_pixel_deg * 60.0),
            }  # fmt: skip


def estimator_figures(rows: list[dict], name: str) -> dict:
    """Figures of one estimator: offset x SNR quantile, notice-law containment per bin, r90."""
    snr, theta = _col(rows, "snr"), _col(rows, "theta")
    off = _col(rows, f"off_{name}_deg") * 60.0
    onaxis = off * snr / np.cos(np.radians(theta)) ** 1.5
    inside = off <= r90_notice(snr) * 60.0
    idx = np.digitize(snr, BINS) - 1
    per_bin = {f"{BINS[k]}-{BINS[k + 1]}": [int((idx == k).sum()), float(inside[idx == k].mean())]
               for k in range(len(BINS) - 1) if (idx == k).any()}  # fmt: skip
    near8 = (snr >= 7.0) & (snr < 9.0)
    return {"q90_offset_x_snr_onaxis_arcmin": float(np.quantile(onaxis, 0.9)),
            "q90_offset_x_snr_arcmin": float(np.quantile(off * snr, 0.9)),
            "median_offset_arcmin": float(np.median(off)),
            "notice_law_containment": float(inside.mean()),
            "notice_law_containment_by_snr_bin": per_bin,
            "q90_offset_snr7_9_arcmin": float(np.quantile(off[near8], 0.9)) if near8.any()
            else None,
            "n_snr7_9": int(near8.sum())}  # fmt: skip


def detector_figures(rows: list[dict]) -> dict:
    """Efficiency, calibration factor, own-radius containment and cost of the detector fit."""
    det = [r for r in rows if r["det_method"] == "detector"]
    snr, off = _col(det, "snr"), _col(det, "off_detector_deg")
    crb, r90 = _col(det, "sigma_crb_deg"), _col(det, "det_r90_deg")
    sig_fit = r90 / ECLAIRS.detector_r90_factor  # r90 = k sigma_fit when b = 0
    cost = _col(rows, "det_cost_s")
    z2 = off**2 / (2.0 * crb**2)
    idx = np.digitize(snr, BINS) - 1
    per_bin = {f"{BINS[k]}-{BINS[k + 1]}": [int((idx == k).sum()), float(np.mean(off[idx == k]
               <= r90[idx == k])), float(np.quantile(off[idx == k] / sig_fit[idx == k], 0.9))]
               for k in range(len(BINS) - 1) if (idx == k).any()}  # fmt: skip
    return {"n_detector_fits": len(det), "n_fallback_to_sky": len(rows) - len(det),
            "sigma_fit_over_sigma_crb": float(np.sqrt(np.mean(z2))),
            "sigma_fit_over_sigma_crb_median_based": float(np.sqrt(np.median(z2) / np.log(2.0))),
            "crb_r90_x_snr_arcmin": float(np.median(K_GAUSS * crb * snr) * 60.0),
            "k_fit": float(np.quantile(off / sig_fit, 0.9)) if ECLAIRS.detector_r90_sys_arcmin == 0
            else None,
            "containment_err_radius_detector": float(np.mean(off <= r90)),
            "containment_and_k_by_snr_bin": per_bin,
            "r90_snr8_onaxis_arcmin": float(np.median(r90 * snr) * 60.0 / 8.0),
            "cost_mean_s": float(cost.mean()), "cost_max_s": float(cost.max())}  # fmt: skip


def plot(rows: list[dict], path: str) -> None:
    """90 % offset quantile per SNR bin, three estimators, notice law and Cramer-Rao bound."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    snr, theta = _col(rows, "snr"), _col(rows, "theta")
    scale = np.cos(np.radians(theta)) ** 1.5
    idx = np.digitize(snr, BINS) - 1
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    labels = {"sky": "sky PSF fit (independent pixels)", "sky_cov": "sky PSF fit (covariance)",
              "detector": "detector-plane likelihood fit"}  # fmt: skip
    for name, mk in zip(METHODS, "osD", strict=True):
        off = _col(rows, f"off_{name}_deg") * 60.0 / scale
        ks = [k for k in range(len(BINS) - 1) if (idx == k).sum() >= 20]
        q90 = [np.quantile(off[idx == k], 0.9) for k in ks]
        ax.plot([np.median(snr[idx == k]) for k in ks], q90, mk + "-", label=labels[name])
    s = np.geomspace(SNR_RANGE[0], SNR_RANGE[1], 100)
    ax.plot(s, r90_notice(s) * 60.0, "k--", label="notices: sqrt((77'/SNR)^2 + (2')^2)")
    ax.plot(s, ECLAIRS.notice_r90_stat_arcmin / s, "--", color="0.6", lw=1, label="77'/SNR")
    crb = _col(rows, "sigma_crb_deg")
    ok = np.isfinite(crb)
    bound = np.median(K_GAUSS * crb[ok] * snr[ok] / scale[ok]) * 60.0
    ax.plot(s, bound / s, "k:", label=f"Cramer-Rao bound: {bound:.0f}'/SNR")
    ax.set(xscale="log", yscale="log", xlabel="sky-peak SNR", ylabel="r90 on axis (arcmin)",
           title=f"ECLAIRs localisation, {len(rows)} simulated bursts")  # fmt: skip
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xticks([7, 10, 15, 20, 30, 50])
    ax.set_yticks([1, 2, 3, 5, 10, 15])
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    """Command line: simulate, localise, print the figures (JSON)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=600)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--field", choices=("all", "fcfov"), default="all")
    p.add_argument("--flux", type=float, nargs=2, default=None, help="log-uniform flux range")
    p.add_argument("--fit", action="store_true", help="fit the sky law on these bursts too")
    p.add_argument("--json", action="store_true")
    p.add_argument("--png", help="write the estimator comparison figure here")
    p.add_argument("--rows", help="also write the per-burst table (JSON) to this file")
    args = p.parse_args()
    if args.flux is None:
        args.flux = (0.5, 40.0) if args.field == "all" else (1.0, 12.0)
    rng = np.random.default_rng(args.seed)
    mask = make_mask()
    rows: list[dict] = []
    t0, tries = time.perf_counter(), 0
    while len(rows) < args.n and tries < 20 * args.n:
        tries += 1
        r = one_burst(rng, mask, args)
        if r is not None:
            rows.append(r)
    out = {"n_bursts": len(rows), "n_simulated": tries, "seed": args.seed, "field": args.field,
           "method": "full photon simulation (simulate_grb), 1 s exposure",
           "runtime_s": time.perf_counter() - t0}  # fmt: skip
    snr, theta, off = _col(rows, "snr"), _col(rows, "theta"), _col(rows, "off_sky_deg")
    out["snr_min_max"] = [float(snr.min()), float(snr.max())]
    out["theta_max_deg"] = float(theta.max())
    out["library_law"] = summary(rows, ECLAIRS.r90_stat_px, ECLAIRS.r90_sys_px)
    out["library_containment_err_radius_90"] = float(np.mean(off <= err_radius_90(snr, theta)))
    out["estimators"] = {name: estimator_figures(rows, name) for name in METHODS}
    out["detector"] = detector_figures(rows)
    if args.fit:
        scaled = off / (ECLAIRS.sky_pixel_deg * np.cos(np.radians(theta)) ** 1.5)
        out["fitted_law"] = summary(rows, *fit_law(snr, scaled))
    if args.png:
        plot(rows, args.png)
    if args.rows:
        with open(args.rows, "w") as f:
            json.dump(rows, f)
    print(json.dumps(out, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
