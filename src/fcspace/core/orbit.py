"""Circular orbits about a spherical body: Kepler period and sub-satellite ground speed.

Knows no mission: CFOSat (:mod:`fcspace.cfosat.platform`) and the water-cycle radiometers
(:mod:`fcspace.watercycle.simulate`) call it with their own altitude.

Sources
-------
- [Vallado2013] Vallado, D. A. (2013). Fundamentals of Astrodynamics and Applications, 4th ed.,
  sect. 2.3 (Kepler's third law, circular speed).
- [WGS84] NIMA TR8350.2 (2000), Department of Defense World Geodetic System 1984, Table 3.1
  (GM of the Earth including its atmosphere).
"""

from __future__ import annotations

import numpy as np

from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M

__all__ = ["EARTH_GM_M3_S2", "circular_period_s", "ground_speed_m_s"]

#: Earth's gravitational constant GM in m^3 s^-2 ([WGS84] Table 3.1).
EARTH_GM_M3_S2 = 3.986004418e14


def circular_period_s(
    altitude_m: float, radius_m: float = EARTH_MEAN_RADIUS_M, gm_m3_s2: float = EARTH_GM_M3_S2
) -> float:
    """Period T = 2 pi sqrt(a^3 / GM) of a circular orbit of radius a = R + h, in s.

    Kepler's third law ([Vallado2013] sect. 2.3).
    """
    a = radius_m + altitude_m
    return float(2.0 * np.pi * np.sqrt(a**3 / gm_m3_s2))


def ground_speed_m_s(
    altitude_m: float, radius_m: float = EARTH_MEAN_RADIUS_M, gm_m3_s2: float = EARTH_GM_M3_S2
) -> float:
    """Speed of the sub-satellite point on a non-rotating sphere, v = sqrt(GM / a) R / a, in m/s.

    The circular speed sqrt(GM / a) ([Vallado2013] sect. 2.3) scaled from the orbit radius
    a = R + h down to the surface (equivalently 2 pi R / T).
    """
    a = radius_m + altitude_m
    return float(np.sqrt(gm_m3_s2 / a) * radius_m / a)
