"""What the SCAT L1B reader, the L1B -> L2B processor and the simulator accept.

The L1B rules are data (:data:`L1B_RULES`, applied by :func:`fcspace.cfosat.scat.io.open_l1b`;
:data:`L1B_INPUT_RULES`, the variables the inversion uses, applied by
:func:`validate_l1b_inputs` before every inversion) in the form of
:mod:`fcspace.core.validation`. Out-of-range views are masked (NaN; ``fcspace_masked_out_of_range``
counts them); what means the file is not an L1B in linear units is refused with an
:class:`~fcspace.core.errors.InputError` naming the file and the variable: incidence angles
outside 0-90 degrees, no positive sigma0 (all NaN or <= 0: the inversion would return the top of
the GMF table, 50 m/s, everywhere), sigma0 whose median is <= 0 (values in dB, not linear),
all-fill positions, Kp, azimuths, incidences or polarisations (no view could be used: the
inversion would write an L2B without a single wind), row times before the CFOSat launch or out
of order.
:func:`check_simulation_inputs` checks the simulator's arrays and parameters.

Sources: sigma0 is linear, Kp >= 0 and polarisation/look are flag values, as in
``docs/scat_layout.md``; incidence is an angle from the vertical (0-90 deg; CFOSat SCAT sees
18-51 deg, Liu et al. 2020, IEEE TGRS 58(12)); measured sigma0 = true (1 + Kp eps) may be
negative for a few views at low SNR but not in the bulk (Pierson 1989, JGR 94(C4)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat.product_specs import CFOSAT_LAUNCH, OUT_OF_RANGE_FLAG
from fcspace.core.errors import InputError
from fcspace.core.validation import (
    NOW_PLUS_ONE_YEAR,
    ProductRules,
    VariableRule,
    apply_rules,
    check_range,
)

__all__ = [
    "L1B_INPUT_RULES",
    "L1B_RULES",
    "check_simulation_inputs",
    "validate_l1b_inputs",
]

_VIEW = ("numrows", "numcells", "numviews")
_CELL = _VIEW[:2]

_INPUTS = (
    VariableRule("sigma0", dims=_VIEW, required=True),  # finite (infinities masked)
    VariableRule("kp", 0.0, 10.0, dims=_VIEW, required=True, refuse_all_fill=True),
    VariableRule("azimuth", -360.0, 360.0, dims=_VIEW, required=True, refuse_all_fill=True),
    VariableRule("incidence", 0.0, 90.0, dims=_VIEW, required=True, action="refuse",
                 refuse_all_fill=True),
    VariableRule("polarisation", 0, 1, fill=-1, dims=_VIEW, required=True,
                 refuse_all_fill=True),
    VariableRule("look", 0, 1, fill=-1, dims=_VIEW),
    VariableRule("wvc_lat", -90.0, 90.0, dims=_CELL, refuse_all_fill=True,
                 also_mask=("wvc_lon",)),
    VariableRule("wvc_lon", -360.0, 360.0, dims=_CELL, refuse_all_fill=True,
                 also_mask=("wvc_lat",)),
    VariableRule("model_speed", 0.0, 100.0, dims=_CELL),
    VariableRule("model_dir", 0.0, 360.0, dims=_CELL),
)  # fmt: skip

#: What the inversion reads (the processor's input check, on in-memory data).
L1B_INPUT_RULES = ProductRules("fcspace SCAT L1B (inversion inputs)", _INPUTS, OUT_OF_RANGE_FLAG,
                               _CELL)  # fmt: skip

#: An L1B file: the inputs, plus row times within the mission and in order.
L1B_RULES = ProductRules(
    "fcspace SCAT L1B",
    (
        *_INPUTS,
        VariableRule("row_time", CFOSAT_LAUNCH, NOW_PLUS_ONE_YEAR, dims=("numrows",),
                     action="refuse", monotonic=True),
    ),
    OUT_OF_RANGE_FLAG,
    _CELL,
)  # fmt: skip


def validate_l1b_inputs(
    l1b: xr.Dataset, path: Any = None, rules: ProductRules = L1B_INPUT_RULES
) -> xr.Dataset:
    """``l1b`` checked for the inversion: rules applied, then at least some positive sigma0.

    Returns ``l1b`` itself when it is clean, else a copy with out-of-range views masked.

    Raises
    ------
    InputError
        Naming ``path`` (the file, or ``l1b.encoding["source"]``) and the variable: a rule's
        refusal, or "no valid sigma0" when no view has a positive finite sigma0 or when the
        median sigma0 is <= 0.
    """
    path = path if path is not None else l1b.encoding.get("source")
    out = apply_rules(l1b, rules, path)
    s0 = np.asarray(out["sigma0"].values, dtype=np.float64)
    s0 = s0[np.isfinite(s0)]
    if not (s0 > 0).any():
        raise InputError(
            f"no valid sigma0: none of {s0.size} finite values is positive (linear units "
            "expected; nothing to invert)",
            path,
            "sigma0",
        )
    median = float(np.median(s0))
    if median <= 0:
        raise InputError(
            f"no valid sigma0: the median of {s0.size} values is {median:.4g} <= 0 (dB instead "
            "of linear units?)",
            path,
            "sigma0",
        )
    return out


def _finite_array(name: str, values: Any, lo: float | None, hi: float | None) -> np.ndarray:
    """Refuse infinities and values outside [lo, hi]; NaN (a missing cell) passes, all-NaN not."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"not an array of numbers ({err})", variable=name) from err
    if arr.size and np.isnan(arr).all():
        raise InputError(f"all {arr.size} values are NaN", variable=name)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(arr)
        if lo is not None:
            bad |= arr < lo
        if hi is not None:
            bad |= arr > hi
    if bad.any():
        example = arr[bad].ravel()[0]
        raise InputError(
            f"{int(bad.sum())} value(s) infinite or outside [{lo}, {hi}] (e.g. {example:.6g})",
            variable=name,
        )
    return arr


def check_simulation_inputs(
    truth_speed: Any,
    truth_dir: Any,
    lat: Any,
    lon: Any,
    rotation_phase_deg: float | None = None,
    max_views: int | None = None,
) -> None:
    """Refuse truth winds, positions and parameters that the simulator cannot stand for.

    Speeds in 0-100 m/s (the simulator clips them to the GMF table's 0.2-50 m/s, as
    documented; a negative speed is an error, not a calm), latitudes in [-90, 90], no infinite
    value anywhere (NaN marks a missing cell; an all-NaN array is refused), the rotation phase
    finite and ``max_views`` >= 1.

    Raises
    ------
    InputError
        Arrays (naming the variable). :class:`~fcspace.core.errors.ConfigError`: parameters.
    """
    _finite_array("truth_speed", truth_speed, 0.0, 100.0)
    _finite_array("truth_dir", truth_dir, None, None)
    _finite_array("wvc_lat", lat, -90.0, 90.0)
    _finite_array("wvc_lon", lon, None, None)
    if rotation_phase_deg is not None:
        check_range("rotation_phase_deg", rotation_phase_deg)
    if max_views is not None:
        check_range("max_views", max_views, 1, 10_000)
