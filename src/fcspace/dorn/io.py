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
truncated file (HDF5/NetCDF library errors included), one without the variables of its layout,
or one that breaks the product's rules (:data:`SPECTRA_RULES`, :data:`FITS_RULES`: dimensions,
physical ranges, finite values; fitted activities not below ``ACTIVITY_MIN_PULL`` sigma, which a
product with negated activities is), with :class:`~fcspace.core.errors.InputError` naming the
file, the variable and the count. A DORN file has no flagged cells, so nothing is masked: a file
that breaks a rule is not what it claims. Writers: :func:`write_spectra`, :func:`write_fits`
(atomic: temporary name, then rename; counts compressed). :func:`source_named` makes errors of
the processing steps name the file the data came from.

References
----------
- Unidata, *NetCDF Users Guide*, file format specifications (classic, NetCDF-4/HDF5).
- The HDF Group, *HDF5 File Format Specification*, section II.A (superblock, end-of-file
  address), used to detect truncated NetCDF-4 files (`fcspace.core.netcdf`).
- CF Conventions 1.8.
- [HDF5-filters] The HDF Group, *HDF5 User's Guide*, "Data filters: Fletcher32 checksum"
  (H5Pset_fletcher32: a checksum per chunk, verified when the chunk is read).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike, open_loaded
from fcspace.core.validation import (
    ProductRules,
    VariableRule,
    apply_rules,
    check_packing_attrs,
)
from fcspace.dorn.instrument import DORN

__all__ = [
    "ACTIVITY_MIN_PULL",
    "FITS_RULES",
    "FITS_VARIABLES",
    "SPECTRA_RULES",
    "SPECTRA_VARIABLES",
    "open_dorn",
    "open_fits",
    "open_spectra",
    "source_named",
    "write_fits",
    "write_spectra",
]

#: Variables a spectra file must hold (what `fcspace.dorn.invert.fit_day` reads).
SPECTRA_VARIABLES = ("counts", "live_time_s", "temperature_c", "local_time")
#: Variables a fits file must hold (what `fcspace.dorn.invert.invert_day` reads).
FITS_VARIABLES = ("activity", "gain", "background", "exposure_s", "local_time", "live_time_s")

_COMPRESSED = ("counts", "counts_vetoed")

_LIVE_S = (1e-3, 3.0e6)  # s: a live time is > 0 and at most a lunar day (2.55e6 s)
_COUNTS_MAX = 1e12  # per channel: 1e6 s^-1 for a lunar day, beyond any alpha detector
_ACT_MAX = 1e10  # Bq m-2: lunar radon is < 1e3 Bq m-2, the Po-209 source ~ 1e3 Bq
_VTC, _VT = ("view", "time", "channel"), ("view", "time")


def _refuse(name: str, lo: float | None = None, hi: float | None = None, **kw: object) -> Any:
    return VariableRule(name, lo, hi, action="refuse", use_file_range=False, **kw)  # type: ignore


#: Rules of a spectra file (every value must also be finite): counts in [0, 1e12] on (view,
#: time, channel); live time in (0, one lunar day]; detector temperature in the operating range
#: of the instrument [Brief]; local time in [0, 24] h; 1..64 units summed per view; channel
#: edges of equal width and ``energy`` their centres (checked in :func:`_check_channels`).
SPECTRA_RULES = ProductRules("DORN spectra", (
    _refuse("counts", 0, _COUNTS_MAX, dims=_VTC, required=True),
    _refuse("counts_vetoed", 0, _COUNTS_MAX, dims=_VTC),
    _refuse("live_time_s", *_LIVE_S, dims=("time",), required=True),
    _refuse("temperature_c", DORN.temperature_min_c, DORN.temperature_max_c, dims=("time",),
            required=True),
    _refuse("local_time", 0.0, 24.0, dims=("time",), required=True),
    _refuse("n_units", 1, 64, dims=("view",)),
    _refuse("energy_edges", 0.0, dims=("edge",), monotonic=True),
))  # fmt: skip
#: Rules of a fits file (every value must also be finite): activities, sigmas and limits within
#: 1e10 Bq m-2 (sigmas and limits >= 0), covariances within 1e20; summed live time in (0, 64
#: lunar days]; gain within a factor 2 of nominal (the temperature law gives 0.99..1.01);
#: background scales within 1e3 of nominal; the detector temperature in the operating range;
#: local time in [0, 24] h.
FITS_RULES = ProductRules("DORN fits", (
    _refuse("activity", -_ACT_MAX, _ACT_MAX, dims=(*_VT, "line"), required=True),
    _refuse("activity_sigma", 0.0, _ACT_MAX, dims=(*_VT, "line")),
    _refuse("decision_threshold", 0.0, _ACT_MAX, dims=(*_VT, "line")),
    _refuse("detection_limit", 0.0, _ACT_MAX, dims=(*_VT, "line")),
    _refuse("gain", 0.5, 2.0, dims=_VT, required=True),
    _refuse("gain_sigma", 0.0, 1.0, dims=_VT),
    _refuse("temperature_c_from_gain", -1e4, 1e4, dims=_VT),
    _refuse("temperature_c", DORN.temperature_min_c, DORN.temperature_max_c, dims=("time",),
            required=True),
    _refuse("background", -1e3, 1e3, dims=(*_VT, "component"), required=True),
    _refuse("exposure_s", _LIVE_S[0], 64 * _LIVE_S[1], dims=_VT, required=True),
    _refuse("covariance", -_ACT_MAX**2, _ACT_MAX**2, dims=(*_VT, "fit_line", "fit_line_2")),
    _refuse("converged", 0, 1, dims=_VT),
    _refuse("local_time", 0.0, 24.0, dims=("time",), required=True),
    _refuse("live_time_s", *_LIVE_S, dims=("time",), required=True),
))  # fmt: skip
#: Lowest accepted ``activity / activity_sigma``: an unbiased estimate of a non-negative
#: activity falls 5 sigma below zero with probability 3e-7; a product whose activities were
#: negated falls far below (the inversion would return a negative exhalation flux).
ACTIVITY_MIN_PULL = -5.0


def _load(path: PathLike) -> xr.Dataset:
    """Refuse a missing, non-NetCDF or truncated file; load it fully into memory.

    HDF5/NetCDF library errors, also while loading values, become :class:`InputError` naming
    the file (:func:`fcspace.core.netcdf.open_loaded`); impossible packing is refused.
    """
    ds = open_loaded(path)
    check_packing_attrs({str(k): v.encoding for k, v in ds.variables.items()}, path)
    return ds


def _check_finite(ds: xr.Dataset, rules: ProductRules, path: PathLike) -> None:
    """Every value of a ruled variable finite (the rules treat NaN as fill; DORN has none)."""
    for name in rules.names():
        if name in ds.variables and ds[name].dtype.kind == "f":
            bad = int(np.count_nonzero(~np.isfinite(ds[name].values)))
            if bad:
                raise InputError(f"{bad} of {ds[name].size} values not finite", path, name)


def _check(ds: xr.Dataset, rules: ProductRules, path: PathLike) -> xr.Dataset:
    """Apply ``rules`` (refusals only) and the finiteness and activity checks."""
    _check_finite(ds, rules, path)
    apply_rules(ds, rules, path)
    _check_channels(ds, path)
    if "activity" in ds and "activity_sigma" in ds:
        pull = ds["activity"].values / np.maximum(ds["activity_sigma"].values, 1e-300)
        low = int(np.count_nonzero(pull < ACTIVITY_MIN_PULL))
        if low:
            raise InputError(
                f"{low} activities below {ACTIVITY_MIN_PULL:g} sigma (e.g. "
                f"{float(ds['activity'].values[pull < ACTIVITY_MIN_PULL][0]):.6g}): "
                "activities are >= 0 up to noise (negated product?)",
                path,
                "activity",
            )
    return ds


def _check_channels(ds: xr.Dataset, path: PathLike) -> None:
    """Channel edges of equal width (the instrument's channels), ``energy`` their centres."""
    if "energy_edges" in ds.variables:
        edges = np.asarray(ds["energy_edges"].values, float)
        width = np.diff(edges)
        if width.size and not np.allclose(width, width[0], rtol=1e-6, atol=0):
            n = int(np.count_nonzero(~np.isclose(width, width[0], rtol=1e-6, atol=0)))
            raise InputError(f"{n} channels not of the common width {width[0]:.6g} keV", path,
                             "energy_edges")  # fmt: skip
        if "energy" in ds.coords and ds["energy"].size == width.size:
            centre = 0.5 * (edges[:-1] + edges[1:])
            off = ~np.isclose(np.asarray(ds["energy"].values, float), centre, rtol=1e-9)
            if off.any():
                raise InputError(f"{int(off.sum())} channel energies not the centres of "
                                 "energy_edges", path, "energy")  # fmt: skip


@contextlib.contextmanager
def source_named(ds: xr.Dataset) -> Iterator[None]:
    """Errors raised in the block name the file ``ds`` was read from (``encoding['source']``).

    An :class:`InputError` without a file gets the source; a singular information matrix
    (``numpy.linalg.LinAlgError``, data that no fit can weigh) becomes an :class:`InputError`.
    """
    source = ds.encoding.get("source")
    try:
        yield
    except InputError as err:
        if err.path is not None or source is None:
            raise
        prefix = "" if err.variable is None else f"variable {err.variable!r}: "
        raise InputError(str(err).removeprefix(prefix), source, err.variable) from err
    except np.linalg.LinAlgError as err:
        raise InputError(f"the data give a singular information matrix ({err})", source) from err


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
        Missing, unreadable or truncated file, no variables of the spectra layout
        (:data:`SPECTRA_VARIABLES`), or a value that breaks :data:`SPECTRA_RULES`.
    """
    ds = _require(_load(path), SPECTRA_VARIABLES, "spectra", path)
    if ds["counts"].dims != ("view", "time", "channel"):
        raise InputError("counts must have dims (view, time, channel)", path, "counts")
    return _check(ds, SPECTRA_RULES, path)


def open_fits(path: PathLike) -> xr.Dataset:
    """The fits of a day of DORN spectra (as written by :func:`write_fits`), in memory.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, no variables of the fits layout
        (:data:`FITS_VARIABLES`), or a value that breaks :data:`FITS_RULES` (negated
        activities included, :data:`ACTIVITY_MIN_PULL`).
    """
    return _check(_require(_load(path), FITS_VARIABLES, "fits", path), FITS_RULES, path)


def open_dorn(path: PathLike) -> xr.Dataset:
    """Either DORN layout, detected from the content: ``counts`` → spectra, ``activity`` → fits.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, neither layout, or a value that breaks the
        layout's rules.
    """
    ds = _load(path)
    if "counts" in ds.variables:
        return _check(_require(ds, SPECTRA_VARIABLES, "spectra", path), SPECTRA_RULES, path)
    if "activity" in ds.variables:
        return _check(_require(ds, FITS_VARIABLES, "fits", path), FITS_RULES, path)
    raise InputError("not a DORN file: neither 'counts' (spectra) nor 'activity' (fits)", path)


def _write(ds: xr.Dataset, path: PathLike) -> Path:
    """Write a day (spectra or fits) to NetCDF atomically, counts compressed, checksummed.

    Every numeric array is stored with the HDF5 Fletcher-32 checksum filter, which the library
    verifies on reading: a damaged byte of data then fails to read (an :class:`InputError`)
    instead of being read as a value ([HDF5-filters]).
    """
    from fcspace.core.products import write_netcdf

    enc = {str(k): {"fletcher32": True} for k, v in ds.variables.items()
           if v.ndim >= 1 and v.dtype.kind in "iufb"}  # fmt: skip
    for name in _COMPRESSED:
        if name in ds:
            enc[name] = enc.get(name, {}) | {"zlib": True, "complevel": 4}
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
