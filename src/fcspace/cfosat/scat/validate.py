"""Validation of SCAT wind products against truth, a background or another product.

Scores follow the scatterometer validation practice of Stoffelen (1998, JGR 103(C4),
7755-7766) and Vogelzang et al. (2011, JGR 116, C10033): speed bias and RMSE, direction RMSE
with angles wrapped into [-180, 180), vector RMSE, and the ambiguity-removal skill (how often
the selected ambiguity is the one closest to the reference). Directions are oceanographic
"to" directions in degrees (docs/scat_layout.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat.instrument import CFOSAT_SCAT, ScatInstrument
from fcspace.core import stats
from fcspace.core.errors import InputError

#: Cross-track limits of the reported swath regions, metres from the ground track. Near nadir
#: the fore and aft looks are about 180° apart; beyond ~400 km they converge towards the
#: cross-track direction: both regions lack azimuth diversity (Lin et al. 2012, IEEE TGRS 50).
REGION_LIMITS_M = (150.0e3, 400.0e3)


def cross_track_distance(n_cells: int, instrument: ScatInstrument = CFOSAT_SCAT) -> np.ndarray:
    """Signed distance of each WVC centre from the ground track, metres."""
    return (np.arange(n_cells) + 0.5 - n_cells / 2) * instrument.wvc_size_m


def cell_regions(n_cells: int, instrument: ScatInstrument = CFOSAT_SCAT) -> np.ndarray:
    """Swath region of each cell: ``"nadir"``, ``"mid"`` or ``"outer"``."""
    d = np.abs(cross_track_distance(n_cells, instrument))
    inner, outer = REGION_LIMITS_M
    return np.where(d < inner, "nadir", np.where(d > outer, "outer", "mid"))


def uv(speed: Any, to_dir_deg: Any) -> tuple[np.ndarray, np.ndarray]:
    """Eastward and northward components of a wind given as speed and "to" direction."""
    s, a = np.asarray(speed, float), np.deg2rad(np.asarray(to_dir_deg, float))
    return s * np.sin(a), s * np.cos(a)


def wind_scores(speed: Any, direction: Any, ref_speed: Any, ref_dir: Any) -> dict[str, float]:
    """Speed bias and RMSE, direction RMSE, vector RMSE over cells where all four are finite."""
    arrays = [np.asarray(a, float).ravel() for a in (speed, direction, ref_speed, ref_dir)]
    ok = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    s, d, rs, rd = (a[ok] for a in arrays)
    u, v = uv(s, d)
    ru, rv = uv(rs, rd)
    return {
        "n": int(ok.sum()),
        "speed_bias": stats.bias(s, rs),
        "speed_rmse": stats.rmse(s, rs),
        "dir_bias_deg": stats.circular_bias(d, rd),
        "dir_rmse_deg": stats.circular_rmse(d, rd),
        "vector_rmse": stats.vector_rmse(u, v, ru, rv),
    }


def closest_ambiguity(ds: xr.Dataset, ref_speed: Any, ref_dir: Any) -> np.ndarray:
    """1-based index of the ambiguity nearest (vector distance) to the reference; 0 if none."""
    u, v = uv(ds["wind_speed"].values, ds["wind_dir"].values)
    ru, rv = uv(ref_speed, ref_dir)
    dist = (u - ru[..., None]) ** 2 + (v - rv[..., None]) ** 2
    dist = np.where(np.isfinite(dist), dist, np.inf)
    best = np.argmin(dist, axis=-1) + 1
    return np.where(np.isfinite(dist).any(axis=-1) & np.isfinite(dist.min(axis=-1)), best, 0)


def ambiguity_skill(ds: xr.Dataset, ref_speed: Any, ref_dir: Any) -> float:
    """Fraction of cells with ≥ 2 ambiguities whose selection is the one nearest the reference."""
    nearest = closest_ambiguity(ds, np.asarray(ref_speed, float), np.asarray(ref_dir, float))
    sel = np.nan_to_num(ds["wvc_selection"].values.astype(float)).astype(int)
    multi = (np.nan_to_num(ds["num_ambigs"].values.astype(float)) >= 2) & (nearest > 0)
    return float(np.mean(sel[multi] == nearest[multi])) if multi.any() else float("nan")


def _need(ds: xr.Dataset, names: tuple[str, ...], what: str) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        source = ds.encoding.get("source")
        raise InputError(f"{what} needs variable(s) {missing}", path=source, variable=missing[0])


def validate(
    ds: xr.Dataset,
    ref_speed: Any,
    ref_dir: Any,
    instrument: ScatInstrument = CFOSAT_SCAT,
) -> dict[str, Any]:
    """Score the selected winds of an L2B Dataset against reference speed and direction.

    Returns the overall scores (``n``, ``speed_bias``, ``speed_rmse``, ``dir_rmse_deg``,
    ``vector_rmse``, ``ambiguity_skill``) and the same per swath region under ``regions``.
    """
    _need(ds, ("wind_speed_selection", "wind_dir_selection"), "validation")
    rs, rd = np.asarray(ref_speed, float), np.asarray(ref_dir, float)
    spd, dirn = ds["wind_speed_selection"].values, ds["wind_dir_selection"].values
    has_ambigs = "wind_speed" in ds and "num_ambigs" in ds and "wvc_selection" in ds
    out: dict[str, Any] = wind_scores(spd, dirn, rs, rd)
    out["ambiguity_skill"] = ambiguity_skill(ds, rs, rd) if has_ambigs else float("nan")
    regions = cell_regions(ds.sizes["numcells"], instrument)
    out["regions"] = {}
    for name in ("nadir", "mid", "outer"):
        cells = np.flatnonzero(regions == name)
        sub = ds.isel(numcells=cells)
        scores = wind_scores(spd[:, cells], dirn[:, cells], rs[:, cells], rd[:, cells])
        if has_ambigs:
            scores["ambiguity_skill"] = ambiguity_skill(sub, rs[:, cells], rd[:, cells])
        out["regions"][name] = scores
    return out


def validate_against_truth(ds: xr.Dataset, instrument: ScatInstrument = CFOSAT_SCAT) -> dict:
    """Scores of the selected winds against the ``truth_speed``/``truth_dir`` of simulated data."""
    _need(ds, ("truth_speed", "truth_dir"), "validation against truth")
    return validate(ds, ds["truth_speed"].values, ds["truth_dir"].values, instrument)


def validate_against_background(ds: xr.Dataset, instrument: ScatInstrument = CFOSAT_SCAT) -> dict:
    """Scores of the selected winds against the NWP background ``model_speed``/``model_dir``."""
    _need(ds, ("model_speed", "model_dir"), "validation against the background")
    return validate(ds, ds["model_speed"].values, ds["model_dir"].values, instrument)


def validate_against_product(ds: xr.Dataset, other: xr.Dataset) -> dict:
    """Scores against another L2B product on the same grid (e.g. the operational selection)."""
    _need(other, ("wind_speed_selection", "wind_dir_selection"), "reference product")
    if other["wind_speed_selection"].shape != ds["wind_speed_selection"].shape:
        raise InputError(
            f"reference grid {other['wind_speed_selection'].shape} differs from "
            f"{ds['wind_speed_selection'].shape}",
            path=other.encoding.get("source"),
            variable="wind_speed_selection",
        )
    out = validate(ds, other["wind_speed_selection"].values, other["wind_dir_selection"].values)
    if "wvc_selection" in other and "wvc_selection" in ds:
        multi = np.nan_to_num(ds["num_ambigs"].values.astype(float)) >= 2
        same = ds["wvc_selection"].values[multi] == other["wvc_selection"].values[multi]
        out["selection_agreement"] = float(np.mean(same)) if multi.any() else float("nan")
    return out
