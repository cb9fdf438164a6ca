"""SVOM part of the demo: GRM on a simulated burst and on the real Fermi GBM burst GRB 110721A.

(The ECLAIRs imaging/trigger/alert chain joins this section when it lands.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GBM_TTE_GLOB = "svom/fermi_gbm_bn110721200/glg_tte_*.fit"


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
        report["localisation"] = localize_trigger(events, triggers[0])
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
    report: dict[str, Any] = {"grm_simulated": _grm_simulated(out, seed)}
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
    sim = report["grm_simulated"]
    lines = ["## SVOM GRM, simulated burst (truth T0 = MET 60 s)", ""]
    lines += _trigger_lines(sim["triggers"], sim["truth_t0_met"]) + [""]
    gbm = report.get("gbm_real")
    if gbm:
        lines += [f"## Fermi GBM GRB 110721A ({gbm['file']}), GRM trigger on real data", ""]
        lines += _trigger_lines(gbm["triggers"], gbm["trigtime_met"]) + [""]
    return lines


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    sim = report["grm_simulated"]
    table: dict[str, Any] = {"GRM sim triggers": len(sim["triggers"])}
    gbm = report.get("gbm_real")
    if gbm and gbm["triggers"]:
        table["GBM 110721A trigger − T0 (s)"] = gbm["triggers"][0]["met"] - gbm["trigtime_met"]
    return table
