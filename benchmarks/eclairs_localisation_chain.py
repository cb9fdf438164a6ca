"""Trigger-chain cost of the detector-plane localisation (sky fit vs detector refinement).

Usage: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eclairs_localisation_chain.py [--json]

The event list of ``benchmarks/eclairs_trigger.py`` (655.36 s, a 1 ph cm-2 s-1 burst at
theta 15 deg near the end) runs through :func:`run_triggers` twice per repeat, alternating:
as the engine runs by default (every CRT image that passes the image threshold localised by
the detector-plane fit, ``TriggerEngine._refine``), and with ``_refine`` replaced by the sky
PSF fit (the engine before issue 12). CPU time of this process
(``time.process_time``, the minimum over ``--repeat``) is used instead of wall time so that
other jobs on the machine do not decide the figure; ``realtime_factor = seconds / cpu``.
"""

from __future__ import annotations

import argparse
import json
import time

from numpy.typing import NDArray

from fcspace.svom.eclairs import engine
from fcspace.svom.eclairs.imaging import SkyImage
from fcspace.svom.eclairs.localize import Localisation, localize
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb
from fcspace.svom.eclairs.trigger import run_triggers

DETECTOR_REFINE = engine.TriggerEngine._refine


def sky_only(self: engine.TriggerEngine, sky: SkyImage, shadow: NDArray) -> Localisation:
    """The engine before issue 12: confirmed images keep the sky PSF fit."""
    return localize(sky, self.context.instrument)


def _summary(found: list) -> list:
    return [(t.trigger_type, round(t.theta_deg, 3), round(t.phi_deg, 3),
             round(60.0 * t.err_radius_deg, 1)) for t in found]  # fmt: skip


def main() -> None:
    """Command line: time both variants, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=655.36)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    grb = Grb(theta_deg=15.0, phi_deg=60.0, peak_flux=1.0, t0=a.seconds - 60.0)
    ds = simulate_grb(grb, a.seconds, a.seed)
    run_triggers(ds)  # builds the cached decoder
    cpu: dict[str, list[float]] = {"sky": [], "detector": []}
    found: dict[str, list] = {}
    try:
        for _ in range(a.repeat):
            for name, fn in (("sky", sky_only), ("detector", DETECTOR_REFINE)):
                engine.TriggerEngine._refine = fn
                t0 = time.process_time()
                found[name] = _summary(run_triggers(ds))
                cpu[name].append(time.process_time() - t0)
    finally:
        engine.TriggerEngine._refine = DETECTOR_REFINE
    out = {name: {"cpu_s": min(v), "realtime_factor": a.seconds / min(v),
                  "triggers_type_theta_phi_r90arcmin": found[name]}
           for name, v in cpu.items()}  # fmt: skip
    out["true_direction_deg"] = [grb.theta_deg, grb.phi_deg]
    print(json.dumps(out, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
