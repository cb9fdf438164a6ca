"""The SWIM L1 → L2 chain: nadir retracking and averaging, spectra, partitions, the product.

``l1_to_l2`` is pure (Dataset in, Dataset out); ``process_file`` is the one-file task that
``fcspace swim process`` maps over many files with dask (DESIGN.md "Scaling out"): it reads,
retrieves and writes its own product atomically, and returns a small summary.

Steps (Hauser et al. 2017, IEEE TGRS 55(5); Hauser et al. 2021, IEEE TGRS 59(1)):

1. Nadir: every native waveform is retracked (Brown-Hayne model, speckle maximum likelihood,
   :func:`fcspace.cfosat.swim.nadir.retrack`; Tourain et al. 2021), then averaged to 1 Hz and
   to the boxes with k x MAD outlier editing (:func:`~fcspace.cfosat.swim.nadir.average_groups`;
   the 1 Hz SWH keeps its std and the count of native values used). A waveform belongs to the
   box whose centre time is nearest (boxes tile the track). The wind speed at every rate is
   Abdalla (2012) on the sigma0 of that rate (the calibrated Brown amplitude). Waveforms whose
   footprint the L1 puts over land (``land_fraction_native``) are not retracked: flagged
   invalid, as are box sides over land (``land_fraction_box``: no spectrum).
2. Spectra: the periodograms of each beam are inverted (speckle subtracted, folded, divided
   by the modulation transfer function) and normalised to the box nadir SWH
   (:mod:`fcspace.cfosat.swim.modulation`); the 8 and 10 deg spectra are combined (weights:
   their looks) into ``p_combined``.
3. Partitions (watershed, Hanson & Phillips 2001; up to 3) and wave parameters (Hs, peak
   wavelength, peak direction modulo 180) per spectrum and per partition
   (:mod:`fcspace.cfosat.swim.spectra`), for every beam and for ``p_combined``.

The result follows ``docs/swim_layout.md`` (full L2, every rate of the nadir, the box centres
and bounds of :func:`fcspace.cfosat.swim.boxes.box_bounds`), with the ``truth_*`` of simulated
input carried over and, for simulated input, ``swh_ecmwf`` = the scene's Hs (where the CNES
L2 has the ECMWF model SWH). The partitions of ``p_combined`` are extra
variables ``mask_spectrum_combined``, ``wave_param_part_combined`` and
``number_of_partitions_combined`` (the L2 specification partitions per beam only).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import modulation, nadir, spectra
from fcspace.cfosat.swim import product_specs as ps
from fcspace.cfosat.swim.boxes import box_bounds
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.cfosat.swim.io import LAND_FRACTION_LIMIT, check_l1, l2_summary, open_l1, write_l2
from fcspace.core.products import add_history

__all__ = [
    "COMBINED_BEAMS",
    "LAND_FRACTION_LIMIT",
    "MIN_WAVEFORMS_1HZ",
    "MIN_WAVEFORMS_BOX",
    "box_of_waveforms",
    "l1_to_l2",
    "nadir_rates",
    "process_file",
    "spectra_and_partitions",
]

#: Beams combined into ``p_combined`` (``SwimInstrument.combined_beams_deg``).
COMBINED_BEAMS = CFOSAT_SWIM.combined_beams_deg
#: Waveforms kept after editing for a valid 1 Hz / box SWH (ASSUMPTION: half of the nominal
#: 4-5 per second; about a sixth of the ~58 per 90 km box).
MIN_WAVEFORMS_1HZ = 2
MIN_WAVEFORMS_BOX = 10
MAD_FACTOR = 3.0
SWH_MODEL_COMMENT = ("simulated pass: Hs of the simulated scene (truth), in place of the ECMWF "
                     "model SWH that the CNES L2 collocates")  # fmt: skip
_PARAM_NAMES = ("hs", "peak_wavelength", "peak_direction")


def _seconds(times: xr.DataArray, t0: np.datetime64) -> np.ndarray:
    """Seconds since ``t0`` (float; NaN for NaT)."""
    t = np.asarray(times.values, dtype="datetime64[ns]")
    return np.where(np.isnat(t), np.nan, (t - t0) / np.timedelta64(1, "s"))


def box_of_waveforms(l1: xr.Dataset) -> np.ndarray:
    """Box index of every native waveform (-1: outside every box), by nearest box centre time.

    Box ``i`` spans the times between the midpoints to its neighbours; the first and last
    boxes extend by half their spacing to the neighbour.
    """
    t0 = np.asarray(l1["time_nadir_l2"].values, "datetime64[ns]")[0]
    tb = _seconds(l1["time_nadir_l2"], t0)
    tw = _seconds(l1["time_nadir_native"], t0)
    order = np.argsort(tb)
    tb_sorted = tb[order]
    half = np.diff(tb_sorted) / 2.0
    edges = np.concatenate([[tb_sorted[0] - (half[0] if half.size else np.inf)],
                            tb_sorted[:-1] + half,
                            [tb_sorted[-1] + (half[-1] if half.size else np.inf)]])  # fmt: skip
    pos = np.searchsorted(edges, tw, side="right") - 1
    inside = np.isfinite(tw) & (pos >= 0) & (pos < tb.size)
    return np.where(inside, order[np.clip(pos, 0, tb.size - 1)], -1)


def _group_mean(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Mean of ``values`` per integer group 0..n-1 (NaN-safe; NaN for empty groups)."""
    ok = np.isfinite(values) & (groups >= 0)
    total = np.bincount(groups[ok], values[ok], minlength=n)
    count = np.bincount(groups[ok], minlength=n)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _wind(amplitude: np.ndarray) -> np.ndarray:
    """Nadir wind speed (Abdalla 2012) from the calibrated Brown amplitude (linear sigma0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return nadir.nadir_wind_speed(10.0 * np.log10(amplitude))


def _rate_variables(
    rate: str, dim: str, swh: np.ndarray, valid: np.ndarray, time: np.ndarray, lat: np.ndarray,
    lon: np.ndarray, amplitude: np.ndarray,
) -> dict[str, xr.DataArray]:  # fmt: skip
    """``time/lat/lon/nadir_swh/nadir_wind`` and their flags at one nadir rate (applied).

    The wind (Abdalla 2012 on the calibrated sigma0) is valid where the SWH is and the
    amplitude gives a finite wind.
    """
    wind = _wind(amplitude)
    wind_ok = valid & np.isfinite(wind)
    names = ("time_nadir", "lat_nadir", "lon_nadir", "nadir_swh", "nadir_wind")
    values = (time, lat, lon, np.where(valid, swh, np.nan), np.where(wind_ok, wind, np.nan))
    out = {
        f"{n}_{rate}": xr.DataArray(v, dims=(dim,), attrs=ps.LAYOUT[f"{n}_{rate}"].attrs)
        for n, v in zip(names, values, strict=True)
    }
    for flag, ok in ((f"flag_valid_swh_{rate}", valid), (f"flag_valid_wind_{rate}", wind_ok)):
        out[flag] = xr.DataArray((~ok).astype(np.int8), dims=(dim,), attrs=ps.LAYOUT[flag].attrs)
    return out


def _mean_time(times: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Mean datetime64[ns] per group (NaT for empty groups), to 1 us."""
    t0 = times[~np.isnat(times)][0]
    sec = np.where(np.isnat(times), np.nan, (times - t0) / np.timedelta64(1, "s"))
    mean = _group_mean(sec, groups, n)
    us = np.round(np.nan_to_num(mean) * 1e6).astype(np.int64) * np.timedelta64(1, "us")
    return np.where(np.isfinite(mean), t0 + us, np.datetime64("NaT", "ns")).astype("datetime64[ns]")


def nadir_rates(l1: xr.Dataset, method: str = "mle") -> dict[str, xr.DataArray]:
    """Retrack the native waveforms and average to 1 Hz and to boxes (module docstring).

    Returns the native, 1 Hz and box variables of ``docs/swim_layout.md``
    (``*_native``, ``*_1hz``, ``nadir_swh_box``, ``nadir_wind_box`` and their flags) plus
    ``truth_swh_1hz`` when the input carries ``truth_swh_native``.
    """
    waveforms = l1["waveform"].values
    if "land_fraction_native" in l1:  # land in the footprint: no ocean echo, not retracked
        land = l1["land_fraction_native"].values > LAND_FRACTION_LIMIT
        waveforms = np.where(land[:, None], np.nan, waveforms)
    est = nadir.retrack(waveforms, method)
    time = np.asarray(l1["time_nadir_native"].values, "datetime64[ns]")
    lat, lon = l1["lat_nadir_native"].values, l1["lon_nadir_native"].values
    valid = est["converged"].values.astype(bool)
    out = _rate_variables("native", ps.NATIVE, est["swh"].values, valid, time, lat, lon,
                          est["amplitude"].values)  # fmt: skip
    sec = _seconds(l1["time_nadir_native"], time[~np.isnat(time)][0])
    out |= _one_hz(est, sec, time, lat, lon, l1)
    out |= _box(est, box_of_waveforms(l1), l1.sizes[ps.BOX])
    return out


def _one_hz(
    est: xr.Dataset, sec: np.ndarray, time: np.ndarray, lat: np.ndarray, lon: np.ndarray,
    l1: xr.Dataset,
) -> dict[str, xr.DataArray]:  # fmt: skip
    """1 Hz averages (whole seconds from the first waveform) with MAD editing.

    Only converged waveforms are averaged (a second without any is kept, flagged invalid).
    """
    ok = np.isfinite(sec)
    labels = np.unique(np.floor(sec[ok]))
    fit = ok & est["converged"].values.astype(bool)
    avg = nadir.average_1hz(est.isel(waveform=fit), sec[fit], mad_factor=MAD_FACTOR,
                            variables=("swh", "amplitude"))  # fmt: skip
    avg = avg.reindex(time=labels)
    groups = np.full(sec.size, -1)
    groups[ok] = np.searchsorted(labels, np.floor(sec[ok]))
    n = labels.size
    used = np.nan_to_num(avg["swh_n"].values.astype(float)).astype(np.int8)
    valid = (used >= MIN_WAVEFORMS_1HZ) & np.isfinite(avg["swh"].values)
    out = _rate_variables("1hz", ps.ONE_HZ, avg["swh"].values, valid,
                          _mean_time(time, groups, n), _group_mean(lat, groups, n),
                          _group_mean(lon, groups, n), avg["amplitude"].values)  # fmt: skip
    lay = ps.LAYOUT
    out["nadir_swh_1hz_std"] = xr.DataArray(np.where(valid, avg["swh_std"].values, np.nan),
                                            dims=(ps.ONE_HZ,), attrs=lay["nadir_swh_1hz_std"].attrs)
    out["nadir_swh_1hz_used_native"] = xr.DataArray(
        used, dims=(ps.ONE_HZ,), attrs=lay["nadir_swh_1hz_used_native"].attrs)  # fmt: skip
    if "truth_swh_native" in l1:
        truth = _group_mean(l1["truth_swh_native"].values, groups, n)
        out["truth_swh_1hz"] = xr.DataArray(truth, dims=(ps.ONE_HZ,), attrs={"units": "m"})
    return out


def _box(est: xr.Dataset, box: np.ndarray, n_box: int) -> dict[str, xr.DataArray]:
    """Box SWH and wind (Abdalla 2012 on the box sigma0) with MAD editing, and their flags."""
    inside = (box >= 0) & est["converged"].values.astype(bool)  # boxes without any: NaN
    avg = nadir.average_groups(est.isel(waveform=inside), box[inside], ("swh", "amplitude"),
                               MAD_FACTOR, dim=ps.BOX)  # fmt: skip
    avg = avg.reindex({ps.BOX: np.arange(n_box)})
    swh, amp = avg["swh"].values, avg["amplitude"].values
    count = np.nan_to_num(avg["swh_n"].values.astype(float))
    ok = (count >= MIN_WAVEFORMS_BOX) & np.isfinite(swh) & (swh > 0)
    wind = _wind(amp)
    wind_ok = ok & np.isfinite(wind)
    dims, lay = (ps.BOX,), ps.LAYOUT
    return {
        "nadir_swh_box": xr.DataArray(np.where(ok, swh, np.nan), dims=dims,
                                      attrs=lay["nadir_swh_box"].attrs),
        "flag_valid_swh_box": xr.DataArray((~ok).astype(np.int8), dims=dims,
                                           attrs=lay["flag_valid_swh_box"].attrs),
        "nadir_wind_box": xr.DataArray(np.where(wind_ok, wind, np.nan), dims=dims,
                                       attrs=lay["nadir_wind_box"].attrs),
        "flag_valid_wind_box": xr.DataArray((~wind_ok).astype(np.int8), dims=dims,
                                            attrs=lay["flag_valid_wind_box"].attrs),
    }  # fmt: skip


def _beam_spectra(l1: xr.Dataset, hs_box: np.ndarray) -> xr.DataArray:
    """Normalised slope spectra per beam, dims (n_posneg, n_box, n_beam_l2, nk, n_phi)."""
    k = np.asarray(l1["k_spectra"].values, float)
    per = l1["periodogram"].transpose(ps.SIDE, ps.BOX, ps.BEAM, ps.K, ps.PHI).values
    mss = l1["mss"].transpose(ps.SIDE, ps.BOX).values
    hs = np.where(np.isfinite(hs_box) & (hs_box > 0), hs_box, np.nan)[None, :]
    out = np.empty_like(per)
    for b, inc in enumerate(np.asarray(l1["beam_incidence"].values, float)):
        look = modulation.beam_look(float(inc))
        pp = modulation.invert_periodograms(per[:, :, b], look, mss)
        pp = modulation.normalise_to_nadir(pp, k, np.nan_to_num(hs))
        out[:, :, b] = np.where(np.isfinite(hs)[..., None, None], pp, np.nan)
    return xr.DataArray(out, dims=(ps.SIDE, ps.BOX, ps.BEAM, ps.K, ps.PHI))


def _combined(pp: xr.DataArray, beams: np.ndarray) -> xr.DataArray:
    """``p_combined``: the look-weighted mean of the ``COMBINED_BEAMS`` spectra."""
    use = [i for i, b in enumerate(beams) if float(b) in COMBINED_BEAMS] or list(range(beams.size))
    parts = [pp.isel({ps.BEAM: i}).values for i in use]
    weights = [modulation.beam_look(float(beams[i])).n_looks for i in use]
    return xr.DataArray(modulation.combine_beams(parts, weights),
                        dims=(ps.SIDE, ps.BOX, ps.K, ps.PHI))  # fmt: skip


def _params_and_partitions(
    ds: xr.Dataset, name: str, max_partitions: int
) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray, xr.DataArray]:
    """``wave_param``, ``wave_param_part``, ``mask_spectrum``, ``number_of_partitions``."""
    par = spectra.wave_params(ds, name)
    part = spectra.partition(ds, name, max_partitions)
    wave = xr.concat([par[n] for n in _PARAM_NAMES], dim=ps.PARAM)
    wave_part = xr.concat([part[n] for n in _PARAM_NAMES], dim=ps.PARAM)
    valid = par["spectrum_complete"]
    number = part["number_of_partitions"].where(valid, -1).astype(np.int8)
    return wave, wave_part, part["mask_spectrum"], number


def spectra_and_partitions(
    l1: xr.Dataset, hs_box: np.ndarray, max_partitions: int = 3
) -> dict[str, xr.DataArray]:
    """Per-beam and combined spectra, their wave parameters and partitions (module docstring)."""
    axes = {n: l1[n] for n in ("k_spectra", "phi_vector")}
    pp = _beam_spectra(l1, hs_box)
    if "land_fraction_box" in l1:  # land in the box: no ocean wave spectrum (flagged invalid)
        land = l1["land_fraction_box"].transpose(ps.SIDE, ps.BOX) > LAND_FRACTION_LIMIT
        pp = pp.where(~land)
    comb = _combined(pp, np.asarray(l1["beam_incidence"].values, float))
    beams = xr.Dataset({"pp_mean": pp, "p_combined": comb, **axes})
    out: dict[str, xr.DataArray] = {"pp_mean": pp, "p_combined": comb}
    out["flag_valid_pp_mean"] = pp.isnull().astype(np.int8)
    wave, part, mask, number = _params_and_partitions(beams, "pp_mean", max_partitions)
    out |= {"wave_param": wave, "wave_param_part": part, "mask_spectrum": mask,
            "number_of_partitions": number}  # fmt: skip
    wave, part, mask, number = _params_and_partitions(beams, "p_combined", max_partitions)
    out |= {"wave_param_combined": wave, "wave_param_part_combined": part,
            "mask_spectrum_combined": mask, "number_of_partitions_combined": number}  # fmt: skip
    return out


def _tidy(name: str, da: xr.DataArray) -> xr.DataArray:
    """Layout dims order and CF attributes for a layout variable; extras unchanged."""
    if name in ps.LAYOUT:
        return da.transpose(*ps.LAYOUT[name].dims).assign_attrs(ps.LAYOUT[name].attrs)
    if name == "wave_param_part_combined":
        return da.transpose(ps.PARAM, ps.PART, ps.SIDE, ps.BOX).assign_attrs(
            ps.LAYOUT["wave_param_part"].attrs)  # fmt: skip
    if name == "mask_spectrum_combined":
        return da.transpose(ps.K, ps.PHI, ps.PART, ps.SIDE, ps.BOX).assign_attrs(
            ps.LAYOUT["mask_spectrum"].attrs)  # fmt: skip
    return da


def _time_flags(ds: dict[str, xr.DataArray]) -> dict[str, xr.DataArray]:
    """In-memory ``flag_valid_time_*`` (1 where NaT), as the readers make them."""
    out = {}
    for name in ("time_nadir_l2", "time_spec_l2", "time_nadir_native", "time_nadir_1hz"):
        nat = np.isnat(np.asarray(ds[name].values, "datetime64[ns]"))
        out[f"flag_valid_{name}"] = xr.DataArray(nat.astype(np.int8), dims=ds[name].dims)
    return out


def l1_to_l2(l1: xr.Dataset, method: str = "mle", max_partitions: int = 3) -> xr.Dataset:
    """Process a SWIM L1 Dataset (:mod:`fcspace.cfosat.swim.simulate` layout) to the full L2.

    Parameters
    ----------
    l1
        L1 Dataset: native waveforms, box geometry, periodograms, ``mss`` (and ``truth_*``).
    method
        Nadir retracker, ``"mle"`` (speckle likelihood) or ``"ls"`` (least squares).
    max_partitions
        Largest number of partitions per spectrum.

    Returns
    -------
    xarray.Dataset
        The in-memory SWIM layout (``docs/swim_layout.md``), full L2 variables, ``truth_*``
        carried, partitions of ``p_combined`` as extra variables (module docstring).

    Raises
    ------
    InputError
        The L1 is incomplete (:func:`~fcspace.cfosat.swim.io.check_l1`) or ``method``
        is unknown.
    """
    check_l1(l1, l1.encoding.get("source"))
    geo = ("time_nadir_l2", "lat_nadir_l2", "lon_nadir_l2", "phi_orbit_box", "time_spec_l2",
           "lat_spec_l2", "lon_spec_l2", "k_spectra", "phi_vector", "beam_incidence")  # fmt: skip
    data: dict[str, xr.DataArray] = {n: l1[n] for n in geo}
    data |= box_bounds(l1["lat_nadir_l2"].values, l1["lon_nadir_l2"].values,
                       l1["phi_orbit_box"].values)  # fmt: skip
    data |= nadir_rates(l1, method)
    if "truth_wave_param" in l1:  # the scene stands in for the model collocated by CNES
        data["swh_ecmwf"] = l1["truth_wave_param"].isel(nparam=0, drop=True).assign_attrs(
            ps.LAYOUT["swh_ecmwf"].attrs | {"comment": SWH_MODEL_COMMENT})  # fmt: skip
    data |= spectra_and_partitions(l1, data["nadir_swh_box"].values, max_partitions)
    data |= _time_flags(data)
    data |= {str(n): v for n, v in l1.data_vars.items() if str(n).startswith("truth_")}
    ds = xr.Dataset({n: _tidy(n, da) for n, da in data.items()})
    ds.attrs = {k: v for k, v in l1.attrs.items() if k != "processing_level"}
    ds.attrs["processing_level"] = "L2"
    return add_history(ds, f"SWIM L1 to L2 (nadir {method} retracking, spectra, partitions)")


def process_file(task: tuple[str | os.PathLike[str], str | os.PathLike[str]]) -> dict[str, Any]:
    """Process one L1 file into one full L2 file; ``task`` is ``(l1_path, l2_path)``."""
    src, dst = task
    l2 = l1_to_l2(open_l1(src))
    write_l2(l2, dst)
    return {"input": str(src), "output": str(Path(dst))} | l2_summary(l2)
