"""Peer row: the whole ``fcspace grm trigger`` process on the real GBM TTE vs a gdt script.

fcspace side: ``fcspace grm trigger glg_tte_n6_bn110721200_v00.fit --json`` (the console
script: interpreter start, CLI, reading with every check, the rate trigger over 9 timescales
and 4 bands, JSON out). Peer side: ``python _gdt_tte_lightcurve.py TTE`` (astro-gdt-fermi:
``GbmTte.open`` and a 64 ms light curve, JSON out), the script issue 13 names. Both are timed
as whole processes, alternated: CPU time of the child (user + system, ``getrusage``) is the
figure (the machine may be shared); wall time is reported beside it.

Agreement, checked first: the 64 ms light curve of gdt equals, bin for bin, fcspace's own
binning of the same events (the trigger's binning, ``grm.trigger._bin_events``, one band over
all energies, 64 ms base bins, from the first event as gdt starts); the event count of the
fcspace process equals the sum of gdt's counts; and fcspace finds its known trigger
(T0+0.0149 s, 16 ms, 50-300 keV, 5.2 sigma).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from peer_rows._timing import result, stats

ROW = "fcspace grm trigger on the GBM TTE, whole process (vs gdt open + 64 ms binning)"
GOAL = ">= 1x"
HERE = Path(__file__).resolve().parent
PEER_SCRIPT = HERE / "_gdt_tte_lightcurve.py"
BIN_S = 0.064


def tte_path() -> Path:
    """The real GBM TTE of GRB 110721A in ../shared."""
    from fcspace.testing.data import shared_file

    return shared_file("svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit")


def commands(tte: Path) -> tuple[list[str], list[str]]:
    """(fcspace command, peer command) as argument lists."""
    fcspace = str(Path(sys.executable).with_name("fcspace"))
    return [fcspace, "grm", "trigger", str(tte), "--json"], [
        sys.executable, str(PEER_SCRIPT), str(tte), str(BIN_S)]  # fmt: skip


def timed_process(cmd: list[str]) -> tuple[str, float, float]:
    """(stdout, child CPU s (user + system), wall s) of one process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, cpu, wall


def fcspace_light_curve(tte: Path, bin_s: float = BIN_S) -> np.ndarray:
    """Counts per ``bin_s`` bin of every event, by the GRM trigger's own binning."""
    from fcspace.svom.grm.io import read_event_arrays
    from fcspace.svom.grm.trigger import GBM_CONFIG, _bin_events

    events = read_event_arrays(tte)
    t0 = float(events.time.min())  # gdt bins from the first event
    first = replace(events, gti=np.array([[t0, float(events.time.max())]]))
    cfg = replace(GBM_CONFIG, bands_kev=((0.0, np.inf),), base_bin_s=bin_s, timescales_s=(bin_s,))
    return np.diff(_bin_events(first, cfg).cum[0, 0]).astype(np.int64)


def agreement(tte: Path) -> tuple[bool, str]:
    """Run both sides once and compare their outputs (module docstring)."""
    ours_cmd, peer_cmd = commands(tte)
    peer = json.loads(timed_process(peer_cmd)[0])
    ours = json.loads(timed_process(ours_cmd)[0])
    gdt_counts = np.asarray(peer["counts"], np.int64)
    fc_counts = fcspace_light_curve(tte)
    same_lc = gdt_counts.shape == fc_counts.shape and bool(np.array_equal(gdt_counts, fc_counts))
    trig = ours["triggers"][0] if ours["triggers"] else {}
    known = (len(ours["triggers"]) == 1 and abs(trig["t_minus_trigtime_s"] - 0.0149) < 5e-4
             and trig["timescale_s"] == 0.016 and trig["band_kev"] == [50.0, 300.0]
             and abs(trig["snr"] - 5.21) < 0.01)  # fmt: skip
    same_events = ours["events"] == int(gdt_counts.sum())
    text = (f"64 ms light curve: {fc_counts.size} bins, {'identical' if same_lc else 'DIFFERENT'} "
            f"to gdt's {gdt_counts.size}; events {ours['events']} vs gdt {int(gdt_counts.sum())};"
            f" fcspace trigger T0+{trig.get('t_minus_trigtime_s', float('nan')):.4f} s, "
            f"{trig.get('timescale_s')} s, {trig.get('snr', float('nan')):.2f} sigma")  # fmt: skip
    return same_lc and known and same_events, text


def run(repeats: int = 5) -> dict:
    """Agreement first, then both processes alternated ``repeats`` times (child CPU time)."""
    import gdt.missions.fermi.gbm.tte  # noqa: F401 (ModuleNotFoundError when gdt is absent)

    tte = tte_path()
    agree, text = agreement(tte)
    ours_cmd, peer_cmd = commands(tte)
    cpu: dict[str, list[float]] = {"ours": [], "peer": []}
    wall: dict[str, list[float]] = {"ours": [], "peer": []}
    for _ in range(max(int(repeats), 1)):
        for side, cmd in (("ours", ours_cmd), ("peer", peer_cmd)):
            _, c, w = timed_process(cmd)
            cpu[side].append(c)
            wall[side].append(w)
    ours = stats(cpu["ours"], "process CPU s: fcspace grm trigger TTE --json (console script)")
    peer = stats(cpu["peer"], "process CPU s: python gdt script (GbmTte.open + 64 ms light curve)")
    for side, d in (("ours", ours), ("peer", peer)):
        d["wall_min_s"], d["wall_median_s"] = min(wall[side]), float(np.median(wall[side]))
    return result(ROW, GOAL, ours, peer, agree, text)

