"""ECLAIRs count-rate trigger kernels: binned light curves, shadowgrams, rate excesses.

Light curves are binned once at the finest timescale; every test window's counts and its
linear background fit come from cumulative sums (vectorised over windows and bands). The
scheme and its sources are in :mod:`fcspace.svom.eclairs.trigger`.

Sources
-------
- [Cash1979] Cash, W. (1979). Parameter estimation in astronomy through application of the
  likelihood ratio. ApJ 228, 939.
- [LiMa1983] Li, T.-P., Ma, Y.-Q. (1983). Analysis methods for results in gamma-ray
  astronomy. ApJ 272, 317.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np
import xarray as xr
from numpy.typing import NDArray

from fcspace.svom.eclairs.trigger_config import DEFAULT_CONFIG, Band, ShadowFn, TriggerConfig
from fcspace.svom.events import relative_times

__all__ = [
    "band_frame_shadowgrams",
    "bin_light_curves",
    "bin_quadrant_light_curves",
    "frame_shadowgrams",
    "rate_candidates",
]


# ---------------------------------------------------------------------------- binning
def bin_light_curves(
    time: NDArray, energy: NDArray, n_bins: int, config: TriggerConfig = DEFAULT_CONFIG
) -> NDArray[np.int32]:
    """Counts per base bin and elementary energy bin, one ``np.bincount``.

    Parameters
    ----------
    time
        Event times (s since the first bin).
    energy
        Measured energies (keV).
    n_bins
        Number of base bins; events beyond are dropped.
    config
        Base bin and energy edges.

    Returns
    -------
    numpy.ndarray
        (n_bins, n_energy) counts; band ``k`` is ``out[:, config.band_slices()[k]].sum(1)``.
    """
    edges = config.energy_edges()
    ne = edges.size - 1
    tb = (np.asarray(time) * (1.0 / config.base_bin_s)).astype(np.int64)
    eb = np.searchsorted(edges, np.asarray(energy, dtype=np.float64), side="right") - 1
    ok = (tb >= 0) & (tb < n_bins) & (eb >= 0) & (eb < ne)
    flat = np.bincount(tb[ok] * ne + eb[ok], minlength=n_bins * ne)
    return flat.reshape(n_bins, ne).astype(np.int32)


@nb.njit(cache=True)
def _bin_events(tb: NDArray, energy: NDArray, y: NDArray, z: NDArray, edges: NDArray,
                n_bins: int, half: int) -> NDArray:  # fmt: skip
    """One pass over the events: counts (n_bins, 4, n_energy) by time bin, quadrant, energy."""
    ne = edges.size - 1
    out = np.zeros((n_bins, 4, ne), dtype=np.int32)
    for i in range(tb.size):
        t, e = tb[i], energy[i]
        if t < 0 or t >= n_bins or e < edges[0] or e >= edges[ne]:
            continue
        j = 0
        while e >= edges[j + 1]:
            j += 1
        out[t, 2 * (y[i] >= half) + (z[i] >= half), j] += 1
    return out


def bin_quadrant_light_curves(
    time: NDArray, energy: NDArray, y: NDArray, z: NDArray, n_bins: int,
    config: TriggerConfig = DEFAULT_CONFIG, n_pixels: int = 80,
) -> NDArray[np.int32]:  # fmt: skip
    """Counts per base bin, detector quadrant and elementary energy bin, one pass (Numba).

    The quadrant of pixel ``(y, z)`` is :func:`zones.quadrant_of`; summing axis 1 gives
    :func:`bin_light_curves`. Every CRT zone is a union of quadrants
    (:func:`zones.zone_light_curves`).

    Returns
    -------
    numpy.ndarray
        (n_bins, 4, n_energy) counts.
    """
    tb = (np.asarray(time) * (1.0 / config.base_bin_s)).astype(np.int64)
    return _bin_events(tb, np.asarray(energy, dtype=np.float64), np.asarray(y),
                       np.asarray(z), config.energy_edges(), int(n_bins),
                       n_pixels // 2)  # fmt: skip


def frame_shadowgrams(
    events: xr.Dataset, band: Band, n_frames: int, frame_s: float, n_pixels: int = 80
) -> NDArray[np.float64]:
    """Shadowgrams (n_frames, n, n) of consecutive frames of ``frame_s`` in ``band`` (keV).

    Frames start at the list start ``attrs["met_start"]``.
    """
    return band_frame_shadowgrams(events, (band,), n_frames, frame_s, n_pixels)[band]


def band_frame_shadowgrams(
    events: xr.Dataset, bands: tuple[Band, ...], n_frames: int, frame_s: float,
    n_pixels: int = 80,
) -> dict[Band, NDArray[np.float64]]:  # fmt: skip
    """:func:`frame_shadowgrams` of several bands, frame and pixel indices computed once."""
    fr = (relative_times(events) * (1.0 / frame_s)).astype(np.int64)
    ok = (fr >= 0) & (fr < n_frames)
    e = events["energy"].values[ok]
    flat = fr[ok] * (n_pixels * n_pixels) + (
        events["y"].values[ok].astype(np.int64) * n_pixels + events["z"].values[ok])
    size = n_frames * n_pixels * n_pixels
    out = {}
    for lo, hi in bands:
        counts = np.bincount(flat[(e >= lo) & (e < hi)], minlength=size)
        out[(lo, hi)] = counts.reshape(n_frames, n_pixels, n_pixels).astype(np.float64)
    return out


def _event_shadow_fn(events: xr.Dataset, base_bin_s: float, n_pixels: int) -> ShadowFn:
    """Shadowgram of an event list over base bins [b0, b1) (times sorted: a slice)."""
    t = relative_times(events)
    e = events["energy"].values
    pix = events["y"].values.astype(np.int64) * n_pixels + events["z"].values

    def shadow(b0: int, b1: int, band: Band) -> NDArray:
        i0, i1 = np.searchsorted(t, [b0 * base_bin_s, b1 * base_bin_s])
        ee = e[i0:i1]
        p = pix[i0:i1][(ee >= band[0]) & (ee < band[1])]
        return np.bincount(p, minlength=n_pixels * n_pixels).reshape(n_pixels, n_pixels)

    return shadow


# ---------------------------------------------------------------------------- rate trigger
def _cumsum0(a: NDArray) -> NDArray[np.float64]:
    """Cumulative sum along the last axis with a leading 0 (float64)."""
    out = np.zeros((*a.shape[:-1], a.shape[-1] + 1))
    np.cumsum(a, axis=-1, out=out[..., 1:])
    return out


@dataclass
class _Moments:
    """Cumulative sums of counts and index-weighted counts, per series (local indices)."""

    c: NDArray  # (n_series, n + 1)
    k: NDArray  # (n_series, n + 1) of sum(j * c_j)

    @classmethod
    def of(cls, lc: NDArray) -> _Moments:
        j = np.arange(lc.shape[-1], dtype=np.float64)
        return cls(_cumsum0(lc), _cumsum0(lc * j))


@nb.njit(cache=True, inline="always")
def _significance(counts: float, bkg: float, var: float) -> float:
    """Signed likelihood-ratio significance of ``counts`` over a fitted background.

    For a known background B, ``S = sign(N - B) sqrt(2 (N ln(N / B) - (N - B)))`` ([Cash1979];
    [LiMa1983] Eq. 17 with a background known exactly): Gaussian-distributed for Poisson
    counts down to a few counts, where ``(N - B) / sqrt(B)`` has a long Poisson tail (the
    10-20 ms windows of a quadrant hold ~10 counts). The fit uncertainty enters as the factor
    ``sqrt(B / (B + var_B))``, so that for many counts S -> ``(N - B) / sqrt(B + var_B)``.
    """
    b = max(bkg, 1.0)
    if counts > 0.0:
        dev = 2.0 * (counts * np.log(counts / b) - (counts - b))
    else:
        dev = 2.0 * b
    sig = np.sqrt(max(dev, 0.0)) * np.sqrt(b / (b + var))
    return sig if counts >= b else -sig


@nb.njit(cache=True)
def _window_stats(
    c: NDArray, k: NDArray, s: NDArray, n: int, m: int, gap: int, threshold: float
) -> tuple[NDArray, NDArray, NDArray]:
    """Counts, fitted background and significance of windows [s, s + n) of every series.

    The likelihood-ratio significance never exceeds ``z = (N - B) / sqrt(B + var_B)`` for
    N > B (``N ln(N/B) - (N - B) <= (N - B)^2 / 2B``), so it is computed only where z reaches
    ``threshold``; elsewhere the returned value is z, an upper bound below the threshold.

    Least squares of counts per bin ``c_j = a + b x_j`` over the fit window of m bins ending
    ``gap`` bins before s, ``x_j`` centred: ``a = S0 / m``, ``b = S1 / Sxx`` with
    ``Sxx = m (m^2 - 1) / 12``; ``B = n (a + b d)`` with d the distance between the centres;
    ``var_B = n^2 (a / m + d^2 a / Sxx)`` (Poisson counts of mean a).
    """
    ns, nw = c.shape[0], s.size
    counts, bkg, snr = np.empty((ns, nw)), np.empty((ns, nw)), np.empty((ns, nw))
    sxx = m * (m * m - 1) / 12.0
    for r in range(ns):
        for w in range(nw):
            b1 = s[w] - gap
            b0 = b1 - m
            s0 = c[r, b1] - c[r, b0]
            s1 = (k[r, b1] - k[r, b0]) - (b0 + 0.5 * (m - 1)) * s0
            a = s0 / m
            d = (s[w] + 0.5 * (n - 1)) - (b0 + 0.5 * (m - 1))
            bk = n * (a + (s1 / sxx) * d)
            var = n * n * max(a, 0.0) * (1.0 / m + d * d / sxx)
            cnt = c[r, s[w] + n] - c[r, s[w]]
            counts[r, w], bkg[r, w] = cnt, bk
            z = (cnt - bk) / np.sqrt(max(bk + var, 1.0))
            snr[r, w] = _significance(cnt, bk, var) if z >= threshold else z
    return counts, bkg, snr


def rate_candidates(
    lc: NDArray, first_new: int, bin0: int, cfg: TriggerConfig, threshold: float
) -> dict[str, NDArray]:
    """Rate-excess windows of every timescale and band, vectorised.

    Parameters
    ----------
    lc
        (n_series, n) counts per base bin of each CRT series (band, or zone x band zone-major
        as :func:`zones.zone_light_curves` gives), history included.
    first_new
        Local index of the first new bin: only windows ending after it are tested.
    bin0
        Global index of ``lc[:, 0]`` (windows of ``n`` bins start on multiples of n/2).
    cfg
        Trigger settings.
    threshold
        Rate SNR threshold.

    Returns
    -------
    dict
        Arrays ``start`` (global bin), ``n_bins``, ``band`` (row index of ``lc``), ``snr``,
        ``counts``,
        ``background`` of the windows at or above threshold.
    """
    mom = _Moments.of(np.asarray(lc, dtype=np.float64))
    n_tot = lc.shape[-1]
    out: list[tuple] = []
    for n in cfg.crt_timescale_bins:
        hop = max(1, n // 2)
        lo = max(first_new + 1, n + cfg.gap_bins + cfg.background_bins)
        e0 = -(-(lo + bin0) // hop) * hop - bin0  # first end on the global hop grid
        s = np.arange(e0, n_tot + 1, hop) - n
        if s.size == 0:
            continue
        counts, bkg, snr = _window_stats(mom.c, mom.k, s.astype(np.int64), n,
                                         cfg.background_bins, cfg.gap_bins, threshold)  # fmt: skip
        band, idx = np.nonzero(snr >= threshold)
        out.append((s[idx] + bin0, np.full(idx.size, n), band, snr[band, idx],
                    counts[band, idx], bkg[band, idx]))  # fmt: skip
    keys = ("start", "n_bins", "band", "snr", "counts", "background")
    if not out:
        return {k: np.zeros(0) for k in keys}
    return {k: np.concatenate(v) for k, v in zip(keys, zip(*out, strict=True), strict=True)}


def _excesses(cand: dict[str, NDArray], group_bins: int) -> list[NDArray[np.int64]]:
    """Indices of candidates grouped into excesses (starts closer than ``group_bins``)."""
    if cand["start"].size == 0:
        return []
    order = np.argsort(cand["start"], kind="stable")
    starts = cand["start"][order]
    cuts = np.flatnonzero(np.diff(starts) > group_bins) + 1
    return np.split(order, cuts)
