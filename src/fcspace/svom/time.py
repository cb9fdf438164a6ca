"""SVOM mission time: the MET epochs, an astropy ``svom_met`` time format, MET <-> UTC.

Mission elapsed time (MET) counts SI seconds of TT since an epoch given as a TT Modified
Julian Date (the FITS ``MJDREFI + MJDREFF`` convention, [FITS-time]); the sum is done in TT and
only the result is turned into UTC, so leap seconds are counted (astropy/ERFA). Every SVOM
instrument (ECLAIRs, GRM) and the alerts read their epoch and conversions from here.

``TimeSVOMMET`` is an astropy ``TimeFromEpoch`` subclass registered as format ``"svom_met"``,
following the pattern gdt-core uses for Fermi (``TimeFermiSec``, format ``"fermi"``). It is made
on first use (the attribute ``fcspace.svom.time.TimeSVOMMET``, left out of ``__all__`` so that
``import *`` stays lazy, or any conversion below), because importing
``astropy.time`` costs about a second and the command line must start quickly.

Sources
-------
- [FITS-time] Rots, A. H., Bunclark, P. S., et al. (2015). Representations of time
  coordinates in FITS. A&A 574, A36 (MJDREF, TIMESYS; MET in SI seconds of TT).
- [IERS-C] IERS Bulletin C 52 (2016): TAI - UTC = 37 s from 2017-01-01T00:00:00 UTC.
- [SOFA] IAU SOFA Board, "SOFA Time Scale and Calendar Tools" (2023), functions ``tttai``,
  ``taiutc``, ``d2dtf``; used through ERFA (pyerfa), as astropy does.
- [GBM-TTE] Fermi GBM Science Support Center, "GBM data products: TTE": MJDREFI = 51910,
  MJDREFF = 7.428703703703703e-4 (2001-01-01T00:00:00 UTC in TT), in every GBM file.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from fcspace.core.errors import InputError

__all__ = [
    "FERMI_MJDREF_TT",
    "SVOM_MJDREF_TT",
    "iso_to_met",
    "met_to_iso",
    "met_to_time",
    "time_to_met",
]

# SVOM MET epoch taken as 2017-01-01T00:00:00 UTC (assumption: the SVOM on-board time
# reference is not modelled), expressed in TT: MJD 57754 + (37 + 32.184) s, TAI - UTC = 37 s
# [IERS-C], TT - TAI = 32.184 s.
SVOM_MJDREF_TT: float = 57754.0 + 69.184 / 86400.0
# Fermi MET epoch: 2001-01-01T00:00:00 UTC in TT, [GBM-TTE], [FITS-time].
FERMI_MJDREF_TT: float = 51910.0 + 7.428703703703703e-4

_SVOM_EPOCH_ISO_TT = "2017-01-01 00:01:09.184"  # SVOM_MJDREF_TT as an ISO date in TT


@functools.cache
def _svom_met_format() -> type:
    """Define (once) and register the astropy ``svom_met`` time format."""
    from astropy.time.formats import TimeFromEpoch

    class TimeSVOMMET(TimeFromEpoch):
        """SVOM MET: SI seconds of TT since 2017-01-01T00:00:00 UTC (``SVOM_MJDREF_TT``)."""

        name = "svom_met"
        unit = 1.0 / 86400.0  # days per second
        epoch_val = _SVOM_EPOCH_ISO_TT
        epoch_val2 = None
        epoch_scale = "tt"
        epoch_format = "iso"

    TimeSVOMMET.__module__ = __name__
    TimeSVOMMET.__qualname__ = "TimeSVOMMET"
    return TimeSVOMMET


def __getattr__(name: str) -> Any:
    """Give ``TimeSVOMMET`` on first access (lazy, see the module docstring)."""
    if name == "TimeSVOMMET":
        return _svom_met_format()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _epoch(mjdref_tt: float) -> Any:
    """The MET epoch as an astropy ``Time`` in TT, integer and fractional day kept apart."""
    from astropy.time import Time

    day = float(np.floor(mjdref_tt))
    return Time(day, mjdref_tt - day, format="mjd", scale="tt")


def met_to_time(met: ArrayLike, mjdref_tt: float = SVOM_MJDREF_TT) -> Any:
    """Astropy ``Time`` (scale TT) of mission elapsed time(s) ``met`` (s) after ``mjdref_tt``.

    The sum ``epoch + met`` is done in TT [FITS-time] for every epoch (e.g.
    ``FERMI_MJDREF_TT``); with the SVOM epoch the result is shown in format ``"svom_met"``.
    """
    from astropy.time import TimeDelta

    t = _epoch(mjdref_tt) + TimeDelta(np.asarray(met, float), format="sec")
    if mjdref_tt == SVOM_MJDREF_TT:
        _svom_met_format()
        t.format = "svom_met"  # a view of the same TT instant: the sum is done as above
    return t


def time_to_met(t: Any, mjdref_tt: float = SVOM_MJDREF_TT) -> float | np.ndarray:
    """Mission elapsed time (s) after ``mjdref_tt`` of an astropy ``Time``.

    The inverse of :func:`met_to_time`; a scalar gives a ``float``, an array an array.
    """
    met = (t.tt - _epoch(mjdref_tt)).to_value("s")
    return float(met) if np.ndim(met) == 0 else np.asarray(met, float)


def _utc_jd(met: ArrayLike, mjdref_tt: float) -> tuple[np.ndarray, np.ndarray]:
    """UTC two-part Julian dates of METs, with ERFA alone (no ``astropy.time`` import).

    The TT date is ``epoch + met`` kept as two doubles (whole days apart from the day
    fraction, as astropy keeps ``jd1 + jd2``), then TT -> TAI -> UTC with ERFA ``tttai`` and
    ``taiutc`` (leap seconds from ERFA's table, [SOFA]) -- the calls astropy makes for the
    same conversion.
    """
    import erfa

    met = np.asarray(met, float)
    day = float(np.floor(mjdref_tt))
    whole = np.floor(met / 86400.0)
    jd1 = 2400000.5 + day + whole
    jd2 = (mjdref_tt - day) + (met - whole * 86400.0) / 86400.0
    return erfa.taiutc(*erfa.tttai(jd1, jd2))


def met_to_iso(
    met: ArrayLike, mjdref_tt: float = SVOM_MJDREF_TT, precision: int = 3, *, zulu: bool = False
) -> Any:
    """ISO-8601 UTC string(s) ``YYYY-MM-DDThh:mm:ss.sss`` of mission elapsed time(s).

    ``precision`` is the number of decimals of the seconds; ``zulu=True`` appends ``"Z"`` (the
    GCN/VOEvent style). A scalar gives a ``str``, an array a list of ``str``. The seconds are
    rounded by ERFA ``d2dtf`` ([SOFA]), as astropy's ``Time.isot`` rounds them; the result
    equals ``met_to_time(met, mjdref_tt).utc.isot`` (tests) without importing astropy.time.
    """
    import erfa

    utc1, utc2 = _utc_jd(met, mjdref_tt)
    iy, im, iday, ihmsf = erfa.d2dtf("UTC", precision, utc1, utc2)
    frac = f".{{:0{precision}d}}" if precision > 0 else ""
    fmt = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}" + frac + ("Z" if zulu else "")
    out = [
        fmt.format(int(y), int(m), int(d), int(t["h"]), int(t["m"]), int(t["s"]), int(t["f"]))
        for y, m, d, t in zip(
            np.ravel(iy), np.ravel(im), np.ravel(iday), np.ravel(ihmsf), strict=True
        )
    ]
    return out[0] if np.ndim(met) == 0 else out


def iso_to_met(iso: str | Sequence[str], mjdref_tt: float = SVOM_MJDREF_TT) -> Any:
    """Mission elapsed time (s) of ISO-8601 UTC string(s), a trailing ``Z`` allowed.

    Raises
    ------
    InputError
        When a string is not an ISO-8601 time.
    """
    from astropy.time import Time

    text = np.char.rstrip(np.asarray(iso, dtype=str), "Z")
    try:
        t = Time(text, format="isot", scale="utc")
    except ValueError as err:
        raise InputError(f"not an ISO-8601 UTC time: {iso!r} ({err})") from err
    return time_to_met(t, mjdref_tt)
