"""A counting dask scheduler: fail a test when a lazy chain computes more often than intended.

A lazy chain (open L3 stacks with dask, compute indicators, write them) should run its graph
once; an accidental ``.values``, ``float(...)`` or ``bool(...)`` on a dask array in the middle
of it silently runs the whole graph again. Inside :func:`assert_computes` every execution of a
dask graph goes through a scheduler that counts it and refuses the one past the limit, naming
the count. The idea follows xarray's test helpers (``CountingScheduler`` and
``raise_if_dask_computes`` in ``xarray/tests/__init__.py``, after
https://stackoverflow.com/questions/53289286/), which use the same hook: a callable set as
``dask.config.set(scheduler=...)`` is called as ``scheduler(graph, keys, **kwargs)`` for each
``compute`` and takes precedence over a default distributed client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ComputeCounter", "assert_computes", "count_computes"]


class ComputeCounter:
    """A dask scheduler that runs each graph synchronously and counts the executions.

    Parameters
    ----------
    limit
        Most executions allowed; the next one raises AssertionError before running (None: no
        limit, only count).
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.count = 0

    def __call__(self, dsk: Any, keys: Any, **kwargs: Any) -> Any:
        """Count one execution of the graph ``dsk``; run it with the synchronous scheduler."""
        import dask

        self.count += 1
        if self.limit is not None and self.count > self.limit:
            raise AssertionError(self.message())
        return dask.get(dsk, keys, **kwargs)

    def message(self) -> str:
        """What went wrong, for the assertion."""
        return f"dask computed {self.count} times, expected at most {self.limit}"


@contextmanager
def count_computes(limit: int | None = None) -> Iterator[ComputeCounter]:
    """Route every dask compute in the block through a :class:`ComputeCounter` and yield it.

    The counter's ``count`` holds the number of graph executions so far (also after the block).
    """
    import dask

    counter = ComputeCounter(limit)
    with dask.config.set(scheduler=counter):
        yield counter


@contextmanager
def assert_computes(n: int, exact: bool = False) -> Iterator[ComputeCounter]:
    """Fail when the block computes dask graphs more than ``n`` times (``exact``: not ``n``).

    The compute past the limit raises at once, so the traceback points at it; the count is
    checked again on leaving the block, in case code in between swallowed the exception.

    Examples
    --------
    >>> import dask.array as da
    >>> x = da.ones(10, chunks=5)
    >>> with assert_computes(1):
    ...     total = float(x.sum().compute())
    """
    with count_computes(limit=n) as counter:
        yield counter
    if counter.count > n or (exact and counter.count != n):
        wanted = "exactly" if exact else "at most"
        raise AssertionError(f"dask computed {counter.count} times, expected {wanted} {n}")
