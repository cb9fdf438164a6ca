"""fcspace against its peers: every row of ``benchmarks/peer_rows/`` side by side.

Usage: .venv/bin/python benchmarks/peers.py [--repeats 5] [--json] [--only decay,waves]

Each row module (contract in ``benchmarks/peer_rows/__init__.py``) checks that both sides
agree on their outputs, then times them alternately in this process (process CPU time, min
and median of ``--repeats`` runs each, after one untimed run of each side, a full garbage
collection before every timed run: ``peer_rows/_timing.alternate``). A row whose peer
package is missing is reported "skipped: <module> not installed"; a row that fails is
reported with its error (exit 1).
``--json`` prints one object ``{"rows": [...], "all_met": bool, "skipped": [...]}``;
``all_met`` is over the rows not skipped. ``make bench`` runs this after the other benchmarks.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS = HERE / "peer_rows"


def row_modules(only: list[str] | None = None) -> list[str]:
    """Names of the row modules (helpers ``_*`` left out), sorted, filtered by ``only``."""
    names = sorted(p.stem for p in ROWS.glob("*.py") if not p.stem.startswith("_"))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise SystemExit(f"unknown rows {unknown}; rows are {names}")
        names = [n for n in names if n in only]
    return names


def run_row(name: str, repeats: int) -> dict:
    """One row's result dict, or a skipped / error entry (never raises)."""
    try:
        mod = importlib.import_module(f"peer_rows.{name}")
    except ModuleNotFoundError as exc:
        return {"name": name, "row": name, "skipped": f"{exc.name} not installed", "met": False}
    try:
        out = mod.run(repeats)
    except ModuleNotFoundError as exc:
        return {"name": name, "row": mod.ROW, "goal": mod.GOAL,
                "skipped": f"{exc.name} not installed", "met": False}  # fmt: skip
    except Exception as exc:  # a broken row is reported, the others still run
        return {"name": name, "row": getattr(mod, "ROW", name), "met": False,
                "error": "".join(traceback.format_exception_only(exc)).strip()}  # fmt: skip
    return {"name": name, **out}


def _fmt(side: dict | None) -> tuple[str, str]:
    if not side:
        return "-", "-"
    return f"{side['min_s']:.4g} s", f"{side['median_s']:.4g} s"


def print_table(rows: list[dict]) -> None:
    """Rich table: row, both sides' min/median, ratio, goal, met, agreement."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="fcspace vs peers (process CPU time)", show_lines=True)
    for col in ("row", "fcspace min", "fcspace median", "peer min", "peer median", "ratio",
                "goal", "met", "agreement"):  # fmt: skip
        table.add_column(col, overflow="fold")
    for r in rows:
        if "skipped" in r or "error" in r:
            note = f"skipped: {r['skipped']}" if "skipped" in r else f"error: {r['error']}"
            table.add_row(r["row"], "-", "-", "-", "-", "-", r.get("goal", "-"), "-", note)
            continue
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        table.add_row(r["row"], *_fmt(r["fcspace"]), *_fmt(r["peer"]), ratio, r["goal"],
                      "yes" if r["met"] else "NO", r["agreement"])  # fmt: skip
    Console(width=200).print(table)


def main(argv: list[str] | None = None) -> int:
    """Run the rows, print the table or the JSON object; 1 if a row failed."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="timed runs of each side (>= 1)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--only", default="", help="comma-separated row modules (default: all)")
    args = p.parse_args(argv)
    if args.repeats < 1:
        p.error("--repeats must be >= 1")
    sys.path.insert(0, str(HERE))
    only = [s.strip() for s in args.only.split(",") if s.strip()] or None
    rows = [run_row(name, args.repeats) for name in row_modules(only)]
    ran = [r for r in rows if "skipped" not in r]  # a failed row counts as not met
    out = {
        "rows": rows,
        "all_met": bool(ran) and all(r["met"] for r in ran),
        "skipped": [r["name"] for r in rows if "skipped" in r],
        "repeats": args.repeats,
        "clock": "process CPU time, both sides alternated in one process",
    }
    if args.json:
        print(json.dumps(out))
    else:
        print_table(rows)
        print(f"all met: {out['all_met']}  skipped: {out['skipped'] or 'none'}")
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
