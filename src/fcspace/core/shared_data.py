"""Where the real mission files are: the ../shared/data folder beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the shared-data folder explicitly.
ENV_VAR = "FCSPACE_SHARED_DATA"


def shared_data_dir() -> Path | None:
    """The ../shared/data folder: $FCSPACE_SHARED_DATA, beside the checkout, or beside cwd.

    None when none of them is a folder.
    """
    candidates = [os.environ.get(ENV_VAR)]
    # src/fcspace/core/shared_data.py → the checkout is parents[3], its parent parents[4]
    candidates += [str(Path(__file__).resolve().parents[4] / "shared" / "data")]
    candidates += [str(Path.cwd().parent / "shared" / "data")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None
