"""The inputs of the fuzz suite: the real files of ../shared/data when present, else made files.

Every source is one clean file the suite mutates. Made sources are written by the project's own
simulators and public writers (:mod:`fcspace.testing.fakes` and the ``simulate`` functions) at a
tiny size, so the suite runs without ../shared; the real files are added when they exist. A
source whose maker fails is left out and its error kept in :attr:`Corpus.problems` (the suite
fails on any problem: a maker that raises is itself a bug).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fcspace.testing.data import shared_data_dir


@dataclass(frozen=True)
class Source:
    """One clean input file: its name in the case table, its path and its container format.

    ``fmt`` is one of ``nc3`` (NetCDF classic), ``nc4`` (NetCDF-4/HDF5), ``h5`` (plain HDF5),
    ``fits``, ``xml``, ``json``, ``jsonl``.
    """

    name: str
    path: Path
    fmt: str
    real: bool = False


@dataclass
class Corpus:
    """The clean sources by name, and the makers that failed (name -> error text)."""

    sources: dict[str, Source] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


#: Real files of ../shared/data (relative path, format), by source name.
REAL = {
    "scat_l2b_real": (
        "cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc", "nc3"),
    "ascat_l2_real": (
        "cfosat/ascat_l2/ascat_20210705_000600_metopc_13795_eps_o_250_3203_ovw.l2.nc", "nc3"),
    "swim_l2p_real": (
        "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc", "nc4"),
    "gbm_tte_real": ("svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit", "fits"),
    "gbm_cspec_real": ("svom/fermi_gbm_bn110721200/glg_cspec_n6_bn110721200_v00.pha", "fits"),
    "voevent_eclairs_real": ("svom/voevents/eclairs/eclairs_296.xml", "xml"),
    "voevent_grm_real": ("svom/voevents/grm/grm_287.xml", "xml"),
    "voevent_mxt_real": ("svom/voevents/mxt/mxt_40.xml", "xml"),
    "gcn_json_real": ("svom/gcn_schema_svom/eclairs/trigger.slewing.example.json", "json"),
    "smos_l2_real": (
        "watercycle/smos_l2_sm/SM_OPER_MIR_SMUDP2_20230401T150613_20230401T155931_700_001_1.nc",
        "nc4"),
    "smap_l2b_real": ("watercycle/smap_l2b_sss/not_empty_smap.h5", "h5"),
    "smap_l4_real": ("watercycle/smap_l4_sm/SMAP_L4_SM_aup_input.h5", "h5"),
}  # fmt: skip


def _scat_l1b(d: Path) -> Path:
    from fcspace.cfosat.scat.io import write_l1b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment

    return write_l1b(simulate_orbit_segment(6, seed=1), d / "sim_scat_L1B.nc")


def _swim_l1(d: Path) -> Path:
    from fcspace.cfosat.swim.io import write_l1
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment

    return write_l1(simulate_orbit_segment(2, seed=1), d / "sim_swim_L1.nc")


def _eclairs(d: Path, layout: str) -> Path:
    from fcspace.svom.eclairs.io import write_events
    from fcspace.svom.eclairs.simulate import simulate_grb
    from fcspace.svom.eclairs.sources import Grb

    events = simulate_grb(Grb(peak_flux=5.0, t0=5.0), 10.0, 0)
    return write_events(events, d / f"sim_eclairs_{layout}.fits", layout=layout)


def _grm_fits(d: Path) -> Path:
    from fcspace.svom.grm.io import write_events
    from fcspace.svom.grm.simulate import GrbTruth, simulate_events

    ds = simulate_events(20.0, GrbTruth(t0_met=10.0, peak_flux=10.0), 0)
    return write_events(ds, d / "sim_grm_GRM-EVT.fits", layout="GRM-EVT")


def _gti(d: Path) -> Path:
    from fcspace.svom.l1_fits import write_gti_file

    return write_gti_file(d / "sim_ecl_gti.fits", [[0.0, 40.0], [50.0, 120.0]])


def _attitude(d: Path) -> Path:
    import numpy as np

    from fcspace.svom.attitude_io import quaternion_from_pointing, write_attitude

    met = np.arange(0.0, 120.0, 10.0)
    q = quaternion_from_pointing(83.6 + 0.01 * met, 22.0 + 0 * met, 0 * met)
    return write_attitude(d / "sim_att.fits", met, q)


def _voevent(d: Path) -> Path:
    from fcspace.svom import alerts

    alert = alerts.make_alert(83.6, 22.0, "2025-09-17T02:00:00", 9.5, instrument="ECLAIRs")
    return alerts.write_voevent(alert, d / "made_eclairs_alert.xml")


def _l3(d: Path, corpus: Corpus) -> Path:
    from fcspace.testing.fakes import fake_l3_grid

    return fake_l3_grid(d / "fake_L3_daily.nc", [corpus.sources["scat_l2b_fake"].path])


def _cli(*argv: str) -> None:
    """Run one ``fcspace`` command in this process; raise when it does not exit 0."""
    from typer.testing import CliRunner

    from fcspace.cli import app

    res = CliRunner().invoke(app, list(argv))
    if res.exit_code != 0:
        raise RuntimeError(f"fcspace {' '.join(argv)}: exit {res.exit_code}: {res.output}")


def _water(d: Path) -> tuple[Path, Path]:
    """Visibilities and their L2, written by ``fcspace water simulate`` and ``retrieve``."""
    vis, l2 = d / "sim_water_vis.nc", d / "sim_water_l2.nc"
    _cli("water", "simulate", "--out", str(vis), "--snapshots", "2", "--size", "8")
    _cli("water", "retrieve", str(vis), "--out", str(l2))
    return vis, l2


def _report_dir(d: Path) -> Path:
    """A run folder with a report.json (nested figures) and a manifest, as the report reads."""
    from fcspace.core.manifest import Manifest, ManifestRecord

    run = d / "run"
    run.mkdir()
    report = {"scat": {"rows": 8, "scores": {"mid": {"rmse": 1.2, "bias": 0.1}}},
              "svom": {"triggers": [{"met": 10.0, "snr": 9.5}]}}  # fmt: skip
    (run / "report.json").write_text(json.dumps(report))
    Manifest(run).append(ManifestRecord(task="scat", input="a_L1B.nc", output="a_L2B.nc",
                                        status="done", input_bytes=10))  # fmt: skip
    return run


#: Made sources and their formats (known before any file is made: the pytest collection).
MADE = {"scat_l2b_fake": "nc4", "scat_l1b_sim": "nc4", "swim_l2_fake": "nc4",
        "swim_l1_sim": "nc4", "dorn_spectra_fake": "nc4", "dorn_fits_fake": "nc4",
        "eclairs_cal_sim": "fits", "eclairs_fcspace_sim": "fits", "grm_nc_fake": "nc4",
        "grm_fits_sim": "fits", "gti_sim": "fits", "attitude_sim": "fits", "voevent_made": "xml",
        "l3_grid_fake": "nc4", "report_json": "json", "manifest": "jsonl",
        "water_vis_sim": "nc4", "water_l2_sim": "nc4"}  # fmt: skip


def expected_sources() -> dict[str, Source]:
    """Every source the corpus will hold on this machine (made ones, real ones present)."""
    out = {n: Source(n, Path(n), f) for n, f in MADE.items()}
    base = shared_data_dir()
    for name, (rel, fmt) in REAL.items():
        if base is not None and (base / rel).is_file():
            out[name] = Source(name, base / rel, fmt, real=True)
    return out


def _fakes(d: Path) -> dict[str, tuple[Callable[[], Path], str]]:
    from fcspace.testing import fakes

    return {
        "scat_l2b_fake": (lambda: fakes.fake_scat_l2b(d / "fake_scat_L2B.nc"), "nc4"),
        "scat_l1b_sim": (lambda: _scat_l1b(d), "nc4"),
        "swim_l2_fake": (lambda: fakes.fake_swim_l2(d / "fake_swim_L2.nc"), "nc4"),
        "swim_l1_sim": (lambda: _swim_l1(d), "nc4"),
        "dorn_spectra_fake": (lambda: fakes.fake_dorn_spectra(d / "fake_dorn_spectra.nc"), "nc4"),
        "dorn_fits_fake": (lambda: fakes.fake_dorn_fits(d / "fake_dorn_fits.nc"), "nc4"),
        "eclairs_cal_sim": (lambda: _eclairs(d, "ECL-EVT-CAL"), "fits"),
        "eclairs_fcspace_sim": (lambda: _eclairs(d, "fcspace"), "fits"),
        "grm_nc_fake": (lambda: fakes.fake_grm_events(d / "fake_grm_events.nc"), "nc4"),
        "grm_fits_sim": (lambda: _grm_fits(d), "fits"),
        "gti_sim": (lambda: _gti(d), "fits"),
        "attitude_sim": (lambda: _attitude(d), "fits"),
        "voevent_made": (lambda: _voevent(d), "xml"),
    }


def _reuse(index: Path) -> Corpus | None:
    """The corpus recorded in ``index`` when every file it lists still exists."""
    if not index.is_file():
        return None
    data = json.loads(index.read_text())
    corpus = Corpus({n: Source(n, Path(p), f, r) for n, (p, f, r) in data["sources"].items()},
                    data["problems"])  # fmt: skip
    return corpus if all(s.path.exists() for s in corpus.sources.values()) else None


def build_corpus(workdir: Path, real: bool = True) -> Corpus:
    """Write every made source in ``workdir/clean`` and add the real files (when ``real``).

    A corpus already made in ``workdir`` (``clean/corpus.json``) is reused.
    """
    d = Path(workdir) / "clean"
    index = d / "corpus.json"
    reused = _reuse(index)
    if reused is not None:
        return reused
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    corpus = Corpus()
    makers = _fakes(d)
    makers["l3_grid_fake"] = (lambda: _l3(d, corpus), "nc4")
    makers["report_json"] = (lambda: _report_dir(d) / "report.json", "json")
    makers["manifest"] = (lambda: d / "run" / "manifest.jsonl", "jsonl")
    for name, (make, fmt) in makers.items():
        try:
            corpus.sources[name] = Source(name, Path(make()), fmt)
        except Exception as err:  # a maker that fails is reported by the suite, not hidden
            corpus.problems[name] = f"{type(err).__name__}: {err}"
    try:
        vis, l2 = _water(d)
        corpus.sources["water_vis_sim"] = Source("water_vis_sim", vis, "nc4")
        corpus.sources["water_l2_sim"] = Source("water_l2_sim", l2, "nc4")
    except Exception as err:
        corpus.problems["water"] = f"{type(err).__name__}: {err}"
    base = shared_data_dir() if real else None
    for name, (rel, fmt) in REAL.items():
        if base is not None and (base / rel).is_file():
            corpus.sources[name] = Source(name, base / rel, fmt, real=True)
    sources = {n: (str(s.path), s.fmt, s.real) for n, s in corpus.sources.items()}
    index.write_text(json.dumps({"sources": sources, "problems": corpus.problems}))
    return corpus


def copy_source(src: Source, case_dir: Path) -> Path:
    """A private copy of ``src`` in ``case_dir`` under the same file name (names stay equal)."""
    case_dir.mkdir(parents=True, exist_ok=True)
    dst = case_dir / src.path.name
    shutil.copyfile(src.path, dst)
    return dst
