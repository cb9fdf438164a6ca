"""Peer row: coded-mask decoding at the WFM size, fcspace.core.codedmask vs bloodmoon.

bloodmoon's own WFM camera (``assets/wfm_mask.fits``: 650 x 1040 mask cells, 384 x 632
detector, 1033 x 1671 = 1.73e6 sky pixels) and one detector image: a point source seen
through the mask (20 counts per open cell) on a flat background of 5 counts per pixel,
Poisson. fcspace: ``BalancedDecoder(camera.decoder, camera.bulk)`` (built once, not timed;
float32, one FFT worker) called on the image; bloodmoon: ``decode(camera, image)`` (its
``scipy.signal.correlate`` picks the FFT method; balancing cached by the camera). Both return
the balanced sky ``G * D - (G * W) sum(D) / sum(W)``. Agreement, checked first: the same
brightest sky pixel, correlation of the two skies > 0.999, and the largest difference in
units of the sky's standard deviation (float32 round-off of fcspace; the float64 decoder is
also compared).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from peer_rows._timing import alternate, result, stats

ROW = "coded-mask decode per sky image, WFM size (384x632 -> 1033x1671)"
GOAL = ">= 1.2x"
MIN_CORRELATION = 0.999


def camera_and_image(seed: int = 0):
    """bloodmoon's WFM camera and a Poisson detector image of one point source."""
    import bloodmoon as bm

    cam = bm.codedmask(Path(bm.__file__).parent / "assets" / "wfm_mask.fits")
    n, m = cam.detector_shape
    r, c = 100, 300  # the detector sees the mask window starting at cell (r, c)
    rng = np.random.default_rng(seed)
    image = rng.poisson(5.0 + 20.0 * cam.mask[r : r + n, c : c + m]).astype(float)
    return cam, image


def run(repeats: int = 5) -> dict:
    """Agreement first, then both sides alternated ``repeats`` times (CPU time)."""
    import bloodmoon as bm

    from fcspace.core.codedmask import BalancedDecoder

    cam, image = camera_and_image()
    ref = bm.decode(cam, image)  # also builds the camera's cached arrays
    dec = BalancedDecoder(cam.decoder, cam.bulk)
    sky = dec(image)
    sky64 = BalancedDecoder(cam.decoder, cam.bulk, dtype=np.float64)(image)
    peak = np.unravel_index(np.argmax(sky), sky.shape)
    peak_ref = np.unravel_index(np.argmax(ref), ref.shape)
    corr = float(np.corrcoef(sky.ravel(), ref.ravel())[0, 1])
    err32 = float(np.max(np.abs(sky - ref)) / ref.std())
    err64 = float(np.max(np.abs(sky64 - ref)) / ref.std())
    agree = sky.shape == ref.shape and peak == peak_ref and corr > MIN_CORRELATION
    a, b = alternate(lambda: dec(image), lambda: bm.decode(cam, image), repeats)
    npix = sky.size
    return result(
        ROW, GOAL,
        stats(a, f"fcspace.core.codedmask.BalancedDecoder, float32, FFT {dec.fft_shape}, "
                 f"1 worker ({np.median(a) / npix * 1e9:.1f} ns per sky pixel)"),
        stats(b, f"bloodmoon decode ({np.median(b) / npix * 1e9:.1f} ns per sky pixel)"),
        agree,
        f"same brightest pixel {tuple(int(i) for i in peak)}: {peak == peak_ref}; "
        f"correlation {corr:.12f} (> {MIN_CORRELATION}); max diff {err32:.1e} sky std "
        f"(float32), {err64:.1e} (float64)",
    )  # fmt: skip
