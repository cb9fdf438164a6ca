"""The CFOSat platform: its orbit and ground track, used by SCAT, SWIM and the SCO archive.

Every orbit number of the package lives here, each with its source; the instruments refer to
:data:`CFOSAT` (``ScatInstrument.platform``, ``SwimInstrument.platform``) and write none.
The orbit is circular (519 km mean altitude, sun-synchronous, 97.46 deg inclination) around
a spherical, rotating Earth of mean radius; the sub-satellite track follows from spherical
trigonometry, the cross-track positions from :mod:`fcspace.core.geodesy`.

Sources
-------
- [Dong2019] Dong, X., Zhu, D., Lin, W., et al. (2019). Design and performance of the CFOSAT
  scatterometer (CSCAT), and the CFOSAT mission overview of Hauser et al. (2017), IEEE TGRS
  55(11) (orbit: 519 km sun-synchronous, 97.46 deg inclination).
- [Hauser2017] Hauser, D., Tison, C., Amiot, T., et al. (2017). SWIM: The first spaceborne
  wave scatterometer. IEEE TGRS 55(5), 3000-3014 (same platform and orbit).
- [WGS84] NIMA TR8350.2 (GM of the Earth); IERS Conventions 2010 (Earth rotation rate);
  IUGG mean Earth radius R1 = 6371.0088 km (Moritz 2000, Geodetic Reference System 1980).
- [Vallado2013] Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*,
  4th ed., sect. 9.6 (sun-synchronous nodal precession, 360 deg per tropical year of
  365.2422 d) and sect. 11.4 (ground track of a circular orbit on a rotating sphere).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M, destination_point
from fcspace.core.orbit import EARTH_GM_M3_S2, circular_period_s, ground_speed_m_s

__all__ = [
    "OnPlatform",
    "CFOSAT",
    "CfosatPlatform",
    "cross_track_points",
    "ground_track",
    "ground_track_heading",
]


@dataclass(frozen=True)
class CfosatPlatform:
    """Orbit of the CFOSat platform and the Earth it flies over (defaults: CFOSat)."""

    # --- orbit ([Dong2019], [Hauser2017]) ---
    altitude_m: float = 519.0e3  # mean orbit altitude, sun-synchronous, [Dong2019]
    inclination_deg: float = 97.46  # sun-synchronous inclination, [Dong2019]
    # sun-synchronous nodal precession: one turn per tropical year, [Vallado2013] sect. 9.6
    nodal_rate_rad_s: float = 2.0 * np.pi / (365.2422 * 86400.0)
    # --- Earth ([WGS84]) ---
    earth_radius_m: float = EARTH_MEAN_RADIUS_M  # IUGG mean radius R1 (Moritz 2000)
    earth_gm_m3_s2: float = EARTH_GM_M3_S2  # WGS84 GM (NIMA TR8350.2)
    earth_rotation_rad_s: float = 7.2921150e-5  # IERS Conventions 2010, nominal

    @property
    def semi_major_axis_m(self) -> float:
        """Orbit radius a = R + h (circular orbit) in m."""
        return self.earth_radius_m + self.altitude_m

    @property
    def orbit_period_s(self) -> float:
        """Keplerian period T = 2 pi sqrt(a^3 / GM) in s (Kepler's third law)."""
        return circular_period_s(self.altitude_m, self.earth_radius_m, self.earth_gm_m3_s2)

    @property
    def ground_speed_m_s(self) -> float:
        """Speed of the sub-satellite point on a non-rotating sphere, 2 pi R / T, in m/s."""
        return ground_speed_m_s(self.altitude_m, self.earth_radius_m, self.earth_gm_m3_s2)

    def ground_range_m(self, incidence_deg: np.ndarray | float) -> np.ndarray:
        """Great-circle distance from nadir to the point seen at an incidence angle.

        Spherical Earth: the look angle eta obeys sin(eta) = R sin(theta) / (R + h) (sine law)
        and the Earth central angle is gamma = theta - eta; the ground range is R gamma.
        """
        theta = np.radians(incidence_deg)
        eta = np.arcsin(self.earth_radius_m * np.sin(theta) / self.semi_major_axis_m)
        return self.earth_radius_m * (theta - eta)

    def node_longitude_deg(self, t_s: ArrayLike) -> np.ndarray:
        """Longitude (deg, wrapped) of the ascending node ``t_s`` after one at longitude 0.

        The node moves west by the Earth's rotation less the sun-synchronous precession,
        ``-(omega_E - Omega_dot) t`` ([Vallado2013] sect. 9.6 and 11.4).
        """
        drift = self.earth_rotation_rad_s - self.nodal_rate_rad_s
        return (np.degrees(-drift * np.asarray(t_s)) + 180.0) % 360.0 - 180.0


CFOSAT = CfosatPlatform()


class OnPlatform:
    """Orbit quantities of an instrument carried by a platform, read through to it.

    A mixin for the instrument dataclasses (SCAT, SWIM): they hold a ``platform`` field, and
    every orbit number is the platform's, never a copy.
    """

    platform: CfosatPlatform

    @property
    def altitude_m(self) -> float:
        """Orbit altitude of the platform in m (`CfosatPlatform.altitude_m`)."""
        return self.platform.altitude_m

    @property
    def earth_radius_m(self) -> float:
        """Earth radius of the platform's spherical Earth in m."""
        return self.platform.earth_radius_m

    @property
    def earth_gm_m3_s2(self) -> float:
        """Earth's GM of the platform's orbit in m^3 s^-2."""
        return self.platform.earth_gm_m3_s2

    @property
    def semi_major_axis_m(self) -> float:
        """Orbit radius a = R + h in m (`CfosatPlatform.semi_major_axis_m`)."""
        return self.platform.semi_major_axis_m

    @property
    def orbit_period_s(self) -> float:
        """Keplerian orbit period in s (`CfosatPlatform.orbit_period_s`)."""
        return self.platform.orbit_period_s

    @property
    def ground_speed_m_s(self) -> float:
        """Sub-satellite speed 2 pi R / T in m/s (`CfosatPlatform.ground_speed_m_s`)."""
        return self.platform.ground_speed_m_s


def ground_track_heading(
    lat_deg: ArrayLike, ascending: ArrayLike, platform: CfosatPlatform = CFOSAT
) -> np.ndarray:
    """Heading of the ground track (clockwise from north, degrees) at a latitude.

    Spherical trigonometry of a circular orbit of inclination i: the inertial track crosses
    the parallel at lat with sin(psi) = cos(i) / cos(lat) (Napier's rules; e.g. Vallado 2013,
    Fundamentals of Astrodynamics, sect. 11.4); psi for ascending passes, 180 - psi for
    descending ones. The Earth's rotation is then removed from the east component of the
    ground velocity, v_e - omega_E R cos(lat). Beyond the turning latitude 180 - i the sine is
    clipped to +-1 (the track runs east-west there).
    """
    lat = np.radians(lat_deg)
    s = np.clip(np.cos(np.radians(platform.inclination_deg)) / np.cos(lat), -1.0, 1.0)
    psi = np.arcsin(s)
    psi = np.where(np.asarray(ascending), psi, np.pi - psi)
    v = platform.ground_speed_m_s
    v_east = v * np.sin(psi) - platform.earth_rotation_rad_s * platform.earth_radius_m * (
        np.cos(lat)
    )
    return np.degrees(np.arctan2(v_east, v * np.cos(psi))) % 360.0


def ground_track(
    t_s: ArrayLike,
    start_lat: float,
    start_lon: float,
    ascending: bool = True,
    platform: CfosatPlatform = CFOSAT,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nadir latitude, longitude and track heading (deg) at times ``t_s`` (s from the start).

    Circular orbit on a rotating sphere ([Vallado2013] sect. 11.4): argument of latitude
    ``u = u0 + 2 pi t / T`` with ``sin u0 = sin(start_lat) / sin i`` (``pi - u0`` on a
    descending pass), ``lat = asin(sin i sin u)``, ``lon = start_lon + atan2(cos i sin u,
    cos u) - atan2(cos i sin u0, cos u0) - omega_E t`` (wrapped to [-180, 180)); heading
    from :func:`ground_track_heading`, ascending where ``cos u > 0``.
    """
    incl = np.radians(platform.inclination_deg)
    t = np.asarray(t_s, dtype=float)
    u0 = np.arcsin(np.clip(np.sin(np.radians(start_lat)) / np.sin(incl), -1.0, 1.0))
    u0 = u0 if ascending else np.pi - u0
    u = u0 + 2.0 * np.pi * t / platform.orbit_period_s
    lat = np.degrees(np.arcsin(np.sin(incl) * np.sin(u)))
    lam = np.arctan2(np.cos(incl) * np.sin(u), np.cos(u))
    lam0 = np.arctan2(np.cos(incl) * np.sin(u0), np.cos(u0))
    lon = start_lon + np.degrees(lam - lam0 - platform.earth_rotation_rad_s * t)
    heading = ground_track_heading(lat, np.cos(u) > 0, platform)
    return lat, (lon + 180.0) % 360.0 - 180.0, heading


def cross_track_points(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    heading_deg: ArrayLike,
    offset_m: ArrayLike,
    platform: CfosatPlatform = CFOSAT,
) -> tuple[np.ndarray, np.ndarray]:
    """Points at signed cross-track offsets from track points (deg; offset > 0: right).

    Each point lies on the great circle perpendicular to the track heading, ``|offset|``
    away (bearing heading + 90 deg for positive offsets, heading - 90 deg for negative ones;
    :func:`fcspace.core.geodesy.destination_point` on the Earth sphere). Arguments broadcast,
    e.g. track points ``(n, 1)`` and offsets ``(1, n_cells)`` give a swath ``(n, n_cells)``.
    """
    offset = np.asarray(offset_m, dtype=float)
    bearing = np.asarray(heading_deg) + np.where(offset >= 0, 90.0, -90.0)
    return destination_point(lat_deg, lon_deg, bearing, np.abs(offset), platform.earth_radius_m)
