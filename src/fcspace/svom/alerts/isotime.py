"""ISO 8601 UTC times of SVOM notices: parse, format, and quiet astropy for future times.

Notices carry UTC ISO strings only (no mission elapsed time); MET conversions live in
:mod:`fcspace.svom.time`.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

from fcspace.core.errors import InputError

__all__ = ["iso_utc", "offline_iers", "quiet_time", "to_utc_time"]


@contextlib.contextmanager
def quiet_time() -> Iterator[None]:
    """Silence, in this block only, the expected warnings of times past the tables.

    ERFA warns "dubious year" for UTC after the last leap-second table entry, and astropy
    warns when IERS tables do not cover a time; both are expected for simulated or future
    alerts, and the values are still computed (no new leap second assumed).
    """
    from astropy.utils.exceptions import AstropyWarning
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        warnings.simplefilter("ignore", AstropyWarning)
        yield


def offline_iers() -> None:
    """Never let astropy try to download IERS tables (offline ground segment)."""
    from astropy.utils import iers

    iers.conf.auto_download = False


def to_utc_time(value: Any, path: str | os.PathLike[str] | None = None) -> Any:
    """An astropy ``Time`` in UTC from an ISO string (``Z`` allowed) or a ``Time``."""
    from astropy.time import Time

    if isinstance(value, Time):
        return value.utc
    text = str(value).strip().removesuffix("Z")
    try:
        with quiet_time():
            return Time(text, format="isot", scale="utc")
    except ValueError as err:
        raise InputError(f"not an ISO 8601 UTC time: {value!r}", path, "ISOTime") from err


def iso_utc(time: Any, precision: int = 6) -> str:
    """ISO 8601 UTC string without time-zone letter (``2026-02-11T19:24:23.604000``)."""
    t = time.utc.replicate()
    t.precision = precision
    with quiet_time():
        return str(t.isot)
