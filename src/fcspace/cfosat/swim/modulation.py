"""SWIM forward model (wave spectrum -> modulation periodograms) and its inversion.

Forward model (Jackson et al. 1985, JGR 90(C5), 8973-8993; Jackson et al. 1992, JGR 97(C7);
Hauser et al. 2017, IEEE TGRS 55(5), the SWIM form): along a look azimuth ``phi`` the
relative fluctuation of the backscatter, averaged across the azimuthal footprint of width
``L_y``, has the one-dimensional (range) spectrum

    P_m(k, phi) = (sqrt(2 pi) / L_y) (cot(theta) - d ln(sigma0)/d theta)^2 k^2 F_c,s(k, phi)

with ``F_c`` the wave-vector (Cartesian) elevation density (m^4, ``int F_c k dk dphi =
Hs^2/16``), so that ``k^2 F_c = k F`` for the polar ``F(k, phi)`` of :mod:`.truth` and ``k^2
F_c`` is exactly the L2P "slope spectrum" ``pp``. A radar measures only the modulus of the
range Fourier transform of a real signal, so it sees the folded spectrum
``F_c,s(k, phi) = [F_c(k, phi) + F_c(k, phi + pi)] / 2``: the factor 1/2 keeps the energy,
and the 180 deg ambiguity is built in (``P_m(phi) = P_m(phi + pi)``). Some papers write an
extra constant (e.g. pi/2) depending on how the 1-D spectrum is normalised; it cancels in the
processing because the inverted spectrum is rescaled to the nadir significant wave height,
which is why we do not depend on it.

``d ln sigma0 / d theta`` comes from the Gaussian quasi-specular (geometric optics) model
``sigma0 = |R|^2 exp(-tan^2 theta / mss) / (mss cos^4 theta)`` (Barrick 1968; Valenzuela
1978), ``d ln sigma0/d theta = 4 tan(theta) - 2 tan(theta) / (mss cos^2 theta)``, with the
Ku-band mean-square slope of Cox & Munk (1954, clean sea), ``mss = 0.003 + 5.12e-3 U10``.

Speckle: every look gives a periodogram whose value at each Fourier wavenumber is the true
spectrum plus the white speckle density, times an exponential variate (chi-square with 2
degrees of freedom); averaging ``n_looks`` looks and the Fourier bins that fall in a product
k bin gives a Gamma(nu, 1/nu) factor with ``nu = n_looks * n_fourier_bins`` (Hauser et al.
2017, sec. on speckle noise; Jackson et al. 1985).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.core.errors import InputError
from fcspace.core.orbit import ground_speed_m_s

#: Speckle density per spectral beam (an assumption, see ``SwimInstrument``).
SPECKLE_DENSITY = CFOSAT_SWIM.speckle_density


@dataclass(frozen=True)
class BeamLook:
    """Observation geometry of one spectral beam over one L2 box.

    Attributes
    ----------
    incidence_deg : float
        Beam incidence (6, 8 or 10 deg for CFOSat SWIM).
    footprint_azimuth_m : float
        Azimuthal footprint size ``L_y`` (the 18 km footprint of ``CFOSAT_SWIM``).
    range_extent_m : float
        Length of the range profile whose periodogram is taken (taken equal to the footprint).
    n_looks : float
        Independent periodograms per azimuth bin in the box (see :func:`looks_per_bin`).
    speckle_density : float
        White speckle density added to ``P_m`` before the chi-square fluctuation.
    """

    incidence_deg: float
    footprint_azimuth_m: float
    range_extent_m: float
    n_looks: float
    speckle_density: float


def orbital_ground_speed(altitude_m: float = CFOSAT_SWIM.altitude_m) -> float:
    """Sub-satellite ground speed (m/s) of a circular orbit: ``sqrt(GM/a) R/a``, ``a = R + h``."""
    return ground_speed_m_s(altitude_m, CFOSAT_SWIM.earth_radius_m, CFOSAT_SWIM.earth_gm_m3_s2)


def looks_per_bin(incidence_deg: float) -> float:
    """Independent looks per 15 deg azimuth bin and per box, from the rotation geometry.

    Rotations per box: box along-track length / (ground speed x rotation period); within one
    rotation the beam sweeps an arc ``r dphi`` at ground range ``r``, which holds ``r dphi /
    L_y`` independent footprints (at least 1). 5.6 rpm, 519 km, 90 km box: ~1.2 rotations.
    """
    rotations = CFOSAT_SWIM.box_size_m[1] / (orbital_ground_speed() * CFOSAT_SWIM.rotation_period_s)
    arc = float(CFOSAT_SWIM.ground_range_m(incidence_deg)) * 2.0 * np.pi / CFOSAT_SWIM.n_phi
    return float(rotations * max(1.0, arc / CFOSAT_SWIM.footprint_m))


def beam_look(incidence_deg: float) -> BeamLook:
    """Default :class:`BeamLook` of a CFOSat SWIM spectral beam (6, 8 or 10 deg)."""
    if incidence_deg not in SPECKLE_DENSITY:
        raise InputError(
            f"spectral beam must be one of {sorted(SPECKLE_DENSITY)} deg, got {incidence_deg}"
        )
    return BeamLook(
        incidence_deg,
        CFOSAT_SWIM.footprint_m,
        CFOSAT_SWIM.footprint_m,
        looks_per_bin(incidence_deg),
        SPECKLE_DENSITY[incidence_deg],
    )


def mss_cox_munk(u10: ArrayLike) -> NDArray:
    """Clean-surface mean-square slope ``0.003 + 5.12e-3 U10`` (Cox & Munk 1954, JOSA 44)."""
    return 0.003 + 5.12e-3 * np.asarray(u10, dtype=float)


def tilt_factor(incidence_deg: ArrayLike, mss: ArrayLike) -> NDArray:
    """``cot(theta) - d ln sigma0 / d theta`` for the Gaussian quasi-specular sigma0 model.

    ``d ln sigma0 / d theta = 4 tan(theta) - 2 tan(theta) / (mss cos^2 theta)`` (derivative
    of ``exp(-tan^2 theta / mss) / cos^4 theta``; Valenzuela 1978; Jackson et al. 1992).
    """
    th = np.deg2rad(np.asarray(incidence_deg, dtype=float))
    dlns = 4.0 * np.tan(th) - 2.0 * np.tan(th) / (np.asarray(mss) * np.cos(th) ** 2)
    return 1.0 / np.tan(th) - dlns


def transfer(look: BeamLook, mss: ArrayLike) -> NDArray:
    """Modulation transfer ``(sqrt(2 pi)/L_y) (cot theta - d ln sigma0/d theta)^2`` (m)."""
    return (
        np.sqrt(2.0 * np.pi) / look.footprint_azimuth_m * tilt_factor(look.incidence_deg, mss) ** 2
    )


def fold(spec: ArrayLike) -> NDArray:
    """Symmetrise over the last (uniform, even, periodic) direction axis: (S(phi)+S(phi+pi))/2."""
    spec = np.asarray(spec, dtype=float)
    half = spec.shape[-1] // 2
    return 0.5 * (spec + np.roll(spec, half, axis=-1))


def modulation_spectrum(F: ArrayLike, k: ArrayLike, look: BeamLook, mss: ArrayLike) -> NDArray:
    """Noise-free ``P_m(k, phi)`` (..., nk, n_phi) from the polar elevation spectrum ``F``.

    ``P_m = transfer * k^2 F_c,s = transfer * k * fold(F)`` (module docstring; Jackson et al.
    1985 eq. for the near-nadir modulation; Hauser et al. 2017). ``mss`` broadcasts against
    the leading (box) dimensions.
    """
    k = np.asarray(k, dtype=float)
    c = np.asarray(transfer(look, mss))[..., None, None]
    return c * k[:, None] * fold(F)


def fourier_bins_per_k_bin(k: ArrayLike, range_extent_m: float) -> NDArray:
    """Fourier wavenumbers of a profile of length ``L`` in each product bin: ``dk L / (2 pi)``."""
    return np.maximum(np.gradient(np.asarray(k, dtype=float)) * range_extent_m / (2.0 * np.pi), 1.0)


def simulate_periodograms(
    F: ArrayLike,
    k: ArrayLike,
    look: BeamLook,
    mss: ArrayLike,
    rng: np.random.Generator | int | None,
) -> NDArray:
    """Speckled modulation periodograms averaged per box and azimuth bin (..., nk, n_phi).

    Each look direction ``phi`` (the antenna sweeps all 24 bins as it rotates) gets its own
    realisation: ``(P_m + N_sp) * Gamma(nu, 1/nu)`` with ``nu = n_looks x`` Fourier bins per
    k bin (module docstring). A seed or a Generator makes runs reproducible.
    """
    rng = np.random.default_rng(rng)
    pm = modulation_spectrum(F, k, look, mss) + look.speckle_density
    nu = look.n_looks * fourier_bins_per_k_bin(k, look.range_extent_m)[:, None]
    nu = np.broadcast_to(nu, pm.shape)
    return pm * rng.gamma(nu, 1.0 / nu)


def invert_periodograms(
    periodogram: ArrayLike,
    look: BeamLook,
    mss: ArrayLike,
) -> NDArray:
    """Slope spectrum ``pp = k^2 F_c`` (..., nk, n_phi) from speckled periodograms.

    Subtract the speckle density, clip at zero, fold the two looks ``phi`` and ``phi + pi``
    (both see the same 1-D spectrum), divide by the transfer function. The absolute level is
    fixed afterwards by :func:`normalise_to_nadir`.
    """
    p = np.asarray(periodogram, dtype=float)
    c = np.asarray(transfer(look, mss))[..., None, None]
    return fold(np.maximum(p - look.speckle_density, 0.0)) / c


def normalise_to_nadir(pp: ArrayLike, k: ArrayLike, hs_nadir: ArrayLike) -> NDArray:
    """Scale slope spectra so that ``4 sqrt(sum(pp / k dk dphi)) = hs_nadir`` per box.

    The SWIM processing calibrates the energy of the off-nadir spectra with the nadir
    significant wave height (Hauser et al. 2017; 2021). ``dk = np.gradient(k)``, uniform
    ``dphi``. Boxes with zero energy stay zero.
    """
    pp = np.asarray(pp, dtype=float)
    k = np.asarray(k, dtype=float)
    m0 = np.sum(pp / k[:, None] * np.gradient(k)[:, None], axis=(-2, -1)) * 2 * np.pi / pp.shape[-1]
    target = (np.asarray(hs_nadir, dtype=float) / 4.0) ** 2
    scale = np.divide(target, m0, out=np.zeros(np.broadcast(target, m0).shape), where=m0 > 0)
    return pp * scale[..., None, None]


def combine_beams(spectra: list[NDArray], weights: list[float] | None = None) -> NDArray:
    """Weighted mean of normalised slope spectra of several beams (the combined 8/10 deg)."""
    w = np.ones(len(spectra)) if weights is None else np.asarray(weights, dtype=float)
    return sum(wi * s for wi, s in zip(w, spectra, strict=True)) / w.sum()


def simulate_and_invert(
    F: ArrayLike,
    k: ArrayLike,
    hs_nadir: ArrayLike,
    mss: ArrayLike,
    rng: np.random.Generator | int | None,
    beams: tuple[float, ...] = (8.0, 10.0),
) -> dict[float | str, NDArray]:
    """Closed loop over boxes: per beam periodograms -> normalised slope spectra -> combined.

    ``F`` (n_box, nk, n_phi) truth, ``hs_nadir`` and ``mss`` per box. Returns the slope
    spectrum of each beam (key: incidence) and ``"combined"`` (mean over ``beams`` weighted by
    their number of looks).
    """
    rng = np.random.default_rng(rng)
    out: dict[float | str, NDArray] = {}
    for inc in beams:
        look = beam_look(inc)
        per = simulate_periodograms(F, k, look, mss, rng)
        out[inc] = normalise_to_nadir(invert_periodograms(per, look, mss), k, hs_nadir)
    out["combined"] = combine_beams([out[b] for b in beams], [beam_look(b).n_looks for b in beams])
    return out
