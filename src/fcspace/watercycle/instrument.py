"""Water-cycle mission instruments: L-band aperture-synthesis arrays and the X/Ka snow channels.

Every instrument number of :mod:`fcspace.watercycle` lives here, each with its source, or
marked ASSUMPTION where nothing public that we could read gives it.

Sources
-------
- [McMullan2008] McMullan, K. D., Brown, M. A., Martín-Neira, M., et al. (2008). SMOS: the
  payload. IEEE TGRS 46(3), 594-605: 69 LICEF receivers on a Y (three arms at 120 deg and a
  hub), element spacing 0.875 wavelength, 1413.5 MHz centre frequency, 1.2 s snapshots.
- [Kerr2010] Kerr, Y. H., Waldteufel, P., Wigneron, J.-P., et al. (2010). The SMOS mission:
  new tool for monitoring key elements of the global water cycle. Proc. IEEE 98(5), 666-687:
  758 km sun-synchronous orbit, antenna plane tilted 32.5 deg forward.
- [CEOS] CEOS EO Handbook, MIRAS instrument summary (database.eohandbook.com, instrument 689):
  "RMS 1.6-4 K depending on the scene and the position within the swath"; 35 km resolution
  at the centre of the field of view.
- [RodriguezFernandez2020] Rodríguez-Fernández, N., Anterrieu, E., Cabot, F., et al. (2020).
  SMOS-HR: a high resolution L-band passive radiometer for Earth science. IGARSS 2020:
  ~10 km resolution from ~700 km, several hundred elements. [Krzakala2021] Krzakala, P., et
  al. (2021). Irregular layout for a satellite's interferometric array. IEEE JSTARS 14,
  9408-9423 (Y and irregular layouts for SMOS-HR).
- [TMS2017] Thompson, A. R., Moran, J. M., Swenson, G. W. (2017). Interferometry and
  Synthesis in Radio Astronomy, 3rd ed., Springer: sect. 6.2 (noise of a complex
  correlator, sigma = T_sys / sqrt(2 B tau) on each of the real and imaginary outputs) and
  sect. 8.3 (two-level quantisation efficiency 2/pi at Nyquist sampling).
- [Ulaby2014] Ulaby, F. T., Long, D. G. (2014). Microwave Radar and Radiometric Remote
  Sensing, eq. 7.1 (the radiometer equation Delta T = T_sys / sqrt(B tau)).
- [Shi2014] Shi, J., Dong, X., Zhao, T., et al. (2014). WCOM: the science scenario and
  objectives of a global water cycle observation mission, IGARSS 2014: the
  water-cycle observation concept with X/Ka band interferometric radiometer for snow.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M

__all__ = [
    "HR_CONCEPT",
    "L_BAND_HZ",
    "MIRAS",
    "SNOW_CHANNELS",
    "SPEED_OF_LIGHT",
    "InterferometricArray",
    "SnowChannel",
    "y_array_positions",
]

SPEED_OF_LIGHT = 299_792_458.0  # m/s, exact (SI definition)
#: Centre of the protected L band 1400-1427 MHz, where SMOS, SMAP and Aquarius observe
#: ([McMullan2008]); the water-cycle radiometers and the L-band emission models use it.
L_BAND_HZ = 1.4135e9


def y_array_positions(n_per_arm: int, spacing_m: float, first_arm_deg: float = 90.0) -> np.ndarray:
    """Element positions (m) of a Y array: three arms at 120 deg, elements at n d, n = 1..N.

    Parameters
    ----------
    n_per_arm
        Elements per arm (MIRAS: 23, i.e. 69 in all with the hub ones counted on the arms).
    spacing_m
        Element spacing d along an arm (m).
    first_arm_deg
        Direction of the first arm from the x axis (deg); the others follow at +120, +240.

    Returns
    -------
    numpy.ndarray
        ``(3 n_per_arm, 2)`` positions (x, y) in the antenna plane.

    Notes
    -----
    ASSUMPTION: the hub receivers of MIRAS sit on the arm lines at the regular spacing, so the
    array is 3 x 23 elements at n d (n = 1..23) from the centre; the 69 count and the 0.875
    wavelength spacing are from [McMullan2008], the exact hub offsets are not used here.
    """
    angles = np.radians(first_arm_deg + np.array([0.0, 120.0, 240.0]))
    n = np.arange(1, n_per_arm + 1, dtype=float) * spacing_m
    x = (np.cos(angles)[:, None] * n[None, :]).ravel()
    y = (np.sin(angles)[:, None] * n[None, :]).ravel()
    return np.stack([x, y], axis=-1)


@dataclass(frozen=True, eq=False)
class InterferometricArray:
    """An aperture-synthesis radiometer: a Y array of identical elements in a tilted plane.

    Lengths in m, frequencies in Hz, temperatures in K, angles in degrees (edges only).
    The antenna power pattern is ``cos(theta)**pattern_exponent`` (ASSUMPTION: a patch
    element, identical for every receiver), normalised to 1 at boresight.
    """

    name: str
    frequency_hz: float
    n_per_arm: int
    spacing_wavelengths: float
    altitude_m: float
    tilt_deg: float
    integration_time_s: float
    bandwidth_hz: float
    receiver_temperature_k: float
    pattern_exponent: float
    quantisation_efficiency: float = 2.0 / np.pi  # 2-level (1-bit) correlators, [TMS2017]
    snapshot_time_s: float = 1.2
    # ASSUMPTION: physical temperature of the receivers, the T_r of the Corbella et al. (2004)
    # visibility equation (the backward noise of the receivers; MIRAS runs near 22 C).
    receiver_physical_temperature_k: float = 295.0
    earth_radius_m: float = EARTH_MEAN_RADIUS_M  # spherical Earth ASSUMPTION

    @property
    def wavelength_m(self) -> float:
        """Wavelength c / f0 (m)."""
        return SPEED_OF_LIGHT / self.frequency_hz

    @property
    def spacing_m(self) -> float:
        """Element spacing d (m)."""
        return self.spacing_wavelengths * self.wavelength_m

    @property
    def n_elements(self) -> int:
        """Number of receivers."""
        return 3 * self.n_per_arm

    @cached_property
    def positions_m(self) -> np.ndarray:
        """Element positions (x, y) in the antenna plane (m), shape ``(n_elements, 2)``."""
        return y_array_positions(self.n_per_arm, self.spacing_m)

    @cached_property
    def lattice_basis(self) -> np.ndarray:
        """Rows a1, a2: the (u, v) lattice of the baselines (wavelengths); a3 = -(a1 + a2)."""
        unit = self.positions_m[[0, self.n_per_arm]] / self.spacing_m
        return unit * self.spacing_wavelengths

    @cached_property
    def baseline_indices(self) -> np.ndarray:
        """Distinct baselines as integer lattice coordinates (k1, k2), zero included.

        Redundant pairs (same (u, v)) are measured once here: each distinct (u, v) is one
        visibility, the mean of its redundant correlations. Both (u, v) and (-u, -v) are
        listed (Hermitian pair): 6 N^2 + 6 N - 5 for a Y array with no central element and
        elements at n d, n = 1..N (the 6 arm-direction baselines of length N d are missing).
        """
        pos = self.positions_m / self.wavelength_m
        diff = (pos[:, None, :] - pos[None, :, :]).reshape(-1, 2)
        k = np.rint(np.linalg.solve(self.lattice_basis.T, diff.T).T).astype(np.int64)
        return np.unique(k, axis=0)

    @property
    def baselines_uv(self) -> np.ndarray:
        """Distinct baselines (u, v) in wavelengths, shape ``(n_visibilities, 2)``."""
        return self.baseline_indices @ self.lattice_basis

    @property
    def n_visibilities(self) -> int:
        """Number of distinct (u, v) points, zero baseline included."""
        return len(self.baseline_indices)

    @property
    def max_baseline_wavelengths(self) -> float:
        """Longest baseline length (wavelengths)."""
        return float(np.max(np.hypot(*self.baselines_uv.T)))

    @property
    def antenna_solid_angle_sr(self) -> float:
        """Solid angle of the cos^n power pattern over the hemisphere, 2 pi / (n + 1) (sr)."""
        return 2.0 * np.pi / (self.pattern_exponent + 1.0)

    def system_temperature_k(self, antenna_temperature_k: float) -> float:
        """T_sys = T_A + T_R (K) (Ulaby & Long 2014, sect. 7-1)."""
        return float(antenna_temperature_k) + self.receiver_temperature_k

    def radiometer_sensitivity_k(self, antenna_temperature_k: float) -> float:
        """Radiometer equation T_sys / (eta_Q sqrt(B tau)) (K) ([Ulaby2014] eq. 7.1, [TMS2017])."""
        bt = self.bandwidth_hz * self.integration_time_s
        return self.system_temperature_k(antenna_temperature_k) / (
            self.quantisation_efficiency * np.sqrt(bt)
        )

    def visibility_noise_k(self, antenna_temperature_k: float) -> float:
        """Std of the real (and of the imaginary) part of one visibility (K).

        sigma = T_sys / (eta_Q sqrt(2 B tau)) ([TMS2017] sect. 6.2, weak-correlation limit),
        the redundant correlations of one (u, v) not averaged (ASSUMPTION: conservative).
        """
        return self.radiometer_sensitivity_k(antenna_temperature_k) / np.sqrt(2.0)


MIRAS = InterferometricArray(
    name="SMOS MIRAS",
    frequency_hz=L_BAND_HZ,  # [McMullan2008]
    n_per_arm=23,  # 69 elements [McMullan2008]; layout ASSUMPTION (see y_array_positions)
    spacing_wavelengths=0.875,  # [McMullan2008]
    altitude_m=758.0e3,  # [Kerr2010]
    tilt_deg=32.5,  # [Kerr2010]
    integration_time_s=1.2,  # one snapshot [McMullan2008]
    bandwidth_hz=19.0e6,  # ASSUMPTION: LICEF noise-equivalent bandwidth ~19 MHz
    receiver_temperature_k=200.0,  # ASSUMPTION: LICEF receiver noise temperature
    pattern_exponent=2.5,  # ASSUMPTION: cos^2.5 power pattern, ~ 8.5 dBi directivity patch
)

HR_CONCEPT = InterferometricArray(
    name="SMOS-HR concept",
    frequency_hz=L_BAND_HZ,  # protected L band, as SMOS
    # ASSUMPTION: 76 per arm (228 elements, "about 230"); sized so that the Blackman-apodised
    # resolution scales from SMOS's 35 km with 34.9 wavelengths to ~10 km at 700 km:
    # u_max ~ 34.9 * (35 / 10) * (700 / 758) ~ 113 wavelengths = 76 * 0.875 * sqrt(3).
    n_per_arm=76,
    spacing_wavelengths=0.875,  # >= 0.875 [RodriguezFernandez2020]; ASSUMPTION: equal
    altitude_m=700.0e3,  # [RodriguezFernandez2020]
    tilt_deg=32.5,  # ASSUMPTION: as SMOS
    integration_time_s=1.2,  # ASSUMPTION: as SMOS
    bandwidth_hz=19.0e6,  # ASSUMPTION: as SMOS
    receiver_temperature_k=200.0,  # ASSUMPTION: as SMOS
    pattern_exponent=2.5,  # ASSUMPTION: as SMOS
)


@dataclass(frozen=True)
class SnowChannel:
    """One X/Ka snow channel (ASSUMPTION throughout: WCOM heritage, no joint design)."""

    name: str
    frequency_hz: float
    bandwidth_hz: float
    nedt_k: float
    incidence_deg: float


SNOW_CHANNELS = (
    # ASSUMPTION: the AMSR2 snow frequencies that WCOM's X/Ka interferometric radiometer
    # inherits [Shi2014]; bandwidths, NEdT and the 55 deg incidence are ASSUMPTIONS
    # (AMSR2-like values), to be replaced by the CNSA design.
    SnowChannel("X", 10.65e9, 100.0e6, 0.7, 55.0),
    SnowChannel("Ka", 36.5e9, 1.0e9, 0.7, 55.0),
)
