"""SVOM notices: reading, writing and making alerts, fcspace against gcn-notice-parser.

Usage: .venv/bin/python benchmarks/svom_notices.py [--repeats 7] [--json]

On the 49 real SVOM VOEvent notices of ../shared (ECLAIRs, GRM, MXT; packet types 201-219):
reading one by one (``read_voevent``) and as a batch (``read_voevents``: the ISO times of the
batch parsed in one NumPy call), gcn-notice-parser's SVOM parsers on the same files (when
installed; agreement of every field both parse checked first, as in the ``notices`` peer
row), writing (``voevent_bytes``, ``write_voevent`` to a temporary folder,
``to_gcn_json``) and ``make_alert`` from each ECLAIRs/GRM notice's position, time and SNR.
Each figure: notices per CPU second (``time.process_time``), from the min and the median of
``--repeats`` runs, the sides alternated, after ``LEARN_AFTER`` reads of the notices: the
steady state of a process that reads notices, which has learnt their layouts
(:mod:`fcspace.svom.alerts.layouts`). A first read with no layout learnt is the
``fcspace_first_pass`` of the ``notices`` row of ``benchmarks/peers.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_rows.notices import agreement, notice_paths, peer_reader  # noqa: E402

from fcspace.svom.alerts import (  # noqa: E402
    make_alert,
    read_voevent,
    read_voevents,
    to_gcn_json,
    voevent_bytes,
    write_voevent,
)
from fcspace.svom.alerts.layouts import LEARN_AFTER  # noqa: E402


def jobs(paths: list[Path], folder: Path) -> dict[str, tuple]:
    """Name -> (function, notices per call) of every timed job."""
    alerts = read_voevents(paths)
    made = [(a.ra, a.dec, a.time_iso, a.snr or 10.0, a.instrument) for a in alerts
            if a.instrument in ("ECLAIRs", "GRM") and a.packet_type != 219]  # fmt: skip
    out = {
        "read one by one (read_voevent)": (lambda: [read_voevent(p) for p in paths], len(paths)),
        "read as a batch (read_voevents)": (lambda: read_voevents(paths), len(paths)),
        "write VOEvent bytes (voevent_bytes)": (lambda: [voevent_bytes(a) for a in alerts],
                                                len(alerts)),
        "write VOEvent files (write_voevent)": (
            lambda: [write_voevent(a, folder / f"{i}.xml") for i, a in enumerate(alerts)],
            len(alerts)),
        "GCN JSON (to_gcn_json)": (lambda: [to_gcn_json(a) for a in alerts], len(alerts)),
        "make_alert (sky angles, error radius)": (
            lambda: [make_alert(ra, dec, t, s, instrument=i) for ra, dec, t, s, i in made],
            len(made)),
    }  # fmt: skip
    try:
        out["gcn-notice-parser read (peer)"] = (peer_reader(paths), len(paths))
    except ModuleNotFoundError:
        pass
    return out


def measure(todo: dict[str, tuple], repeats: int) -> dict[str, dict]:
    """Notices per CPU second of every job, alternated, min and median of ``repeats``."""
    times: dict[str, list[float]] = {k: [] for k in todo}
    for fn, _ in todo.values():
        fn()  # warm: imports, caches, the lxml parser of this thread
    for _ in range(max(repeats, 1)):
        for name, (fn, _) in todo.items():
            t0 = time.process_time()
            fn()
            times[name].append(time.process_time() - t0)
    return {name: {"per_s_best": n / min(times[name]), "per_s_median": n / statistics.median(
        times[name]), "notices": n} for name, (_, n) in todo.items()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Measure, print a table or one JSON object."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    paths = notice_paths()
    try:
        agree, text = agreement(paths)
    except ModuleNotFoundError:
        agree, text = None, "gcn-notice-parser not installed: peer skipped"
    for _ in range(LEARN_AFTER):  # the layouts learnt, as in a process that reads notices
        read_voevents(paths)
    with tempfile.TemporaryDirectory() as tmp:
        rates = measure(jobs(paths, Path(tmp)), args.repeats)
    out: dict = {"rates": rates, "agree": agree, "agreement": text, "repeats": args.repeats}
    peer = rates.get("gcn-notice-parser read (peer)")
    if peer:
        for key in ("read one by one (read_voevent)", "read as a batch (read_voevents)"):
            out.setdefault("ratio_median", {})[key] = rates[key]["per_s_median"] / peer[
                "per_s_median"]  # fmt: skip
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    for name, r in rates.items():
        print(f"{name:42s} {r['per_s_best']:8.0f} /s best, {r['per_s_median']:8.0f} /s median "
              f"({r['notices']} notices)")  # fmt: skip
    print(f"agreement: {text}")
    for key, ratio in out.get("ratio_median", {}).items():
        print(f"{key} / gcn-notice-parser (medians): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
