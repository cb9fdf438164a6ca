"""SWIM L2 layout conversion in memory: stored file variables <-> the fcspace SWIM layout.

No file access: :func:`decode_l2` turns the raw variables of an opened L2P box product or
full L2 (as :func:`fcspace.core.netcdf.open_raw` returns them) into the one in-memory layout
of ``docs/swim_layout.md``, and :func:`encode_l2` turns that layout into the stored full-L2
variables and their encoding. The readers and the writer of :mod:`fcspace.cfosat.swim.io`
open and write the files; the policy on fills and the references are in its docstring. The
layouts are data, in :mod:`fcspace.cfosat.swim.product_specs`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import product_specs as ps
from fcspace.core.errors import InputError
from fcspace.core.netcdf import unpack_float, unpack_int, wrap_longitude
from fcspace.core.products import add_history, cf_global_attrs
from fcspace.core.validation import MASKED_ATTR, apply_rules, check_monotonic, masked_counts

__all__ = ["decode_l2", "encode_l2", "plausible_times"]

_RADIANS = frozenset({"radians", "radian", "rad"})
_MAX_SECONDS = 9.0e9  # |seconds| beyond which datetime64[ns] overflows (~285 years)
_NAT = np.datetime64("NaT", "ns")


# --------------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------------


def _epoch(da: xr.DataArray, spec: ps.ProductSpec, path: Path, name: str) -> np.datetime64:
    """Time origin of a float-seconds time: from its CF units, else the product's."""
    units = str(da.attrs.get("units", "")).strip()
    if not units:
        return spec.epoch
    m = re.fullmatch(
        r"seconds?\s+since\s+(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}:\d{2}(?:\.\d*)?))?"
        r"\s*(?:Z|UTC)?",
        units,
    )
    if not m:
        raise InputError(f"time units {units!r}, expected 'seconds since YYYY-MM-DD'", path, name)
    clock = (m.group(2) or "00:00:00").rstrip(".")
    return np.datetime64(f"{m.group(1)}T{clock.zfill(8)}", "ns")


def _seconds_to_time(seconds: np.ndarray, epoch: np.datetime64) -> np.ndarray:
    """Float seconds since ``epoch`` (NaN = missing) to datetime64[ns], rounded to 1 us."""
    x = np.where(np.abs(seconds) < _MAX_SECONDS, seconds, np.nan)
    whole = np.floor(x)
    micro = np.nan_to_num(np.round((x - whole) * 1e6)).astype(np.int64)
    ns = np.nan_to_num(whole).astype(np.int64) * 10**9 + micro * 1000
    out = epoch + ns.astype("timedelta64[ns]")
    out[np.isnan(x)] = _NAT
    return out


def _columns_to_time(raw: np.ndarray, fill: np.ndarray, epoch: np.datetime64) -> np.ndarray:
    """(seconds, microseconds) columns on the last axis to datetime64[ns]; fills to NaT."""
    sec = raw[..., 0].astype(np.int64)
    micro = raw[..., 1].astype(np.int64)
    bad = fill.any(axis=-1) | (np.abs(sec) > _MAX_SECONDS)
    ns = np.where(bad, 0, sec) * 10**9 + np.where(bad, 0, micro) * 1000
    out = epoch + ns.astype("timedelta64[ns]")
    out[bad] = _NAT
    return out


def _decode_time(da: xr.DataArray, spec: ps.ProductSpec, path: Path, name: str) -> np.ndarray:
    """A stored time variable (either layout) as datetime64[ns] without ``n_tim``."""
    raw = np.asarray(da.values)
    fills = [da.attrs[k] for k in ("_FillValue", "missing_value") if k in da.attrs]
    fill = np.isin(raw, np.asarray(fills, dtype=raw.dtype)) if fills else np.zeros(raw.shape, bool)
    if spec.time_columns:
        return _columns_to_time(raw, fill, spec.epoch)
    seconds = np.where(fill, np.nan, raw.astype(np.float64))
    return _seconds_to_time(seconds, _epoch(da, spec, path, name))


def plausible_times(
    times: np.ndarray, lat: np.ndarray, lon: np.ndarray, now: np.datetime64 | None = None
) -> np.ndarray:
    """True where a SWIM time is plausible: within the mission life and with a position.

    A time is implausible when it is NaT, before CFOSat's launch (2018-10-29), more than one
    year after ``now`` (default: the current UTC time), or when its latitude or longitude is
    missing (NaN). The real L2P file of 2022-02-26 has such a box: ``time_nadir_l2`` =
    2431566847 s since 2000 (year 2077), not flagged by the producer, with a fill position.
    """
    now = np.datetime64("now", "ns") if now is None else np.datetime64(now, "ns")
    t = np.asarray(times).astype("datetime64[ns]")
    ok = ~np.isnat(t) & np.isfinite(lat) & np.isfinite(lon)
    with np.errstate(invalid="ignore"):
        ok &= (t >= ps.MISSION_START) & (t <= now + np.timedelta64(366, "D"))
    return ok


# --------------------------------------------------------------------------------------------
# Reading: stored variables to the in-memory layout
# --------------------------------------------------------------------------------------------


def _source(raw: xr.Dataset, name: str, spec: ps.ProductSpec, path: Path) -> xr.DataArray:
    """The stored variable ``name``, checked for dimensions and the size of n_phi / n_tim."""
    da = raw[name]
    expected = spec.file_dims(name)
    if da.dims != expected:
        raise InputError(f"dimensions {da.dims}, expected {expected}", path, name)
    sizes = {ps.PHI: spec.n_phi, ps.TIM: 2}
    for dim, size in sizes.items():
        if dim in da.dims and da.sizes[dim] != size:
            raise InputError(f"dimension {dim} has {da.sizes[dim]} values, expected {size}",
                             path, name)  # fmt: skip
    return da


def _values(da: xr.DataArray, name: str, spec: ps.ProductSpec, path: Path) -> np.ndarray:
    """Stored values of one :data:`~product_specs.LAYOUT` variable, decoded."""
    vs = ps.LAYOUT[name]
    if vs.kind == "time":
        return _decode_time(da, spec, path, name)
    if vs.kind == "flag":
        return unpack_int(da, 1, "int8")  # a missing flag is "invalid"
    if vs.kind == "int":
        return unpack_int(da, vs.missing, "int8")
    values = unpack_float(da)
    if str(da.attrs.get("units", "")).lower() in _RADIANS:
        values = np.degrees(values)
    if name.startswith("lon_") or name.endswith("_lon_l2"):
        values = wrap_longitude(values)
    return values


def _check_coverage(values: np.ndarray, name: str, path: Path) -> None:
    """InputError where :attr:`SwimVar.coverage` is not met (see the module docstring)."""
    coverage = ps.LAYOUT[name].coverage
    missing = np.isnat(values) if values.dtype.kind == "M" else np.isnan(values)
    if coverage == "any" and missing.all():
        raise InputError("fill value everywhere: no valid value", path, name)
    if coverage == "all" and missing.any():
        raise InputError(
            f"fill value at {int(missing.sum())} of {missing.size} positions; "
            "every value must be valid",
            path,
            name,
        )


def _to_memory(
    da: xr.DataArray, name: str, values: np.ndarray, spec: ps.ProductSpec
) -> xr.DataArray:
    """Decoded values on the in-memory dims: full-circle n_phi, n_beam_l2, LAYOUT order."""
    vs = ps.LAYOUT[name]
    out = xr.DataArray(values, dims=tuple(d for d in da.dims if d != ps.TIM), attrs=vs.attrs)
    if ps.PHI in out.dims and spec.n_phi == ps.N_PHI_HALF:
        if name == "phi_vector":
            second = out + 180.0
        else:
            second = -out if vs.odd else out
        out = xr.concat([out, second], dim=ps.PHI).assign_attrs(vs.attrs)
    if ps.BEAM in vs.dims and ps.BEAM not in out.dims:
        out = out.expand_dims(ps.BEAM)
    return out.transpose(*vs.dims)


def _read_layout(raw: xr.Dataset, spec: ps.ProductSpec, path: Path) -> dict[str, xr.DataArray]:
    """Every LAYOUT variable the file holds, decoded, checked and on in-memory dims."""
    out = {}
    required = spec.required | ps.required_with(str(n) for n in raw.variables)
    for name in sorted(spec.variables):
        if name not in raw.variables:
            if name in required:
                raise InputError("required variable is missing", path, name)
            continue
        da = _source(raw, name, spec, path)
        values = _values(da, name, spec, path)
        _check_coverage(values, name, path)
        out[name] = _to_memory(da, name, values, spec)
    return out


def _apply_rules(
    out: dict[str, xr.DataArray], raw: xr.Dataset, path: Path
) -> tuple[dict[str, xr.DataArray], dict[str, str]]:
    """Apply :data:`~product_specs.SWIM_RULES`, with the file's own ranges where declared.

    Out-of-range values become NaN and are counted, their ``flag_valid_*`` set to 1 (invalid);
    refusals raise InputError naming the file.
    """
    declared = {n: dict(raw[n].attrs) for n in out if n in raw.variables}
    rules = ps.SWIM_RULES.with_file_ranges(declared)
    checked = apply_rules(xr.Dataset(out), rules, path)
    if MASKED_ATTR not in checked.attrs:
        return out, {}
    new = {str(k): v for k, v in checked.data_vars.items()}
    for name in masked_counts(checked):
        flag = ps.LAYOUT[name].flag
        if flag in new:
            masked = np.isnan(new[name].values) & ~np.isnan(out[name].values)
            new[flag] = new[flag].copy(data=np.where(masked, np.int8(1), new[flag].values))
    return new, {MASKED_ATTR: checked.attrs[MASKED_ATTR]}


def _check_order(out: dict[str, xr.DataArray], path: Path) -> None:
    """Valid times (after :func:`_apply_time_checks`) must not go backwards along the track."""
    for name in [n for n in out if ps.LAYOUT.get(n) and ps.LAYOUT[n].kind == "time"]:
        da = out[name]
        along = [d for d in da.dims if d in (ps.BOX, ps.NATIVE, ps.ONE_HZ)]
        rows = da.transpose(*along, ...).values.reshape(da.sizes[along[0]], -1).T
        for row in rows:
            check_monotonic(row, name, path)


def _apply_flags(out: dict[str, xr.DataArray]) -> None:
    """Values whose ``flag_valid_*`` is not 0 (valid) become NaN; the flag is kept."""
    for name, da in list(out.items()):
        flag = ps.LAYOUT[name].flag if name in ps.LAYOUT else None
        if flag in out:
            out[name] = da.where(out[flag] == 0)


def _apply_time_checks(out: dict[str, xr.DataArray]) -> None:
    """Implausible times to NaT, recorded in ``flag_valid_<time>`` (0 valid, 1 invalid)."""
    for name in [n for n in out if ps.LAYOUT.get(n) and ps.LAYOUT[n].kind == "time"]:
        lat, lon = (out[v].values for v in ps.LAYOUT[name].position)
        ok = plausible_times(out[name].values, lat, lon)
        out[name] = out[name].where(ok)  # NaT where not ok
        out[f"flag_valid_{name}"] = xr.DataArray(
            (~ok).astype(np.int8),
            dims=out[name].dims,
            attrs={
                "standard_name": "status_flag",
                "long_name": f"validity of {name} (fill, outside 2018-10-29 .. now + 1 year, "
                "or no position)",
                "flag_values": np.array([0, 1], dtype=np.int8),
                "flag_meanings": "valid invalid",
            },
        )


def _extras(raw: xr.Dataset, spec: ps.ProductSpec) -> dict[str, xr.DataArray]:
    """Variables outside the layout (``truth_*``, ...): CF unpacking, n_phi_full to n_phi."""
    out = {}
    for name, da in raw.data_vars.items():
        if name in ps.LAYOUT or name in spec.variables:
            continue
        attrs = {k: v for k, v in da.attrs.items() if k not in ("_FillValue", "missing_value")}
        values = unpack_float(da) if da.dtype.kind == "f" else np.asarray(da.values)
        dims = tuple(ps.PHI if d == ps.PHI_FULL else d for d in da.dims)
        out[str(name)] = xr.DataArray(values, dims=dims, attrs=attrs)
    return out


def _beam_incidence(raw: xr.Dataset) -> xr.DataArray:
    """L2P: the single spectral beam, from the global attribute ``wave_spectra_beam``."""
    beam = float(str(raw.attrs.get("wave_spectra_beam", "10")).strip() or 10)
    return xr.DataArray([beam], dims=(ps.BEAM,), attrs=ps.LAYOUT["beam_incidence"].attrs)


def decode_l2(p: Path, raw: xr.Dataset, spec: ps.ProductSpec) -> xr.Dataset:
    """The raw variables of a file of layout ``spec`` (read from ``p``) as the in-memory layout."""
    out = _read_layout(raw, spec, p)
    if "beam_incidence" not in out:
        out["beam_incidence"] = _beam_incidence(raw)
    out, counts = _apply_rules(out, raw, p)
    _apply_flags(out)
    _apply_time_checks(out)
    _check_order(out, p)
    extras = _extras(raw, spec) if spec.time_columns else {}
    attrs = {k: v for k, v in raw.attrs.items() if k != ps.LAYOUT_ATTR} | counts
    ds = xr.Dataset({**out, **extras}, attrs=attrs)
    return add_history(ds, f"read {p.name} as {spec.name} (fcspace SWIM layout)")


# --------------------------------------------------------------------------------------------
# Writing: the in-memory layout to the stored full L2
# --------------------------------------------------------------------------------------------


def _check_dataset(ds: xr.Dataset, path: Path) -> None:
    """Refuse a Dataset that is not in the in-memory SWIM layout."""
    for name in sorted(ps.FCSPACE_L2.required):
        if name not in ds.data_vars:
            raise InputError("required variable is missing from the Dataset", path, name)
    for name in [n for n in ds.data_vars if n in ps.LAYOUT]:
        expected = ps.LAYOUT[str(name)].dims
        if set(ds[name].dims) != set(expected) or len(ds[name].dims) != len(expected):
            raise InputError(f"dimensions {ds[name].dims}, expected {expected}", path, str(name))
    if ds.sizes.get(ps.PHI) != ps.N_PHI_FULL:
        raise InputError(
            f"n_phi has {ds.sizes.get(ps.PHI)} directions, expected {ps.N_PHI_FULL} (full circle)",
            path,
            "phi_vector",
        )


def _time_columns(times: xr.DataArray) -> xr.DataArray:
    """datetime64 to (seconds, microseconds) since 2009-01-01 on ``n_tim`` (floor to 1 us)."""
    t = np.asarray(times.values).astype("datetime64[ns]")
    micro_total = (t - ps.EPOCH_L2).astype(np.int64) // 1000
    sec, micro = np.divmod(micro_total, 10**6)
    cols = np.stack([sec, micro], axis=-1)
    cols[np.isnat(t)] = ps.FILL_TIME
    attrs = {
        "long_name": times.attrs.get("long_name", "time"),
        "comment": "n_tim columns: 0 whole seconds, 1 microseconds, since 2009-01-01T00:00:00Z "
        "(UTC); CFOSat SWIM L2 product specification",
        "time_origin": "2009-01-01T00:00:00Z",
    }
    return xr.DataArray(cols, dims=(*times.dims, ps.TIM), attrs=attrs)


def _half_plane(da: xr.DataArray, name: str) -> xr.DataArray:
    """Full-circle n_phi to the stored half plane (mean of both halves; flags OR; mask first)."""
    first = da.isel({ps.PHI: slice(0, ps.N_PHI_HALF)})
    second = da.isel({ps.PHI: slice(ps.N_PHI_HALF, ps.N_PHI_FULL)}).values
    vs = ps.LAYOUT.get(name)
    if name == "phi_vector" or (vs is not None and vs.odd):
        return first
    if vs is not None and vs.kind == "flag":
        return first.copy(data=np.maximum(first.values, second))
    return first.copy(data=(first.values + second) / 2.0)


def _float_var(da: xr.DataArray, attrs: dict) -> tuple[xr.DataArray, dict]:
    values = np.asarray(da.values, dtype=np.float32)
    encoding = {"_FillValue": ps.FILL_FLOAT, "zlib": True, "complevel": 4}
    return xr.DataArray(values, dims=da.dims, attrs=attrs), encoding


def _int_var(da: xr.DataArray, attrs: dict, missing: int | None) -> tuple[xr.DataArray, dict]:
    values = np.asarray(da.values).astype(np.int8)
    if missing is not None:
        values = np.where(values == missing, ps.FILL_INT8, values).astype(np.int8)
    encoding = {"_FillValue": ps.FILL_INT8, "zlib": True}
    return xr.DataArray(values, dims=da.dims, attrs=attrs), encoding


def _encode_layout(da: xr.DataArray, name: str) -> tuple[xr.DataArray, dict]:
    """One LAYOUT variable as stored in the full L2 file, with its xarray encoding."""
    vs = ps.LAYOUT[name]
    da = da.transpose(*vs.dims)
    if ps.PHI in da.dims:
        da = _half_plane(da, name)
    attrs = dict(vs.attrs)
    if vs.kind == "time":
        return _time_columns(da), {"_FillValue": np.int64(ps.FILL_TIME), "zlib": True}
    if vs.kind in ("flag", "int"):
        return _int_var(da, attrs, vs.missing if vs.missing < 0 else None)
    return _float_var(da, attrs)


def _encode_extra(da: xr.DataArray, name: str, path: Path) -> tuple[xr.DataArray, dict]:
    """A variable outside the layout (``truth_*``, ...): full circle kept on ``n_phi_full``."""
    da = da.rename({ps.PHI: ps.PHI_FULL}) if ps.PHI in da.dims else da
    attrs = {k: v for k, v in da.attrs.items() if k not in ("_FillValue", "missing_value")}
    if da.dtype.kind == "f":
        return _float_var(da, attrs)
    if da.dtype.kind in "iub":
        return xr.DataArray(np.asarray(da.values), dims=da.dims, attrs=attrs), {}
    raise InputError(f"dtype {da.dtype} cannot be written (numbers only)", path, name)


def _global_attrs(ds: xr.Dataset) -> dict[str, Any]:
    """cf_global_attrs of fcspace's SWIM L2, with the input's provenance carried over."""
    attrs = cf_global_attrs(
        title="fcspace CFOSat SWIM L2 ocean wave spectra and nadir wave heights",
        source="CFOSAT SWIM",
        platform="CFOSAT",
        sensor="SWIM",
        processing_level="L2",
    )
    attrs[ps.LAYOUT_ATTR] = "full_l2"
    for key in ("cycle", "first_meas_time", "last_meas_time", "oper_version"):
        if key in ds.attrs:
            attrs[key] = ds.attrs[key]
    old = str(ds.attrs.get("history", ""))
    if old and old != "none":
        attrs["history"] = old + "\n" + attrs["history"]
    return attrs


def encode_l2(ds: xr.Dataset, p: Path) -> tuple[xr.Dataset, dict[str, dict]]:
    """An in-memory SWIM Dataset as the stored full L2 variables and their xarray encoding.

    See :func:`fcspace.cfosat.swim.io.write_l2` for the layout; ``p`` names the target file
    in error messages. ``flag_valid_time_*`` are dropped (re-derived on reading).
    """
    _check_dataset(ds, p)
    variables, encoding = {}, {}
    for key, da in ds.data_vars.items():
        name = str(key)
        if name.startswith("flag_valid_time_"):
            continue
        if name in ps.LAYOUT:
            variables[name], encoding[name] = _encode_layout(da, name)
        else:
            variables[name], encoding[name] = _encode_extra(da, name, p)
    return xr.Dataset(variables, attrs=_global_attrs(ds)), encoding
