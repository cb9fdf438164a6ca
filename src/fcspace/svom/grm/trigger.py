"""Rate trigger of gamma-ray burst monitors (GRM: >= 2 of 3 GRDs; one GBM detector: 1 of 1).

The scheme is the Fermi GBM on-board rate trigger [Meegan2009]: counts in several energy
bands are accumulated over timescales from 16 ms to 4.096 s (windows of timescale T start
every T/2, every 16 ms for the shortest), compared with a background estimated from the
mean rate over a window (~16 s) that ends a gap (~4 s) before the accumulation window, and a
trigger needs the excess to pass the threshold (4.5 sigma) in ``min_detectors`` detectors
in the same band, timescale and window.

The excess is expressed as the Gaussian-equivalent significance of the Poisson tail
probability P(N >= n | b) (the background mean is known to ~1 % from the long window), which
is exact at the low counts of 16 ms windows where (n - b)/sqrt(b) overstates significance
[Gehrels1986]. Binning is one ``np.bincount`` per band over all detectors; all windows of all
timescales come from one cumulative sum (vectorised, no Python loop over windows).

Sources
-------
- [Meegan2009] Meegan, C., Lichti, G., Bhat, P. N., et al. (2009). The Fermi Gamma-ray Burst
  Monitor. ApJ 702, 791, section 6 (trigger algorithms).
- [Gehrels1986] Gehrels, N. (1986). Confidence limits for small numbers of events in
  astrophysical data. ApJ 303, 336 (Poisson versus Gaussian tails).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from fcspace.core.errors import InputError
from fcspace.svom.grm.instrument import GRM
from fcspace.svom.grm.io import EventArrays
from fcspace.svom.time import met_to_iso

if TYPE_CHECKING:  # run_trigger takes a Dataset too, but never imports xarray itself
    import xarray as xr

__all__ = [
    "GBM_CONFIG",
    "GRM_CONFIG",
    "TriggerConfig",
    "poisson_sigma",
    "run_trigger",
    "window_significance",
]


@dataclass(frozen=True)
class TriggerConfig:
    """Settings of the rate trigger (defaults: the GRM, see ``instrument.GrmInstrument``).

    ``background_s`` and ``gap_s``: the background is the mean rate over ``background_s``
    ending ``gap_s`` before each window (GBM: ~17 s ending ~4 s before [Meegan2009]).
    ``holdoff_s``: after a trigger, later crossings within this time belong to the same
    trigger (GBM stays triggered while it records the burst, ~300 s [Meegan2009]).
    """

    timescales_s: tuple[float, ...] = GRM.trigger_timescales_s
    bands_kev: tuple[tuple[float, float], ...] = GRM.trigger_bands_kev
    threshold_sigma: float = GRM.trigger_threshold_sigma
    min_detectors: int = GRM.trigger_min_detectors
    base_bin_s: float = 0.016  # shortest timescale [Meegan2009]
    background_s: float = 16.384  # ~17 s [Meegan2009], a whole number of 16 ms bins
    gap_s: float = 4.096  # ~4 s [Meegan2009]
    holdoff_s: float = 300.0  # [Meegan2009] post-trigger TTE accumulation

    def checked(self, n_detectors: int) -> TriggerConfig:
        """Return self after checking it against an event list of ``n_detectors``."""
        if not 1 <= self.min_detectors <= n_detectors:
            raise InputError(
                f"min_detectors={self.min_detectors} impossible with {n_detectors} detector(s)"
            )
        if min(self.timescales_s) < self.base_bin_s or self.background_s <= 0:
            raise InputError("timescales must be >= base_bin_s and background_s > 0")
        return self


GRM_CONFIG = TriggerConfig()
# One Fermi GBM NaI detector: GBM's own bands (50-300 keV main, 25-50 keV soft, >100 keV and
# >300 keV for hard/short events [Meegan2009]; the NaI range ends near 1 MeV) and 1 of 1.
GBM_CONFIG = replace(
    GRM_CONFIG,
    bands_kev=((50.0, 300.0), (25.0, 50.0), (100.0, 1000.0), (300.0, 1000.0)),
    min_detectors=1,
)


@dataclass(frozen=True)
class _Binned:
    """Cumulative counts per (detector, band, bin edge) and cumulative bad bins."""

    t_ref: float
    cum: NDArray[np.float64]  # (n_det, n_band, n_bins + 1)
    bad: NDArray[np.int64]  # (n_bins + 1,)


def _arrays(events: xr.Dataset | EventArrays) -> EventArrays:
    """The arrays of an event list (a Dataset is viewed, not copied)."""
    return events if isinstance(events, EventArrays) else EventArrays.from_dataset(events)


def _bin_events(events: xr.Dataset | EventArrays, cfg: TriggerConfig) -> _Binned:
    """Count events per base bin, detector and band; flag bins not fully inside a GTI."""
    events = _arrays(events)
    t = np.asarray(events.time, float)
    gti = np.asarray(events.gti, float).reshape(-1, 2)
    if t.size == 0 or gti.size == 0:
        raise InputError("event list has no events or no good time interval", variable="time")
    t_ref = float(min(gti[:, 0].min(), t.min()))
    n_bins = int(np.ceil((max(gti[:, 1].max(), t.max()) - t_ref) / cfg.base_bin_s))
    idx = np.clip(((t - t_ref) / cfg.base_bin_s).astype(np.int64), 0, n_bins - 1)
    n_det = len(events.detector_names)
    flat = idx + n_bins * np.asarray(events.detector, np.int64)
    energy = np.asarray(events.energy, float)
    counts = np.empty((n_det, len(cfg.bands_kev), n_bins))
    for k, (lo, hi) in enumerate(cfg.bands_kev):
        sel = (energy >= lo) & (energy < hi)
        counts[:, k] = np.bincount(flat[sel], minlength=n_det * n_bins).reshape(n_det, n_bins)
    return _Binned(t_ref, _cumsum0(counts), _cumsum0(_bad_bins(gti, t_ref, n_bins, cfg)))


def _cumsum0(a: NDArray) -> NDArray:
    """Cumulative sum along the last axis with a leading zero (window sums by differences)."""
    out = np.zeros(a.shape[:-1] + (a.shape[-1] + 1,), dtype=np.result_type(a, np.int64))
    np.cumsum(a, axis=-1, out=out[..., 1:])
    return out


def _bad_bins(gti: NDArray, t_ref: float, n_bins: int, cfg: TriggerConfig) -> NDArray[np.int64]:
    """1 for base bins not entirely inside one good time interval."""
    start = t_ref + cfg.base_bin_s * np.arange(n_bins)
    stop = start + cfg.base_bin_s
    good = np.zeros(n_bins, bool)
    for lo, hi in gti:
        good |= (start >= lo - 1e-9) & (stop <= hi + 1e-9)
    return (~good).astype(np.int64)


def poisson_sigma(counts: NDArray, mean: NDArray) -> NDArray[np.float64]:
    """Gaussian-equivalent significance of P(N >= counts | mean) ([Gehrels1986]).

    Computed exactly only where the Gaussian estimate exceeds 2.5 (elsewhere the Gaussian
    estimate is kept: it only decides which windows are far from any threshold).
    """
    gauss = (counts - mean) / np.sqrt(np.where(mean > 0, mean, np.inf))
    out = gauss.astype(float)
    hot = gauss > 2.5
    if np.any(hot):
        tail = special.pdtrc(counts[hot] - 1.0, mean[hot])  # P(N >= n)
        z = -special.ndtri(tail)  # = scipy.stats.norm.isf(tail), without importing stats
        out[hot] = np.where(np.isfinite(z), z, gauss[hot])
    return out


def window_significance(
    binned: _Binned, n: int, cfg: TriggerConfig
) -> tuple[NDArray[np.int64], NDArray, NDArray, NDArray]:
    """Windows of ``n`` base bins: start indices, counts, background and significance.

    Windows start every ``n // 2`` bins [Meegan2009]; the background of a window is the
    mean rate over ``background_s`` ending ``gap_s`` before it, scaled to ``n`` bins.
    Windows whose accumulation or background interval leaves the GTIs are dropped.
    """
    n_bkg = int(round(cfg.background_s / cfg.base_bin_s))
    n_gap = int(round(cfg.gap_s / cfg.base_bin_s))
    n_bins = binned.bad.size - 1
    start = np.arange(n_bkg + n_gap, n_bins - n + 1, max(n // 2, 1))
    first = start - n_gap - n_bkg
    start = start[binned.bad[start + n] - binned.bad[first] == 0]
    cum = binned.cum
    counts = cum[..., start + n] - cum[..., start]
    bkg = (cum[..., start - n_gap] - cum[..., start - n_gap - n_bkg]) * (n / n_bkg)
    return start, counts, bkg, poisson_sigma(counts, bkg)


def _candidates(binned: _Binned, cfg: TriggerConfig) -> dict[str, NDArray]:
    """Every (timescale, band, window) where >= min_detectors detectors pass the threshold."""
    rows: list[dict[str, NDArray]] = []
    for ts in cfg.timescales_s:
        n = int(round(ts / cfg.base_bin_s))
        start, counts, bkg, sig = window_significance(binned, n, cfg)
        above = sig >= cfg.threshold_sigma  # (det, band, window)
        band, win = np.nonzero(above.sum(axis=0) >= cfg.min_detectors)
        snr = np.where(above, sig, -np.inf)[:, band, win]
        rows.append({
            "start": binned.t_ref + start[win] * cfg.base_bin_s,
            "timescale": np.full(win.size, n * cfg.base_bin_s),
            "band": band, "snr": snr.max(axis=0), "dets": above[:, band, win].T,
            "counts": counts[:, band, win].T, "bkg": bkg[:, band, win].T,
        })  # fmt: skip
    keys = ("start", "timescale", "band", "snr", "dets", "counts", "bkg")
    return {k: np.concatenate([r[k] for r in rows]) for k in keys}


def _group(cand: dict[str, NDArray], holdoff_s: float) -> list[NDArray[np.int64]]:
    """Group candidates by declaration time (window end): first one, then all within holdoff."""
    end = cand["start"] + cand["timescale"]
    order = np.lexsort((-cand["snr"], end))
    end_sorted = end[order]
    groups, i = [], 0
    while i < order.size:
        j = int(np.searchsorted(end_sorted, end_sorted[i] + holdoff_s, side="left"))
        groups.append(order[i : max(j, i + 1)])
        i = max(j, i + 1)
    return groups


def _describe(
    events: EventArrays, cand: dict[str, NDArray], group: NDArray, cfg: TriggerConfig
) -> dict[str, Any]:
    """One trigger: the first crossing (declared at its window end) and the group's peak."""
    first, peak = group[0], group[np.argmax(cand["snr"][group])]
    names = list(events.detector_names)
    met = float(cand["start"][first] + cand["timescale"][first])
    trig = events.attrs.get("trigtime", np.nan)
    return {
        "time": met_to_iso(met, float(events.attrs.get("mjdref_tt")), zulu=True),
        "met": met,
        "window_start_met": float(cand["start"][first]),
        "t_minus_trigtime_s": None if not np.isfinite(trig) else met - float(trig),
        "timescale_s": float(cand["timescale"][first]),
        "band_kev": [float(x) for x in cfg.bands_kev[int(cand["band"][first])]],
        "snr": float(cand["snr"][first]),
        "detectors": [names[d] for d in np.flatnonzero(cand["dets"][first])],
        "counts": cand["counts"][first].tolist(),
        "background": [round(float(b), 3) for b in cand["bkg"][first]],
        "peak_snr": float(cand["snr"][peak]),
        "peak_met": float(cand["start"][peak] + cand["timescale"][peak]),
        "peak_timescale_s": float(cand["timescale"][peak]),
        "peak_band_kev": [float(x) for x in cfg.bands_kev[int(cand["band"][peak])]],
    }


def run_trigger(
    events: xr.Dataset | EventArrays, config: TriggerConfig | None = None
) -> list[dict[str, Any]]:
    """Run the rate trigger over an event list (simulated GRM or real GBM TTE).

    Parameters
    ----------
    events
        Event list in the layout of :func:`fcspace.svom.grm.io.event_list`, or its
        :class:`~fcspace.svom.grm.io.EventArrays` (what ``fcspace grm trigger`` reads).
    config
        Trigger settings; default :data:`GRM_CONFIG` (>= 2 detectors) when the list has
        several detectors, :data:`GBM_CONFIG` (1 of 1, GBM bands) when it has one.

    Returns
    -------
    list of dict
        One per trigger, in time order: ``time`` (ISO UTC of the end of the first window
        over threshold), ``met``, ``timescale_s``, ``band_kev``, ``snr`` (sigma), the
        ``detectors`` over threshold, counts/background per detector, and the group's peak.
    """
    events = _arrays(events)
    n_det = len(events.detector_names)
    cfg = (config or (GRM_CONFIG if n_det > 1 else GBM_CONFIG)).checked(n_det)
    binned = _bin_events(events, cfg)
    cand = _candidates(binned, cfg)
    return [_describe(events, cand, g, cfg) for g in _group(cand, cfg.holdoff_s)]
