"""Selection of one ambiguity per wind vector cell: inputs, choice rules and two baselines.

Ambiguity and background components from an L2B Dataset, a-priori ambiguity probabilities,
the choice of the ambiguity closest to a reference wind (vector distance, or direction as in
Hoffman et al. 2003), the agreement between two selections, and the two baselines that 2DVAR
(:func:`fcspace.cfosat.scat.ambiguity.remove_ambiguities`) is compared with:
:func:`nearest_to_background` and :func:`vector_median_filter` (Shaffer et al. 1991).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from fcspace.core.errors import InputError

_AMBIG_VARS = ("wind_speed", "wind_dir", "num_ambigs")
_BACKGROUND_VARS = ("model_speed", "model_dir")
_DIMS = ("numrows", "numcells", "numambigs")


# ---------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------


def _components(speed: NDArray, to_dir_deg: NDArray) -> tuple[NDArray, NDArray]:
    """Eastward and northward components of a wind blowing towards ``to_dir_deg``."""
    rad = np.deg2rad(to_dir_deg)
    return speed * np.sin(rad), speed * np.cos(rad)


def _check(ds: xr.Dataset, names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        raise InputError(
            f"ambiguity removal needs variables {missing} in the L2B layout (docs/scat_layout.md)",
            variable=missing[0],
        )
    for name in ("wind_speed", "wind_dir"):
        if name in names and ds[name].dims != _DIMS:
            raise InputError(f"expected dims {_DIMS}, got {ds[name].dims}", variable=name)


def ambiguity_components(ds: xr.Dataset) -> tuple[NDArray, NDArray, NDArray]:
    """Ambiguity components (numrows, numcells, numambigs) and their validity mask."""
    _check(ds, _AMBIG_VARS)
    speed = ds["wind_speed"].values.astype(float)
    to_dir = ds["wind_dir"].values.astype(float)
    count = np.nan_to_num(ds["num_ambigs"].values.astype(float), nan=0.0)
    rank = np.arange(speed.shape[-1])
    valid = np.isfinite(speed) & np.isfinite(to_dir) & (rank < count[..., None])
    u, v = _components(np.where(valid, speed, np.nan), np.where(valid, to_dir, np.nan))
    return u, v, valid


def background_components(ds: xr.Dataset) -> tuple[NDArray, NDArray]:
    """NWP background components (numrows, numcells) from ``model_speed`` and ``model_dir``."""
    _check(ds, _BACKGROUND_VARS)
    return _components(ds["model_speed"].values.astype(float), ds["model_dir"].values.astype(float))


def ambiguity_probabilities(ds: xr.Dataset, scale: float = 2.0) -> NDArray:
    r"""A-priori probability of each ambiguity, shape (numrows, numcells, numambigs).

    ``ambiguity_prob`` is used when present; otherwise the probabilities follow from the
    maximum-likelihood estimator (the normalised distance between measured and modelled
    sigma0, lower is better) as

    .. math:: p_i = \exp(-\mathrm{MLE}_i/\lambda) \Big/ \sum_j \exp(-\mathrm{MLE}_j/\lambda),

    (Stoffelen & Anderson 1997, eq. 5; Portabella & Stoffelen 2004, *A probabilistic
    approach for SeaWinds data assimilation*, Q. J. R. Meteorol. Soc. 130, 127-152), with
    :math:`\lambda` = ``scale``. Without either variable all ambiguities are equally
    likely. Absent ambiguities get probability 0.

    Parameters
    ----------
    ds
        L2B Dataset (see docs/scat_layout.md).
    scale
        :math:`\lambda`; 2 for a Gaussian likelihood of a normalised MLE.
    """
    _, _, valid = ambiguity_components(ds)
    if "ambiguity_prob" in ds:
        p = np.where(valid, ds["ambiguity_prob"].values.astype(float), 0.0)
    elif "max_likelihood_est" in ds:
        mle = np.where(valid, ds["max_likelihood_est"].values.astype(float), np.inf)
        best = np.min(mle, axis=-1, keepdims=True)
        best = np.where(np.isfinite(best), best, 0.0)
        p = np.where(valid, np.exp(-(np.where(valid, mle, best) - best) / scale), 0.0)
    else:
        p = valid.astype(float)
    p = np.where(np.isfinite(p) & (p > 0), p, 0.0)
    total = p.sum(axis=-1, keepdims=True)
    uniform = valid / np.maximum(valid.sum(axis=-1, keepdims=True), 1)
    return np.where(total > 0, p / np.where(total > 0, total, 1.0), uniform)


# ---------------------------------------------------------------------------------------
# Selection helpers
# ---------------------------------------------------------------------------------------


def _closest(u: NDArray, v: NDArray, ua: NDArray, va: NDArray, valid: NDArray) -> NDArray:
    """1-based index of the valid ambiguity closest (vector distance) to (u, v); 0 if none."""
    d2 = (ua - u[..., None]) ** 2 + (va - v[..., None]) ** 2
    d2 = np.where(valid & np.isfinite(d2), d2, np.inf)
    best = np.argmin(d2, axis=-1) + 1
    # Where the reference is missing, fall back to the first valid ambiguity.
    first = np.argmax(valid, axis=-1) + 1
    best = np.where(np.isfinite(d2).any(axis=-1), best, first)
    return np.where(valid.any(axis=-1), best, 0).astype(np.int8)


def closest_in_direction(
    u: NDArray, v: NDArray, ua: NDArray, va: NDArray, valid: NDArray, speed_weight: float
) -> NDArray:
    """1-based index of the valid ambiguity closest in direction to the wind (u, v); 0 if none.

    Distance = |direction difference| (deg) + ``speed_weight`` × |speed difference| (m/s)
    (Hoffman et al. 2003 select by direction alone; the speed term breaks near-ties).
    """
    diff = np.degrees(np.arctan2(ua, va) - np.arctan2(u, v)[..., None])
    dist = np.abs((diff + 180.0) % 360.0 - 180.0)
    dist = dist + speed_weight * np.abs(np.hypot(ua, va) - np.hypot(u, v)[..., None])
    dist = np.where(valid & np.isfinite(dist), dist, np.inf)
    best = np.argmin(dist, axis=-1) + 1
    first = np.argmax(valid, axis=-1) + 1  # no analysis there: the most likely ambiguity
    best = np.where(np.isfinite(dist).any(axis=-1), best, first)
    return np.where(valid.any(axis=-1), best, 0).astype(np.int8)


def with_selection(ds: xr.Dataset, selection: NDArray, method: str) -> xr.Dataset:
    """Return ``ds`` with ``wvc_selection`` and the selected speed and direction replaced."""
    idx = np.clip(selection.astype(int) - 1, 0, None)[..., None]
    speed = np.take_along_axis(ds["wind_speed"].values.astype(float), idx, -1)[..., 0]
    to_dir = np.take_along_axis(ds["wind_dir"].values.astype(float), idx, -1)[..., 0]
    none = selection == 0
    dims = ("numrows", "numcells")
    out = ds.copy()
    out["wvc_selection"] = xr.DataArray(
        selection.astype(np.int8),
        dims=dims,
        attrs={
            "long_name": "index of the selected ambiguity (1-based, 0 = no selection)",
            "units": "1",
            "method": method,
        },
    )
    out["wind_speed_selection"] = xr.DataArray(
        np.where(none, np.nan, speed),
        dims=dims,
        attrs={"long_name": "selected wind speed", "units": "m s-1"},
    )
    out["wind_dir_selection"] = xr.DataArray(
        np.where(none, np.nan, to_dir % 360.0),
        dims=dims,
        attrs={
            "long_name": "selected wind direction (towards, clockwise from north)",
            "standard_name": "wind_to_direction",
            "units": "degree",
        },
    )
    return out


def selection_agreement(
    selection: NDArray, reference: NDArray, num_ambigs: NDArray, minimum: int = 2
) -> dict[str, float]:
    """Fraction of cells where two selections agree, overall and per number of ambiguities.

    Only cells with at least ``minimum`` ambiguities count (one ambiguity leaves no choice).
    Keys: ``"all"`` and ``"n=2"``, ``"n=3"``, ... (NaN where no such cell).
    """
    n = np.nan_to_num(np.asarray(num_ambigs, dtype=float), nan=0.0).astype(int)
    same = np.asarray(selection) == np.asarray(reference)
    mask = n >= minimum
    out = {"all": float(same[mask].mean()) if mask.any() else float("nan")}
    for k in range(minimum, int(n.max(initial=minimum)) + 1):
        m = n == k
        out[f"n={k}"] = float(same[m].mean()) if m.any() else float("nan")
    return out


# ---------------------------------------------------------------------------------------
# Baselines
# ---------------------------------------------------------------------------------------


def nearest_to_background(ds: xr.Dataset) -> xr.Dataset:
    """Select in each cell the ambiguity closest (vector distance) to the NWP background.

    A baseline, not the deliverable. Cells without background get their first (most
    likely) ambiguity. Returns ``ds`` with ``wvc_selection``, ``wind_speed_selection`` and
    ``wind_dir_selection`` replaced.
    """
    ua, va, valid = ambiguity_components(ds)
    ub, vb = background_components(ds)
    return with_selection(ds, _closest(ub, vb, ua, va, valid), "nearest_to_background")


def _window_cost(sel_u: NDArray, sel_v: NDArray, ua: NDArray, va: NDArray, half: int) -> NDArray:
    """Sum over the window of the distances between each ambiguity and the neighbours."""
    rows, cells = sel_u.shape
    pu = np.pad(sel_u, half, constant_values=np.nan)
    pv = np.pad(sel_v, half, constant_values=np.nan)
    cost = np.zeros(ua.shape)
    for dr in range(2 * half + 1):
        for dc in range(2 * half + 1):
            nu = pu[dr : dr + rows, dc : dc + cells, None]
            nv = pv[dr : dr + rows, dc : dc + cells, None]
            dist = np.hypot(ua - nu, va - nv)
            cost += np.where(np.isfinite(dist), dist, 0.0)
    return cost


def vector_median_filter(ds: xr.Dataset, window: int = 7, max_iterations: int = 10) -> xr.Dataset:
    r"""Ambiguity removal by the iterated vector median filter (the comparison baseline).

    Initialised with the ambiguity nearest the background, each iteration selects in every
    cell the ambiguity :math:`a_i` minimising :math:`\sum_j |a_i - s_j|` over the selected
    vectors :math:`s_j` in a ``window`` × ``window`` box around it (Shaffer, Dunbar, Hsiao
    and Long 1991, *A median-filter-based ambiguity removal algorithm for NSCAT*, IEEE TGRS
    29(1), 167-174), until nothing changes or ``max_iterations`` is reached.

    This is a baseline to compare 2DVAR (:func:`remove_ambiguities`) with, not the
    deliverable.
    """
    if window < 1 or window % 2 == 0:
        raise InputError(f"window must be a positive odd number, got {window}")
    ua, va, valid = ambiguity_components(ds)
    ub, vb = background_components(ds)
    sel = _closest(ub, vb, ua, va, valid)
    for _ in range(max_iterations):
        su, sv = _selected(ua, va, sel)
        cost = np.where(valid, _window_cost(su, sv, ua, va, window // 2), np.inf)
        new = np.where(valid.any(-1), np.argmin(cost, axis=-1) + 1, 0).astype(np.int8)
        if np.array_equal(new, sel):
            break
        sel = new
    return with_selection(ds, sel, f"vector_median_filter {window}x{window}")


def _selected(ua: NDArray, va: NDArray, sel: NDArray) -> tuple[NDArray, NDArray]:
    idx = np.clip(sel.astype(int) - 1, 0, None)[..., None]
    su = np.take_along_axis(ua, idx, -1)[..., 0]
    sv = np.take_along_axis(va, idx, -1)[..., 0]
    return np.where(sel > 0, su, np.nan), np.where(sel > 0, sv, np.nan)
