"""CFOSat SWIM (Surface Waves Investigation and Monitoring): constants and geometry.

SWIM is a Ku-band real-aperture radar with six beams at 0 (nadir), 2, 4, 6, 8 and 10 deg
incidence on one antenna that rotates about the vertical axis. The nadir beam works as a
conventional pulse-limited altimeter (significant wave height, sigma0, wind speed); the 6, 8
and 10 deg beams give the directional wave spectra of the L2 products. Every SWIM number of
the package lives here, each with its source or marked as an assumption.

Sources
-------
- [Hauser2017] Hauser, D., Tison, C., Amiot, T., Delaye, L., Corcoral, N., Castillan, P.
  (2017). SWIM: The first spaceborne wave scatterometer. IEEE TGRS 55(5), 3000-3014
  (instrument design: beams, frequency, bandwidth, rotation, footprint, product grid).
- [Hauser2021] Hauser, D., Tourain, C., Hermozo, L., et al. (2021). New observations from the
  SWIM radar on-board CFOSAT: instrument validation and ocean wave measurement assessment.
  IEEE TGRS 59(1), 5-26 (in-flight performance, L2 box of 70 km x 90 km).
- [Tourain2021] Tourain, C., Piras, F., Ollivier, A., et al. (2021). Benefits of the adaptive
  algorithm for retracking altimeter nadir echoes: results from simulations and CFOSAT/SWIM
  observations. IEEE TGRS, doi:10.1109/TGRS.2021.3064236 (nadir processing, 1 Hz averaging).
- [WMO-OSCAR] WMO OSCAR/Space and AVISO+ instrument pages for SWIM: 13.575 GHz, 320 MHz,
  beams 0-10 deg, ~18 km x 18 km footprint, 180 km swath, 5.6 rpm.
- [L2P] CNES/AVISO SWIM L2P box product (see /work/shared/data/cfosat/ORIGIN.md): k_spectra
  32 values 0.01257..0.2789 rad/m (log step 0.1), phi_vector 24 values 7.5..352.5 deg (15 deg step),
  n_posneg = 2 boxes (one each side of the track).
- The orbit and the Earth are the platform's (:mod:`fcspace.cfosat.platform`, with their
  sources); c from SI (exact).

Assumptions (numbers we could not read in a source; change them here, nowhere else):
the number of range gates of the nadir waveform, the nadir pulse repetition and the number of
incoherently averaged pulses (looks) per native waveform, and the native nadir rate. They are
chosen so that the simulated waveform statistics match a conventional Ku altimeter sampled at
c/2B, see the field comments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fcspace.cfosat.platform import CFOSAT, CfosatPlatform, OnPlatform

__all__ = ["CFOSAT_SWIM", "SPEED_OF_LIGHT_M_S", "SwimInstrument"]

SPEED_OF_LIGHT_M_S = 299_792_458.0  # SI, exact


@dataclass(frozen=True)
class SwimInstrument(OnPlatform):
    """Constants of a rotating multi-beam near-nadir radar; defaults are CFOSat SWIM.

    Angles are in degrees here (the edges of the package); kernels convert to radians.
    """

    # --- orbit and Earth: the platform's, shared with SCAT (fcspace.cfosat.platform) ---
    platform: CfosatPlatform = CFOSAT
    # --- radar ([Hauser2017] Table I; [WMO-OSCAR]) ---
    frequency_hz: float = 13.575e9  # Ku band, [Hauser2017]
    bandwidth_hz: float = 320.0e6  # chirp bandwidth, [Hauser2017]
    rotation_rpm: float = 5.6  # antenna spin rate, [Hauser2017]; L2P attribute ars = 5.6
    beam_incidence_deg: tuple[float, ...] = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)  # [Hauser2017]
    spectral_beams_deg: tuple[float, ...] = (6.0, 8.0, 10.0)  # beams used for spectra, [Hauser2021]
    # One-way 3-dB antenna beam width. The ~18 km footprint diameter quoted for the beams
    # ([WMO-OSCAR], [Hauser2017]) at the platform altitude h gives 2 atan(9 km / h) = 1.99 deg;
    # we take 2.0 deg for the nadir beam (derived, not a catalogue value).
    beamwidth_3db_deg: float = 2.0
    footprint_m: float = 18.0e3  # 3-dB footprint diameter at nadir, [WMO-OSCAR]
    # --- nadir waveform (assumptions, see module docstring) ---
    # Gate spacing = range resolution c / (2 B) (no oversampling assumed).
    n_gates: int = 128  # ASSUMPTION: range gates of the nadir waveform (as 128-gate altimeters)
    nominal_tracking_gate: float = 40.0  # ASSUMPTION: gate of the tracker's reference epoch
    # Native nadir rate and looks: the nadir beam takes part of the time of the six-beam
    # cycle; the L2 product gives nadir estimates at a native rate, 1 Hz and box rates
    # ([Tourain2021], [L2P]). ASSUMPTION: 4.5 waveforms/s, each the incoherent average of
    # 256 pulses (independent looks), i.e. ~1150 looks per second, of the order of a 20 Hz x
    # 90-look Jason-class altimeter over the same second within a factor 2.
    nadir_native_rate_hz: float = 4.5  # ASSUMPTION
    n_looks: int = 256  # ASSUMPTION: pulses incoherently averaged per native waveform
    pulse_sigma_factor: float = 0.513  # sigma_p = 0.513 x gate (Gaussian fit of the sinc^2
    #   point-target response, 1-sigma width of the compressed pulse; MacArthur 1978,
    #   Chelton et al. 1989, Amarouche et al. 2004)
    # --- off-nadir footprint and L2 grid ([Hauser2017], [Hauser2021], [L2P]) ---
    box_size_m: tuple[float, float] = (70.0e3, 90.0e3)  # L2 box, across x along track, [Hauser2021]
    swath_width_m: float = 180.0e3  # ~90 km each side, [WMO-OSCAR]
    nk: int = 32  # wavenumbers of the L2P spectra, [L2P]
    # k_n = k_min exp(dlnk n): measured on the L2P file, k_spectra[0] = 0.012566 = 2 pi / 500 m
    # and diff(log k) = 0.1000 +- 3e-5, so k_max = 0.27895 rad/m (22.5 m wavelength).
    k_min_rad_m: float = 2.0 * np.pi / 500.0  # [L2P] k_spectra[0]
    dlnk: float = 0.1  # [L2P] log step of k_spectra
    n_phi: int = 24  # azimuth bins of 15 deg (7.5..352.5), [L2P]
    # Beams averaged into the combined spectrum: Hauser et al. 2021 find 8 and 10 deg best.
    combined_beams_deg: tuple[float, ...] = (8.0, 10.0)
    # ASSUMPTION (no source at hand): white speckle density of the periodograms, in units of
    # the modulation spectrum (m), per beam (deg, density); a 2 m swell then has a peak SNR
    # of ~10-30.
    speckle_density_pairs: tuple[tuple[float, float], ...] = ((6.0, 3.0e-3), (8.0, 2.0e-3),
                                                              (10.0, 1.5e-3))  # fmt: skip
    # ASSUMPTION: nadir signal-to-noise ratio (linear, amplitude over thermal noise), 20 dB.
    nadir_snr: float = 100.0
    # ASSUMPTION: std (gates) of the tracker's epoch error, a slow random walk along track.
    tracker_jitter_gates: float = 0.3

    @property
    def speckle_density(self) -> dict[float, float]:
        """Speckle density of the periodograms per spectral beam incidence (deg)."""
        return dict(self.speckle_density_pairs)

    @property
    def gate_spacing_m(self) -> float:
        """Range resolution (gate spacing) c / (2 B) in m: 0.468 m for 320 MHz."""
        return SPEED_OF_LIGHT_M_S / (2.0 * self.bandwidth_hz)

    @property
    def gate_spacing_s(self) -> float:
        """Two-way time per gate 1 / B in s (3.125 ns for 320 MHz)."""
        return 1.0 / self.bandwidth_hz

    @property
    def pulse_sigma_m(self) -> float:
        """Equivalent Gaussian 1-sigma width of the point-target response, in m (range)."""
        return self.pulse_sigma_factor * self.gate_spacing_m

    @property
    def wavelength_m(self) -> float:
        """Radar wavelength c / f in m."""
        return SPEED_OF_LIGHT_M_S / self.frequency_hz

    @property
    def rotation_period_s(self) -> float:
        """Antenna rotation period 60 / rpm in s (10.7 s at 5.6 rpm)."""
        return 60.0 / self.rotation_rpm

    @property
    def gamma(self) -> float:
        """Antenna beam-width parameter gamma = (2 / ln 2) sin^2(theta_3dB / 2) (Brown 1977)."""
        half = np.radians(self.beamwidth_3db_deg) / 2.0
        return float(2.0 / np.log(2.0) * np.sin(half) ** 2)

    @property
    def waveforms_per_1hz(self) -> int:
        """Native waveforms averaged into one 1 Hz estimate (round(native rate))."""
        return max(1, int(round(self.nadir_native_rate_hz)))

    @property
    def k_spectra(self) -> np.ndarray:
        """The nk log-spaced wavenumbers of the L2P spectra, k_min exp(0.1 n), rad/m, [L2P]."""
        return self.k_min_rad_m * np.exp(self.dlnk * np.arange(self.nk))

    @property
    def k_max_rad_m(self) -> float:
        """Largest wavenumber of the L2P spectra (0.2789 rad/m), [L2P]."""
        return float(self.k_spectra[-1])

    @property
    def phi_deg(self) -> np.ndarray:
        """Centres of the n_phi azimuth bins in degrees (7.5, 22.5, ..., 352.5), [L2P]."""
        step = 360.0 / self.n_phi
        return step / 2.0 + step * np.arange(self.n_phi)

    def ground_range_m(self, incidence_deg: np.ndarray | float) -> np.ndarray:
        """Great-circle distance from nadir to the point seen at an incidence angle.

        Spherical Earth sine law, `fcspace.cfosat.platform.CfosatPlatform.ground_range_m`.
        """
        return self.platform.ground_range_m(incidence_deg)


CFOSAT_SWIM = SwimInstrument()
