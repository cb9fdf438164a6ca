"""Streaming of L2 files into per-period L3 grids, in time order, serially or on dask.

Files are binned one task each (:func:`bin_file`); their small sparse accumulators are summed
into the :class:`~fcspace.cfosat.grid.accumulate.PeriodGrid` of each period, and a period is
finalised as soon as the time-ordered input moves past it, so memory is bounded by the grid
size, not by the number of periods.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.grid.accumulate import Accumulator, PeriodGrid
from fcspace.cfosat.grid.io import open_l2, start_time
from fcspace.cfosat.grid.observations import bin_dataset
from fcspace.cfosat.grid.spec import GridSpec, Period
from fcspace.core.errors import InputError


def bin_file(
    path: str | os.PathLike[str],
    grid: GridSpec,
    period: Period = "daily",
    split_passes: bool = False,
) -> dict[tuple[np.datetime64, str], Accumulator]:
    """:func:`bin_dataset` of one L2 file (a task of a parallel run)."""
    return bin_dataset(open_l2(path), grid, period, split_passes)


def _binned(
    paths: Sequence[str | os.PathLike[str]],
    binner: Callable[[Any], dict],
    client: Any,
    batch: int,
) -> Iterator[dict]:
    """Per-file accumulators in input order, serially or ``batch`` files at a time on dask."""
    if client is None:
        yield from (binner(p) for p in paths)
        return
    for i in range(0, len(paths), batch):
        futures = client.map(binner, list(paths[i : i + batch]), pure=False)
        yield from client.gather(futures)


def grid_files(
    paths: Sequence[str | os.PathLike[str]],
    grid: GridSpec,
    period: Period = "daily",
    split_passes: bool = False,
    client: Any = None,
    batch: int = 8,
) -> Iterator[xr.Dataset]:
    """Stream L2 files into per-period grids; yield one L3 Dataset per period, in time order.

    Parameters
    ----------
    paths
        SCAT L2B and/or SWIM L2 files, in any order: they are streamed in the order of their
        earliest time (:func:`start_time`), and a period is finalised (written out of memory)
        once a file starts after it.
    grid, period, split_passes
        Grid, ``daily`` or ``monthly``, and whether to keep a ``pass`` dimension.
    client
        Optional ``distributed.Client``: files are binned ``batch`` at a time as tasks and the
        small sparse accumulators are merged here.

    Yields
    ------
    xarray.Dataset
        L3 of one period (:meth:`PeriodGrid.to_dataset`). Peak memory: the
        :class:`PeriodGrid` of the periods one file spans (usually one) plus that file,
        independent of the number of periods.
    """
    from functools import partial

    binner = partial(bin_file, grid=grid, period=period, split_passes=split_passes)
    starts = [start_time(p) for p in paths]
    order = sorted(range(len(paths)), key=lambda i: (np.isnat(starts[i]), starts[i], str(paths[i])))
    paths = [paths[i] for i in order]
    n_pass = 2 if split_passes else 1
    open_grids: dict[np.datetime64, PeriodGrid] = {}
    done: set[np.datetime64] = set()
    for path, parts in zip(paths, _binned(paths, binner, client, batch), strict=True):
        first = min((k for k, _ in parts), default=None)
        # finalise the periods this file starts after *before* adding it: at most the periods
        # the file itself spans are held in memory
        for key in sorted(k for k in open_grids if first is not None and k < first):
            done.add(key)
            yield open_grids.pop(key).to_dataset()
        for (key, _family), acc in parts.items():
            if key in done:
                raise InputError(f"data for period {key} after it was finalised", path)
            open_grids.setdefault(key, PeriodGrid(grid, key, period, n_pass)).add(acc)
    for key in sorted(open_grids):
        yield open_grids.pop(key).to_dataset()
