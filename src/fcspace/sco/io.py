"""File access of the SCO archive: file names, the per-orbit product writers, archive.json.

Also the climate-indicator files (:func:`write_indicators`, :func:`open_indicators`) of
:mod:`fcspace.sco.indicators`.

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

from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike, open_loaded
from fcspace.core.products import add_history, write_atomic, write_netcdf
from fcspace.sco.climate import Climate

__all__ = [
    "open_indicators",
    "write_indicators",
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
    """The :class:`~fcspace.sco.climate.Climate` of an archive (its ``archive.json``).

    Raises
    ------
    InputError
        Naming ``archive.json``: missing, unreadable, not JSON (or nested deeper than 32
        levels), or a climate that is not a table of finite numbers.
    """
    path = Path(archive_dir) / ARCHIVE_META
    if not path.is_file():
        raise InputError("no such file (the archive's description)", path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        climate = meta["climate"]
        numeric = {f.name for f in dataclasses.fields(Climate) if f.type in ("float", "int")}
        bad = [k for k, v in climate.items() if k in numeric and not _finite_number(v)]
        if bad:
            raise InputError("not a finite number", path, f"climate.{bad[0]}")
        return Climate(**climate)
    except (OSError, UnicodeDecodeError, RecursionError, ValueError, KeyError, TypeError,
            AttributeError) as err:  # fmt: skip
        if isinstance(err, InputError):
            raise
        raise InputError(f"not an fcspace archive description ({type(err).__name__}: {err})",
                         path) from err  # fmt: skip


def _finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)


# ------------------------------------------------------------------ indicator files


def _indicator_encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    enc: dict[str, dict[str, Any]] = {}
    for name, da in ds.data_vars.items():
        enc[str(name)] = {"zlib": True, "complevel": 4}
        if da.dtype.kind == "f":
            enc[str(name)]["_FillValue"] = np.float32(np.nan)
            enc[str(name)]["dtype"] = "float32"
        elif da.dtype == bool:
            enc[str(name)]["dtype"] = "int8"
    return enc


def write_indicators(ind: xr.Dataset, path: PathLike, fmt: str = "netcdf") -> Path:
    """Compute (chunk by chunk) and write the indicators as CF NetCDF-4 or Zarr, atomically.

    ``fmt="zarr"``: a Zarr store (:func:`fcspace.core.zarr_store.write_zarr`) with the same
    variables, attributes and flag encodings as the NetCDF file.
    """
    out = ind.copy()
    for name in [n for n in out.data_vars if out[n].dtype == bool]:
        out[name] = (
            out[name]
            .astype(np.int8)
            .assign_attrs(
                out[name].attrs, flag_values=np.array([0, 1], np.int8), flag_meanings="no yes"
            )
        )
    out = add_history(out, f"compute_indicators -> {Path(path).name}")
    if fmt == "zarr":
        from fcspace.core.zarr_store import write_zarr

        floats = [n for n in out.data_vars if out[n].dtype.kind == "f"]  # float32 as in NetCDF
        return write_zarr(out.assign({n: out[n].astype(np.float32) for n in floats}).compute(),
                          path)  # fmt: skip
    return write_netcdf(out, path, encoding=_indicator_encoding(out))


def open_indicators(path: PathLike) -> xr.Dataset:
    """Open an indicator file or Zarr store written by :func:`write_indicators` (loaded)."""
    from fcspace.core.zarr_store import is_zarr_store, open_zarr

    if is_zarr_store(path):
        return open_zarr(path).load()
    return open_loaded(path)
