"""Gridded products (L3 grids, climate indicators) in Zarr stores: written whole, appended in time.

Archive teams keep multi-year grids in Zarr (object stores, parallel reads); fcspace writes the
same Dataset it writes to NetCDF, chunked one time step per chunk and whole maps otherwise, so a
new day or month is appended without rewriting the store (Zarr v3 specification,
https://zarr-specs.readthedocs.io/; xarray ``to_zarr(append_dim=...)``).

Never a partial product: a new store is written under a temporary name in the same folder and
renamed into place. An append checks, before writing, that the new steps come after the
store's last one and that variables, dimensions and the grid match; if the write fails, the
arrays that grow along time are cut back to their previous length, so the store holds what it
held before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError

__all__ = [
    "append_zarr",
    "is_zarr_store",
    "open_zarr",
    "replace_store",
    "write_zarr",
    "zarr_encoding",
]

TIME = "time"


def is_zarr_store(path: str | os.PathLike[str]) -> bool:
    """True for a folder holding Zarr metadata (v3 ``zarr.json`` or v2 ``.zgroup``)."""
    p = Path(path)
    return p.is_dir() and ((p / "zarr.json").is_file() or (p / ".zgroup").is_file())


def zarr_encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    """Chunks of one time step and whole maps; times as float days since 1970 (as in NetCDF)."""
    enc: dict[str, dict[str, Any]] = {}
    for name, da in ds.variables.items():
        if da.ndim == 0 or name in ds.dims and name != TIME:
            continue
        chunks = tuple(1 if d == TIME else da.sizes[d] for d in da.dims)
        enc[str(name)] = {"chunks": chunks}
        if np.issubdtype(da.dtype, np.datetime64):
            enc[str(name)].update(units="days since 1970-01-01", calendar="proleptic_gregorian",
                                  dtype="float64")  # fmt: skip
    return enc


def write_zarr(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``ds`` as a new Zarr store at ``path``, atomically (temporary folder, rename).

    An existing store at ``path`` is replaced only once the new one is complete.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and not is_zarr_store(final):
        raise InputError("exists and is not a Zarr store: refusing to replace it", path=final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        ds.to_zarr(tmp, mode="w", encoding=zarr_encoding(ds), consolidated=False)
        replace_store(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def replace_store(complete: Path, final: Path) -> None:
    """Put the complete store ``complete`` at ``final`` (an old store there is replaced).

    The old store is moved aside first and removed only once the new one is in place, so a
    failure leaves one or the other, never a mixture.
    """
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        final.rename(old)
        complete.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        complete.rename(final)


def open_zarr(path: str | os.PathLike[str], chunks: dict[str, int] | None = None) -> xr.Dataset:
    """Open a Zarr store lazily (dask, the store's own chunks by default)."""
    p = Path(path)
    if not is_zarr_store(p):
        raise InputError("not a Zarr store (no zarr.json or .zgroup)", path=p)
    try:
        return xr.open_zarr(p, chunks=chunks if chunks is not None else {}, consolidated=False)
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"unreadable Zarr store ({type(err).__name__}: {err})", path=p) from None


def _check_append(store: xr.Dataset, new: xr.Dataset, path: Path) -> None:
    """Refuse an append that would not extend the store cleanly along time."""
    if TIME not in new.dims or TIME not in store.dims:
        raise InputError("append needs a 'time' dimension in the store and the new data", path)
    if set(new.data_vars) != set(store.data_vars):
        diff = sorted(set(new.data_vars) ^ set(store.data_vars))
        raise InputError(f"variables differ from the store's: {diff}", path=path)
    for name in new.dims:
        if name != TIME and new.sizes[name] != store.sizes.get(name):
            raise InputError(f"dimension {name!r} is {new.sizes[name]}, the store's "
                             f"{store.sizes.get(name)}", path=path)  # fmt: skip
        if name in new.coords and name != TIME:
            if not np.array_equal(new[name].values, store[name].values):
                raise InputError("grid differs from the store's", path=path, variable=str(name))
    t_new = new[TIME].values
    if np.any(np.diff(t_new) <= np.timedelta64(0)) or t_new[0] <= store[TIME].values[-1]:
        raise InputError(f"new times must follow the store's last ({store[TIME].values[-1]}) in "
                         "increasing order", path=path, variable=TIME)  # fmt: skip


def _fill_missing(ds: xr.Dataset, store: xr.Dataset, path: Path) -> xr.Dataset:
    """``ds`` with the store's variables it lacks (NaN, or 0 for integer counts).

    A period without SWIM data has no wave variables (as the NetCDF writer harmonises them);
    a variable the store lacks cannot be added to its past steps and is refused.
    """
    extra = sorted(set(ds.data_vars) - set(store.data_vars))
    if extra:
        raise InputError(f"variables {extra} are not in the store", path=path)
    for name in sorted(set(store.data_vars) - set(ds.data_vars)):
        src = store[name]
        fill = 0 if src.dtype.kind in "iu" else np.nan
        shape = tuple(ds.sizes[d] if d in ds.dims else src.sizes[d] for d in src.dims)
        ds[name] = (src.dims, np.full(shape, fill, dtype=src.dtype), src.attrs)
    return ds


def append_zarr(
    ds: xr.Dataset, path: str | os.PathLike[str], fill_missing: bool = False
) -> Path:
    """Append ``ds`` along ``time`` to the store at ``path`` (created if absent).

    The store keeps its encoding (chunks, time units); on failure the arrays that grow along
    time are resized back, so no partly written step stays in the store. ``fill_missing``:
    variables of the store that ``ds`` lacks are added empty (NaN, zero counts) instead of
    refused.
    """
    import zarr

    p = Path(path)
    if not p.exists():
        return write_zarr(ds, p)
    store = open_zarr(p)  # opened once: checks, filling and roll-back use it
    if fill_missing:
        ds = _fill_missing(ds.copy(), store, p)
    _check_append(store, ds, p)
    n_before = store.sizes[TIME]
    grown = [str(k) for k, v in store.variables.items() if TIME in v.dims]
    store.close()
    try:
        ds.to_zarr(p, mode="a", append_dim=TIME, consolidated=False)
    except BaseException:
        group = zarr.open_group(str(p), mode="r+")
        for name in grown:
            arr = group[name]
            axis = store[name].dims.index(TIME)
            shape = list(arr.shape)
            shape[axis] = n_before
            arr.resize(tuple(shape))
        raise
    return p
