"""Water-cycle L2 against the truth it carries: bias, RMSE and N per surface type.

Scores with :mod:`fcspace.core.stats` (bias = mean(estimate - truth), RMSE); cells flagged
``coast`` (within :data:`fcspace.watercycle.retrieve.COAST_CELLS` of the other surface type,
where the instrument's footprint mixes land and sea) are scored apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.stats import bias, rmse

__all__ = ["validate_product"]

_PAIRS = (
    ("soil_moisture", "truth_soil_moisture", "land"),
    ("optical_depth", "truth_optical_depth", "land"),
    ("sss", "truth_sss", "sea"),
)


def _score(est: np.ndarray, ref: np.ndarray) -> dict[str, float]:
    ok = np.isfinite(est) & np.isfinite(ref)
    if not ok.any():
        return {"n": 0, "bias": float("nan"), "rmse": float("nan")}
    return {"n": int(ok.sum()), "bias": bias(est[ok], ref[ok]), "rmse": rmse(est[ok], ref[ok])}


def validate_product(l2: xr.Dataset) -> dict[str, Any]:
    """Scores of a retrieved product (:func:`fcspace.watercycle.retrieve.retrieve_pass`).

    Returns
    -------
    dict
        For each of ``soil_moisture``, ``optical_depth``, ``sss``: ``{"open": {n, bias,
        rmse}, "coast": {...}}`` (open: cells off the coast band), and ``n_cells``.

    Raises
    ------
    InputError
        The product lacks ``flags`` or a retrieved variable with its ``truth_*``.
    """
    from fcspace.watercycle.retrieve import FLAGS

    if "flags" not in l2:
        raise InputError("product lacks 'flags'", variable="flags")
    flags = l2["flags"].values.astype(int)
    coast = (flags & FLAGS["coast"]) != 0
    out: dict[str, Any] = {"n_cells": int(flags.size)}
    for name, truth, surface in _PAIRS:
        for need in (name, truth):
            if need not in l2:
                raise InputError(f"product lacks {need!r}", variable=need)
        on = (flags & FLAGS[surface]) != 0
        est, ref = l2[name].values, l2[truth].values
        out[name] = {"open": _score(est[on & ~coast], ref[on & ~coast]),
                     "coast": _score(est[on & coast], ref[on & coast])}  # fmt: skip
    return out
