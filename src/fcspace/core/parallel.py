"""Scaling out: one task per file on dask.distributed, with a progress bar.

Each L1→L2 step is a function of one file; many files run as one task each
(``client.map``), each task writing its own product, never one huge graph over the archive
(DESIGN.md "Scaling out"; NetCDF writes stay inside the task, xarray issues #6300, #7079).

:func:`dask_client` makes the client (none, a LocalCluster, or a running scheduler),
:func:`map_completed` runs one task per item and yields each outcome as it finishes, and
:func:`run_batch` puts both together with a progress bar. :func:`dashboard_link` says where the
dask dashboard is, or that it is not available (it needs bokeh).
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

from fcspace.core.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

#: What :func:`dashboard_link` says when the scheduler serves no dashboard.
DASHBOARD_UNAVAILABLE = "dashboard not available (install bokeh)"


def bokeh_available() -> bool:
    """Whether bokeh, which the dask dashboard needs, is importable here."""
    return importlib.util.find_spec("bokeh") is not None


@contextlib.contextmanager
def dask_client(
    n_tasks: int,
    scheduler: str | None = None,
    n_workers: int | None = None,
    dashboard: bool = False,
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
    dashboard
        Serve the dask dashboard of the LocalCluster on 127.0.0.1 (random free port) when
        bokeh is installed; without bokeh, or when False, the LocalCluster has none.

    Raises
    ------
    ConfigError
        The scheduler cannot be reached within 10 s.
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
    serve = dashboard and bokeh_available()
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # a free port, never dask's fixed 8787 (two runs on one machine would collide);
            # no dashboard server at all unless asked for
            dashboard_address="127.0.0.1:0" if serve else None,
            scheduler_kwargs={"dashboard": bool(serve)},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def dashboard_link(client: Any) -> str:
    """The dashboard address of ``client``'s scheduler, or :data:`DASHBOARD_UNAVAILABLE`.

    The scheduler is asked whether it has bokeh (without it, dask serves no dashboard even
    though it reports an address); if it cannot tell, the address dask reports is returned.
    ``None`` (work run in this process) has no dashboard.
    """
    if client is None:
        return DASHBOARD_UNAVAILABLE

    def scheduler_has_bokeh() -> bool:  # nested: pickled by value, fcspace not needed there
        return importlib.util.find_spec("bokeh") is not None

    try:
        has_bokeh = bool(client.run_on_scheduler(scheduler_has_bokeh))
    except Exception:  # noqa: BLE001 - an old or locked-down scheduler: trust its address
        has_bokeh = True
    return str(client.dashboard_link) if has_bokeh else DASHBOARD_UNAVAILABLE


def map_completed(
    client: Any, func: Callable[[T], R], items: Sequence[T], retries: int = 1
) -> Iterator[tuple[int, R | None, BaseException | None]]:
    """Run ``func`` on every item, one task each; yield ``(index, result, error)`` as they end.

    Parameters
    ----------
    client
        A ``distributed.Client`` (``client.map`` + ``as_completed``), or ``None`` to run the
        items one after the other in this process.
    func
        The one-item task; it must be picklable (a module-level function or a partial of one).
    items
        The task arguments, one task each.
    retries
        Times dask runs again a task that raised. A task whose worker died (killed process,
        out of memory) is rescheduled on another worker by the scheduler whatever this value,
        up to ``distributed.scheduler.allowed-failures`` times (then ``KilledWorker``).

    Yields
    ------
    tuple
        ``(index in items, result or None, exception or None)``, in completion order.

    Notes
    -----
    Closing the generator early (an interrupt in the caller) cancels the tasks not yet run.
    """
    if client is None:
        for i, item in enumerate(items):
            try:
                result = func(item)
            except Exception as err:  # noqa: BLE001 - handed to the caller with its index
                yield i, None, err
            else:
                yield i, result, None
        return
    import cloudpickle
    from distributed import as_completed

    # Ship func as cloudpickle bytes: distributed pickles a task by reference where it can, and
    # a function of a script, notebook or by-value module (cloudpickle.register_pickle_by_value)
    # would not import on the workers.
    shipped = partial(_call_shipped, cloudpickle.dumps(func))
    futures = client.map(shipped, list(items), retries=retries, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    pending = as_completed(futures)
    # Hold no future once its result is read: a result the client still wants is recomputed
    # when the worker holding it dies, which would run a finished file's task a second time.
    del futures
    try:
        for fut in pending:
            try:
                result = fut.result()
            except Exception as err:  # noqa: BLE001 - handed to the caller with its index
                result, error = None, err
            else:
                error = None
            fut.release()
            yield index[fut.key], result, error
    finally:
        client.cancel(list(pending.futures))


def _call_shipped(shipped: bytes, item: Any) -> Any:
    """Unpickle a function sent by :func:`map_completed` and apply it (runs on a worker)."""
    import cloudpickle

    return cloudpickle.loads(shipped)(item)


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
    from fcspace.core.progress import progress_bar

    results: list[Any] = [None] * len(items)
    first_error: BaseException | None = None
    with (
        dask_client(len(items), scheduler, n_workers) as client,
        progress_bar(progress, description, total=len(items)) as update,
    ):
        for done, (i, result, error) in enumerate(map_completed(client, func, items, retries)):
            results[i] = result
            first_error = first_error or error
            update(done + 1)
    if first_error is not None:
        raise first_error
    return results
