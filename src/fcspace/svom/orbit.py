"""SVOM orbit, Sun, B1 attitude law and the Earth's disc seen from the spacecraft.

Orbit
    Circular, altitude 625 km, inclination 29 deg ([Wei2016] sect. 2; [Cordier2015]), period
    from Kepler's third law (:func:`fcspace.core.orbit.circular_period_s`, ~97 min). The
    ascending node drifts with the secular J2 rate ([Vallado2013] Eq. 9-41,
    ``dOmega/dt = -3/2 n J2 (R/a)^2 cos i``, about -5.9 deg/day here).
Sun
    Low-precision solar coordinates of the Astronomical Almanac ([AA2013] sect. C5: mean
    longitude and anomaly, equation of centre, obliquity), referred to the J2000 equinox;
    within 0.05 deg of astropy's ``get_sun`` over 2017-2027 (tests).
B1 attitude law (simplified)
    ECLAIRs points close to the anti-solar direction, so that bursts are on the night side of
    the Earth for ground follow-up, while avoiding the Galactic plane and the bright Sco X-1
    ([Cordier2015] sect. 3; [Wei2016] sect. 2.2, "B1 law"); the pointing is inertial between
    slews, and the Earth crosses the field of view once per orbit. ASSUMPTION (the law's
    numbers are not published): the boresight is the direction nearest the anti-Sun, on a 2 deg
    grid within 45 deg of it, with Galactic latitude ``|b| >= 20 deg`` and at least 60 deg
    from Sco X-1 (outside the 54 deg half-diagonal of the ECLAIRs field); roll 0 (the +X
    axis of the spacecraft frame towards celestial north, :mod:`fcspace.svom.frames`).
Earth disc
    Seen from the spacecraft at distance ``r`` from the Earth's centre, directions within
    ``asin((R + h_atm) / r)`` of the nadir are occulted; ``h_atm`` = 100 km, where the
    atmosphere becomes opaque to hard X-rays (ASSUMPTION; the X-ray occultation altitude of
    Earth-occultation studies is 70-100 km, [Ajello2008] sect. 2).

Sources
-------
- [Wei2016] Wei, J., Cordier, B., et al. (2016). The Deep and Transient Universe in the SVOM
  Era. arXiv:1610.06892.
- [Cordier2015] Cordier, B., et al. (2015). The SVOM gamma-ray burst mission.
  arXiv:1512.03323.
- [Vallado2013] Vallado, D. A. (2013). Fundamentals of Astrodynamics and Applications, 4th ed.
- [AA2013] The Astronomical Almanac for the Year 2013, sect. C5 (low-precision Sun).
- [Ajello2008] Ajello, M., et al. (2008). Cosmic X-ray background and Earth albedo spectra
  with Swift/BAT. ApJ 689, 666.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M
from fcspace.core.orbit import EARTH_GM_M3_S2, circular_period_s
from fcspace.svom.frames import Attitude, attitude_matrix

__all__ = ["SCO_X1_RADEC", "SvomOrbit", "b1_attitude", "earth_in_frame", "sun_radec"]

#: Sco X-1 (ICRS, deg), SIMBAD coordinates rounded to 0.01 deg.
SCO_X1_RADEC = (244.98, -15.64)
_J2 = 1.08263e-3  # Earth's J2 ([Vallado2013] Table D-1)


@dataclass(frozen=True)
class SvomOrbit:
    """Circular SVOM orbit: altitude and inclination ([Wei2016]), node and phase at t = 0."""

    altitude_m: float = 625.0e3
    inclination_deg: float = 29.0
    raan_deg: float = 0.0  # right ascension of the ascending node at t = 0
    phase_deg: float = 0.0  # argument of latitude at t = 0
    atmosphere_m: float = 100.0e3  # X-ray opaque atmosphere, ASSUMPTION (module docstring)

    @property
    def radius_m(self) -> float:
        """Orbit radius R + h."""
        return EARTH_MEAN_RADIUS_M + self.altitude_m

    @property
    def period_s(self) -> float:
        """Kepler period (~5800 s)."""
        return circular_period_s(self.altitude_m)

    @property
    def earth_radius_deg(self) -> float:
        """Angular radius of the occulting Earth (atmosphere included), ~68 deg."""
        return float(np.degrees(np.arcsin((EARTH_MEAN_RADIUS_M + self.atmosphere_m)
                                          / self.radius_m)))  # fmt: skip

    def node_rate_deg_s(self) -> float:
        """Secular J2 drift of the ascending node ([Vallado2013] Eq. 9-41), deg/s."""
        a = self.radius_m
        n = np.sqrt(EARTH_GM_M3_S2 / a**3)
        rate = -1.5 * n * _J2 * (EARTH_MEAN_RADIUS_M / a) ** 2
        return float(np.degrees(rate * np.cos(np.radians(self.inclination_deg))))

    def position(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Inertial (ICRS-aligned, geocentric) position (..., 3) in m at times ``t_s`` (s)."""
        t = np.asarray(t_s, dtype=float)
        u = np.radians(self.phase_deg) + 2.0 * np.pi * t / self.period_s
        node = np.radians(self.raan_deg + self.node_rate_deg_s() * t)
        inc = np.radians(self.inclination_deg)
        cu, su, cn, sn = np.cos(u), np.sin(u), np.cos(node), np.sin(node)
        xyz = np.stack([cu * cn - su * np.cos(inc) * sn, cu * sn + su * np.cos(inc) * cn,
                        su * np.sin(inc)], axis=-1)  # fmt: skip
        return self.radius_m * xyz


def sun_radec(mjd_utc: float) -> tuple[float, float]:
    """RA, Dec (deg, equinox J2000 ~ ICRS) of the Sun, low-precision formulas of [AA2013] C5.

    The ecliptic longitude of date is brought to the J2000 equinox by removing the general
    precession in longitude, 1.397 deg per Julian century ([AA2013] C5), and rotated with
    the J2000 obliquity 23.439 deg.
    """
    n = mjd_utc + 2400000.5 - 2451545.0
    mean_lon = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    lam = mean_lon + np.radians(1.915 * np.sin(g) + 0.020 * np.sin(2 * g))
    lam = lam - np.radians(1.397 * n / 36525.0)
    eps = np.radians(23.439)
    ra = np.degrees(np.arctan2(np.cos(eps) * np.sin(lam), np.cos(lam))) % 360.0
    return float(ra), float(np.degrees(np.arcsin(np.sin(eps) * np.sin(lam))))


def _unit(ra_deg: NDArray, dec_deg: NDArray) -> NDArray:
    a, d = np.radians(ra_deg), np.radians(dec_deg)
    return np.stack([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)], axis=-1)


def _galactic_latitude(v: NDArray) -> NDArray:
    """Galactic latitude (deg) of ICRS unit vectors: b = asin(v . north galactic pole)."""
    ngp = _unit(np.array(192.85948), np.array(27.12825))  # ICRS NGP (Hipparcos, ESA 1997)
    return np.degrees(np.arcsin(np.clip(v @ ngp, -1.0, 1.0)))


def b1_attitude(mjd_utc: float, min_abs_b_deg: float = 20.0, min_sco_deg: float = 60.0,
                max_offset_deg: float = 45.0) -> Attitude:  # fmt: skip
    """Simplified B1 pointing on date ``mjd_utc`` (module docstring; ASSUMPTION thresholds).

    When no direction within ``max_offset_deg`` of the anti-Sun meets the constraints (in
    June the anti-Sun lies near the Galactic centre and Sco X-1), the allowed offset grows
    by 15 deg steps up to 90 deg (ASSUMPTION: the real law then moves further from the
    anti-Sun, [Cordier2015]).

    Raises
    ------
    InputError
        No direction within 90 deg of the anti-Sun meets the constraints.
    """
    ra_s, dec_s = sun_radec(mjd_utc)
    anti = -_unit(np.array(ra_s), np.array(dec_s))
    ra = np.arange(0.0, 360.0, 2.0)
    dec = np.arange(-88.0, 89.0, 2.0)
    v = _unit(*np.meshgrid(ra, dec, indexing="ij")).reshape(-1, 3)
    sep = np.degrees(np.arccos(np.clip(v @ anti, -1, 1)))
    sco = np.degrees(np.arccos(np.clip(v @ _unit(*map(np.array, SCO_X1_RADEC)), -1, 1)))
    ok = (np.abs(_galactic_latitude(v)) >= min_abs_b_deg) & (sco >= min_sco_deg)
    for offset in np.arange(max_offset_deg, 90.0 + 1e-9, 15.0):
        sel = ok & (sep <= offset)
        if sel.any():
            best = v[np.flatnonzero(sel)[np.argmin(sep[sel])]]
            return Attitude(float(np.degrees(np.arctan2(best[1], best[0])) % 360.0),
                            float(np.degrees(np.arcsin(best[2]))), 0.0)  # fmt: skip
    raise InputError("no B1 pointing within 90 deg of the anti-Sun", variable="mjd_utc")


def earth_in_frame(orbit: SvomOrbit, attitude: Attitude, t_s: ArrayLike) -> NDArray[np.float64]:
    """Nadir unit vector(s) (..., 3) in the spacecraft frame (:mod:`fcspace.svom.frames`).

    A spacecraft direction ``d`` is occulted when ``d . nadir >= cos(orbit.earth_radius_deg)``.
    """
    r = orbit.position(t_s)
    nadir = -r / np.linalg.norm(r, axis=-1, keepdims=True)
    return nadir @ attitude_matrix(attitude.ra, attitude.dec, attitude.roll).T
