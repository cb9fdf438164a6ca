"""Decoding of stored scatterometer L2 variables into the fcspace in-memory layout.

Times (char ISO 8601 strings or CF numeric ``UNIT since EPOCH``, per row or per cell) to
datetime64[ns] per row; packed integers and floats unpacked after CF 1.8 section 8.1 with
NaN (floats) or the integer missing value for fills; variables the product table does not
know unpacked generically; the offset (0 or 180 deg) that brings each direction variable to
the oceanographic "to" convention. No file access: the readers in
:mod:`fcspace.cfosat.scat.io` open the file and call these on its variables.

References
----------
- CF Conventions 1.8: sections 4.4 (time), 8.1 (packed data).
- NSOAS CFOSat SCAT L2B product (orbit 15259) and KNMI ASCAT L2 product (orbit 13795),
  described in ``../shared/data/cfosat/ORIGIN.md``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat import product_specs as ps
from fcspace.core.errors import InputError
from fcspace.core.netcdf import fill_mask, packing_attr, unpack_float, unpack_int

#: Attributes that describe how a variable is stored, not what it holds.
PACKING_ATTRS = (
    "_FillValue",
    "missing_value",
    "scale_factor",
    "add_offset",
    "valid_min",
    "valid_max",
    "valid_range",
    "_Unsigned",
)
_NS_PER_UNIT = {
    "nanosecond": 1,
    "microsecond": 10**3,
    "millisecond": 10**6,
    "second": 10**9,
    "minute": 60 * 10**9,
    "hour": 3600 * 10**9,
    "day": 86400 * 10**9,
}


#: Largest offset from a CF epoch (ns) that a time may have: 2**62 ns, 146 years.
_MAX_NS = float(2**62)


def parse_time_strings(values: np.ndarray, path: Path) -> np.ndarray:
    """ISO 8601 strings ('2021-08-01T03:10:11Z') to datetime64[ns]; blank or year 0000 is NaT."""
    out = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    for i, v in enumerate(values.ravel()):
        s = (v.decode("ascii", "replace") if isinstance(v, bytes) else str(v)).strip(" \x00")
        if not s or s.startswith("0000"):
            continue
        try:
            out.flat[i] = np.datetime64(s.removesuffix("Z"), "ns")
        except ValueError as err:
            raise InputError(f"unparsable row time {s!r}", path, "row_time") from err
    return out


def _time_unit(units: str, path: Path) -> tuple[int, np.datetime64]:
    """CF time units 'UNIT since EPOCH' (CF 4.4) to (nanoseconds per unit, epoch), UTC only."""
    m = re.fullmatch(r"\s*([A-Za-z]+)\s+since\s+(.+?)\s*", units)
    unit = m.group(1).lower().removesuffix("s") if m else ""
    if unit not in _NS_PER_UNIT:
        raise InputError(f"time units {units!r} are not 'UNIT since EPOCH'", path, "row_time")
    epoch = re.sub(r"\s*(Z|UTC|[+-]00:?00)$", "", m.group(2)).replace(" ", "T", 1)
    try:
        return _NS_PER_UNIT[unit], np.datetime64(epoch, "ns")
    except ValueError as err:
        raise InputError(f"unparsable epoch in time units {units!r}", path, "row_time") from err


def _numeric_time(da: xr.DataArray, path: Path) -> np.ndarray:
    """CF numeric time to datetime64[ns], in integer arithmetic when the values are integers."""
    per_unit, epoch = _time_unit(str(da.attrs.get("units", "")), path)
    scale = packing_attr(da.attrs.get("scale_factor", 1))
    offset = packing_attr(da.attrs.get("add_offset", 0))
    fill = fill_mask(da)
    raw = np.where(fill, 0, np.asarray(da.values))  # no overflow on fill values
    with np.errstate(invalid="ignore", over="ignore"):
        far = ~(np.abs((raw.astype(np.float64) * scale + offset) * per_unit) < _MAX_NS)
    if far.any():  # int64 nanoseconds would overflow silently (or NaN/inf stored)
        raise InputError(
            f"{int(far.sum())} time value(s) more than 146 years from the epoch or not finite",
            path,
            da.name if da.name is not None else "row_time",
        )
    if raw.dtype.kind in "iu" and scale == 1 and offset == 0:
        ns = raw.astype(np.int64) * per_unit
    else:
        ns = np.round((raw.astype(np.float64) * scale + offset) * per_unit).astype(np.int64)
    out = epoch + ns.astype("timedelta64[ns]")
    out[fill] = np.datetime64("NaT")
    return out


def _decode_time(da: xr.DataArray, path: Path) -> xr.DataArray:
    """Row times (char, string or CF numeric; per row or per cell) as datetime64[ns] per row."""
    if da.dtype.kind in "SU":
        values = parse_time_strings(np.asarray(da.values), path)
    else:
        values = _numeric_time(da, path)
    if values.ndim == 2:  # one time per cell (KNMI): first valid time of each row
        valid = ~np.isnat(values)
        first = np.argmax(valid, axis=1)
        values = np.where(
            valid.any(axis=1), values[np.arange(len(values)), first], np.datetime64("NaT")
        )
    return xr.DataArray(values.astype("datetime64[ns]"), dims=(ps.ROW,))


def source_variable(raw: xr.Dataset, vs: ps.VarSpec, path: Path) -> xr.DataArray | None:
    """The file variable of ``vs``, checked for presence (if required) and dimensions."""
    if vs.source not in raw.variables:
        if vs.required:
            raise InputError("required variable is missing", path, vs.source)
        return None
    da = raw[vs.source]
    expected = (ps.ROW,) if vs.kind == "time" and da.ndim == 1 else vs.dims
    if da.dims != expected:
        raise InputError(f"dimensions {da.dims}, expected {expected}", path, vs.source)
    return da


def decode_variable(da: xr.DataArray, vs: ps.VarSpec, path: Path) -> xr.DataArray:
    """One file variable to its in-memory form (see :class:`~product_specs.VarSpec`)."""
    if vs.kind == "time":
        out = _decode_time(da, path)
    elif vs.kind == "flags":
        out = xr.DataArray(unpack_int(da, ps.QUALITY_MISSING, "int32"), dims=da.dims)
    elif vs.kind == "int":
        out = xr.DataArray(unpack_int(da, vs.missing, vs.dtype), dims=da.dims)
    else:
        out = xr.DataArray(unpack_float(da), dims=da.dims)
    out.attrs.update(vs.attrs)
    return out


def decode_extra(da: xr.DataArray) -> xr.DataArray:
    """A variable the product table does not know (fcspace extras): generic CF unpacking."""
    attrs = {k: v for k, v in da.attrs.items() if k not in PACKING_ATTRS}
    if "scale_factor" in da.attrs or "add_offset" in da.attrs or da.dtype.kind == "f":
        values = unpack_float(da)
        if da.dtype == np.float32 and "scale_factor" not in da.attrs:
            values = values.astype(np.float32)
    else:
        values = np.asarray(da.values)
    return xr.DataArray(values, dims=da.dims, attrs=attrs)


def _detect_offset(out: dict[str, xr.DataArray]) -> float:
    """Degrees to add to per-ambiguity ``wind_dir`` so that it agrees with the selection.

    The selected ambiguity's direction is compared with ``wind_dir_selection`` (already in the
    "to" convention) over every cell with a selection: a circular mean difference near 180 deg
    means the ambiguities are stored 180 deg off (NSOAS L2B v3.3). Without any selected cell the
    NSOAS convention ("from", +180) is assumed.
    """
    sel = out["wvc_selection"].values.astype(int)
    ok = (sel >= 1) & (sel <= out["wind_dir"].shape[-1])
    picked = np.take_along_axis(out["wind_dir"].values, np.where(ok, sel - 1, 0)[..., None], -1)
    diff = np.radians(picked[..., 0] - out["wind_dir_selection"].values)[ok]
    diff = diff[np.isfinite(diff)]
    if diff.size == 0:
        return ps.DIRECTION_OFFSET["from"]
    return 180.0 if np.mean(np.cos(diff)) < 0 else 0.0


def direction_offset(
    vs: ps.VarSpec,
    attrs: dict[str, Any],
    global_attrs: dict[str, Any],
    out: dict[str, xr.DataArray],
) -> float:
    """Offset (0 or 180 deg) that brings a direction variable to the "to" convention.

    Precedence: fcspace's global attribute, then the variable's CF ``standard_name``
    (``wind_to_direction`` / ``wind_from_direction``), then the product table (``detect`` runs
    :func:`_detect_offset`).
    """
    declared = global_attrs.get(ps.CONVENTION_ATTR)
    if declared in ps.DIRECTION_OFFSET:
        return ps.DIRECTION_OFFSET[declared]
    standard = {"wind_to_direction": "to", "wind_from_direction": "from"}
    if attrs.get("standard_name") in standard:
        return ps.DIRECTION_OFFSET[standard[attrs["standard_name"]]]
    if vs.direction == "detect":
        return _detect_offset(out)
    return ps.DIRECTION_OFFSET[vs.direction or "to"]
