"""The end-to-end demo behind ``make demo``: simulated data, then the real files when present.

Writes products (NetCDF, FITS, VOEvent), quicklooks (PNG) and a report (Markdown and JSON)
under one folder and prints a short summary table. Each mission contributes one section
(a ``demo`` module with ``run``, ``markdown`` and ``summary``). Everything runs on the built-in
simulators; the real files are used when ../shared/data is beside the checkout (or
FCSPACE_SHARED_DATA names it).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from fcspace.core.report import dumps, jsonable

#: (report key, demo module) in the order they run.
SECTIONS = (
    ("scat", "fcspace.cfosat.scat.demo"),
    ("swim", "fcspace.cfosat.swim.demo"),
    ("svom", "fcspace.svom.demo"),
    ("dorn", "fcspace.dorn.demo"),
)


def shared_data_dir() -> Path | None:
    """The ../shared/data folder: $FCSPACE_SHARED_DATA, beside the checkout, or beside cwd."""
    candidates = [os.environ.get("FCSPACE_SHARED_DATA")]
    candidates += [str(Path(__file__).resolve().parents[3] / "shared" / "data")]
    candidates += [str(Path.cwd().parent / "shared" / "data")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def run_demo(out_dir: str | os.PathLike[str], rows: int = 500, seed: int = 2026) -> dict:
    """Run every mission's demo, write products, PNGs and the report; return the report."""
    from fcspace.core.products import write_atomic
    from fcspace.core.report import print_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shared = shared_data_dir()
    report: dict[str, Any] = {"shared_data": str(shared) if shared else None}
    lines = ["# fcspace demo report", ""]
    table: dict[str, Any] = {}
    for key, name in SECTIONS:
        module = importlib.import_module(name)
        report[key] = module.run(out, shared, rows=rows, seed=seed)
        lines += module.markdown(jsonable(report[key]))
        table |= module.summary(report[key])
    lines += ["Products and PNGs are in this folder; report.json holds every figure.", ""]
    write_atomic(out / "report.json", lambda p: p.write_text(dumps(report)))
    write_atomic(out / "report.md", lambda p: p.write_text("\n".join(lines)))
    from fcspace.report import write_report

    table["outputs"] = str(out)
    table["html report"] = str(write_report(out))
    print_table("fcspace demo", table)
    return report
