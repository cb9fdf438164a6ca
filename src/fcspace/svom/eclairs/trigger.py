"""ECLAIRs burst triggers: count-rate trigger confirmed by an image (CRT) and image trigger (IMT).

The scheme follows the ECLAIRs onboard trigger ([Schanne2013], [Schanne2019], [Godet2014]),
itself a descendant of the Swift/BAT rate and image triggers ([McLean2004], [Fenimore2004],
[Barthelmy2005]):

Count-rate trigger (CRT)
    Detector light curves in the energy bands 4-20, 5-20, 8-50 and 8-120 keV are binned once
    at the finest timescale ``base_bin_s`` = 10 ms. Test windows of ``2**k`` bins,
    k = 0..11, i.e. 10 ms, 20 ms, ..., 10.24 s, 20.48 s (the 10 ms - 20.48 s range of
    [Schanne2019]) start every half window (every bin for 10 ms). The background of each
    window is a least-squares **linear** fit of the counts per bin over ``background_s``
    (40.96 s) that ends ``gap_s`` (5.12 s) before the window starts, extrapolated to the
    window centre ([Schanne2013]: fit over a preceding window, excluding the recent past so
    that the rising part of a burst does not enter its own background). The excess is
    ``SNR = (N - B) / sqrt(B + var_B)`` with ``var_B`` the Poisson variance of the fitted
    background (``var_B`` -> 0 and SNR -> (N - B)/sqrt(B) when the fit window is long compared
    with the test window). A window with SNR >= ``crt_rate_snr`` is a rate *candidate*.
    Candidates that follow each other within ``group_s`` form one excess; its best windows
    (highest rate SNR) are **imaged**: the shadowgram of the window minus the background
    shadowgram (a quadratic model of the background window's shadowgram, scaled to the fitted
    background counts B) gives a sky image whose best peak must reach ``crt_image_snr``. Only
    then is the excess a trigger ([Schanne2013]: the CRT "wakes up" the imaging; a new source
    in the image confirms it, as in the BAT rate trigger followed by an image [Fenimore2004]).

Image trigger (IMT)
    Shadowgrams accumulated over 20.48 s frames (bands 4-20 and 8-50 keV) are decoded each
    (quadratic background fit, then deconvolution, :func:`imaging.sky_image`) and the sky
    images of the last ``m`` frames, m = 1, 2, 4, ..., 64 (20.48 s to 21.8 min), are summed:
    counts add and, the decoding being linear in the shadowgram, so do variances; the SNR
    image of the sum is ``sum(counts) / sqrt(sum(variance))``. A peak with SNR >=
    ``imt_image_snr`` is a trigger ([Dagoneau2022], [Schanne2019]: images of 20.48 s and
    their sums over 2**n frames; the BAT image trigger works the same way [Fenimore2004]).
    Summing decoded images instead of shadowgrams costs one decoding per frame and band
    rather than one per frame, band and timescale; it equals imaging the summed shadowgram
    when the background fit and decoding are linear (least-squares fit, correlation decoding).

Triggers of one type within ``holdoff_s`` of the previous one are dropped (the instrument
stays in burst mode for a while after a trigger). The trigger time is the start of the best
window. Positions are converted to RA/Dec with :func:`fcspace.svom.attitude.instrument_to_radec`
when an attitude ``(ra, dec, roll)`` is given; that module's frame has the boresight along +Z
with phi from +X towards +Y, the ECLAIRs frame the boresight along +X with phi from +Y towards
+Z: the two are the same frame under the axis mapping ECLAIRs (X, Y, Z) -> attitude (Z, X, Y),
so ECLAIRs' (theta, phi) are passed unchanged (the attitude roll then gives the position angle
of the ECLAIRs +Y axis).

Sources
-------
- [Schanne2013] Schanne, S., et al. (2013). The ECLAIRs GRB trigger telescope on-board the
  future mission SVOM. Proc. 7th Huntsville GRB Symposium, arXiv:1307.1641 (count-rate
  trigger with background fit and image confirmation; image trigger on 20 s images).
- [Schanne2019] Schanne, S., et al. (2019). The SVOM ECLAIRs image trigger. Mem. SAIt 90,
  267, arXiv:1905.09089 (timescales 10 ms - 20.48 s for the CRT, sums of 20.48 s images).
- [Dagoneau2022] Dagoneau, N., Schanne, S. (2022). Onboard image trigger for ECLAIRs. A&A
  665, A40 (image trigger, sum of sky images, thresholds and false-trigger control).
- [Godet2014] Godet, O., et al. (2014). The X-/gamma-ray camera ECLAIRs for the gamma-ray
  burst mission SVOM. Proc. SPIE 9144, 914424 (energy bands of the trigger).
- [Goldwurm2003] Goldwurm, A., et al. (2003). The INTEGRAL/IBIS scientific data analysis.
  A&A 411, L223 (variance of the balanced-correlation sky image).
- [McLean2004] McLean, K. M., Fenimore, E. E., et al. (2004). Setting the triggering
  threshold on Swift. AIP Conf. Proc. 727, 667 (rate-trigger background fits, thresholds).
- [Fenimore2004] Fenimore, E. E., et al. (2004). The trigger algorithm for the Burst Alert
  Telescope on Swift. AIP Conf. Proc. 727, 662 (rate trigger followed by an image).
- [Barthelmy2005] Barthelmy, S. D., et al. (2005). The Burst Alert Telescope (BAT) on the
  Swift MIDEX mission. Space Sci. Rev. 120, 143 (rate and image triggers).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument

__all__ = [
    "Attitude",
    "Trigger",
    "TriggerConfig",
    "TriggerEngine",
    "TriggerThresholds",
    "bin_light_curves",
    "frame_shadowgrams",
    "met_to_iso",
    "rate_candidates",
    "run_triggers",
]

Band = tuple[float, float]
ShadowFn = Callable[[int, int, Band], NDArray]
"""``shadow(bin_start, bin_stop, band)``: (80, 80) counts over base bins [start, stop)."""


@dataclass(frozen=True)
class TriggerThresholds:
    """Trigger thresholds (sigma), set on 3 x 24 h of simulated background.

    ``crt_rate_snr``: light-curve excess that starts an image; ``crt_image_snr``: image
    peak that confirms it; ``imt_image_snr``: peak of a summed image. Measured with
    ``benchmarks/eclairs_false_triggers.py`` (seeds 1, 2, 3; background 4700 counts/s in
    4-120 keV): at a rate threshold of 5.0, 240-270 rate excesses a day are imaged and their
    image peaks never exceed 4.8 sigma (no CRT false trigger at 6.0); IMT peaks reach 5.5
    sigma 12-19 times a day, 6.0 sigma 0-3 times a day and never 6.5 (max 6.44), i.e. ~0.1
    false IMT a day extrapolated with a Gaussian tail. Zero false triggers of either kind in
    72 h. Thresholds close to the ECLAIRs onboard ones (image SNR ~6.5, [Dagoneau2022];
    [Schanne2019]).
    """

    crt_rate_snr: float = 5.0
    crt_image_snr: float = 6.0
    imt_image_snr: float = 6.5


@dataclass(frozen=True)
class TriggerConfig:
    """Time and energy settings of the triggers (see the module docstring)."""

    base_bin_s: float = 0.01  # finest CRT bin; timescales are 2**k of it [Schanne2019]
    crt_timescale_bins: tuple[int, ...] = tuple(2**k for k in range(12))  # 10 ms..20.48 s
    crt_bands_kev: tuple[Band, ...] = ((4.0, 20.0), (5.0, 20.0), (8.0, 50.0), (8.0, 120.0))
    background_bins: int = 4096  # 40.96 s linear background fit
    gap_bins: int = 512  # 5.12 s between the fit window and the test window
    group_s: float = 20.48  # candidates closer than this form one excess
    images_per_excess: int = 2  # best windows imaged per excess
    frame_bins: int = 2048  # IMT frame: 20.48 s
    imt_frames: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)  # 20.48 s .. 21.8 min
    imt_bands_kev: tuple[Band, ...] = ((4.0, 20.0), (8.0, 50.0))
    holdoff_s: float = 60.0  # a trigger of one type masks the next ones of that type
    chunk_bins: int = 32768  # CRT light curve processed per call (327.68 s)

    @property
    def history_bins(self) -> int:
        """Base bins of past data that the CRT needs before a test window."""
        return max(self.crt_timescale_bins) + self.gap_bins + self.background_bins

    def energy_edges(self) -> NDArray[np.float64]:
        """Sorted edges of the elementary energy bins (every CRT band is a union of them)."""
        return np.unique(np.asarray(self.crt_bands_kev, dtype=float))

    def band_slices(self) -> list[slice]:
        """Elementary-bin slice of each CRT band."""
        edges = list(self.energy_edges())
        return [slice(edges.index(lo), edges.index(hi)) for lo, hi in self.crt_bands_kev]

    def check(self) -> TriggerConfig:
        """Return self after checking the settings are consistent; InputError if not."""
        ok = self.base_bin_s > 0 and self.background_bins > 2 and self.gap_bins >= 0
        ok &= min(self.crt_timescale_bins) >= 1 and min(self.imt_frames) >= 1
        ok &= all(0 < lo < hi for lo, hi in (*self.crt_bands_kev, *self.imt_bands_kev))
        if not ok:
            raise InputError("inconsistent TriggerConfig (bins, timescales or bands)")
        return self


@dataclass(frozen=True)
class Attitude:
    """Pointing: RA, Dec of the boresight and roll (deg), convention of fcspace.svom.attitude."""

    ra: float = 0.0
    dec: float = 0.0
    roll: float = 0.0


@dataclass(frozen=True)
class Trigger:
    """One confirmed ECLAIRs trigger (time of the window start; angles in degrees)."""

    trigger_type: str  # "CRT" or "IMT"
    met: float  # MET (s) of the start of the triggering window
    time: str  # the same instant, ISO 8601 UTC
    timescale_s: float
    band_kev: Band
    snr: float  # image SNR
    rate_snr: float | None  # light-curve SNR (CRT only)
    theta_deg: float
    phi_deg: float
    err_radius_deg: float
    ra: float | None = None
    dec: float | None = None
    counts: float | None = None  # CRT: counts in the window
    background: float | None = None  # CRT: fitted background counts

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON dict (the contract of ``fcspace eclairs trigger --json``)."""
        return {
            "trigger_type": self.trigger_type,
            "time": self.time,
            "met": self.met,
            "timescale_s": self.timescale_s,
            "band_kev": [self.band_kev[0], self.band_kev[1]],
            "snr": self.snr,
            "rate_snr": self.rate_snr,
            "ra": self.ra,
            "dec": self.dec,
            "err_radius_deg": self.err_radius_deg,
            "theta_deg": self.theta_deg,
            "phi_deg": self.phi_deg,
            "counts": self.counts,
            "background": self.background,
        }


def met_to_iso(met: float, mjdref_tt: float) -> str:
    """ISO 8601 UTC time of a MET (s after the epoch ``mjdref_tt``, MJD in TT)."""
    from astropy import units as u
    from astropy.time import Time

    t = Time(mjdref_tt, format="mjd", scale="tt") + met * u.s
    return str(t.utc.isot)


# ---------------------------------------------------------------------------- binning
def _check_events(events: xr.Dataset) -> None:
    missing = [v for v in ("time", "y", "z", "energy") if v not in events]
    if missing:
        raise InputError("event list lacks required variables", variable=missing[0])
    if float(events.attrs.get("exposure", 0.0)) <= 0:
        raise InputError("event list needs attribute exposure > 0", variable="exposure")
    t = events["time"].values
    if t.size and (not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0)):
        raise InputError("event times must be finite and sorted", variable="time")


def bin_light_curves(
    time: NDArray, energy: NDArray, n_bins: int, config: TriggerConfig = TriggerConfig()
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


def frame_shadowgrams(
    events: xr.Dataset, band: Band, n_frames: int, frame_s: float, n_pixels: int = 80
) -> NDArray[np.float64]:
    """Shadowgrams (n_frames, n, n) of consecutive frames of ``frame_s`` in ``band`` (keV)."""
    e = events["energy"].values
    sel = (e >= band[0]) & (e < band[1])
    fr = (events["time"].values[sel] / frame_s).astype(np.int64)
    pix = events["y"].values[sel].astype(np.int64) * n_pixels + events["z"].values[sel]
    ok = (fr >= 0) & (fr < n_frames)
    size = n_frames * n_pixels * n_pixels
    counts = np.bincount(fr[ok] * n_pixels * n_pixels + pix[ok], minlength=size)
    return counts.reshape(n_frames, n_pixels, n_pixels).astype(np.float64)


def _event_shadow_fn(events: xr.Dataset, base_bin_s: float, n_pixels: int) -> ShadowFn:
    """Shadowgram of an event list over base bins [b0, b1) (times sorted: a slice)."""
    t = events["time"].values
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
    """Cumulative sums of counts and index-weighted counts, per band (local indices)."""

    c: NDArray  # (n_bands, n + 1)
    k: NDArray  # (n_bands, n + 1) of sum(j * c_j)

    @classmethod
    def of(cls, lc: NDArray) -> _Moments:
        j = np.arange(lc.shape[-1], dtype=np.float64)
        return cls(_cumsum0(lc), _cumsum0(lc * j))


def _linear_background(mom: _Moments, s: NDArray, n: int, cfg: TriggerConfig) -> tuple:
    """Fitted background counts B and variance of B for windows [s, s + n) (local bins).

    Least squares of counts per bin ``c_j = a + b x_j`` over the fit window of m bins ending
    ``gap`` bins before s, ``x_j`` centred: ``a = S0 / m``, ``b = S1 / Sxx`` with
    ``Sxx = m (m^2 - 1) / 12``; ``B = n (a + b d)`` with d the distance between the centres;
    ``var_B = n^2 (a / m + d^2 a / Sxx)`` (Poisson counts of mean a).
    """
    m = cfg.background_bins
    b1 = s - cfg.gap_bins
    b0 = b1 - m
    s0 = mom.c[:, b1] - mom.c[:, b0]
    s1 = (mom.k[:, b1] - mom.k[:, b0]) - (b0 + 0.5 * (m - 1)) * s0
    sxx = m * (m * m - 1) / 12.0
    a = s0 / m
    d = (s + 0.5 * (n - 1)) - (b0 + 0.5 * (m - 1))
    bkg = n * (a + (s1 / sxx) * d)
    var = n * n * np.maximum(a, 0.0) * (1.0 / m + d * d / sxx)
    return bkg, var


def rate_candidates(
    lc: NDArray, first_new: int, bin0: int, cfg: TriggerConfig, threshold: float
) -> dict[str, NDArray]:
    """Rate-excess windows of every timescale and band, vectorised.

    Parameters
    ----------
    lc
        (n_bands, n) counts per base bin of each CRT band, history included.
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
        Arrays ``start`` (global bin), ``n_bins``, ``band`` (index), ``snr``, ``counts``,
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
        counts = mom.c[:, s + n] - mom.c[:, s]
        bkg, var = _linear_background(mom, s, n, cfg)
        snr = (counts - bkg) / np.sqrt(np.maximum(bkg + var, 1.0))
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


# ---------------------------------------------------------------------------- engine
@dataclass
class _Context:
    """What imaging and the trigger records need besides the counts."""

    instrument: EclairsInstrument
    mask: NDArray | None
    pixel_status: NDArray | None
    met_start: float
    mjdref_tt: float
    attitude: Attitude | None


@dataclass
class TriggerEngine:
    """Streaming CRT + IMT: feed consecutive chunks of binned data with :meth:`process`.

    The engine keeps the light-curve history the background fit needs, the decoded sky
    images of the last 64 IMT frames and the hold-off state, so a day of data can be run in
    chunks (``benchmarks/eclairs_false_triggers.py``) with the same result as one pass.

    Parameters
    ----------
    shadow
        ``shadow(bin_start, bin_stop, band)`` -> (80, 80) counts over global base bins
        [start, stop); used to image CRT excesses.
    config, thresholds
        Settings.
    context
        Instrument, mask, pixel map, time reference and attitude.
    """

    shadow: ShadowFn
    config: TriggerConfig = field(default_factory=TriggerConfig)
    thresholds: TriggerThresholds = field(default_factory=TriggerThresholds)
    context: _Context = field(
        default_factory=lambda: _Context(ECLAIRS, None, None, 0.0, ECLAIRS.met_epoch_mjd_tt, None)
    )
    n_images: int = field(default=0, init=False)  # decodings done (for benchmarks)
    n_candidates: int = field(default=0, init=False)  # rate excesses imaged
    imaged: list[tuple[float, float, float]] = field(default_factory=list, init=False)
    """(rate SNR, image SNR, timescale s) of every imaged rate window (diagnostics)."""
    _lc: NDArray | None = field(default=None, init=False, repr=False)
    _bin0: int = field(default=0, init=False, repr=False)
    _frames: deque = field(default_factory=deque, init=False, repr=False)
    _next_frame: int = field(default=0, init=False, repr=False)
    _holdoff: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------------ public
    def process(
        self, counts: NDArray, frames: Mapping[Band, NDArray] | None = None
    ) -> list[Trigger]:
        """Run both triggers on the next chunk; return the new confirmed triggers.

        Parameters
        ----------
        counts
            (n_new, n_energy) counts per base bin and elementary energy bin (see
            :func:`bin_light_curves`), continuing the previous chunk.
        frames
            For each IMT band, (k, 80, 80) shadowgrams of the next k complete IMT frames.
        """
        out = self._crt(np.asarray(counts))
        if frames:
            out += self._imt(frames)
        return sorted(out, key=lambda t: t.met)

    # ------------------------------------------------------------------ CRT
    def _append(self, counts: NDArray) -> int:
        """Append the new chunk (as band light curves) to the history; local first-new index."""
        cfg = self.config
        lc = np.stack([counts[:, s].sum(axis=1) for s in cfg.band_slices()])
        if self._lc is None:
            self._lc = lc
            return 0
        keep = min(self._lc.shape[1], cfg.history_bins)
        self._bin0 += self._lc.shape[1] - keep
        self._lc = np.concatenate([self._lc[:, self._lc.shape[1] - keep :], lc], axis=1)
        return keep

    def _crt(self, counts: NDArray) -> list[Trigger]:
        first_new = self._append(counts)
        assert self._lc is not None
        cand = rate_candidates(
            self._lc, first_new, self._bin0, self.config, self.thresholds.crt_rate_snr
        )
        group = int(round(self.config.group_s / self.config.base_bin_s))
        out = []
        for idx in _excesses(cand, group):
            trig = self._confirm_excess(cand, idx)
            if trig is not None and self._accept(trig):
                out.append(trig)
        return out

    def _confirm_excess(self, cand: dict[str, NDArray], idx: NDArray) -> Trigger | None:
        """Image the best windows of one excess; the first confirmed gives the trigger."""
        best = idx[np.argsort(-cand["snr"][idx], kind="stable")]
        tried: set[int] = set()
        for i in best:
            n = int(cand["n_bins"][i])
            if n in tried:
                continue
            tried.add(n)
            trig = self._image_window({k: v[i] for k, v in cand.items()})
            if trig is not None or len(tried) >= self.config.images_per_excess:
                return trig
        return None

    def _image_window(self, c: Mapping[str, Any]) -> Trigger | None:
        """Sky image of one rate window minus the scaled background model; trigger or None."""
        cfg = self.config
        s, n = int(c["start"]), int(c["n_bins"])
        band = cfg.crt_bands_kev[int(c["band"])]
        b1 = s - cfg.gap_bins
        bshadow = np.asarray(self.shadow(b1 - cfg.background_bins, b1, band), dtype=float)
        model = self._background(bshadow)
        total = float(model.sum())
        scale = float(c["background"]) / total if total > 0 else 0.0
        shadow = np.asarray(self.shadow(s, s + n, band), dtype=float)
        self.n_candidates += 1
        sky, loc = self._decode(shadow, model * scale, n * cfg.base_bin_s, band)
        self.imaged.append((float(c["snr"]), float(loc.snr), n * cfg.base_bin_s))
        if not loc.snr >= self.thresholds.crt_image_snr:
            return None
        extra = {"rate_snr": float(c["snr"]), "counts": float(c["counts"]),
                 "background": float(c["background"])}  # fmt: skip
        return self._make("CRT", s * cfg.base_bin_s, n * cfg.base_bin_s, band, loc, extra)

    # ------------------------------------------------------------------ IMT
    def _decode(self, shadow: NDArray, background: NDArray, exposure: float, band: Band):
        """Sky image of ``shadow - background`` and its best source.

        The decoder's variance is computed from the observed counts; with a few tens of
        counts (10 ms windows) that underestimates it where few counts happened to fall, so
        the variance used is the larger of it and the variance the background model alone
        would give (Poisson variance of the expected counts, [Goldwurm2003] Eq. 4).
        """
        from fcspace.svom.eclairs.imaging import sky_image
        from fcspace.svom.eclairs.localize import localize

        ctx = self.context
        kw = {"mask": ctx.mask, "instrument": ctx.instrument, "pixel_status": ctx.pixel_status,
              "exposure_s": exposure, "band_kev": band}  # fmt: skip
        sky = sky_image(shadow, background=background, **kw)
        floor = sky_image(np.clip(background, 0.0, None), **kw).variance
        self.n_images += 2
        sky = _summed(sky, sky.counts, np.fmax(sky.variance, floor))
        return sky, localize(sky)

    def _background(self, shadow: NDArray) -> NDArray:
        """Quadratic background model of a shadowgram, dead and noisy pixels excluded.

        The same weighted least-squares fit as :func:`imaging.fit_background`, with the
        pseudo-inverse of the weighted design matrix computed once per pixel map (the fit
        of every frame is then one small matrix product instead of an SVD).
        """
        return _quadratic_fitter(self.context.pixel_status, self.context.instrument.n_pixels)(
            np.asarray(shadow, dtype=np.float64)
        )

    def _frame_image(self, shadow: NDArray, band: Band) -> Any:
        from fcspace.svom.eclairs.imaging import sky_image

        ctx = self.context
        self.n_images += 1
        return sky_image(shadow, background=self._background(shadow), mask=ctx.mask,
                         instrument=ctx.instrument, pixel_status=ctx.pixel_status,
                         exposure_s=self.config.frame_bins * self.config.base_bin_s,
                         band_kev=band)  # fmt: skip

    def _imt(self, frames: Mapping[Band, NDArray]) -> list[Trigger]:
        bands = self.config.imt_bands_kev
        n_new = min(np.asarray(frames[b]).shape[0] for b in bands)
        out = []
        for j in range(n_new):
            self._frames.append([self._frame_image(np.asarray(frames[b][j], float), b)
                                 for b in bands])  # fmt: skip
            while len(self._frames) > max(self.config.imt_frames):
                self._frames.popleft()
            self._next_frame += 1
            trig = self._imt_test()
            if trig is not None and self._accept(trig):
                out.append(trig)
        return out

    def _imt_test(self) -> Trigger | None:
        """Best source over the summed images of the frames just completed.

        The SNR peak of each summed image is a ``nanmax``; only the best one above the
        threshold is localised (PSF fit), which keeps the IMT cheap.
        """
        from fcspace.svom.eclairs.localize import localize

        cfg, best = self.config, None
        for ib, band in enumerate(cfg.imt_bands_kev):
            for peak, m, sky in self._summed_images(ib):
                if peak >= self.thresholds.imt_image_snr and (best is None or peak > best[0]):
                    best = (peak, m, band, sky)
        if best is None:
            return None
        _, m, band, sky = best
        start = (self._next_frame - m) * cfg.frame_bins * cfg.base_bin_s
        dur = m * cfg.frame_bins * cfg.base_bin_s
        return self._make("IMT", start, dur, band, localize(sky), {})

    def _summed_images(self, ib: int) -> list[tuple[float, int, Any]]:
        """(SNR peak, m, image) of the sum of the last m frames' images, each m available."""
        last = self._frames[-1][ib]
        counts = np.zeros_like(last.counts, dtype=np.float64)
        var = np.zeros_like(counts)
        done, out = 0, []
        for m in sorted(m for m in self.config.imt_frames if m <= len(self._frames)):
            for k in range(done, m):
                counts += self._frames[-1 - k][ib].counts
                var += self._frames[-1 - k][ib].variance
            done = m
            sky = _summed(last, counts, var)
            out.append((float(np.nanmax(sky.snr)), m, sky))
        return out

    # ------------------------------------------------------------------ records
    def _accept(self, trig: Trigger) -> bool:
        """Hold-off: drop a trigger of a type within holdoff_s of the previous one."""
        last = self._holdoff.get(trig.trigger_type)
        if last is not None and trig.met - last < self.config.holdoff_s:
            return False
        self._holdoff[trig.trigger_type] = trig.met
        return True

    def _make(
        self, kind: str, t_rel: float, dur: float, band: Band, loc: Any, extra: dict
    ) -> Trigger:
        ctx = self.context
        met = ctx.met_start + t_rel
        ra = dec = None
        if ctx.attitude is not None:
            from fcspace.svom.attitude import instrument_to_radec

            a = ctx.attitude
            r, d = instrument_to_radec(loc.theta_deg, loc.phi_deg, a.ra, a.dec, a.roll)
            ra, dec = float(r), float(d)
        return Trigger(
            trigger_type=kind, met=float(met), time=met_to_iso(met, ctx.mjdref_tt),
            timescale_s=float(dur), band_kev=(float(band[0]), float(band[1])),
            snr=float(loc.snr), theta_deg=float(loc.theta_deg), phi_deg=float(loc.phi_deg),
            err_radius_deg=float(loc.err_radius_deg), ra=ra, dec=dec,
            rate_snr=extra.get("rate_snr"), counts=extra.get("counts"),
            background=extra.get("background"),
        )  # fmt: skip


_FITTERS: dict[bytes, Callable[[NDArray], NDArray]] = {}


def _quadratic_fitter(pixel_status: NDArray | None, n: int) -> Callable[[NDArray], NDArray]:
    """Cached weighted least-squares quadratic surface fit for one pixel map."""
    from fcspace.svom.eclairs.imaging import _quadratic_basis, pixel_weights

    w = pixel_weights(pixel_status, n)
    key = w.tobytes()
    if key not in _FITTERS:
        x = _quadratic_basis(n)
        sw = np.sqrt(w.reshape(-1))
        pinv = np.linalg.pinv(x * sw[:, None]) * sw[None, :]  # coef = pinv @ d

        def fit(d: NDArray) -> NDArray:
            return (x @ (pinv @ d.reshape(-1))).reshape(n, n)

        if len(_FITTERS) >= 8:
            _FITTERS.clear()
        _FITTERS[key] = fit
    return _FITTERS[key]


def _summed(template: Any, counts: NDArray, var: NDArray) -> Any:
    """A SkyImage like ``template`` with summed counts and variance, and their SNR."""
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = np.where(var > 0, counts / np.sqrt(var), np.nan)
    return replace(template, counts=counts.copy(), variance=var.copy(), snr=snr)


# ---------------------------------------------------------------------------- entry point
def run_triggers(
    events: xr.Dataset,
    attitude: Attitude | tuple[float, float, float] | None = None,
    thresholds: TriggerThresholds = TriggerThresholds(),
    config: TriggerConfig = TriggerConfig(),
    *,
    mask: NDArray[np.bool_] | None = None,
    instrument: EclairsInstrument = ECLAIRS,
    progress: Callable[[float], None] | None = None,
) -> list[Trigger]:
    """Run the CRT (image-confirmed) and the IMT over an ECLAIRs event list.

    Parameters
    ----------
    events
        Event list in the layout of ``docs/eclairs_layout.md`` (times sorted, relative to
        ``attrs["met_start"]``; ``pixel_status`` used when present).
    attitude
        Pointing ``(ra, dec, roll)`` in degrees (see :class:`Attitude`); without it the
        triggers carry theta/phi and ``ra = dec = None``.
    thresholds, config
        Trigger thresholds and settings.
    mask, instrument
        Mask pattern (default ``make_mask()``) and instrument constants for imaging.
    progress
        Called with the fraction of the data done after each chunk.

    Returns
    -------
    list of Trigger
        Confirmed triggers sorted by time (the first ``history`` of the CRT, 66.56 s, only
        serves as background; IMT needs whole 20.48 s frames).

    Raises
    ------
    InputError
        Missing variables, no exposure, unsorted or non-finite times, bad settings.
    """
    _check_events(events)
    config.check()
    att = Attitude(*attitude) if isinstance(attitude, tuple) else attitude
    status = events["pixel_status"].values if "pixel_status" in events else None
    mjdref = float(events.attrs.get("mjdref_tt", instrument.met_epoch_mjd_tt))
    ctx = _Context(instrument, mask, status, float(events.attrs.get("met_start", 0.0)), mjdref, att)
    exposure = float(events.attrs["exposure"])
    n_bins = int(math.floor(exposure / config.base_bin_s + 1e-9))
    n_frames = n_bins // config.frame_bins
    counts = bin_light_curves(events["time"].values, events["energy"].values, n_bins, config)
    frames = {b: frame_shadowgrams(events, b, n_frames, config.frame_bins * config.base_bin_s,
                                   instrument.n_pixels) for b in config.imt_bands_kev}  # fmt: skip
    shadow = _event_shadow_fn(events, config.base_bin_s, instrument.n_pixels)
    engine = TriggerEngine(shadow, config, thresholds, ctx)
    out: list[Trigger] = []
    step = config.chunk_bins - config.chunk_bins % config.frame_bins
    for b0 in range(0, n_bins, step):
        b1 = min(b0 + step, n_bins)
        f0, f1 = b0 // config.frame_bins, min(b1 // config.frame_bins, n_frames)
        out += engine.process(counts[b0:b1], {b: v[f0:f1] for b, v in frames.items()})
        if progress is not None:
            progress(b1 / n_bins)
    return sorted(out, key=lambda t: t.met)


def trigger_alert(trigger: Trigger, attitude: Attitude, index: int = 1) -> Any:
    """The SVOM alert (:func:`fcspace.svom.alerts.make_alert`) of one ECLAIRs trigger.

    The burst identifier follows the mission's ``sbYYMMDDNN`` pattern, ``NN`` = ``index``.
    """
    from fcspace.svom.alerts import make_alert

    t = trigger
    burst_id = "sb" + t.time[2:4] + t.time[5:7] + t.time[8:10] + f"{index:02d}"
    return make_alert(t.ra, t.dec, t.time, t.snr, "ECLAIRs", timescale_s=t.timescale_s,
                      band_kev=t.band_kev, trigger_type=t.trigger_type,
                      err_radius_deg=t.err_radius_deg, burst_id=burst_id,
                      attitude_ra=attitude.ra, attitude_dec=attitude.dec,
                      attitude_roll=attitude.roll)  # fmt: skip
