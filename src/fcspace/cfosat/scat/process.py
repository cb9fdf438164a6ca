"""The SCAT L1B → L2B chain: MLE inversion, then 2DVAR ambiguity removal, then the product.

``l1b_to_l2b`` is pure (Dataset in, Dataset out); ``process_file`` is the one-file task that
``fcspace scat process`` maps over many files with dask (DESIGN.md "Scaling out"): it reads,
retrieves and writes its own product atomically, and returns a small summary.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xarray as xr

from fcspace.cfosat.scat.ambiguity import remove_ambiguities
from fcspace.cfosat.scat.input_checks import validate_l1b_inputs
from fcspace.cfosat.scat.inversion import invert
from fcspace.cfosat.scat.io import l2b_summary, open_l1b, write_l2b
from fcspace.core.cli import level_name
from fcspace.core.products import add_history


def l1b_to_l2b(l1b: xr.Dataset, model: str = "nscat4ds") -> xr.Dataset:
    """Retrieve wind ambiguities by MLE and select one per cell by 2DVAR.

    See :func:`fcspace.cfosat.scat.inversion.invert` (Stoffelen & Portabella 2006) and
    :func:`fcspace.cfosat.scat.ambiguity.remove_ambiguities` (Vogelzang 2009).
    """
    l2b = remove_ambiguities(invert(validate_l1b_inputs(l1b), model=model))
    l2b.attrs.update({k: v for k, v in l1b.attrs.items() if k not in ("history",)})
    l2b.attrs["history"] = l1b.attrs.get("history", "")
    l2b.attrs["processing_level"] = "L2B"
    return add_history(l2b, f"MLE inversion ({model}) and 2DVAR ambiguity removal")


def process_file(task: tuple[str | os.PathLike[str], str | os.PathLike[str]]) -> dict[str, Any]:
    """Process one L1B file into one L2B file; ``task`` is ``(l1b_path, l2b_path)``."""
    src, dst = task
    l2b = l1b_to_l2b(open_l1b(src))
    write_l2b(l2b, dst)
    return {"input": str(src), "output": str(Path(dst))} | l2b_summary(l2b)


def l2b_name(l1b: Path) -> str:
    """Product name for an L1B file: its L1B tag turned into L2B, else an ``_l2b`` suffix."""
    return level_name(l1b, "L1B", "L2B")
