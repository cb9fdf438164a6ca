"""Simulated CFOSat SCAT L1B data: the swath, the NWP background and noisy sigma0 views.

The output follows the L1B layout of ``docs/scat_layout.md``. The WVC positions come from the
CFOSat ground track (`fcspace.cfosat.platform`), the views of each wind vector cell from the
rotating fan-beam geometry of `fcspace.cfosat.scat.instrument`, sigma0 from the GMF
(`fcspace.cfosat.scat.gmf.sigma0`, NSCAT-4DS by default) and the noise from the instrument's
Kp model, measured = true (1 + Kp eps), eps ~ N(0, 1). The truth wind scenes (cyclone,
synoptic, background error) are those of `fcspace.cfosat.scat.scenes`.
"""

from __future__ import annotations

from os import PathLike
from typing import Any, Literal

import numpy as np
import xarray as xr

from fcspace.cfosat.platform import cross_track_points, ground_track, ground_track_heading
from fcspace.cfosat.scat import gmf
from fcspace.cfosat.scat.input_checks import check_simulation_inputs
from fcspace.cfosat.scat.instrument import CFOSAT_SCAT, ScatInstrument, swath_views
from fcspace.cfosat.scat.io import read_l2b_background
from fcspace.cfosat.scat.product_specs import LAND_FRACTION_LIMIT
from fcspace.cfosat.scat.scenes import add_background_error, scene_truth
from fcspace.core.errors import InputError
from fcspace.core.validation import check_range

__all__ = [
    "simulate_l1b",
    "simulate_orbit_segment",
    "swath_lat_lon",
]

GMF_SPEED_RANGE = (0.2, 50.0)  # m/s, speed nodes of the NSCAT-4DS table (gmf.py)

Scene = Literal["cyclone", "synoptic", "l2b_background"]


def swath_lat_lon(
    n_rows: int,
    start_lat: float = -20.0,
    start_lon: float = 150.0,
    ascending: bool = True,
    instrument: ScatInstrument = CFOSAT_SCAT,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WVC centres of a swath segment, and the time of each row (s from the first row).

    Nadir from the CFOSat ground track (`fcspace.cfosat.platform.ground_track`: circular
    orbit on a rotating sphere, Vallado 2013 sect. 11.4); rows every WVC size along track
    (t = i * wvc_size / v). Cells are placed on great circles perpendicular to the track
    heading (`fcspace.cfosat.platform.cross_track_points`), negative offsets to the left.
    """
    inst = instrument
    t = np.arange(n_rows) * inst.wvc_size_m / inst.ground_speed_m_s
    lat, lon, heading = ground_track(t, start_lat, start_lon, ascending, inst.platform)
    offsets = inst.cell_offsets_m[None, :]
    wlat, wlon = cross_track_points(
        lat[:, None], lon[:, None], heading[:, None], offsets, inst.platform
    )
    return wlat, wlon, t


def _check_shapes(
    truth_speed: np.ndarray, truth_dir: np.ndarray, lat: np.ndarray, lon: np.ndarray, n_cells: int
) -> None:
    """Raise InputError unless the 2-D fields agree and have the instrument's cell count."""
    shape = np.shape(truth_speed)
    for name, arr in (("truth_dir", truth_dir), ("wvc_lat", lat), ("wvc_lon", lon)):
        if np.shape(arr) != shape:
            raise InputError(f"shape {np.shape(arr)} differs from truth_speed {shape}", None, name)
    if len(shape) != 2 or shape[1] != n_cells:
        raise InputError(f"expected (numrows, {n_cells}), got {shape}", variable="truth_speed")


def _pass_direction(lat: np.ndarray, ascending: bool | None) -> np.ndarray:
    """Per-row ascending flag, from the nadir latitude's trend when not given."""
    if ascending is not None:
        return np.full(lat.shape[0], ascending)
    if lat.shape[0] < 2:
        raise InputError("one row: give `ascending` explicitly", variable="wvc_lat")
    mid = lat.shape[1] // 2
    return np.gradient(0.5 * (lat[:, mid - 1] + lat[:, mid])) >= 0


def _true_sigma0(
    speed: np.ndarray, wind_dir: np.ndarray, geo: xr.Dataset, azimuth: np.ndarray, model: str
) -> np.ndarray:
    """Noise-free sigma0 of every view from the GMF, NaN where there is no view."""
    rel_dir = (wind_dir[..., None] - azimuth + 180.0) % 360.0
    pol = geo.polarisation.values
    out = np.full(pol.shape, np.nan)
    speed3 = np.broadcast_to(speed[..., None], pol.shape)
    for code, name in ((0, "VV"), (1, "HH")):
        m = pol == code
        if m.any():
            out[m] = gmf.sigma0(speed3[m], rel_dir[m], geo.incidence.values[m], name, model)
    return out


def simulate_l1b(
    truth_speed: np.ndarray,
    truth_dir: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    row_time: np.ndarray,
    rng: np.random.Generator | int | None,
    instrument: ScatInstrument = CFOSAT_SCAT,
    model_speed: np.ndarray | None = None,
    model_dir: np.ndarray | None = None,
    ascending: bool | None = None,
    rotation_phase_deg: float | None = None,
    gmf_model: str = "nscat4ds",
    max_views: int | None = None,
    land: bool = True,
) -> xr.Dataset:
    """Simulate L1B sigma0 views of a swath from a truth wind field.

    Views from the rotating fan beam (`fcspace.cfosat.scat.instrument.swath_views`, azimuth
    turned from the flight direction to north by the ground-track heading), sigma0 from the
    GMF at rel_dir = (wind_dir - azimuth + 180) mod 360, and multiplicative speckle and
    thermal noise measured = true (1 + Kp eps), eps ~ N(0, 1), Kp from the instrument's
    SNR model (Fischer 1972 form, `fcspace.cfosat.scat.instrument.ScatInstrument.kp`).
    Without ``model_speed`` / ``model_dir`` the background is the truth plus
    `add_background_error`.

    Parameters
    ----------
    truth_speed, truth_dir
        True 10 m wind, m/s and "to" direction in degrees, (numrows, numcells). Speeds are
        clipped to the GMF table range (0.2-50 m/s); the clipped truth is returned.
    lat, lon, row_time
        WVC centres (degrees) and row times (datetime64).
    rng
        Random generator or seed (rotation phase, background error, noise).
    instrument
        Instrument constants and geometry.
    model_speed, model_dir
        NWP background to store as is (optional).
    ascending
        Pass direction; inferred from the latitude trend when None.
    rotation_phase_deg
        Antenna azimuth at the first row's nadir time; drawn uniformly when None.
    gmf_model
        GMF name for `fcspace.cfosat.scat.gmf.sigma0`.
    max_views
        Size of the numviews dimension (views beyond it dropped, missing ones NaN); by
        default the largest count in the segment (18 for CFOSat SCAT).
    land
        Apply the land/sea mask (:func:`fcspace.core.landmask.footprint_land_fraction` over
        the 25 km cell): cells with any land get no ocean sigma0 (views NaN) and no truth
        wind, and the L1B carries ``land_fraction`` so that the processor flags them land
        (``wvc_quality`` bit 32768, as the NSOAS/KNMI products do).

    Returns
    -------
    xarray.Dataset
        The L1B layout of ``docs/scat_layout.md``.
    """
    check_simulation_inputs(truth_speed, truth_dir, lat, lon, rotation_phase_deg, max_views)
    rng = np.random.default_rng(rng)
    speed = np.clip(np.asarray(truth_speed, dtype=float), *GMF_SPEED_RANGE)
    wind_dir = np.asarray(truth_dir, dtype=float) % 360.0
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    _check_shapes(speed, wind_dir, lat, lon, instrument.n_cells)
    phase = rng.uniform(0.0, 360.0) if rotation_phase_deg is None else rotation_phase_deg
    geo = swath_views(speed.shape[0], instrument, phase, max_views)
    asc = _pass_direction(lat, ascending)
    heading = ground_track_heading(lat.mean(axis=1), asc, instrument.platform)
    azimuth = (heading[:, None, None] + geo.rel_azimuth.values) % 360.0
    if model_speed is None or model_dir is None:
        model_speed, model_dir = add_background_error(
            speed, wind_dir, rng, spacing_m=instrument.wvc_size_m
        )
    s0 = _true_sigma0(speed, wind_dir, geo, azimuth, gmf_model)
    kp = instrument.kp(s0, geo.incidence.values)
    measured = s0 * (1.0 + kp * rng.standard_normal(s0.shape))
    land_frac = np.zeros(lat.shape)
    if land:
        from fcspace.core.landmask import footprint_land_fraction

        land_frac = footprint_land_fraction(lat, lon, 0.5 * instrument.wvc_size_m)
        over = land_frac > LAND_FRACTION_LIMIT  # product_specs: the limit the products flag
        measured[over], speed[over], wind_dir[over] = np.nan, np.nan, np.nan
    fields = {
        "sigma0": measured,
        "kp": kp,
        "azimuth": azimuth,
        "incidence": geo.incidence.values,
        "polarisation": geo.polarisation.values,
        "look": geo.look.values,
        "wvc_lat": lat,
        "wvc_lon": lon,
        "row_time": np.asarray(row_time).astype("datetime64[ns]"),
        "model_speed": np.asarray(model_speed, dtype=float),
        "model_dir": np.asarray(model_dir, dtype=float) % 360.0,
        "truth_speed": speed,
        "truth_dir": wind_dir,
        "land_fraction": land_frac,
    }
    return _l1b_dataset(fields, instrument, phase)


_L1B_ATTRS: dict[str, dict[str, Any]] = {
    "sigma0": {"units": "1", "long_name": "measured normalised radar cross-section (linear)"},
    "kp": {"units": "1", "long_name": "normalised standard deviation of sigma0 (Kp)"},
    "azimuth": {"units": "degree", "long_name": "look azimuth, radar towards cell, from north"},
    "incidence": {"units": "degree", "long_name": "incidence angle"},
    "polarisation": {"units": "1", "flag_values": [-1, 0, 1], "flag_meanings": "none VV HH"},
    "look": {"units": "1", "flag_values": [-1, 0, 1], "flag_meanings": "none fore aft"},
    "wvc_lat": {"units": "degrees_north", "standard_name": "latitude"},
    "wvc_lon": {"units": "degrees_east", "standard_name": "longitude"},
    "row_time": {"long_name": "time of the row"},
    "model_speed": {"units": "m s-1", "long_name": "NWP background wind speed"},
    "model_dir": {"units": "degree", "standard_name": "wind_to_direction"},
    "truth_speed": {"units": "m s-1", "long_name": "true 10 m wind speed"},
    "truth_dir": {"units": "degree", "standard_name": "wind_to_direction"},
    "land_fraction": {"units": "1", "standard_name": "land_area_fraction",
                      "long_name": "land fraction of the wind vector cell (GLOBE mask)"},
}


def _l1b_dataset(
    fields: dict[str, np.ndarray], instrument: ScatInstrument, phase: float
) -> xr.Dataset:
    """Wrap the simulated arrays in the L1B layout with units and provenance attributes."""
    dims = {3: ("numrows", "numcells", "numviews"), 2: ("numrows", "numcells"), 1: ("numrows",)}
    data = {k: (dims[np.ndim(a)], a, _L1B_ATTRS[k]) for k, a in fields.items()}
    attrs = {
        "title": "simulated CFOSat SCAT L1B (fcspace)",
        "source": "fcspace.cfosat.scat.simulate",
        "rotation_phase_deg": float(phase),
        "orbit_altitude_m": instrument.altitude_m,
    }
    return xr.Dataset(data, attrs=attrs)


def simulate_orbit_segment(
    n_rows: int = 500,
    scene: Scene = "cyclone",
    seed: int | np.random.Generator | None = 0,
    instrument: ScatInstrument = CFOSAT_SCAT,
    start_lat: float = 10.0,
    start_lon: float = -130.0,
    ascending: bool = True,
    start_time: np.datetime64 | str = "2021-08-01T00:00:00",
    l2b_path: str | PathLike[str] | None = None,
    l2b_first_row: int = 0,
    land: bool = True,
    **scene_kwargs: Any,
) -> xr.Dataset:
    """Simulate the L1B of a swath segment over a truth scene.

    ``"cyclone"``: `cyclone_field` centred (by default) at mid-segment, about 200 km right of
    the track, embedded in a random synoptic environment (``environment``: `synoptic_field`
    keywords, default 5 m/s mean flow with 2 m/s perturbations; None for a uniform steering
    flow only); ``"synoptic"``: `synoptic_field`; both on the positions of `swath_lat_lon`.
    ``"l2b_background"``: the model wind of a real L2B file (``l2b_path``, rows from
    ``l2b_first_row``) is the truth, on the file's own positions and times. ``scene_kwargs``
    go to the scene's field function. See `simulate_l1b` for the rest. ``n_rows`` (1-100000),
    ``start_lat`` ([-90, 90]) and ``start_lon`` ([-360, 360]) out of range: ConfigError.
    ``land``: the land/sea mask applied (no ocean wind over land, see `simulate_l1b`).
    """
    check_range("n_rows", n_rows, 1, 100_000)
    check_range("start_lat", start_lat, -90.0, 90.0)
    check_range("start_lon", start_lon, -360.0, 360.0)
    rng = np.random.default_rng(seed)
    if scene == "l2b_background":
        if l2b_path is None:
            raise InputError("scene 'l2b_background' needs l2b_path (a SCAT L2B file)")
        bg = read_l2b_background(l2b_path, slice(l2b_first_row, l2b_first_row + n_rows))
        return simulate_l1b(
            bg["model_speed"],
            bg["model_dir"],
            bg["wvc_lat"],
            bg["wvc_lon"],
            bg["row_time"],
            rng,
            instrument,
            land=land,
        )
    lat, lon, t = swath_lat_lon(n_rows, start_lat, start_lon, ascending, instrument)
    speed, wind_dir = scene_truth(scene, lat, lon, rng, instrument, dict(scene_kwargs))
    times = np.datetime64(start_time, "ns") + (t * 1e9).astype("timedelta64[ns]")
    return simulate_l1b(speed, wind_dir, lat, lon, times, rng, instrument, ascending=ascending,
                        land=land)  # fmt: skip
