"""ECLAIRs streaming trigger engine: CRT excesses confirmed by an image, and the IMT.

:class:`TriggerEngine` keeps the light-curve history, the decoded IMT frames and the hold-off
state so that data can be fed in chunks; the scheme and its sources are in
:mod:`fcspace.svom.eclairs.trigger`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.rates import _excesses, rate_candidates
from fcspace.svom.eclairs.trigger_config import (
    Band,
    ShadowFn,
    Trigger,
    TriggerConfig,
    TriggerThresholds,
)
from fcspace.svom.eclairs.zones import zone_light_curves, zone_masks
from fcspace.svom.frames import Attitude
from fcspace.svom.time import met_to_iso

__all__ = ["TriggerContext", "TriggerEngine"]


# ---------------------------------------------------------------------------- engine
@dataclass
class TriggerContext:
    """What imaging and the trigger records need besides the counts."""

    instrument: EclairsInstrument
    mask: NDArray | None
    pixel_status: NDArray | None
    met_start: float
    mjdref_tt: float
    attitude: Attitude | None
    sky_template: Callable[[float, Band], NDArray] | None = None
    """``sky_template(t, band)``: expected (n, n) background pattern at t (s from the list
    start) in ``band``, e.g. the Earth-occulted sky of :mod:`earth_background`; when given,
    background fits use the quadratic surface plus this template (the Earth term of a
    background model, as the ECLAIRs ground pipeline plans, module ``BUBE``)."""


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
    context: TriggerContext = field(
        default_factory=lambda: TriggerContext(
            ECLAIRS, None, None, 0.0, ECLAIRS.met_epoch_mjd_tt, None
        )
    )
    n_images: int = field(default=0, init=False)  # decodings done (for benchmarks)
    n_candidates: int = field(default=0, init=False)  # rate excesses imaged
    imaged: list[tuple[float, float, float]] = field(default_factory=list, init=False)
    """(rate SNR, image SNR, timescale s) of every imaged rate window (diagnostics)."""
    _lc: NDArray | None = field(default=None, init=False, repr=False)
    _bin0: int = field(default=0, init=False, repr=False)
    _frames: deque = field(default_factory=deque, init=False, repr=False)
    _frame_shadows: deque = field(default_factory=deque, init=False, repr=False)
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
            (n_new, 4, n_energy) counts per base bin, detector quadrant and elementary energy
            bin (:func:`rates.bin_quadrant_light_curves`), continuing the previous chunk; a
            (n_new, n_energy) array (:func:`rates.bin_light_curves`) is accepted when the only
            CRT zone is ``"whole"``.
        frames
            For each IMT band, (k, 80, 80) shadowgrams of the next k complete IMT frames.
        """
        out = self._crt(np.asarray(counts))
        if frames:
            out += self._imt(frames)
        return sorted(out, key=lambda t: t.met)

    # ------------------------------------------------------------------ CRT
    def _append(self, counts: NDArray) -> int:
        """Append the new chunk (zone x band light curves) to the history; first-new index."""
        cfg = self.config
        if counts.ndim == 2:
            if tuple(cfg.crt_zones) != ("whole",):
                raise InputError("zoned CRT needs (n, 4, n_energy) quadrant counts, got "
                                 f"{counts.shape}", variable="counts")  # fmt: skip
            counts = counts[:, None, :] * np.eye(4, 1, dtype=counts.dtype)[None]
        lc = zone_light_curves(counts, cfg.crt_zones, cfg.band_slices())
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
        iz, ib = divmod(int(c["band"]), len(cfg.crt_bands_kev))
        band, zone = cfg.crt_bands_kev[ib], cfg.crt_zones[iz]
        b1 = s - cfg.gap_bins
        bshadow = np.asarray(self.shadow(b1 - cfg.background_bins, b1, band), dtype=float)
        model = self._background(bshadow, (b1 - 0.5 * cfg.background_bins) * cfg.base_bin_s, band)
        # the zone's fitted background B scales the model over that zone ([Schanne2013])
        total = float(model[zone_masks((zone,), model.shape[0])[0]].sum())
        scale = float(c["background"]) / total if total > 0 else 0.0
        shadow = np.asarray(self.shadow(s, s + n, band), dtype=float)
        self.n_candidates += 1
        sky, loc = self._decode(shadow, model * scale, n * cfg.base_bin_s, band)
        self.imaged.append((float(c["snr"]), float(loc.snr), n * cfg.base_bin_s))
        if not loc.snr >= self.thresholds.crt_image_snr:
            return None
        loc = self._refine(sky, shadow)
        extra = {"rate_snr": float(c["snr"]), "counts": float(c["counts"]),
                 "background": float(c["background"]), "zone": zone}  # fmt: skip
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

    def _refine(self, sky: Any, shadow: NDArray) -> Any:
        """Detector-plane likelihood localisation of a confirmed image (issue 12; ~15 ms)."""
        from fcspace.svom.eclairs.localize import localize

        ctx = self.context
        return localize(sky, ctx.instrument, shadow=shadow, pixel_status=ctx.pixel_status,
                        mask=ctx.mask)  # fmt: skip

    def _background(self, shadow: NDArray, t_s: float = 0.0, band: Band | None = None) -> NDArray:
        """Quadratic background model of a shadowgram, dead and noisy pixels excluded.

        The same weighted least-squares fit as :func:`imaging.fit_background`, with the
        pseudo-inverse of the weighted design matrix computed once per pixel map (the fit
        of every frame is then one small matrix product instead of an SVD). With a
        ``context.sky_template``, the template at ``t_s`` is one more column of the fit.
        """
        ctx = self.context
        d = np.asarray(shadow, dtype=np.float64)
        if ctx.sky_template is None or band is None:
            return _quadratic_fitter(ctx.pixel_status, ctx.instrument.n_pixels)(d)
        return _template_fit(d, np.asarray(ctx.sky_template(t_s, band), dtype=np.float64),
                             ctx.pixel_status)  # fmt: skip

    def _frame_image(self, shadow: NDArray, band: Band) -> Any:
        from fcspace.svom.eclairs.imaging import sky_image

        ctx = self.context
        self.n_images += 1
        frame_s = self.config.frame_bins * self.config.base_bin_s
        bkg = self._background(shadow, (self._next_frame + 0.5) * frame_s, band)
        kw = {"mask": ctx.mask, "instrument": ctx.instrument, "pixel_status": ctx.pixel_status,
              "exposure_s": frame_s, "band_kev": band}  # fmt: skip
        sky = sky_image(shadow, background=bkg, **kw)
        # variance floor of the background model, as for the CRT images (:meth:`_decode`):
        # with the Earth in the field a frame holds < 1 count per pixel and the variance from
        # the observed counts underestimates it at the corners of the field
        floor = sky_image(np.clip(bkg, 0.0, None), **kw).variance
        self.n_images += 1
        return _summed(sky, sky.counts, np.fmax(sky.variance, floor))

    def _imt(self, frames: Mapping[Band, NDArray]) -> list[Trigger]:
        bands = self.config.imt_bands_kev
        n_new = min(np.asarray(frames[b]).shape[0] for b in bands)
        out = []
        for j in range(n_new):
            shadows = [np.asarray(frames[b][j], float) for b in bands]
            images = [self._frame_image(d, b) for d, b in zip(shadows, bands, strict=True)]
            self._frames.append(images)
            self._frame_shadows.append(shadows)  # kept for the detector-plane refinement
            while len(self._frames) > max(self.config.imt_frames):
                self._frames.popleft()
                self._frame_shadows.popleft()
            self._next_frame += 1
            trig = self._imt_test()
            if trig is not None and self._accept(trig):
                out.append(trig)
        return out

    def _imt_test(self) -> Trigger | None:
        """Best source over the summed images of the frames just completed.

        The SNR peak of each summed image is a ``nanmax``; only the best one above the
        threshold is localised: the sky-peak fit first, then the detector-plane likelihood
        fit of the summed shadowgram of the same frames (as for the CRT, :meth:`_refine`).
        """
        cfg, best = self.config, None
        for ib in range(len(cfg.imt_bands_kev)):
            for peak, m, sky in self._summed_images(ib):
                if peak >= self.thresholds.imt_image_snr and (best is None or peak > best[0]):
                    best = (peak, m, ib, sky)
        if best is None:
            return None
        _, m, ib, sky = best
        start = (self._next_frame - m) * cfg.frame_bins * cfg.base_bin_s
        dur = m * cfg.frame_bins * cfg.base_bin_s
        shadow = np.sum([self._frame_shadows[-1 - k][ib] for k in range(m)], axis=0)
        return self._make("IMT", start, dur, cfg.imt_bands_kev[ib], self._refine(sky, shadow), {})

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
            from fcspace.svom.frames import instrument_to_radec

            a = ctx.attitude
            r, d = instrument_to_radec(loc.theta_deg, loc.phi_deg, a.ra, a.dec, a.roll)
            ra, dec = float(r), float(d)
        return Trigger(
            trigger_type=kind, met=float(met), time=met_to_iso(met, ctx.mjdref_tt),
            timescale_s=float(dur), band_kev=(float(band[0]), float(band[1])),
            snr=float(loc.snr), theta_deg=float(loc.theta_deg), phi_deg=float(loc.phi_deg),
            err_radius_deg=float(loc.err_radius_deg), ra=ra, dec=dec,
            sigma_crb_deg=getattr(loc, "sigma_crb_deg", None),
            rate_snr=extra.get("rate_snr"), counts=extra.get("counts"),
            background=extra.get("background"), zone=extra.get("zone"),
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


def _template_fit(d: NDArray, template: NDArray, pixel_status: NDArray | None) -> NDArray:
    """Weighted least squares of ``d`` on the quadratic surface plus ``template``."""
    from fcspace.svom.eclairs.imaging import _quadratic_basis, pixel_weights

    n = d.shape[0]
    sw = np.sqrt(pixel_weights(pixel_status, n).reshape(-1))
    x = np.column_stack([_quadratic_basis(n), template.reshape(-1)])
    coef, *_ = np.linalg.lstsq(x * sw[:, None], d.reshape(-1) * sw, rcond=None)
    return (x @ coef).reshape(n, n)


def _summed(template: Any, counts: NDArray, var: NDArray) -> Any:
    """A SkyImage like ``template`` with summed counts and variance, and their SNR."""
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = np.where(var > 0, counts / np.sqrt(var), np.nan)
    return replace(template, counts=counts.copy(), variance=var.copy(), snr=snr)
