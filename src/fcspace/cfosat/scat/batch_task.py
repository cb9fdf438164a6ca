"""SCAT's one-file batch task (``fcspace batch scat``): L1B → L2B on a dask worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fcspace.core.registry import BatchTask


def scat_task(src: Path, dst: Path) -> dict[str, Any]:
    """SCAT L1B → L2B (MLE inversion, 2DVAR), as ``fcspace scat process``; returns its summary."""
    from fcspace.cfosat.scat.process import process_file

    return process_file((src, dst))


def scat_output_name(src: Path) -> str:
    """L2B name of an L1B file: the names ``fcspace scat process --out-dir`` gives."""
    from fcspace.cfosat.scat.process import l2b_name  # one naming rule for both commands

    return l2b_name(src)


#: The task, registered in :mod:`fcspace.cfosat.scat.mission`.
TASK = BatchTask(
    "scat",
    scat_task,
    scat_output_name,
    "SCAT L1B → L2B (MLE + 2DVAR)",
    "SCAT L1B → L2B (MLE inversion, 2DVAR ambiguity removal), one task per L1B file.",
)
