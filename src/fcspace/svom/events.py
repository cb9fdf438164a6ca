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
columns of :data:`EVENT_COLUMNS`, the time keywords ``TIMESYS = 'TT'``, ``TIMEUNIT = 's'``,
``TIMEREF``, ``MJDREFI``/``MJDREFF``, ``TSTART``/``TSTOP`` ([FITS-time]) and the attribute
keywords of :data:`HEADER_KEYWORDS`, a ``GTI`` table (``START``, ``STOP``) and the tables and
images of :data:`TABLES` and :data:`IMAGES` that the list has. One writer and one reader serve
every instrument: :func:`fcspace.svom.events_fits.write_event_list` and
:func:`fcspace.svom.events_fits.read_event_list` (also re-exported by :mod:`fcspace.svom`;
a module of their own, so that importing this one stays free of astropy). The mission's own
L1 files (ECLAIRs ECL-EVT-CAL, GRM hourly events) are read into this same layout by
:mod:`fcspace.svom.l1_fits` (tables in :mod:`fcspace.svom.l1_layouts`).

Sources
-------
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (EVENTS and GTI extensions, TSTART/TSTOP, TIMESYS, MJDREF).
- [FITS-time] Rots, A. H., Bunclark, P. S., et al. (2015). Representations of time
  coordinates in FITS. A&A 574, A36.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError

if TYPE_CHECKING:  # xarray is imported where a Dataset is made (fast start of the CLI)
    import xarray as xr

__all__ = [
    "ECLAIRS_TRUTH_KEYWORDS",
    "EVENT_COLUMNS",
    "GRM_TRUTH_KEYWORDS",
    "HEADER_KEYWORDS",
    "IMAGES",
    "KEYWORD_RANGES",
    "LAYOUTS",
    "MET_LIMIT_S",
    "NUMERIC_KEYWORDS",
    "POINTING_KEYWORDS",
    "SPAN_LAYOUTS",
    "TABLES",
    "VALID_RANGES",
    "VARIABLE_ATTRS",
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
    "truth_is_grb": ("TRUTH_GRB", "B", np.int8, None),
}
#: Event variables every list of an instrument must have.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "ECLAIRs": ("time", "y", "z", "energy"),
    "GRM": ("time", "detector", "channel", "energy"),
}
#: Pointing of the spacecraft +Z axis (OGIP keywords), degrees; roll of fcspace.svom.frames.
POINTING_KEYWORDS = {"attitude_ra": "RA_PNT", "attitude_dec": "DEC_PNT", "attitude_roll": "PA_PNT"}
#: Simulation truth of an ECLAIRs list (attribute -> ``TR*`` keyword).
ECLAIRS_TRUTH_KEYWORDS = {
    "truth_theta_deg": "TRTHETA",
    "truth_phi_deg": "TRPHI",
    "truth_t0": "TRT0",
    "truth_peak_flux": "TRPFLUX",
    "truth_alpha": "TRALPHA",
    "truth_beta": "TRBETA",
    "truth_epeak_kev": "TREPEAK",
    "truth_n_source": "TRNSRC",
    "truth_background_rate": "TRBKGRT",
}
#: Simulation truth of a GRM list (scalars; the pulse table ``truth_pulses`` stays NetCDF-only).
GRM_TRUTH_KEYWORDS = {
    "truth_grb": "TRGRB",
    "truth_t0_met": "TRT0",
    "truth_theta_deg": "TRTHETA",
    "truth_phi_deg": "TRPHI",
    "truth_peak_flux": "TRPFLUX",
    "truth_alpha": "TRALPHA",
    "truth_beta": "TRBETA",
    "truth_epeak_kev": "TREPEAK",
    "truth_peak_time_met": "TRTPEAK",
}
#: Dataset attribute -> EVENTS header keyword of each layout (written when set, read when there).
HEADER_KEYWORDS: dict[str, dict[str, str]] = {
    "ECLAIRs": {"telescope": "TELESCOP", "instrument": "INSTRUME"}
    | ECLAIRS_TRUTH_KEYWORDS
    | POINTING_KEYWORDS,
    "GRM": {"mission": "TELESCOP", "instrument": "INSTRUME", "timesys": "TIMESYS",
            "trigtime": "TRIGTIME", "object": "OBJECT", "source_file": "SRCFILE"}
    | POINTING_KEYWORDS
    | GRM_TRUTH_KEYWORDS,
}  # fmt: skip
#: Header keywords whose values must be finite numbers (the others of HEADER_KEYWORDS are text).
NUMERIC_KEYWORDS: tuple[str, ...] = (
    "TSTART", "TSTOP", "MJDREFI", "MJDREFF", "MJDREF", "TRIGTIME", *POINTING_KEYWORDS.values(),
    *ECLAIRS_TRUTH_KEYWORDS.values(), *GRM_TRUTH_KEYWORDS.values(),
)  # fmt: skip
#: Physical range of header keywords (deg: ICRS RA/Dec of the pointing, roll; MJD of the
#: MET epoch, 1958..2100, covering every mission epoch in use).
KEYWORD_RANGES: dict[str, tuple[float, float]] = {
    "RA_PNT": (0.0, 360.0), "DEC_PNT": (-90.0, 90.0), "PA_PNT": (-360.0, 360.0),
    "MJDREFI": (36204.0, 88069.0), "MJDREF": (36204.0, 88069.0), "MJDREFF": (0.0, 1.0),
}  # fmt: skip
#: MET limit (s): 100 years either side of the epoch; a time beyond it is not a mission time.
MET_LIMIT_S = 100 * 366 * 86400.0
#: Physical range of event and table variables, applied by every reader (channel, detector
#: and pixel indices are checked against the file's own EBOUNDS, DETNAMES or the instrument).
VALID_RANGES: dict[str, tuple[float, float]] = {
    "time": (-MET_LIMIT_S, MET_LIMIT_S),
    "energy": (0.0, 1.0e5),  # keV: 0 .. 100 MeV (GBM BGO reaches 40 MeV)
    "gti_start": (-MET_LIMIT_S, MET_LIMIT_S),
    "gti_stop": (-MET_LIMIT_S, MET_LIMIT_S),
}
#: Layouts whose lists carry ``met_start`` (= TSTART) and ``exposure`` (= TSTOP - TSTART).
SPAN_LAYOUTS = ("ECLAIRs",)
#: Extension tables: EXTNAME -> (dimension, {variable: (column, format, dtype, unit)}); format
#: ``"A"`` is a string column sized on writing.
TABLES: dict[str, tuple[str, dict[str, tuple[str, str, Any, str | None]]]] = {
    "GTI": ("gti", {"gti_start": ("START", "D", np.float64, "s"),
                    "gti_stop": ("STOP", "D", np.float64, "s")}),
    "EBOUNDS": ("pha_channel", {"e_min": ("E_MIN", "D", np.float64, "keV"),
                                "e_max": ("E_MAX", "D", np.float64, "keV")}),
    "DETNAMES": ("det", {"detector_name": ("DETNAM", "A", str, None)}),
}  # fmt: skip
#: Image extensions: variable -> (EXTNAME, dimensions, dtype in the file, dtype in memory).
IMAGES: dict[str, tuple[str, tuple[str, ...], Any, Any]] = {
    "pixel_status": ("PIXSTAT", ("y_pixel", "z_pixel"), np.uint8, np.int8),
}
#: Attributes of the event variables in memory beyond their unit.
VARIABLE_ATTRS: dict[str, dict[str, str]] = {
    "time": {"units": "s", "long_name": "MET"},
    "y": {"units": "1"},
    "z": {"units": "1"},
}


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

