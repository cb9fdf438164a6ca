"""Small synthetic products of every fcspace layout, made by the simulators, written by the writers.

Each ``fake_*`` runs the project's own simulator at a tiny size (seconds, not minutes) and
writes the result with the product's public writer, so that a fake is exactly what the
pipeline makes and what the readers must read: a test of a reader, a CLI or a batch run can
start from a real file without the shared data. ``path`` is the file to write, or an existing
folder (the file then gets the name in :data:`NAMES`). Every fake is reproducible (``seed``)
and returns the path written. :func:`fake_products` writes them all to one folder.

The simulators and writers are imported inside each fake: importing this module costs nothing
and a fake needs only its own mission's dependencies.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "NAMES",
    "fake_dorn_fits",
    "fake_dorn_spectra",
    "fake_eclairs_events",
    "fake_grm_events",
    "fake_l3_grid",
    "fake_products",
    "fake_scat_l2b",
    "fake_swim_l2",
]

PathLike = str | os.PathLike[str]

#: File name of each fake when ``path`` is a folder.
NAMES = {
    "scat_l2b": "fake_scat_L2B.nc",
    "swim_l2": "fake_swim_L2.nc",
    "l3_grid": "fake_L3_daily.nc",
    "dorn_spectra": "fake_dorn_spectra.nc",
    "dorn_fits": "fake_dorn_fits.nc",
    "eclairs_events": "fake_eclairs_events.fits",
    "grm_events": "fake_grm_events.nc",
}


def _target(path: PathLike, kind: str) -> Path:
    """``path``, or the fake's default name inside it when it is a folder."""
    p = Path(path)
    return p / NAMES[kind] if p.is_dir() else p


def fake_scat_l2b(path: PathLike, rows: int = 8, seed: int = 0) -> Path:
    """A SCAT L2B of ``rows`` rows (42 cells each): simulated L1B, MLE + 2DVAR, ``write_l2b``."""
    from fcspace.cfosat.scat.io import write_l2b
    from fcspace.cfosat.scat.process import l1b_to_l2b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment

    l2b = l1b_to_l2b(simulate_orbit_segment(rows, seed=seed))
    return write_l2b(l2b, _target(path, "scat_l2b"))


def fake_swim_l2(path: PathLike, boxes: int = 2, seed: int = 0) -> Path:
    """A SWIM full L2 of ``boxes`` boxes: simulated L1, retracking and spectra, ``write_l2``.

    The file has the layout of the L2 that CNES distributes (``nadir_swh_1Hz``,
    ``lat_l2anad_0``, ``time_l2``, dims ``n_mcycles`` / ``n_nad_1Hz``; ``docs/swim_layout.md``).
    """
    from fcspace.cfosat.swim.io import write_l2
    from fcspace.cfosat.swim.process import l1_to_l2
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment

    l2 = l1_to_l2(simulate_orbit_segment(boxes, seed=seed))
    return write_l2(l2, _target(path, "swim_l2"))


def fake_l3_grid(
    path: PathLike, l2_paths: list[PathLike] | None = None, res: float = 5.0, seed: int = 0
) -> Path:
    """A daily L3 grid (``res`` degrees) of ``l2_paths``, by default of one fake SCAT L2B.

    Gridded by `fcspace.cfosat.grid.grid_files`, written by `fcspace.cfosat.grid.write_l3`;
    a default input is made in a temporary folder and removed.
    """
    from fcspace.cfosat.grid import GridSpec, grid_files, write_l3

    grid = GridSpec(res)
    with tempfile.TemporaryDirectory(prefix="fcspace_fake_") as tmp:
        inputs = l2_paths if l2_paths is not None else [fake_scat_l2b(tmp, seed=seed)]
        periods = grid_files(inputs, grid, "daily")
        return write_l3(periods, _target(path, "l3_grid"), grid, "daily", len(inputs))


def _dorn_day(seed: int, spectra: int, hours: float) -> xr.Dataset:
    from fcspace.dorn.day import DayConfig, simulate_day

    return simulate_day(DayConfig(n_spectra=spectra, live_time_h=hours), seed)


def fake_dorn_spectra(path: PathLike, spectra: int = 2, hours: float = 1.0, seed: int = 0) -> Path:
    """A DORN day of ``spectra`` spectra per view, ``hours`` each (``write_spectra``)."""
    from fcspace.dorn.io import write_spectra

    return write_spectra(_dorn_day(seed, spectra, hours), _target(path, "dorn_spectra"))


def fake_dorn_fits(path: PathLike, spectra: int = 2, hours: float = 1.0, seed: int = 0) -> Path:
    """The fits (`fcspace.dorn.invert.fit_day`) of :func:`fake_dorn_spectra`'s day."""
    from fcspace.dorn.invert import fit_day
    from fcspace.dorn.io import write_fits

    return write_fits(fit_day(_dorn_day(seed, spectra, hours)), _target(path, "dorn_fits"))


def fake_eclairs_events(
    path: PathLike, exposure: float = 20.0, peak_flux: float = 5.0, seed: int = 0
) -> Path:
    """An ECLAIRs FITS event list: a burst on axis at 10 s plus background, ``exposure`` s."""
    from fcspace.svom.eclairs.io import write_events
    from fcspace.svom.eclairs.simulate import Grb, simulate_grb

    events = simulate_grb(Grb(peak_flux=peak_flux, t0=min(10.0, exposure / 2)), exposure, seed)
    return write_events(events, _target(path, "eclairs_events"))


def fake_grm_events(
    path: PathLike, duration: float = 20.0, peak_flux: float = 10.0, seed: int = 0
) -> Path:
    """A GRM event list: a burst at mid-interval plus background, ``duration`` s."""
    from fcspace.svom.grm.io import write_events
    from fcspace.svom.grm.simulate import GrbTruth, simulate_events

    grb = GrbTruth(t0_met=duration / 2, peak_flux=peak_flux)
    return write_events(simulate_events(duration, grb, seed), _target(path, "grm_events"))


def fake_products(folder: PathLike, seed: int = 0) -> dict[str, Path]:
    """Every fake in ``folder`` (created if needed), by kind; the L3 grids the fake SCAT L2B."""
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[..., Path]] = {
        "scat_l2b": fake_scat_l2b,
        "swim_l2": fake_swim_l2,
        "dorn_spectra": fake_dorn_spectra,
        "dorn_fits": fake_dorn_fits,
        "eclairs_events": fake_eclairs_events,
        "grm_events": fake_grm_events,
    }
    out = {kind: make(out_dir / NAMES[kind], seed=seed) for kind, make in makers.items()}
    out["l3_grid"] = fake_l3_grid(out_dir / NAMES["l3_grid"], [out["scat_l2b"]], seed=seed)
    return out
