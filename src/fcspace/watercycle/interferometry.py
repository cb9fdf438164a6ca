"""Visibilities of an aperture-synthesis radiometer: the Corbella et al. (2004) equation.

V(u, v) = 1 / Omega  iint (T_B - T_r) |F_n|^2 / sqrt(1 - xi^2 - eta^2)
          r~(-(u xi + v eta) / f0) exp(-j 2 pi (u xi + v eta)) dxi deta,

discretised on the hexagonal (xi, eta) grid of :func:`fcspace.watercycle.geometry.hex_grid`
(pixel area Delta s), with identical elements (F1 F2* = |F_n|^2, normalised power pattern,
Omega its solid angle so that V(0) is the antenna temperature minus T_r) and the fringe-washing
function of a rectangular band B, r~(t) = sinc(B t) (sinc(x) = sin(pi x) / (pi x)).

Sources
-------
- [Corbella2004] Corbella, I., Duffo, N., Vall-llossera, M., Camps, A., Torres, F. (2004).
  The visibility function in interferometric aperture synthesis radiometry. IEEE TGRS 42(8),
  1677-1682, eq. (10) (the -T_r term, obliquity factor 1 / sqrt(1 - xi^2 - eta^2), fringe
  washing r~).
- [TMS2017] Thompson, Moran & Swenson (2017), sect. 6.2: each of the real and imaginary
  parts of a visibility has the noise std T_sys / sqrt(2 B tau) (weak correlation).
- [Barnett2019] Barnett, A. H., Magland, J., af Klinteberg, L. (2019). A parallel nonuniform
  fast Fourier transform library based on an "exponential of semicircle" kernel. SIAM J.
  Sci. Comput. 41(5), C479-C504 (finufft, type 3 used for the forward model).
"""

from __future__ import annotations

from functools import lru_cache

import finufft
import numpy as np

from fcspace.core.errors import InputError
from fcspace.watercycle.geometry import HexGrid, hex_grid
from fcspace.watercycle.instrument import InterferometricArray

__all__ = [
    "antenna_weight",
    "fringe_washing",
    "g_matrix",
    "hermitian_partner",
    "visibilities",
]

_N_BAND_NODES = 12  # Gauss-Legendre nodes over the band: the sinc to < 1e-9 for |B u xi / f0| < 2


def antenna_weight(xi: np.ndarray, eta: np.ndarray, array: InterferometricArray) -> np.ndarray:
    """|F_n|^2 / (Omega sqrt(1 - xi^2 - eta^2)) for the cos^n power pattern (1/sr).

    With |F_n|^2 = cos(theta)^n = zeta^n, zeta = sqrt(1 - xi^2 - eta^2): zeta^(n - 1) / Omega
    ([Corbella2004] eq. 10, identical elements).
    """
    zeta = np.sqrt(np.clip(1.0 - np.square(xi) - np.square(eta), 0.0, None))
    return zeta ** (array.pattern_exponent - 1.0) / array.antenna_solid_angle_sr


def fringe_washing(phase_delay: np.ndarray, array: InterferometricArray) -> np.ndarray:
    """Fringe-washing function r~(t) = sinc(B t) of a rectangular band ([Corbella2004]).

    Parameters
    ----------
    phase_delay
        u xi + v eta (wavelengths); t = -(u xi + v eta) / f0 (s).
    array
        Gives B and f0.

    Returns
    -------
    numpy.ndarray
        The real, even r~ (sinc of the normalised delay).
    """
    return np.sinc(array.bandwidth_hz * np.asarray(phase_delay) / array.frequency_hz)


@lru_cache(maxsize=8)
def hermitian_partner(array: InterferometricArray) -> np.ndarray:
    """Index of the baseline -k for each baseline k of ``array.baseline_indices`` (cached)."""
    k = array.baseline_indices
    lookup = {tuple(row): i for i, row in enumerate(k.tolist())}
    return np.array([lookup[(-a, -b)] for a, b in k.tolist()])


def _pixels(array: InterferometricArray, grid: HexGrid, shape: tuple) -> tuple:
    """(xi, eta) of the pixels a brightness array of this shape lives on."""
    if shape == (grid.size, grid.size):
        return grid.xi.ravel(), grid.eta.ravel()
    if shape == grid.disc_xi.shape:
        return grid.disc_xi, grid.disc_eta
    raise InputError(
        f"brightness of shape {shape}: expected the period grid {(grid.size, grid.size)} "
        f"or the visible disc {grid.disc_xi.shape} of hex_grid(array)", variable="tb_grid")


def g_matrix(array: InterferometricArray, grid: HexGrid | None = None,
             where: str = "period") -> np.ndarray:  # fmt: skip
    """The G matrix (visibilities x pixels) of the discretised visibility equation.

    G[k, p] = Delta s |F_n|^2 / (Omega zeta_p) r~(-(u_k . xi_p) / f0) exp(-j 2 pi u_k . xi_p)
    ([Corbella2004] eq. 10; [Anterrieu2004] for the matrix form), so that V = G (T - T_r).

    Parameters
    ----------
    array
        The interferometer.
    grid
        The hexagonal grid (default ``hex_grid(array)``).
    where
        ``"period"``: the M x M pixels folded into the hexagon (flattened, C order);
        ``"disc"``: every lattice pixel of the visible unit disc.

    Returns
    -------
    numpy.ndarray
        Complex (n_visibilities, n_pixels).
    """
    grid = grid or hex_grid(array)
    shape = (grid.size, grid.size) if where == "period" else grid.disc_xi.shape
    xi, eta = _pixels(array, grid, shape)
    uv = array.baselines_uv
    delay = uv[:, :1] * xi[None, :] + uv[:, 1:] * eta[None, :]
    amp = grid.pixel_area * antenna_weight(xi, eta, array)[None, :] * fringe_washing(delay, array)
    return amp * np.exp(-2j * np.pi * delay)


def _forward_nufft(contrast: np.ndarray, xi: np.ndarray, eta: np.ndarray,
                   array: InterferometricArray, pixel_area: float) -> np.ndarray:  # fmt: skip
    """V = G (T - T_r) by a type-3 NUFFT, the sinc as a Gauss-Legendre average over the band.

    sinc(B t) = integral over s in [-1/2, 1/2] of exp(j 2 pi B s t): the fringe-washed
    visibility is the band average of monochromatic ones at baselines u (1 + s B / f0).
    """
    nodes, weights = np.polynomial.legendre.leggauss(_N_BAND_NODES)
    scale = 1.0 + 0.5 * nodes * array.bandwidth_hz / array.frequency_hz
    uv = array.baselines_uv
    s = (uv[None, :, 0] * scale[:, None]).ravel()
    t = (uv[None, :, 1] * scale[:, None]).ravel()
    c = (pixel_area * antenna_weight(xi, eta, array) * contrast).astype(complex)
    out = finufft.nufft2d3(2 * np.pi * xi, 2 * np.pi * eta, c, s, t, eps=1e-10, isign=-1)
    return 0.5 * (weights[:, None] * out.reshape(len(nodes), -1)).sum(axis=0)


def _thermal_noise(v: np.ndarray, array: InterferometricArray,
                   rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Hermitian complex Gaussian noise, sigma = T_sys / (eta_Q sqrt(2 B tau)) per part."""
    zero = int(np.flatnonzero(np.all(array.baseline_indices == 0, axis=1))[0])
    t_a = float(v[zero].real) + array.receiver_physical_temperature_k
    sigma = array.visibility_noise_k(t_a)
    n = sigma * (rng.standard_normal(v.shape) + 1j * rng.standard_normal(v.shape))
    partner = hermitian_partner(array)
    keep = np.arange(len(v)) <= partner  # one of each (k, -k) pair
    n = np.where(keep, n, np.conj(n[partner]))
    n[zero] = np.sqrt(2.0) * sigma * rng.standard_normal()  # total power: T_sys / sqrt(B tau)
    return n


def visibilities(tb_grid: np.ndarray, array: InterferometricArray,
                 rng: np.random.Generator | int | None = None, noise: bool = True,
                 grid: HexGrid | None = None) -> np.ndarray:  # fmt: skip
    """Visibilities of a brightness-temperature scene ([Corbella2004] eq. 10), with noise.

    Parameters
    ----------
    tb_grid
        Brightness temperature (K) on the period grid ``(M, M)`` or on the visible disc
        ``(n_disc,)`` of ``hex_grid(array)`` (Earth and sky: the disc includes the aliases).
    array
        The interferometer.
    rng
        Generator or seed for the thermal noise.
    noise
        Add thermal noise ([TMS2017] sect. 6.2, T_sys = T_A + T_R; Hermitian pairs share it).
    grid
        The hexagonal grid (default ``hex_grid(array)``).

    Returns
    -------
    numpy.ndarray
        Complex visibilities (K) in the order of ``array.baseline_indices``.
    """
    grid = grid or hex_grid(array)
    tb = np.asarray(tb_grid, dtype=float)
    if not np.all(np.isfinite(tb)) or np.any(tb < 0):
        raise InputError("brightness temperature must be finite and >= 0 K", variable="tb_grid")
    xi, eta = _pixels(array, grid, tb.shape)
    contrast = tb.ravel() - array.receiver_physical_temperature_k
    v = _forward_nufft(contrast, xi, eta, array, grid.pixel_area)
    if noise:
        v = v + _thermal_noise(v, array, np.random.default_rng(rng))
    return v
