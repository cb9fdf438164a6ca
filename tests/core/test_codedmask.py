"""fcspace.core.codedmask: balanced FFT cross-correlation against direct sums, any size."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate

from fcspace.core.codedmask import BalancedDecoder
from fcspace.core.errors import InputError

RNG = np.random.default_rng(3)
MASK = (RNG.random((41, 53)) < 0.4).astype(float)
G = 2.0 * MASK - 1.0
BULK = np.ones((23, 29))
BULK[4, 7] = 0.0  # a dead pixel


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_correlate_matches_direct_full_correlation(dtype, tol):
    dec = BalancedDecoder(G, BULK, dtype=dtype)
    d = RNG.poisson(7.0, BULK.shape).astype(float)
    ref = correlate(G, d, mode="full", method="direct")
    out = dec.correlate(d)
    assert out.shape == ref.shape == dec.sky_shape == (41 + 23 - 1, 53 + 29 - 1)
    assert out.dtype == dtype
    assert np.max(np.abs(out - ref)) <= tol * np.max(np.abs(ref))


def test_balanced_sky_formula_and_flat_background_is_zero():
    dec = BalancedDecoder(G, BULK, dtype=np.float64)
    d = RNG.poisson(7.0, BULK.shape).astype(float) * BULK
    ref = correlate(G, d, "full", method="direct") - correlate(
        G, BULK, "full", method="direct"
    ) * d.sum() / BULK.sum()
    np.testing.assert_allclose(dec(d), ref, atol=1e-10 * np.abs(ref).max())
    flat = 12.5 * BULK
    assert np.max(np.abs(dec(flat))) <= 1e-11 * np.abs(correlate(G, flat, "full")).max()


def test_point_source_found_at_its_shift():
    dec = BalancedDecoder(G, BULK, dtype=np.float32)
    r, c = 9, 14  # detector sees the mask window starting at (r, c)
    d = RNG.poisson(2.0 + 40.0 * MASK[r : r + 23, c : c + 29]).astype(float) * BULK
    sky = dec(d)
    # correlate(G, D, 'full')[k] pairs G[n + k - (shape(D) - 1)] with D[n]: the window
    # offset (r, c) is at k = (r, c) + shape(D) - 1
    assert np.unravel_index(np.argmax(sky), sky.shape) == (r + 22, c + 28)


@pytest.mark.parametrize(
    "decoder, bulk",
    [
        (G, np.ones((50, 10))),  # detector taller than the mask
        (G[0], BULK),  # not 2-D
        (G, np.zeros_like(BULK)),  # no live pixel
        (np.full((5, 5), np.nan), np.ones((2, 2))),
    ],
)
def test_bad_arrays_raise(decoder, bulk):
    with pytest.raises(InputError):
        BalancedDecoder(decoder, bulk)


def test_wrong_detector_shape_raises():
    with pytest.raises(InputError):
        BalancedDecoder(G, BULK)(np.ones((3, 3)))
