"""Read and write scatterometer L2 wind products in the fcspace in-memory layout.

Readers: :func:`open_l2b` (NSOAS CFOSat SCAT L2B and fcspace's own L2B) and
:func:`open_knmi_l2` (KNMI / OSI SAF ASCAT L2). Both return the layout of
``docs/scat_layout.md``: dims ``numrows``, ``numcells`` (and ``numambigs`` for L2B), floats
unpacked to float64 with NaN for fills, ``row_time`` as datetime64[ns] (NaT for fills),
longitudes in [-180, 180), every direction in the oceanographic "to" convention (CF
``wind_to_direction``), ``wvc_quality`` as an int32 bit field plus one boolean ``flag_<name>``
variable per bit. Writer: :func:`write_l2b` (CF NetCDF-4 with the NSOAS names and packing).
The product variants are data, in :mod:`fcspace.cfosat.scat.product_specs`; the decoding of
stored variables is in :mod:`fcspace.cfosat.scat.l2b_decode`, the quality flags and the
summary of the in-memory layout in :mod:`fcspace.cfosat.scat.l2b_layout` (re-exported here).

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

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat import product_specs as ps
from fcspace.cfosat.scat.l2b_decode import (
    PACKING_ATTRS,
    decode_extra,
    decode_variable,
    direction_offset,
    parse_time_strings,
    source_variable,
)
from fcspace.cfosat.scat.l2b_layout import (
    decode_quality_flags,
    l2b_summary,
    quality_attrs,
    quality_flag_table,
)
from fcspace.cfosat.scat.scenes import truth_from_background
from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike, classic_min_size, open_raw, wrap_longitude
from fcspace.core.products import add_history, cf_global_attrs, write_netcdf

__all__ = [
    "read_l2b_background",
    "classic_min_size",
    "decode_quality_flags",
    "l2b_summary",
    "open_knmi_l2",
    "open_l2b",
    "quality_flag_table",
    "wrap_longitude",
    "write_l2b",
]

_TIME_UNITS = "nanoseconds since 1970-01-01 00:00:00"
_TIME_FILL = np.iinfo(np.int64).min


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def _read(path: PathLike, spec: ps.ProductSpec) -> xr.Dataset:
    """Read ``path`` with the product table ``spec`` into the fcspace layout."""
    p, raw = open_raw(path)
    raw = raw.rename_dims({k: v for k, v in spec.dim_renames.items() if k in raw.dims})
    sources = {name: source_variable(raw, vs, p) for name, vs in spec.variables.items()}
    out = {
        name: decode_variable(da, spec.variables[name], p)
        for name, da in sources.items()
        if da is not None
    }
    for name, da in sources.items():
        vs = spec.variables[name]
        if da is not None and vs.direction is not None:
            offset = direction_offset(vs, dict(da.attrs), dict(raw.attrs), out)
            out[name] = ((out[name] + offset) % 360.0).assign_attrs(vs.attrs)
    out["wvc_lon"] = out["wvc_lon"].copy(data=wrap_longitude(out["wvc_lon"].values))
    if "wvc_quality" in out:
        out["wvc_quality"].attrs.update(quality_attrs(dict(sources["wvc_quality"].attrs)))
    used = {vs.source for vs in spec.variables.values()}
    extras = {
        k: decode_extra(v)
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
    attrs = {k: v for k, v in da.attrs.items() if k not in PACKING_ATTRS}
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
            out[name].attrs.update(quality_attrs(dict(ds[name].attrs)))
            out[name].attrs.pop("missing_value")
    return write_netcdf(out, p, encoding=encoding, format="NETCDF4")


def read_l2b_background(
    path: PathLike, rows: slice | None = None
) -> dict[str, np.ndarray]:
    """Read the model background wind and WVC positions of a real NSOAS SCAT L2B file.

    ``model_speed`` / ``model_dir`` of the file are the NWP wind in the "to" convention
    (degrees); gaps (NaN) are filled from the nearest WVC so that the field can serve as a
    truth. Returns ``wvc_lat``, ``wvc_lon``, ``row_time`` (datetime64[ns]), ``model_speed``,
    ``model_dir``.
    """
    names = ("wvc_lat", "wvc_lon", "row_time", "model_speed", "model_dir")
    try:
        with xr.open_dataset(path) as ds:
            sub = ds[list(names)].isel(numrows=rows or slice(None)).load()
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"cannot read the L2B background: {err}", path=path) from err
    out = {name: sub[name].values for name in names}
    out["row_time"] = _parse_row_time(out["row_time"], path)
    out["model_speed"], out["model_dir"] = truth_from_background(
        out["model_speed"], out["model_dir"]
    )
    return out


def _parse_row_time(raw: np.ndarray, path: PathLike) -> np.ndarray:
    """Row times as datetime64[ns] from the L2B's 'YYYY-MM-DDThh:mm:ssZ' byte strings."""
    if np.issubdtype(raw.dtype, np.datetime64):
        return raw.astype("datetime64[ns]")
    return parse_time_strings(raw, Path(path))
