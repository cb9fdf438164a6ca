"""CFOSat SWIM part of the demo: a simulated storm-with-swell segment and the real L2P file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SWIM_L2P_GLOB = "cfosat/swim_l2p/*.nc"
MAX_BOXES = 40  # keeps the SWIM part of the demo to a few seconds


def n_boxes(rows: int) -> int:
    """Boxes of the simulated segment from the demo's ``rows`` (25 km SCAT rows; 90 km boxes)."""
    return max(8, min(MAX_BOXES, round(rows * 25.0 / 90.0)))


def _simulated(out: Path, rows: int, seed: int) -> dict[str, Any]:
    from fcspace.cfosat.swim.io import write_l1, write_l2
    from fcspace.cfosat.swim.process import l1_to_l2
    from fcspace.cfosat.swim.quicklook import quicklook
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment
    from fcspace.cfosat.swim.validate import validate_against_truth

    l1 = simulate_orbit_segment(n_boxes(rows), scene="storm_swell", seed=seed)
    write_l1(l1, out / "swim_sim_storm_l1.nc")
    l2 = l1_to_l2(l1)
    write_l2(l2, out / "swim_sim_storm_l2.nc")
    pngs = quicklook(l2, out / "swim_sim_storm_spectrum.png",
                     title="Simulated storm + swell (fcspace SWIM L2)")  # fmt: skip
    return {"n_box": int(l2.sizes["n_box"]), "scores": validate_against_truth(l2),
            "quicklook": pngs}  # fmt: skip


def _real(out: Path, path: Path) -> dict[str, Any]:
    from fcspace.cfosat.swim.io import l2_summary, open_l2p
    from fcspace.cfosat.swim.quicklook import quicklook

    ds = open_l2p(path)
    pngs = quicklook(ds, out / "swim_real_l2p_spectrum.png", title=path.name)
    return {"file": path.name, "summary": l2_summary(ds), "quicklook": pngs}


def run(out: Path, shared: Path | None, rows: int, seed: int) -> dict[str, Any]:
    """Run the SWIM demo; return its part of the report."""
    report: dict[str, Any] = {"simulated": _simulated(out, rows, seed)}
    if shared is not None:
        for path in sorted(shared.glob(SWIM_L2P_GLOB))[:1]:
            report["real_l2p"] = _real(out, path)
    return report


def _fmt(value: Any, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def markdown(report: dict[str, Any]) -> list[str]:
    """Report section (Markdown lines)."""
    sim = report["simulated"]
    s = sim["scores"]
    lines = ["## CFOSat SWIM, simulated orbit segment through a storm with swell", ""]
    lines += [f"{sim['n_box']} boxes (x 2 sides); nadir SWH at box rate against truth: "
              f"n = {s['nadir_n']}, bias {_fmt(s['nadir_swh_bias'], '.3f')} m, "
              f"RMSE {_fmt(s['nadir_swh_rmse'], '.3f')} m.", ""]  # fmt: skip
    lines += [
        "| spectrum / system | n | SWH bias (m) | SWH RMSE (m) | peak λ rel. error "
        "(median) | peak dir. error (deg, median, mod 180) |",
        "|---|---|---|---|---|---|",
    ]
    rows = {"combined 8+10°": s} | {f"beam {b}°": v for b, v in s["beams"].items()}
    rows |= {f"combined: {k}": v for k, v in s.get("systems", {}).items()}
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['n']} | {_fmt(r['swh_bias'], '.3f')} | {_fmt(r['swh_rmse'], '.3f')}"
            f" | {_fmt(r['peak_wavelength_rel_error'], '.3f')} | "
            f"{_fmt(r['peak_dir_error_deg'], '.1f')} |"
        )
    lines += ["", f"Quicklooks: {Path(sim['quicklook']['spectrum_png']).name}, "
              f"{Path(sim['quicklook']['nadir_png']).name}"]  # fmt: skip
    real = report.get("real_l2p")
    if real:
        sm = real["summary"]
        lines += ["", f"## Real CFOSat SWIM L2P: {real['file']}", ""]
        lines += [f"- boxes: {sm['n_box']}, with valid nadir SWH: "
                  f"{sm['boxes_with_valid_nadir_swh']} (mean {_fmt(sm['nadir_swh']['mean'], '.2f')}"
                  f" m, max {_fmt(sm['nadir_swh']['max'], '.2f')} m)",
                  f"- cells with wave_param: {sm['cells_with_wave_param']}, with a valid "
                  f"spectrum: {sm['cells_with_valid_spectrum']}",
                  f"- quicklooks (box {real['quicklook']['box']}): "
                  f"{Path(real['quicklook']['spectrum_png']).name}, "
                  f"{Path(real['quicklook']['nadir_png']).name}"]  # fmt: skip
    return lines + [""]


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    s = report["simulated"]["scores"]
    table = {
        f"SWIM sim {k}": s[k]
        for k in ("nadir_swh_rmse", "swh_rmse", "peak_wavelength_rel_error", "peak_dir_error_deg")
    }
    swell = s.get("systems", {}).get("swell")
    if swell:
        table["SWIM sim swell peak λ rel. error"] = swell["peak_wavelength_rel_error"]
        table["SWIM sim swell peak dir error (deg)"] = swell["peak_dir_error_deg"]
    if "real_l2p" in report:
        table["SWIM real L2P valid nadir boxes"] = report["real_l2p"]["summary"][
            "boxes_with_valid_nadir_swh"
        ]
    return table
