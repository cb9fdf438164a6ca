"""Read and write the SVOM mission's L1 event files (layouts of :mod:`fcspace.svom.l1_layouts`).

One reader and one writer for ECLAIRs ECL-EVT-CAL and the GRM hourly event files, driven by the
layout tables. File form:

- primary HDU: the card keywords ``ORIGIN``, ``TELESCOP``, ``INSTRUME``, ``CREATOR``, ``CARD``,
  ``DATE``, the time keywords ``TIMEREF``, ``TIMESYS``, ``TIMEUNIT``, ``MJDREFI``/``MJDREFF``,
  ``TSTART``/``TSTOP`` ([FSC-cards], [FITS-time]) and the list's attribute keywords (pointing
  ``RA_PNT``/``DEC_PNT``/``PA_PNT``, simulation truth ``TR*``, of
  :data:`fcspace.svom.events.HEADER_KEYWORDS`);
- the event tables of the layout (``EVENTS``, or ``EVENTS01``.. one per detector with ``DETNAM``),
  with the time keywords repeated ([OGIP93003]);
- ``GTI`` (``START``, ``STOP``), ``EBOUNDS`` (``CHANNEL``, ``E_MIN``, ``E_MAX``) and, when the
  list has one, the ``PIXSTAT`` image.

In memory the list is the layout of :mod:`fcspace.svom.events` (absolute MET, GTIs): ``PI``
becomes ``channel`` and ``energy`` (the centre of its ``EBOUNDS`` bin), ``IDET``/``JDET`` the
ECLAIRs pixel ``y``/``z``, ``EVENTS0n`` the GRM ``detector`` n - 1; the mission's other columns
(``PHA``, ``FLAG``, ``GAIN_TYPE``, ...) are kept as variables of their lower-case name. Every
HDU carries ``CHECKSUM``/``DATASUM`` ([FITS-checksum]), verified on reading.

Sources
-------
- [FSC-cards], [OGIP93003]: see :mod:`fcspace.svom.l1_layouts`.
- [FITS-time] Rots, A. H., et al. (2015). Representations of time coordinates in FITS.
  A&A 574, A36.
- [FITS-checksum] Seaman, R., Pence, W., Rots, A. (2012). FITS Checksum Proposal.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.core.products import write_atomic
from fcspace.svom.events import (
    HEADER_KEYWORDS,
    IMAGES,
    KEYWORD_RANGES,
    LAYOUTS,
    NUMERIC_KEYWORDS,
    check_events,
    gti_dataset,
    gti_table,
    mjdref_from_header,
    time_header,
)
from fcspace.svom.events_fits import open_checked
from fcspace.svom.fits_checks import (
    check_ebounds,
    check_gti,
    check_index,
    check_range,
    check_span,
    header_numbers,
    table_hdu,
)
from fcspace.svom.l1_layouts import L1_LAYOUTS, L1Layout, layout_of_card
from fcspace.svom.time import SVOM_MJDREF_TT

if TYPE_CHECKING:  # xarray is imported where a Dataset is made (fast start of the CLI)
    import xarray as xr

__all__ = [
    "is_l1_file",
    "read_gti_file",
    "read_l1_events",
    "write_gti_file",
    "write_l1_events",
]

_READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError)
_OWN_KEYS = ("TELESCOP", "INSTRUME", "TIMESYS")  # written from the card, not from attributes


# ---------------------------------------------------------------------------------- writing
def _span(ds: xr.Dataset, gti: NDArray) -> tuple[float, float]:
    """TSTART, TSTOP: ``met_start`` + ``exposure`` when set, else the GTIs."""
    if "met_start" in ds.attrs:
        t0 = float(ds.attrs["met_start"])
        return t0, t0 + float(ds.attrs.get("exposure", 0.0))
    return float(gti[:, 0].min()), float(gti[:, 1].max())


def _primary(ds: xr.Dataset, lay: L1Layout, tstart: float, tstop: float) -> Any:
    """Primary header: the card keywords, time keywords and the list's attribute keywords."""
    from astropy.io import fits
    from astropy.time import Time

    import fcspace

    h = fits.Header()
    h["ORIGIN"] = ("FSC", "Science Center (card value)")
    h["TELESCOP"] = ("SVOM", "Official acronym for the mission")
    h["INSTRUME"] = (lay.instrume, "Instrument acronym")
    h["CREATOR"] = (f"fcspace {getattr(fcspace, '__version__', '')}".strip(), "made by")
    h["CARD"] = (lay.card, "Product card")
    h["DATE"] = (Time.now().utc.isot[:19], "File creation date (ISO 8601 UTC)")
    for key, value, comment in time_header(
        float(ds.attrs.get("mjdref_tt", SVOM_MJDREF_TT)), tstart, tstop
    ):
        h[key] = (value, comment)
    for name, key in HEADER_KEYWORDS[lay.instrument].items():
        value = ds.attrs.get(name)
        if isinstance(value, np.generic):
            value = value.item()
        ok = isinstance(value, str) or (isinstance(value, int | float) and np.isfinite(value))
        if key not in _OWN_KEYS and ok:
            h[key] = (value, name)
    return h


def _event_hdu(ds: xr.Dataset, sel: NDArray, lay: L1Layout, name: str, head: Any) -> Any:
    """One event table: the layout's columns of the selected events (fill where absent)."""
    from astropy.io import fits

    cols = []
    n = int(sel.sum())
    for var, (col, fmt, dtype, unit, fill) in lay.columns.items():
        if var.startswith("truth_") and var not in ds:
            continue  # truth columns only for simulated lists
        values = ds[var].values[sel] if var in ds else np.full(n, fill)
        cols.append(fits.Column(col, fmt, unit=unit, array=np.asarray(values).astype(dtype)))
    hdu = fits.BinTableHDU.from_columns(cols, name=name)
    for key in ("TELESCOP", "INSTRUME", "TIMEREF", "TIMESYS", "TIMEUNIT", "MJDREFI",
                "MJDREFF", "TSTART", "TSTOP"):  # fmt: skip
        hdu.header[key] = (head[key], head.comments[key])
    return hdu


def _tables(ds: xr.Dataset, gti: NDArray) -> list[Any]:
    """GTI, EBOUNDS and the image extensions the list has."""
    from astropy.io import fits

    e_lo, e_hi = ds["e_min"].values, ds["e_max"].values
    out = [
        fits.BinTableHDU.from_columns(
            [fits.Column("START", "D", unit="s", array=gti[:, 0]),
             fits.Column("STOP", "D", unit="s", array=gti[:, 1])], name="GTI"),
        fits.BinTableHDU.from_columns(
            [fits.Column("CHANNEL", "J", array=np.arange(e_lo.size, dtype=np.int32)),
             fits.Column("E_MIN", "D", unit="keV", array=e_lo.astype(np.float64)),
             fits.Column("E_MAX", "D", unit="keV", array=e_hi.astype(np.float64))],
            name="EBOUNDS"),
    ]  # fmt: skip
    for var, (ext, _, file_dtype, _) in IMAGES.items():
        if var in ds:
            out.append(fits.ImageHDU(ds[var].values.astype(file_dtype), name=ext))
    return out


def _hdus(ds: xr.Dataset, lay: L1Layout) -> list[Any]:
    from astropy.io import fits

    gti = gti_table(ds)
    head = _primary(ds, lay, *_span(ds, gti))
    hdus = [fits.PrimaryHDU(header=head)]
    multi = len(lay.event_hdus) > 1
    det = ds["detector"].values if multi else None
    for d, name in enumerate(lay.event_hdus):
        sel = det == d if multi else np.ones(ds.sizes["event"], bool)
        hdu = _event_hdu(ds, sel, lay, name, head)
        if multi and "detector_name" in ds and d < ds.sizes["det"]:
            hdu.header["DETNAM"] = (str(ds["detector_name"].values[d]), "detector")
        hdus.append(hdu)
    return hdus + _tables(ds, gti)


def _check_writable(ds: xr.Dataset, lay: L1Layout) -> None:
    """Variables the layout needs, channels inside EBOUNDS, finite sorted times."""
    check_events(ds, (*LAYOUTS[lay.instrument], "channel", "e_min", "e_max"))
    ch = ds["channel"].values
    if ch.size and (ch.min() < 0 or ch.max() >= ds["e_min"].size):
        raise InputError(f"channel outside EBOUNDS 0..{ds['e_min'].size - 1}", variable="channel")
    t = ds["time"].values
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0):
        raise InputError("event times must be finite and sorted", variable="time")
    if len(lay.event_hdus) > 1 and ds["detector"].size:
        d = ds["detector"].values
        if d.min() < 0 or d.max() >= len(lay.event_hdus):
            raise InputError(f"detector outside 0..{len(lay.event_hdus) - 1}", variable="detector")


def write_l1_events(ds: xr.Dataset, path: str | os.PathLike[str], card: str) -> Path:
    """Write an event list as the mission L1 file of layout ``card``, atomically.

    Parameters
    ----------
    ds
        Event list of :mod:`fcspace.svom.events` with ``channel`` (the PI) and the ``e_min``/
        ``e_max`` channel bounds (the file's EBOUNDS).
    path
        Destination; written under a temporary name, then renamed.
    card
        ``"ECL-EVT-CAL"`` or ``"GRM-EVT"`` (:data:`fcspace.svom.l1_layouts.L1_LAYOUTS`).

    Raises
    ------
    InputError
        Unknown card, a missing variable, channels outside EBOUNDS, bad times (nothing written).
    """
    from astropy.io import fits

    if card not in L1_LAYOUTS:
        raise InputError(f"unknown L1 layout {card!r} (known: {', '.join(L1_LAYOUTS)})")
    lay = L1_LAYOUTS[card]
    _check_writable(ds, lay)
    hdus = _hdus(ds, lay)
    return write_atomic(
        path, lambda tmp: fits.HDUList(hdus).writeto(tmp, overwrite=True, checksum=True)
    )


# ---------------------------------------------------------------------------------- reading
def is_l1_file(path: str | os.PathLike[str]) -> bool:
    """Whether a FITS file is a mission L1 event file (its primary ``CARD`` names a layout)."""
    from astropy.io import fits

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            card = str(fits.getheader(path, 0).get("CARD", "")).strip()
    except _READ_ERRORS:
        return False
    return any(card in lay.cards for lay in L1_LAYOUTS.values())


def _table(hdul: Any, ext: str, path: Path) -> tuple[Any, dict[str, NDArray]]:
    hdu = table_hdu(hdul, ext, path)
    names = hdu.columns.names if hdu.data is not None else []
    return hdu.header.copy(), {c.upper(): np.array(hdu.data[c]) for c in names}


def _load(path: Path, card: str | None) -> tuple[L1Layout, Any, dict, dict]:
    """Layout, primary header, tables (EXTNAME -> (header, columns)) and images."""
    with open_checked(path) as hdul:
        primary = hdul[0].header.copy()
        lay = layout_of_card(primary.get("CARD"), path)
        if card is not None and card not in lay.cards:
            raise InputError(f"CARD {primary.get('CARD')!r}, expected {card!r}", path, "CARD")
        tables = {ext: _table(hdul, ext, path) for ext in (*lay.event_hdus, "GTI", "EBOUNDS")}
        images = {v: _image(hdul, s[0], path) for v, s in IMAGES.items() if s[0] in hdul}
    return lay, primary, tables, images


def _image(hdul: Any, ext: str, path: Path) -> NDArray:
    """Data of image extension ``ext``; :class:`InputError` when it is a table or empty."""
    if getattr(hdul[ext], "columns", None) is not None or hdul[ext].data is None:
        raise InputError(f"{ext} is not an image extension", path, ext)
    return np.array(hdul[ext].data)


def _check_tables(lay: L1Layout, primary: Any, tables: dict, path: Path) -> None:
    """Header numbers, times in [TSTART, TSTOP], EBOUNDS, GTI and the layout's column ranges."""
    header_numbers(primary, NUMERIC_KEYWORDS, path, "PRIMARY", KEYWORD_RANGES)
    eb, gti = tables["EBOUNDS"][1], tables["GTI"][1]
    if "E_MIN" not in eb or "E_MAX" not in eb:
        raise InputError("EBOUNDS lacks E_MIN/E_MAX", path, "EBOUNDS")
    check_ebounds(eb["E_MIN"], eb["E_MAX"], path)
    check_gti(gti.get("START", []), gti.get("STOP", []), path)
    for ext in lay.event_hdus:
        head, cols = tables[ext]
        header_numbers(head, NUMERIC_KEYWORDS, path, ext, KEYWORD_RANGES)
        if "TIME" in cols:
            check_span(cols["TIME"], primary, path, ext)
        for var, (lo, hi) in lay.ranges.items():
            col = lay.columns[var][0]
            if col in cols:
                check_range(cols[col], lo, hi, path, ext, col)
        for col in ("PI", "PHA"):
            if col in cols and (col == "PI" or "pha" in lay.columns):
                check_index(cols[col], eb["E_MIN"].size, path, ext, col)


def _events(lay: L1Layout, tables: dict, path: Path) -> dict[str, NDArray]:
    """The event columns of all event tables, as variables (GRM: ``detector`` added, sorted)."""
    parts: dict[str, list[NDArray]] = {var: [] for var in lay.columns}
    parts["detector"] = []
    for d, ext in enumerate(lay.event_hdus):
        cols = tables[ext][1]
        for need in ("TIME", "PI"):
            if need not in cols:
                raise InputError(f"{ext} lacks column {need}", path, need)
        n = cols["TIME"].size
        for var, (col, _, dtype, _, fill) in lay.columns.items():
            parts[var].append(np.asarray(cols.get(col, np.full(n, fill))).astype(dtype))
        parts["detector"].append(np.full(n, d, np.int16))
    out = {var: np.concatenate(v) for var, v in parts.items()}
    present = {lay.columns[v][0] for v in lay.columns} & set().union(
        *(tables[e][1] for e in lay.event_hdus)
    )
    out = {v: a for v, a in out.items() if v == "detector" or lay.columns[v][0] in present}
    if not np.all(np.isfinite(out["time"])):
        raise InputError("non-finite times", path, "TIME")
    if len(lay.event_hdus) == 1:
        if np.any(np.diff(out["time"]) < 0):
            raise InputError("event times are not sorted", path, "TIME")
        del out["detector"]
        return out
    order = np.argsort(out["time"], kind="stable")
    return {v: a[order] for v, a in out.items()}


def _energy(columns: dict, tables: dict, path: Path) -> tuple[NDArray, NDArray, NDArray]:
    """Channel bounds of EBOUNDS and the energy (channel centre, keV) of every event."""
    eb = tables["EBOUNDS"][1]
    if "E_MIN" not in eb or "E_MAX" not in eb:
        raise InputError("EBOUNDS lacks E_MIN/E_MAX", path, "EBOUNDS")
    e_lo, e_hi = eb["E_MIN"].astype(float), eb["E_MAX"].astype(float)
    ch = columns["channel"]
    if ch.size and (ch.min() < 0 or ch.max() >= e_lo.size):
        raise InputError(f"PI outside EBOUNDS 0..{e_lo.size - 1}", path, "PI")
    return e_lo, e_hi, (0.5 * (e_lo + e_hi))[ch].astype(np.float32)


def _attrs(lay: L1Layout, primary: Any, path: Path) -> dict[str, Any]:
    base: dict[str, Any] = {"telescope": "SVOM", "instrument": lay.instrument}
    if lay.instrument == "GRM":
        base = {"mission": "SVOM", "instrument": "GRM", "timesys": "TT", "trigtime": np.nan}
    if lay.span:
        t0 = float(primary.get("TSTART", 0.0))
        base |= {"met_start": t0, "exposure": float(primary.get("TSTOP", t0)) - t0}
    base["mjdref_tt"] = mjdref_from_header(primary, SVOM_MJDREF_TT)
    found = {
        n: primary[k]
        for n, k in HEADER_KEYWORDS[lay.instrument].items()
        if k in primary and k not in _OWN_KEYS
    }
    return base | found | {"card": lay.card, "source_file": path.name}


def read_l1_events(path: str | os.PathLike[str], card: str | None = None) -> xr.Dataset:
    """Read a mission L1 event file into the event-list layout of :mod:`fcspace.svom.events`.

    Parameters
    ----------
    path
        ECL-EVT-CAL or GRM hourly event file.
    card
        Expected ``CARD`` (default: whichever layout the file's ``CARD`` names).

    Raises
    ------
    InputError
        Naming the file: missing, not FITS, truncated, a failed checksum, an unknown or wrong
        ``CARD``, a missing extension or column (or an image in place of a table), PI/PHA
        outside EBOUNDS, inverted or non-finite EBOUNDS, bad times (non-finite, unsorted or
        outside ``[TSTART, TSTOP]``), a non-numeric or out-of-range header value, a column
        outside the range of the layout (:class:`~fcspace.svom.l1_layouts.L1Layout`).
    """
    p = Path(path)
    lay, primary, tables, images = _load(p, card)
    _check_tables(lay, primary, tables, p)
    cols = _events(lay, tables, p)
    e_lo, e_hi, energy = _energy(cols, tables, p)
    data: dict[str, Any] = {v: ("event", a) for v, a in cols.items()}
    data["time"] = ("event", cols["time"], {"units": "s", "long_name": "MET"})
    data["energy"] = ("event", energy, {"units": "keV"})
    data |= {"e_min": ("pha_channel", e_lo, {"units": "keV"}),
             "e_max": ("pha_channel", e_hi, {"units": "keV"})}  # fmt: skip
    if len(lay.event_hdus) > 1:
        names = [str(tables[e][0].get("DETNAM", e)).strip() for e in lay.event_hdus]
        data["detector_name"] = ("det", np.asarray(names, dtype=str))
    gti = tables["GTI"][1]
    data |= gti_dataset(np.column_stack([gti.get("START", []), gti.get("STOP", [])]))
    for var, (_, dims, _, dtype) in IMAGES.items():
        if var in images:
            data[var] = (dims, images[var].astype(dtype))
    import xarray as xr

    return xr.Dataset(data, attrs=_attrs(lay, primary, p))


# ---------------------------------------------------------------------- GTI product (ECL-GTI)
def write_gti_file(
    path: str | os.PathLike[str], gti: Any, mjdref_tt: float = SVOM_MJDREF_TT
) -> Path:
    """Write good time intervals (n, 2), MET s, as the ECLAIRs GTI product (card ``ECL-GTI``).

    Primary HDU with the card keywords (``INSTRUME = 'ECL'``), one ``GTI`` table (``START``,
    ``STOP``); ASSUMPTION: the card name ECL-GTI is the issue's, its columns are OGIP's.
    """
    from astropy.io import fits

    a = np.asarray(gti, float).reshape(-1, 2)
    if not np.all(np.isfinite(a)) or np.any(a[:, 1] < a[:, 0]):
        raise InputError("GTIs must be finite with STOP >= START", variable="gti")
    import xarray as xr

    ds = xr.Dataset(gti_dataset(a), attrs={"mjdref_tt": mjdref_tt})
    lay = L1Layout("ECL-GTI", "ECLAIRs", "ECL", (), {})
    head = _primary(ds, lay, float(a[:, 0].min(initial=0.0)), float(a[:, 1].max(initial=0.0)))
    table = fits.BinTableHDU.from_columns(
        [fits.Column("START", "D", unit="s", array=a[:, 0]),
         fits.Column("STOP", "D", unit="s", array=a[:, 1])], name="GTI")  # fmt: skip
    hdus = fits.HDUList([fits.PrimaryHDU(header=head), table])
    return write_atomic(path, lambda tmp: hdus.writeto(tmp, overwrite=True, checksum=True))


def read_gti_file(path: str | os.PathLike[str]) -> NDArray[np.float64]:
    """(n, 2) good time intervals (MET s) of an ECL-GTI file; :class:`InputError` names it."""
    p = Path(path)
    with open_checked(p) as hdul:
        if str(hdul[0].header.get("CARD", "")).strip() != "ECL-GTI":
            raise InputError("CARD is not 'ECL-GTI'", p, "CARD")
        cols = _table(hdul, "GTI", p)[1]
    if "START" not in cols or "STOP" not in cols:
        raise InputError("GTI lacks START/STOP", p, "GTI")
    check_gti(cols["START"], cols["STOP"], p)
    return np.column_stack([cols["START"], cols["STOP"]]).astype(float)
