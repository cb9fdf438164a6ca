"""ECLAIRs trigger settings and records: thresholds, time/energy configuration, one trigger.

The settings are described with the trigger scheme in :mod:`fcspace.svom.eclairs.trigger`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.zones import ALL_ZONES, check_zones

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_THRESHOLDS",
    "Band",
    "ShadowFn",
    "Trigger",
    "TriggerConfig",
    "TriggerThresholds",
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
    72 h. Zoned CRT (9 zones) with the Earth-occulted orbit background (seeds 1-3 x 24 h):
    185-196 rate excesses imaged a day, none with an image peak >= 5; IMT peaks >= 6.0 at most
    once a day, max 6.14; zero false triggers in 72 h. Thresholds close to the ECLAIRs onboard
    ones (image SNR ~6.5, [Dagoneau2022]; [Schanne2019]).
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
    crt_zones: tuple[str, ...] = ALL_ZONES  # whole plane, halves, quadrants (zones.py)
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
        check_zones(self.crt_zones)
        return self


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
    zone: str | None = None  # CRT: detector zone of the rate excess (zones.py)
    sigma_crb_deg: float | None = None  # Cramer-Rao per-axis sigma (detector-plane fit)

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
            "zone": self.zone,
            "sigma_crb_deg": self.sigma_crb_deg,
        }


DEFAULT_CONFIG = TriggerConfig()
DEFAULT_THRESHOLDS = TriggerThresholds()
