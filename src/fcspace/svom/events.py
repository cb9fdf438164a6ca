"""SVOM event lists: the one in-memory layout of ECLAIRs and GRM, its check and its FITS form.

Layout (one ``xarray.Dataset``, dimension ``event``; the variables of each instrument are
declared as data in :data:`LAYOUTS`, the FITS column of each variable in
:data:`EVENT_COLUMNS`, so a new product layout is a table entry):

- ``time`` (event, float64, s): **absolute** mission elapsed time (MET), SI seconds of TT
  since the epoch whose TT Modified Julian Date is the attribute ``mjdref_tt``
  (:mod:`fcspace.svom.time`; FITS ``MJDREFI + MJDREFF``, [FITS-time]);
- ``gti_start``/``gti_stop`` (``gti``, s): good time intervals in MET;
- the instrument's event variables: ECLAIRs ``y``, ``z`` (pixel), ``energy`` (keV); GRM
  ``detector``, ``channel`` (PHA), ``energy`` (keV) with ``e_min``/``e_max`` (``pha_channel``,
  the EBOUNDS of the channels);
- attributes: ``instrument``, ``mjdref_tt``, and the pointing of the spacecraft +Z axis when
  known, ``attitude_ra``, ``attitude_dec``, ``attitude_roll`` (deg, :mod:`fcspace.svom.frames`;
  FITS ``RA_PNT``, ``DEC_PNT``, ``PA_PNT``). ECLAIRs lists also carry ``met_start`` (= TSTART)
  and ``exposure`` (TSTOP - TSTART), the span the triggers bin from.

FITS form (OGIP event list, [OGIP93003]): a primary HDU, an ``EVENTS`` binary table with the
columns of :data:`EVENT_COLUMNS` and the time keywords ``TIMESYS = 'TT'``, ``TIMEUNIT = 's'``,
``TIMEREF``, ``MJDREFI``/``MJDREFF``, ``TSTART``/``TSTOP`` ([FITS-time]), and a ``GTI`` table
(``START``, ``STOP``).

Sources
-------
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (EVENTS and GTI extensions, TSTART/TSTOP, TIMESYS, MJDREF).
- [FITS-time] Rots, A. H., Bunclark, P. S., et al. (2015). Representations of time
  coordinates in FITS. A&A 574, A36.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError

__all__ = [
    "EVENT_COLUMNS",
    "LAYOUTS",
    "POINTING_KEYWORDS",
    "check_events",
    "event_columns",
    "gti_dataset",
    "gti_table",
    "mjdref_from_header",
    "relative_times",
    "time_header",
]

#: Event variable -> (FITS column, FITS format, in-memory dtype, unit).
EVENT_COLUMNS: dict[str, tuple[str, str, Any, str | None]] = {
    "time": ("TIME", "D", np.float64, "s"),
    "y": ("Y", "I", np.int16, None),
    "z": ("Z", "I", np.int16, None),
    "detector": ("DETECTOR", "I", np.int16, None),
    "channel": ("PHA", "I", np.int16, None),
    "energy": ("ENERGY", "E", np.float32, "keV"),
    "truth_is_source": ("TRUTH_SRC", "L", bool, None),
    "truth_component": ("TRUTH_CMP", "B", np.int8, None),
}
#: Event variables every list of an instrument must have.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "ECLAIRs": ("time", "y", "z", "energy"),
    "GRM": ("time", "detector", "channel", "energy"),
}
#: Pointing of the spacecraft +Z axis (OGIP keywords), degrees; roll of fcspace.svom.frames.
POINTING_KEYWORDS = {"attitude_ra": "RA_PNT", "attitude_dec": "DEC_PNT", "attitude_roll": "PA_PNT"}


def check_events(
    events: xr.Dataset,
    required: Sequence[str] = LAYOUTS["ECLAIRs"],
    *,
    nonempty: bool = False,
    timed: bool = False,
) -> None:
    """Check an event list before use; :class:`InputError` names the first problem.

    Parameters
    ----------
    events
        Event list of the layout above.
    required
        Variables that must be present (default: the ECLAIRs layout).
    nonempty
        Refuse a list without events.
    timed
        Require the attribute ``exposure`` > 0 and finite, sorted times (what binning needs).
    """
    missing = [v for v in required if v not in events]
    if missing:
        raise InputError("event list lacks required variables", variable=missing[0])
    if nonempty and events[required[0]].size == 0:
        raise InputError("empty event list", variable="time")
    if timed:
        if float(events.attrs.get("exposure", 0.0)) <= 0:
            raise InputError("event list needs attribute exposure > 0", variable="exposure")
        t = events["time"].values
        if t.size and (not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0)):
            raise InputError("event times must be finite and sorted", variable="time")


def relative_times(events: xr.Dataset) -> NDArray[np.float64]:
    """Event times in s after the list's start ``attrs["met_start"]`` (0 when absent)."""
    return events["time"].values - float(events.attrs.get("met_start", 0.0))


def gti_dataset(gti: ArrayLike) -> dict[str, Any]:
    """``gti_start``/``gti_stop`` variables (dimension ``gti``) of (n, 2) intervals in MET."""
    a = np.asarray(gti, float).reshape(-1, 2)
    return {
        "gti_start": ("gti", a[:, 0], {"units": "s"}),
        "gti_stop": ("gti", a[:, 1], {"units": "s"}),
    }


def gti_table(events: xr.Dataset) -> NDArray[np.float64]:
    """(n, 2) good time intervals of a list; ``[met_start, met_start + exposure]`` if absent."""
    if "gti_start" in events:
        return np.column_stack([events["gti_start"].values, events["gti_stop"].values])
    t0 = float(events.attrs.get("met_start", 0.0))
    return np.array([[t0, t0 + float(events.attrs.get("exposure", 0.0))]])


def time_header(mjdref_tt: float, tstart: float, tstop: float) -> list[tuple[str, Any, str]]:
    """OGIP/FITS time keywords (name, value, comment) of an event list [FITS-time]."""
    day = np.floor(mjdref_tt)
    return [
        ("TIMESYS", "TT", "MET counts SI seconds of TT"),
        ("TIMEUNIT", "s", "unit of TIME, TSTART, TSTOP"),
        ("TIMEREF", "LOCAL", "no barycentric correction"),
        ("MJDREFI", int(day), "MET epoch, integer part (MJD, TT)"),
        ("MJDREFF", mjdref_tt - day, "MET epoch, fractional part"),
        ("TSTART", tstart, "MET of the start (s)"),
        ("TSTOP", tstop, "MET of the end (s)"),
    ]


def mjdref_from_header(header: Mapping[str, Any], default: float) -> float:
    """MET epoch (MJD, TT) of a FITS header: MJDREFI + MJDREFF, else MJDREF, else ``default``."""
    if "MJDREFI" in header:
        return float(header["MJDREFI"]) + float(header.get("MJDREFF", 0.0))
    return float(header.get("MJDREF", default))


def event_columns(events: xr.Dataset) -> list[Any]:
    """FITS columns (astropy) of the event variables present, per :data:`EVENT_COLUMNS`."""
    from astropy.io import fits

    cols = []
    for name, (col, fmt, dtype, unit) in EVENT_COLUMNS.items():
        if name in events:
            cols.append(fits.Column(col, fmt, unit=unit, array=events[name].values.astype(dtype)))
    return cols
