"""Every DORN file access: read and write a day of spectra and its fits (NetCDF-4).

Two layouts, both written by fcspace:

- *spectra* (`fcspace.dorn.day.simulate_day`): ``counts`` (view, time, channel),
  ``live_time_s``, ``temperature_c``, the ``local_time`` coordinate, optionally ``n_units``,
  ``energy_edges`` and the ``truth_*`` of a simulation;
- *fits* (`fcspace.dorn.invert.fit_day`): ``activity`` (view, time, line) with its sigma and
  Currie limits, ``gain``, ``background``, ``exposure_s``, ``covariance``, ``local_time``,
  ``live_time_s``.

Readers: :func:`open_spectra`, :func:`open_fits` and :func:`open_dorn` (detects which). Each
loads the file fully into memory (a day is a few MB) and refuses a missing, non-NetCDF or
truncated file, or one without the variables of its layout, with
:class:`~fcspace.core.errors.InputError` naming the file. Writers: :func:`write_spectra`,
:func:`write_fits` (atomic: temporary name, then rename; counts compressed).

References
----------
- Unidata, *NetCDF Users Guide*, file format specifications (classic, NetCDF-4/HDF5).
- The HDF Group, *HDF5 File Format Specification*, section II.A (superblock, end-of-file
  address), used to detect truncated NetCDF-4 files (`fcspace.core.netcdf`).
- CF Conventions 1.8.
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike, check_file

__all__ = [
    "FITS_VARIABLES",
    "SPECTRA_VARIABLES",
    "open_dorn",
    "open_fits",
    "open_spectra",
    "write_fits",
    "write_spectra",
]

#: Variables a spectra file must hold (what `fcspace.dorn.invert.fit_day` reads).
SPECTRA_VARIABLES = ("counts", "live_time_s", "temperature_c", "local_time")
#: Variables a fits file must hold (what `fcspace.dorn.invert.invert_day` reads).
FITS_VARIABLES = ("activity", "gain", "background", "exposure_s", "local_time", "live_time_s")

_COMPRESSED = ("counts", "counts_vetoed")


def _load(path: PathLike) -> xr.Dataset:
    """Refuse a missing, non-NetCDF or truncated file; load it fully into memory."""
    p = check_file(path)
    try:
        return xr.load_dataset(p)
    except (OSError, RuntimeError, ValueError, KeyError) as err:
        raise InputError(f"not a readable NetCDF file ({type(err).__name__}: {err})", p) from err


def _require(ds: xr.Dataset, names: tuple[str, ...], what: str, path: PathLike) -> xr.Dataset:
    """``ds`` if it holds every variable of ``names``; else InputError naming the file."""
    missing = [name for name in names if name not in ds.variables]
    if missing:
        raise InputError(f"not DORN {what}: no {', '.join(map(repr, missing))}", path)
    return ds


def open_spectra(path: PathLike) -> xr.Dataset:
    """A day of DORN spectra (as written by :func:`write_spectra`), in memory.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, or no variables of the spectra layout
        (:data:`SPECTRA_VARIABLES`).
    """
    ds = _require(_load(path), SPECTRA_VARIABLES, "spectra", path)
    if ds["counts"].dims != ("view", "time", "channel"):
        raise InputError("counts must have dims (view, time, channel)", path, "counts")
    return ds


def open_fits(path: PathLike) -> xr.Dataset:
    """The fits of a day of DORN spectra (as written by :func:`write_fits`), in memory.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, or no variables of the fits layout
        (:data:`FITS_VARIABLES`).
    """
    return _require(_load(path), FITS_VARIABLES, "fits", path)


def open_dorn(path: PathLike) -> xr.Dataset:
    """Either DORN layout, detected from the content: ``counts`` → spectra, ``activity`` → fits.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, or neither layout.
    """
    ds = _load(path)
    if "counts" in ds.variables:
        return _require(ds, SPECTRA_VARIABLES, "spectra", path)
    if "activity" in ds.variables:
        return _require(ds, FITS_VARIABLES, "fits", path)
    raise InputError("not a DORN file: neither 'counts' (spectra) nor 'activity' (fits)", path)


def _write(ds: xr.Dataset, path: PathLike) -> Path:
    """Write a day (spectra or fits) to NetCDF atomically, counts compressed."""
    from fcspace.core.products import write_netcdf

    enc = {name: {"zlib": True, "complevel": 4} for name in _COMPRESSED if name in ds}
    return write_netcdf(ds, path, encoding=enc)


def write_spectra(ds: xr.Dataset, path: PathLike) -> Path:
    """Write a day of spectra (`fcspace.dorn.day.simulate_day`) atomically; return the path.

    Raises
    ------
    InputError
        ``ds`` lacks a variable of :data:`SPECTRA_VARIABLES` (nothing is written).
    """
    return _write(_require(ds, SPECTRA_VARIABLES, "spectra", path), path)


def write_fits(ds: xr.Dataset, path: PathLike) -> Path:
    """Write the fits of a day (`fcspace.dorn.invert.fit_day`) atomically; return the path.

    Raises
    ------
    InputError
        ``ds`` lacks a variable of :data:`FITS_VARIABLES` (nothing is written).
    """
    return _write(_require(ds, FITS_VARIABLES, "fits", path), path)
