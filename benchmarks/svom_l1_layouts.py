"""SVOM L1 mission layouts: same triggers as today's layouts, and read/write speed.

For N simulated ECLAIRs bursts and N simulated GRM bursts (seeds 0..N-1), each list is written
in today's fcspace layout and in the mission layout (ECL-EVT-CAL; GRM hourly svom_grm_evt file),
read back and triggered; the script counts the bursts whose triggers agree (ECLAIRs: every field
of every trigger within 1e-9; GRM: time, timescale, band, detectors equal, counts within
2 + 1 % and SNR within 2 %: energies read back as PI channel centres move the few events of the
channel that straddles a band edge) and times reading and writing.

Usage: .venv/bin/python benchmarks/svom_l1_layouts.py [--n 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from fcspace.svom.eclairs import io as eio
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb
from fcspace.svom.eclairs.trigger import run_triggers
from fcspace.svom.grm import io as gio
from fcspace.svom.grm.simulate import GrbTruth, simulate_events
from fcspace.svom.grm.trigger import run_trigger

ATT = (150.0, -30.0, 20.0)
KEYS = ("met", "snr", "theta_deg", "phi_deg", "ra", "dec", "timescale_s")


def _timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def _same_eclairs(a: list, b: list) -> bool:
    da, db = [t.to_dict() for t in a], [t.to_dict() for t in b]
    return len(da) == len(db) and all(
        x["trigger_type"] == y["trigger_type"]
        and all(abs(x[k] - y[k]) <= 1e-9 * max(1.0, abs(x[k])) for k in KEYS)
        for x, y in zip(da, db, strict=True)
    )


def eclairs(n: int, d: Path) -> dict:
    same, n_trig, t_write, t_read, n_ev = 0, 0, 0.0, 0.0, 0
    for seed in range(n):
        rng = np.random.default_rng(seed)
        grb = Grb(theta_deg=float(rng.uniform(0, 30)), phi_deg=float(rng.uniform(0, 360)),
                  peak_flux=float(rng.uniform(1.0, 4.0)), t0=70.0)  # fmt: skip
        ds = simulate_grb(grb, 110.0, seed, met_start=2.5e8)
        n_ev += ds.sizes["event"]
        eio.write_events(ds, d / "t.fits", "fcspace")
        _, tw = _timed(eio.write_events, ds, d / "m.fits", "ECL-EVT-CAL")
        m, tr = _timed(eio.read_events, d / "m.fits")
        t_write, t_read = t_write + tw, t_read + tr
        a = run_triggers(eio.read_events(d / "t.fits"), attitude=ATT)
        b = run_triggers(m, attitude=ATT)
        same += _same_eclairs(a, b)
        n_trig += len(a)
    rate = n_ev / 1e6
    return {"bursts": n, "same": same, "triggers": n_trig,
            "write_s_per_mevent": t_write / rate, "read_s_per_mevent": t_read / rate}  # fmt: skip


def _same_grm(a: list, b: list) -> bool:
    keys = ("time", "timescale_s", "band_kev", "detectors")
    return len(a) == len(b) and all(
        all(x[k] == y[k] for k in keys)
        and abs(x["snr"] - y["snr"]) <= 0.02 * x["snr"]
        and np.all(
            np.abs(np.subtract(x["counts"], y["counts"])) <= 2 + 0.01 * np.array(x["counts"])
        )
        for x, y in zip(a, b, strict=True)
    )


def grm(n: int, d: Path) -> dict:
    same, n_trig, t_write, t_read, n_ev = 0, 0, 0.0, 0.0, 0
    for seed in range(n):
        rng = np.random.default_rng(100 + seed)
        grb = GrbTruth(
            t0_met=40.0,
            theta_deg=float(rng.uniform(0, 60)),
            phi_deg=float(rng.uniform(0, 360)),
            peak_flux=float(rng.uniform(8, 30)),
        )
        ds = simulate_events(70.0, grb, rng=seed)  # fmt: skip
        n_ev += ds.sizes["event"]
        gio.write_events(ds, d / "t.nc")
        _, tw = _timed(gio.write_events, ds, d / "svom_grm_evt_170101_00_v00.fits")
        m, tr = _timed(gio.read_events, d / "svom_grm_evt_170101_00_v00.fits")
        t_write, t_read = t_write + tw, t_read + tr
        a, b = run_trigger(gio.read_events(d / "t.nc")), run_trigger(m)
        same += _same_grm(a, b)
        n_trig += len(a)
    rate = n_ev / 1e6
    return {"bursts": n, "same": same, "triggers": n_trig,
            "write_s_per_mevent": t_write / rate, "read_s_per_mevent": t_read / rate}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = {"eclairs": eclairs(args.n, Path(tmp)), "grm": grm(args.n, Path(tmp))}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(k, v)


if __name__ == "__main__":
    main()
