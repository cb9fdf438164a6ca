"""Trigger-chain cost of the detector-plane localisation (sky fit vs detector refinement).

Usage: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eclairs_localisation_chain.py [--json]

The event list of ``benchmarks/eclairs_trigger.py`` (655.36 s, a 1 ph cm-2 s-1 burst at
theta 15 deg near the end) runs through :func:`run_triggers` twice per repeat, alternating:
as the engine runs today (sky PSF fit), and with every CRT image that passes the image
threshold refined by the detector-plane fit (``localize(sky, shadow=...)``), which is what
the engine would do if the refinement were its default. The engine's ``_decode`` is wrapped
for the second run; nothing of the library is changed. CPU time of this process
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

SKY_DECODE = engine.TriggerEngine._decode


def refined_decode(
    self: engine.TriggerEngine, shadow: NDArray, background: NDArray, exposure: float,
    band: tuple[float, float],
) -> tuple[SkyImage, Localisation]:  # fmt: skip
    """The engine's decode, then the detector-plane fit of images above the CRT threshold."""
    sky, loc = SKY_DECODE(self, shadow, background, exposure, band)
    if loc.snr >= self.thresholds.crt_image_snr:
        ctx = self.context
        loc = localize(sky, ctx.instrument, shadow=shadow, pixel_status=ctx.pixel_status,
                       mask=ctx.mask)  # fmt: skip
    return sky, loc


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
            for name, fn in (("sky", SKY_DECODE), ("detector", refined_decode)):
                engine.TriggerEngine._decode = fn
                t0 = time.process_time()
                found[name] = _summary(run_triggers(ds))
                cpu[name].append(time.process_time() - t0)
    finally:
        engine.TriggerEngine._decode = SKY_DECODE
    out = {name: {"cpu_s": min(v), "realtime_factor": a.seconds / min(v),
                  "triggers_type_theta_phi_r90arcmin": found[name]}
           for name, v in cpu.items()}  # fmt: skip
    out["true_direction_deg"] = [grb.theta_deg, grb.phi_deg]
    print(json.dumps(out, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
