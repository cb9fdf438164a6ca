"""CFOSat SCAT part of the demo: simulated cyclone chain, real NSOAS L2B and KNMI ASCAT files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

SCAT_L2B_GLOB = "cfosat/scat_l2b/*.nc"
ASCAT_L2_GLOB = "cfosat/ascat_l2/*.nc"


def _simulated(out: Path, rows: int, seed: int) -> dict[str, Any]:
    from fcspace.cfosat.scat.io import write_l1b, write_l2b
    from fcspace.cfosat.scat.process import l1b_to_l2b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment
    from fcspace.cfosat.scat.validate import validate_against_truth
    from fcspace.core.plots import wind_map

    # ascending from 35°S so that the vortex, at mid-segment, sits in the tropics
    l1b = simulate_orbit_segment(rows, scene="cyclone", seed=seed, start_lat=-35.0)
    write_l1b(l1b, out / "scat_sim_cyclone_l1b.nc")
    l2b = l1b_to_l2b(l1b)
    write_l2b(l2b, out / "scat_sim_cyclone_l2b.nc")
    mid = slice(max(rows // 2 - 60, 0), rows // 2 + 60)  # 3000 km around the vortex
    zoom = l2b.isel(numrows=mid)
    lon, lat = zoom["wvc_lon"].values, zoom["wvc_lat"].values
    top = float(np.nanmax(zoom["truth_speed"].values))
    wind_map(lon, lat, zoom["truth_speed"].values, zoom["truth_dir"].values,
             out / "scat_sim_cyclone_truth.png", title="Simulated truth (Holland 1980 vortex)",
             stride=2, vmax=top)  # fmt: skip
    wind_map(lon, lat, zoom["wind_speed_selection"].values, zoom["wind_dir_selection"].values,
             out / "scat_sim_cyclone_l2b.png", title="fcspace SCAT L2B (MLE + 2DVAR)",
             stride=2, vmax=top)  # fmt: skip
    return {"wvc": int(l2b["wvc_lat"].size), "scores": validate_against_truth(l2b)}


def _real_scat(out: Path, path: Path) -> dict[str, Any]:
    from fcspace.cfosat.scat.ambiguity import remove_ambiguities, selection_agreement
    from fcspace.cfosat.scat.io import l2b_summary, open_l2b, write_l2b
    from fcspace.core.plots import wind_map

    ds = open_l2b(path)
    new = remove_ambiguities(ds)
    agree = selection_agreement(new["wvc_selection"].values, ds["wvc_selection"].values,
                                ds["num_ambigs"].values)  # fmt: skip
    write_l2b(new, out / "scat_real_reselected_l2b.nc")
    wind_map(ds["wvc_lon"].values, ds["wvc_lat"].values, ds["wind_speed_selection"].values,
             ds["wind_dir_selection"].values, out / "scat_real_l2b.png",
             title=f"{path.name} (operational selection)", stride=6)  # fmt: skip
    return {"file": path.name, "summary": l2b_summary(ds), "agreement_2dvar": agree}


def _real_ascat(out: Path, path: Path) -> dict[str, Any]:
    from fcspace.cfosat.scat.io import l2b_summary, open_knmi_l2
    from fcspace.core.plots import wind_map

    ds = open_knmi_l2(path)
    wind_map(ds["wvc_lon"].values, ds["wvc_lat"].values, ds["wind_speed_selection"].values,
             ds["wind_dir_selection"].values, out / "ascat_knmi_l2.png", title=path.name,
             stride=6)  # fmt: skip
    return {"file": path.name, "summary": l2b_summary(ds)}


def run(out: Path, shared: Path | None, rows: int, seed: int) -> dict[str, Any]:
    """Run the SCAT demo; return its part of the report."""
    report: dict[str, Any] = {"simulated": _simulated(out, rows, seed)}
    if shared is not None:
        for pattern, key, func in ((SCAT_L2B_GLOB, "real_l2b", _real_scat),
                                   (ASCAT_L2_GLOB, "real_ascat", _real_ascat)):  # fmt: skip
            for path in sorted(shared.glob(pattern))[:1]:
                report[key] = func(out, path)
    return report


def markdown(report: dict[str, Any]) -> list[str]:
    """Report section (Markdown lines)."""
    lines = ["## CFOSat SCAT, simulated cyclone orbit segment", ""]
    sim = report["simulated"]
    lines += [f"{sim['wvc']} wind vector cells; scores against the simulated truth:", ""]
    lines += ["| region | n | speed bias | speed RMSE | dir RMSE (deg) | ambiguity skill |"]
    lines += ["|---|---|---|---|---|---|"]
    rows = {"all": sim["scores"]} | sim["scores"]["regions"]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s['n']} | {s['speed_bias']:.2f} | {s['speed_rmse']:.2f} | "
            f"{s['dir_rmse_deg']:.1f} | {s.get('ambiguity_skill', float('nan')):.3f} |"
        )
    real = report.get("real_l2b")
    if real:
        lines += ["", f"## Real CFOSat SCAT L2B: {real['file']}", ""]
        lines += ["2DVAR re-selection agreement with the operational selection:", ""]
        lines += [f"- {k}: {v:.4f}" for k, v in real["agreement_2dvar"].items()]
    return lines + [""]


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    s = report["simulated"]["scores"]
    table = {f"SCAT sim {k}": s[k] for k in ("n", "speed_rmse", "dir_rmse_deg", "ambiguity_skill")}
    table |= {f"SCAT sim mid {k}": s["regions"]["mid"][k] for k in ("speed_rmse", "dir_rmse_deg")}
    if "real_l2b" in report:
        table["SCAT real 2DVAR agreement"] = report["real_l2b"]["agreement_2dvar"]["all"]
    return table
