"""Observations of an in-memory SCAT L2B or SWIM L2 Dataset, binned per period and family.

SCAT: selected winds (``wind_speed_selection``, ``wind_dir_selection`` in the "to"
convention; ``u = s sin d``, ``v = s cos d``), cells flagged land, ice or inversion failure
dropped. SWIM: ``nadir_swh_box``; SWH, peak wavelength and peak direction of the spectra from
``wave_param_combined`` when the Dataset has it, else ``wave_param`` of the beam nearest
10 deg. Ascending/descending: SCAT rows by the sign of the along-track latitude change, SWIM
boxes by ``cos(phi_orbit_box) > 0`` (track heading towards north).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import xarray as xr

from fcspace.cfosat.grid.accumulate import Accumulator
from fcspace.cfosat.grid.spec import AXIAL, GridSpec, Period, period_key
from fcspace.core.errors import InputError


def _scat_observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """Selected winds of an L2B Dataset, one value per wind vector cell."""
    speed = np.asarray(ds["wind_speed_selection"].values, float)
    direc = np.radians(np.asarray(ds["wind_dir_selection"].values, float))
    lat = np.asarray(ds["wvc_lat"].values, float)
    centre = np.nanmean(np.where(np.isfinite(lat), lat, np.nan), axis=1) if lat.size else lat
    ascending = np.gradient(np.nan_to_num(centre)) >= 0 if centre.size > 1 else np.ones(1, bool)
    ok = np.isfinite(speed) & np.isfinite(direc)
    for flag in ("flag_land", "flag_ice", "flag_inversion_failed"):
        if flag in ds:
            ok &= ~np.asarray(ds[flag].values, bool)
    values = {
        "lat": lat,
        "lon": np.asarray(ds["wvc_lon"].values, float),
        "time": np.broadcast_to(ds["row_time"].values[:, None], lat.shape),
        "ascending": np.broadcast_to(ascending[:, None], lat.shape),
        "wind_speed": speed,
        "eastward_wind": speed * np.sin(direc),
        "northward_wind": speed * np.cos(direc),
    }
    yield "wind", {k: v[ok] for k, v in values.items()}


def _swim_ascending(ds: xr.Dataset) -> np.ndarray:
    if "phi_orbit_box" in ds:
        return np.cos(np.radians(np.asarray(ds["phi_orbit_box"].values, float))) >= 0
    return np.gradient(np.nan_to_num(np.asarray(ds["lat_nadir_l2"].values, float))) >= 0


def _wave_param(ds: xr.Dataset) -> xr.DataArray:
    """(nparam, n_posneg, n_box): combined parameters, else the beam nearest 10 degrees."""
    if "wave_param_combined" in ds:
        return ds["wave_param_combined"]
    beam = int(np.argmin(np.abs(np.asarray(ds["beam_incidence"].values, float) - 10.0)))
    return ds["wave_param"].isel(n_beam_l2=beam)


def _swim_observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """Nadir SWH per box, and SWH / peak wavelength / peak direction per spectrum box."""
    asc = _swim_ascending(ds)
    nadir = {
        "lat": ds["lat_nadir_l2"].values,
        "lon": ds["lon_nadir_l2"].values,
        "time": ds["time_nadir_l2"].values,
        "ascending": asc,
        "nadir_swh": np.asarray(ds["nadir_swh_box"].values, float),
    }
    yield "nadir", {k: v[np.isfinite(nadir["nadir_swh"])] for k, v in nadir.items()}
    wp = _wave_param(ds).transpose("nparam", "n_posneg", "n_box").values.astype(float)
    lat = ds["lat_spec_l2"].transpose("n_posneg", "n_box").values
    spec = {
        "lat": lat,
        "lon": ds["lon_spec_l2"].transpose("n_posneg", "n_box").values,
        "time": ds["time_spec_l2"].transpose("n_posneg", "n_box").values,
        "ascending": np.broadcast_to(asc, lat.shape),
        "swh": wp[0],
        "peak_wavelength": wp[1],
        AXIAL: wp[2],
    }
    ok = np.isfinite(wp).all(axis=0)
    yield "spectra", {k: v[ok] for k, v in spec.items()}


def observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """(family, arrays) of an in-memory SCAT L2B or SWIM L2 Dataset (layout detected)."""
    if "wind_speed_selection" in ds:
        return _scat_observations(ds)
    if "nadir_swh_box" in ds:
        return _swim_observations(ds)
    raise InputError("neither a SCAT L2B (wind_speed_selection) nor a SWIM L2 (nadir_swh_box)")


def bin_dataset(
    ds: xr.Dataset, grid: GridSpec, period: Period = "daily", split_passes: bool = False
) -> dict[tuple[np.datetime64, str], Accumulator]:
    """Sparse accumulators of one L2 Dataset, keyed by (period start, family).

    Observations with NaT time or no position are dropped; one observation may land in a
    different period from its neighbours (a revolution across midnight is split).
    """
    out: dict[tuple[np.datetime64, str], Accumulator] = {}
    for family, obs in observations(ds):
        keys = period_key(obs["time"], period)
        cell = grid.cell_index(obs["lat"], obs["lon"])
        ok = (cell >= 0) & ~np.isnat(keys)
        passes = (~np.asarray(obs["ascending"], bool)).astype(np.int64) if split_passes else 0
        flat = np.where(ok, passes * grid.n_cells + cell, -1)
        for key in np.unique(keys[ok]):
            sel = ok & (keys == key)
            values = {k: np.asarray(v)[sel] for k, v in obs.items()}
            out[(key, family)] = Accumulator.from_observations(family, flat[sel], values)
    return out
