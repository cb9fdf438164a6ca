"""Where the real instrument files live: the shared-data locator used by every test.

The real files (NSOAS SCAT L2B, AVISO SWIM L2P, SVOM notices, Fermi GBM TTE, ...) are not part
of the repository: they sit in ``../shared/data`` beside the checkout, or wherever
``$FCSPACE_SHARED_DATA`` says. Tests that need one call :func:`require_shared`, which skips
with the path it looked for when the file is absent, so that the suite passes on a fresh clone.
"""

from __future__ import annotations

import os
from pathlib import Path

from fcspace.core.shared_data import ENV_VAR, candidates, shared_data_dir

__all__ = ["ENV_VAR", "require_shared", "shared_data_dir", "shared_file"]


def shared_file(relpath: str | os.PathLike[str] = "") -> Path:
    """Path of ``relpath`` inside the shared-data folder (it may not exist).

    When no folder exists, the path is under the first place looked at, so that a message
    about a missing file says where it was expected.
    """
    return (shared_data_dir() or candidates()[0]) / relpath


def require_shared(relpath: str | os.PathLike[str] = "") -> Path:
    """:func:`shared_file`, or skip the calling pytest test when that path does not exist."""
    path = shared_file(relpath)
    if not path.exists():
        import pytest

        pytest.skip(f"real data not available: {path} (../shared/data or ${ENV_VAR})")
    return path
