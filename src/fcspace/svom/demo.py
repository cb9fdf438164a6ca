"""SVOM part of the demo: ECLAIRs and GRM on simulated bursts, GRM on the real GRB 110721A.

ECLAIRs: burst → trigger → sky image → localisation → VOEvent and GCN JSON notices.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GBM_TTE_GLOB = "svom/fermi_gbm_bn110721200/glg_tte_*.fit"


#: Demo burst: 12° off-axis, 3 ph cm-2 s-1 (15-150 keV), pointing of a real SVOM notice.
DEMO_GRB = {"theta_deg": 12.0, "phi_deg": 40.0, "peak_flux": 3.0, "t0": 80.0}
DEMO_ATTITUDE = (83.63, 22.01, 30.0)  # RA, Dec, roll (deg)
DEMO_MET_START = 2.748e8  # s since the SVOM MET epoch: mid-2025


def _eclairs_simulated(out: Path, seed: int) -> dict[str, Any]:
    from fcspace.svom import alerts
    from fcspace.svom.eclairs import imaging, io, localize, quicklook, simulate, sources, trigger
    from fcspace.svom.frames import Attitude

    grb = sources.Grb(**DEMO_GRB)
    events = simulate.simulate_grb(grb, 160.0, seed, met_start=DEMO_MET_START)
    io.write_events(events, out / "eclairs_sim_events.fits")
    att = Attitude(*DEMO_ATTITUDE)
    found = trigger.run_triggers(events, attitude=att)
    report: dict[str, Any] = {"truth": DEMO_GRB, "triggers": [t.to_dict() for t in found]}
    if not found:
        return report
    first = found[0]
    t0 = first.met - DEMO_MET_START
    shadow = imaging.shadowgram(events, t0, t0 + first.timescale_s, tuple(first.band_kev))
    band = tuple(first.band_kev)
    sky = imaging.sky_image(shadow, imaging.fit_background(shadow), exposure_s=first.timescale_s,
                            band_kev=band)  # fmt: skip
    loc = localize.localize(sky)
    io.write_sky_image(sky, out / "eclairs_sim_sky.fits")
    quicklook.plot_sky_image(sky, out / "eclairs_sim_sky_snr.png", loc=loc)
    alert = trigger.trigger_alert(first, att)
    alerts.write_voevent(alert, out / "eclairs_sim_alert.xml")
    alerts.write_gcn_json(alert, out / "eclairs_sim_alert.json")
    offset = localize.angular_distance_deg(loc.theta_deg, loc.phi_deg, grb.theta_deg, grb.phi_deg)
    report |= {"offset_arcmin": 60.0 * offset, "err_radius_arcmin": 60.0 * loc.err_radius_deg}
    return report


def _grm_simulated(out: Path, seed: int) -> dict[str, Any]:
    from fcspace.svom.grm.io import write_events
    from fcspace.svom.grm.localize import localize_trigger
    from fcspace.svom.grm.quicklook import plot_lightcurve
    from fcspace.svom.grm.simulate import GrbTruth, simulate_events
    from fcspace.svom.grm.trigger import GRM_CONFIG, run_trigger

    grb = GrbTruth(t0_met=60.0, theta_deg=20.0, phi_deg=45.0, peak_flux=8.0)
    events = simulate_events(120.0, grb, seed)
    write_events(events, out / "grm_sim_events.nc")
    triggers = run_trigger(events, GRM_CONFIG)
    plot_lightcurve(events, triggers, out / "grm_sim_lightcurve.png")
    report: dict[str, Any] = {"truth_t0_met": grb.t0_met, "triggers": triggers}
    if triggers:
        from fcspace.svom.grm.notice import grm_alert, skymap_of_trigger, write_localization

        report["localisation"] = localize_trigger(events, triggers[0])
        sky = skymap_of_trigger(events, triggers[0], object_name="grm_sim")
        write_localization(sky, grm_alert(sky, triggers[0]), out / "grm_sim_skymap")
        report["skymap_area90_deg2"] = sky.area_deg2(0.9)
    return report


def _gbm_real(out: Path, path: Path) -> dict[str, Any]:
    from fcspace.svom.grm.io import read_gbm_tte
    from fcspace.svom.grm.quicklook import plot_lightcurve
    from fcspace.svom.grm.trigger import GBM_CONFIG, run_trigger

    events = read_gbm_tte(path)
    triggers = run_trigger(events, GBM_CONFIG)
    plot_lightcurve(events, triggers, out / "gbm_grb110721a_lightcurve.png")
    return {"file": path.name, "trigtime_met": float(events.attrs["trigtime"]),
            "triggers": triggers}  # fmt: skip


def run(out: Path, shared: Path | None, rows: int, seed: int) -> dict[str, Any]:
    """Run the SVOM demo; return its part of the report (``rows`` is unused here)."""
    report: dict[str, Any] = {"eclairs_simulated": _eclairs_simulated(out, seed),
                              "grm_simulated": _grm_simulated(out, seed)}  # fmt: skip
    if shared is not None:
        for path in sorted(shared.glob(GBM_TTE_GLOB))[:1]:
            report["gbm_real"] = _gbm_real(out, path)
    return report


def _trigger_lines(triggers: list[dict[str, Any]], ref_met: float) -> list[str]:
    lines = ["| t − T0 (s) | timescale (s) | band (keV) | SNR |", "|---|---|---|---|"]
    for t in triggers:
        lines.append(f"| {t['met'] - ref_met:+.3f} | {t['timescale_s']:g} | "
                     f"{t['band_kev'][0]:g}–{t['band_kev'][1]:g} | {t['snr']:.1f} |")  # fmt: skip
    return lines


def markdown(report: dict[str, Any]) -> list[str]:
    """Report section (Markdown lines)."""
    ecl = report["eclairs_simulated"]
    lines = ["## SVOM ECLAIRs, simulated burst → trigger → localisation → alert", ""]
    truth = ecl["truth"]
    lines += [f"Truth: θ = {truth['theta_deg']}°, φ = {truth['phi_deg']}°, peak flux "
              f"{truth['peak_flux']} ph cm⁻² s⁻¹ at t0 = {truth['t0']} s.", ""]  # fmt: skip
    for t in ecl["triggers"]:
        lines.append(f"- {t['trigger_type']} at {t['time']}: timescale {t['timescale_s']:g} s, "
                     f"band {t['band_kev']} keV, image SNR {t['snr']:.1f}, RA {t['ra']:.3f}°, "
                     f"Dec {t['dec']:.3f}°, r90 {60 * t['err_radius_deg']:.1f}′")  # fmt: skip
    if "offset_arcmin" in ecl:
        lines += ["", f"Localisation offset from truth: {ecl['offset_arcmin']:.1f}′ "
                  f"(r90 {ecl['err_radius_arcmin']:.1f}′). VOEvent: eclairs_sim_alert.xml, "
                  "GCN JSON: eclairs_sim_alert.json, sky SNR map: eclairs_sim_sky_snr.png.",
                  ""]  # fmt: skip
    sim = report["grm_simulated"]
    lines += ["", "## SVOM GRM, simulated burst (truth T0 = MET 60 s)", ""]
    lines += _trigger_lines(sim["triggers"], sim["truth_t0_met"]) + [""]
    gbm = report.get("gbm_real")
    if gbm:
        lines += [f"## Fermi GBM GRB 110721A ({gbm['file']}), GRM trigger on real data", ""]
        lines += _trigger_lines(gbm["triggers"], gbm["trigtime_met"]) + [""]
    return lines


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    sim = report["grm_simulated"]
    ecl = report["eclairs_simulated"]
    table: dict[str, Any] = {"ECLAIRs sim triggers": len(ecl["triggers"])}
    if "offset_arcmin" in ecl:
        table["ECLAIRs offset / r90 (arcmin)"] = (
            f"{ecl['offset_arcmin']:.1f} / {ecl['err_radius_arcmin']:.1f}")
    table["GRM sim triggers"] = len(sim["triggers"])
    gbm = report.get("gbm_real")
    if gbm and gbm["triggers"]:
        table["GBM 110721A trigger − T0 (s)"] = gbm["triggers"][0]["met"] - gbm["trigtime_met"]
    return table
