"""Scaling out: one task per file on dask.distributed, with a progress bar.

Each L1→L2 step is a function of one file; many files run as one task each
(``client.map``), each task writing its own product, never one huge graph over the archive
(DESIGN.md "Scaling out"; NetCDF writes stay inside the task, xarray issues #6300, #7079).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from fcspace.core.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")


@contextlib.contextmanager
def dask_client(
    n_tasks: int, scheduler: str | None = None, n_workers: int | None = None
) -> Iterator[Any]:
    """Yield a ``distributed.Client`` fit for ``n_tasks`` tasks, or ``None`` for a single one.

    Parameters
    ----------
    n_tasks
        Number of independent tasks (files, orbits) to run.
    scheduler
        Address of a running scheduler (``tcp://host:8786``) for a real cluster, started for
        example with dask-jobqueue on SLURM/PBS. When given, it is always used.
    n_workers
        Workers of the LocalCluster started when ``scheduler`` is None and ``n_tasks > 1``;
        default: the number of cores, one thread each (the kernels hold the GIL).
    """
    if scheduler is None and n_tasks <= 1:
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as err:
            raise ConfigError(f"cannot reach dask scheduler at {scheduler!r}: {err}") from err
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_batch(
    func: Callable[[T], R],
    items: Sequence[T],
    scheduler: str | None = None,
    n_workers: int | None = None,
    progress: bool = True,
    description: str = "processing",
    retries: int = 1,
) -> list[R]:
    """Apply ``func`` to every item, one task per item; return results in input order.

    Runs in this process when there is a single item and no scheduler, otherwise on
    dask.distributed. A task that raises is retried ``retries`` times, then its exception is
    raised here (after the other tasks ran, so that their products are kept).
    """
    from rich.progress import Progress

    results: list[Any] = [None] * len(items)
    with (
        dask_client(len(items), scheduler, n_workers) as client,
        Progress(disable=not progress, transient=True) as bar,
    ):
        task = bar.add_task(description, total=len(items))
        if client is None:
            for i, item in enumerate(items):
                results[i] = func(item)
                bar.advance(task)
            return results
        results = _gather(client, func, items, retries, lambda: bar.advance(task))
    return results


def _gather(client: Any, func: Callable, items: Sequence, retries: int, tick: Callable) -> list:
    from distributed import as_completed

    futures = client.map(func, items, retries=retries, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(items)
    first_error: BaseException | None = None
    for fut in as_completed(futures):
        try:
            results[index[fut.key]] = fut.result()
        except Exception as err:  # noqa: BLE001 - re-raised below once all tasks are done
            first_error = first_error or err
        tick()
    if first_error is not None:
        raise first_error
    return results
