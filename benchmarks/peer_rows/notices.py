"""Peer row: reading the 49 real SVOM VOEvent notices, fcspace vs gcn-notice-parser.

fcspace side: ``read_voevents(paths)`` (file read, safe lxml parse, every Param, the
WhereWhen position and time, range checks; times checked and normalised in one vectorised
call, no astropy ``Time`` made). Peer side: for each file, ``read_bytes`` and the
gcn-notice-parser SVOM parser of its topic (``parse_svom_eclairs``, ``parse_svom_grm_trigger``,
``parse_svom_mxt``, or ``parse_svom_retraction`` when ``is_svom_retraction``), as its own tests
call them. Both alternated in this process, process CPU time: ``3 x --repeats`` runs of
each side, of 10 passes over the 49 notices, the results of a run kept alive to its end (as a
user holding the alerts read).

Agreement, checked on every notice first and again once fcspace has learnt the layouts:
packet type, instrument, burst id, IVORN, trigger time (to the microsecond), RA/Dec, error
radius (GRM's -1 read as unknown), SNR, Galactic coordinates, Moon and Sun angles, attitude,
and timescale and band where the peer has them.
Beside the row: fcspace's writing (``voevent_bytes``) and ``make_alert`` rates (notices/s),
which have no peer, and ``fcspace_first_pass``: one pass over the 49 notices by a process that
has learnt no notice layout yet (:mod:`fcspace.svom.alerts.layouts` cleared before each run),
against the peer's median pass. The timed runs are the steady state of a process that reads
notices: fcspace reads the notices ``LEARN_AFTER`` times first, by when it has learnt their
layouts (``layouts_learnt``).
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime
from pathlib import Path

from peer_rows._timing import alternate, result, stats

ROW = "reading the 49 real SVOM VOEvent notices (vs gcn-notice-parser)"
GOAL = ">= 2x"
PASSES = 10  # passes over the 49 notices per timed run (one pass: ~6 ms fcspace, ~15 ms peer)
RUNS_PER_REPEAT = 3  # a run is short (0.05-0.2 s): 3x the runs give a steadier median
FIELDS = ("snr", "galactic_lon", "galactic_lat", "moon_angle", "sun_angle", "attitude_ra",
          "attitude_dec", "attitude_roll")  # fmt: skip


def notice_paths() -> list[Path]:
    """The real SVOM notices in ../shared (eclairs/, grm/, mxt/)."""
    from fcspace.testing.data import shared_file

    return sorted(shared_file("svom/voevents").glob("*/*.xml"))


def peer_reader(paths: list[Path]):  # noqa: ANN201 (the peer's models)
    """A function reading every notice with gcn-notice-parser, in order."""
    import gcn_notice_parser.svom as svom

    topic = {"eclairs": svom.parse_svom_eclairs, "grm": svom.parse_svom_grm_trigger,
             "mxt": svom.parse_svom_mxt}  # fmt: skip
    jobs = [(p, topic[p.parent.name]) for p in paths]

    def read() -> list:
        out = []
        for path, parse in jobs:
            raw = path.read_bytes()
            out.append(svom.parse_svom_retraction(raw) if svom.is_svom_retraction(raw)
                       else parse(raw))  # fmt: skip
        return out

    return read


def _same(a, peer) -> list[str]:  # noqa: ANN001
    """Names of the fields where an fcspace alert and the peer's model differ."""
    bad = []
    if a.packet_type != int(peer.packet_type):
        bad.append("packet_type")
    if (a.instrument, a.burst_id, a.ivorn) != (peer.instrument, peer.burst_id, peer.ivorn):
        bad.append("instrument/burst_id/ivorn")
    ours_t = datetime.fromisoformat(a.time_iso).replace(tzinfo=UTC)
    if abs((ours_t - peer.burst_datetime).total_seconds()) > 1e-6:
        bad.append("time")
    if (a.ra, a.dec) != (peer.ra, peer.dec):
        bad.append("ra/dec")
    err = peer.error_radius if peer.error_radius is None or peer.error_radius >= 0 else None
    if a.err_radius_deg != err:
        bad.append("error radius")
    bad += [n for n in FIELDS if getattr(a, n) != getattr(peer, n, None)]
    if getattr(peer, "timescale", None) is not None and (
        a.timescale_s != peer.timescale
        or a.band_kev != (peer.lower_energy_bound, peer.upper_energy_bound)
    ):
        bad.append("timescale/band")
    return bad


def agreement(paths: list[Path]) -> tuple[bool, str]:
    """Every notice read by both sides; the fields of the module docstring compared."""
    from fcspace.svom.alerts import read_voevents

    ours, peer = read_voevents(paths), peer_reader(paths)()
    bad = {p.name: f for p, a, q in zip(paths, ours, peer, strict=True) if (f := _same(a, q))}
    kinds = sorted({a.packet_type for a in ours})
    text = (f"{len(paths) - len(bad)}/{len(paths)} notices agree on packet type, ids, time "
            f"(1 us), RA/Dec, error radius, SNR, Galactic, Moon/Sun, attitude, timescale/band "
            f"(packet types {kinds})") + (f"; differ: {bad}" if bad else "")  # fmt: skip
    return not bad and len(paths) > 0, text


def fcspace_rates(paths: list[Path], repeats: int = 5) -> dict:
    """fcspace notices per CPU second (best of ``repeats``): read, write (bytes), make_alert."""
    from fcspace.svom.alerts import make_alert, read_voevents, voevent_bytes

    alerts = read_voevents(paths)
    made = [(a.ra, a.dec, a.time_iso, a.snr or 10.0, a.instrument) for a in alerts
            if a.instrument in ("ECLAIRs", "GRM") and a.packet_type != 219]  # fmt: skip

    def best(fn, n: int) -> float:  # noqa: ANN001
        times = []
        for _ in range(max(repeats, 1)):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
        return n / min(times)

    return {
        "read_per_s": best(lambda: read_voevents(paths), len(paths)),
        "write_per_s": best(lambda: [voevent_bytes(a) for a in alerts], len(alerts)),
        "make_alert_per_s": best(
            lambda: [make_alert(ra, dec, t, s, instrument=i) for ra, dec, t, s, i in made],
            len(made),
        ),
        "make_alert_count": len(made),
    }


def first_pass(paths: list[Path], peer_median_s: float, repeats: int = 5) -> dict:
    """fcspace reading every notice once with no layout learnt (cleared before each run)."""
    from fcspace.svom.alerts import read_voevents
    from fcspace.svom.alerts.layouts import LAYOUTS

    times = []
    for _ in range(max(repeats, 1)):
        LAYOUTS.clear()
        gc.collect()
        t0 = time.process_time()
        read_voevents(paths)
        times.append(time.process_time() - t0)
    out = stats(times, f"CPU s to read {len(paths)} notices once, no layout learnt yet")
    out["ratio_to_peer_median"] = peer_median_s / out["median_s"]
    return out


def run(repeats: int = 5) -> dict:
    """Agreement first, then both readers alternated ``3 x repeats`` times (CPU time)."""
    import gcn_notice_parser.svom  # noqa: F401 (ModuleNotFoundError when the peer is absent)

    from fcspace.svom.alerts import read_voevents
    from fcspace.svom.alerts.layouts import LAYOUTS, LEARN_AFTER

    paths = notice_paths()
    agree, text = agreement(paths)
    peer_read = peer_reader(paths)
    for _ in range(LEARN_AFTER):  # the steady state of a process that reads notices
        read_voevents(paths)
    learnt_agree, learnt_text = agreement(paths)  # checked again as the timed runs read
    if not learnt_agree:
        agree, text = False, f"{text}; with layouts learnt: {learnt_text}"
    ours_t, peer_t = alternate(lambda: [read_voevents(paths) for _ in range(PASSES)],
                               lambda: [peer_read() for _ in range(PASSES)],
                               RUNS_PER_REPEAT * repeats)  # fmt: skip
    ours_t, peer_t = [t / PASSES for t in ours_t], [t / PASSES for t in peer_t]
    n = len(paths)
    ours = stats(ours_t, f"CPU s to read {n} notices: fcspace.svom.alerts.read_voevents")
    peer = stats(peer_t, f"CPU s to read {n} notices: gcn_notice_parser.svom parsers")
    ours["per_s_median"], peer["per_s_median"] = n / ours["median_s"], n / peer["median_s"]
    out = result(ROW, GOAL, ours, peer, agree, text)
    out["layouts_learnt"] = len(LAYOUTS)
    out["fcspace_rates"] = fcspace_rates(paths, repeats)
    out["fcspace_first_pass"] = first_pass(paths, peer["median_s"], repeats)
    return out
