"""SVOM/ECLAIRs (coded-mask hard X-ray camera): constants, geometry and response.

Every ECLAIRs number of the package lives here, each with its source or stated as an
assumption. Frames and index conventions are those of ``docs/eclairs_layout.md``: boresight
+X, detector in the (Y, Z) plane, direction ``(theta, phi)`` with ``theta`` off-axis and
``phi`` from +Y towards +Z; that is the spacecraft frame of :mod:`fcspace.svom.frames` under
the axis mapping ECLAIRs (X, Y, Z) -> spacecraft (Z, X, Y), with the same ``(theta, phi)``.

Sources
-------
- [Godet2014] Godet, O., Nasser, G., Atteia, J.-L., et al. (2014). The X-/gamma-ray camera
  ECLAIRs for the gamma-ray burst mission SVOM. Proc. SPIE 9144, 914424 (80 x 80 CdTe pixels
  of 4 x 4 mm, 1 mm thick, 1024 cm2; 4-150 keV; coded mask 54 x 54 cm, 40 % open, 46 cm above
  the detector; FoV 89 x 89 deg, ~2 sr).
- [Lacombe2014] Lacombe, K., Pons, R., Amoros, C., et al. (2014). Description and performance
  of the ECLAIRs detection plane. Proc. SPIE 9144 (energy resolution ~1.8 keV FWHM at 60 keV,
  ~4 keV low threshold).
- [Wei2016] Wei, J., Cordier, B., et al. (2016). The Deep and Transient Universe in the SVOM
  Era. arXiv:1610.06892 (mask 46 x 46 elements of 11.75 mm; 20 us time resolution).
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. Handbook of X-ray and Gamma-ray Astrophysics, Springer, arXiv:2305.10130
  (FCFOV / PCFOV geometry, angular resolution atan(m / h)).
- [XCOM] Berger, M. J., Hubbell, J. H., et al. NIST XCOM: Photon Cross Sections Database
  (attenuation coefficients of W, Cd and Te; here approximated by power laws, see below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.svom.time import SVOM_MJDREF_TT

__all__ = [
    "ECLAIRS",
    "EclairsInstrument",
    "cdte_attenuation_cm2_g",
    "tungsten_attenuation_cm2_g",
]


def cdte_attenuation_cm2_g(energy_kev: ArrayLike) -> NDArray[np.float64]:
    """Photoelectric mass attenuation coefficient of CdTe in cm2/g (approximation).

    A power law ``mu/rho = 1.4 (E / 100 keV)^-2.75`` above the Te K edge (31.8 keV), a
    mass-weighted K-edge jump of 3.5 between the Cd (26.7 keV) and Te K edges and of 7 below
    the Cd K edge. Coefficients are an approximate fit to [XCOM] (photo-absorption of Cd and
    Te, mass-weighted 0.468 / 0.532); good to ~20 %, which matters only above ~60 keV where a
    1 mm crystal becomes partly transparent. Compton scattering (< 0.15 cm2/g here) is
    neglected: a scattered photon mostly deposits a fraction of its energy or escapes.
    """
    e = np.asarray(energy_kev, dtype=float)
    mu = 1.4 * (e / 100.0) ** -2.75
    mu = np.where(e < 31.8, mu / 3.5, mu)  # below the Te K edge: Cd K shell only
    return np.where(e < 26.7, mu / 2.0, mu)  # below the Cd K edge: L shells only


def tungsten_attenuation_cm2_g(energy_kev: ArrayLike) -> NDArray[np.float64]:
    """Total mass attenuation coefficient of tungsten in cm2/g (approximation).

    Power laws through [XCOM] values: 3.71 cm2/g at 60 keV below the K edge (69.5 keV) with
    slope -2.65, and 4.44 cm2/g at 100 keV above it with slope -2.6 (gives 7.5 at 80 keV and
    1.55 at 150 keV, XCOM 7.8 and 1.58). Below 12 keV (L edges) the mask is opaque anyway.
    """
    e = np.asarray(energy_kev, dtype=float)
    below = 3.71 * (e / 60.0) ** -2.65
    above = 4.44 * (e / 100.0) ** -2.6
    return np.where(e < 69.525, below, above)


@dataclass(frozen=True)
class EclairsInstrument:
    """Constants of the ECLAIRs coded-mask camera; defaults are the flight design.

    Lengths in metres, energies in keV, times in seconds, angles in degrees at the interface.
    """

    # --- detection plane ([Godet2014], [Lacombe2014]) ---
    n_pixels: int = 80  # pixels per side, 80 x 80 = 6400, [Godet2014]
    pixel_size_m: float = 4.0e-3  # CdTe pixel side, [Godet2014]
    pixel_pitch_m: float = 4.5e-3  # pixel pitch; uniform (module gaps ignored): assumption
    cdte_thickness_m: float = 1.0e-3  # [Godet2014]
    cdte_density_g_cm3: float = 5.85  # CdTe density (CRC handbook)
    energy_min_kev: float = 4.0  # low threshold, [Godet2014]
    energy_max_kev: float = 150.0  # upper end of the band, [Godet2014]
    # PI channel width of the L1 file ECL-EVT-CAL (channel k = [k, k+1) x width, energy read
    # back as the channel centre): assumption, no public card gives the PI law; 0.05 keV keeps
    # every trigger band edge on a channel edge and is < 1/30 of the 1.8 keV FWHM.
    pi_step_kev: float = 0.05
    fwhm_ref_kev: float = 1.8  # FWHM at 60 keV, [Lacombe2014]
    fwhm_ref_energy_kev: float = 60.0  # reference energy of fwhm_ref_kev
    fwhm_noise_kev: float = 0.9  # energy-independent (electronic noise) term: assumption
    time_resolution_s: float = 20.0e-6  # [Wei2016]
    # --- coded mask ([Godet2014], [Wei2016]) ---
    mask_elements: int = 46  # elements per side, [Wei2016]
    mask_element_m: float = 11.75e-3  # element side, [Wei2016] (46 x 11.75 mm = 54 cm)
    mask_open_fraction: float = 0.4  # [Godet2014]
    mask_height_m: float = 0.46  # mask-detector distance, [Godet2014]
    mask_thickness_m: float = 0.6e-3  # closed-element metal thickness, [Godet2014] (Ta);
    mask_density_g_cm3: float = 19.3  # tungsten used for Ta (Z 73 vs 74): assumption
    # --- time ---
    # SVOM MET epoch (2017-01-01T00:00:00 UTC in TT, an assumption): fcspace.svom.time.
    met_epoch_mjd_tt: float = SVOM_MJDREF_TT
    # --- localisation ---
    # Error radius (90 %) of the mission's notices, r90 = sqrt((a / SNR)^2 + b^2): a = 77',
    # b = 2' (measured on every ECLAIRs VOEvent in ../shared, to their rounding).
    notice_r90_stat_arcmin: float = 77.0
    notice_r90_sys_arcmin: float = 2.0
    # Timescale and band an alert states when the trigger gives none: one 20.48 s IMT frame
    # in 5-20 keV, as the notices in ../shared state (e.g. eclairs_302.xml).
    notice_timescale_s: float = 20.48
    notice_band_kev: tuple[float, float] = (5.0, 20.0)
    # fcspace's calibrated law in on-axis sky pixels, r90 = sqrt((A / SNR)^2 + B^2), fitted to
    # the 90 % quantiles of 1400 photon-simulated bursts (SNR 6.5-50; seeds 11 and 13 of
    # benchmarks/eclairs_localisation_calibration.py): A = 3.43, B = 0.037.
    r90_stat_px: float = 3.43
    r90_sys_px: float = 0.037
    # Detector-plane fit (fcspace.svom.eclairs.detector_fit): r90 = sqrt((k sigma_fit)^2 + b^2)
    # with sigma_fit from the fitted curvature. k = 2.33: the 90 % quantile of offset /
    # sigma_fit of 600 photon-simulated bursts in the fully coded field, SNR 6.5-44 (seed 11 of
    # benchmarks/eclairs_localisation_calibration.py --field fcfov; 2.146 for an ideal circular
    # Gaussian; 2.40-2.48 below SNR 13, 2.17-2.29 above). b = 0: the simulator has no
    # systematic error (alignment, attitude); the notices' b = 2' is the mission's.
    detector_r90_factor: float = 2.33
    detector_r90_sys_arcmin: float = 0.0

    # ----------------------------------------------------------------- sizes and areas
    @property
    def detector_side_m(self) -> float:
        """Side of the detection plane, n_pixels x pitch (0.36 m)."""
        return self.n_pixels * self.pixel_pitch_m

    @property
    def mask_side_m(self) -> float:
        """Side of the coded area of the mask, elements x element size (0.5405 m)."""
        return self.mask_elements * self.mask_element_m

    @property
    def detector_area_cm2(self) -> float:
        """Geometric (active) detector area: n^2 x pixel_size^2 in cm2 (1024 cm2)."""
        return self.n_pixels**2 * (self.pixel_size_m * 100.0) ** 2

    @property
    def active_fraction(self) -> float:
        """Fraction of the detection plane covered by pixels, (size / pitch)^2."""
        return (self.pixel_size_m / self.pixel_pitch_m) ** 2

    # ----------------------------------------------------------------- field of view
    @property
    def half_fov_deg(self) -> float:
        """Half-width of the total (zero-coding) FoV along Y or Z ([GoldwurmGros2022]).

        atan((M + D) / (2 h)) with M the mask side and D the detector side: 44.4 deg, i.e.
        the 89 x 89 deg of [Godet2014].
        """
        s = 0.5 * (self.mask_side_m + self.detector_side_m)
        return float(np.degrees(np.arctan(s / self.mask_height_m)))

    @property
    def half_fully_coded_deg(self) -> float:
        """Half-width of the fully coded FoV along Y or Z, atan((M - D) / (2 h)) (11.1 deg)."""
        s = 0.5 * (self.mask_side_m - self.detector_side_m)
        return float(np.degrees(np.arctan(s / self.mask_height_m)))

    @property
    def half_fov_half_coded_deg(self) -> float:
        """Half-width of the 50 % coded FoV along Y or Z, atan(M / (2 h)) (30.4 deg)."""
        return float(np.degrees(np.arctan(0.5 * self.mask_side_m / self.mask_height_m)))

    @property
    def fov_solid_angle_sr(self) -> float:
        """Solid angle of the total FoV, a square pyramid: 4 asin(sin^2 a) (~2.0 sr)."""
        return _pyramid_solid_angle(self.half_fov_deg)

    @property
    def fully_coded_solid_angle_sr(self) -> float:
        """Solid angle of the fully coded FoV (square pyramid, ~0.15 sr)."""
        return _pyramid_solid_angle(self.half_fully_coded_deg)

    @property
    def partially_coded_solid_angle_sr(self) -> float:
        """Solid angle of the partially coded rim: total minus fully coded."""
        return self.fov_solid_angle_sr - self.fully_coded_solid_angle_sr

    @property
    def sky_pixel_deg(self) -> float:
        """Sky pixel scale on axis, atan(pitch / h) (0.56 deg)."""
        return float(np.degrees(np.arctan(self.pixel_pitch_m / self.mask_height_m)))

    @property
    def angular_resolution_deg(self) -> float:
        """Angular resolution on axis, atan(element / h) ([GoldwurmGros2022]; 1.46 deg)."""
        return float(np.degrees(np.arctan(self.mask_element_m / self.mask_height_m)))

    # ----------------------------------------------------------------- geometry
    def pixel_centres_m(self) -> NDArray[np.float64]:
        """Centre coordinate (m) of pixels 0..n-1 along Y or Z: (k - (n - 1) / 2) pitch."""
        k = np.arange(self.n_pixels, dtype=float)
        return (k - 0.5 * (self.n_pixels - 1)) * self.pixel_pitch_m

    def mask_element_centres_m(self) -> NDArray[np.float64]:
        """Centre coordinate (m) of mask elements 0..N-1 along Y or Z."""
        k = np.arange(self.mask_elements, dtype=float)
        return (k - 0.5 * (self.mask_elements - 1)) * self.mask_element_m

    def shadow_shift(
        self, theta_deg: ArrayLike, phi_deg: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Offset (m) from a detector point to where its ray to ``(theta, phi)`` meets the mask.

        ``s = h tan(theta) (cos phi, sin phi)``; the mask shadow on the detector is the mask
        pattern displaced by ``-s`` (pinhole projection, [GoldwurmGros2022]).
        """
        t = np.tan(np.radians(np.asarray(theta_deg, dtype=float))) * self.mask_height_m
        p = np.radians(np.asarray(phi_deg, dtype=float))
        return t * np.cos(p), t * np.sin(p)

    def direction_from_shift(
        self, shift_y_m: ArrayLike, shift_z_m: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Inverse of :meth:`shadow_shift`: ``(theta, phi)`` in degrees, phi in [0, 360)."""
        sy = np.asarray(shift_y_m, dtype=float)
        sz = np.asarray(shift_z_m, dtype=float)
        theta = np.degrees(np.arctan(np.hypot(sy, sz) / self.mask_height_m))
        phi = np.degrees(np.arctan2(sz, sy)) % 360.0
        return theta, phi

    def coding_fraction(self, theta_deg: ArrayLike, phi_deg: ArrayLike) -> NDArray[np.float64]:
        """Fraction of the detection plane that sees the source through the mask area.

        Product over Y and Z of the overlap of the detector [-D/2, D/2] shifted by ``s`` with
        the mask [-M/2, M/2], divided by D: 1 in the fully coded field, 0 outside the FoV
        ([GoldwurmGros2022], partially coded field). Directions with theta >= 90 give 0.
        """
        theta = np.asarray(theta_deg, dtype=float)
        sy, sz = self.shadow_shift(np.minimum(theta, 89.999), phi_deg)
        frac = _overlap(sy, self.detector_side_m, self.mask_side_m)
        frac = frac * _overlap(sz, self.detector_side_m, self.mask_side_m)
        return np.where(theta < 90.0, frac, 0.0)

    def in_fov(self, theta_deg: ArrayLike, phi_deg: ArrayLike) -> NDArray[np.bool_]:
        """True where the direction is in the FoV (coding fraction > 0)."""
        return self.coding_fraction(theta_deg, phi_deg) > 0.0

    # ----------------------------------------------------------------- response
    def fwhm_kev(self, energy_kev: ArrayLike) -> NDArray[np.float64]:
        """Energy resolution FWHM (keV): sqrt(a^2 + b E), noise plus statistical term.

        ``a = fwhm_noise_kev`` (assumption), ``b`` set so that FWHM = 1.8 keV at 60 keV
        ([Lacombe2014]); gives ~1.0 keV at 6 keV and ~2.7 keV at 150 keV.
        """
        a2 = self.fwhm_noise_kev**2
        b = (self.fwhm_ref_kev**2 - a2) / self.fwhm_ref_energy_kev
        return np.sqrt(a2 + b * np.asarray(energy_kev, dtype=float))

    def detector_efficiency(self, energy_kev: ArrayLike, theta_deg: ArrayLike = 0.0) -> NDArray:
        """Photo-absorption probability in the CdTe crystal: 1 - exp(-mu rho t / cos theta).

        Uses :func:`cdte_attenuation_cm2_g`; the slant path through the crystal grows as
        1 / cos(theta). The low threshold is applied to measured energies, not here.
        """
        tau = cdte_attenuation_cm2_g(energy_kev) * self.cdte_density_g_cm3
        tau = tau * self.cdte_thickness_m * 100.0 / np.cos(np.radians(theta_deg))
        return -np.expm1(-tau)

    def mask_transmission(self, energy_kev: ArrayLike, theta_deg: ArrayLike = 0.0) -> NDArray:
        """Transmission of a closed mask element, exp(-mu rho t / cos theta) (~1 % at 60 keV)."""
        tau = tungsten_attenuation_cm2_g(energy_kev) * self.mask_density_g_cm3
        tau = tau * self.mask_thickness_m * 100.0 / np.cos(np.radians(theta_deg))
        return np.exp(-tau)


def _pyramid_solid_angle(half_angle_deg: float) -> float:
    """Solid angle of a right pyramid with square base and half-angles a: 4 asin(sin^2 a)."""
    s = np.sin(np.radians(half_angle_deg))
    return float(4.0 * np.arcsin(s * s))


def _overlap(shift: NDArray, det: float, mask: float) -> NDArray[np.float64]:
    """Length of [-det/2 + shift, det/2 + shift] inside [-mask/2, mask/2], over det."""
    hi = np.minimum(0.5 * det + shift, 0.5 * mask)
    lo = np.maximum(-0.5 * det + shift, -0.5 * mask)
    return np.clip(hi - lo, 0.0, det) / det


ECLAIRS = EclairsInstrument()
