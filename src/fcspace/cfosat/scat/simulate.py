"""Simulated CFOSat SCAT L1B data: truth wind fields, NWP background, noisy sigma0 views.

The output follows the L1B layout of ``docs/scat_layout.md``. The views of each wind vector
cell come from the rotating fan-beam geometry of `fcspace.cfosat.scat.instrument`, sigma0 from
the GMF (`fcspace.cfosat.scat.gmf.sigma0`, NSCAT-4DS by default) and the noise from the
instrument's Kp model, measured = true (1 + Kp eps), eps ~ N(0, 1).

Sources
-------
- [Holland1980] Holland, G. J. (1980). An analytic model of the wind and pressure profiles in
  hurricanes. Monthly Weather Review 108, 1212-1218.
- [Powell2003] Powell, M. D., Vickery, P. J., Reinhold, T. A. (2003). Reduced drag coefficient
  for high wind speeds in tropical cyclones. Nature 422, 279-283; and Franklin, J. L., Black,
  M. L., Valde, K. (2003), Weather and Forecasting 18, 32-44 (surface / gradient-level wind
  ratio about 0.8 over the ocean).
- [Zhang2012] Zhang, J. A., Uhlhorn, E. W. (2012). Hurricane sea surface inflow angle and an
  observation-based parametric model. Monthly Weather Review 140, 3587-3605 (mean surface
  inflow angle about 20 deg).
- [Stoffelen1998] Stoffelen, A. (1998). Toward the true near-surface wind speed: error
  modeling and calibration using triple collocation. JGR 103(C4), 7755-7766.
- [Vogelzang2011] Vogelzang, J., Stoffelen, A., Verhoef, A., Figa-Saldana, J. (2011). On the
  quality of high-resolution scatterometer winds. JGR 116, C10033 (ECMWF background vector
  errors of about 1.5-2 m/s, correlated over a few hundred km).
- [Evensen2003] Evensen, G. (2003). The Ensemble Kalman Filter: theoretical formulation and
  practical implementation. Ocean Dynamics 53, 343-367 (smooth pseudo-random fields with
  Gaussian covariance by filtering white noise).
"""

from __future__ import annotations

from os import PathLike
from typing import Any, Literal

import numpy as np
import xarray as xr
from scipy import ndimage

from fcspace.cfosat.scat import gmf
from fcspace.cfosat.scat.instrument import (
    CFOSAT_SCAT,
    ScatInstrument,
    ground_track_heading,
    swath_views,
)
from fcspace.core.errors import InputError

__all__ = [
    "BACKGROUND_ERROR_LENGTH_M",
    "BACKGROUND_ERROR_RMS",
    "add_background_error",
    "correlated_vector_field",
    "cyclone_field",
    "holland_wind",
    "read_l2b_background",
    "simulate_l1b",
    "simulate_orbit_segment",
    "speed_dir_to_uv",
    "swath_lat_lon",
    "synoptic_field",
    "truth_from_background",
    "uv_to_speed_dir",
]

BACKGROUND_ERROR_RMS = 1.8  # m/s vector RMS of the NWP background, [Stoffelen1998], [Vogelzang2011]
BACKGROUND_ERROR_LENGTH_M = 200.0e3  # m, error correlation length, [Vogelzang2011]
GMF_SPEED_RANGE = (0.2, 50.0)  # m/s, speed nodes of the NSCAT-4DS table (gmf.py)
RHO_AIR = 1.15  # kg m-3, boundary-layer air density used by [Holland1980]
SURFACE_FACTOR = 0.8  # 10 m / gradient wind ratio, [Powell2003]
INFLOW_DEG = 20.0  # surface inflow angle, [Zhang2012]
OMEGA_EARTH = CFOSAT_SCAT.earth_rotation_rad_s  # rad/s (IERS, see instrument.py)
EARTH_RADIUS_M = CFOSAT_SCAT.earth_radius_m  # m, IUGG mean radius (see instrument.py)

Scene = Literal["cyclone", "synoptic", "l2b_background"]


def speed_dir_to_uv(speed: np.ndarray, wind_dir: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eastward and northward components of a wind given as speed and "to" direction (deg)."""
    rad = np.radians(wind_dir)
    return speed * np.sin(rad), speed * np.cos(rad)


def uv_to_speed_dir(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Speed and oceanographic "to" direction (deg, clockwise from north) of (u, v)."""
    return np.hypot(u, v), np.degrees(np.arctan2(u, v)) % 360.0


def holland_wind(
    r: np.ndarray,
    pc: float,
    pn: float,
    rmax: float,
    b: float,
    lat: float,
    rho_air: float = RHO_AIR,
) -> np.ndarray:
    """Gradient wind speed of the Holland (1980) vortex, m/s.

    V(r) = sqrt( B/rho (Rmax/r)^B (pn - pc) exp(-(Rmax/r)^B) + (r f / 2)^2 ) - r f / 2
    ([Holland1980], Eq. 4), f = 2 Omega |sin(lat)|. Pressures in Pa, distances in m.
    Without Coriolis the maximum is sqrt(B (pn - pc) / (rho e)) at r = Rmax (Eq. 5-6).
    """
    r = np.maximum(np.asarray(r, dtype=float), 1.0)
    f = 2.0 * OMEGA_EARTH * abs(np.sin(np.radians(lat)))
    x = (rmax / r) ** b
    cyclo = b / rho_air * x * (pn - pc) * np.exp(-x)
    return np.sqrt(cyclo + (r * f / 2.0) ** 2) - r * f / 2.0


def _local_xy(
    lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float
) -> tuple[np.ndarray, np.ndarray]:
    """East and north distances (m) from (lat0, lon0), equirectangular projection."""
    dlon = (np.asarray(lon) - lon0 + 180.0) % 360.0 - 180.0
    x = EARTH_RADIUS_M * np.radians(dlon) * np.cos(np.radians(lat0))
    return x, EARTH_RADIUS_M * np.radians(np.asarray(lat) - lat0)


def cyclone_field(
    lat: np.ndarray,
    lon: np.ndarray,
    centre_lat: float,
    centre_lon: float,
    pc: float = 960.0e2,
    pn: float = 1010.0e2,
    rmax: float = 40.0e3,
    b: float = 1.5,
    steering_uv: tuple[float, float] = (3.0, 2.0),
) -> tuple[np.ndarray, np.ndarray]:
    """10 m wind of a tropical cyclone: a Holland vortex embedded in a uniform flow.

    The gradient wind `holland_wind` is reduced to 10 m by ``SURFACE_FACTOR`` (0.8,
    [Powell2003]) and turned inwards by ``INFLOW_DEG`` (20 deg, [Zhang2012]); it rotates
    counter-clockwise in the northern hemisphere, clockwise in the southern. The uniform
    synoptic (steering) flow ``steering_uv`` (m/s, east/north) is added.

    Returns
    -------
    tuple of numpy.ndarray
        Speed (m/s) and "to" direction (deg).
    """
    x, y = _local_xy(lat, lon, centre_lat, centre_lon)
    r = np.hypot(x, y)
    speed = SURFACE_FACTOR * holland_wind(r, pc, pn, rmax, b, centre_lat)
    sense = 1.0 if centre_lat >= 0 else -1.0  # +1: counter-clockwise
    rs = np.maximum(r, 1.0)
    tang_x, tang_y = -sense * y / rs, sense * x / rs
    inflow = np.radians(INFLOW_DEG)
    ux = np.cos(inflow) * tang_x - np.sin(inflow) * x / rs
    uy = np.cos(inflow) * tang_y - np.sin(inflow) * y / rs
    return uv_to_speed_dir(speed * ux + steering_uv[0], speed * uy + steering_uv[1])


def _gaussian_random_field(
    shape: tuple[int, int], sigma_cells: float, rng: np.random.Generator
) -> np.ndarray:
    """Zero-mean unit-variance field with a Gaussian covariance, from filtered white noise.

    White noise convolved with a Gaussian kernel of std s has a Gaussian spectrum and a
    covariance exp(-d^2 / (4 s^2)) ([Evensen2003], sect. 11). The noise is padded by 4 s so
    that the periodic boundary of the filter does not show.
    """
    pad = int(np.ceil(4.0 * sigma_cells)) + 1
    noise = rng.standard_normal((shape[0] + 2 * pad, shape[1] + 2 * pad))
    field = ndimage.gaussian_filter(noise, sigma_cells, mode="wrap")
    field = field[pad : pad + shape[0], pad : pad + shape[1]]
    return (field - field.mean()) / field.std()


def correlated_vector_field(
    shape: tuple[int, int],
    spacing_m: float,
    length_m: float,
    rms: float,
    rng: np.random.Generator,
    divergent_fraction: float = 0.2,
) -> tuple[np.ndarray, np.ndarray]:
    """Smooth random (u, v) field from a random stream function and velocity potential.

    u = -d psi/dy + d chi/dx, v = d psi/dx + d chi/dy (Helmholtz decomposition; e.g. Holton
    2004, An Introduction to Dynamic Meteorology, sect. 11.2), psi and chi Gaussian random
    fields with covariance exp(-d^2 / (2 L^2)), L = ``length_m``; ``divergent_fraction`` of
    the variance comes from chi. Rows are the first (along-track, y) axis. The field is
    scaled so that its sample vector RMS, sqrt(mean(u^2 + v^2)), equals ``rms``.
    """
    sigma = length_m / spacing_m / np.sqrt(2.0)
    psi = _gaussian_random_field(shape, sigma, rng)
    chi = _gaussian_random_field(shape, sigma, rng)
    psi_y, psi_x = np.gradient(psi, spacing_m)
    chi_y, chi_x = np.gradient(chi, spacing_m)
    w_rot, w_div = np.sqrt(1.0 - divergent_fraction), np.sqrt(divergent_fraction)
    u = -w_rot * psi_y + w_div * chi_x
    v = w_rot * psi_x + w_div * chi_y
    u, v = u - u.mean(), v - v.mean()
    scale = rms / np.sqrt(np.mean(u**2 + v**2))
    return u * scale, v * scale


def synoptic_field(
    shape: tuple[int, int],
    rng: np.random.Generator,
    spacing_m: float = CFOSAT_SCAT.wvc_size_m,
    mean_speed: float = 9.0,
    mean_dir: float = 45.0,
    perturbation_rms: float = 4.0,
    length_m: float = 500.0e3,
    speed_range: tuple[float, float] = (2.0, 30.0),
) -> tuple[np.ndarray, np.ndarray]:
    """Smooth random synoptic wind field: a mean flow plus a `correlated_vector_field`.

    Speeds are brought into ``speed_range`` by scaling the vectors (directions kept).

    Returns
    -------
    tuple of numpy.ndarray
        Speed (m/s) and "to" direction (deg), of ``shape``.
    """
    u, v = correlated_vector_field(shape, spacing_m, length_m, perturbation_rms, rng)
    u0, v0 = speed_dir_to_uv(mean_speed, mean_dir)
    speed, wind_dir = uv_to_speed_dir(u + u0, v + v0)
    return np.clip(speed, *speed_range), wind_dir


def add_background_error(
    speed: np.ndarray,
    wind_dir: np.ndarray,
    rng: np.random.Generator,
    rms: float = BACKGROUND_ERROR_RMS,
    length_m: float = BACKGROUND_ERROR_LENGTH_M,
    spacing_m: float = CFOSAT_SCAT.wvc_size_m,
) -> tuple[np.ndarray, np.ndarray]:
    """NWP background: truth plus a spatially correlated random vector error.

    The error is a `correlated_vector_field` of vector RMS ``rms`` (1.8 m/s) and correlation
    length ``length_m`` (200 km), in line with the ECMWF background errors estimated by
    triple collocation ([Stoffelen1998]; [Vogelzang2011]).
    """
    du, dv = correlated_vector_field(np.shape(speed), spacing_m, length_m, rms, rng)
    u, v = speed_dir_to_uv(speed, wind_dir)
    return uv_to_speed_dir(u + du, v + dv)


def _destination(
    lat: np.ndarray, lon: np.ndarray, bearing: np.ndarray, dist: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle destination point (deg) from (lat, lon) at a bearing (deg) and distance (m).

    Spherical trigonometry (e.g. Snyder 1987, Map Projections: a Working Manual, USGS PP 1395,
    Eq. 5-5 and 5-6).
    """
    phi, lam, az = np.radians(lat), np.radians(lon), np.radians(bearing)
    d = dist / EARTH_RADIUS_M
    phi2 = np.arcsin(np.sin(phi) * np.cos(d) + np.cos(phi) * np.sin(d) * np.cos(az))
    lam2 = lam + np.arctan2(
        np.sin(az) * np.sin(d) * np.cos(phi), np.cos(d) - np.sin(phi) * np.sin(phi2)
    )
    return np.degrees(phi2), (np.degrees(lam2) + 180.0) % 360.0 - 180.0


def swath_lat_lon(
    n_rows: int,
    start_lat: float = -20.0,
    start_lon: float = 150.0,
    ascending: bool = True,
    instrument: ScatInstrument = CFOSAT_SCAT,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WVC centres of a swath segment, and the time of each row (s from the first row).

    Circular orbit on a rotating sphere: argument of latitude u = u0 + 2 pi t / T,
    nadir latitude asin(sin i sin u), longitude atan2(cos i sin u, cos u) - omega_E t
    (e.g. Vallado 2013, Fundamentals of Astrodynamics, sect. 11.4); rows every WVC size along
    track (t = i * wvc_size / v). Cells are placed on great circles perpendicular to the
    track heading (`ground_track_heading`), negative offsets to the left.
    """
    inst = instrument
    incl = np.radians(inst.inclination_deg)
    t = np.arange(n_rows) * inst.wvc_size_m / inst.ground_speed_m_s
    u0 = np.arcsin(np.clip(np.sin(np.radians(start_lat)) / np.sin(incl), -1.0, 1.0))
    u = (u0 if ascending else np.pi - u0) + 2.0 * np.pi * t / inst.orbit_period_s
    lat = np.degrees(np.arcsin(np.sin(incl) * np.sin(u)))
    lam = np.arctan2(np.cos(incl) * np.sin(u), np.cos(u))
    lam = lam - lam[0] - inst.earth_rotation_rad_s * t
    lon = start_lon + np.degrees(lam)
    asc = np.cos(u) > 0
    heading = ground_track_heading(lat, asc, inst)
    offsets = inst.cell_offsets_m[None, :]
    bearing = heading[:, None] + np.where(offsets >= 0, 90.0, -90.0)
    wlat, wlon = _destination(lat[:, None], lon[:, None], bearing, np.abs(offsets))
    return wlat, wlon, t


def read_l2b_background(
    path: str | PathLike[str], rows: slice | None = None
) -> dict[str, np.ndarray]:
    """Read the model background wind and WVC positions of a real NSOAS SCAT L2B file.

    ``model_speed`` / ``model_dir`` of the file are the NWP wind in the "to" convention
    (degrees); gaps (NaN) are filled from the nearest WVC so that the field can serve as a
    truth. Returns ``wvc_lat``, ``wvc_lon``, ``row_time`` (datetime64[ns]), ``model_speed``,
    ``model_dir``.
    """
    names = ("wvc_lat", "wvc_lon", "row_time", "model_speed", "model_dir")
    try:
        with xr.open_dataset(path) as ds:
            sub = ds[list(names)].isel(numrows=rows or slice(None)).load()
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"cannot read the L2B background: {err}", path=path) from err
    out = {name: sub[name].values for name in names}
    out["row_time"] = _parse_row_time(out["row_time"], path)
    out["model_speed"], out["model_dir"] = truth_from_background(
        out["model_speed"], out["model_dir"]
    )
    return out


def truth_from_background(
    model_speed: np.ndarray, model_dir: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A realistic truth field from an NWP background (e.g. a real L2B's model wind).

    The (u, v) components are gap-filled from the nearest valid WVC (NaN, e.g. over land or
    ice, would otherwise leave holes in the truth). Directions are "to", degrees.
    """
    u, v = speed_dir_to_uv(np.asarray(model_speed, float), np.asarray(model_dir, float))
    return uv_to_speed_dir(_fill_nearest(u), _fill_nearest(v))


def _parse_row_time(raw: np.ndarray, path: str | PathLike[str]) -> np.ndarray:
    """Row times as datetime64[ns] from the L2B's 'YYYY-MM-DDThh:mm:ssZ' byte strings."""
    if np.issubdtype(raw.dtype, np.datetime64):
        return raw.astype("datetime64[ns]")
    text = [s.decode() if isinstance(s, bytes) else str(s) for s in raw]
    try:
        return np.array([s.strip().rstrip("Z") for s in text], dtype="datetime64[ns]")
    except ValueError as err:
        raise InputError(f"unreadable row_time: {err}", path=path, variable="row_time") from err


def _fill_nearest(a: np.ndarray) -> np.ndarray:
    """Replace NaN by the value of the nearest finite element (Euclidean in index space)."""
    bad = ~np.isfinite(a)
    if not bad.any():
        return a
    if bad.all():
        raise InputError("the background wind field has no valid value", variable="model_speed")
    idx = ndimage.distance_transform_edt(bad, return_distances=False, return_indices=True)
    return a[tuple(idx)]


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

    Returns
    -------
    xarray.Dataset
        The L1B layout of ``docs/scat_layout.md``.
    """
    rng = np.random.default_rng(rng)
    speed = np.clip(np.asarray(truth_speed, dtype=float), *GMF_SPEED_RANGE)
    wind_dir = np.asarray(truth_dir, dtype=float) % 360.0
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    _check_shapes(speed, wind_dir, lat, lon, instrument.n_cells)
    phase = rng.uniform(0.0, 360.0) if rotation_phase_deg is None else rotation_phase_deg
    geo = swath_views(speed.shape[0], instrument, phase, max_views)
    heading = ground_track_heading(lat.mean(axis=1), _pass_direction(lat, ascending), instrument)
    azimuth = (heading[:, None, None] + geo.rel_azimuth.values) % 360.0
    if model_speed is None or model_dir is None:
        model_speed, model_dir = add_background_error(
            speed, wind_dir, rng, spacing_m=instrument.wvc_size_m
        )
    s0 = _true_sigma0(speed, wind_dir, geo, azimuth, gmf_model)
    kp = instrument.kp(s0, geo.incidence.values)
    measured = s0 * (1.0 + kp * rng.standard_normal(s0.shape))
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


def _cell_right_of_track(distance_m: float, instrument: ScatInstrument = CFOSAT_SCAT) -> int:
    """Index of the cell whose centre is nearest ``distance_m`` right of the ground track."""
    return int(np.argmin(np.abs(instrument.cell_offsets_m - distance_m)))


def _scene_truth(
    scene: str,
    lat: np.ndarray,
    lon: np.ndarray,
    rng: np.random.Generator,
    instrument: ScatInstrument,
    kwargs: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """Truth wind of a named scene on the given WVC positions."""
    if scene == "cyclone":
        row, cell = lat.shape[0] // 2, _cell_right_of_track(200.0e3, instrument)
        centre = kwargs.pop("centre", (float(lat[row, cell]), float(lon[row, cell])))
        env = kwargs.pop("environment", {"mean_speed": 5.0, "perturbation_rms": 2.0})
        return _embedded_cyclone(lat, lon, centre, rng, instrument, env, kwargs)
    if scene == "synoptic":
        return synoptic_field(lat.shape, rng, instrument.wvc_size_m, **kwargs)
    raise InputError(f"unknown scene {scene!r}; expected cyclone, synoptic or l2b_background")


def _embedded_cyclone(
    lat: np.ndarray,
    lon: np.ndarray,
    centre: tuple[float, float],
    rng: np.random.Generator,
    instrument: ScatInstrument,
    environment: dict[str, Any] | None,
    vortex: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """Holland vortex ([Holland1980]) added, as vectors, to a random synoptic environment.

    ``environment`` holds `synoptic_field` keywords (None: the vortex's uniform steering flow
    only); the vortex then has no steering flow of its own unless ``vortex`` gives one.
    """
    if environment is None:
        return cyclone_field(lat, lon, centre[0], centre[1], **vortex)
    vortex.setdefault("steering_uv", (0.0, 0.0))
    uc, vc = speed_dir_to_uv(*cyclone_field(lat, lon, centre[0], centre[1], **vortex))
    env = {"speed_range": (0.0, 30.0)} | environment
    ue, ve = speed_dir_to_uv(*synoptic_field(lat.shape, rng, instrument.wvc_size_m, **env))
    return uv_to_speed_dir(uc + ue, vc + ve)


def simulate_orbit_segment(
    n_rows: int = 500,
    scene: Scene = "cyclone",
    seed: int | np.random.Generator | None = 0,
    instrument: ScatInstrument = CFOSAT_SCAT,
    start_lat: float = 10.0,
    start_lon: float = 130.0,
    ascending: bool = True,
    start_time: np.datetime64 | str = "2021-08-01T00:00:00",
    l2b_path: str | PathLike[str] | None = None,
    l2b_first_row: int = 0,
    **scene_kwargs: Any,
) -> xr.Dataset:
    """Simulate the L1B of a swath segment over a truth scene.

    ``"cyclone"``: `cyclone_field` centred (by default) at mid-segment, about 200 km right of
    the track, embedded in a random synoptic environment (``environment``: `synoptic_field`
    keywords, default 5 m/s mean flow with 2 m/s perturbations; None for a uniform steering
    flow only); ``"synoptic"``: `synoptic_field`; both on the positions of `swath_lat_lon`.
    ``"l2b_background"``: the model wind of a real L2B file (``l2b_path``, rows from
    ``l2b_first_row``) is the truth, on the file's own positions and times. ``scene_kwargs``
    go to the scene's field function. See `simulate_l1b` for the rest.
    """
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
        )
    lat, lon, t = swath_lat_lon(n_rows, start_lat, start_lon, ascending, instrument)
    speed, wind_dir = _scene_truth(scene, lat, lon, rng, instrument, dict(scene_kwargs))
    times = np.datetime64(start_time, "ns") + (t * 1e9).astype("timedelta64[ns]")
    return simulate_l1b(speed, wind_dir, lat, lon, times, rng, instrument, ascending=ascending)
