"""ISO 8601 UTC times of SVOM notices: parse, format, and quiet astropy for future times.

Notices carry UTC ISO strings only (no mission elapsed time); MET conversions live in
:mod:`fcspace.svom.time`. Reading notices makes no astropy ``Time`` (building one costs about
as much as parsing the notice's XML): :func:`iso_utc_texts` checks and normalises many ISO
strings at once with NumPy's ``datetime64`` parser (ISO 8601 calendar dates and times, [NEP7]),
and only strings it cannot take exactly (a leap second ``:60``, more than six decimals) go
through astropy, whose rules (``isot``) they then follow.

References
----------
[NEP7] NumPy Enhancement Proposal 7, "A proposal for implementing some date/time types in
NumPy" (the ``datetime64`` ISO 8601 parser), https://numpy.org/neps/nep-0007-datetime-proposal.html.
ISO 8601-1:2019, "Date and time -- Representations for information interchange".
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from fcspace.core.errors import InputError

__all__ = ["IsoUtc", "iso_utc", "iso_utc_texts", "offline_iers", "quiet_time", "to_utc_time"]

#: ISO 8601 UTC forms that NumPy's ``datetime64[us]`` reads exactly as astropy's ``isot``
#: does (calendar date, optional ``Thh:mm[:ss[.ffffff]]``); anything else goes to astropy.
_EXACT_ISO = re.compile(r"[1-9]\d{3}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")


_NUMPY_FROM = 8  # from this many strings on, one NumPy parse is quicker than datetime's


class IsoUtc(str):
    """An ISO 8601 UTC string in the form of :func:`iso_utc` (``precision=6``), already checked.

    Made by :func:`iso_utc_texts`; an :class:`~fcspace.svom.alerts.model.Alert` given one as its
    ``time`` keeps it as it is (no second parse).
    """

    __slots__ = ()


def _slow_text(text: str, path: str | os.PathLike[str] | None) -> IsoUtc:
    """Canonical text through astropy (leap seconds, more than six decimals), or InputError."""
    return IsoUtc(iso_utc(to_utc_time(text, path)))


def iso_utc_texts(
    values: Sequence[Any], paths: Sequence[str | os.PathLike[str] | None] | None = None
) -> list[IsoUtc]:
    """Check ISO 8601 UTC strings (``Z`` allowed) and give them as :func:`iso_utc` writes them.

    Vectorised: the strings of the common form are parsed in one NumPy ``datetime64[us]``
    call ([NEP7]) (fewer than eight by :meth:`datetime.datetime.fromisoformat`, quicker for a
    few); the others (or, when one of them is invalid, all) one by one through astropy
    (:func:`to_utc_time`), so the result and the errors are those of astropy's ``isot``
    format to the microsecond.

    Parameters
    ----------
    values
        ISO 8601 UTC strings.
    paths
        The file each string comes from (named in the error), or None.

    Raises
    ------
    InputError
        A string that is not an ISO 8601 UTC time, naming its file and ``ISOTime``.
    """
    import numpy as np

    texts = [str(v).strip().removesuffix("Z") for v in values]
    where = list(paths) if paths is not None else [None] * len(texts)
    fast = [i for i, t in enumerate(texts) if _EXACT_ISO.fullmatch(t)]
    out: list[IsoUtc | None] = [None] * len(texts)
    if 0 < len(fast) < _NUMPY_FROM:  # a few strings: the standard library is quicker
        for i in fast:
            with contextlib.suppress(ValueError):  # invalid: astropy names it below
                out[i] = IsoUtc(datetime.fromisoformat(texts[i]).isoformat("T", "microseconds"))
    elif fast:
        try:
            parsed = np.array([texts[i] for i in fast], dtype="datetime64[us]")
        except ValueError:  # an invalid date among them: astropy names it below
            fast = []
        else:
            for i, text in zip(fast, np.datetime_as_string(parsed, unit="us"), strict=True):
                out[i] = IsoUtc(text)
    return [
        o if o is not None else _slow_text(t, w) for o, t, w in zip(out, texts, where, strict=True)
    ]


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
