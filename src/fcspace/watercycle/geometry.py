"""Viewing geometry of an aperture-synthesis radiometer: director cosines, grid, fields of view.

Antenna frame: z along boresight, tilted forward by ``tilt`` from nadir; y in the plane of
nadir and boresight (towards the flight direction); x = y cross z. Director cosines
``(xi, eta) = (r.x, r.y)`` of a unit look vector r. Spherical Earth of
``array.earth_radius_m``; local frames from :func:`fcspace.core.geodesy.enu_vectors`.

Sources
-------
- [Camps1997] Camps, A., Bará, J., Corbella, I., Torres, F. (1997). The processing of
  hexagonally sampled signals with standard rectangular techniques: application to 2-D large
  aperture synthesis interferometric radiometers. IEEE TGRS 35(1), 183-190 (hexagonal
  sampling of a Y array, reciprocal grid of period 2 / (sqrt(3) d)).
- [Camps1998] Camps, A., Corbella, I., Bará, J., Torres, F. (1998). Radiometric sensitivity
  computation in aperture synthesis interferometric radiometry. IEEE TGRS 36(2), 680-685.
- [Anterrieu2004] Anterrieu, E. (2004). A resolving matrix approach for synthetic aperture
  imaging radiometers. IEEE TGRS 42(8), 1649-1656 (the reconstruction grid and the
  alias-free field of view bounded by the aliases of the unit circle).
- [Ludwig1973] Ludwig, A. C. (1973). The definition of cross polarization. IEEE Trans.
  Antennas Propag. 21(1), 116-119 (definition 3 of the co-polar unit vectors).
- [Zine2008] Zine, S., Boutin, J., Font, J., et al. (2008). Overview of the SMOS sea surface
  salinity prototype processor. IEEE TGRS 46(3), 621-645 (T_X = T_H cos^2 a + T_V sin^2 a,
  a the geometric rotation from the Earth to the antenna frame; Faraday rotation ignored).
- [Kerr2010] Kerr, Y. H., et al. (2010). The SMOS mission. Proc. IEEE 98(5), 666-687 (the
  extended alias-free field of view: bounded by the aliases of the Earth disc only, the sky
  aliases being known and removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from fcspace.core.errors import InputError
from fcspace.core.geodesy import enu_vectors
from fcspace.watercycle.instrument import InterferometricArray

__all__ = [
    "HexGrid",
    "alias_free_fov",
    "director_cosines",
    "earth_disc",
    "ground_point",
    "hex_grid",
    "incidence_angle",
    "antenna_frame_tb",
    "polarisation_angle",
]


@dataclass(frozen=True, eq=False)
class HexGrid:
    """The hexagonal (xi, eta) grid: one period of M x M pixels and the visible disc.

    ``l1, l2`` (M, M): centred lattice indices in numpy FFT order after ``ifftshift``
    is undone (index [i, j] is l = (i - M/2, j - M/2)); ``xi, eta``: pixel positions folded
    into the hexagon centred on boresight; ``disc_xi, disc_eta``: every lattice point with
    xi^2 + eta^2 < 1 and ``disc_fold`` its flat index in the period.
    """

    size: int
    reciprocal: np.ndarray
    l1: np.ndarray
    l2: np.ndarray
    xi: np.ndarray
    eta: np.ndarray
    pixel_area: float
    disc_xi: np.ndarray
    disc_eta: np.ndarray
    disc_fold: np.ndarray


def _fold_into_hexagon(xi: np.ndarray, eta: np.ndarray, rec: np.ndarray) -> tuple:
    """Shift each point by a reciprocal-lattice vector to its image nearest the origin."""
    shifts = np.array([[i, j] for i in (-1, 0, 1) for j in (-1, 0, 1)], dtype=float) @ rec
    best_x, best_e = xi.copy(), eta.copy()
    for sx, se in shifts:
        cx, ce = xi + sx, eta + se
        closer = cx**2 + ce**2 < best_x**2 + best_e**2 - 1e-12
        best_x, best_e = np.where(closer, cx, best_x), np.where(closer, ce, best_e)
    return best_x, best_e


@lru_cache(maxsize=8)
def hex_grid(array: InterferometricArray, size: int | None = None) -> HexGrid:
    """The (xi, eta) reconstruction grid of a Y array ([Camps1997], [Anterrieu2004]).

    Reciprocal basis b_i with a_i . b_j = delta_ij (a: the (u, v) lattice, spacing d in
    wavelengths), period |b| = 2 / (sqrt(3) d); pixels (l1 b1 + l2 b2) / M. M is the smallest
    FFT-friendly size holding the baselines without wrap-around (M > 4 N).

    Parameters
    ----------
    array
        The interferometer.
    size
        Grid size M; default the smallest 2^a 3^b 5^c above 4 N + 1.

    Returns
    -------
    HexGrid
        Cached per (array, size): the same object is returned for the same arguments.
    """
    m = size or _fft_size(4 * array.n_per_arm + 2)
    rec = np.linalg.inv(array.lattice_basis).T  # rows b1, b2: a_i . b_j = delta_ij
    idx = np.arange(m) - m // 2
    l1, l2 = np.meshgrid(idx, idx, indexing="ij")
    raw = (l1[..., None] * rec[0] + l2[..., None] * rec[1]) / m
    xi, eta = _fold_into_hexagon(raw[..., 0], raw[..., 1], rec)
    pixel_area = abs(np.linalg.det(rec)) / m**2
    big = np.arange(-m, m + 1)
    g1, g2 = np.meshgrid(big, big, indexing="ij")
    pts = (g1[..., None] * rec[0] + g2[..., None] * rec[1]) / m
    inside = np.hypot(pts[..., 0], pts[..., 1]) < 1.0
    fold = ((g1 + m // 2) % m) * m + (g2 + m // 2) % m
    return HexGrid(m, rec, l1, l2, xi, eta, pixel_area,
                   pts[..., 0][inside], pts[..., 1][inside], fold[inside])  # fmt: skip


def _fft_size(n: int) -> int:
    """Smallest 2^a 3^b 5^c >= n."""
    while True:
        k = n
        for p in (2, 3, 5):
            while k % p == 0:
                k //= p
        if k == 1:
            return n
        n += 1


def _frame(lat: ArrayLike, lon: ArrayLike, heading_deg: ArrayLike, tilt_deg: float) -> tuple:
    """Antenna axes (x, y, z) and local down in body-fixed coordinates at the platform."""
    east, north, up = enu_vectors(lat, lon)
    h = np.radians(np.asarray(heading_deg, dtype=float))[..., None]
    fwd = np.sin(h) * east + np.cos(h) * north
    down = -up
    t = np.radians(tilt_deg)
    z = np.cos(t) * down + np.sin(t) * fwd
    y = -np.sin(t) * down + np.cos(t) * fwd
    return np.cross(y, z), y, z, up


def director_cosines(
    lat: ArrayLike, lon: ArrayLike, platform_lat: float, platform_lon: float,
    heading_deg: float, array: InterferometricArray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Director cosines (xi, eta) of Earth points (deg) seen from the platform.

    The look vector r = P - S (S at altitude over the sub-platform point, P on the sphere)
    projected on the antenna axes; points hidden by the Earth or behind the antenna plane
    give NaN. Parameters in degrees; ``heading_deg`` clockwise from north.

    Returns
    -------
    tuple of numpy.ndarray
        xi, eta, broadcast shape of lat and lon.
    """
    ax, ay, az, up_s = _frame(platform_lat, platform_lon, heading_deg, array.tilt_deg)
    *_, up_p = enu_vectors(lat, lon)
    r_e = array.earth_radius_m
    look = r_e * up_p - (r_e + array.altitude_m) * up_s
    look = look / np.linalg.norm(look, axis=-1, keepdims=True)
    visible = (np.sum(look * up_p, axis=-1) < 0) & (look @ az > 0)
    xi = np.where(visible, look @ ax, np.nan)
    eta = np.where(visible, look @ ay, np.nan)
    return xi, eta


def _look_down_component(xi: np.ndarray, eta: np.ndarray, tilt_deg: float) -> np.ndarray:
    """Cosine of the off-nadir angle of (xi, eta): r . down = -eta sin t + zeta cos t."""
    zeta = np.sqrt(np.clip(1.0 - xi**2 - eta**2, 0.0, None))
    t = np.radians(tilt_deg)
    return -eta * np.sin(t) + zeta * np.cos(t)


def _check_dc(xi: ArrayLike, eta: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    xi, eta = np.broadcast_arrays(np.asarray(xi, float), np.asarray(eta, float))
    if np.any(xi**2 + eta**2 > 1.0):
        raise InputError("director cosines outside the unit circle", variable="xi, eta")
    return xi, eta


def incidence_angle(xi: ArrayLike, eta: ArrayLike, array: InterferometricArray) -> np.ndarray:
    """Incidence angle (deg) on the spherical Earth of the look direction (xi, eta).

    Law of sines in the satellite-centre-ground triangle: sin(theta_i) = (R + h) / R
    sin(alpha), alpha the off-nadir angle; NaN where the look misses the Earth.
    """
    xi, eta = _check_dc(xi, eta)
    cos_a = _look_down_component(xi, eta, array.tilt_deg)
    sin_a = np.sqrt(np.clip(1.0 - cos_a**2, 0.0, None))
    ratio = (array.earth_radius_m + array.altitude_m) / array.earth_radius_m * sin_a
    hits = (cos_a > 0) & (ratio <= 1.0)
    return np.where(hits, np.degrees(np.arcsin(np.clip(ratio, 0.0, 1.0))), np.nan)


def earth_disc(xi: ArrayLike, eta: ArrayLike, array: InterferometricArray) -> np.ndarray:
    """True where (xi, eta) looks at the Earth: r . nadir >= cos(rho), sin rho = R / (R + h)."""
    xi, eta = _check_dc(xi, eta)
    cos_rho = np.sqrt(1.0 - (array.earth_radius_m / (array.earth_radius_m + array.altitude_m)) ** 2)
    return _look_down_component(xi, eta, array.tilt_deg) >= cos_rho


def ground_point(
    xi: ArrayLike, eta: ArrayLike, platform_lat: float, platform_lon: float,
    heading_deg: float, array: InterferometricArray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Latitude and longitude (deg) seen in direction (xi, eta); NaN off the Earth.

    The inverse of :func:`director_cosines`: nearest intersection of the ray S + t r with
    the sphere, t = -S.r - sqrt((S.r)^2 - |S|^2 + R^2).
    """
    xi, eta = _check_dc(xi, eta)
    ax, ay, az, up_s = _frame(platform_lat, platform_lon, heading_deg, array.tilt_deg)
    zeta = np.sqrt(np.clip(1.0 - xi**2 - eta**2, 0.0, None))
    r = xi[..., None] * ax + eta[..., None] * ay + zeta[..., None] * az
    s = (array.earth_radius_m + array.altitude_m) * up_s
    sr = r @ s
    disc = sr**2 - s @ s + array.earth_radius_m**2
    t = -sr - np.sqrt(np.clip(disc, 0.0, None))
    p = s + t[..., None] * r
    lat = np.degrees(np.arcsin(np.clip(p[..., 2] / array.earth_radius_m, -1.0, 1.0)))
    lon = np.degrees(np.arctan2(p[..., 1], p[..., 0]))
    ok = (disc >= 0) & (t > 0)
    return np.where(ok, lat, np.nan), np.where(ok, lon, np.nan)


def alias_free_fov(array: InterferometricArray, grid: HexGrid | None = None) -> tuple:
    """Alias-free and extended alias-free fields of view as masks on the period grid.

    AF-FOV ([Camps1997], [Anterrieu2004]): pixels inside the unit circle none of whose six
    nearest aliases (shifts by the reciprocal vectors +-b1, +-b2, +-(b1 + b2)) falls inside
    the unit circle. Extended AF-FOV ([Kerr2010]): Earth pixels none of whose aliases
    falls on the Earth disc (sky aliases allowed, the sky being known and removable).

    Returns
    -------
    tuple of numpy.ndarray
        ``(af, eaf)`` boolean (M, M) masks.
    """
    grid = grid or hex_grid(array)
    xi, eta = grid.xi, grid.eta
    shifts = np.array([[1, 0], [0, 1], [1, 1], [-1, 0], [0, -1], [-1, -1]], float) @ grid.reciprocal
    inside = xi**2 + eta**2 < 1.0
    earth = np.zeros_like(inside)
    earth[inside] = earth_disc(xi[inside], eta[inside], array)
    af, eaf = inside.copy(), earth.copy()
    for sx, se in shifts:
        ax, ae = xi + sx, eta + se
        alias_in = ax**2 + ae**2 < 1.0
        af &= ~alias_in
        alias_earth = np.zeros_like(alias_in)
        alias_earth[alias_in] = earth_disc(ax[alias_in], ae[alias_in], array)
        eaf &= ~alias_earth
    return af, eaf


def polarisation_angle(xi: ArrayLike, eta: ArrayLike, array: InterferometricArray) -> np.ndarray:
    """Geometric rotation a (deg) from the Earth's H to the antenna's X polarisation.

    Antenna co-polar vectors of [Ludwig1973] definition 3, e_x = cos(phi) theta^ - sin(phi)
    phi^, e_y = sin(phi) theta^ + cos(phi) phi^, at (theta, phi) of the look r; H unit vector
    h = r x up_g / |r x up_g|, up_g the local vertical where r meets the sphere; a =
    atan2(e_y . h, e_x . h) folded into [-90, 90). NaN where the look misses the Earth.
    """
    xi, eta = _check_dc(xi, eta)
    zeta = np.sqrt(np.clip(1.0 - xi**2 - eta**2, 0.0, None))
    r = np.stack([xi, eta, zeta], axis=-1)
    t = np.radians(array.tilt_deg)
    s = (array.earth_radius_m + array.altitude_m) * np.array([0.0, np.sin(t), -np.cos(t)])
    sr = r @ s
    disc = sr**2 - s @ s + array.earth_radius_m**2
    dist = -sr - np.sqrt(np.clip(disc, 0.0, None))
    up_g = s + dist[..., None] * r
    h = np.cross(r, up_g)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    theta, phi = np.arccos(np.clip(zeta, -1.0, 1.0)), np.arctan2(eta, xi)
    th = np.stack([np.cos(theta) * np.cos(phi), np.cos(theta) * np.sin(phi), -np.sin(theta)], -1)
    ph = np.stack([-np.sin(phi), np.cos(phi), np.zeros_like(phi)], axis=-1)
    e_x = np.cos(phi)[..., None] * th - np.sin(phi)[..., None] * ph
    e_y = np.sin(phi)[..., None] * th + np.cos(phi)[..., None] * ph
    angle = np.degrees(np.arctan2(np.sum(e_y * h, -1), np.sum(e_x * h, -1)))
    angle = (angle + 90.0) % 180.0 - 90.0  # h and -h are the same polarisation
    return np.where((disc >= 0) & (dist > 0), angle, np.nan)


def antenna_frame_tb(tb_h: ArrayLike, tb_v: ArrayLike, angle_deg: ArrayLike) -> tuple:
    """Brightness in the antenna X and Y polarisations from H and V ([Zine2008]).

    T_X = T_H cos^2 a + T_V sin^2 a, T_Y = T_H sin^2 a + T_V cos^2 a (the third Stokes
    parameter and Faraday rotation ignored; T_X + T_Y = T_H + T_V, the first Stokes
    parameter, is exact).
    """
    c2 = np.cos(np.radians(np.asarray(angle_deg, dtype=float))) ** 2
    tb_h, tb_v = np.asarray(tb_h, dtype=float), np.asarray(tb_v, dtype=float)
    return tb_h * c2 + tb_v * (1 - c2), tb_h * (1 - c2) + tb_v * c2
