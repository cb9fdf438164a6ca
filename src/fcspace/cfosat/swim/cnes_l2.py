"""The CNES SWIM L2 file layout (``CFO_OP05_SWI_L2_____F_*.nc``): names, dims and time encodings.

fcspace's in-memory SWIM layout keeps its own names (``docs/swim_layout.md``). Its stored
full L2 had two file layouts:

- fcspace's *previous* layout (files written before issue 15): the in-memory names, dims
  ``n_nadir_native`` / ``n_nadir_1hz``, every time as (seconds, microseconds) columns on
  ``n_tim``; :func:`fcspace.cfosat.swim.layout.encode_l2` still makes it and
  :func:`~fcspace.cfosat.swim.layout.decode_l2` reads it;
- the *CNES* layout of the L2 that CNES distributes (processor 5.1.2), written by
  :func:`fcspace.cfosat.swim.io.write_l2` since issue 15.

This module converts between the two, variable by variable, as data (:data:`FILE_NAMES`,
:data:`FILE_DIMS`, :data:`SECONDS_TIMES`): :func:`to_cnes` after ``encode_l2``,
:func:`from_cnes` before ``decode_l2``. No file access.

What is confirmed and what is assumed (``docs/swim_layout.md`` lists it variable by variable):
names, dims and the half-plane ``pp_mean`` come from public code that reads the real L2
(AVISO/CLS *Python visualization tools for CFOSAT SWIM products*: ``plot_spectre_2D.py``,
``CFO_SWIM_visu_nadir.ipynb``; oceanographers' scripts reading ``swi_l2____/op05/5.1.2``
with xarray: nadir native / 1 Hz / box readers, a SAR-SWIM fusion workflow). The 1 Hz time
is stored as float seconds since 2009-01-01 (one public reader; another, for a later
processor, reads (s, us) columns on ``n_tim``; :func:`from_cnes` accepts both). A real file
read here is tolerated where its layout is unknown: an optional variable whose dims differ
from the expected ones is not read (its name is recorded in the attribute
``fcspace_not_read``), variables outside the layout on the half plane ``n_phi`` come back on
``n_phi_half``, and a missing ``beam_incidence`` is 6, 8, 10 deg for three beams (the beam
order of ``plot_spectre_2D.py``). Files written by fcspace are read strictly.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import product_specs as ps
from fcspace.core.errors import InputError

__all__ = ["FILE_DIMS", "FILE_NAMES", "SECONDS_TIMES", "from_cnes", "is_cnes", "to_cnes"]

#: In-memory (and previous-layout) name -> name in the CNES L2 file; others are unchanged.
FILE_NAMES = {
    "lat_nadir_native": "lat_l2anad_0",
    "lon_nadir_native": "lon_l2anad_0",
    "flag_valid_swh_native": "nadir_swh_native_validity",
    "time_nadir_1hz": "time_nadir_1Hz",
    "lat_nadir_1hz": "lat_nadir_1Hz",
    "lon_nadir_1hz": "lon_nadir_1Hz",
    "nadir_swh_1hz": "nadir_swh_1Hz",
    "flag_valid_swh_1hz": "flag_valid_swh_1Hz",
    "nadir_swh_1hz_std": "nadir_swh_1Hz_std",
    "nadir_swh_1hz_used_native": "nadir_swh_1Hz_used_native",
    "nadir_wind_1hz": "nadir_wind_1Hz",
    "flag_valid_wind_1hz": "flag_valid_wind_1Hz",
    "time_spec_l2": "time_l2",
    "mask_spectrum": "mask",
}
#: Dimension names: previous layout -> CNES file (native rate: one value per macrocycle).
FILE_DIMS = {ps.NATIVE: "n_mcycles", ps.ONE_HZ: "n_nad_1Hz"}
#: Times stored as float64 seconds since 2009-01-01 (CNES names); every other time as columns.
SECONDS_TIMES = frozenset({"time_nadir_1Hz"})
#: Global attribute value of fcspace's CNES-layout files.
LAYOUT_VALUE = "cnes_l2"

_FILL_DOUBLE = np.float64(9.969209968386869e36)  # NetCDF default double fill
_UNITS = "seconds since 2009-01-01 00:00:00"
_MARKERS = frozenset({"n_mcycles", "n_nad_1Hz"})
_NAMES_BACK = {v: k for k, v in FILE_NAMES.items()}
_DIMS_BACK = {v: k for k, v in FILE_DIMS.items()}
_HALF = "n_phi_half"


def is_cnes(raw: xr.Dataset) -> bool:
    """True for a file in the CNES L2 layout (its dims, names or fcspace's layout attribute)."""
    if str(raw.attrs.get(ps.LAYOUT_ATTR, "")) == LAYOUT_VALUE:
        return True
    return bool(_MARKERS & set(raw.dims)) or any(n in raw.variables for n in _NAMES_BACK)


# --------------------------------------------------------------------------------------------
# Writing: previous stored layout -> CNES
# --------------------------------------------------------------------------------------------


def _column_seconds(da: xr.DataArray) -> tuple[xr.DataArray, dict]:
    """(s, us) int64 columns on ``n_tim`` -> float64 seconds since 2009-01-01 (fill: NaN)."""
    cols = np.asarray(da.values)
    fill = (cols == ps.FILL_TIME).any(axis=-1)
    sec = cols[..., 0].astype(np.float64) + cols[..., 1].astype(np.float64) * 1e-6
    attrs = {
        "standard_name": "time",
        "long_name": str(da.attrs.get("long_name", "time")),
        "units": _UNITS,
        "calendar": "gregorian",
        "comment": "UTC, microsecond precision (CNES SWIM L2 layout)",
    }
    out = xr.DataArray(np.where(fill, np.nan, sec), dims=da.dims[:-1], attrs=attrs)
    return out, {"_FillValue": _FILL_DOUBLE, "dtype": "float64", "zlib": True}


def to_cnes(stored: xr.Dataset, encoding: dict[str, dict]) -> tuple[xr.Dataset, dict[str, dict]]:
    """Stored variables of the previous layout (``encode_l2``) renamed into the CNES layout."""
    out: dict[str, xr.DataArray] = {}
    enc: dict[str, dict] = {}
    for key, da in stored.data_vars.items():
        name = FILE_NAMES.get(str(key), str(key))
        e = dict(encoding.get(str(key), {}))
        if name in SECONDS_TIMES:
            da, e = _column_seconds(da)
        out[name] = da.rename({d: FILE_DIMS[d] for d in da.dims if d in FILE_DIMS})
        enc[name] = e
    attrs = dict(stored.attrs)
    attrs[ps.LAYOUT_ATTR] = LAYOUT_VALUE
    return xr.Dataset(out, attrs=attrs), enc


# --------------------------------------------------------------------------------------------
# Reading: CNES -> previous stored layout
# --------------------------------------------------------------------------------------------


def _epoch(da: xr.DataArray, path: Path, name: str) -> np.datetime64:
    """Origin of a float-seconds time from its CF units (default: 2009-01-01)."""
    units = str(da.attrs.get("units", "")).strip()
    if not units:
        return ps.EPOCH_L2
    m = re.fullmatch(r"seconds?\s+since\s+(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}:\d{2}))?"
                     r"(?:\.\d*)?\s*(?:Z|UTC|0:00|\+00:?00)?", units)  # fmt: skip
    if not m:
        raise InputError(f"time units {units!r}, expected 'seconds since YYYY-MM-DD'", path, name)
    return np.datetime64(f"{m.group(1)}T{(m.group(2) or '00:00:00').zfill(8)}", "ns")


def _seconds_columns(da: xr.DataArray, path: Path, name: str) -> xr.DataArray:
    """Float seconds (raw, fills as stored) -> (s, us) int64 columns since 2009-01-01."""
    raw = np.asarray(da.values, dtype=np.float64)
    fills = [da.attrs[k] for k in ("_FillValue", "missing_value") if k in da.attrs]
    bad = ~np.isfinite(raw) | np.isin(raw, np.asarray(fills, dtype=np.float64))
    shift = (_epoch(da, path, name) - ps.EPOCH_L2) / np.timedelta64(1, "s")
    with np.errstate(invalid="ignore", over="ignore"):
        bad |= np.abs(raw + shift) > 9.0e9  # beyond datetime64[ns]
        micro = np.round(np.where(bad, 0.0, raw + shift) * 1e6).astype(np.int64)
    cols = np.stack(np.divmod(micro, 10**6), axis=-1)
    cols[bad] = ps.FILL_TIME
    attrs = {k: v for k, v in da.attrs.items() if k not in ("units", "_FillValue", "calendar")}
    attrs["_FillValue"] = np.int64(ps.FILL_TIME)
    return xr.DataArray(cols, dims=(*da.dims, ps.TIM), attrs=attrs)


def _time_var(da: xr.DataArray, path: Path, name: str) -> xr.DataArray:
    """A layout time as (s, us) columns on ``n_tim``, whatever its column dim or encoding.

    A last dim of size 2 that is not a sampling dim (``n_box``, ``n_posneg``, the nadir
    rates) holds the columns (``n_tim``; ``n_time`` in one public reader); otherwise the
    values are seconds since the origin of their units.
    """
    sampling = {ps.BOX, ps.SIDE, ps.NATIVE, ps.ONE_HZ}
    if da.ndim and da.dims[-1] not in sampling and da.sizes[da.dims[-1]] == 2:
        return da.rename({da.dims[-1]: ps.TIM}) if da.dims[-1] != ps.TIM else da
    return _seconds_columns(da, path, name)


def _expected(name: str) -> tuple[str, ...]:
    return ps.CNES_L2.file_dims(name)


def _renamed(raw: xr.Dataset) -> dict[str, xr.DataArray]:
    """Variables under their previous-layout names (CNES name preferred over a duplicate)."""
    out: dict[str, xr.DataArray] = {}
    for key, da in raw.variables.items():
        name = _NAMES_BACK.get(str(key), str(key))
        if name in out and str(key) not in _NAMES_BACK:
            continue  # e.g. time_spec_l2 next to time_l2: time_l2 is read
        da = xr.DataArray(da.values, dims=da.dims, attrs=dict(da.attrs))
        out[name] = da.rename({d: _DIMS_BACK[d] for d in da.dims if d in _DIMS_BACK})
    return out


def from_cnes(raw: xr.Dataset, path: Path) -> xr.Dataset:
    """Raw variables of a CNES-layout L2 renamed into fcspace's previous stored layout.

    Strict for files written by fcspace (attribute ``fcspace_swim_layout`` = ``cnes_l2``),
    tolerant for others (module docstring).
    """
    strict = str(raw.attrs.get(ps.LAYOUT_ATTR, "")) == LAYOUT_VALUE
    out, skipped = {}, []
    for name, da in _renamed(raw).items():
        if name in ps.LAYOUT and ps.LAYOUT[name].kind == "time":
            da = _time_var(da, path, name)
        if name in ps.LAYOUT and not strict and name not in ps.CNES_L2.required:
            if da.dims != _expected(name):
                skipped.append(f"{name}{da.dims}")
                continue
        elif name not in ps.LAYOUT and ps.PHI in da.dims and not strict:
            da = da.rename({ps.PHI: _HALF})
        out[name] = da
    beams = raw.sizes.get(ps.BEAM)
    if "beam_incidence" not in out and beams == 3 and not strict:
        out["beam_incidence"] = xr.DataArray(np.array([6.0, 8.0, 10.0], np.float32), dims=ps.BEAM,
                                             attrs={"units": "degree"})  # fmt: skip
    attrs = {k: v for k, v in raw.attrs.items() if k != ps.LAYOUT_ATTR}
    if skipped:
        attrs["fcspace_not_read"] = "; ".join(skipped)
    return xr.Dataset(out, attrs=attrs)
