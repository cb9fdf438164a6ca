"""Validation of SWIM L2 products against the truth that travels with simulated data.

Scores follow the SWIM validation practice of Hauser et al. (2021, IEEE TGRS 59(1), 5-26):
nadir SWH bias and RMSE at box rate (and 1 Hz), spectral SWH, peak wavelength as a relative
error and peak direction modulo 180 deg (SWIM spectra are 180 deg ambiguous), and the same
per wave system after matching each truth system (wind sea, swell) to the nearest partition
(Hanson & Phillips 2001 use the peak wave vectors to compare partitions). Angles in degrees.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import product_specs as ps
from fcspace.core import stats
from fcspace.core.errors import InputError

__all__ = [
    "axial_diff",
    "match_partitions",
    "peak_scores",
    "validate_against_truth",
]

SYSTEM_NAMES = ("wind_sea", "swell")
#: Truth systems below this Hs (m) are not scored (hardly visible in a noisy spectrum).
MIN_SYSTEM_HS = 0.5


def axial_diff(a_deg: Any, b_deg: Any) -> np.ndarray:
    """Signed difference of directions known modulo 180 deg, wrapped into [-90, 90)."""
    d = np.asarray(a_deg, dtype=float) - np.asarray(b_deg, dtype=float)
    return (d + 90.0) % 180.0 - 90.0


def peak_scores(hs: Any, wl: Any, direc: Any, t_hs: Any, t_wl: Any, t_dir: Any) -> dict:
    """Scores of (Hs, peak wavelength, peak direction) against truth over finite cells.

    ``peak_wavelength_rel_error`` is the median of ``|wl / t_wl - 1|``; ``peak_dir_error_deg``
    the median absolute axial (modulo 180) difference, ``peak_dir_rmse_deg`` its RMS.
    """
    arrays = [np.asarray(a, float).ravel() for a in (hs, wl, direc, t_hs, t_wl, t_dir)]
    ok = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    h, w, d, th, tw, td = (a[ok] for a in arrays)
    rel = np.abs(w / tw - 1.0)
    dd = axial_diff(d, td)
    n = int(ok.sum())
    return {
        "n": n,
        "swh_bias": stats.bias(h, th),
        "swh_rmse": stats.rmse(h, th),
        "peak_wavelength_rel_error": float(np.median(rel)) if n else float("nan"),
        "peak_dir_error_deg": float(np.median(np.abs(dd))) if n else float("nan"),
        "peak_dir_rmse_deg": float(np.sqrt(np.mean(dd**2))) if n else float("nan"),
    }


def _need(ds: xr.Dataset, names: tuple[str, ...], what: str) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        raise InputError(
            f"{what} needs variable(s) {missing} (simulated data carry truth_*)",
            path=ds.encoding.get("source"),
            variable=missing[0],
        )


def match_partitions(part: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Partition parameters matched to each truth system.

    ``part`` (nparam, npartitions, ...) and ``truth`` (nparam, n_system, ...) hold (Hs, peak
    wavelength, peak direction mod 180). For each truth system the partition whose peak
    wave vector, in doubled angles ``k exp(2 i phi)`` (axial directions), is nearest is
    taken. Returns (nparam, n_system, ...), NaN where no partition exists.
    """

    def vec(p: np.ndarray) -> np.ndarray:
        return 2.0 * np.pi / p[1] * np.exp(2j * np.deg2rad(p[2]))

    zp, zt = vec(part), vec(truth)  # (npart, ...), (nsys, ...)
    dist = np.abs(zp[None, :] - zt[:, None])  # (nsys, npart, ...)
    dist = np.where(np.isfinite(dist), dist, np.inf)
    best = np.argmin(dist, axis=1)  # (nsys, ...)
    picked = np.take_along_axis(part[:, None], best[None, :, None], axis=2)[:, :, 0]
    return np.where(np.isfinite(dist.min(axis=1))[None], picked, np.nan)


def _spectrum_vars(ds: xr.Dataset, spectrum: str) -> tuple[xr.DataArray, xr.DataArray]:
    """``wave_param`` and ``wave_param_part`` of ``spectrum``: "combined" or a beam (deg)."""
    if spectrum == "combined":
        _need(ds, ("wave_param_combined", "wave_param_part_combined"), "combined validation")
        return ds["wave_param_combined"], ds["wave_param_part_combined"]
    beams = np.asarray(ds["beam_incidence"].values, float)
    hit = np.flatnonzero(np.isclose(beams, float(spectrum)))
    if not hit.size:
        raise InputError(f"no beam {spectrum} deg (beams {beams.tolist()})",
                         ds.encoding.get("source"), "beam_incidence")  # fmt: skip
    sel = {ps.BEAM: int(hit[0])}
    return ds["wave_param"].isel(sel), ds["wave_param_part"].isel(sel)


def _system_scores(part: xr.DataArray, truth: xr.DataArray) -> dict[str, dict]:
    """Per truth system: scores of the matched partition (systems with Hs >= MIN_SYSTEM_HS)."""
    p = part.transpose(ps.PARAM, ps.PART, ps.SIDE, ps.BOX).values
    t = truth.transpose(ps.PARAM, "n_system", ps.SIDE, ps.BOX).values
    m = match_partitions(p, t)
    out = {}
    for j, name in enumerate(SYSTEM_NAMES[: t.shape[1]]):
        seen = t[0, j] >= MIN_SYSTEM_HS
        mj = np.where(seen[None], m[:, j], np.nan)
        out[name] = peak_scores(*mj, *t[:, j])
    return out


def _spectral(ds: xr.Dataset, spectrum: str) -> dict[str, Any]:
    wave, part = _spectrum_vars(ds, spectrum)
    w = wave.transpose(ps.PARAM, ps.SIDE, ps.BOX).values
    t = ds["truth_wave_param"].transpose(ps.PARAM, ps.SIDE, ps.BOX).values
    out = peak_scores(*w, *t)
    if "truth_wave_param_system" in ds:
        out["systems"] = _system_scores(part, ds["truth_wave_param_system"])
    return out


def _nadir(ds: xr.Dataset) -> dict[str, Any]:
    swh, ref = ds["nadir_swh_box"].values, ds["truth_swh_box"].values
    out: dict[str, Any] = {
        "nadir_n": int((np.isfinite(swh) & np.isfinite(ref)).sum()),
        "nadir_swh_bias": stats.bias(swh, ref),
        "nadir_swh_rmse": stats.rmse(swh, ref),
    }
    if "nadir_swh_1hz" in ds and "truth_swh_1hz" in ds:
        out["nadir_1hz_swh_bias"] = stats.bias(ds["nadir_swh_1hz"], ds["truth_swh_1hz"])
        out["nadir_1hz_swh_rmse"] = stats.rmse(ds["nadir_swh_1hz"], ds["truth_swh_1hz"])
    if "nadir_wind_box" in ds and "truth_wind_box" in ds:
        out["nadir_wind_bias"] = stats.bias(ds["nadir_wind_box"], ds["truth_wind_box"])
        out["nadir_wind_rmse"] = stats.rmse(ds["nadir_wind_box"], ds["truth_wind_box"])
    return out


def validate_against_truth(ds: xr.Dataset, spectrum: str = "combined") -> dict[str, Any]:
    """Scores of a simulated SWIM L2 (in-memory layout) against its ``truth_*`` variables.

    Parameters
    ----------
    ds
        L2 Dataset with ``truth_swh_box``, ``truth_wave_param`` (and optionally
        ``truth_wave_param_system``, ``truth_swh_1hz``, ``truth_wind_box``).
    spectrum
        ``"combined"`` (``p_combined``, 8 + 10 deg) or a beam incidence (``"10"``).

    Returns
    -------
    dict
        ``n``, ``swh_bias``, ``swh_rmse``, ``peak_wavelength_rel_error``,
        ``peak_dir_error_deg``, ``peak_dir_rmse_deg`` (whole spectrum vs truth, per cell);
        ``systems`` (same per truth system, on the matched partition); ``nadir_n``,
        ``nadir_swh_bias``, ``nadir_swh_rmse`` at box rate (and 1 Hz, wind when present);
        ``beams``: the whole-spectrum scores of each beam.

    Raises
    ------
    InputError
        Truth or product variables missing (e.g. a real L2P file).
    """
    _need(ds, ("truth_swh_box", "truth_wave_param", "nadir_swh_box", "wave_param"),
          "validation against truth")  # fmt: skip
    out: dict[str, Any] = {"spectrum": spectrum} | _spectral(ds, spectrum) | _nadir(ds)
    out["beams"] = {}
    for b in np.asarray(ds["beam_incidence"].values, float):
        scores = _spectral(ds, f"{b:g}")
        out["beams"][f"{b:g}"] = {k: v for k, v in scores.items() if k != "systems"}
    return out
