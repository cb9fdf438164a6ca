"""Read and write scatterometer L2 wind products in the fcspace in-memory layout.

Readers: :func:`open_l2b` (NSOAS CFOSat SCAT L2B and fcspace's own L2B) and
:func:`open_knmi_l2` (KNMI / OSI SAF ASCAT L2). Both return the layout of
``docs/scat_layout.md``: dims ``numrows``, ``numcells`` (and ``numambigs`` for L2B), floats
unpacked to float64 with NaN for fills, ``row_time`` as datetime64[ns] (NaT for fills),
longitudes in [-180, 180), every direction in the oceanographic "to" convention (CF
``wind_to_direction``), ``wvc_quality`` as an int32 bit field plus one boolean ``flag_<name>``
variable per bit. Writer: :func:`write_l2b` (CF NetCDF-4 with the NSOAS names and packing).
The product variants are data, in :mod:`fcspace.cfosat.scat.product_specs`.

Integer conventions: ``num_ambigs`` and ``wvc_selection`` are int8, 0 where the file has a fill
(``wvc_selection`` is 1-based, 0 = no selection); ``wvc_quality`` is int32 with
:data:`~fcspace.cfosat.scat.product_specs.QUALITY_MISSING` (-2**31) for a fill, which decodes to
every flag False.

References
----------
- NetCDF classic and 64-bit offset format specification, Unidata, NetCDF Users Guide,
  "File Format Specifications" (CDF-1, CDF-2) and the CDF-5 specification (PnetCDF).
- CF Conventions 1.8: sections 3.5 (flags), 4.4 (time), 8.1 (packed data).
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
from fcspace.core.netcdf import (
    PathLike,
    classic_min_size,
    fill_mask,
    iso_utc,
    open_raw,
    packing_attr,
    unpack_float,
    unpack_int,
    value_range,
    wrap_longitude,
)
from fcspace.core.products import add_history, cf_global_attrs, write_netcdf

__all__ = [
    "classic_min_size",
    "decode_quality_flags",
    "l2b_summary",
    "open_knmi_l2",
    "open_l2b",
    "quality_flag_table",
    "wrap_longitude",
    "write_l2b",
]

_PACKING_ATTRS = (
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
_TIME_UNITS = "nanoseconds since 1970-01-01 00:00:00"
_TIME_FILL = np.iinfo(np.int64).min


# --------------------------------------------------------------------------------------------
# NetCDF classic header: minimum size of a complete file
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Decoding variables
# --------------------------------------------------------------------------------------------


def _parse_time_strings(values: np.ndarray, path: Path) -> np.ndarray:
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
        values = _parse_time_strings(np.asarray(da.values), path)
    else:
        values = _numeric_time(da, path)
    if values.ndim == 2:  # one time per cell (KNMI): first valid time of each row
        valid = ~np.isnat(values)
        first = np.argmax(valid, axis=1)
        values = np.where(
            valid.any(axis=1), values[np.arange(len(values)), first], np.datetime64("NaT")
        )
    return xr.DataArray(values.astype("datetime64[ns]"), dims=(ps.ROW,))


def _source(raw: xr.Dataset, vs: ps.VarSpec, path: Path) -> xr.DataArray | None:
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


def _decode(da: xr.DataArray, vs: ps.VarSpec, path: Path) -> xr.DataArray:
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


def _decode_extra(da: xr.DataArray) -> xr.DataArray:
    """A variable the product table does not know (fcspace extras): generic CF unpacking."""
    attrs = {k: v for k, v in da.attrs.items() if k not in _PACKING_ATTRS}
    if "scale_factor" in da.attrs or "add_offset" in da.attrs or da.dtype.kind == "f":
        values = unpack_float(da)
        if da.dtype == np.float32 and "scale_factor" not in da.attrs:
            values = values.astype(np.float32)
    else:
        values = np.asarray(da.values)
    return xr.DataArray(values, dims=da.dims, attrs=attrs)


# --------------------------------------------------------------------------------------------
# Directions and longitudes
# --------------------------------------------------------------------------------------------


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


def _direction_offset(
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


# --------------------------------------------------------------------------------------------
# Quality flags
# --------------------------------------------------------------------------------------------


def _snake(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _flag_name(mask: int, meaning: str) -> str:
    """Canonical short name of a bit (shared by NSOAS and KNMI) when the meaning agrees."""
    known = ps.QUALITY_BITS.get(mask)
    if known and known[1] in meaning.replace("_", " ").lower():
        return known[0]
    return _snake(meaning) or f"bit{mask}"


def _comment_bits(attrs: dict[str, Any]) -> dict[int, str]:
    """Bits of an NSOAS-style comment 'others:Default;16:More than two beams...;32:...'."""
    bits = {}
    for part in str(attrs.get("comment", "")).split(";"):
        key, sep, text = part.partition(":")
        if sep and key.strip().isdigit():
            bits[int(key)] = text.strip()
    return bits


def quality_flag_table(attrs: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(mask, short name, meaning) of each quality bit, from a variable's attributes.

    Bits are read, in this order, from CF ``flag_masks`` + ``flag_meanings`` (CF 3.5), from an
    NSOAS ``comment`` of the form ``'16:More than two beams are available;32:One beam is
    missing;...'`` (entries whose key is not an integer, such as ``others:Default``, are
    skipped), or, when neither is present, from
    :data:`~fcspace.cfosat.scat.product_specs.QUALITY_BITS`. The meaning is the comment's text
    when the comment describes the bit. Short names are the canonical ones shared by NSOAS and
    KNMI products when the file's meaning agrees, otherwise made from the file's text.
    """
    described = _comment_bits(attrs)
    if "flag_masks" in attrs and "flag_meanings" in attrs:
        masks = np.atleast_1d(attrs["flag_masks"]).astype(int).tolist()
        pairs = list(zip(masks, str(attrs["flag_meanings"]).split(), strict=False))
    elif described:
        pairs = list(described.items())
    else:
        pairs = [(m, name) for m, (name, _) in ps.QUALITY_BITS.items()]
    return [(m, _flag_name(m, text), described.get(m, text)) for m, text in pairs]


def decode_quality_flags(ds: xr.Dataset, variable: str = "wvc_quality") -> xr.Dataset:
    """Boolean ``flag_<name>`` variables, one per bit of ``ds[variable]``.

    The bits and their meanings come from :func:`quality_flag_table`. A missing quality
    (-2**31) has none of the bits set, so every flag is False there.
    """
    q = ds[variable]
    bits = np.asarray(q.values).astype(np.int64)
    flags = {
        f"flag_{name}": xr.DataArray(
            (bits & mask) != 0, dims=q.dims, attrs={"long_name": text, "flag_mask": mask}
        )
        for mask, name, text in quality_flag_table(dict(q.attrs))
    }
    return xr.Dataset(flags)


def _quality_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """CF flag attributes (flag_masks, flag_meanings) for wvc_quality, plus a ``comment``.

    The comment keeps the file's own description of each bit: the NSOAS comment as it is, or
    one made in the same 'mask:meaning;...' form from the file's flag_meanings (KNMI).
    """
    table = quality_flag_table(attrs)
    return {
        "flag_masks": np.array([m for m, _, _ in table], dtype=np.int32),
        "flag_meanings": " ".join(name for _, name, _ in table),
        "missing_value": np.int32(ps.QUALITY_MISSING),
        "comment": attrs.get("comment") or ";".join(f"{m}:{text}" for m, _, text in table),
    }


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def _read(path: PathLike, spec: ps.ProductSpec) -> xr.Dataset:
    """Read ``path`` with the product table ``spec`` into the fcspace layout."""
    p, raw = open_raw(path)
    raw = raw.rename_dims({k: v for k, v in spec.dim_renames.items() if k in raw.dims})
    sources = {name: _source(raw, vs, p) for name, vs in spec.variables.items()}
    out = {
        name: _decode(da, spec.variables[name], p) for name, da in sources.items() if da is not None
    }
    for name, da in sources.items():
        vs = spec.variables[name]
        if da is not None and vs.direction is not None:
            offset = _direction_offset(vs, dict(da.attrs), dict(raw.attrs), out)
            out[name] = ((out[name] + offset) % 360.0).assign_attrs(vs.attrs)
    out["wvc_lon"] = out["wvc_lon"].copy(data=wrap_longitude(out["wvc_lon"].values))
    if "wvc_quality" in out:
        out["wvc_quality"].attrs.update(_quality_attrs(dict(sources["wvc_quality"].attrs)))
    used = {vs.source for vs in spec.variables.values()}
    extras = {
        k: _decode_extra(v)
        for k, v in raw.data_vars.items()
        if k not in used and set(v.dims) <= {ps.ROW, ps.CELL, ps.AMBIG}
    }
    ds = xr.Dataset({**out, **extras}, attrs=dict(raw.attrs))
    ds.attrs[ps.CONVENTION_ATTR] = "to"
    ds = ds.merge(decode_quality_flags(ds)) if "wvc_quality" in ds else ds
    return add_history(ds, f"read {p.name} as {spec.name} (directions in 'to' convention)")


def open_l2b(path: PathLike) -> xr.Dataset:
    """Open a CFOSat SCAT L2B file (NSOAS product or fcspace's own) in the fcspace layout.

    Parameters
    ----------
    path
        NSOAS CFOSat SCAT L2B (NetCDF-3 classic; dims numrows x numcells x numambigs, char
        ``row_time``, int16 packed) or an L2B written by :func:`write_l2b` (NetCDF-4).

    Returns
    -------
    xarray.Dataset
        The L2B layout of ``docs/scat_layout.md``, in memory. Per-ambiguity ``wind_dir`` is
        brought to the "to" convention: the NSOAS v3.3 product stores it 180 deg from
        ``wind_dir_selection`` and ``model_dir`` (detected from the data; fcspace files declare
        their convention in the global attribute ``fcspace_wind_direction_convention``).
        ``model_dir`` is "to" in the NSOAS file: over the North-East Pacific trades
        (10-20 N, 150-120 W) its circular mean is 233 deg, a wind blowing towards the SW.
        Variables other than the NSOAS ones (``ambiguity_prob``, ``normalised_mle``,
        ``truth_*`` in fcspace files) are unpacked generically.

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file; missing required variable; wrong dimensions.
    """
    return _read(path, ps.NSOAS_L2B)


def open_knmi_l2(path: PathLike) -> xr.Dataset:
    """Open a KNMI / OSI SAF scatterometer L2 wind product (e.g. ASCAT 25 km) in the L2B layout.

    Mapping: ``lat``/``lon`` -> ``wvc_lat``/``wvc_lon`` (lon to [-180, 180)), ``time`` (per cell)
    -> ``row_time`` (per row), ``wind_speed``/``wind_dir`` -> ``wind_speed_selection``/
    ``wind_dir_selection``, ``wvc_quality_flag`` -> ``wvc_quality`` (+ ``flag_*``), ``NUMROWS``/
    ``NUMCELLS`` -> ``numrows``/``numcells``; ``model_speed``, ``model_dir``, ``bs_distance``,
    ``ice_prob``, ``ice_age``, ``wvc_index`` keep their names. The file holds no ambiguities:
    there is no ``numambigs`` dimension and no ``wind_speed``/``wind_dir``/``num_ambigs``.
    Directions are not changed: the KNMI product is already in the "to" convention (its
    directions carry standard_name ``wind_to_direction`` and its global comment reads "All wind
    directions in oceanographic convention (0 deg. flowing North)").

    Source: KNMI, ASCAT Wind Product User Manual (OSI SAF), and the real file described in
    ``../shared/data/cfosat/ORIGIN.md``.
    """
    return _read(path, ps.KNMI_L2)


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def _check_layout(ds: xr.Dataset, path: Path) -> None:
    """Refuse a Dataset that lacks a required L2B variable or has one on the wrong dims."""
    for name, vs in ps.NSOAS_L2B.variables.items():
        if name not in ds.variables:
            if vs.required:
                raise InputError("required variable is missing from the Dataset", path, name)
            continue
        expected = (ps.ROW,) if vs.kind == "time" else vs.dims
        if ds[name].dims != expected:
            raise InputError(f"dimensions {ds[name].dims}, expected {expected}", path, name)


#: Variables whose out-of-range values are stored at the packing limit rather than refused:
#: a huge MLE (rain, inconsistent views) only needs to read back as "very large".
_SATURATING = frozenset({"max_likelihood_est"})


def _pack(da: xr.DataArray, name: str, path: Path) -> tuple[np.ndarray, dict[str, Any]]:
    """Physical values to stored integers after :data:`product_specs.PACKING` (CF 8.1)."""
    dtype, scale, fill = ps.PACKING[name]
    values = np.asarray(da.values, dtype=np.float64)
    if da.attrs.get("standard_name") == "wind_to_direction":
        values = values % 360.0
    missing = ~np.isfinite(values) | (values == fill)  # e.g. QUALITY_MISSING
    if name == "wvc_selection":
        missing |= values == 0  # NSOAS: no selection is a fill
    packed = np.round(np.where(missing, 0.0, values) / scale)
    info = np.iinfo(dtype)
    if name in _SATURATING:
        packed = np.clip(packed, info.min + 1, info.max)
    if np.any(~missing & ((packed <= info.min) | (packed > info.max))):
        raise InputError(
            f"values outside the packable range [{(info.min + 1) * scale:g}, "
            f"{info.max * scale:g}] of {dtype} with scale_factor {scale:g}",
            path,
            name,
        )
    packed[missing] = fill
    encoding = {"_FillValue": np.dtype(dtype).type(fill), "zlib": True, "complevel": 4}
    return packed.astype(dtype), encoding


def _encode_var(da: xr.DataArray, name: str, path: Path) -> tuple[xr.DataArray, dict[str, Any]]:
    """One in-memory variable as stored by :func:`write_l2b`, with its xarray encoding."""
    attrs = {k: v for k, v in da.attrs.items() if k not in _PACKING_ATTRS}
    if name == "row_time":
        t = np.asarray(da.values).astype("datetime64[ns]")
        ns = np.where(np.isnat(t), _TIME_FILL, t.view(np.int64))
        attrs.update(units=_TIME_UNITS, calendar="proleptic_gregorian")
        return (
            xr.DataArray(ns, dims=da.dims, attrs=attrs),
            {"_FillValue": np.int64(_TIME_FILL), "zlib": True},
        )
    if name in ps.PACKING:
        packed, encoding = _pack(da, name, path)
        if ps.PACKING[name][1] != 1.0:
            attrs["scale_factor"] = np.float32(ps.PACKING[name][1])
        return xr.DataArray(packed, dims=da.dims, attrs=attrs), encoding
    # fresh DataArrays: no coordinates, no encoding inherited from where ``ds`` was read
    if da.dtype.kind == "f":
        return xr.DataArray(da.values.astype(np.float32), dims=da.dims, attrs=attrs), {"zlib": True}
    return xr.DataArray(da.values, dims=da.dims, attrs=attrs), {}


def _global_attrs(ds: xr.Dataset) -> dict[str, Any]:
    """cf_global_attrs for fcspace's L2B, with the input's history carried over."""
    attrs = cf_global_attrs(
        title="fcspace CFOSat SCAT L2B ocean surface wind vectors",
        source=f"{ds.attrs.get('platform', 'CFOSAT')} {ds.attrs.get('sensor', 'SCAT')}",
        platform=ds.attrs.get("platform", "CFOSAT"),
        sensor=ds.attrs.get("sensor", "SCAT"),
        processing_level="L2B",
    )
    attrs[ps.CONVENTION_ATTR] = "to"
    old = str(ds.attrs.get("history", ""))
    if old and old != "none":
        attrs["history"] = old + "\n" + attrs["history"]
    return attrs


def write_l2b(ds: xr.Dataset, path: PathLike) -> Path:
    """Write an L2B Dataset as fcspace's CF NetCDF-4 L2B, atomically.

    NSOAS variable names, dimensions, units and packing (int16 with ``scale_factor`` and
    ``_FillValue``, :data:`~fcspace.cfosat.scat.product_specs.PACKING`); ``ambiguity_prob`` as
    int16 (scale 1e-4); other floats (``normalised_mle``, ``truth_*``) as float32; ``row_time``
    as int64 nanoseconds since 1970 (CF 4.4; the one departure from the NSOAS char array);
    ``flag_*`` variables are not written (they are decoded from ``wvc_quality`` on reading).
    Directions are written in the "to" convention and the file says so in the global
    attribute ``fcspace_wind_direction_convention = "to"``.

    Returns
    -------
    pathlib.Path
        ``path``. Nothing is left at ``path`` if writing fails.

    Raises
    ------
    InputError
        A required variable is missing, has the wrong dimensions, or holds values that the
        packing cannot represent.
    """
    p = Path(path)
    _check_layout(ds, p)
    variables, encoding = {}, {}
    for name, da in ds.data_vars.items():
        if str(name).startswith("flag_"):
            continue
        variables[name], encoding[name] = _encode_var(da, str(name), p)
    out = xr.Dataset(variables, attrs=_global_attrs(ds))
    out = add_history(out, f"write_l2b {p.name}")
    for name in ("wvc_quality",):
        if name in out:
            out[name].attrs.update(_quality_attrs(dict(ds[name].attrs)))
            out[name].attrs.pop("missing_value")
    return write_netcdf(out, p, encoding=encoding, format="NETCDF4")


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def l2b_summary(ds: xr.Dataset) -> dict[str, Any]:
    """Plain-Python summary of an L2B (or KNMI L2) Dataset, for ``fcspace scat info --json``.

    Keys: ``numrows``, ``numcells``, ``cells``, ``cells_with_selected_wind`` (finite
    ``wind_speed_selection``), ``mean_selected_speed`` (m s-1), ``num_ambigs_histogram``
    ({number of ambiguities: cells}, None without ``num_ambigs``), ``time_start``,
    ``time_end`` (ISO 8601 UTC), ``lat_range``, ``lon_range`` ([min, max] in degrees).
    """
    speed = np.asarray(ds["wind_speed_selection"].values, dtype=np.float64)
    selected = np.isfinite(speed)
    times = np.asarray(ds["row_time"].values).astype("datetime64[ns]")
    times = times[~np.isnat(times)]
    hist = None
    if "num_ambigs" in ds:
        values, counts = np.unique(np.asarray(ds["num_ambigs"].values), return_counts=True)
        hist = {int(v): int(c) for v, c in zip(values, counts, strict=True)}
    return {
        "numrows": int(ds.sizes[ps.ROW]),
        "numcells": int(ds.sizes[ps.CELL]),
        "cells": int(speed.size),
        "cells_with_selected_wind": int(selected.sum()),
        "mean_selected_speed": float(speed[selected].mean()) if selected.any() else None,
        "num_ambigs_histogram": hist,
        "time_start": iso_utc(times.min()) if times.size else None,
        "time_end": iso_utc(times.max()) if times.size else None,
        "lat_range": value_range(ds["wvc_lat"].values),
        "lon_range": value_range(ds["wvc_lon"].values),
    }
