"""ECLAIRs burst triggers: count-rate trigger confirmed by an image (CRT) and image trigger (IMT).

The scheme follows the ECLAIRs onboard trigger ([Schanne2013], [Schanne2019], [Godet2014]),
itself a descendant of the Swift/BAT rate and image triggers ([McLean2004], [Fenimore2004],
[Barthelmy2005]):

Count-rate trigger (CRT)
    Detector light curves in the energy bands 4-20, 5-20, 8-50 and 8-120 keV are binned once
    at the finest timescale ``base_bin_s`` = 10 ms. Test windows of ``2**k`` bins,
    k = 0..11, i.e. 10 ms, 20 ms, ..., 10.24 s, 20.48 s (the 10 ms - 20.48 s range of
    [Schanne2019]) start every half window (every bin for 10 ms). Each band is tested in nine
    detector zones (``crt_zones``: the whole plane, its four halves and four quadrants,
    :mod:`fcspace.svom.eclairs.zones`), each with its own background fit: a burst in the
    partially coded field lights only part of the plane. The background of each
    window is a least-squares **linear** fit of the counts per bin over ``background_s``
    (40.96 s) that ends ``gap_s`` (5.12 s) before the window starts, extrapolated to the
    window centre ([Schanne2013]: fit over a preceding window, excluding the recent past so
    that the rising part of a burst does not enter its own background). The excess is the
    signed Poisson likelihood-ratio significance of N counts over B ([Cash1979]; [LiMa1983]
    Eq. 17, known background), times ``sqrt(B / (B + var_B))`` with ``var_B`` the Poisson
    variance of the fitted background: for many counts it is ``(N - B) / sqrt(B + var_B)``,
    and it stays Gaussian for the ~10 counts of a 10 ms window in one quadrant
    (:func:`rates._significance`). A window with SNR >= ``crt_rate_snr`` is a rate *candidate*.
    Candidates that follow each other within ``group_s`` form one excess; its best windows
    (highest rate SNR) are **imaged**: the shadowgram of the window minus the background
    shadowgram (a quadratic model of the background window's shadowgram, scaled to the fitted
    background counts B of the excess's zone over that zone) gives a sky image of the whole
    plane whose best peak must reach ``crt_image_snr``. Only
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
window. Positions are converted to RA/Dec with :func:`fcspace.svom.frames.instrument_to_radec`
when an attitude ``(ra, dec, roll)`` is given; the spacecraft frame has the boresight along +Z
with phi from +X towards +Y, the ECLAIRs frame the boresight along +X with phi from +Y towards
+Z: the two are the same frame under the axis mapping ECLAIRs (X, Y, Z) -> spacecraft (Z, X, Y),
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
- [Cash1979] Cash, W. (1979). Parameter estimation in astronomy through application of the
  likelihood ratio. ApJ 228, 939.
- [LiMa1983] Li, T.-P., Ma, Y.-Q. (1983). Analysis methods for results in gamma-ray
  astronomy. ApJ 272, 317.
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
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from fcspace.svom.eclairs.engine import TriggerContext, TriggerEngine
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.rates import (
    _event_shadow_fn,
    band_frame_shadowgrams,
    bin_quadrant_light_curves,
)
from fcspace.svom.eclairs.trigger_config import (
    DEFAULT_CONFIG,
    DEFAULT_THRESHOLDS,
    Trigger,
    TriggerConfig,
    TriggerThresholds,
)
from fcspace.svom.events import check_events, relative_times
from fcspace.svom.frames import Attitude

__all__ = ["run_triggers", "trigger_alert"]


# ---------------------------------------------------------------------------- entry point
def run_triggers(
    events: xr.Dataset,
    attitude: Attitude | tuple[float, float, float] | None = None,
    thresholds: TriggerThresholds = DEFAULT_THRESHOLDS,
    config: TriggerConfig = DEFAULT_CONFIG,
    *,
    mask: NDArray[np.bool_] | None = None,
    instrument: EclairsInstrument = ECLAIRS,
    progress: Callable[[float], None] | None = None,
) -> list[Trigger]:
    """Run the CRT (image-confirmed) and the IMT over an ECLAIRs event list.

    Parameters
    ----------
    events
        Event list in the layout of ``docs/eclairs_layout.md`` (MET times sorted, binned from
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
    check_events(events, timed=True)
    config.check()
    att = Attitude(*attitude) if isinstance(attitude, tuple) else attitude
    status = events["pixel_status"].values if "pixel_status" in events else None
    mjdref = float(events.attrs.get("mjdref_tt", instrument.met_epoch_mjd_tt))
    met0 = float(events.attrs.get("met_start", 0.0))
    ctx = TriggerContext(instrument, mask, status, met0, mjdref, att)
    exposure = float(events.attrs["exposure"])
    n_bins = int(math.floor(exposure / config.base_bin_s + 1e-9))
    n_frames = n_bins // config.frame_bins
    counts = bin_quadrant_light_curves(
        relative_times(events), events["energy"].values, events["y"].values,
        events["z"].values, n_bins, config, instrument.n_pixels,
    )  # fmt: skip
    frames = band_frame_shadowgrams(events, config.imt_bands_kev, n_frames,
                                    config.frame_bins * config.base_bin_s, instrument.n_pixels)
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
