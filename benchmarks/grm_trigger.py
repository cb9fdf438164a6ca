"""GRM rate trigger: false-trigger rate, detection efficiency, localisation, real GBM burst.

Usage: .venv/bin/python benchmarks/grm_trigger.py [--hours 1] [--bursts 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

import numpy as np

from fcspace.svom.frames import direction_vector
from fcspace.svom.grm.io import read_gbm_tte
from fcspace.svom.grm.localize import localize_trigger
from fcspace.svom.grm.simulate import GrbTruth, simulate_events
from fcspace.svom.grm.trigger import GRM_CONFIG, run_trigger
from fcspace.testing.data import shared_file

GBM_TTE = shared_file("svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit")
CHUNK_S = 600.0


def false_rate(hours: float, seed: int) -> dict:
    """Background-only GRM data in 10-min chunks; counts at several thresholds and rules."""
    rng = np.random.default_rng(seed)
    rules = [(m, th) for m in (1, 2) for th in (3.0, 3.5, 4.0, 4.5)] + [(1, 5.0), (1, 5.5)]
    hits = dict.fromkeys(rules, 0)
    exposure, cpu_trigger, n_events = 0.0, 0.0, 0
    for _ in range(int(np.ceil(hours * 3600 / CHUNK_S))):
        ds = simulate_events(CHUNK_S, None, rng)
        n_events += ds.sizes["event"]
        exposure += CHUNK_S - GRM_CONFIG.background_s - GRM_CONFIG.gap_s
        for m, th in rules:
            t0 = time.process_time()
            cfg = replace(GRM_CONFIG, min_detectors=m, threshold_sigma=th, holdoff_s=1.0)
            hits[m, th] += len(run_trigger(ds, cfg))
            cpu_trigger += time.process_time() - t0 if (m, th) == (2, 4.5) else 0.0
    per_day = {f"min_det={m},thr={th}": hits[m, th] / exposure * 86400 for m, th in rules}
    # 2-of-3 at 4.5 sigma: coincidences of independent detectors scale as the square of the
    # single-detector rate, so scale the 2-of-3 rate measured at 3 sigma by (R1(4.5)/R1(3))^2
    extrap = None
    if hits[2, 3.0] and hits[1, 3.0]:
        extrap = hits[2, 3.0] / exposure * 86400 * (hits[1, 4.5] / hits[1, 3.0]) ** 2
    return {
        "exposure_h": exposure / 3600,
        "events": n_events,
        "per_day": per_day,
        "counts": {f"{m},{t}": v for (m, t), v in hits.items()},
        "grm_2of3_4p5_extrapolated_per_day": extrap,
        "trigger_cpu_s_per_hour_of_data": cpu_trigger / (exposure / 3600),
    }


def bursts(n: int, fluxes: tuple[float, ...], seed: int) -> dict:
    """Detection fraction and localisation error versus peak flux (theta < 60 deg)."""
    rng = np.random.default_rng(seed)
    out = {}
    for flux in fluxes:
        det, errs, dts = 0, [], []
        for _ in range(n):
            th = np.rad2deg(np.arccos(rng.uniform(0.5, 1.0)))
            ph = rng.uniform(0, 360)
            grb = GrbTruth(t0_met=25.0, theta_deg=th, phi_deg=ph, peak_flux=flux)
            ds = simulate_events(50.0, grb, rng)
            trig = run_trigger(ds)
            if not trig:
                continue
            det += 1
            dts.append(trig[0]["met"] - grb.t0_met)
            loc = localize_trigger(ds, trig[0])
            cosang = direction_vector(th, ph) @ direction_vector(loc["theta_deg"], loc["phi_deg"])
            errs.append(float(np.rad2deg(np.arccos(np.clip(cosang, -1, 1)))))
        out[f"{flux:g}"] = {
            "detected": det / n,
            "median_delay_s": float(np.median(dts)) if dts else None,
            "loc_err_median_deg": float(np.median(errs)) if errs else None,
            "loc_err_68_deg": float(np.percentile(errs, 68)) if errs else None,
            "loc_err_90_deg": float(np.percentile(errs, 90)) if errs else None,
        }
    return out


def gbm() -> dict | None:
    if not GBM_TTE.exists():
        return None
    t0 = time.perf_counter()
    ev = read_gbm_tte(GBM_TTE)
    t1 = time.perf_counter()
    trig = run_trigger(ev)
    t2 = time.perf_counter()
    pre = run_trigger(
        ev,
        replace(
            GRM_CONFIG,
            min_detectors=1,
            background_s=8.192,
            gap_s=2.048,
            bands_kev=((50.0, 300.0), (25.0, 50.0), (100.0, 1000.0), (300.0, 1000.0)),
        ),
    )
    return {
        "read_s": t1 - t0,
        "trigger_s": t2 - t1,
        "triggers": trig,
        "triggers_before_T0-2s_short_bkg": [t for t in pre if t["met"] < ev.attrs["trigtime"] - 2],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--bursts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res = {
        "gbm_grb110721a": gbm(),
        "false_rate": false_rate(args.hours, args.seed),
        "bursts": bursts(args.bursts, (1.0, 2.0, 3.0, 5.0, 10.0), args.seed + 1),
    }
    print(json.dumps(res, indent=2, default=float))


if __name__ == "__main__":
    main()
