"""GRM HEALPix sky maps: credible-region coverage on simulated bursts, peer read-back, notice area.

Each burst: a random attitude (RA uniform, Dec uniform in sin, roll uniform), a direction
uniform in solid angle within ``--theta-max`` of the pointing axis, a peak flux log-uniform in
``--flux`` (ph cm^-2 s^-1, 10-1000 keV), simulated by ``fcspace.svom.grm.simulate``; the rate
trigger runs; the first trigger is mapped (``fcspace.svom.grm.notice.skymap_of_trigger``) and
written with its notice (same stem). The default ``--theta-max`` of 100 deg is every direction
a GRD sees (30 deg tilt + 60 deg field + 10 deg taper): bursts are then drawn from the map's
own prior (uniform over the sky; nothing beyond 100 deg can trigger), and a log-uniform flux is
the scale-invariant amplitude prior under which the profiled amplitude is the marginal one
(module docstring of ``fcspace.svom.grm.skymap``); only untriggered bursts are dropped.
Two worlds:

* ``statistical``: the simulator's response is the model's; the map has no systematic term;
* ``systematic``: each burst is simulated with the response of each GRD scaled by
  ``1 + f N(0, 1)`` (f = ``GRM.localize_systematic_frac``, 5 %: a response known to 5 %), and
  the map carries the flight systematic term f.

Reported: the fraction of bursts whose true position lies in the 50/68/90 % credible regions
(binomial 1-sigma error), the 90 % areas, the map read back by fcspace and by the peer
(astropy-healpix ``HEALPix.from_header`` + astropy.io.fits) identical, and the notice's
``Error2Radius`` cap area against the map's 90 % area.

Usage: .venv/bin/python benchmarks/grm_skymap.py [--n 450] [--seed 2026] [--png out.png] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fcspace.svom.frames import Attitude
from fcspace.svom.grm.instrument import GRM, GrmInstrument
from fcspace.svom.grm.notice import grm_alert, skymap_of_trigger, truth_radec, write_localization
from fcspace.svom.grm.simulate import GrbTruth, simulate_events
from fcspace.svom.grm.trigger import run_trigger

LEVELS = (0.5, 0.68, 0.9)


@dataclass(frozen=True)
class _ScaledGrm(GrmInstrument):
    """The GRM with each GRD's response scaled by ``gains`` (a response error, truth side)."""

    gains: tuple[float, ...] = (1.0, 1.0, 1.0)

    def detector_response(self, theta_deg, phi_deg):  # noqa: ANN001, ANN201, D102
        return super().detector_response(theta_deg, phi_deg) * np.asarray(self.gains)


def _draw(rng: np.random.Generator, theta_max: float, flux: tuple[float, float]) -> tuple:
    att = Attitude(rng.uniform(0, 360), np.rad2deg(np.arcsin(rng.uniform(-1, 1))),
                   rng.uniform(0, 360))  # fmt: skip
    th = np.rad2deg(np.arccos(rng.uniform(np.cos(np.deg2rad(theta_max)), 1.0)))
    peak = 10 ** rng.uniform(*np.log10(flux))
    return att, GrbTruth(t0_met=25.0, theta_deg=th, phi_deg=rng.uniform(0, 360), peak_flux=peak)


def _peer_identical(path: Path, sky) -> bool:  # noqa: ANN001
    """Map read back by astropy-healpix (pixelisation) and astropy.io.fits (PROB) identical."""
    from astropy.io import fits
    from astropy_healpix import HEALPix

    peer = HEALPix.from_header(str(path))
    with fits.open(path) as hdul:
        prob = np.array(hdul[1].data["PROB"], float)
    from fcspace.svom.grm.skymap_fits import read_skymap

    ours = read_skymap(path)
    return bool(peer.nside == sky.nside and peer.order == "nested" and peer.frame.name == "icrs"
                and np.array_equal(prob, sky.prob) and np.array_equal(ours.prob, sky.prob))


def _one(rng, world: str, args, out: Path, k: int) -> dict | None:  # noqa: ANN001
    from fcspace.svom.alerts import read_voevent

    att, grb = _draw(rng, args.theta_max, tuple(args.flux))
    f = GRM.localize_systematic_frac
    sim_inst = GRM if world == "statistical" else _ScaledGrm(
        gains=tuple(1.0 + f * rng.normal(size=GRM.n_detectors)))  # fmt: skip
    ds = simulate_events(45.0, grb, rng, instrument=sim_inst)
    ds.attrs.update(attitude_ra=att.ra, attitude_dec=att.dec, attitude_roll=att.roll)
    trig = run_trigger(ds)
    if not trig:
        return None
    inst = GRM if world == "systematic" else GrmInstrument(localize_systematic_frac=0.0)
    t0 = time.perf_counter()
    sky = skymap_of_trigger(ds, trig[0], object_name=f"sim{k:04d}", instrument=inst)
    cost = time.perf_counter() - t0
    truth = truth_radec(ds, att)
    paths = write_localization(sky, grm_alert(sky, trig[0]), out / f"{world}_{k:04d}",
                               quicklook=False)  # fmt: skip
    r = read_voevent(paths["notice"]).err_radius_deg
    notice_area = 2 * np.pi * (1 - np.cos(np.deg2rad(r))) * np.rad2deg(1.0) ** 2
    peer = _peer_identical(Path(paths["skymap"]), sky)
    return {"level": sky.searched_level(*truth), "area90": sky.area_deg2(0.9),
            "notice_area90": notice_area, "nside": sky.nside, "cost_s": cost,
            "peer": peer, "sky": sky, "truth": truth}  # fmt: skip


def _summary(rows: list[dict], n: int) -> dict:
    lv = np.array([r["level"] for r in rows])
    area = np.array([r["area90"] for r in rows])
    notice = np.array([r["notice_area90"] for r in rows])
    cover = {}
    for level in LEVELS:
        p = float(np.mean(lv <= level))
        cover[f"{level:g}"] = {"fraction": p, "sigma": float(np.sqrt(p * (1 - p) / lv.size))}
    return {
        "bursts": n, "triggered_mapped": len(rows), "coverage": cover,
        "area90_deg2_median": float(np.median(area)),
        "area90_deg2_p10_p90": [float(np.percentile(area, 10)), float(np.percentile(area, 90))],
        "nside_counts": {str(k): int(v) for k, v in zip(*np.unique(
            [r["nside"] for r in rows], return_counts=True), strict=True)},
        "peer_readback_identical": int(sum(r["peer"] for r in rows)),
        "notice_vs_map_area90_max_rel_diff": float(np.max(np.abs(notice / area - 1))),
        "map_cost_s_median": float(np.median([r["cost_s"] for r in rows])),
    }  # fmt: skip


def main() -> None:
    """Run both worlds and print the figures (``--json``: one JSON object)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=450, help="bursts simulated per world")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--theta-max", type=float, default=100.0)
    ap.add_argument("--flux", type=float, nargs=2, default=(3.0, 30.0))
    ap.add_argument("--png", type=Path, default=None, help="quicklook of the first map")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result: dict = {"seed": args.seed, "theta_max_deg": args.theta_max, "flux": list(args.flux)}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for w, world in enumerate(("statistical", "systematic")):
            rng = np.random.default_rng([args.seed, w])
            rows = [r for k in range(args.n) if (r := _one(rng, world, args, Path(tmp), k))]
            result[world] = _summary(rows, args.n)
            if args.png is not None and world == "systematic" and rows:
                from fcspace.svom.grm.quicklook import plot_skymap

                result["png"] = str(plot_skymap(rows[0]["sky"], args.png, rows[0]["truth"]))
    result["wall_s"] = time.perf_counter() - t0
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
