"""L3 grids written to a Zarr store period by period, new or appended along time.

The NetCDF writer (:func:`fcspace.cfosat.grid.io.write_l3`) and this one take the same stream
of period Datasets (:func:`fcspace.cfosat.grid.grid_files`), one at a time, so memory stays at
one period whatever the length of the archive; the Zarr store holds one period per chunk along
``time`` (:mod:`fcspace.core.zarr_store`), so a daily or monthly run appends to a multi-year
store without rewriting it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import xarray as xr

from fcspace.cfosat.grid.io import _global_attrs
from fcspace.cfosat.grid.spec import GridSpec, Period
from fcspace.core.errors import InputError
from fcspace.core.products import add_history
from fcspace.core.zarr_store import append_zarr, is_zarr_store, replace_store

__all__ = ["write_l3_zarr"]


def write_l3_zarr(
    periods: Iterable[xr.Dataset],
    path: str | os.PathLike[str],
    grid: GridSpec,
    period: Period,
    n_inputs: int = 0,
    append: bool = False,
) -> Path:
    """Write the stream of period Datasets to a Zarr store along ``time``.

    ``append=False``: a new store, built under a temporary name and renamed into place when
    complete (an existing store at ``path`` is replaced then). ``append=True``: each period is
    appended to the store at ``path`` (created if absent); periods must come after its last.
    """
    final = Path(path)
    if final.exists() and not is_zarr_store(final):
        raise InputError("exists and is not a Zarr store: refusing to write over it", path=final)
    final.parent.mkdir(parents=True, exist_ok=True)
    target = final
    tmpdir = None
    if not append:
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
        target = tmpdir / final.name
    try:
        n = 0
        for ds in periods:
            out = ds.copy()
            out.attrs = _global_attrs(grid, period, n_inputs)
            out = add_history(out, f"grid_files {period} {grid.res} deg -> {final.name} (Zarr)")
            append_zarr(out, target, fill_missing=True)
            n += 1
        if n == 0:
            raise InputError("no valid observation in the input files", final)
        if tmpdir is not None:
            replace_store(target, final)
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return final
