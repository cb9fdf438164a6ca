"""Checks of what the SVOM and GBM FITS readers read: header types, table HDUs, value ranges.

The rules themselves are data next to the layouts (:data:`fcspace.svom.events.VALID_RANGES`,
:data:`~fcspace.svom.events.NUMERIC_KEYWORDS`, :data:`~fcspace.svom.events.KEYWORD_RANGES`,
the ``ranges`` of :class:`fcspace.svom.l1_layouts.L1Layout`); this module applies them. Every
failure is an :class:`~fcspace.core.errors.InputError` naming the file, the HDU and the keyword
or column, and saying how many values are wrong, so that a damaged file is refused rather than
read as data (a byte flip in an event time of a file without checksums moves the event out of
its ``[TSTART, TSTOP]`` span, or to a non-finite value, and is caught here).

Sources
-------
- [FITS4] Pence, W. D., et al. (2010). Definition of the Flexible Image Transport System
  (FITS), version 3.0. A&A 524, A42 (header value types, binary tables).
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (TSTART/TSTOP bound the event times; GTI START <= STOP).
- [OGIP92002] George, I. M., et al. The calibration requirements for spectral analysis,
  OGIP/92-002 (EBOUNDS: E_MIN < E_MAX, channels in ascending energy).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError

__all__ = [
    "TIME_TOLERANCE_S",
    "check_ebounds",
    "check_gti",
    "check_index",
    "check_range",
    "check_span",
    "header_number",
    "header_numbers",
    "table_hdu",
]

#: Slack (s) of the ``[TSTART, TSTOP]`` test: float64 rounding of ``TZERO + TIME`` at a Fermi
#: MET of 3e8 s is 6e-8 s; 1e-4 s is well below one sample of any binning used.
TIME_TOLERANCE_S = 1e-4

PathLike = str | os.PathLike[str] | None


def header_number(
    header: Mapping[str, Any], key: str, path: PathLike, hdu: str, default: Any = None
) -> Any:
    """The value of keyword ``key`` as a finite float, ``default`` when absent.

    Raises
    ------
    InputError
        Naming file, HDU and keyword, when the value is not a finite real number ([FITS4]:
        integer or floating-point value; a string such as ``'abc'`` is refused).
    """
    if key not in header:
        return default
    value = header[key]
    if isinstance(value, bool | str | bytes) or not isinstance(value, int | float | np.number):
        raise InputError(f"{hdu} keyword {key} = {value!r} is not a number", path, key)
    out = float(value)
    if not math.isfinite(out):
        raise InputError(f"{hdu} keyword {key} = {value!r} is not finite", path, key)
    return out


def header_numbers(
    header: Mapping[str, Any],
    keys: tuple[str, ...] | Any,
    path: PathLike,
    hdu: str,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """Check that every keyword of ``keys`` present is a finite number within ``ranges``."""
    for key in keys:
        value = header_number(header, key, path, hdu)
        lo, hi = (ranges or {}).get(key, (-math.inf, math.inf))
        if value is not None and not lo <= value <= hi:
            raise InputError(f"{hdu} keyword {key} = {value} outside [{lo}, {hi}]", path, key)


def table_hdu(hdul: Any, ext: str, path: PathLike) -> Any:
    """HDU ``ext`` of an open file, which must be a table; :class:`InputError` otherwise."""
    if ext not in hdul:
        raise InputError(f"no {ext} extension", path, ext)
    hdu = hdul[ext]
    if getattr(hdu, "columns", None) is None:
        kind = type(hdu).__name__
        raise InputError(f"{ext} is a {kind}, expected a binary table", path, ext)
    return hdu


def check_range(
    values: NDArray, lo: float, hi: float, path: PathLike, hdu: str, column: str
) -> None:
    """Every value finite and within ``[lo, hi]``; the error gives the count and an example."""
    v = np.asarray(values)
    if v.size == 0:
        return
    if v.dtype.kind == "f":
        bad = ~np.isfinite(v) | (v < lo) | (v > hi)
    else:
        bad = (v < lo) | (v > hi)
    n = int(np.count_nonzero(bad))
    if n:
        example = v[np.argmax(bad)]
        raise InputError(
            f"{hdu} column {column}: {n} of {v.size} values outside [{lo}, {hi}] "
            f"(e.g. {example!r})",
            path,
            column,
        )


def check_index(values: NDArray, size: int, path: PathLike, hdu: str, column: str) -> None:
    """Integer indices within ``0 .. size - 1`` (channels of EBOUNDS, detectors, pixels)."""
    if size <= 0 and np.asarray(values).size:
        raise InputError(f"{hdu} column {column}: no table to index into", path, column)
    check_range(values, 0, size - 1, path, hdu, column)


def check_span(time: NDArray, header: Mapping[str, Any], path: PathLike, hdu: str) -> None:
    """Event times finite and inside ``[TSTART, TSTOP]`` when the header gives both [OGIP93003].

    ``TSTART``/``TSTOP`` must be numbers with ``TSTOP >= TSTART``; times are compared with a
    slack of :data:`TIME_TOLERANCE_S`.
    """
    t0 = header_number(header, "TSTART", path, hdu)
    t1 = header_number(header, "TSTOP", path, hdu)
    if t0 is None or t1 is None:
        check_range(time, -math.inf, math.inf, path, hdu, "TIME")
        return
    if t1 < t0:
        raise InputError(f"{hdu} TSTOP {t1} before TSTART {t0}", path, "TSTOP")
    tol = TIME_TOLERANCE_S
    t = np.asarray(time, float)
    bad = ~np.isfinite(t) | (t < t0 - tol) | (t > t1 + tol)
    n = int(np.count_nonzero(bad))
    if n:
        late = int(np.count_nonzero(t > t1 + tol))
        raise InputError(
            f"{hdu} column TIME: {n} of {t.size} events outside [TSTART, TSTOP] = "
            f"[{t0}, {t1}] ({late} after TSTOP; e.g. {t[np.argmax(bad)]!r})",
            path,
            "TIME",
        )


def check_ebounds(e_min: NDArray, e_max: NDArray, path: PathLike, hdu: str = "EBOUNDS") -> None:
    """Channel bounds finite, ``0 <= E_MIN < E_MAX``, channels in ascending energy [OGIP92002]."""
    lo, hi = np.asarray(e_min, float), np.asarray(e_max, float)
    check_range(lo, 0.0, math.inf, path, hdu, "E_MIN")
    check_range(hi, 0.0, math.inf, path, hdu, "E_MAX")
    inverted = int(np.count_nonzero(hi <= lo))
    if inverted:
        raise InputError(f"{hdu}: {inverted} channels with E_MAX <= E_MIN", path, "E_MAX")
    if np.any(np.diff(lo) <= 0):
        raise InputError(f"{hdu}: channels not in ascending energy", path, "E_MIN")


def check_gti(start: NDArray, stop: NDArray, path: PathLike, hdu: str = "GTI") -> None:
    """Good time intervals finite with ``START <= STOP`` [OGIP93003]."""
    a, b = np.asarray(start, float), np.asarray(stop, float)
    check_range(a, -math.inf, math.inf, path, hdu, "START")
    check_range(b, -math.inf, math.inf, path, hdu, "STOP")
    n = int(np.count_nonzero(b < a))
    if n:
        raise InputError(f"{hdu}: {n} intervals with STOP < START", path, "STOP")
