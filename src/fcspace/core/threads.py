"""Thread limits of the native thread pools (BLAS, OpenMP) inside fcspace's numeric sections.

fcspace parallelises across files and orbits (dask workers, DESIGN.md "Scaling out"); a BLAS
library that also starts one thread per core inside every worker multiplies the threads and
oversubscribes the cores (on the 2-core test machine the 2DVAR benchmark ran 3-4 times
slower in wall time than on one thread). The heavy numeric sections of the library
(2DVAR minimisation, wind inversion) therefore run inside :func:`limited_threads`, which
caps the pools of the BLAS and OpenMP libraries loaded in the process with threadpoolctl
(https://github.com/joblib/threadpoolctl) and restores them on exit, whatever the
environment variables say.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["limited_threads", "thread_counts"]


@contextmanager
def limited_threads(limit: int = 1, user_api: str | None = "blas") -> Iterator[None]:
    """Cap the native thread pools to ``limit`` threads inside the ``with`` block.

    Parameters
    ----------
    limit
        Threads each pool may use (at least 1).
    user_api
        ``"blas"``, ``"openmp"`` or None for both (threadpoolctl's ``user_api``).

    Examples
    --------
    >>> with limited_threads(1):
    ...     pass  # BLAS calls here run on one thread
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=max(int(limit), 1), user_api=user_api):
        yield


def thread_counts(user_api: str | None = "blas") -> dict[str, int]:
    """Current thread count of every loaded native pool of ``user_api``, keyed by its file."""
    from threadpoolctl import threadpool_info

    return {
        info["filepath"]: int(info["num_threads"])
        for info in threadpool_info()
        if user_api is None or info["user_api"] == user_api
    }
