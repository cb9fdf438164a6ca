"""Image reconstruction of an aperture-synthesis radiometer on the hexagonal grid.

Two paths from visibilities to brightness temperature on the period grid of
:func:`fcspace.watercycle.geometry.hex_grid`:

- ``method="gmatrix"`` ([Anterrieu2004]): the unknowns are the Fourier components Z of
  T - T_r on the frequency coverage H; A = G U*_H (G the instrument's G matrix over the period,
  U*_H the inverse hexagonal Fourier transform from H); Z = A^+ V, the minimum-norm
  least-squares solution; T = U*_H W Z + T_r with the apodisation window W.
- ``method="fft"`` (fast path; [Camps1997]): the modified brightness g (T - T_r), g =
  |F_n|^2 / (Omega sqrt(1 - xi^2 - eta^2)), is the inverse hexagonal FFT of W V; T = that / g
  + T_r. Exact for identical elements without fringe washing. The fringe washing of a band
  B is the band average of monochromatic visibilities at baselines u (1 + s B / f0), |s| <=
  1/2: in the image, a radial smearing of relative width B / f0 (1.3 % at 19 MHz, i.e. 1.6
  HR pixels at |xi| = 0.5), which the fast path leaves in the image and the G-matrix path
  undoes. The out-of-band part of g is small (measured 0.03 K on a 280/100 K coast).

The flat-target transformation ([MartinNeira2008]) subtracts from V the instrument's own
(measured) response to a uniform scene scaled to the scene's level, reconstructs the small
difference and adds the level back: the errors of the instrument model cancel on the uniform
part of the scene.

Sources
-------
- [Anterrieu2004] Anterrieu, E. (2004). A resolving matrix approach for synthetic aperture
  imaging radiometers. IEEE TGRS 42(8), 1649-1656.
- [Camps1997] Camps, A., Bará, J., Corbella, I., Torres, F. (1997). IEEE TGRS 35(1),
  183-190 (hexagonal FFT of a Y array's visibilities).
- [Camps1998] Camps, A., Corbella, I., Bará, J., Torres, F. (1998). Radiometric sensitivity
  computation in aperture synthesis interferometric radiometry. IEEE TGRS 36(2), 680-685:
  Delta T = Delta s_uv Omega sqrt(1 - xi^2 - eta^2) / |F_n|^2 (T_A + T_R) / sqrt(B tau_eff)
  alpha_w sqrt(N_V), alpha_w the rms of the window over the N_V visibilities.
- [MartinNeira2008] Martín-Neira, M., Suess, M., Kainulainen, J., Martín-Porqueras, F.
  (2008). The flat target transformation. IEEE TGRS 46(3), 613-620.
- [Kerr2010] Kerr, Y. H., et al. (2010). The SMOS mission. Proc. IEEE 98(5), 666-687
  (extended alias-free field of view once the known sky is removed).
- [Harris1978] Harris, F. J. (1978). On the use of windows for harmonic analysis with the
  discrete Fourier transform. Proc. IEEE 66(1), 51-83 (Blackman: 0.42, 0.5, 0.08).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from fcspace.core.errors import ConfigError, InputError
from fcspace.watercycle.geometry import HexGrid, earth_disc, hex_grid
from fcspace.watercycle.instrument import InterferometricArray
from fcspace.watercycle.interferometry import _forward_nufft, antenna_weight, g_matrix

__all__ = [
    "apodisation_window",
    "radiometric_sensitivity",
    "reconstruct",
    "reconstruction_operator",
    "smoothed_truth",
]

_CHUNK = 2048  # pixels per block when forming A = G U*
_MAX_DENSE_GB = 4.0  # largest G + A the dense path may allocate (MIRAS: 0.7 GB)


def apodisation_window(array: InterferometricArray, kind: str = "blackman") -> np.ndarray:
    """Window W per baseline (order of ``array.baseline_indices``).

    ``"blackman"``: W(rho) = 0.42 + 0.5 cos(pi rho / rho_max) + 0.08 cos(2 pi rho / rho_max)
    ([Harris1978], radially symmetric as in [Anterrieu2004]), rho_max the longest baseline;
    ``"rectangular"``: W = 1.
    """
    uv = array.baselines_uv
    if kind == "rectangular":
        return np.ones(len(uv))
    if kind != "blackman":
        raise InputError(f"unknown apodisation {kind!r}", variable="apodisation")
    x = np.pi * np.hypot(uv[:, 0], uv[:, 1]) / array.max_baseline_wavelengths
    return 0.42 + 0.5 * np.cos(x) + 0.08 * np.cos(2 * x)


def _uv_cell(array: InterferometricArray) -> float:
    """Area of the (u, v) lattice cell, sqrt(3)/2 d^2 (wavelengths^2)."""
    return float(abs(np.linalg.det(array.lattice_basis)))


def _fourier_image(coeffs: np.ndarray, array: InterferometricArray, grid: HexGrid) -> np.ndarray:
    """U*_H c: Delta s_uv sum_k c_k exp(+j 2 pi k . l / M) on the period grid (real part)."""
    return _fourier_column(coeffs, array, grid).real


@lru_cache(maxsize=4)
def reconstruction_operator(array: InterferometricArray, grid: HexGrid) -> np.ndarray:
    """A^+ with A = G U*_H (n_vis x n_vis), the [Anterrieu2004] resolving operator.

    Cached per (array, grid). A is formed in pixel blocks; A^+ by SVD (``numpy.linalg.pinv``,
    relative cut 1e-10: A is well conditioned for a Y array with d <= 1 wavelength). MIRAS
    takes ~2.5 min on one loaded core; arrays whose G and A pass 4 GB (the HR concept:
    ~77 GB) raise ``ConfigError``.
    """
    size_gb = 16 * array.n_visibilities * (array.n_visibilities + grid.size**2) / 1e9
    if size_gb > _MAX_DENSE_GB:
        raise ConfigError(
            f"the dense G-matrix path of {array.name} needs ~{size_gb:.0f} GB "
            f"(limit {_MAX_DENSE_GB} GB): use method='fft'")
    g = g_matrix(array, grid, where="period")
    m = grid.size
    phase = 2 * np.pi / m * (
        np.outer(grid.l1.ravel(), array.baseline_indices[:, 0])
        + np.outer(grid.l2.ravel(), array.baseline_indices[:, 1])
    )
    a = np.zeros((len(g), len(g)), dtype=complex)
    for start in range(0, m * m, _CHUNK):
        block = slice(start, start + _CHUNK)
        a += g[:, block] @ (np.exp(1j * phase[block]) * _uv_cell(array))
    return np.linalg.pinv(a, rcond=1e-10)


def _check_vis(vis: np.ndarray, array: InterferometricArray) -> np.ndarray:
    v = np.asarray(vis)
    if v.shape != (array.n_visibilities,) or not np.all(np.isfinite(v)):
        raise InputError(
            f"expected {array.n_visibilities} finite complex visibilities, got shape {v.shape}",
            variable="visibilities",
        )
    return v.astype(complex)


def _contrast_image(v: np.ndarray, array: InterferometricArray, grid: HexGrid,
                    window: np.ndarray, method: str) -> np.ndarray:  # fmt: skip
    """T - T_r on the period grid from visibilities by the chosen method."""
    if method == "fft":
        return _fourier_image(window * v, array, grid) / antenna_weight(grid.xi, grid.eta, array)
    if method == "gmatrix":
        z = reconstruction_operator(array, grid) @ v
        return _fourier_image(window * z, array, grid)
    raise InputError(f"unknown method {method!r}: 'fft' or 'gmatrix'", variable="method")


def _zero_index(array: InterferometricArray) -> int:
    return int(np.flatnonzero(np.all(array.baseline_indices == 0, axis=1))[0])


@lru_cache(maxsize=8)
def _model_units(array: InterferometricArray, grid: HexGrid) -> tuple:
    """Model visibilities of 1 K over the whole visible disc and of 1 K on the sky only."""
    sky = ~earth_disc(grid.disc_xi, grid.disc_eta, array)
    disc = _forward_nufft(np.ones(grid.disc_xi.shape), grid.disc_xi, grid.disc_eta, array,
                          grid.pixel_area)
    on_sky = _forward_nufft(sky.astype(float), grid.disc_xi, grid.disc_eta, array,
                            grid.pixel_area)
    return disc, on_sky


def _references(v: np.ndarray, array: InterferometricArray, grid: HexGrid,
                flat_target: tuple | None, sky_k: float | None) -> tuple:  # fmt: skip
    """Visibilities to subtract and the level to add back (FTT and known sky)."""
    t_r = array.receiver_physical_temperature_k
    disc_unit, sky_unit = _model_units(array, grid)
    unit = disc_unit
    if flat_target is not None:
        v_flat, t_flat = flat_target
        unit = _check_vis(v_flat, array) / (float(t_flat) - t_r)
    if sky_k is None:
        sky_k, sky_unit = 0.0, np.zeros_like(unit)
    z = _zero_index(array)
    level = float(((v[z] + t_r * unit[z] - sky_k * sky_unit[z]) / (unit[z] - sky_unit[z])).real)
    return (level - t_r) * unit + (sky_k - level) * sky_unit, level


def reconstruct(visibilities: np.ndarray, array: InterferometricArray,
                apodisation: str = "blackman", flat_target: tuple | None = None,
                method: str = "fft", grid: HexGrid | None = None,
                sky_k: float | None = None) -> np.ndarray:  # fmt: skip
    """Brightness temperature (K) on the hexagonal period grid from visibilities.

    Parameters
    ----------
    visibilities
        Complex visibilities (K), order of ``array.baseline_indices``.
    array
        The interferometer.
    apodisation
        ``"blackman"`` or ``"rectangular"`` (:func:`apodisation_window`).
    flat_target
        ``(v_flat, t_flat_k)``: the visibilities the instrument measured on a uniform scene
        of brightness ``t_flat_k`` ([MartinNeira2008]); v^ = v_flat / (t_flat - T_r) is its
        response to 1 K. The scene level T_ref comes from the zero baseline and the image is
        T_ref + reconstruct(V - (T_ref - T_r) v^). Without it (and with ``sky_k``) the model
        response of the visible disc stands for v^.
    method
        ``"fft"`` (fast path) or ``"gmatrix"`` ([Anterrieu2004] pseudo-inverse).
    grid
        The hexagonal grid (default ``hex_grid(array)``): pixel (i, j) is at
        ``(grid.xi[i, j], grid.eta[i, j])``.
    sky_k
        Known sky brightness (K) off the Earth disc: the model visibilities of the sky's
        difference from the level are subtracted too, so that sky aliases leave the
        extended alias-free field of view ([Kerr2010]); the level is then the Earth's,
        T_ref = (V_0 + T_r v^_0 - T_sky s_0) / (v^_0 - s_0), s the sky's response to 1 K.

    Returns
    -------
    numpy.ndarray
        (M, M) brightness temperature (K); outside the (extended) alias-free field of view
        the pixels hold aliases.
    """
    grid = grid or hex_grid(array)
    v = _check_vis(visibilities, array)
    window = apodisation_window(array, apodisation)
    if flat_target is None and sky_k is None:
        t_r = array.receiver_physical_temperature_k
        return _contrast_image(v, array, grid, window, method) + t_r
    known, level = _references(v, array, grid, flat_target, sky_k)
    return _contrast_image(v - known, array, grid, window, method) + level


def smoothed_truth(tb_period: np.ndarray, array: InterferometricArray,
                   apodisation: str = "blackman", grid: HexGrid | None = None) -> np.ndarray:
    """The best image an apodised reconstruction can give of a scene on the period grid.

    T_r + U*_H W F_H[T - T_r]: the hexagonal Fourier components of the scene on the coverage
    H, windowed, transformed back; i.e. the truth seen through the apodised point-spread
    function ([Anterrieu2004]: the reference brightness of the reconstruction problem).

    Returns
    -------
    numpy.ndarray
        (M, M) brightness temperature (K).
    """
    grid = grid or hex_grid(array)
    tb = np.asarray(tb_period, dtype=float)
    if tb.shape != (grid.size, grid.size):
        raise InputError(f"expected the ({grid.size}, {grid.size}) period grid", variable="tb")
    k = array.baseline_indices
    spec = np.fft.fft2(np.fft.ifftshift(tb - array.receiver_physical_temperature_k))
    coeffs = spec[k[:, 0] % grid.size, k[:, 1] % grid.size] * grid.pixel_area
    window = apodisation_window(array, apodisation)
    return _fourier_image(window * coeffs, array, grid) + array.receiver_physical_temperature_k


def _operator_std(array: InterferometricArray, grid: HexGrid, window: np.ndarray,
                  sigma: float) -> np.ndarray:  # fmt: skip
    """Std of the G-matrix image under Hermitian visibility noise: diag(R C R^T), R = U* W A^+.

    Noise as x real iid N(0, 1): for each pair (i, j = -i), n_i = sigma (x_re + j x_im),
    n_j = conj(n_i); n_0 = sqrt(2) sigma x_0. Columns of Re(R P): sigma Re(R_i + R_j) and
    -sigma Im(R_i - R_j) per pair, sqrt(2) sigma Re(R_0).
    """
    from fcspace.watercycle.interferometry import hermitian_partner

    pinv = reconstruction_operator(array, grid)
    partner = hermitian_partner(array)
    var = np.zeros((grid.size, grid.size))
    for i in range(len(partner)):
        j = partner[i]
        if i > j:
            continue
        ri = _fourier_column(window * pinv[:, i], array, grid)
        if i == j:
            var += 2.0 * sigma**2 * ri.real**2
            continue
        rj = _fourier_column(window * pinv[:, j], array, grid)
        var += sigma**2 * ((ri + rj).real ** 2 + (ri - rj).imag ** 2)
    return np.sqrt(var)


def _fourier_column(coeffs: np.ndarray, array: InterferometricArray, grid: HexGrid) -> np.ndarray:
    """Complex U*_H c on the period grid (the real part is :func:`_fourier_image`)."""
    m = grid.size
    k = array.baseline_indices
    spec = np.zeros((m, m), dtype=complex)
    spec[k[:, 0] % m, k[:, 1] % m] = coeffs
    return np.fft.fftshift(np.fft.ifft2(spec)) * (m * m) * _uv_cell(array)


def radiometric_sensitivity(array: InterferometricArray, antenna_temperature_k: float = 150.0,
                            apodisation: str = "blackman", grid: HexGrid | None = None,
                            method: str = "fft") -> np.ndarray:  # fmt: skip
    """Per-pixel radiometric sensitivity (K) of one snapshot ([Camps1998]).

    ``method="fft"``: the closed form Delta T(xi, eta) = Delta s_uv (T_A + T_R) / (eta_Q
    sqrt(B tau)) sqrt(sum_k W_k^2) / g, g = |F_n|^2 / (Omega sqrt(1 - xi^2 - eta^2)),
    sqrt(sum W^2) = alpha_w sqrt(N_V): exactly the std of the fast-path reconstruction under
    the noise of :func:`fcspace.watercycle.interferometry.visibilities` (Hermitian pairs,
    zero baseline with T_sys / sqrt(B tau)). ``method="gmatrix"``: the same noise propagated
    through the [Anterrieu2004] operator, diag(R C R^T) (one FFT per visibility).

    Returns
    -------
    numpy.ndarray
        (M, M) standard deviation (K) on the period grid.
    """
    grid = grid or hex_grid(array)
    window = apodisation_window(array, apodisation)
    if method == "gmatrix":
        sigma = array.visibility_noise_k(antenna_temperature_k)
        return _operator_std(array, grid, window, sigma)
    if method != "fft":
        raise InputError(f"unknown method {method!r}: 'fft' or 'gmatrix'", variable="method")
    delta_t = array.radiometer_sensitivity_k(antenna_temperature_k)
    core = _uv_cell(array) * delta_t * np.sqrt(np.sum(window**2))
    return core / antenna_weight(grid.xi, grid.eta, array)
