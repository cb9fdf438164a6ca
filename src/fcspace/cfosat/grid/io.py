"""Every file access of the L3 grid: reading L2 inputs and their start times, L3 write and open.

:func:`open_l2` opens a SCAT L2B or SWIM L2 file with the instrument's own reader;
:func:`start_time` reads only the time variable; :func:`write_l3` writes a stream of period
Datasets as one CF-1.8 NetCDF-4 file, atomically; :func:`open_l3` opens one or many L3 files
lazily (dask arrays).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask
import numpy as np
import xarray as xr

from fcspace.cfosat.grid.spec import (
    FAMILIES,
    GridSpec,
    Period,
    family_variables,
    l3_valid_range,
)
from fcspace.core.errors import InputError
from fcspace.core.products import add_history, atomic_path, cf_global_attrs


def open_l2(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open a SCAT L2B or SWIM L2/L2P file (kind from its dimensions)."""
    from fcspace.core.netcdf import open_raw

    p, raw = open_raw(path)
    dims = set(raw.dims)
    raw.close()
    if "numcells" in dims:
        from fcspace.cfosat.scat.io import open_l2b

        return open_l2b(p)
    if "n_box" in dims:
        from fcspace.cfosat.swim.io import open_swim

        return open_swim(p)
    raise InputError("not a SCAT L2B (numcells) nor a SWIM L2 (n_box) file", p)


def _decode_first(da: xr.DataArray) -> np.datetime64:
    """Earliest valid time of a time variable as stored (CF numeric, char, or (s, us) columns)."""
    values = np.asarray(da.values)
    if values.dtype.kind in "SUO":
        text = [v.decode() if isinstance(v, bytes) else str(v) for v in values.ravel()]
        times = [np.datetime64(t.strip(" \x00Z")) for t in text if t.strip(" \x00")[:4] > "0000"]
        return min(times) if times else np.datetime64("NaT")
    if values.dtype.kind == "M":
        valid = values[~np.isnat(values)]
        return valid.min() if valid.size else np.datetime64("NaT")
    # fcspace full SWIM L2: int64 (seconds, microseconds) since 2009-01-01 on n_tim
    cols = values.reshape(-1, values.shape[-1]).astype(np.int64)
    ok = cols[:, 0] > np.iinfo(np.int64).min
    if not ok.any():
        return np.datetime64("NaT")
    sec = int(cols[ok, 0].min())
    return np.datetime64("2009-01-01T00:00:00", "s") + np.timedelta64(sec, "s")


def start_time(path: str | os.PathLike[str]) -> np.datetime64:
    """Earliest observation time of a SCAT L2B or SWIM L2 file, read cheaply (one variable).

    Used to stream files in time order whatever their names. NaT if the file has no valid
    time.
    """
    from fcspace.core.netcdf import check_file, read_guard

    p = check_file(path)
    with read_guard(p, "a file with times"), xr.open_dataset(p, decode_timedelta=False) as raw:
        name = next((n for n in ("row_time", "time_nadir_l2") if n in raw.variables), None)
        if name is None:
            raise InputError("no row_time (SCAT) or time_nadir_l2 (SWIM) variable", p)
        return _decode_first(raw[name].load())


def _global_attrs(grid: GridSpec, period: Period, sources: int) -> dict[str, Any]:
    return cf_global_attrs(
        title=f"fcspace CFOSat L3 {period} gridded winds and waves ({grid.res} deg)",
        source="CFOSAT SCAT L2B and SWIM L2",
        platform="CFOSAT",
        sensor="SCAT, SWIM",
        processing_level="L3",
        fcspace_period=period,
        geospatial_lat_resolution=f"{grid.res} degree",
        geospatial_lon_resolution=f"{grid.res} degree",
        geospatial_lat_min=-90.0,
        geospatial_lat_max=90.0,
        geospatial_lon_min=-180.0,
        geospatial_lon_max=180.0,
        fcspace_input_files=sources,
        comment="means per cell of every L2 observation in the period (unweighted); std is "
        "the sample standard deviation (ddof=1); counts are numbers of L2 observations",
    )


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    enc: dict[str, dict[str, Any]] = {}
    for name, da in ds.data_vars.items():
        chunks = tuple(1 if d in ("time", "pass") else da.sizes[d] for d in da.dims)
        enc[str(name)] = {"zlib": True, "complevel": 4, "chunksizes": chunks}
        enc[str(name)]["_FillValue"] = np.float32(np.nan) if da.dtype.kind == "f" else None
    for name in ("time", "time_bnds"):
        enc[name] = {
            "units": "days since 1970-01-01",
            "calendar": "proleptic_gregorian",
            "dtype": "float64",
        }
    return enc


def _harmonise(parts: list[Path]) -> list[xr.Dataset]:
    """Lazily open period files; each gets the union of variables (missing: NaN, count 0)."""
    opened = [xr.open_dataset(p, chunks={}) for p in parts]
    names = set().union(*(ds.data_vars for ds in opened))
    for ds in opened:
        for name in sorted(names - set(ds.data_vars)):
            src = next(o for o in opened if name in o.data_vars)[name]
            fill = 0 if src.dtype.kind in "iu" else np.nan
            ds[name] = xr.full_like(src.isel(time=[0]), fill).assign_coords(time=ds.time)
    return opened


def write_l3(
    periods: Iterable[xr.Dataset],
    path: str | os.PathLike[str],
    grid: GridSpec,
    period: Period,
    n_inputs: int = 0,
) -> Path:
    """Write the stream of period Datasets as one CF NetCDF-4 L3 file along ``time``, atomically.

    Each period goes to a temporary file as soon as it is made (memory stays bounded); they
    are then concatenated lazily (dask, one chunk per period) into ``path``.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        parts = []
        for i, ds in enumerate(periods):
            parts.append(tmpdir / f"{i:06d}.nc")
            ds.to_netcdf(parts[-1], encoding=_encoding(ds))
        if not parts:
            raise InputError("no valid observation in the input files", final)
        datasets = _harmonise(parts)
        out = xr.concat(
            datasets, "time", data_vars="all", coords="minimal", compat="override", join="override"
        )
        out.attrs = _global_attrs(grid, period, n_inputs)
        out = add_history(out, f"grid_files {period} {grid.res} deg -> {final.name}")
        with atomic_path(final) as tmp, dask.config.set(scheduler="synchronous"):
            out.to_netcdf(tmp, encoding=_encoding(out))  # one period chunk at a time
        for ds in datasets:
            ds.close()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return final


def open_l3(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    chunks: dict[str, int] | None = None,
) -> xr.Dataset:
    """Open one or many L3 files (or one Zarr store) as one Dataset along ``time``, lazily.

    ``chunks`` defaults to one period per chunk along ``time`` and whole maps otherwise.
    """
    files = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not files:
        raise InputError("no L3 file given")
    from fcspace.core.netcdf import check_file, read_guard
    from fcspace.core.zarr_store import is_zarr_store, open_zarr

    if len(files) == 1 and is_zarr_store(files[0]):  # written by write_l3_zarr
        ds = open_zarr(files[0], chunks)
        _check_l3(ds, files)
        return _masked_l3(ds).sortby("time")

    for f in files:
        if not Path(f).is_file():
            raise InputError("L3 file not found", f)
        check_file(f)
    with read_guard(files[0] if len(files) == 1 else ", ".join(map(str, files)), "L3 NetCDF"):
        ds = xr.open_mfdataset(
            sorted(str(f) for f in files),
            combine="nested",
            concat_dim="time",
            chunks=chunks or {},
            data_vars="all",
            coords="minimal",
            compat="override",
            join="override",
        )
        _check_l3(ds, files)
        return _masked_l3(ds).sortby("time")


def _masked_l3(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with every mean and spread outside its physical range (or infinite) as NaN, lazily.

    Ranges: :data:`~fcspace.cfosat.grid.spec.L3_RANGES`. The mask is applied chunk by chunk
    when the data are computed (the reader stays lazy), so the number of masked cells is not
    known when the file is opened; a clean file reads exactly as before (every value in range).
    """
    out = ds.copy()
    for name, da in ds.data_vars.items():
        bounds = l3_valid_range(str(name))
        if bounds is None or da.dtype.kind != "f":
            continue
        lo, hi = bounds
        ok = np.isfinite(da) & (da >= lo)
        if hi is not None:
            ok = ok & (da <= hi)
        out[name] = da.where(ok | np.isnan(da))
        out[name].attrs = dict(da.attrs)
        out[name].encoding = dict(da.encoding)
    return out


def _check_families(ds: xr.Dataset, where: Any) -> None:
    """Refuse an L3 where a family of variables is present but one of its variables is not.

    The writer (:func:`write_l3`) writes every variable of a family (means, spreads, count)
    together (:func:`~fcspace.cfosat.grid.spec.family_variables`).
    """
    for family in FAMILIES:
        names = family_variables(family)
        present = [n for n in names if n in ds.data_vars]
        missing = [n for n in names if n not in ds.data_vars]
        if present and missing:
            raise InputError(
                f"the {family} variables {present} are there but not {missing}: the writer "
                "writes them together",
                where,
                missing[0],
            )


def _check_l3(ds: xr.Dataset, files: list) -> None:
    """Refuse L3 coordinates that are not on the Earth or times that cannot be a CFOSat period.

    The coordinates are small (read at once); the fields stay lazy. CFOSat launch: 2018-10-29.
    """
    from fcspace.core.validation import NOW_PLUS_ONE_YEAR, ProductRules, VariableRule, apply_rules

    where = files[0] if len(files) == 1 else f"{len(files)} L3 files"
    rules = ProductRules(
        "fcspace CFOSat L3",
        (
            VariableRule("lat", -90.0, 90.0, action="refuse", required=True),
            VariableRule("lon", -180.0, 360.0, action="refuse", required=True),
            VariableRule("time", "2018-10-29", NOW_PLUS_ONE_YEAR, action="refuse", required=True),
        ),
    )
    apply_rules(ds[["lat", "lon", "time"]].load() if "time" in ds else ds, rules, where)
    _check_families(ds, where)
