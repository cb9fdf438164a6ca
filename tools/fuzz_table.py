"""Run the fuzz suite's case table outside pytest and print its outcome table (issue 14).

Usage::

    .venv/bin/python tools/fuzz_table.py [--long] [--json] [--only SUBSTRING] [--failures]
                                         [--no-real] [--workdir DIR] [--write-known FILE]

One row per reader or command: the number of cases and how many fell in each outcome class
(``clean_error``, ``identical``, ``masked``, ``reported`` are accepted; ``traceback``,
``unnamed_error``, ``hang``, ``partial_output``, ``overwritten_input``, ``silent_success`` are
failures; the classes are defined in ``tests/fuzz/fuzz_harness.py``). ``--failures`` also
lists every failing case with what happened and where. The cases, mutations and seeds are
those of ``tests/fuzz/test_fuzz.py`` (the same modules build them). ``--json`` prints one JSON
object: ``{"rows": [...], "totals": {...}, "failures": [...], "cpu_s": ...}``.
Exit status 0 when no case failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from fuzz_cases import cases  # noqa: E402
from fuzz_corpus import build_corpus  # noqa: E402
from fuzz_harness import CLASSES, FAIL_CLASSES  # noqa: E402
from fuzz_run import Runner  # noqa: E402


def run_table(workdir: Path, long: bool, only: str | None, real: bool) -> dict:
    """Build the corpus, run every case, return rows, totals and failures."""
    corpus = build_corpus(workdir, real=real)
    runner = Runner(corpus, workdir)
    counts: dict[str, Counter] = defaultdict(Counter)
    failures = []
    for case in cases(corpus.sources, long=long):
        if only and only not in case.id:
            continue
        outcome = runner.run(case)
        if outcome is None:
            continue
        row = f"{case.kind}: {case.target}" if case.kind != "wrong" else f"reader: {case.target}"
        counts[row][outcome.cls] += 1
        if not outcome.ok:
            failures.append({"case": case.id, "kind": case.kind, "outcome": outcome.cls,
                             "detail": outcome.detail})  # fmt: skip
    rows = [{"target": t, "cases": sum(c.values()), **{k: c.get(k, 0) for k in CLASSES}}
            for t, c in sorted(counts.items())]  # fmt: skip
    totals = {k: sum(r[k] for r in rows) for k in ("cases", *CLASSES)}
    return {"rows": rows, "totals": totals, "failures": failures,
            "problems": corpus.problems, "sources": sorted(corpus.sources)}  # fmt: skip


def markdown(table: dict, show_failures: bool) -> str:
    """The table as Markdown (and the failing cases when asked)."""
    short = {"clean_error": "clean err", "unnamed_error": "unnamed err",
             "partial_output": "partial out", "overwritten_input": "overwritten",
             "silent_success": "silent ok"}  # fmt: skip
    head = ["reader / command", "cases", *(short.get(k, k) for k in CLASSES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in [*table["rows"], {"target": "**total**", **table["totals"]}]:
        lines.append("| " + " | ".join([r["target"], str(r["cases"]),
                                         *(str(r[k]) for k in CLASSES)]) + " |")  # fmt: skip
    if table["problems"]:
        lines.append(f"\nsources that could not be made: {table['problems']}")
    if show_failures:
        lines.append("")
        lines += [f"- {f['outcome']}: {f['case']}: {f['detail']}" for f in table["failures"]]
    return "\n".join(lines)


CLI_MODULES = {"scat": "cfosat/scat/cli.py", "swim": "cfosat/swim/cli.py",
               "grm": "svom/grm/cli.py", "eclairs": "svom/eclairs/cli.py",
               "alert": "svom/alert_cli.py", "dorn": "dorn/cli.py", "sco": "sco/cli.py",
               "water": "watercycle/cli.py", "report": "report_cli.py + report/",
               "batch": "batch_cli.py + batch.py"}  # fmt: skip


def module_at_fault(failure: dict) -> str:
    """Where to fix a failing case: the frame named in its detail, else the reader or the cli."""
    from fuzz_cases import COMMANDS, READERS

    detail, target = failure["detail"], failure["case"].split("|")[0]
    if detail.endswith("]") and "[fcspace/" in detail:
        return detail.rsplit("[", 1)[1].rstrip("]")
    if failure["kind"] != "command":
        return READERS[target].target.split(":")[0].replace(".", "/") + ".py"
    spec = COMMANDS[target]
    if failure["outcome"] in ("silent_success", "traceback") and spec.reader:
        reader = READERS[spec.reader].target.split(":")[0].replace(".", "/") + ".py"
        return f"{reader} (reader of the input), fcspace/{CLI_MODULES[target.split()[0]]}"
    return "fcspace/" + CLI_MODULES[target.split()[0]]


def write_known(table: dict, path: Path) -> None:
    """Write ``known_failures.py``: every failing case id -> what fails and the module."""
    lines = [f'    "{f["case"]}": (\n        "{f["outcome"]}: {_quote(f["detail"][:150])} '
             f'-- {module_at_fault(f)}"),' for f in table["failures"]]  # fmt: skip
    head = Path(path).read_text().split("KNOWN: dict[str, str] = {")[0]
    Path(path).write_text(head + "KNOWN: dict[str, str] = {\n" + "\n".join(lines) + "\n}\n")


def _quote(text: str) -> str:
    return text.replace("\\", "/").replace('"', "'")


def main() -> int:
    """Parse the options, run the table, print it; 1 when a case failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help="Every mutation and source.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--only", help="Run only the cases whose id contains this text.")
    parser.add_argument("--failures", action="store_true", help="List the failing cases.")
    parser.add_argument("--no-real", action="store_true", help="Leave out ../shared/data.")
    parser.add_argument("--workdir", type=Path, help="Work folder (default: a temporary one).")
    parser.add_argument(
        "--write-known",
        type=Path,
        metavar="FILE",
        help="Write the failing cases as tests/fuzz/known_failures.py (xfail).",
    )
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    cpu0, wall0 = time.process_time(), time.time()
    with tempfile.TemporaryDirectory(prefix="fcspace_fuzz_") as tmp:
        table = run_table(args.workdir or Path(tmp), args.long, args.only, not args.no_real)
    table["cpu_s"] = round(time.process_time() - cpu0, 1)
    table["wall_s"] = round(time.time() - wall0, 1)
    if args.write_known:
        write_known(table, args.write_known)
    if args.json:
        sys.stdout.write(json.dumps(table, indent=1, default=str) + "\n")
    else:
        sys.stdout.write(markdown(table, args.failures) + "\n")
        sys.stdout.write(f"\nCPU {table['cpu_s']} s (this process), wall {table['wall_s']} s\n")
    return 1 if any(table["totals"][k] for k in FAIL_CLASSES) else 0


if __name__ == "__main__":
    sys.exit(main())
