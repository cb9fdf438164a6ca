"""Validation statistics: bias, RMSE, scatter index, circular differences, binned scores.

Directions are in degrees. The circular difference wraps into [-180, 180) so that 359° vs 1°
is a 2° error (the convention of scatterometer validation, e.g. Stoffelen 1998, JGR 103(C4)).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _pair(estimate: ArrayLike, reference: ArrayLike) -> tuple[NDArray, NDArray]:
    e = np.asarray(estimate, dtype=float)
    r = np.asarray(reference, dtype=float)
    e, r = np.broadcast_arrays(e, r)
    ok = np.isfinite(e) & np.isfinite(r)
    return e[ok], r[ok]


def bias(estimate: ArrayLike, reference: ArrayLike) -> float:
    """Mean of ``estimate - reference`` over pairs where both are finite (NaN if none)."""
    e, r = _pair(estimate, reference)
    return float(np.mean(e - r)) if e.size else float("nan")


def rmse(estimate: ArrayLike, reference: ArrayLike) -> float:
    """Root mean square of ``estimate - reference`` over finite pairs (NaN if none)."""
    e, r = _pair(estimate, reference)
    return float(np.sqrt(np.mean((e - r) ** 2))) if e.size else float("nan")


def std_diff(estimate: ArrayLike, reference: ArrayLike) -> float:
    """Standard deviation of the difference (the bias-free part of the RMSE)."""
    e, r = _pair(estimate, reference)
    return float(np.std(e - r)) if e.size else float("nan")


def scatter_index(estimate: ArrayLike, reference: ArrayLike) -> float:
    """Scatter index: standard deviation of the difference over the mean of the reference."""
    e, r = _pair(estimate, reference)
    return float(np.std(e - r) / np.mean(r)) if e.size else float("nan")


def circular_diff(a_deg: ArrayLike, b_deg: ArrayLike) -> NDArray:
    """Signed angular difference ``a - b`` wrapped into [-180, 180) degrees."""
    d = np.asarray(a_deg, dtype=float) - np.asarray(b_deg, dtype=float)
    return (d + 180.0) % 360.0 - 180.0


def circular_rmse(a_deg: ArrayLike, b_deg: ArrayLike) -> float:
    """RMS of the wrapped angular difference, degrees (NaN if no finite pair)."""
    d = circular_diff(a_deg, b_deg)
    d = d[np.isfinite(d)]
    return float(np.sqrt(np.mean(d**2))) if d.size else float("nan")


def circular_bias(a_deg: ArrayLike, b_deg: ArrayLike) -> float:
    """Mean wrapped angular difference, degrees (NaN if no finite pair)."""
    d = circular_diff(a_deg, b_deg)
    d = d[np.isfinite(d)]
    return float(np.mean(d)) if d.size else float("nan")


def vector_rmse(u: ArrayLike, v: ArrayLike, u_ref: ArrayLike, v_ref: ArrayLike) -> float:
    """RMS vector difference ``sqrt(mean((u-u_ref)^2 + (v-v_ref)^2))`` over finite cells."""
    du = np.asarray(u, dtype=float) - np.asarray(u_ref, dtype=float)
    dv = np.asarray(v, dtype=float) - np.asarray(v_ref, dtype=float)
    d2 = du**2 + dv**2
    d2 = d2[np.isfinite(d2)]
    return float(np.sqrt(np.mean(d2))) if d2.size else float("nan")


def binned_statistic(
    x: ArrayLike, y: ArrayLike, bins: ArrayLike, statistic: str = "mean"
) -> tuple[NDArray, NDArray, NDArray]:
    """Statistic of ``y`` in bins of ``x``; returns (bin centres, statistic, counts).

    ``statistic`` is any name that :func:`scipy.stats.binned_statistic` accepts; non-finite
    pairs are dropped first.
    """
    from scipy.stats import binned_statistic as _binned

    xa, ya = _pair(x, y)
    edges = np.asarray(bins, dtype=float)
    stat, _, _ = _binned(xa, ya, statistic=statistic, bins=edges)
    counts, _ = np.histogram(xa, bins=edges)
    return 0.5 * (edges[1:] + edges[:-1]), stat, counts
