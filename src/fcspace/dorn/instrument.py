"""DORN (Detection of Outgassing RadoN, Chang'e-6 lander, 2024): constants and geometry.

Every instrument number of the DORN code lives here, each with its source, or marked
ASSUMPTION where nothing public gives it (the detector-level design has not been published
in the sources we could read; the assumed values are typical of space alpha spectrometers
with ion-implanted silicon detectors and should be replaced by the IRAP calibration values).

Sources
-------
- [NSSDC] NASA NSSDCA experiment page CHANG-E-6-02, "Detection of Outgassing RadoN (DORN)":
  4.5 kg, 25 x 27 x 42 cm, "an alpha spectrometer with 16 silicon detectors"; ~30 h of
  operation on the surface.
- [CNES2019] CNES, "DORN, the French instrument on the Chang'e 6 mission" (18 Dec 2019):
  radon within several tens of metres of the lander, ten times the sensitivity of orbital
  predecessors (Apollo 15/16, Lunar Prospector, Kaguya).
- [Brief] The fcspace DORN work package (IRAP instrument description as relayed to the
  project): 16 detectors in 8 units of two (front/back), 40 cm^2 in total, 1-12 MeV, units
  facing the sky and the ground, a Po-209 source in front of each unit, -40 to +60 C.
- [PIPS] Canberra (Mirion) PIPS detector data sheet C39168: entrance window < 500 A
  equivalent Si; 3.61 eV per electron-hole pair in Si.
- [Gorenstein1973] Gorenstein, P., Golub, L., Bjorkholm, P. J. (1973). Radon emanation from
  the Moon, spatial and temporal variability. Science 183, 411 (Apollo 15/16 APS: planar
  Si detectors facing a half-space; count rate proportional to the radon column).
- [Lawson2005] Lawson, S. L., Feldman, W. C., Lawrence, D. J., et al. (2005). Recent
  outgassing from the lunar surface: the Lunar Prospector alpha particle spectrometer.
  JGR 110, E09009 (Rn-222, Po-218, Po-210 lines; background from cosmic rays and solar
  particles, removed by front/back coincidence).
- [BortelsCollaers1987] Bortels, G., Collaers, P. (1987). Analytical function for fitting
  peaks in alpha-particle spectra from Si detectors. Appl. Radiat. Isot. 38, 831-837.
- [ICRU49] ICRU Report 49 (1993), Stopping powers and ranges for protons and alpha particles
  (mean excitation energy of Si, I = 173 eV, used in fcspace.dorn.detector).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DORN", "DornInstrument"]


@dataclass(frozen=True)
class DornInstrument:
    """Constants of the DORN alpha spectrometer; defaults are the flight model as we know it.

    Energies in keV, lengths in m unless the name says otherwise, angles in degrees.
    """

    # --- detectors and units ([NSSDC], [Brief]) ---
    n_detectors: int = 16  # silicon detectors, [NSSDC]
    n_units: int = 8  # units of two detectors (front + back), [Brief]
    total_area_cm2: float = 40.0  # all 16 detectors together, [Brief]
    n_sky_units: int = 4  # ASSUMPTION: half the units face the sky, half the ground
    n_ground_units: int = 4  # ASSUMPTION (as above)
    front_thickness_um: float = 150.0  # ASSUMPTION: stops 12 MeV alphas (range ~90 um in Si)
    dead_layer_um: float = 0.05  # ASSUMPTION: 500 A Si-equivalent window, [PIPS]
    # --- field of view ---
    collimator_half_angle_deg: float = 60.0  # ASSUMPTION: conical acceptance, half-angle
    # --- energy scale ---
    energy_min_kev: float = 1000.0  # lower edge of the range, [Brief]
    energy_max_kev: float = 12000.0  # upper edge of the range, [Brief]
    n_channels: int = 1100  # ASSUMPTION: 10 keV channels over 1-12 MeV
    offset_kev: float = 0.0  # ASSUMPTION: ground-calibrated offset of the energy scale
    reference_temperature_c: float = 20.0  # ASSUMPTION: gain = 1 at 20 C
    gain_temp_coeff_per_c: float = -1.5e-4  # ASSUMPTION: relative gain drift per C
    temperature_min_c: float = -40.0  # operating range, [Brief]
    temperature_max_c: float = 60.0  # operating range, [Brief]
    # --- line shape ([BortelsCollaers1987] form; values ASSUMED, typical of PIPS) ---
    resolution_fwhm_kev: float = 30.0  # ASSUMPTION: FWHM of the Gaussian core
    tail_tau1_kev: float = 12.0  # ASSUMPTION: short left tail (incomplete charge collection)
    tail_tau2_kev: float = 60.0  # ASSUMPTION: long left tail (scattering, dead layer)
    tail_eta: float = 0.85  # ASSUMPTION: weight of the short tail
    # --- Po-209 calibration source, one in front of each unit ([Brief]) ---
    source_activity_bq: float = 10.0  # ASSUMPTION
    source_efficiency: float = 2.0e-3  # ASSUMPTION: fraction of source alphas hitting front
    source_half_angle_deg: float = 20.0  # ASSUMPTION: source alphas within 20 deg of normal
    # --- background after front/back anticoincidence ([Lawson2005] shape; rates ASSUMED) ---
    # rate density b(E) = b_soft exp(-E/e_soft) + b_flat per keV per s per cm^2 of front
    # detector, before the veto; the veto removes veto_efficiency of the penetrating part.
    background_soft_per_kev_s_cm2: float = 2.0e-5  # ASSUMPTION: stopping protons/ions
    background_soft_scale_kev: float = 1500.0  # ASSUMPTION: e-folding energy
    background_flat_per_kev_s_cm2: float = 2.0e-6  # ASSUMPTION: penetrating (GCR, SEP)
    veto_efficiency: float = 0.95  # ASSUMPTION: front/back coincidence rejection

    @property
    def detector_area_m2(self) -> float:
        """Area of one detector, total area / number of detectors, in m^2."""
        return self.total_area_cm2 * 1e-4 / self.n_detectors

    @property
    def sigma_kev(self) -> float:
        """Gaussian standard deviation FWHM / (2 sqrt(2 ln 2)) in keV."""
        return self.resolution_fwhm_kev / (2.0 * np.sqrt(2.0 * np.log(2.0)))

    @property
    def channel_edges_kev(self) -> np.ndarray:
        """Nominal channel edges in keV (n_channels + 1)."""
        return np.linspace(self.energy_min_kev, self.energy_max_kev, self.n_channels + 1)

    @property
    def cos_min(self) -> float:
        """Cosine of the collimator half-angle."""
        return float(np.cos(np.radians(self.collimator_half_angle_deg)))

    def gain(self, temperature_c: float) -> float:
        """Relative gain 1 + k (T - T_ref) at ``temperature_c`` (linear drift, ASSUMPTION)."""
        return 1.0 + self.gain_temp_coeff_per_c * (temperature_c - self.reference_temperature_c)


DORN = DornInstrument()
