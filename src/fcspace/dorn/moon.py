"""The Moon as seen by DORN: body constants, the Chang'e-6 landing site, physical constants.

Every lunar number used by `thermal`, `regolith` and `exosphere` lives here, each with its
source. Nothing else in those modules hard-codes a lunar number.

Sources
-------
- [Archinal2011] Archinal, B. A., et al. (2011). Report of the IAU Working Group on
  Cartographic Coordinates and Rotational Elements: 2009. Celest. Mech. Dyn. Astr. 109,
  101-135 (mean lunar radius 1737.4 km).
- [Konopliv2013] Konopliv, A. S., et al. (2013). The JPL lunar gravity field to spherical
  harmonic degree 660 from the GRAIL Primary Mission. JGR Planets 118, 1415-1434
  (GM = 4902.80 km^3 s^-2; GM / R^2 = 1.624 m s^-2, the 1.62 m s^-2 used here).
- [Meeus1998] Meeus, J. (1998). Astronomical Algorithms, 2nd ed., ch. 49 (mean synodic month
  29.530588 d).
- [Li2024] Chang'e-6 landing on 2024-06-02 in the Apollo basin, South Pole-Aitken basin,
  41.6 deg S, 153.9 deg W (CNSA / Li, C., et al. 2024, National Science Review; rounded).
- [Kopp2011] Kopp, G., Lean, J. L. (2011). A new, lower value of total solar irradiance.
  GRL 38, L01706 (1360.8 W m^-2 at 1 AU).
- [CODATA2018] Tiesinga, E., et al. (2021). CODATA recommended values of the fundamental
  physical constants: 2018. Rev. Mod. Phys. 93, 025010 (k_B, N_A, R, u).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AMU_KG",
    "BOLTZMANN_J_K",
    "CAL_J",
    "CHANGE6_SITE",
    "GAS_CONSTANT_J_MOL_K",
    "MOON",
    "LandingSite",
    "MoonConstants",
    "RADON_MOLAR_MASS_KG_MOL",
]

BOLTZMANN_J_K = 1.380649e-23  # exact, SI 2019 [CODATA2018]
GAS_CONSTANT_J_MOL_K = 8.314462618  # N_A k_B, exact [CODATA2018]
AMU_KG = 1.66053906660e-27  # atomic mass constant [CODATA2018]
RADON_MOLAR_MASS_KG_MOL = 0.222  # Rn-222 atomic mass 222.0176 u (AME2020), rounded
CAL_J = 4.184  # thermochemical calorie, J (ISO 80000-5)


@dataclass(frozen=True)
class LandingSite:
    """A named point on the Moon (selenographic latitude and east longitude, degrees)."""

    name: str
    latitude_deg: float
    longitude_deg: float


@dataclass(frozen=True)
class MoonConstants:
    """Body constants of the Moon used by the DORN models; each with its source."""

    radius_m: float = 1737.4e3  # mean radius [Archinal2011]
    gravity_m_s2: float = 1.62  # surface gravity GM/R^2 = 1.624 [Konopliv2013], rounded
    synodic_month_s: float = 29.530588 * 86400.0  # lunar solar day [Meeus1998]
    solar_constant_w_m2: float = 1360.8  # total solar irradiance at 1 AU [Kopp2011]

    @property
    def gm_m3_s2(self) -> float:
        """Gravitational parameter g R^2 in m^3 s^-2 (consistent with ``gravity_m_s2``)."""
        return self.gravity_m_s2 * self.radius_m**2

    @property
    def escape_speed_m_s(self) -> float:
        """Escape speed sqrt(2 g R) in m/s (about 2.37 km/s)."""
        return float((2.0 * self.gravity_m_s2 * self.radius_m) ** 0.5)

    @property
    def local_hour_s(self) -> float:
        """Duration of one hour of local (solar) time, synodic month / 24, in s."""
        return self.synodic_month_s / 24.0


MOON = MoonConstants()
CHANGE6_SITE = LandingSite("Chang'e-6", -41.6, -153.9)  # [Li2024]
