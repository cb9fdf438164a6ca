"""Where the real instrument files live: the shared-data locator used by every test.

The real files (NSOAS SCAT L2B, AVISO SWIM L2P, SVOM notices, Fermi GBM TTE, ...) are not part
of the repository: they sit in ``../shared/data`` beside the checkout, or wherever
``$FCSPACE_SHARED_DATA`` says. Tests that need one call :func:`require_shared`, which skips
with the path it looked for when the file is absent, so that the suite passes on a fresh clone.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "require_shared", "shared_data_dir", "shared_file"]

#: Environment variable naming the shared-data folder (it wins over the default places).
ENV_VAR = "FCSPACE_SHARED_DATA"


def _candidates() -> list[Path]:
    """Places looked at, in order: $FCSPACE_SHARED_DATA, beside the checkout, beside cwd."""
    env = os.environ.get(ENV_VAR)
    if env:
        return [Path(env)]
    # src/fcspace/testing/data.py -> the checkout is parents[3], its folder parents[4]
    beside_checkout = Path(__file__).resolve().parents[4] / "shared" / "data"
    return [beside_checkout, Path.cwd().parent / "shared" / "data"]


def shared_data_dir() -> Path | None:
    """The shared-data folder if it exists, else None.

    ``$FCSPACE_SHARED_DATA`` when set (None when it names no folder), else ``../shared/data``
    beside the checkout, else ``../shared/data`` beside the current directory.
    """
    return next((c for c in _candidates() if c.is_dir()), None)


def shared_file(relpath: str | os.PathLike[str] = "") -> Path:
    """Path of ``relpath`` inside the shared-data folder (it may not exist).

    When no folder exists, the path is under the first place looked at, so that a message
    about a missing file says where it was expected.
    """
    return (shared_data_dir() or _candidates()[0]) / relpath


def require_shared(relpath: str | os.PathLike[str] = "") -> Path:
    """:func:`shared_file`, or skip the calling pytest test when that path does not exist."""
    path = shared_file(relpath)
    if not path.exists():
        import pytest

        pytest.skip(f"real data not available: {path} (../shared/data or ${ENV_VAR})")
    return path
