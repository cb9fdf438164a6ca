"""Reading and writing fcspace's SCAT L1B files (sigma0 views per wind vector cell).

The layout is the one of ``docs/scat_layout.md``, stored as CF NetCDF-4 (float32 views,
deflate-compressed), written atomically. :func:`open_l1b` checks what a retrieval needs, so
that a bad file fails at once with the file and variable named, not deep in the inversion.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.products import add_history, write_netcdf

VIEW_VARIABLES = ("sigma0", "kp", "azimuth", "incidence", "polarisation", "look")
CELL_VARIABLES = ("wvc_lat", "wvc_lon")
VIEW_DIMS = ("numrows", "numcells", "numviews")

_ATTRS = {
    "sigma0": {"units": "1", "long_name": "normalised radar cross-section (linear)"},
    "kp": {"units": "1", "long_name": "normalised standard deviation of sigma0 (Kp)"},
    "azimuth": {"units": "degree", "long_name": "look azimuth, radar to cell, clockwise from N"},
    "incidence": {"units": "degree", "long_name": "incidence angle"},
    "polarisation": {"flag_values": [0, 1], "flag_meanings": "VV HH", "_FillValue": -1},
    "look": {"flag_values": [0, 1], "flag_meanings": "fore aft", "_FillValue": -1},
    "wvc_lat": {"units": "degrees_north", "standard_name": "latitude"},
    "wvc_lon": {"units": "degrees_east", "standard_name": "longitude"},
    "model_speed": {"units": "m s-1", "standard_name": "wind_speed"},
    "model_dir": {"units": "degree", "standard_name": "wind_to_direction"},
    "truth_speed": {"units": "m s-1", "standard_name": "wind_speed"},
    "truth_dir": {"units": "degree", "standard_name": "wind_to_direction"},
}


def write_l1b(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write an L1B Dataset to CF NetCDF-4 atomically (temporary name, then rename)."""
    check_l1b(ds, path)
    out = add_history(ds, f"written as L1B {Path(path).name}")
    encoding = {}
    for name, var in out.data_vars.items():
        attrs = dict(_ATTRS.get(name, {}))
        fill = attrs.pop("_FillValue", None)
        var.attrs.update(attrs)
        enc: dict = {"zlib": True, "complevel": 4}
        if var.dtype.kind == "f":
            enc["dtype"] = "float32"
        if fill is not None:
            enc["_FillValue"] = np.int8(fill)
        encoding[name] = enc
    return write_netcdf(out, path, encoding=encoding)


def open_l1b(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open an fcspace SCAT L1B file, check it, and return it loaded in memory (float64)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=p)
    try:
        with xr.open_dataset(p, mask_and_scale=True) as raw:
            ds = raw.load()
    except (OSError, ValueError) as err:
        raise InputError(f"not a readable NetCDF L1B file ({err})", path=p) from err
    for name in ("polarisation", "look"):
        if name in ds:
            ds[name] = ds[name].fillna(-1).astype(np.int8)
    for name, var in ds.data_vars.items():
        if var.dtype.kind == "f":
            ds[name] = var.astype(np.float64)
    ds.encoding["source"] = str(p)
    check_l1b(ds, p)
    return ds


def check_l1b(ds: xr.Dataset, path: str | os.PathLike[str] | None = None) -> None:
    """Raise :class:`InputError` unless ``ds`` has the L1B variables, dims and some sigma0."""
    for name in VIEW_VARIABLES + CELL_VARIABLES:
        if name not in ds:
            raise InputError("missing variable required in an L1B file", path, name)
    for name in VIEW_VARIABLES:
        if ds[name].dims != VIEW_DIMS:
            raise InputError(f"dims {ds[name].dims}, expected {VIEW_DIMS}", path, name)
    for name in CELL_VARIABLES:
        if ds[name].dims != VIEW_DIMS[:2]:
            raise InputError(f"dims {ds[name].dims}, expected {VIEW_DIMS[:2]}", path, name)
    if not np.isfinite(ds["sigma0"].values).any():
        raise InputError("all sigma0 values are NaN: nothing to invert", path, "sigma0")
