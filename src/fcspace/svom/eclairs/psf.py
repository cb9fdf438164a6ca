"""ECLAIRs point-spread function on the sky grid and the correlation of decoded-sky noise.

The balanced correlation of the shadow of a point source gives, at the source, the
autocorrelation of the mask convolved with the pixel response. For a random-like mask its
central peak is that of one element, a separable pyramid of half-width one element ``e``;
resampling on pixel-sized boxes (``a`` = 4 mm) convolves it with a pyramid of half-width
``a`` ([Goldwurm2003] Sect. 3; [GoldwurmGros2022]). In sky pixels (one detector pitch ``p``)
the PSF is ``T(dr) T(dc)`` with ``T = tri(e / p) (*) tri(a / p)``. The noise of the decoded
sky of a flat background is correlated with the same shape ([SkinnerConnell2003]).

Sources
-------
- [Goldwurm2003] Goldwurm, A., et al. (2003). The INTEGRAL/IBIS scientific data analysis.
  A&A 411, L223.
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. arXiv:2305.10130.
- [SkinnerConnell2003] Skinner, G. K., Connell, P. H. (2003). The SPI imaging algorithms.
  A&A 411, L123.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.signal import fftconvolve

from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument

__all__ = ["psf_profile", "whitener"]


def _triangle(x: NDArray, half: float) -> NDArray:
    return np.clip(1.0 - np.abs(x) / half, 0.0, None)


@lru_cache(maxsize=4)
def _psf_table(instrument: EclairsInstrument) -> tuple[NDArray, NDArray]:
    """1-D PSF profile tabulated on a fine grid (sky pixels), peak 1."""
    inst = instrument
    dx = 1e-3
    x = np.arange(-6.0, 6.0 + dx / 2, dx)
    t = fftconvolve(
        _triangle(x, inst.mask_element_m / inst.pixel_pitch_m),
        _triangle(x, inst.pixel_size_m / inst.pixel_pitch_m),
        mode="same",
    )
    t = t / t.max()
    return x, np.where(t > 1e-9, t, 0.0)  # FFT round-off tails to exact zeros


def psf_profile(dx: ArrayLike, instrument: EclairsInstrument = ECLAIRS) -> NDArray[np.float64]:
    """1-D PSF ``T(dx)`` (peak 1) at offsets ``dx`` in sky pixels; the PSF is T(dr) T(dc)."""
    x, t = _psf_table(instrument)
    return np.interp(np.asarray(dx, dtype=float), x, t, left=0.0, right=0.0)


def whitener(rr: NDArray, cc: NDArray, inst: EclairsInstrument) -> NDArray:
    """Lower Cholesky factor of the sky-noise correlation ``T(dr) T(dc)`` of sky pixels.

    The decoded-sky noise of a flat background is correlated as the PSF
    ([SkinnerConnell2003]); a 1e-6 ridge keeps the factorisation stable.
    """
    corr = psf_profile(rr[:, None] - rr[None, :], inst)
    corr = corr * psf_profile(cc[:, None] - cc[None, :], inst)
    return np.linalg.cholesky(corr + 1e-6 * np.eye(rr.size))
