"""Self-supporting coded-mask patterns with a flat autocorrelation (ECLAIRs-like).

The flight ECLAIRs mask is a random-like pattern of 46 x 46 elements, 40 % open, optimised so
that it is self-supporting (a single metal sheet with no floating closed element) and has a
flat autocorrelation ([Godet2014]; pattern optimisation reviewed in [GoldwurmGros2022] Sect.
on random and optimised masks). This module makes such patterns from a seed: a random mask
with the exact number of open elements is improved by simulated annealing ([Kirkpatrick1983])
with swaps of one open and one closed element, which keep the open fraction, under the
self-supporting constraint. It also gives the mask's projection on the detector: the mask
resampled on the pixel pitch (:func:`mask_cells`) and the shadow of a point source
(:func:`point_source_shadow`).

Definitions
-----------
- ``mask[i, j]`` is True where the element is open (transparent), False where closed.
- Self-supporting: every closed element has at least one closed 4-neighbour (up, down, left,
  right) *inside the array*, i.e. no closed element is isolated (surrounded by open elements
  and the array border). The mask frame is not counted as support.
- Sidelobe level: the balanced pattern ``b = mask - f`` (``f`` the open fraction) is
  auto-correlated without wrap-around (acyclic, the case of a mask larger than the detector);
  the level is the standard deviation of that autocorrelation over the non-zero lags with
  ``|dy|, |dz| <= n // 2`` (lags whose overlap covers at least half the mask per axis),
  divided by the zero-lag peak ``sum(b^2)``.

Sources
-------
- [Godet2014] Godet, O., et al. (2014). The X-/gamma-ray camera ECLAIRs for the gamma-ray
  burst mission SVOM. Proc. SPIE 9144, 914424.
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. arXiv:2305.10130.
- [Goldwurm2003] Goldwurm, A., David, P., Foschini, L., et al. (2003). The INTEGRAL/IBIS
  scientific data analysis. A&A 411, L223 (mask resampled on the detector pitch).
- [Kirkpatrick1983] Kirkpatrick, S., Gelatt, C. D., Vecchi, M. P. (1983). Optimization by
  simulated annealing. Science 220, 671-680.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument

__all__ = [
    "autocorrelation_sidelobe",
    "is_self_supporting",
    "make_mask",
    "mask_cells",
    "n_mask_cells",
    "point_source_shadow",
    "random_mask",
]

_STEPS = 3000  # annealing steps (a 46 x 46 mask in about a second)
_PENALTY = 1.0  # score cost of one isolated closed element (sidelobes are ~1e-2)


def _closed_neighbours(mask: NDArray[np.bool_]) -> NDArray[np.int_]:
    """Number of closed 4-neighbours of each element (array border counts as open)."""
    c = np.pad(~mask, 1, constant_values=False).astype(np.int8)
    return c[:-2, 1:-1] + c[2:, 1:-1] + c[1:-1, :-2] + c[1:-1, 2:]


def _n_isolated(mask: NDArray[np.bool_]) -> int:
    """Number of closed elements with no closed 4-neighbour."""
    return int(np.count_nonzero(~mask & (_closed_neighbours(mask) == 0)))


def is_self_supporting(mask: NDArray[np.bool_]) -> bool:
    """True if every closed element touches another closed element by a side.

    Parameters
    ----------
    mask
        2-D boolean array, True = open.
    """
    m = np.asarray(mask, dtype=bool)
    if m.ndim != 2:
        raise InputError(f"mask must be 2-D, got shape {m.shape}", variable="mask")
    return _n_isolated(m) == 0


def _lag_window(n0: int, n1: int) -> NDArray[np.bool_]:
    """Selection of the non-zero lags |dy| <= n0 // 2, |dz| <= n1 // 2 in fftshift order."""
    dy = np.abs(np.arange(2 * n0 - 1) - (n0 - 1))[:, None]
    dz = np.abs(np.arange(2 * n1 - 1) - (n1 - 1))[None, :]
    sel = (dy <= n0 // 2) & (dz <= n1 // 2)
    sel[n0 - 1, n1 - 1] = False
    return sel


def _acyclic_autocorrelation(b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Acyclic autocorrelation of ``b`` by zero-padded FFT, zero lag at index (n0-1, n1-1)."""
    n0, n1 = b.shape
    shape = (2 * n0, 2 * n1)  # >= 2n - 1: no wrap-around
    f = np.fft.rfft2(b, shape)
    a = np.fft.irfft2(f * np.conj(f), shape)
    a = np.roll(a, (n0 - 1, n1 - 1), axis=(0, 1))
    return a[: 2 * n0 - 1, : 2 * n1 - 1]


def autocorrelation_sidelobe(mask: NDArray[np.bool_]) -> float:
    """Sidelobe level of a mask: rms of the off-peak acyclic autocorrelation over its peak.

    See the module docstring for the exact definition (balanced pattern, lags up to half the
    mask side). A purely random 40 % open 46 x 46 mask gives 0.016 (rms over seeds
    0.0003); ``make_mask()`` gives about 0.0096.
    """
    m = np.asarray(mask, dtype=bool)
    b = m - m.mean()
    a = _acyclic_autocorrelation(b)
    return float(np.std(a[_lag_window(*m.shape)]) / np.sum(b * b))


def random_mask(
    rng: np.random.Generator, n: int | None = None, open_fraction: float | None = None
) -> NDArray:
    """Random n x n mask with exactly round(open_fraction n^2) open elements (no constraint).

    ``n`` and ``open_fraction`` default to ECLAIRs' (``ECLAIRS.mask_elements``,
    ``ECLAIRS.mask_open_fraction``).
    """
    n, open_fraction = _defaults(n, open_fraction)
    _check_args(n, open_fraction)
    flat = np.zeros(n * n, dtype=bool)
    flat[rng.choice(n * n, size=round(open_fraction * n * n), replace=False)] = True
    return flat.reshape(n, n)


def _defaults(n: int | None, open_fraction: float | None) -> tuple[int, float]:
    """Mask side and open fraction, ECLAIRs' where not given."""
    n = ECLAIRS.mask_elements if n is None else n
    return n, ECLAIRS.mask_open_fraction if open_fraction is None else open_fraction


def _check_args(n: int, open_fraction: float) -> None:
    if n < 4:
        raise InputError(f"mask side must be >= 4 elements, got {n}", variable="n")
    if not 0.05 <= open_fraction <= 0.7:
        raise InputError(
            f"open fraction must be in [0.05, 0.7] for a self-supporting mask, got {open_fraction}",
            variable="open_fraction",
        )


def _score(mask: NDArray[np.bool_], window: NDArray[np.bool_]) -> float:
    """Annealing objective: sidelobe level plus a penalty per isolated closed element."""
    b = mask - mask.mean()
    a = _acyclic_autocorrelation(b)
    return float(np.std(a[window]) / np.sum(b * b)) + _PENALTY * _n_isolated(mask)


def _swap(mask: NDArray[np.bool_], rng: np.random.Generator) -> tuple[int, int]:
    """Swap one random open and one random closed element in place; return their flat indices."""
    flat = mask.reshape(-1)
    i = int(rng.choice(np.flatnonzero(flat)))
    j = int(rng.choice(np.flatnonzero(~flat)))
    flat[i], flat[j] = False, True
    return i, j


def _anneal(mask: NDArray[np.bool_], rng: np.random.Generator, steps: int) -> NDArray:
    """Simulated annealing of ``mask`` (in place) with a geometric temperature schedule."""
    window = _lag_window(*mask.shape)
    score = _score(mask, window)
    temps = np.geomspace(2e-4, 1e-6, steps)  # in units of the sidelobe level
    flat = mask.reshape(-1)
    for t, u in zip(temps, rng.random(steps), strict=True):
        i, j = _swap(mask, rng)
        new = _score(mask, window)
        if new <= score or u < np.exp((score - new) / t):
            score = new
        else:
            flat[i], flat[j] = True, False
    return mask


def _repair(mask: NDArray[np.bool_], rng: np.random.Generator) -> NDArray:
    """Greedy swaps until no closed element is isolated (keeps the open count)."""
    for _ in range(100 * mask.size):
        k = _n_isolated(mask)
        if k == 0:
            return mask
        i, j = _swap(mask, rng)
        if _n_isolated(mask) > k:
            mask.reshape(-1)[[i, j]] = True, False
    raise InputError("could not make the mask self-supporting", variable="open_fraction")


@lru_cache(maxsize=8)
def _cached_mask(seed: int, n: int, open_fraction: float) -> NDArray[np.bool_]:
    rng = np.random.default_rng(seed)
    mask = _anneal(random_mask(rng, n, open_fraction), rng, _STEPS)
    mask = _repair(mask, rng)
    mask.setflags(write=False)
    return mask


def make_mask(
    seed: int = 0, n: int | None = None, open_fraction: float | None = None
) -> NDArray[np.bool_]:
    """Seeded n x n self-supporting mask with a flat autocorrelation (True = open).

    Starts from a random mask with exactly ``round(open_fraction n^2)`` open elements and
    runs simulated annealing ([Kirkpatrick1983]) on the sidelobe level (see
    :func:`autocorrelation_sidelobe`) plus a penalty per isolated closed element, each move
    swapping one open and one closed element; a final greedy pass removes any isolated closed
    element left. Results are cached per ``(seed, n, open_fraction)``; a copy is returned.

    Parameters
    ----------
    seed
        Seed of the numpy Generator; the same seed gives the same mask.
    n
        Elements per side; default ``ECLAIRS.mask_elements`` (46).
    open_fraction
        Fraction of open elements; default ``ECLAIRS.mask_open_fraction`` (0.4); the count is
        rounded to an integer.
    """
    n, open_fraction = _defaults(n, open_fraction)
    _check_args(n, open_fraction)
    return _cached_mask(int(seed), int(n), float(open_fraction)).copy()


# ------------------------------------------------------------------ mask on the detector pitch
def _overlap_matrix(centres: NDArray, width: float, edges: NDArray) -> NDArray[np.float64]:
    """Length of [c - w/2, c + w/2] inside each interval [edges[i], edges[i+1]], over w."""
    lo = np.maximum(centres[:, None] - 0.5 * width, edges[None, :-1])
    hi = np.minimum(centres[:, None] + 0.5 * width, edges[None, 1:])
    return np.clip(hi - lo, 0.0, None) / width


def _element_edges(mask: NDArray, inst: EclairsInstrument, axis: int) -> NDArray[np.float64]:
    n = mask.shape[axis]
    return (np.arange(n + 1) - 0.5 * n) * inst.mask_element_m


def _open_fraction(
    mask: NDArray, cy: NDArray, cz: NDArray, inst: EclairsInstrument
) -> NDArray[np.float64]:
    """Open fraction of pixel-sized boxes centred on ``cy x cz`` (m, mask-plane coordinates)."""
    a = inst.pixel_size_m
    oy = _overlap_matrix(cy, a, _element_edges(mask, inst, 0))
    oz = _overlap_matrix(cz, a, _element_edges(mask, inst, 1))
    return np.clip(oy @ mask.astype(np.float64) @ oz.T, 0.0, 1.0)


def n_mask_cells(inst: EclairsInstrument = ECLAIRS) -> int:
    """Cells of one pixel pitch that cover the mask, with the parity of the pixel count (122)."""
    m = int(np.ceil((inst.mask_side_m + inst.pixel_size_m) / inst.pixel_pitch_m - 1e-9))
    return m + (m - inst.n_pixels) % 2


def mask_cells(
    mask: NDArray | None = None, instrument: EclairsInstrument = ECLAIRS
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mask resampled on the detector pitch: open fraction ``A`` and mask-area indicator ``U``.

    Cell ``m`` is centred at ``(m - (N - 1) / 2) p`` with ``N = n_mask_cells()``; ``A`` is the
    open fraction of a pixel-sized box there ([Goldwurm2003] fine sampling), ``U`` is 1 where
    the cell centre lies on the mask. ``A`` is set to 0 where ``U`` is 0.
    """
    inst = instrument
    m = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    n = n_mask_cells(inst)
    c = (np.arange(n) - 0.5 * (n - 1)) * inst.pixel_pitch_m
    inside = np.abs(c) < 0.5 * m.shape[0] * inst.mask_element_m
    inside_z = np.abs(c) < 0.5 * m.shape[1] * inst.mask_element_m
    u = (inside[:, None] & inside_z[None, :]).astype(np.float64)
    return _open_fraction(m, c, c, inst) * u, u


def point_source_shadow(
    theta_deg: float,
    phi_deg: float,
    mask: NDArray | None = None,
    instrument: EclairsInstrument = ECLAIRS,
) -> NDArray[np.float64]:
    """Expected shadow of a point source: open fraction of each pixel's active area (80 x 80).

    Pixel ``r`` sees the mask at ``r + s`` with ``s = shadow_shift(theta, phi)``
    (docs/eclairs_layout.md); the open fraction of the 4 x 4 mm box there is separable in
    the mask elements. Closed-element transparency and the shield are neglected (zero).
    """
    inst = instrument
    m = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    sy, sz = inst.shadow_shift(theta_deg, phi_deg)
    c = inst.pixel_centres_m()
    return _open_fraction(m, c + float(sy), c + float(sz), inst)
