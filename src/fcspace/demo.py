"""The end-to-end demo behind ``make demo``: simulated data, then the real files when present.

Writes products (NetCDF, FITS, VOEvent), quicklooks (PNG) and a report (Markdown and JSON)
under one folder and prints a short summary table. Each mission contributes one section
(a ``demo`` module with ``run``, ``markdown`` and ``summary``, named in its ``mission.py``:
:func:`fcspace.core.registry.demo_sections`). Everything runs on the built-in simulators; the
real files are used when ../shared/data is beside the checkout (or FCSPACE_SHARED_DATA names
it: :func:`fcspace.core.shared_data.shared_data_dir`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fcspace.core.registry import demo_sections
from fcspace.core.report import dumps, jsonable
from fcspace.core.shared_data import shared_data_dir


def run_demo(
    out_dir: str | os.PathLike[str],
    rows: int = 500,
    seed: int = 2026,
    page: Callable[[Path], Path] | None = None,
) -> dict:
    """Run every mission's demo, write products, PNGs and the report; return the report.

    ``page(out_dir)`` writes the HTML page of the folder and returns its path (``fcspace demo``
    passes :func:`fcspace.report.write_report`); None: no page.
    """
    from fcspace.core.products import write_atomic
    from fcspace.core.report import print_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shared = shared_data_dir()
    report: dict[str, Any] = {"shared_data": str(shared) if shared else None}
    lines = ["# fcspace demo report", ""]
    table: dict[str, Any] = {}
    for key, name in demo_sections():
        module = importlib.import_module(name)
        report[key] = module.run(out, shared, rows=rows, seed=seed)
        lines += module.markdown(jsonable(report[key]))
        table |= module.summary(report[key])
    lines += ["Products and PNGs are in this folder; report.json holds every figure.", ""]
    write_atomic(out / "report.json", lambda p: p.write_text(dumps(report)))
    write_atomic(out / "report.md", lambda p: p.write_text("\n".join(lines)))
    table["outputs"] = str(out)
    if page is not None:
        table["html report"] = str(page(out))
    print_table("fcspace demo", table)
    return report
