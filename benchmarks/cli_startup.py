"""Start-up of the ``fcspace`` program: whole processes, and the GRM trigger against gdt.

Usage: .venv/bin/python benchmarks/cli_startup.py [--repeats 5] [--json]

Times, as whole processes alternated (child CPU time, user + system, from ``getrusage``; wall
time beside it): ``fcspace --help``, ``fcspace version``, ``fcspace grm trigger TTE --json`` on
the real GBM TTE of GRB 110721A, and the peer script (astro-gdt-fermi ``GbmTte.open`` + 64 ms
light curve, ``benchmarks/peer_rows/_gdt_tte_lightcurve.py``) when gdt is installed. The
agreement of the last two (identical 64 ms light curves, same event count, known trigger) is
checked first, as in the ``grm_startup`` peer row. ``--imports`` adds the ten largest imports
of the trigger process (``python -X importtime``, cumulative microseconds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_rows.grm_startup import agreement, commands, timed_process, tte_path  # noqa: E402


def largest_imports(cmd: list[str], n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` top-level imports of a process with the largest cumulative import time (us)."""
    script = [sys.executable, "-X", "importtime", *cmd] if cmd[0] != sys.executable else [
        sys.executable, "-X", "importtime", *cmd[1:]]  # fmt: skip
    err = subprocess.run(script, capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        _, cum, name = line.split("|")
        if len(name) - len(name.lstrip()) <= 3:  # top level (one space of padding)
            rows.append((name.strip(), int(cum)))
    return sorted(rows, key=lambda r: -r[1])[:n]


def main(argv: list[str] | None = None) -> int:
    """Run the processes, print a table or one JSON object."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.add_argument("--imports", action="store_true", help="largest imports of the trigger run")
    args = p.parse_args(argv)
    tte = tte_path()
    fc_trigger, peer = commands(tte)
    fcspace = fc_trigger[0]
    procs = {"fcspace --help": [fcspace, "--help"], "fcspace version": [fcspace, "version"],
             "fcspace grm trigger TTE --json": fc_trigger}  # fmt: skip
    try:
        import gdt.missions.fermi.gbm.tte  # noqa: F401

        procs["gdt open + 64 ms light curve (peer)"] = peer
        agree, text = agreement(tte)
    except ModuleNotFoundError:
        agree, text = None, "astro-gdt-fermi not installed: peer skipped"
    cpu: dict[str, list[float]] = {k: [] for k in procs}
    wall: dict[str, list[float]] = {k: [] for k in procs}
    for _ in range(max(args.repeats, 1)):
        for name, cmd in procs.items():
            _, c, w = timed_process(cmd)
            cpu[name].append(c)
            wall[name].append(w)
    summary = {k: {"cpu_min_s": min(cpu[k]), "cpu_median_s": statistics.median(cpu[k]),
                   "wall_min_s": min(wall[k]), "wall_median_s": statistics.median(wall[k])}
               for k in procs}  # fmt: skip
    out: dict = {"processes": summary, "agree": agree, "agreement": text,
                 "repeats": args.repeats}  # fmt: skip
    peer_key = "gdt open + 64 ms light curve (peer)"
    if peer_key in summary:
        ours = summary["fcspace grm trigger TTE --json"]["cpu_median_s"]
        out["ratio_cpu_median"] = summary[peer_key]["cpu_median_s"] / ours
    if args.imports:
        out["largest_imports_us"] = largest_imports(fc_trigger)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    for name, d in out["processes"].items():
        print(f"{name:40s} CPU min {d['cpu_min_s']:.3f} s, median {d['cpu_median_s']:.3f} s; "
              f"wall min {d['wall_min_s']:.3f} s, median {d['wall_median_s']:.3f} s")
    print(f"agreement: {text}")
    if "ratio_cpu_median" in out:
        print(f"gdt / fcspace (CPU medians): {out['ratio_cpu_median']:.2f}x")
    for name, us in out.get("largest_imports_us", []):
        print(f"  import {name:40s} {us / 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
