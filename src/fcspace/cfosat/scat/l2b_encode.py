"""Encoding of the in-memory L2B layout for :func:`fcspace.cfosat.scat.io.write_l2b`.

No file access: checks the layout, packs physical values into the NSOAS integers (CF 8.1,
:data:`fcspace.cfosat.scat.product_specs.PACKING`), encodes ``row_time`` and builds the global
attributes; the writer in :mod:`fcspace.cfosat.scat.io` puts the result on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat import product_specs as ps
from fcspace.cfosat.scat.l2b_decode import PACKING_ATTRS
from fcspace.core.errors import InputError
from fcspace.core.products import cf_global_attrs

__all__ = ["check_l2b_layout", "encode_variable", "l2b_global_attrs", "pack_variable"]

_TIME_UNITS = "nanoseconds since 1970-01-01 00:00:00"
_TIME_FILL = np.iinfo(np.int64).min


def check_l2b_layout(ds: xr.Dataset, path: Path) -> None:
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


def pack_variable(da: xr.DataArray, name: str, path: Path) -> tuple[np.ndarray, dict[str, Any]]:
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


def encode_variable(da: xr.DataArray, name: str, path: Path) -> tuple[xr.DataArray, dict[str, Any]]:
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
        packed, encoding = pack_variable(da, name, path)
        if ps.PACKING[name][1] != 1.0:
            attrs["scale_factor"] = np.float32(ps.PACKING[name][1])
        return xr.DataArray(packed, dims=da.dims, attrs=attrs), encoding
    # fresh DataArrays: no coordinates, no encoding inherited from where ``ds`` was read
    if da.dtype.kind == "f":
        return xr.DataArray(da.values.astype(np.float32), dims=da.dims, attrs=attrs), {"zlib": True}
    return xr.DataArray(da.values, dims=da.dims, attrs=attrs), {}


def l2b_global_attrs(ds: xr.Dataset) -> dict[str, Any]:
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
