"""SVOM event lists as OGIP FITS files: one writer and one reader for ECLAIRs and GRM alike.

The file form of the layout of :mod:`fcspace.svom.events`, driven by its tables
(:data:`~fcspace.svom.events.LAYOUTS`, ``EVENT_COLUMNS``, ``HEADER_KEYWORDS``, ``TABLES``,
``IMAGES``), so a new instrument or column is a table entry:

- primary HDU (empty);
- ``EVENTS`` binary table: the event columns present (``TIME`` absolute MET in s, ``ENERGY`` in
  keV, ``Y``/``Z`` or ``DETECTOR``/``PHA``, truth flags of simulated data); header ``TELESCOP``,
  ``INSTRUME``, ``EVLAYOUT`` (the layout name), the time keywords ``TIMESYS``, ``TIMEUNIT``,
  ``TIMEREF``, ``MJDREFI``/``MJDREFF``, ``TSTART``/``TSTOP`` ([FITS-time], [OGIP93003]), the
  pointing (``RA_PNT``, ``DEC_PNT``, ``PA_PNT``) and the layout's attribute keywords;
- ``GTI`` (``START``, ``STOP``), then when present ``EBOUNDS`` (``E_MIN``, ``E_MAX``: the
  energy bounds of the PHA channels), ``DETNAMES`` (``DETNAM``) and image extensions
  (``PIXSTAT``).

Every HDU carries ``CHECKSUM``/``DATASUM`` ([FITS-checksum]); they are verified on reading when
present (files written before they were added still read). Writes are atomic
(:func:`fcspace.core.products.write_atomic`). A file read without a ``GTI`` table gets one GTI,
``[TSTART, TSTOP]``.

Sources
-------
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (EVENTS and GTI extensions, TSTART/TSTOP, TIMESYS, MJDREF).
- [FITS-time] Rots, A. H., Bunclark, P. S., et al. (2015). Representations of time
  coordinates in FITS. A&A 574, A36.
- [FITS-checksum] Seaman, R., Pence, W., Rots, A. (2012). FITS Checksum Proposal
  (CHECKSUM and DATASUM keywords), FITS Standard 4.0 Appendix J.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.core.products import write_atomic
from fcspace.svom.events import (
    EVENT_COLUMNS,
    HEADER_KEYWORDS,
    IMAGES,
    KEYWORD_RANGES,
    LAYOUTS,
    NUMERIC_KEYWORDS,
    SPAN_LAYOUTS,
    TABLES,
    VALID_RANGES,
    VARIABLE_ATTRS,
    check_events,
    event_columns,
    gti_dataset,
    gti_table,
    mjdref_from_header,
    time_header,
)
from fcspace.svom.fits_checks import (
    check_ebounds,
    check_gti,
    check_index,
    check_range,
    check_span,
    header_numbers,
    table_hdu,
)
from fcspace.svom.time import SVOM_MJDREF_TT

if TYPE_CHECKING:  # xarray is imported where a Dataset is made (fast start of the CLI)
    import xarray as xr

__all__ = ["open_checked", "read_event_list", "write_event_list"]

_READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError)


def _layout_name(name: Any, path: Path | None = None) -> str:
    """The :data:`LAYOUTS` key ``name``; :class:`InputError` if there is none."""
    key = str(name).strip() if name else ""
    if key not in LAYOUTS:
        raise InputError(f"unknown event-list layout {key!r} (known: {', '.join(LAYOUTS)})", path)
    return key


def _check_times(time: NDArray, path: Path | None) -> None:
    """Event times must be finite and sorted."""
    if not np.all(np.isfinite(time)):
        raise InputError("non-finite times", path, "TIME")
    if np.any(np.diff(time) < 0):
        raise InputError("event times are not sorted", path, "TIME")


# ---------------------------------------------------------------------------------- writing
def _span(ds: xr.Dataset, gti: NDArray) -> tuple[float, float]:
    """TSTART, TSTOP: ``met_start`` + ``exposure`` when set, else the GTIs, else the events."""
    if "met_start" in ds.attrs:
        t0 = float(ds.attrs["met_start"])
        return t0, t0 + float(ds.attrs.get("exposure", 0.0))
    if gti.size:
        return float(gti[:, 0].min()), float(gti[:, 1].max())
    t = ds["time"].values
    return (float(t.min()), float(t.max())) if t.size else (0.0, 0.0)


def _card_value(value: Any) -> Any:
    """A header value of an attribute, or None where FITS cannot hold it (arrays, NaN)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str) or (isinstance(value, int | float) and np.isfinite(value)):
        return value
    return None


def _header(ds: xr.Dataset, layout: str, tstart: float, tstop: float) -> Any:
    """EVENTS header: mission, instrument, layout, time keywords, then the layout's keywords."""
    from astropy.io import fits

    h = fits.Header()
    h["TELESCOP"] = ("SVOM", "mission")
    h["INSTRUME"] = (layout, "instrument")
    h["EVLAYOUT"] = (layout, "fcspace.svom.events layout")
    for key, value, comment in time_header(
        float(ds.attrs.get("mjdref_tt", SVOM_MJDREF_TT)), tstart, tstop
    ):
        h[key] = (value, comment)
    for name, key in HEADER_KEYWORDS[layout].items():
        value = _card_value(ds.attrs.get(name))
        if value is not None:
            h[key] = (value, name)
    return h


def _table_column(values: NDArray, col: str, fmt: str, dtype: Any, unit: str | None) -> Any:
    """One FITS column of an extension table (string columns sized to the longest value)."""
    from astropy.io import fits

    if fmt == "A":
        text = np.asarray(values, dtype=str)
        width = max((len(v) for v in text.ravel()), default=1)
        return fits.Column(col, f"{max(width, 1)}A", array=text)
    return fits.Column(col, fmt, unit=unit, array=np.asarray(values).astype(dtype))


def _hdus(ds: xr.Dataset, layout: str) -> list[Any]:
    """Primary, EVENTS, the extension tables present (GTI always) and the images present."""
    from astropy.io import fits

    gti = gti_table(ds)
    head = _header(ds, layout, *_span(ds, gti))
    hdus = [fits.PrimaryHDU(), fits.BinTableHDU.from_columns(event_columns(ds), header=head,
                                                             name="EVENTS")]  # fmt: skip
    full = ds.assign(gti_dataset(gti))
    for ext, (_, cols) in TABLES.items():
        if all(var in full for var in cols):
            columns = [_table_column(full[var].values, *spec) for var, spec in cols.items()]
            hdus.append(fits.BinTableHDU.from_columns(columns, name=ext))
    for var, (ext, _, file_dtype, _) in IMAGES.items():
        if var in ds:
            hdus.append(fits.ImageHDU(ds[var].values.astype(file_dtype), name=ext))
    return hdus


def write_event_list(
    ds: xr.Dataset, path: str | os.PathLike[str], instrument: str | None = None
) -> Path:
    """Write an SVOM event list as an OGIP FITS file (module docstring), atomically.

    Parameters
    ----------
    ds
        Event list of :mod:`fcspace.svom.events` with the variables of its layout.
    path
        Destination; written under a temporary name, then renamed.
    instrument
        Layout (``"ECLAIRs"``, ``"GRM"``); default: the ``instrument`` attribute.

    Raises
    ------
    InputError
        Unknown layout, a missing variable, non-finite or unsorted times (nothing is written).
    """
    from astropy.io import fits

    layout = _layout_name(instrument or ds.attrs.get("instrument"))
    check_events(ds, LAYOUTS[layout])
    _check_times(ds["time"].values, None)
    hdus = _hdus(ds, layout)
    return write_atomic(
        path, lambda tmp: fits.HDUList(hdus).writeto(tmp, overwrite=True, checksum=True)
    )


# ---------------------------------------------------------------------------------- reading
@contextlib.contextmanager
def open_checked(path: str | os.PathLike[str]) -> Iterator[Any]:
    """Open a FITS file whole, checksums verified ([FITS-checksum]), warnings as errors.

    Any failure while the file is open (missing, not FITS, truncated, failed checksum, a
    missing HDU or column) becomes an :class:`InputError` naming the file; an
    :class:`InputError` raised inside the block passes unchanged.
    """
    from astropy.io import fits

    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=p)
    try:
        with warnings.catch_warnings(), p.open("rb") as fh:  # fh closes even if open fails
            warnings.simplefilter("error")
            with fits.open(fh, memmap=False, lazy_load_hdus=False, checksum=True) as hdul:
                yield hdul
    except InputError:
        raise
    except Warning as w:
        what = "checksum verification failed" if "sum" in str(w).lower() else "unreadable"
        raise InputError(f"{what} or truncated FITS file ({str(w).strip()})", path=p) from w
    except _READ_ERRORS as err:
        raise InputError(f"not a readable FITS file, or truncated ({err})", path=p) from err


def _load(path: Path) -> tuple[Any, dict[str, NDArray], dict[str, dict[str, NDArray]], dict]:
    """EVENTS header and columns, extension tables and images, read whole."""
    with open_checked(path) as hdul:
        hdu = table_hdu(hdul, "EVENTS", path)
        columns = {c.upper(): np.array(hdu.data[c]) for c in hdu.columns.names}
        tables = {
            ext: {c.upper(): np.array(t.data[c]) for c in t.columns.names}
            for ext in TABLES
            if ext in hdul
            for t in (table_hdu(hdul, ext, path),)
        }
        images = {v: _image(hdul, s[0], path) for v, s in IMAGES.items() if s[0] in hdul}
        return hdu.header.copy(), columns, tables, images


def _image(hdul: Any, ext: str, path: Path) -> NDArray:
    """Data of image extension ``ext``; :class:`InputError` when it is a table or empty."""
    data = hdul[ext].data
    if getattr(hdul[ext], "columns", None) is not None or data is None:
        raise InputError(f"{ext} is not an image extension", path, ext)
    return np.array(data)


def _check_read(header: Any, columns: dict, tables: dict, path: Path) -> None:
    """Header numbers, event times in [TSTART, TSTOP], ranges and indices of the tables.

    Rules: :data:`~fcspace.svom.events.NUMERIC_KEYWORDS`, ``KEYWORD_RANGES`` and
    ``VALID_RANGES`` (:mod:`fcspace.svom.fits_checks` applies them).
    """
    header_numbers(header, NUMERIC_KEYWORDS, path, "EVENTS", KEYWORD_RANGES)
    _check_times(columns["TIME"], path)
    check_span(columns["TIME"], header, path, "EVENTS")
    if "ENERGY" in columns:
        check_range(columns["ENERGY"], *VALID_RANGES["energy"], path, "EVENTS", "ENERGY")
    if "EBOUNDS" in tables:
        eb = tables["EBOUNDS"]
        check_ebounds(eb.get("E_MIN", []), eb.get("E_MAX", []), path)
        if "PHA" in columns:
            check_index(columns["PHA"], eb.get("E_MIN", np.zeros(0)).size, path, "EVENTS", "PHA")
    if "DETNAMES" in tables and "DETECTOR" in columns:
        n_det = tables["DETNAMES"].get("DETNAM", np.zeros(0)).size
        check_index(columns["DETECTOR"], n_det, path, "EVENTS", "DETECTOR")
    if "GTI" in tables:
        check_gti(tables["GTI"].get("START", []), tables["GTI"].get("STOP", []), path)


def _variable_attrs(var: str, unit: str | None) -> dict[str, str]:
    return VARIABLE_ATTRS.get(var, {"units": unit} if unit else {})


def _attrs(header: Any, layout: str) -> dict[str, Any]:
    """Dataset attributes from the EVENTS header (the layout's keywords, span, MET epoch)."""
    found = {name: header[key] for name, key in HEADER_KEYWORDS[layout].items() if key in header}
    first = ("TELESCOP", "INSTRUME")  # mission and instrument first, as the lists are built
    attrs = {n: v for n, v in found.items() if HEADER_KEYWORDS[layout][n] in first}
    if layout in SPAN_LAYOUTS:
        t0 = float(header.get("TSTART", 0.0))
        attrs["met_start"] = t0
        attrs["exposure"] = float(header.get("TSTOP", t0)) - t0
    attrs["mjdref_tt"] = mjdref_from_header(header, 0.0)
    return attrs | found


def _dataset(header: Any, columns: dict, tables: dict, images: dict, layout: str) -> xr.Dataset:
    """The in-memory event list of the columns, tables and images read."""
    data: dict[str, Any] = {}
    for var, (col, _, dtype, unit) in EVENT_COLUMNS.items():
        if col in columns:
            data[var] = (("event",), columns[col].astype(dtype), _variable_attrs(var, unit))
    for var, (_, dims, _, dtype) in IMAGES.items():
        if var in images:
            data[var] = (dims, images[var].astype(dtype))
    for ext, (dim, cols) in TABLES.items():
        for var, (col, _, dtype, unit) in cols.items():
            if col in tables.get(ext, {}):
                values = np.asarray(tables[ext][col], dtype=dtype)
                data[var] = (dim, values, _variable_attrs(var, unit))
    if "gti_start" not in data:  # files without a GTI table: the whole span is good
        t0 = float(header.get("TSTART", 0.0))
        data |= gti_dataset([[t0, float(header.get("TSTOP", t0))]])
    import xarray as xr

    return xr.Dataset(data, attrs=_attrs(header, layout))


def read_event_list(path: str | os.PathLike[str], instrument: str | None = None) -> xr.Dataset:
    """Read an SVOM FITS event list (module docstring) into the layout of :mod:`.events`.

    Parameters
    ----------
    path
        FITS event list.
    instrument
        Layout to read (``"ECLAIRs"``, ``"GRM"``); default: the header's ``EVLAYOUT``, else
        ``INSTRUME``.

    Raises
    ------
    InputError
        Naming the file: missing, not FITS, truncated, a failed checksum, no EVENTS table (or
        an image in its place), a missing column of the layout, non-finite or unsorted times,
        events outside ``[TSTART, TSTOP]``, a non-numeric or out-of-range header value,
        inverted or non-finite EBOUNDS, PHA or DETECTOR indices outside their tables.
    """
    p = Path(path)
    header, columns, tables, images = _load(p)
    layout = _layout_name(instrument or header.get("EVLAYOUT") or header.get("INSTRUME"), p)
    for var in LAYOUTS[layout]:
        col = EVENT_COLUMNS[var][0]
        if col not in columns:
            raise InputError(f"EVENTS lacks column {col}", path=p, variable=col)
    _check_read(header, columns, tables, p)
    return _dataset(header, columns, tables, images, layout)
