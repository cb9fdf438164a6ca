"""Where the real mission files are: the ../shared/data folder beside the checkout.

One locator for the demo, the benchmarks and the tests (:mod:`fcspace.testing.data` adds the
pytest skip on top of it).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "candidates", "shared_data_dir"]

#: Environment variable naming the shared-data folder explicitly (it wins over the defaults).
ENV_VAR = "FCSPACE_SHARED_DATA"


def candidates() -> list[Path]:
    """Places looked at, in order.

    $FCSPACE_SHARED_DATA alone when it is set; else beside the checkout, then beside the
    current directory.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return [Path(env)]
    # src/fcspace/core/shared_data.py → the checkout is parents[3], its folder parents[4]
    beside_checkout = Path(__file__).resolve().parents[4] / "shared" / "data"
    return [beside_checkout, Path.cwd().parent / "shared" / "data"]


def shared_data_dir() -> Path | None:
    """The first of :func:`candidates` that is a folder, else None."""
    return next((c for c in candidates() if c.is_dir()), None)
