"""Consistency checks of a scatterometer swath: positions, row times, cell numbers, ambiguities.

A value can be inside its physical range and still be impossible where it stands: a wind
vector cell 60 km away from where its neighbours put it, a row time off the scan cadence, a
cross-track cell number that is not the cell's column, a number of ambiguities that disagrees
with the ambiguities stored. The range rules of :mod:`fcspace.core.validation` cannot see these;
the checks here compare each value with its neighbours in the swath grid, as declared per
product by :class:`~fcspace.cfosat.scat.product_specs.SwathRules`.

- **Positions.** The wind vector cells of a swath lie on a regular grid (rows along track, cells
  across, 25 km apart): a cell's position is predicted from its neighbours, as the mid-point of
  the two on either side or the linear extrapolation of the two on one side, along and across
  track, on unit vectors (no trouble at the date line or the poles). A cell that no prediction
  places within the product's tolerance is masked (latitude and longitude NaN) and counted. A
  single corrupted cell spoils only the predictions that use it, so its neighbours keep a clean
  one-sided prediction and are not masked. Positions of which most disagree with their
  neighbours are no swath grid (random positions of a test, unrelated cells) and are not
  judged; the same holds for row times.
- **Row times.** Rows are a fixed along-track distance apart and the ground speed is steady, so
  row times advance at a constant cadence (Liu et al. 2020 for CFOSat SCAT; Figa-Saldana et al.
  2002 for ASCAT). The cadence is the median over the swath of ``(t[i + L] - t[i]) / L``,
  ``L = n // 4`` (robust to a few corrupted rows, and to the 1 s rounding of the NSOAS times);
  each row is predicted from the rows before it and from the rows after it (the median of
  ``t[i + k] - k * cadence`` over up to ``window`` valid rows of each side). A row that neither
  side places within the tolerance (a fraction of the cadence) is masked (NaT) and counted; the
  rows on either side of a gap agree with their own side and are kept.
- **Cross-track cell numbers** (KNMI ``wvc_index``): ``index - column`` is the same for every
  cell (1 for a full swath); a cell where it differs is masked (fill) and counted.
- **Number of ambiguities** (``num_ambigs``): must equal the number of ambiguities the cell
  stores; a file where it does not is refused (it contradicts itself).

Masked values are counted in the variable's ``fcspace_masked_out_of_range`` attribute, in the
dataset's summary of the same name and in the product's flag variable, as
:func:`fcspace.core.validation.apply_rules` does; nothing is added to a consistent file.

References
----------
- Liu, J. et al. (2020), "CFOSat scatterometer: first results", IEEE TGRS 58(12) (25 km wind
  vector cells, rotating fan beam).
- Figa-Saldana, J. et al. (2002), "The advanced scatterometer (ASCAT) on the meteorological
  operational (MetOp) platform", Can. J. Remote Sensing 28(3) (swath grid of ASCAT).
- CF Conventions 1.8, section 2.5.1 (missing values).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat.product_specs import SwathRules
from fcspace.core.errors import InputError
from fcspace.core.validation import MASKED_ATTR, masked_counts

__all__ = [
    "ambiguity_count_mismatch",
    "apply_swath_rules",
    "check_ambiguity_count",
    "cell_index_outliers",
    "position_outliers",
    "row_time_outliers",
]

#: Mean Earth radius (km), IUGG.
EARTH_RADIUS_KM = 6371.0


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _shifted(a: np.ndarray, k: int, axis: int) -> np.ndarray:
    """``out[i] = a[i - k]`` along ``axis`` (NaN where ``i - k`` is outside the array)."""
    out = np.full(a.shape, np.nan)
    n = a.shape[axis]
    if abs(k) >= n:
        return out
    dst = [slice(None)] * a.ndim
    src = [slice(None)] * a.ndim
    dst[axis], src[axis] = (slice(k, None), slice(None, n - k)) if k > 0 else (
        slice(None, n + k), slice(-k, None))  # fmt: skip
    out[tuple(dst)] = a[tuple(src)]
    return out


def _centred_error_km(v: np.ndarray, axis: int) -> np.ndarray:
    """Distance (km) of each cell from the mid-point of its two neighbours along ``axis``."""
    err = np.full(v.shape[:2], np.inf)
    n = v.shape[axis]
    if n < 3:
        return err
    mid = [slice(None)] * 2
    mid[axis] = slice(1, n - 1)
    lo, hi = list(mid), list(mid)
    lo[axis], hi[axis] = slice(0, n - 2), slice(2, n)
    d = v[tuple(mid)] - 0.5 * (v[tuple(lo)] + v[tuple(hi)])
    e = np.sqrt(np.einsum("...k,...k->...", d, d)) * EARTH_RADIUS_KM
    err[tuple(mid)] = np.where(np.isnan(e), np.inf, e)
    return err


def _one_sided_error_km(v: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Smallest distance (km) of ``cells`` (k x 2 indices) from a one-sided extrapolation."""
    best = np.full(len(cells), np.inf)
    for axis in (0, 1):
        n = v.shape[axis]
        for step in (-1, 1):
            i1, i2 = cells.copy(), cells.copy()
            i1[:, axis] += step
            i2[:, axis] += 2 * step
            inside = (i2[:, axis] >= 0) & (i2[:, axis] < n)
            i1, i2 = np.where(inside[:, None], i1, 0), np.where(inside[:, None], i2, 0)
            pred = 2 * v[i1[:, 0], i1[:, 1]] - v[i2[:, 0], i2[:, 1]]
            d = v[cells[:, 0], cells[:, 1]] - pred
            e = np.sqrt(np.einsum("...k,...k->...", d, d)) * EARTH_RADIUS_KM
            best = np.fmin(best, np.where(inside & ~np.isnan(e), e, np.inf))
    return best


def position_outliers(lat: Any, lon: Any, tolerance_km: float) -> np.ndarray:
    """Cells (rows x cells) whose position no neighbour-based prediction confirms.

    Predictions of each cell, along both grid axes: the mid-point of the two neighbours and the
    linear extrapolation from the two cells on either side (computed only for the few cells
    that no mid-point confirms). A valid cell with at least one prediction, none of them within
    ``tolerance_km``, is an outlier; cells without any prediction (isolated among fills) are
    kept.
    """
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    if lat.ndim != 2:
        return np.zeros(lat.shape, bool)
    v = _unit_vectors(lat, lon)
    best = np.fmin(_centred_error_km(v, 0), _centred_error_km(v, 1))
    valid = np.isfinite(lat) & np.isfinite(lon)
    cells = np.argwhere(valid & ~(best <= tolerance_km))
    if len(cells):
        best[cells[:, 0], cells[:, 1]] = np.fmin(
            best[cells[:, 0], cells[:, 1]], _one_sided_error_km(v, cells)
        )
    judged = valid & np.isfinite(best)
    bad = judged & (best > tolerance_km)
    return bad if _is_grid(judged, bad) else np.zeros(lat.shape, bool)


def _is_grid(judged: np.ndarray, bad: np.ndarray) -> bool:
    """Whether most judged values agree with their neighbours (the values form a swath grid).

    Positions or times that mostly disagree are no swath at all (a test's random positions, a
    collection of unrelated cells): the neighbour checks do not apply to them.
    """
    return bool(judged.any()) and int(bad.sum()) * 2 < int(judged.sum())


def row_time_outliers(times: Any, tolerance_rows: float, window: int = 3) -> np.ndarray:
    """Rows whose time is off the swath's cadence by more than ``tolerance_rows`` row periods.

    Each row is predicted from the rows before it and, separately, from the rows after it (the
    median of ``t[i + k] - k * cadence`` over ``0 < k <= window`` valid rows of that side, at
    least two), so that a gap in the swath (a run of rows later than the cadence) is no
    outlier: the rows on each side of it agree with their own side. A row that no judged side
    confirms is an outlier. NaT rows are skipped; no positive cadence (all rows at one time):
    no outlier.
    """
    t = np.asarray(times, dtype="datetime64[ns]")
    ok = ~np.isnat(t)
    n = t.size
    if t.ndim != 1 or ok.sum() < 4:
        return np.zeros(t.shape, bool)
    x = np.where(ok, (t - t[ok][0]).astype(np.int64) / 1e9, np.nan)
    lag = max(1, n // 4)
    with np.errstate(invalid="ignore"):
        steps = (x[lag:] - x[:-lag]) / lag
    steps = steps[np.isfinite(steps)]
    cadence = float(np.median(steps)) if steps.size else 0.0
    if not cadence > 0:
        return np.zeros(n, bool)
    judged = np.zeros(n, bool)
    confirmed = np.zeros(n, bool)
    for side in (-1, 1):
        preds = np.array([_shifted(x, -k, 0) - k * cadence
                          for k in range(side, side * (window + 1), side)])  # fmt: skip
        enough = np.isfinite(preds).sum(axis=0) >= 2
        pred = np.full(n, np.nan)
        pred[enough] = np.nanmedian(preds[:, enough], axis=0)
        judged |= ok & enough
        with np.errstate(invalid="ignore"):
            confirmed |= np.abs(x - pred) <= tolerance_rows * cadence
    bad = judged & ~confirmed
    return bad if _is_grid(judged, bad) else np.zeros(n, bool)


def cell_index_outliers(index: Any, fill: int) -> np.ndarray:
    """Cells whose cross-track number is not ``column + offset`` (the swath's common offset)."""
    idx = np.asarray(index)
    if idx.ndim != 2:
        return np.zeros(idx.shape, bool)
    valid = idx != fill
    if not valid.any():
        return np.zeros(idx.shape, bool)
    offset = idx.astype(np.int64) - np.arange(idx.shape[1])[None, :]
    values, counts = np.unique(offset[valid], return_counts=True)
    return valid & (offset != values[np.argmax(counts)])


def ambiguity_count_mismatch(count: Any, ambiguities: Any, lo: int, hi: int) -> np.ndarray:
    """Cells where the number of ambiguities (within ``[lo, hi]``) is not the number stored."""
    n = np.asarray(count)
    stored = np.isfinite(np.asarray(ambiguities, float)).sum(axis=-1)
    return (n >= lo) & (n <= hi) & (n != stored)


def check_ambiguity_count(ds: xr.Dataset, rules: SwathRules, path: Any = None) -> None:
    """Refuse ``ds`` (decoded, before range masking) whose ambiguity counts contradict it.

    Raises
    ------
    InputError
        Naming the file, the count variable and the number of cells.
    """
    if rules.ambiguity_count is None:
        return
    count, ambiguities, lo, hi = rules.ambiguity_count
    if count not in ds or ambiguities not in ds:
        return
    bad = ambiguity_count_mismatch(ds[count].values, ds[ambiguities].values, lo, hi)
    if bad.any():
        raise InputError(
            f"{int(bad.sum())} of {bad.size} cells give a number of ambiguities that is not the "
            f"number of {ambiguities} values they store: the file contradicts itself",
            path,
            count,
        )


def _masks(ds: xr.Dataset, rules: SwathRules) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Outlier masks by variable, with the variables masked with it."""
    out: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
    lat, lon = rules.position
    if lat in ds and lon in ds:
        bad = position_outliers(ds[lat].values, ds[lon].values, rules.position_tolerance_km)
        if bad.any():
            out[lat] = (bad, (lat, lon))
    if rules.time in ds and np.asarray(ds[rules.time].values).dtype.kind == "M":
        bad = row_time_outliers(ds[rules.time].values, rules.cadence_tolerance_rows,
                                rules.cadence_window)  # fmt: skip
        if bad.any():
            out[rules.time] = (bad, (rules.time,))
    if rules.cell_index is not None and rules.cell_index[0] in ds:
        name, fill = rules.cell_index
        bad = cell_index_outliers(ds[name].values, fill)
        if bad.any():
            out[name] = (bad, (name,))
    return out


def _fill_like(values: np.ndarray, fills: dict[str, Any], name: str) -> Any:
    if name in fills:
        return fills[name]
    return np.datetime64("NaT") if values.dtype.kind == "M" else np.nan


def apply_swath_rules(
    ds: xr.Dataset, rules: SwathRules, path: Any = None, flag_variable: str | None = None
) -> xr.Dataset:
    """``ds`` with the swath's inconsistent positions, row times and cell numbers masked.

    Returns ``ds`` itself when nothing is inconsistent; otherwise a copy where the values are
    missing (NaN, NaT, or the integer fill of :attr:`SwathRules.cell_index`), counted in
    ``fcspace_masked_out_of_range`` (variable and dataset) and marked in ``flag_variable``
    (a boolean on the cells of ``rules.position``; a masked row time marks its whole row).
    """
    masks = _masks(ds, rules)
    if not masks:
        return ds
    out = ds.copy()
    fills = {rules.cell_index[0]: rules.cell_index[1]} if rules.cell_index else {}
    for name, (bad, targets) in masks.items():
        for target in targets:
            values = np.array(out[target].values)
            values[bad] = _fill_like(values, fills, target)
            out[target] = out[target].copy(data=values)
        out[name].attrs[MASKED_ATTR] = int(out[name].attrs.get(MASKED_ATTR, 0)) + int(bad.sum())
    out.attrs[MASKED_ATTR] = ", ".join(f"{k}: {v}" for k, v in masked_counts(out).items())
    if flag_variable is not None:
        _flag(out, rules, masks, flag_variable)
    return out


def _flag(out: xr.Dataset, rules: SwathRules, masks: dict, flag_variable: str) -> None:
    """OR the masks into the boolean cell flag (rows broadcast over their cells)."""
    lat = rules.position[0]
    if lat not in out:
        return
    dims = out[lat].dims
    flag = np.zeros(out[lat].shape, bool)
    if flag_variable in out and out[flag_variable].dims == dims:
        flag |= np.asarray(out[flag_variable].values, bool)
    for bad, _ in masks.values():
        if bad.shape == flag.shape:
            flag |= bad
        elif bad.ndim == 1 and bad.shape[0] == flag.shape[0]:
            flag |= bad[:, None]
    attrs = {"long_name": "a value of this cell was outside its valid range and was masked"}
    out[flag_variable] = (dims, flag, attrs)
