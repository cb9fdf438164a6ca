"""SVOM GRM (Gamma-Ray Monitor): constants, geometry and response of the three GRDs.

Every GRM number of the package lives here, each with its source or marked as an assumption.

Frame
-----
The spacecraft frame of :mod:`fcspace.svom.frames`: +Z is the ECLAIRs (and MXT/VT) pointing
axis; ``theta`` is the angle from +Z, ``phi`` the azimuth from +X towards +Y. The azimuth of
GRD 1 is set to 0 deg in this frame (an assumption: the real azimuth zero point is a
spacecraft-mounting detail we have not read).

Sources
-------
- [SVOM-GRM] CNES/SVOM, "GRM - Gamma-Ray burst Monitor", https://svom.eu (instrument page):
  3 GRDs, NaI(Tl) 200 cm^2 x 1.5 cm, 15 keV-5 MeV, field of view +-60 deg about each GRD
  axis, axes tilted 30 deg from the ECLAIRs axis and 120 deg apart in azimuth, dead time
  < 8 us, time resolution < 20 us, energy resolution 16 % (FWHM) at 60 keV, GRM-only
  localisation "15 deg x 15 deg".
- [He2026] He, J., Sun, J.-C., Huang, Y., Dong, Y.-W., et al. (2026). The trigger and
  localization system of SVOM-GRM. arXiv:2604.18018 (about 200 cm^2 per GRD, 15-5000 keV,
  on-board count-ratio localisation).
- [Dong2010] Dong, Y., Wu, B., Li, Y., Zhang, Y., Zhang, S. (2010). SVOM gamma ray monitor.
  Sci. China Phys. Mech. Astron. 53(S1), 40-42.
- [Meegan2009] Meegan, C., Lichti, G., Bhat, P. N., et al. (2009). The Fermi Gamma-ray Burst
  Monitor. ApJ 702, 791 (rate trigger: 16 ms-8.192 s timescales, 50-300 keV main band,
  background over the preceding ~17 s, threshold 4.5 sigma in >= 2 detectors).
- [Knoll2010] Knoll, G. F. (2010). Radiation Detection and Measurement, 4th ed., Wiley,
  ch. 10 (NaI(Tl) resolution scales as E^-1/2 from photo-electron statistics).
- [XCOM] Berger, M. J., Hubbell, J. H., et al. NIST XCOM: Photon Cross Sections Database
  (NaI total attenuation with coherent scattering; values below rounded, see
  ``_NAI_MU_RHO``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.svom.frames import direction_vector
from fcspace.svom.time import SVOM_MJDREF_TT

__all__ = ["GRM", "GrmInstrument"]

# Approximate NaI total mass attenuation coefficients (cm^2/g) versus energy (keV), rounded
# from [XCOM]; accurate to ~20 %, which is enough for a detection efficiency that is ~1 below
# 150 keV (rho t = 5.5 g/cm^2). Assumption-grade: replace by the GRM calibration response
# (Zhao et al. 2026, arXiv:2604.17875) when it is available to us.
_NAI_E_KEV = (15.0, 30.0, 40.0, 60.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 5000.0)
_NAI_MU_RHO = (50.0, 8.0, 22.0, 7.5, 1.7, 0.60, 0.33, 0.17, 0.095, 0.058, 0.043, 0.034)


@dataclass(frozen=True)
class GrmInstrument:
    """Constants of the SVOM Gamma-Ray Monitor; defaults are the flight instrument.

    The angular response of one GRD is its projected entrance area, a cosine law
    ``A(theta) = A0 cos(theta)`` for the flat crystal face, multiplied by an edge taper
    that falls linearly from 1 at ``fov_half_deg - fov_taper_deg/2`` to 0 at
    ``fov_half_deg + fov_taper_deg/2``. The taper stands for the housing and shielding that
    limit the field of view to +-60 deg [SVOM-GRM]; its width (20 deg) is an assumption, and
    so is neglecting the crystal's side face (2 r h sin(theta) <= 24 cm^2, taken as shielded).
    The energy dependence is the on-axis interaction efficiency
    ``1 - exp(-(mu/rho)(E) rho t)`` [XCOM]; response is separable in energy and angle.
    """

    # --- detectors ([SVOM-GRM], [Dong2010], [He2026]) ---
    n_detectors: int = 3  # GRDs, [SVOM-GRM]
    detector_names: tuple[str, ...] = ("GRD1", "GRD2", "GRD3")
    geometric_area_cm2: float = 200.0  # NaI(Tl) crystal face per GRD, [SVOM-GRM], [He2026]
    crystal_thickness_cm: float = 1.5  # [SVOM-GRM]
    nai_density_g_cm3: float = 3.67  # NaI(Tl) density, Knoll (2010) Table 8.3
    energy_min_kev: float = 15.0  # [SVOM-GRM], [He2026]
    energy_max_kev: float = 5000.0  # [SVOM-GRM], [He2026]
    fov_half_deg: float = 60.0  # +-60 deg about each GRD axis, [SVOM-GRM]
    fov_taper_deg: float = 20.0  # width of the edge fall-off, assumption (see class doc)
    tilt_deg: float = 30.0  # GRD axis from the ECLAIRs axis, [SVOM-GRM]
    # 120 deg apart in azimuth [SVOM-GRM]; the zero point is an assumption (module doc)
    azimuth_deg: tuple[float, ...] = (0.0, 120.0, 240.0)
    # --- energy resolution ([SVOM-GRM]; E^-1/2 scaling [Knoll2010]) ---
    resolution_fwhm_ref: float = 0.16  # FWHM/E at the reference energy, [SVOM-GRM]
    resolution_ref_kev: float = 60.0  # 241Am line used for the figure, [SVOM-GRM]
    # --- channels (assumption: 128 log-spaced channels, like GBM CSPEC [Meegan2009]) ---
    n_channels: int = 128
    # --- background (assumption) ---
    # 1000 counts/s per GRD over 15-5000 keV, a low-Earth-orbit NaI figure: Fermi GBM NaI 6
    # (126 cm^2, 8-1000 keV) counts ~890 counts/s in the GRB 110721A file in ../shared/data,
    # and SVOM flies a similar low-inclination orbit (30 deg vs 25.6 deg). The count spectrum
    # is taken as a power law E^-1.4 (assumption), modulated by +-15 % over one orbit
    # (assumption; the Earth crossing the field of view modulates the GRM background, Zhao et
    # al. 2012, arXiv:1208.2493).
    background_rate_cps: float = 1000.0
    background_index: float = 1.4
    background_modulation: float = 0.15
    orbit_period_s: float = 5760.0  # ~96 min at 625 km (SVOM orbit, Kepler's law; assumption)
    # --- time ---
    # Simulated GRM event times are SVOM MET seconds (TT): epoch and its assumption in
    # fcspace.svom.time (SVOM_MJDREF_TT, 2017-01-01T00:00:00 UTC).
    met_epoch_mjd_tt: float = SVOM_MJDREF_TT
    time_resolution_s: float = 20e-6  # < 20 us, [SVOM-GRM]
    dead_time_s: float = 8e-6  # < 8 us per event, [SVOM-GRM] (not simulated)
    # --- rate trigger ([Meegan2009] scheme adapted to the GRM; bands are assumptions) ---
    trigger_timescales_s: tuple[float, ...] = (
        0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096,
    )  # fmt: skip
    # 50-300 keV is GBM's main band [Meegan2009]; 15-150 (soft) and 100-1000 keV (hard, for
    # short bursts) are assumptions chosen for the GRM's 15 keV-5 MeV range.
    trigger_bands_kev: tuple[tuple[float, float], ...] = (
        (50.0, 300.0), (15.0, 150.0), (100.0, 1000.0),
    )  # fmt: skip
    trigger_threshold_sigma: float = 4.5  # [Meegan2009]
    trigger_min_detectors: int = 2  # >= 2 of 3 GRDs, as GBM's >= 2 detectors [Meegan2009]
    # --- count-ratio localisation (fcspace.svom.grm.localize; assumptions) ---
    # Source counts over 8.192 s from the trigger window start, background over 16.384 s
    # ending 4.096 s before it (as the trigger's background), in 15-300 keV; a 5 % systematic
    # error per detector (Earth albedo, spacecraft scattering, response; GBM carries a
    # comparable term, Connaughton et al. 2015, ApJS 216, 32).
    localize_duration_s: float = 8.192
    localize_background_s: float = 16.384
    localize_gap_s: float = 4.096
    localize_band_kev: tuple[float, float] = (15.0, 300.0)
    localize_systematic_frac: float = 0.05
    # HEALPix sky map (fcspace.svom.grm.skymap; resolution choices, not hardware numbers):
    # nside such that a pixel is <= 1/4 of the 68 % radius of the grid fit, kept in 16..256.
    skymap_pixels_per_radius: float = 4.0
    skymap_nside_range: tuple[int, int] = (16, 256)
    # Timescale an alert states when the trigger gives none: 1.0 s, that of 17 of the 24 GRM
    # notices in ../shared (e.g. grm_284.xml); the band defaults to energy_min/max_kev.
    notice_timescale_s: float = 1.0

    @property
    def detector_axes(self) -> NDArray[np.float64]:
        """Unit axes of the GRDs in the SVOM frame, shape (n_detectors, 3)."""
        return direction_vector(np.full(self.n_detectors, self.tilt_deg), self.azimuth_deg)

    @property
    def channel_edges_kev(self) -> NDArray[np.float64]:
        """Edges of the ``n_channels`` energy channels (log-spaced, keV), length n+1."""
        return np.geomspace(self.energy_min_kev, self.energy_max_kev, self.n_channels + 1)

    def angular_response(self, cos_angle: ArrayLike) -> NDArray[np.float64]:
        """Relative effective area (0-1) at cosine ``cos_angle`` of the off-axis angle.

        Cosine law of the projected crystal face times the linear edge taper described in
        the class docstring (assumption around the +-60 deg field of view [SVOM-GRM]).
        """
        mu = np.clip(np.asarray(cos_angle, float), -1.0, 1.0)
        ang = np.rad2deg(np.arccos(mu))
        lo = self.fov_half_deg - 0.5 * self.fov_taper_deg
        taper = np.clip(1.0 - (ang - lo) / self.fov_taper_deg, 0.0, 1.0)
        return np.where(mu > 0.0, mu, 0.0) * taper

    def detector_response(self, theta_deg: ArrayLike, phi_deg: ArrayLike) -> NDArray[np.float64]:
        """Relative area of each GRD towards direction(s), shape (..., n_detectors)."""
        cosines = direction_vector(theta_deg, phi_deg) @ self.detector_axes.T
        return self.angular_response(cosines)

    def efficiency(self, energy_kev: ArrayLike) -> NDArray[np.float64]:
        """On-axis interaction efficiency ``1 - exp(-(mu/rho) rho t)`` ([XCOM], log-log interp)."""
        e = np.asarray(energy_kev, float)
        mu = np.exp(np.interp(np.log(e), np.log(_NAI_E_KEV), np.log(_NAI_MU_RHO)))
        return 1.0 - np.exp(-mu * self.nai_density_g_cm3 * self.crystal_thickness_cm)

    def effective_area_cm2(self, energy_kev: ArrayLike, cos_angle: ArrayLike) -> NDArray:
        """Effective area ``A0 eps(E) g(theta)`` in cm^2 (broadcast over both arguments)."""
        return (
            self.geometric_area_cm2 * self.efficiency(energy_kev) * self.angular_response(cos_angle)
        )

    def resolution_sigma_kev(self, energy_kev: ArrayLike) -> NDArray[np.float64]:
        """Gaussian sigma of the measured energy: FWHM/E = r0 (E/E0)^-1/2 ([Knoll2010])."""
        e = np.asarray(energy_kev, float)
        fwhm = self.resolution_fwhm_ref * np.sqrt(e * self.resolution_ref_kev)
        return fwhm / (2.0 * np.sqrt(2.0 * np.log(2.0)))


GRM = GrmInstrument()
