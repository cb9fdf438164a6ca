"""ECLAIRs burst and background models: Norris light curves, Band spectra, CXB, pixel map.

Source model
------------
Light curve: a sum of Norris pulses ([Norris1996] Eq. 1),
``I(t) = A exp(-(|t - t_peak| / sigma)^nu)``, ``sigma = rise`` before the peak and ``decay``
after (a FRED for rise < decay). It is normalised so that its maximum is 1, and the photon
flux in 15-150 keV at time t is ``peak_flux * I(t)`` (ph cm-2 s-1): the burst is normalised
by its peak photon flux in 15-150 keV, the Swift/BAT convention. The spectrum is a Band
function ([Band1993] Eq. 1) with parameters ``alpha, beta, epeak_kev`` and no spectral
evolution.

Background model
----------------
- Cosmic X-ray background through the open field: an isotropic intensity with the spectrum
  of [Moretti2009] (``dN/dE = C / ((E/Eb)^G1 + (E/Eb)^G2)``, C = 0.109 ph cm-2 s-1 sr-1
  keV-1, G1 = 1.40, G2 = 2.88, Eb = 29 keV) ray-traced like the source with directions
  drawn from the cosine-weighted upper hemisphere. Each pixel sees the sky through the mask
  aperture only, so the pattern is brightest at the centre of the detector. With the default
  mask the CXB gives 3080 counts/s in 4-150 keV (computed by this model, ``CXB_RATE``;
  80 % of it below 20 keV).
- Instrumental background: flat across the detector and flat in measured energy over the
  band, ``instrumental_rate`` counts/s (default 1900; an assumption, which makes the total
  ~5000 counts/s, the order of magnitude of the ECLAIRs background of [Mate2021], where the
  CXB dominates below ~50 keV).
- Noisy pixels add ``noisy_rate`` counts/s each, uniform in 4-8 keV (the low-energy noise
  described by [Xie2024]); events on dead pixels are dropped.

Sources
-------
- [Band1993] Band, D., et al. (1993). BATSE observations of gamma-ray burst spectra. I.
  ApJ 413, 281.
- [Norris1996] Norris, J. P., et al. (1996). Attributes of pulses in long bright gamma-ray
  bursts. ApJ 459, 393.
- [Moretti2009] Moretti, A., et al. (2009). Spectrum of the cosmic X-ray background
  measured by Swift XRT and BAT. A&A 493, 501.
- [Mate2021] Mate, S., Bouchet, L., Atteia, J.-L., et al. (2021). Simulations of the
  SVOM/ECLAIRs dynamic background. Experimental Astronomy 52, 1.
- [Xie2024] Xie, W., et al. (2024). Study of SVOM/ECLAIRs inhomogeneities in the detection
  plane below 8 keV. A&A 683, A60.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument

__all__ = [
    "CXB_RATE",
    "Background",
    "Grb",
    "Pulse",
    "band_spectrum",
    "cxb_intensity",
    "light_curve",
    "make_pixel_status",
]

SOURCE, CXB, INSTRUMENTAL, NOISY = 0, 1, 2, 3  # truth_component codes
GOOD, DEAD, NOISY_PIXEL = 0, 1, 2  # pixel_status codes
CXB_RATE = 3080.0  # counts/s of the default CXB through the default mask (this model)


@dataclass(frozen=True)
class Pulse:
    """One Norris pulse ([Norris1996]): peak time (s after ``Grb.t0``), rise and decay (s)."""

    t_peak: float = 2.0
    rise: float = 0.5
    decay: float = 3.0
    amplitude: float = 1.0
    peakedness: float = 1.5  # nu of [Norris1996]; 1 = exponential, 2 = Gaussian


@dataclass(frozen=True)
class Grb:
    """A GRB: direction in the instrument frame, light curve and Band spectrum.

    ``peak_flux`` is the peak photon flux in 15-150 keV (ph cm-2 s-1) of the summed light
    curve; ``t0`` the time (s after the start of the simulation) that pulse times refer to.
    """

    theta_deg: float = 0.0
    phi_deg: float = 0.0
    peak_flux: float = 5.0
    alpha: float = -1.0
    beta: float = -2.3
    epeak_kev: float = 100.0
    t0: float = 10.0
    pulses: tuple[Pulse, ...] = (Pulse(),)


@dataclass(frozen=True)
class Background:
    """Background components (see the module docstring for the models and figures)."""

    cxb_scale: float = 1.0  # multiplies the [Moretti2009] intensity; 0 disables the CXB
    instrumental_rate: float = 1900.0  # counts/s over the detector, assumption
    noisy_rate: float = 20.0  # counts/s per noisy pixel, assumption
    dead_fraction: float = 0.002  # fraction of dead pixels, assumption
    noisy_fraction: float = 0.001  # fraction of noisy pixels, assumption


def band_spectrum(energy_kev: ArrayLike, alpha: float, beta: float, epeak_kev: float) -> NDArray:
    """Band function ([Band1993] Eq. 1), unnormalised photon spectrum (A = 1, E_piv = 100 keV).

    ``N(E) = (E/100)^a exp(-E/E0)`` for ``E < (a - b) E0``, else
    ``((a - b) E0 / 100)^(a - b) exp(b - a) (E/100)^b``, with ``E0 = Epeak / (2 + a)``.
    """
    if not beta < alpha or alpha <= -2.0:
        raise InputError(f"Band needs beta < alpha and alpha > -2, got {alpha}, {beta}")
    e = np.asarray(energy_kev, dtype=float)
    e0 = epeak_kev / (2.0 + alpha)
    eb = (alpha - beta) * e0
    low = (e / 100.0) ** alpha * np.exp(-e / e0)
    high = (eb / 100.0) ** (alpha - beta) * np.exp(beta - alpha) * (e / 100.0) ** beta
    return np.where(e < eb, low, high)


def cxb_intensity(energy_kev: ArrayLike) -> NDArray:
    """CXB photon intensity (ph cm-2 s-1 sr-1 keV-1), smoothly broken power law [Moretti2009]."""
    x = np.asarray(energy_kev, dtype=float) / 29.0
    return 0.109 / (x**1.40 + x**2.88)


def light_curve(t: ArrayLike, pulses: tuple[Pulse, ...]) -> NDArray:
    """Sum of Norris pulses ([Norris1996] Eq. 1) at times ``t`` (s after ``Grb.t0``)."""
    t = np.asarray(t, dtype=float)
    out = np.zeros_like(t)
    for p in pulses:
        dt = t - p.t_peak
        width = np.where(dt < 0, p.rise, p.decay)
        out += p.amplitude * np.exp(-((np.abs(dt) / width) ** p.peakedness))
    return out


def make_pixel_status(
    rng: np.random.Generator | int | None,
    dead_fraction: float = 0.002,
    noisy_fraction: float = 0.001,
    instrument: EclairsInstrument = ECLAIRS,
) -> NDArray[np.int8]:
    """Seeded pixel map: 0 good, 1 dead, 2 noisy; exact counts round(fraction n^2)."""
    rng = np.random.default_rng(rng)
    n = instrument.n_pixels
    n_dead, n_noisy = round(dead_fraction * n * n), round(noisy_fraction * n * n)
    pick = rng.permutation(n * n)
    status = np.zeros(n * n, dtype=np.int8)
    status[pick[:n_dead]] = DEAD
    status[pick[n_dead : n_dead + n_noisy]] = NOISY_PIXEL
    return status.reshape(n, n)
