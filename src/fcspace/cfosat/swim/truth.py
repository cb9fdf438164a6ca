"""Truth ocean-wave spectra on the SWIM product grid (wind seas, swells, bimodal seas).

Conventions
-----------
``F(k, phi)`` is the wavenumber-direction elevation variance density in polar coordinates,
units m^2 / (rad m^-1) / rad, such that ``Hs = 4 sqrt(int int F dk dphi)``; ``phi`` (rad) is
the direction the waves travel *towards*, clockwise from north. The SWIM "slope spectrum"
of the products (``pp_mean``, m^2/rad) is ``k^2 F_c`` with ``F_c = F / k`` the Cartesian
(wave-vector) density, i.e. ``pp = k F`` (see :mod:`fcspace.cfosat.swim.spectra`).
Deep-water dispersion ``omega^2 = g k`` throughout.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gamma as gamma_fn

from fcspace.cfosat.swim.instrument import CFOSAT_SWIM

G = 9.80665  # m s-2, standard gravity (CGPM 1901)
PRODUCT_K = CFOSAT_SWIM.k_spectra  # rad/m, the L2P k_spectra grid
PRODUCT_PHI_DEG = CFOSAT_SWIM.phi_deg  # deg, the L2P phi_vector (bin centres)


def frequency_from_k(k: ArrayLike) -> NDArray:
    """Frequency (Hz) of deep-water waves of wavenumber ``k`` (rad/m): ``2 pi f = sqrt(g k)``."""
    return np.sqrt(G * np.asarray(k, dtype=float)) / (2.0 * np.pi)


def jonswap_frequency(
    f: ArrayLike,
    hs: float,
    fp: float,
    gamma: float = 3.3,
    sigma_a: float = 0.07,
    sigma_b: float = 0.09,
) -> NDArray:
    """JONSWAP frequency spectrum ``E(f)`` (m^2/Hz) scaled to the significant wave height ``hs``.

    ``E(f) = a f^-5 exp(-5/4 (fp/f)^4) gamma^exp(-(f-fp)^2 / (2 sigma^2 fp^2))`` (Hasselmann et
    al. 1973, Dtsch. Hydrogr. Z. A8(12)); ``gamma = 1`` gives the Pierson & Moskowitz (1964,
    JGR 69(24)) shape. The level ``a`` is set numerically so that ``4 sqrt(int E df) = hs``
    (integral on a fine grid, not on ``f``), which keeps the shape exact on coarse grids.
    """
    fine = np.geomspace(fp / 20.0, fp * 40.0, 8000)

    def shape(x: NDArray) -> NDArray:
        x = np.maximum(x, 1e-9)
        sigma = np.where(x <= fp, sigma_a, sigma_b)
        peak = gamma ** np.exp(-((x - fp) ** 2) / (2.0 * sigma**2 * fp**2))
        return x**-5.0 * np.exp(-1.25 * (fp / x) ** 4) * peak

    m0 = np.trapezoid(shape(fine), fine)
    return (hs / 4.0) ** 2 / m0 * shape(np.asarray(f, dtype=float))


def pierson_moskowitz_frequency(f: ArrayLike, hs: float, fp: float) -> NDArray:
    """Pierson & Moskowitz (1964) fully developed sea: JONSWAP with ``gamma = 1``."""
    return jonswap_frequency(f, hs, fp, gamma=1.0)


def cos2s_spreading(phi: ArrayLike, phi0: float, s: float) -> NDArray:
    """Directional spreading ``D = A cos^2s((phi - phi0)/2)``, ``int D dphi = 1`` (rad^-1).

    Longuet-Higgins, Cartwright & Smith (1963); Mitsuyasu et al. (1975, JPO 5(4)).
    ``A = Gamma(s+1) / (2 sqrt(pi) Gamma(s+1/2))``; angles in radians.
    """
    norm = gamma_fn(s + 1.0) / (2.0 * np.sqrt(np.pi) * gamma_fn(s + 0.5))
    return norm * np.abs(np.cos(0.5 * (np.asarray(phi, dtype=float) - phi0))) ** (2.0 * s)


def _normalise_discrete(F: NDArray, k: NDArray, phi: NDArray, hs: float) -> NDArray:
    """Rescale ``F`` so that the discrete sum (``np.gradient`` weights) gives ``hs`` exactly."""
    m0 = float(np.sum(F * np.gradient(k)[:, None]) * _dphi(phi))
    return F * ((hs / 4.0) ** 2 / m0) if m0 > 0 else F


def _dphi(phi: NDArray) -> float:
    return float(2.0 * np.pi / phi.size)


def wave_system_kphi(
    hs: float,
    peak_wavelength: float,
    direction_deg: float,
    *,
    gamma: float = 3.3,
    s: float = 10.0,
    k: ArrayLike | None = None,
    phi_deg: ArrayLike | None = None,
) -> NDArray:
    """Elevation spectrum ``F(k, phi)`` (nk, n_phi) of one wave system on the product grid.

    The frequency spectrum (JONSWAP, Hasselmann et al. 1973; ``gamma = 1``: Pierson-Moskowitz
    1964) is mapped to wavenumber with deep-water dispersion, ``F(k) = E(f) df/dk`` with
    ``df/dk = g / (8 pi^2 f)``, and spread with ``cos^2s`` (Mitsuyasu et al. 1975). Swells are
    narrow: high ``gamma`` (e.g. 7-10) and high ``s`` (e.g. 20-40). The result is normalised
    so that ``4 sqrt(sum F dk dphi) = hs`` on the grid (``dk = np.gradient(k)``), the
    integration rule of the SWIM L2P processing. ``direction_deg`` is where the waves travel
    towards, clockwise from north.
    """
    k = PRODUCT_K if k is None else np.asarray(k, dtype=float)
    phi = np.deg2rad(PRODUCT_PHI_DEG if phi_deg is None else np.asarray(phi_deg, dtype=float))
    f = frequency_from_k(k)
    fp = float(frequency_from_k(2.0 * np.pi / peak_wavelength))
    Fk = jonswap_frequency(f, hs, fp, gamma) * G / (8.0 * np.pi**2 * f)
    F = Fk[:, None] * cos2s_spreading(phi, np.deg2rad(direction_deg), s)[None, :]
    return _normalise_discrete(F, k, phi, hs)


def bimodal_kphi(
    systems: list[dict[str, float]],
    k: ArrayLike | None = None,
    phi_deg: ArrayLike | None = None,
) -> NDArray:
    """Sum of wave systems, each a dict of :func:`wave_system_kphi` keyword arguments."""
    return sum(wave_system_kphi(**sys_, k=k, phi_deg=phi_deg) for sys_ in systems)


def slope_spectrum(F: ArrayLike, k: ArrayLike) -> NDArray:
    """Product slope spectrum ``pp = k^2 F_c = k F`` (m^2/rad) from the polar ``F(k, phi)``.

    ``k`` is along the first axis of ``F``. ``Hs = 4 sqrt(sum(pp / k dk dphi))`` as in the
    SWIM L2P processing.
    """
    return np.asarray(F, dtype=float) * np.asarray(k, dtype=float)[:, None]


def significant_wave_height(F: ArrayLike, k: ArrayLike, phi_deg: ArrayLike) -> float:
    """``Hs = 4 sqrt(sum F dk dphi)`` with ``dk = np.gradient(k)`` and uniform ``dphi``."""
    F = np.asarray(F, dtype=float)
    m0 = np.sum(F * np.gradient(np.asarray(k, dtype=float))[:, None]) * _dphi(np.asarray(phi_deg))
    return float(4.0 * np.sqrt(m0))
