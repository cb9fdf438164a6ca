"""Simulated DORN L1 spectra: one front detector, counts per channel (Poisson).

The expected counts of channel ``i`` are

``mu_i = T [ sum_j a_j R_ij(g, o) + b_soft S_i + b_flat F_i ]``

with ``a_j`` the activity of line ``j`` (Bq m^-2 of column above a sky-facing unit or of
surface below a ground-facing one; Bq for the Po-209 source), ``R`` the channel response of
fcspace.dorn.detector (acceptance, dead-layer loss over the incidence cone,
[BortelsCollaers1987] shape), ``g = 1 + k (T_c - T_ref)`` the temperature-dependent gain,
``o`` the offset, and ``S``, ``F`` the background after front/back anticoincidence. The
events the coincidence removes are returned separately (``counts_vetoed``). Counts are
Poisson draws of ``mu`` with the caller's generator.

The dataset layout (dims ``channel``, ``edge``, ``line``; ``counts``, ``energy_edges``,
``truth_activity``, ``truth_gain`` ...) is what a reader of real DORN spectra must produce.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.dorn.detector import (
    CALIBRATION,
    LINES,
    alpha_line,
    background_rates,
    line_responses,
)
from fcspace.dorn.instrument import DORN, DornInstrument
from fcspace.dorn.nuclides import NUCLIDES

__all__ = [
    "REFERENCE_LIVE_TIME_S",
    "REFERENCE_SOURCES",
    "alpha_line",
    "expected_counts",
    "simulate_spectrum",
]

VIEWS = ("sky", "ground")

#: Reference scene of the fit's coverage checks (tests and benchmarks/dorn_fit.py): every
#: line well above its detection limit. Bq m^-2 of column above (radon) or of surface below
#: (polonium) a unit; chosen, not measured.
REFERENCE_SOURCES = {
    "Rn-222": 300.0,
    "Po-218": 250.0,
    "Po-214": 200.0,
    "Po-210": 150.0,
    "Rn-220": 200.0,
    "Po-216": 200.0,
    "Bi-212": 300.0,
    "Po-212": 200.0,
}
#: Live time of the reference spectra (s): 30 h, about the surface time of Chang'e-6.
REFERENCE_LIVE_TIME_S = 30 * 3600.0


def _line_activities(sources: Mapping[str, float], source_activity_bq: float) -> np.ndarray:
    """Activities in :data:`LINES` order; nuclides without a DORN line are checked and ignored."""
    a = np.zeros(len(LINES))
    for name, value in sources.items():
        if name not in NUCLIDES:
            raise InputError(f"unknown nuclide {name!r}", variable=name)
        v = float(np.asarray(value))
        if not math.isfinite(v) or v < 0:
            raise InputError(f"activity must be finite and >= 0, got {v}", variable=name)
        if name in LINES and name != CALIBRATION:
            a[LINES.index(name)] = v
    a[LINES.index(CALIBRATION)] = source_activity_bq
    return a


def expected_counts(
    activity: np.ndarray,
    live_time_s: float,
    gain: float,
    offset_kev: float,
    background: tuple[float, float] = (1.0, 1.0),
    instrument: DornInstrument = DORN,
) -> np.ndarray:
    """Expected counts per channel ``mu`` (module docstring) for activities in LINES order."""
    rates = line_responses(gain, offset_kev, instrument).rate
    bkg = background_rates(instrument)
    mu = activity @ rates + background[0] * bkg[0] + background[1] * bkg[1]
    return live_time_s * mu


def _check_run(live_time_s: float, temperature_c: float, view: str, inst: DornInstrument) -> None:
    if not (math.isfinite(live_time_s) and live_time_s > 0):
        raise InputError(f"live time must be > 0 s, got {live_time_s}", variable="live_time_s")
    if not inst.temperature_min_c <= temperature_c <= inst.temperature_max_c:
        raise InputError(
            f"temperature {temperature_c} C outside the operating range "
            f"{inst.temperature_min_c}..{inst.temperature_max_c} C",
            variable="temperature_c",
        )
    if view not in VIEWS:
        raise InputError(f"view must be one of {VIEWS}, got {view!r}", variable="view")


def simulate_spectrum(
    sources: Mapping[str, float],
    live_time_s: float,
    temperature_c: float,
    rng: np.random.Generator | int,
    *,
    view: str = "sky",
    instrument: DornInstrument = DORN,
    source_activity_bq: float | None = None,
    background: tuple[float, float] = (1.0, 1.0),
) -> xr.Dataset:
    """Simulate the spectrum of one DORN front detector.

    Parameters
    ----------
    sources
        Nuclide -> activity: Bq m^-2 of column (``view="sky"``: radon and daughters above) or
        of surface (``view="ground"``: polonium on the regolith). The output of
        :func:`fcspace.dorn.decay.activities` can be passed as is: nuclides without a DORN
        line are ignored. The Po-209 source is set by ``source_activity_bq``.
    live_time_s
        Live time in s.
    temperature_c
        Detector temperature (sets the gain, ``DornInstrument.gain``), -40..60 C.
    rng
        Random generator (or seed) for the Poisson draws.
    view
        ``"sky"`` or ``"ground"`` (the same acceptance, fcspace.dorn.detector).
    instrument
        Instrument constants.
    source_activity_bq
        Po-209 source activity; default ``instrument.source_activity_bq``.
    background
        Scale factors of the soft and flat background components (1 = instrument rates).

    Returns
    -------
    xarray.Dataset
        ``counts`` (channel), ``counts_vetoed`` (channel), ``energy_edges`` (edge, keV),
        ``energy`` (channel centres), ``truth_activity`` and ``truth_expected_counts`` (line),
        ``truth_gain``, ``truth_offset``, ``truth_background`` (component); attributes
        ``live_time_s``, ``temperature_c``, ``view``.

    Raises
    ------
    InputError
        Unknown nuclide, negative or NaN activity, live time <= 0, temperature out of range.
    """
    _check_run(live_time_s, temperature_c, view, instrument)
    rng = np.random.default_rng(rng)
    src = instrument.source_activity_bq if source_activity_bq is None else source_activity_bq
    activity = _line_activities(sources, float(src))
    gain, offset = instrument.gain(temperature_c), instrument.offset_kev
    mu = expected_counts(activity, live_time_s, gain, offset, background, instrument)
    vetoed = live_time_s * background[1] * background_rates(instrument)[2]
    per_line = live_time_s * activity * line_responses(gain, offset, instrument).rate.sum(1)
    edges = instrument.channel_edges_kev
    return xr.Dataset(
        {
            "counts": ("channel", rng.poisson(mu)),
            "counts_vetoed": ("channel", rng.poisson(vetoed)),
            "energy_edges": ("edge", edges, {"units": "keV"}),
            "truth_activity": ("line", activity, {"units": "Bq m-2 (Po-209: Bq)"}),
            "truth_expected_counts": ("line", per_line),
            "truth_gain": ((), gain),
            "truth_offset": ((), offset, {"units": "keV"}),
            "truth_background": ("component", np.asarray(background, dtype=float)),
        },
        coords={
            "channel": np.arange(instrument.n_channels),
            "energy": ("channel", 0.5 * (edges[:-1] + edges[1:]), {"units": "keV"}),
            "line": list(LINES),
            "component": ["soft", "flat"],
        },
        attrs={
            "live_time_s": float(live_time_s),
            "temperature_c": float(temperature_c),
            "view": view,
            "instrument": "DORN front detector (simulated)",
        },
    )
