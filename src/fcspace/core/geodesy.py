"""Geometry on a sphere, written once: destination, great circles, bearings, local frames.

Knows no mission: every function takes the sphere's radius (the Earth's for CFOSat, the
Moon's for DORN) or works in angles. Public functions take and return degrees (their names
say ``_deg`` where a radian twin exists); :func:`destination_rad` and its compiled twin
:data:`destination_kernel` work in radians for the numba kernels. All are vectorised over
numpy arrays (broadcasting) and also accept scalars.

Formulas
--------
- Destination point (direct problem on the sphere): Snyder, J. P. (1987). *Map Projections:
  a Working Manual*, USGS Professional Paper 1395, Eq. 5-5 and 5-6.
- Great-circle distance: Vincenty, T. (1975). Direct and inverse solutions of geodesics on
  the ellipsoid with application of nested equations. *Survey Review* 23(176), 88-93, the
  special case of the sphere, ``atan2(sqrt((cos p2 sin dl)^2 + (cos p1 sin p2 - sin p1 cos p2
  cos dl)^2), sin p1 sin p2 + cos p1 cos p2 cos dl)``; mathematically the haversine formula of
  Sinnott, R. W. (1984), *Sky and Telescope* 68(2), 159, but well conditioned at every
  separation (the haversine loses half its digits near the antipode). It is the formula of
  ``astropy.coordinates.angular_separation``.
- Initial bearing (azimuth, clockwise from north): Snyder (1987), Eq. 5-4b,
  ``atan2(cos p2 sin dl, cos p1 sin p2 - sin p1 cos p2 cos dl)``.
- Local east/north/up unit vectors: the gradient of the position on the unit sphere,
  e.g. Hofmann-Wellenhof, Lichtenegger & Wasle (2008), *GNSS*, sect. 2.2.3 (ENU frame,
  spherical latitude).
- Equirectangular projection about a point: Snyder (1987), Eq. 12-1, 12-2.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "EARTH_MEAN_RADIUS_M",
    "destination_kernel",
    "destination_point",
    "destination_rad",
    "enu_vectors",
    "equirectangular_xy",
    "great_circle_distance",
    "initial_bearing_deg",
    "wrap_longitude_deg",
]


#: IUGG mean Earth radius R1 = (2a + b)/3 of GRS80, in m (Moritz 2000, Geodetic Reference System
#: 1980); the sphere of every spherical-Earth computation of the Earth missions.
EARTH_MEAN_RADIUS_M = 6371.0088e3


def destination_rad(lat: ArrayLike, lon: ArrayLike, bearing: ArrayLike, angle: ArrayLike) -> tuple:
    """Point reached from (lat, lon) along a great circle of initial ``bearing``, radians.

    ``angle`` is the arc (central angle, rad; distance / radius). Snyder (1987) Eq. 5-5, 5-6:
    ``sin p2 = sin p1 cos d + cos p1 sin d cos az``, ``l2 = l1 + atan2(sin az sin d cos p1,
    cos d - sin p1 sin p2)``; ``sin p2`` is clipped to [-1, 1] against rounding. The longitude
    is returned unwrapped (``lon`` plus the change). Written with numpy functions only, so it
    runs on arrays and, compiled as :data:`destination_kernel`, inside numba kernels.
    """
    s_lat = np.sin(lat)
    c_lat = np.cos(lat)
    s2 = s_lat * np.cos(angle) + c_lat * np.sin(angle) * np.cos(bearing)
    s2 = np.minimum(np.maximum(s2, -1.0), 1.0)
    lat2 = np.arcsin(s2)
    dlon = np.arctan2(np.sin(bearing) * np.sin(angle) * c_lat, np.cos(angle) - s_lat * s2)
    return lat2, lon + dlon


#: :func:`destination_rad` compiled for scalar use inside numba kernels (radians).
destination_kernel = numba.njit(cache=True)(destination_rad)


def wrap_longitude_deg(lon_deg: ArrayLike) -> np.ndarray:
    """Longitude (deg) wrapped to [-180, 180)."""
    return (np.asarray(lon_deg) + 180.0) % 360.0 - 180.0


def destination_point(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    bearing_deg: ArrayLike,
    distance_m: ArrayLike,
    radius_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle destination (deg) from (lat, lon) at a bearing (deg) and distance (m).

    The direct problem on a sphere of ``radius_m`` (:func:`destination_rad`, Snyder 1987
    Eq. 5-5, 5-6); the longitude is wrapped to [-180, 180). Broadcasts its arguments.
    """
    lat2, lon2 = destination_rad(
        np.radians(lat_deg),
        np.radians(lon_deg),
        np.radians(bearing_deg),
        np.asarray(distance_m) / radius_m,
    )
    return np.degrees(lat2), wrap_longitude_deg(np.degrees(lon2))


def _central_angle(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> tuple:
    """Central angle (rad) and its two atan2 terms, inputs in radians (Vincenty 1975)."""
    dlon = np.asarray(lon2) - np.asarray(lon1)
    s1, c1, s2, c2 = np.sin(lat1), np.cos(lat1), np.sin(lat2), np.cos(lat2)
    east = c2 * np.sin(dlon)
    north = c1 * s2 - s1 * c2 * np.cos(dlon)
    return np.arctan2(np.hypot(east, north), s1 * s2 + c1 * c2 * np.cos(dlon)), east, north


def great_circle_distance(
    lat1_deg: ArrayLike,
    lon1_deg: ArrayLike,
    lat2_deg: ArrayLike,
    lon2_deg: ArrayLike,
    radius_m: float = 1.0,
) -> np.ndarray:
    """Great-circle distance between two points (deg) on a sphere of ``radius_m``.

    Vincenty's (1975) formula on the sphere (module docstring), equal to the haversine
    (Sinnott 1984) and well conditioned from coincident to antipodal points. With the default
    radius 1 it is the central angle in radians.
    """
    angle, _, _ = _central_angle(
        np.radians(lat1_deg), np.radians(lon1_deg), np.radians(lat2_deg), np.radians(lon2_deg)
    )
    return radius_m * angle


def initial_bearing_deg(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike
) -> np.ndarray:
    """Initial bearing (deg in [0, 360), clockwise from north) from point 1 towards point 2.

    ``atan2(cos p2 sin dl, cos p1 sin p2 - sin p1 cos p2 cos dl)`` (Snyder 1987, Eq. 5-4b);
    the position angle of astronomy when latitude is declination and longitude right
    ascension.
    """
    _, east, north = _central_angle(
        np.radians(lat1_deg), np.radians(lon1_deg), np.radians(lat2_deg), np.radians(lon2_deg)
    )
    return np.degrees(np.arctan2(east, north)) % 360.0


def enu_vectors(lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[np.ndarray, ...]:
    """Local east, north and up unit vectors at (lat, lon) (deg), in the body-fixed frame.

    Body-fixed Cartesian axes: x towards (0, 0), y towards (0, 90 E), z towards the north
    pole. ``up = (cos p cos l, cos p sin l, sin p)``, ``east = (-sin l, cos l, 0)``,
    ``north = (-sin p cos l, -sin p sin l, cos p)`` (spherical latitude; Hofmann-Wellenhof
    et al. 2008, sect. 2.2.3). Returns three arrays of shape ``broadcast(lat, lon) + (3,)``.
    """
    p, lam = np.broadcast_arrays(np.radians(lat_deg), np.radians(lon_deg))
    sp, cp, sl, cl = np.sin(p), np.cos(p), np.sin(lam), np.cos(lam)
    east = np.stack([-sl, cl, np.zeros_like(p)], axis=-1)
    north = np.stack([-sp * cl, -sp * sl, cp], axis=-1)
    up = np.stack([cp * cl, cp * sl, sp], axis=-1)
    return east, north, up


def equirectangular_xy(
    lat_deg: ArrayLike, lon_deg: ArrayLike, lat0_deg: float, lon0_deg: float, radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """East and north distances (m) from (lat0, lon0), equirectangular projection.

    ``x = R dl cos p0``, ``y = R dp`` (Snyder 1987, Eq. 12-1, 12-2, standard parallel p0),
    the longitude difference wrapped to [-180, 180) deg; good to O((d/R)^2) near the centre.
    """
    dlon = (np.asarray(lon_deg) - lon0_deg + 180.0) % 360.0 - 180.0
    x = radius_m * np.radians(dlon) * np.cos(np.radians(lat0_deg))
    return x, radius_m * np.radians(np.asarray(lat_deg) - lat0_deg)
