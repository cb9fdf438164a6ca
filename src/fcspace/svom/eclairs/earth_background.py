"""ECLAIRs background with the Earth in the field of view: CXB occultation and Earth albedo.

Each detector pixel sees the sky through the mask; the diffuse sky is cut into cells of a
tangent-plane grid ``(u, v) = tan(theta) (cos phi, sin phi)`` covering every direction whose
ray from the detector meets the mask (the square ``|u|, |v| <= (M + D) / 2h``). For cell d and
pixel p, ``O[d, p]`` and ``C[d, p]`` are the fractions of the pixel (2 x 2 sub-pixels) whose
ray towards d crosses an open or a closed mask element (inside the mask; the side shield
stops the rest, as in :mod:`fcspace.svom.eclairs.simulate`). The counts per second of pixel
p in true-energy bin e from a sky of intensity I(E) (ph cm-2 s-1 sr-1 keV-1) are

``R[e, p] = a cos(theta_d) dOmega_d int_e I(E) eps(E, theta_d) [O + C T(E, theta_d)] dE``

summed over the visible cells, with ``a`` the pixel area, ``dOmega = du dv / (1 + u^2 +
v^2)^{3/2}``, eps the CdTe efficiency and T the closed-element transmission of
:class:`EclairsInstrument` ([GoldwurmGros2022] for the coded-mask geometry). Cells behind
the Earth (:func:`fcspace.svom.orbit.earth_in_frame`) contribute the Earth albedo instead of
the CXB. The CXB is the [Moretti2009] law of :func:`sources.cxb_intensity` (the simulator's);
the albedo is the [Ajello2008] Swift/BAT spectrum ``S(E) = C / ((E/Eb)^G1 + (E/Eb)^G2)``.
ASSUMPTION: its parameters C = 1.48e-2 ph cm-2 s-1 sr-1 keV-1, G1 = -5, G2 = 1.72, Eb = 33.7
keV are quoted from [Ajello2008] (fit to BAT data over 15-200 keV) as recalled, not
re-read here, and the law is extrapolated below 15 keV where it falls as E^5; the albedo is
taken isotropic over the Earth disc (no limb brightening, no geomagnetic modulation; the
dynamic background of [Mate2021] has both). Energies are true energies (the 1 keV
resolution is ignored) and the maps are smoothed per cell by a least-squares 4th-order
polynomial in (y, z) over the detector, which removes the aliasing of a finite cell grid (the
diffuse-sky pattern is smooth: every pixel integrates ~2 sr through ~2000 elements). The
instrumental background and the noisy pixels are those of :class:`sources.Background`.

Sources
-------
- [Moretti2009] Moretti, A., et al. (2009). A&A 493, 501 (CXB spectrum).
- [Ajello2008] Ajello, M., et al. (2008). Cosmic X-ray background and Earth albedo spectra
  with Swift/BAT. ApJ 689, 666.
- [Mate2021] Mate, S., et al. (2021). Simulations of the SVOM/ECLAIRs dynamic background.
  Experimental Astronomy 52, 1.
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. arXiv:2305.10130.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.mask import make_mask
from fcspace.svom.eclairs.sources import DEAD, NOISY_PIXEL, Background, cxb_intensity
from fcspace.svom.eclairs.zones import quadrant_of

__all__ = [
    "SkyResponse",
    "albedo_intensity",
    "background_rates",
    "quadrant_totals",
    "sky_coefficients",
    "sky_response",
]


def albedo_intensity(energy_kev: ArrayLike) -> NDArray[np.float64]:
    """Earth albedo photon intensity (ph cm-2 s-1 sr-1 keV-1), [Ajello2008] (ASSUMPTION)."""
    x = np.asarray(energy_kev, dtype=float) / 33.7
    return 1.48e-2 / (x**-5.0 + x**1.72)


def _poly_basis(n: int, order: int = 4) -> NDArray[np.float64]:
    c = np.linspace(-1.0, 1.0, n)
    y, z = np.meshgrid(c, c, indexing="ij")
    return np.stack([y**i * z**j for i in range(order + 1) for j in range(order + 1 - i)],
                    axis=-1).reshape(n * n, -1)  # fmt: skip


@dataclass(frozen=True)
class SkyResponse:
    """Detector response to the diffuse sky, per tangent-plane cell (module docstring).

    ``vec`` (n_cell, 3) spacecraft unit vectors of the cells; ``w_cxb``, ``w_alb``
    (2, n_e, n_cell) the open / closed spectral weights (counts/s per unit fraction) of the
    CXB and the albedo; ``coef`` (2, n_cell, n_poly) the smoothed open / closed fractions in
    the polynomial basis ``basis`` (n^2, n_poly).
    """

    vec: NDArray
    w_cxb: NDArray
    w_alb: NDArray
    coef: NDArray
    basis: NDArray


def _cells(inst: EclairsInstrument, n_grid: int) -> tuple[NDArray, NDArray, NDArray]:
    """Tangent-plane cell centres (u, v) and their solid angles."""
    t = 0.5 * (inst.mask_side_m + inst.detector_side_m) / inst.mask_height_m
    edges = np.linspace(-t, t, n_grid + 1)
    c = 0.5 * (edges[1:] + edges[:-1])
    u, v = (a.reshape(-1) for a in np.meshgrid(c, c, indexing="ij"))
    du = edges[1] - edges[0]
    return u, v, du * du / (1.0 + u * u + v * v) ** 1.5


def _fraction_coefficients(u: NDArray, v: NDArray, mask: NDArray, inst: EclairsInstrument,
                           pinv: NDArray) -> NDArray:  # fmt: skip
    """(2, n_cell, n_poly) smoothed fractions of each pixel seeing an open / a closed element."""
    n, h, e = inst.n_pixels, inst.mask_height_m, inst.mask_element_m
    off = np.array([-0.25, 0.25]) * inst.pixel_size_m
    pos = (inst.pixel_centres_m()[:, None] + off[None, :]).reshape(-1)  # 2n sub-positions
    out = np.zeros((2, u.size, pinv.shape[0]))
    for d in range(u.size):
        iy = np.floor((pos + h * u[d]) / e + 0.5 * mask.shape[0]).astype(int)
        iz = np.floor((pos + h * v[d]) / e + 0.5 * mask.shape[1]).astype(int)
        oky, okz = (iy >= 0) & (iy < mask.shape[0]), (iz >= 0) & (iz < mask.shape[1])
        inside = oky[:, None] & okz[None, :]
        op = mask[np.clip(iy, 0, mask.shape[0] - 1)][:, np.clip(iz, 0, mask.shape[1] - 1)]
        op = op & inside
        for k, sel in enumerate((op, inside & ~op)):
            out[k, d] = pinv @ sel.reshape(n, 2, n, 2).mean(axis=(1, 3)).reshape(-1)
    return out


def _weights(intensity, cos_t: NDArray, domega: NDArray, edges: NDArray,
             inst: EclairsInstrument) -> NDArray:  # fmt: skip
    """(2, n_e, n_cell) counts/s per unit open / closed fraction of a pixel."""
    theta = np.degrees(np.arccos(cos_t))
    out = np.zeros((2, edges.size - 1, cos_t.size))
    area = (inst.pixel_size_m * 100.0) ** 2
    for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        e = np.geomspace(lo, hi, 48)[:, None]
        f = intensity(e) * inst.detector_efficiency(e, theta[None, :])
        out[0, i] = np.trapezoid(f, e[:, 0], axis=0)
        out[1, i] = np.trapezoid(f * inst.mask_transmission(e, theta[None, :]), e[:, 0], axis=0)
    return out * area * cos_t * domega


@lru_cache(maxsize=4)
def _response(edges: tuple[float, ...], n_grid: int, mask_key: bytes | None) -> SkyResponse:
    inst = ECLAIRS
    m = inst.mask_elements
    mask = make_mask() if mask_key is None else np.frombuffer(mask_key, bool).reshape(m, m)
    u, v, domega = _cells(inst, n_grid)
    norm = np.sqrt(1.0 + u * u + v * v)
    vec = np.stack([u / norm, v / norm, 1.0 / norm], axis=-1)
    basis = _poly_basis(inst.n_pixels)
    pinv = np.linalg.pinv(basis)
    coef = _fraction_coefficients(u, v, mask, inst, pinv)
    e = np.asarray(edges)
    w_cxb = _weights(cxb_intensity, 1.0 / norm, domega, e, inst)
    w_alb = _weights(albedo_intensity, 1.0 / norm, domega, e, inst)
    return SkyResponse(vec, w_cxb, w_alb, coef, basis)


def sky_response(edges: ArrayLike, n_grid: int = 48,
                 mask: NDArray[np.bool_] | None = None) -> SkyResponse:  # fmt: skip
    """The cached :class:`SkyResponse` of the default ECLAIRs for energy-bin ``edges`` (keV).

    ``n_grid`` cells per side of the tangent-plane grid (48: cells of ~2.3 deg on axis);
    ``mask`` the 46 x 46 pattern (default ``make_mask()``).
    """
    e = tuple(float(x) for x in np.asarray(edges, dtype=float))
    if len(e) < 2 or any(b <= a for a, b in zip(e[:-1], e[1:], strict=False)) or e[0] <= 0:
        raise InputError(f"energy edges must increase from > 0 keV, got {e}", variable="edges")
    key = None if mask is None else np.ascontiguousarray(mask, dtype=bool).tobytes()
    return _response(e, int(n_grid), key)


def sky_coefficients(resp: SkyResponse, nadir: ArrayLike | None,
                     earth_radius_deg: float) -> NDArray[np.float64]:  # fmt: skip
    """(n_e, n_poly) polynomial coefficients of the CXB + albedo rate maps for one Earth.

    ``nadir`` is the spacecraft-frame nadir (:func:`orbit.earth_in_frame`); None: no Earth.
    """
    blocked = np.zeros(resp.vec.shape[0], dtype=bool)
    if nadir is not None:
        blocked = resp.vec @ np.asarray(nadir, float) >= np.cos(np.radians(earth_radius_deg))
    out = 0.0
    for k in range(2):
        w = np.where(blocked[None, :], resp.w_alb[k], resp.w_cxb[k])
        out = out + w @ resp.coef[k]
    return np.asarray(out)


def background_rates(
    resp: SkyResponse, coefficients: NDArray, status: NDArray, edges: ArrayLike,
    bg: Background | None = None, instrument: EclairsInstrument = ECLAIRS,
) -> NDArray[np.float64]:  # fmt: skip
    """Expected counts/s (n_e, n, n) per energy bin and pixel: sky + instrumental + noisy.

    The instrumental rate is flat over the pixels and in energy over the instrument band, the
    noisy pixels add ``bg.noisy_rate`` flat in 4-8 keV; dead pixels count nothing
    (:class:`sources.Background`, the simulator's components).
    """
    bg = Background() if bg is None else bg
    n = instrument.n_pixels
    e = np.asarray(edges, dtype=float)
    sky = np.clip(np.asarray(coefficients) @ resp.basis.T, 0.0, None).reshape(-1, n, n)
    band = instrument.energy_max_kev - instrument.energy_min_kev
    lo, hi = e[:-1], e[1:]
    inst = bg.instrumental_rate * (hi - lo) / band / (n * n)
    width = np.clip(np.minimum(hi, 8.0) - lo, 0.0, None) / (8.0 - instrument.energy_min_kev)
    noisy = bg.noisy_rate * width
    is_noisy = np.where(np.asarray(status) == NOISY_PIXEL, 1.0, 0.0)
    rates = sky + inst[:, None, None] + is_noisy[None] * noisy[:, None, None]
    return np.where(status == DEAD, 0.0, rates)


def quadrant_totals(rates: NDArray) -> NDArray[np.float64]:
    """(4, n_e) counts/s of each detector quadrant (:func:`zones.quadrant_of`)."""
    n = rates.shape[-1]
    k = np.arange(n)
    q = quadrant_of(k[:, None], k[None, :], n).reshape(-1)
    flat = rates.reshape(rates.shape[0], -1)
    return np.stack([flat[:, q == i].sum(axis=1) for i in range(4)])
