"""Truth wind scenes for the SCAT simulator: tropical cyclone, synoptic flow, NWP background.

Wind fields on the WVC positions of a swath: a Holland vortex embedded in a random synoptic
environment, smooth random synoptic fields, the NWP background (truth plus a correlated
vector error) and a truth made from a real L2B's model wind. Directions are oceanographic
("to", degrees clockwise from north), speeds in m/s. Used by `fcspace.cfosat.scat.simulate`.

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

from typing import Any

import numpy as np
from scipy import ndimage

from fcspace.cfosat.platform import CFOSAT
from fcspace.cfosat.scat.instrument import CFOSAT_SCAT, ScatInstrument
from fcspace.core.errors import InputError
from fcspace.core.geodesy import equirectangular_xy

__all__ = [
    "BACKGROUND_ERROR_LENGTH_M",
    "BACKGROUND_ERROR_RMS",
    "add_background_error",
    "correlated_vector_field",
    "cyclone_field",
    "holland_wind",
    "scene_truth",
    "speed_dir_to_uv",
    "synoptic_field",
    "truth_from_background",
    "uv_to_speed_dir",
]

BACKGROUND_ERROR_RMS = 1.8  # m/s vector RMS of the NWP background, [Stoffelen1998], [Vogelzang2011]
BACKGROUND_ERROR_LENGTH_M = 200.0e3  # m, error correlation length, [Vogelzang2011]
RHO_AIR = 1.15  # kg m-3, boundary-layer air density used by [Holland1980]
SURFACE_FACTOR = 0.8  # 10 m / gradient wind ratio, [Powell2003]
INFLOW_DEG = 20.0  # surface inflow angle, [Zhang2012]
OMEGA_EARTH = CFOSAT.earth_rotation_rad_s  # rad/s (IERS, see fcspace.cfosat.platform)
EARTH_RADIUS_M = CFOSAT.earth_radius_m  # m, IUGG mean radius (see fcspace.cfosat.platform)


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
    x, y = equirectangular_xy(lat, lon, centre_lat, centre_lon, EARTH_RADIUS_M)
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


def truth_from_background(
    model_speed: np.ndarray, model_dir: np.ndarray, path: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """A realistic truth field from an NWP background (e.g. a real L2B's model wind).

    The (u, v) components are gap-filled from the nearest valid WVC (NaN, e.g. over land or
    ice, would otherwise leave holes in the truth). Directions are "to", degrees. ``path``
    (the file the background comes from) is named in the error of an all-missing field.
    """
    speed, wind_dir = np.asarray(model_speed, float), np.asarray(model_dir, float)
    for name, values in (("model_speed", speed), ("model_dir", wind_dir)):
        if values.size and not np.isfinite(values).any():
            raise InputError("the background wind field has no valid value", path, name)
    u, v = speed_dir_to_uv(speed, wind_dir)
    return uv_to_speed_dir(_fill_nearest(u, path), _fill_nearest(v, path))


def _fill_nearest(a: np.ndarray, path: Any = None) -> np.ndarray:
    """Replace NaN by the value of the nearest finite element (Euclidean in index space)."""
    bad = ~np.isfinite(a)
    if not bad.any():
        return a
    if bad.all():
        raise InputError(
            "the background wind field has no cell where both speed and direction are valid",
            path,
            "model_speed",
        )
    idx = ndimage.distance_transform_edt(bad, return_distances=False, return_indices=True)
    return a[tuple(idx)]


def _cell_right_of_track(distance_m: float, instrument: ScatInstrument = CFOSAT_SCAT) -> int:
    """Index of the cell whose centre is nearest ``distance_m`` right of the ground track."""
    return int(np.argmin(np.abs(instrument.cell_offsets_m - distance_m)))


def scene_truth(
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
