"""Event lists of gamma-ray burst monitors: the GRM layout, Fermi GBM TTE, GRM FITS and NetCDF.

The layout (one ``xarray.Dataset``, made by :func:`event_list`) is the SVOM event-list layout
of :mod:`fcspace.svom.events` (absolute MET, GTIs) with the GRM variables; it is shared by the
GRM simulator and by the reader of real Fermi GBM time-tagged event (TTE) files, so the same
trigger runs on both:

- ``time`` (event): mission elapsed time (MET), SI seconds since the epoch whose TT Modified
  Julian Date is the ``mjdref_tt`` attribute (the FITS ``MJDREFI + MJDREFF`` convention);
- ``detector`` (event): index into ``detector_name`` (dimension ``det``);
- ``channel`` (event), ``energy`` (event, keV): PHA channel and its energy (the channel
  centre for real data, the measured energy for simulated data);
- ``e_min``/``e_max`` (``pha_channel``): channel energy bounds in keV;
- ``gti_start``/``gti_stop`` (``gti``): good time intervals in MET s.

Files: :func:`write_events` writes the SVOM FITS event list of :mod:`fcspace.svom.events_fits`
(the one form shared with ECLAIRs) for ``.fits``/``.fit``/``.evt`` paths and NetCDF otherwise;
:func:`read_events` reads both and Fermi GBM TTE files (:func:`read_gbm_tte`).

Sources
-------
- [GBM-TTE] Fermi GBM Science Support Center, "GBM data products: TTE" (FITS layout:
  EVENTS (TIME, PHA), EBOUNDS (CHANNEL, E_MIN, E_MAX), GTI (START, STOP); TIME may carry
  TZERO = TRIGTIME), https://fermi.gsfc.nasa.gov/ssc/data/access/gbm/.
- [FITS-time] Rots, A. H., Bunclark, P. S., et al. (2015). Representations of time
  coordinates in FITS. A&A 574, A36 (MJDREF, TIMESYS; MET in SI seconds of TT).
- Fermi MET: seconds since 2001-01-01T00:00:00 UTC counted in TT (``FERMI_MJDREF_TT`` of
  :mod:`fcspace.svom.time`, the value in every GBM file); MET <-> UTC is done there.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.events import (
    KEYWORD_RANGES,
    NUMERIC_KEYWORDS,
    gti_dataset,
    mjdref_from_header,
)
from fcspace.svom.events_fits import open_checked
from fcspace.svom.fits_checks import (
    check_ebounds,
    check_gti,
    check_index,
    check_range,
    check_span,
    header_numbers,
)
from fcspace.svom.time import FERMI_MJDREF_TT

if TYPE_CHECKING:  # xarray is imported where a Dataset is made: not on the GBM trigger path
    import xarray as xr

__all__ = [
    "EventArrays",
    "event_list",
    "read_event_arrays",
    "read_events",
    "read_gbm_tte",
    "write_events",
]

_NEEDED = {"EVENTS": ("TIME", "PHA"), "EBOUNDS": ("CHANNEL", "E_MIN", "E_MAX")}


@dataclass(frozen=True)
class EventArrays:
    """An event list as plain NumPy arrays: the content of :func:`event_list`'s Dataset.

    What the rate trigger (:func:`fcspace.svom.grm.trigger.run_trigger`) reads, without
    xarray: ``fcspace grm trigger`` reads a GBM TTE file straight into it
    (:func:`read_event_arrays`), so the command does not import xarray and pandas (about
    0.6 s of a 1 s process). :meth:`to_dataset` gives the Dataset of :func:`event_list`,
    :meth:`from_dataset` the arrays of any event-list Dataset (views, no copy).

    Attributes
    ----------
    time
        MET of each event (s), sorted.
    detector, energy
        Detector index (into ``detector_names``) and energy (keV) of each event.
    gti
        (n, 2) good time intervals (MET s).
    detector_names
        Name of each detector.
    channel, e_edges
        PHA channel of each event and the channel edges (keV); None where the list has none.
    attrs
        The Dataset's attributes (``mjdref_tt``, ``trigtime``, ``instrument``...).
    """

    time: NDArray[np.float64]
    detector: NDArray[np.int16]
    energy: NDArray[np.float32]
    gti: NDArray[np.float64]
    detector_names: tuple[str, ...]
    channel: NDArray[np.int16] | None = None
    e_edges: NDArray[np.float64] | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        time: ArrayLike,
        detector: ArrayLike,
        channel: ArrayLike,
        energy: ArrayLike,
        e_edges: ArrayLike,
        gti: ArrayLike,
        detector_names: Sequence[str],
        **attrs: Any,
    ) -> EventArrays:
        """Arrays of the layout of :func:`event_list` (same arguments): time-sorted, typed."""
        order = np.argsort(np.asarray(time, float), kind="stable")
        return cls(
            time=np.asarray(time, float)[order],
            detector=np.asarray(detector, np.int16)[order],
            energy=np.asarray(energy, np.float32)[order],
            gti=np.asarray(gti, float).reshape(-1, 2),
            detector_names=tuple(str(d) for d in detector_names),
            channel=np.asarray(channel, np.int16)[order],
            e_edges=np.asarray(e_edges, float),
            attrs={"mjdref_tt": FERMI_MJDREF_TT, "timesys": "TT", "trigtime": np.nan} | attrs,
        )

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> EventArrays:
        """The arrays of an event-list Dataset (any reader of this module); no copy."""
        edges = None
        if "e_min" in ds and "e_max" in ds:
            edges = np.append(ds["e_min"].values, ds["e_max"].values[-1:])
        return cls(
            time=ds["time"].values,
            detector=ds["detector"].values,
            energy=ds["energy"].values,
            gti=np.column_stack([ds["gti_start"].values, ds["gti_stop"].values]),
            detector_names=tuple(str(d) for d in ds["detector_name"].values),
            channel=ds["channel"].values if "channel" in ds else None,
            e_edges=edges,
            attrs=dict(ds.attrs),
        )

    def to_dataset(self) -> xr.Dataset:
        """The event-list Dataset (layout in the module docstring)."""
        import xarray as xr

        data: dict[str, Any] = {
            "time": ("event", self.time, {"units": "s", "long_name": "MET"}),
            "detector": ("event", self.detector),
        }
        if self.channel is not None:
            data["channel"] = ("event", self.channel)
        data["energy"] = ("event", self.energy, {"units": "keV"})
        if self.e_edges is not None:
            data["e_min"] = ("pha_channel", self.e_edges[:-1], {"units": "keV"})
            data["e_max"] = ("pha_channel", self.e_edges[1:], {"units": "keV"})
        data["detector_name"] = ("det", np.asarray(self.detector_names, dtype=str))
        return xr.Dataset(data | gti_dataset(self.gti), attrs=dict(self.attrs))


def event_list(
    time: ArrayLike,
    detector: ArrayLike,
    channel: ArrayLike,
    energy: ArrayLike,
    e_edges: ArrayLike,
    gti: ArrayLike,
    detector_names: Sequence[str],
    **attrs: Any,
) -> xr.Dataset:
    """Build the shared event-list Dataset (layout in the module docstring), time-sorted."""
    arrays = EventArrays.build(time, detector, channel, energy, e_edges, gti, detector_names,
                               **attrs)  # fmt: skip
    return arrays.to_dataset()


def _column(hdul: Any, path: Path, hdu: str, name: str) -> np.ndarray:
    """One column of one HDU, scaled (TZERO applied); missing pieces → InputError."""
    from fcspace.svom.fits_checks import table_hdu

    if hdu not in hdul:
        raise InputError(f"no {hdu} extension (expected a Fermi GBM TTE file)", path=path)
    data = table_hdu(hdul, hdu, path).data
    if data is None or name not in data.columns.names:
        raise InputError(f"{hdu} extension has no column {name!r}", path=path, variable=name)
    try:
        return np.asarray(data[name])
    except (OSError, ValueError, TypeError, IndexError) as err:
        raise InputError(f"cannot read {hdu}.{name} ({err})", path=path, variable=name) from err


def _gti(hdul: Any, path: Path, time: np.ndarray) -> np.ndarray:
    if "GTI" not in hdul:  # a GTI is optional: the span of the events is then good
        return np.array([[time.min(), time.max()]]) if time.size else np.zeros((0, 2))
    start, stop = _column(hdul, path, "GTI", "START"), _column(hdul, path, "GTI", "STOP")
    check_gti(start, stop, path)
    return np.column_stack([start, stop])


def _check_tte(hdul: Any, path: Path, cols: dict) -> None:
    """Header numbers of every HDU, TIME in [TSTART, TSTOP], EBOUNDS, PHA in EBOUNDS."""
    for hdu in hdul:
        header_numbers(hdu.header, NUMERIC_KEYWORDS, path, hdu.name, KEYWORD_RANGES)
    check_span(cols["EVENTS", "TIME"], hdul["EVENTS"].header, path, "EVENTS")
    check_ebounds(cols["EBOUNDS", "E_MIN"], cols["EBOUNDS", "E_MAX"], path)
    check_index(cols["EVENTS", "PHA"], cols["EBOUNDS", "E_MIN"].size, path, "EVENTS", "PHA")


def read_gbm_tte(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read a Fermi GBM TTE FITS file into the shared event-list layout ([GBM-TTE]).

    ``TIME`` is returned as MET (astropy applies ``TZERO1``, which GBM sets to TRIGTIME);
    channel energies come from EBOUNDS (``energy`` is the channel's arithmetic centre).
    Every HDU's ``CHECKSUM``/``DATASUM`` is verified when present
    (:func:`fcspace.svom.events_fits.open_checked`), and what is read is checked
    (:mod:`fcspace.svom.fits_checks`).

    Raises
    ------
    InputError
        Naming the file (and HDU, keyword or column): missing, not FITS, truncated, a failed
        checksum, no EVENTS/EBOUNDS table (or an image in its place) or column, a non-numeric
        or out-of-range header value (``TRIGTIME``, ``TSTART``, ...), event times not finite
        or outside ``[TSTART, TSTOP]``, EBOUNDS inverted or not finite, PHA outside EBOUNDS,
        GTI with STOP < START.
    """
    return _gbm_tte_arrays(Path(path)).to_dataset()


def _gbm_tte_arrays(p: Path) -> EventArrays:
    """The arrays of a GBM TTE file (:func:`read_gbm_tte`, which documents the checks)."""
    with open_checked(p) as hdul:
        cols = {(h, c): _column(hdul, p, h, c) for h, names in _NEEDED.items() for c in names}
        _check_tte(hdul, p, cols)
        time, pha = cols["EVENTS", "TIME"].astype(float), cols["EVENTS", "PHA"].astype(np.int64)
        e_lo, e_hi = cols["EBOUNDS", "E_MIN"].astype(float), cols["EBOUNDS", "E_MAX"].astype(float)
        gti, head = _gti(hdul, p, time), hdul[0].header
        det = str(head.get("DETNAM", hdul["EVENTS"].header.get("DETNAM", "GBM"))).strip()
        attrs = {
            "mission": str(head.get("TELESCOP", "GLAST")).strip(),
            "instrument": str(head.get("INSTRUME", "GBM")).strip(),
            "mjdref_tt": mjdref_from_header(head, FERMI_MJDREF_TT),
            "timesys": str(head.get("TIMESYS", "TT")).strip(),
            "trigtime": float(head.get("TRIGTIME", np.nan)),
            "object": str(head.get("OBJECT", "")).strip(),
            "source_file": p.name,
        }
    edges = np.append(e_lo, e_hi[-1])
    energy = 0.5 * (e_lo + e_hi)[pha]
    return EventArrays.build(time, np.zeros_like(pha), pha, energy, edges, gti, [det], **attrs)


_FITS_SUFFIXES = (".fits", ".fit", ".evt")


def write_events(ds: xr.Dataset, path: str | os.PathLike[str], layout: str | None = None) -> Path:
    """Write an event list (simulated GRM or read) atomically (temporary name + rename).

    ``layout="GRM-EVT"`` (default for a file name of the hourly pattern
    ``svom_grm_evt_YYMMDD_HH_vNN.fits``, :func:`fcspace.svom.l1_layouts.grm_hourly_name`)
    gives the mission's L1 file (:mod:`fcspace.svom.l1_fits`: EBOUNDS, GTI, EVENTS01-03 with
    TIME, PI, GAIN_TYPE, DEAD_TIME, EVT_TYPE, ANTI_COIN, FLAG; energies read back as PI
    channel centres). Otherwise (``layout="fcspace"``) a path ending in ``.fits``, ``.fit`` or
    ``.evt`` gets the SVOM FITS event list of :func:`fcspace.svom.events_fits.write_event_list`
    (one EVENTS table with a ``DETECTOR`` column, GTI, EBOUNDS, DETNAMES; simulated energies
    kept exactly, so triggers match NetCDF bit for bit); any other path gets NetCDF, which
    alone also keeps the pulse table ``truth_pulses`` and the ``history`` of simulated lists.
    """
    from fcspace.svom.l1_layouts import parse_hourly_name

    hourly = parse_hourly_name(Path(path).name)
    if layout is None and hourly is not None and hourly[0] == "grm_evt":
        layout = "GRM-EVT"
    if layout == "GRM-EVT":
        from fcspace.svom.l1_fits import write_l1_events

        return write_l1_events(ds, path, "GRM-EVT")
    if layout not in (None, "fcspace"):
        raise InputError(f"unknown GRM file layout {layout!r} (fcspace, GRM-EVT)")
    if Path(path).suffix.lower() in _FITS_SUFFIXES:
        from fcspace.svom.events_fits import write_event_list

        return write_event_list(ds, path, "GRM")
    from fcspace.core.products import add_history, write_netcdf

    out = add_history(ds, f"event list written to {Path(path).name}")
    return write_netcdf(out, path)


def _read_netcdf(path: Path) -> xr.Dataset:
    import xarray as xr

    try:
        with xr.open_dataset(path) as ds:
            loaded = ds.load()
    except (OSError, ValueError) as err:
        raise InputError(f"not a readable NetCDF event list ({err})", path=path) from err
    for name in ("time", "detector", "energy", "detector_name"):
        if name not in loaded:
            raise InputError("not an fcspace event list", path=path, variable=name)
    _check_netcdf(loaded, path)
    return loaded


def _check_netcdf(ds: xr.Dataset, path: Path) -> None:
    """Ranges of a NetCDF event list (rules of :data:`fcspace.svom.events.VALID_RANGES`)."""
    from fcspace.svom.events import VALID_RANGES

    t = ds["time"].values
    check_range(t, *VALID_RANGES["time"], path, "event list", "time")
    if np.any(np.diff(t) < 0):
        raise InputError("event times are not sorted", path, "time")
    check_range(ds["energy"].values, *VALID_RANGES["energy"], path, "event list", "energy")
    check_index(ds["detector"].values, ds.sizes["det"], path, "event list", "detector")
    if "e_min" in ds and "e_max" in ds:
        check_ebounds(ds["e_min"].values, ds["e_max"].values, path, "event list")
        if "channel" in ds:
            check_index(ds["channel"].values, ds["e_min"].size, path, "event list", "channel")
    if "gti_start" in ds and "gti_stop" in ds:
        check_gti(ds["gti_start"].values, ds["gti_stop"].values, path, "event list")


def _is_svom_fits(path: Path) -> bool:
    """Whether a FITS file is an SVOM event list (``EVLAYOUT`` in its EVENTS header)."""
    from astropy.io import fits

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "EVLAYOUT" in fits.getheader(path, "EVENTS")
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return False  # read_gbm_tte then says what is wrong with the file


def _read_svom_fits(path: Path) -> xr.Dataset:
    """An SVOM FITS event list with the attributes :func:`event_list` gives by default."""
    from fcspace.svom.events_fits import read_event_list

    ds = read_event_list(path)
    ds.attrs = {"timesys": "TT", "trigtime": np.nan} | ds.attrs
    return ds


def _fits_kind(p: Path) -> str:
    """``"l1"``, ``"svom"`` or ``"gbm"``: the kind of event list of a FITS file."""
    from fcspace.svom.l1_fits import is_l1_file

    if is_l1_file(p):
        return "l1"
    return "svom" if _is_svom_fits(p) else "gbm"


def _kind(p: Path) -> str:
    """The kind of event list of a file, from its content (see :func:`read_events`)."""
    if not p.is_file():
        raise InputError("file not found", path=p)
    with p.open("rb") as fh:
        magic = fh.read(6)
    if magic == b"SIMPLE":
        return _fits_kind(p)
    if magic.startswith((b"\x89HDF", b"CDF")):
        return "netcdf"
    raise InputError("neither a FITS (GBM TTE) nor a NetCDF (GRM) event list", path=p)


def read_events(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read an event list: a GRM L1 file, an SVOM FITS list, a GBM TTE file or a NetCDF list.

    The format is recognised from the content: ``SIMPLE`` (FITS; the mission's GRM L1 hourly
    file when the primary ``CARD`` names it, energy = centre of the PI channel; an SVOM list
    when its EVENTS header has ``EVLAYOUT``; else GBM TTE), the HDF5 signature (NetCDF-4) or
    ``CDF`` (NetCDF classic).
    """
    p = Path(path)
    kind = _kind(p)
    if kind == "l1":
        from fcspace.svom.l1_fits import read_l1_events

        return read_l1_events(p, "GRM-EVT")
    if kind == "svom":
        return _read_svom_fits(p)
    return read_gbm_tte(p) if kind == "gbm" else _read_netcdf(p)


def read_event_arrays(path: str | os.PathLike[str]) -> EventArrays:
    """Read an event list (any format of :func:`read_events`) as :class:`EventArrays`.

    A GBM TTE file is read straight into arrays (same checks as :func:`read_gbm_tte`), so
    neither xarray nor pandas is imported; the other formats are read by
    :func:`read_events` and viewed as arrays.
    """
    p = Path(path)
    if _kind(p) == "gbm":
        return _gbm_tte_arrays(p)
    return EventArrays.from_dataset(read_events(p))
