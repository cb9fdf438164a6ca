"""File access of the SCO archive: file names, the per-orbit product writers, archive.json.

An archive is a folder of real CFOSat products, one file per instrument and revolution
(SCAT L2B by :func:`fcspace.cfosat.scat.io.write_l2b`, SWIM full L2 by
:func:`fcspace.cfosat.swim.io.write_l2`), and ``archive.json`` beside them holding the climate
and the configuration the archive was simulated with (:mod:`fcspace.sco.archive`).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.products import write_atomic
from fcspace.sco.climate import Climate

__all__ = [
    "ARCHIVE_META",
    "archive_file_name",
    "read_climate",
    "write_archive_meta",
    "write_orbit_file",
]

ARCHIVE_META = "archive.json"
_TAGS = {"scat": "SCAT_L2B", "swim": "SWIM_L2"}


def archive_file_name(kind: str, start: str, t0_s: float, rev: int) -> str:
    """File name of revolution ``rev`` of instrument ``kind`` (``scat``/``swim``).

    ``CFOSAT_<SCAT_L2B|SWIM_L2>_<YYYYMMDDThhmmss>_<rev:05d>.nc``, the time being the start of
    the revolution, ``t0_s`` seconds after ``start``.
    """
    stamp = np.datetime64(start, "s") + np.timedelta64(int(t0_s), "s")
    text = str(stamp).replace("-", "").replace(":", "")
    return f"CFOSAT_{_TAGS[kind]}_{text}_{rev:05d}.nc"


def write_orbit_file(kind: str, ds: xr.Dataset, path: str | Path) -> Path:
    """Write one revolution with the instrument's own writer (SCAT L2B or SWIM full L2)."""
    if kind == "scat":
        from fcspace.cfosat.scat.io import write_l2b

        return write_l2b(ds, path)
    from fcspace.cfosat.swim.io import write_l2

    return write_l2(ds, path)


def write_archive_meta(archive_dir: str | Path, climate: Climate, config: Any) -> Path:
    """Write ``archive.json`` (the climate and the configuration dataclasses), atomically."""
    meta = {"climate": dataclasses.asdict(climate), "config": dataclasses.asdict(config)}
    path = Path(archive_dir) / ARCHIVE_META
    write_atomic(path, lambda p: p.write_text(json.dumps(meta, indent=2)))
    return path


def read_climate(archive_dir: str | Path) -> Climate:
    """The :class:`~fcspace.sco.climate.Climate` of an archive (its ``archive.json``)."""
    meta = json.loads((Path(archive_dir) / ARCHIVE_META).read_text())
    return Climate(**meta["climate"])
