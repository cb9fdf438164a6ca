"""Water-cycle part of the demo: a simulated MIRAS pass over a coast, imaged and retrieved.

With ../shared, also the SMAP L4 scene through the same chain and the SMAP L2B ocean check.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def _chain(scene: Any, out: Path, tag: str, seed: int) -> dict[str, Any]:
    from fcspace.watercycle.io import write_water_product
    from fcspace.watercycle.quicklook import product_figure, snapshot_figure
    from fcspace.watercycle.retrieve import image_snapshots, retrieve_pass
    from fcspace.watercycle.simulate import Orbit, simulate_pass
    from fcspace.watercycle.validate import validate_product

    start = time.perf_counter()
    orbit = Orbit(float(scene["lat"].min()) - 6.0, float(scene["lon"].mean()), 0.0, 10)
    vis = simulate_pass(scene, orbit, 12, rng=seed)
    sim_s = time.perf_counter() - start
    start = time.perf_counter()
    l2 = retrieve_pass(vis)
    ret_s = time.perf_counter() - start
    write_water_product(l2, out / f"water_{tag}_l2.nc")
    snapshot_figure(image_snapshots(vis.isel(snapshot=[6])), out / f"water_{tag}_snapshot.png")
    product_figure(l2, out / f"water_{tag}_l2.png")
    return {"scores": validate_product(l2), "seconds": {"simulate": sim_s, "retrieve": ret_s}}


def run(out: Path, shared: Path | None, rows: int, seed: int) -> dict[str, Any]:
    """Run the water-cycle demo; return its part of the report (``rows`` unused)."""
    from fcspace.watercycle.simulate import synthetic_scene

    report: dict[str, Any] = {"simulated": _chain(synthetic_scene(seed, n=32), out, "sim", seed)}
    if shared is not None:
        base = Path(shared) / "watercycle"
        l4 = base / "smap_l4_sm" / "SMAP_L4_SM_aup_input.h5"
        l2b = base / "smap_l2b_sss" / "not_empty_smap.h5"
        if l4.exists():
            from fcspace.watercycle.io import open_smap_l4_sm
            from fcspace.watercycle.simulate import scene_from_smap_l4

            scene = scene_from_smap_l4(open_smap_l4_sm(l4), slice(300, 332), slice(640, 672))
            report["smap_l4"] = _chain(scene, out, "smap_l4", seed)
        if l2b.exists():
            from fcspace.watercycle.io import open_smap_l2b_sss
            from fcspace.watercycle.ocean import compare_smap_l2b

            ds = open_smap_l2b_sss(l2b)
            report["smap_l2b"] = {"with_roughness": compare_smap_l2b(ds, roughness=True),
                                  "flat_sea": compare_smap_l2b(ds, roughness=False)}  # fmt: skip
    return report


def _score_line(name: str, part: dict[str, Any], var: str, unit: str) -> str:
    s = part["scores"][var]["open"]
    return f"| {name} {var} | {s['n']} | {s['bias']:+.4f} | {s['rmse']:.4f} {unit} |"


def markdown(report: dict[str, Any]) -> list[str]:
    """Report section (Markdown lines)."""
    lines = ["## Water cycle: MIRAS pass, images and retrievals", "",
             "12 snapshots (every 10th, 12 s apart) of H and V visibilities with receiver noise;"
             " reference-scene imaging, extended AF-FOV, multi-angle retrieval. Cells off the "
             "coast band.", "", "| scene, variable | N | bias | RMSE |", "|---|---|---|---|"]
    sim = report["simulated"]
    lines += [_score_line("synthetic", sim, "soil_moisture", "m3/m3"),
              _score_line("synthetic", sim, "sss", "psu")]  # fmt: skip
    if "smap_l4" in report:
        lines.append(_score_line("SMAP L4 window", report["smap_l4"], "soil_moisture", "m3/m3"))
    if "smap_l2b" in report:
        lines += ["", f"SMAP L2B cells, model - observed (with roughness): "
                  f"{report['smap_l2b']['with_roughness']}"]  # fmt: skip
    return lines + [""]


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures for the terminal table."""
    sim = report["simulated"]["scores"]
    out = {"Water SM RMSE (m3/m3)": f"{sim['soil_moisture']['open']['rmse']:.3f}",
           "Water SSS RMSE (psu)": f"{sim['sss']['open']['rmse']:.2f}"}  # fmt: skip
    if "smap_l4" in report:
        l4 = report["smap_l4"]["scores"]["soil_moisture"]["open"]["rmse"]
        out["Water SMAP L4 chain SM RMSE (m3/m3)"] = f"{l4:.3f}"
    return out
