"""ECLAIRs zoned count-rate trigger against the whole-plane CRT for off-axis bursts.

Usage: .venv/bin/python benchmarks/eclairs_crt_zones.py [--bursts 200] [--seed 5]
       [--theta-min 30] [--json]

Bursts are placed uniformly in the tangent plane of the field of view with theta >
``--theta-min`` (partially coded field, coding fraction > 2 %), peak photon flux (15-150 keV)
log-uniform in [0.5, 7] ph cm-2 s-1, one FRED pulse (rise 0.3-1 s, decay 1-10 s, log-uniform),
the simulator's default Band spectrum, onset at 80 s of a 143.36 s photon simulation
(``simulate_grb``, default background, no Earth). Each event list is run through
:func:`run_triggers` twice with the same thresholds: the CRT on the whole plane only
(``crt_zones=("whole",)``) and the zoned CRT (whole plane, halves, quadrants). A detection is
a trigger starting between 25 s before and 60 s after the onset whose position is within
3 r90 of the truth; the table gives, per peak-flux bin, the CRT detection efficiency of each
and the efficiency of either trigger (CRT or IMT).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb, Pulse
from fcspace.svom.eclairs.trigger import run_triggers
from fcspace.svom.eclairs.trigger_config import TriggerConfig

WHOLE = TriggerConfig(crt_zones=("whole",))
ZONED = TriggerConfig()
EDGES = [0.5, 1.0, 1.5, 2.0, 3.0, 4.5, 7.0]


def _direction(rng: np.random.Generator, theta_min: float) -> tuple[float, float]:
    t = np.tan(np.radians(ECLAIRS.half_fov_deg))
    while True:
        ty, tz = rng.uniform(-t, t, 2)
        theta = float(np.degrees(np.arctan(np.hypot(ty, tz))))
        phi = float(np.degrees(np.arctan2(tz, ty)) % 360)
        if theta > theta_min and ECLAIRS.coding_fraction(theta, phi) > 0.02:
            return theta, phi


def _angle(t1: float, p1: float, t2: float, p2: float) -> float:
    def vec(t: float, p: float) -> np.ndarray:
        t, p = np.radians(t), np.radians(p)
        return np.array([np.cos(t), np.sin(t) * np.cos(p), np.sin(t) * np.sin(p)])

    return float(np.degrees(np.arccos(np.clip(vec(t1, p1) @ vec(t2, p2), -1, 1))))


def _detected(ds, config: TriggerConfig, theta: float, phi: float) -> tuple[bool, bool]:
    """(CRT detection, any detection) of one run."""
    ok = [t for t in run_triggers(ds, config=config)
          if -25.0 < t.met - 80.0 < 60.0
          and _angle(t.theta_deg, t.phi_deg, theta, phi) <= 3 * t.err_radius_deg]  # fmt: skip
    return any(t.trigger_type == "CRT" for t in ok), bool(ok)


def run(n_bursts: int, seed: int, theta_min: float, verbose: bool) -> dict:
    """Simulate the bursts, trigger each twice, tabulate efficiency against peak flux."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_bursts):
        theta, phi = _direction(rng, theta_min)
        peak = float(np.exp(rng.uniform(np.log(EDGES[0]), np.log(EDGES[-1]))))
        rise, decay = np.exp(rng.uniform(np.log([0.3, 1.0]), np.log([1.0, 10.0])))
        grb = Grb(theta, phi, peak, t0=80.0,
                  pulses=(Pulse(t_peak=2 * rise, rise=rise, decay=decay),))  # fmt: skip
        ds = simulate_grb(grb, 143.36, rng)
        rows.append((peak, theta, *_detected(ds, WHOLE, theta, phi),
                     *_detected(ds, ZONED, theta, phi)))  # fmt: skip
        if verbose:
            print(i, rows[-1], file=sys.stderr)
    return _table(np.array(rows, dtype=float), theta_min, n_bursts, seed)


def _table(r: np.ndarray, theta_min: float, n: int, seed: int) -> dict:
    table = []
    for lo, hi in zip(EDGES[:-1], EDGES[1:], strict=True):
        sel = (r[:, 0] >= lo) & (r[:, 0] < hi)
        if sel.any():
            m = r[sel].mean(axis=0)
            table.append({"peak_flux_15_150": [lo, hi], "n": int(sel.sum()),
                          "crt_whole": m[2], "crt_zoned": m[4],
                          "any_whole": m[3], "any_zoned": m[5]})  # fmt: skip
    tot = r.mean(axis=0)
    return {
        "n_bursts": n, "seed": seed, "theta_min_deg": theta_min,
        "theta_range_deg": [float(r[:, 1].min()), float(r[:, 1].max())],
        "table": table,
        "overall": {"crt_whole": tot[2], "crt_zoned": tot[4], "any_whole": tot[3],
                    "any_zoned": tot[5]},
        "zoned_only_crt": int(np.sum((r[:, 4] > 0) & (r[:, 2] == 0))),
        "whole_only_crt": int(np.sum((r[:, 2] > 0) & (r[:, 4] == 0))),
    }  # fmt: skip


def main() -> None:
    """Command line: measure, print JSON (or indented JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bursts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--theta-min", type=float, default=30.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    out = run(a.bursts, a.seed, a.theta_min, a.verbose)
    print(json.dumps(out, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
