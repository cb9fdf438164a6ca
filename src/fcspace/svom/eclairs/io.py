"""ECLAIRs event lists as FITS files (OGIP event-list conventions).

The file holds one ``EVENTS`` binary table with ``TIME`` (absolute MET in s), ``Y``, ``Z``
(pixel indices) and ``ENERGY`` (keV), plus ``TRUTH_SRC`` and ``TRUTH_CMP`` for simulated
data, and an optional ``PIXSTAT`` image (pixel status). Time keywords follow [OGIP93003] and
[FITS-time]: ``TIMESYS = 'TT'``, ``MJDREFI``/``MJDREFF`` (MET epoch), ``TIMEUNIT = 's'``,
``TSTART``/``TSTOP``. The SVOM MET epoch is an assumption (``ECLAIRS.met_epoch_mjd_tt``,
2017-01-01T00:00:00 UTC). Truth attributes become ``TR*`` header keywords.

The in-memory layout is that of ``docs/eclairs_layout.md``; ``read_events`` returns times
relative to ``TSTART`` (attribute ``met_start``).

Sources
-------
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (EVENTS extension, TSTART/TSTOP, TIMESYS, MJDREF).
- [FITS-time] Rots, A. H., et al. (2015). Representations of time coordinates in FITS.
  A&A 574, A36.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.core.products import write_atomic
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument

__all__ = ["POINTING_KEYWORDS", "TRUTH_KEYWORDS", "read_events", "write_events"]

TRUTH_KEYWORDS = {
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
#: Pointing of the boresight during the list (OGIP keywords RA_PNT, DEC_PNT, PA_PNT), degrees;
#: roll in the convention of fcspace.svom.attitude.
POINTING_KEYWORDS = {"attitude_ra": "RA_PNT", "attitude_dec": "DEC_PNT", "attitude_roll": "PA_PNT"}
_REQUIRED = ("TIME", "Y", "Z", "ENERGY")


def _header(ds: xr.Dataset) -> fits.Header:
    """EVENTS header: mission, OGIP time keywords and truth."""
    met0 = float(ds.attrs.get("met_start", 0.0))
    mjdref = float(ds.attrs.get("mjdref_tt", ECLAIRS.met_epoch_mjd_tt))
    h = fits.Header()
    h["TELESCOP"] = (str(ds.attrs.get("telescope", "SVOM")), "mission")
    h["INSTRUME"] = (str(ds.attrs.get("instrument", "ECLAIRs")), "instrument")
    h["TIMESYS"] = ("TT", "MET counts SI seconds of TT")
    h["TIMEUNIT"] = ("s", "unit of TIME, TSTART, TSTOP")
    h["TIMEREF"] = ("LOCAL", "no barycentric correction")
    h["MJDREFI"] = (int(np.floor(mjdref)), "MET epoch, integer part (MJD, TT)")
    h["MJDREFF"] = (mjdref - np.floor(mjdref), "MET epoch, fractional part")
    h["TSTART"] = (met0, "MET of the start (s)")
    h["TSTOP"] = (met0 + float(ds.attrs.get("exposure", 0.0)), "MET of the end (s)")
    for name, key in (TRUTH_KEYWORDS | POINTING_KEYWORDS).items():
        if name in ds.attrs:
            h[key] = (ds.attrs[name], name)
    return h


def _columns(ds: xr.Dataset) -> list[fits.Column]:
    """FITS columns of the event table (absolute MET times)."""
    met0 = float(ds.attrs.get("met_start", 0.0))
    cols = [
        fits.Column("TIME", "D", unit="s", array=ds["time"].values.astype(np.float64) + met0),
        fits.Column("Y", "I", array=ds["y"].values.astype(np.int16)),
        fits.Column("Z", "I", array=ds["z"].values.astype(np.int16)),
        fits.Column("ENERGY", "E", unit="keV", array=ds["energy"].values.astype(np.float32)),
    ]
    if "truth_is_source" in ds:
        cols.append(fits.Column("TRUTH_SRC", "L", array=ds["truth_is_source"].values))
    if "truth_component" in ds:
        cols.append(fits.Column("TRUTH_CMP", "B", array=ds["truth_component"].values))
    return cols


def write_events(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write an event list (layout of docs/eclairs_layout.md) as FITS, atomically.

    Parameters
    ----------
    ds
        Event Dataset with ``time``, ``y``, ``z``, ``energy`` (and optional truth).
    path
        Destination; written under a temporary name, then renamed.
    """
    missing = [v for v in ("time", "y", "z", "energy") if v not in ds]
    if missing:
        raise InputError("event Dataset lacks required variables", variable=missing[0])
    table = fits.BinTableHDU.from_columns(_columns(ds), header=_header(ds), name="EVENTS")
    hdus = [fits.PrimaryHDU(), table]
    if "pixel_status" in ds:
        hdus.append(fits.ImageHDU(ds["pixel_status"].values.astype(np.uint8), name="PIXSTAT"))
    return write_atomic(path, lambda tmp: fits.HDUList(hdus).writeto(tmp, overwrite=True))


def _load(path: Path) -> tuple[fits.Header, dict[str, np.ndarray], np.ndarray | None]:
    """Header, columns and pixel map of the file, fully read (warnings become errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fits.open(path, memmap=False) as hdul:
            if "EVENTS" not in hdul:
                raise InputError("no EVENTS extension", path=path)
            hdu = hdul["EVENTS"]
            names = [c.upper() for c in hdu.columns.names]
            for col in _REQUIRED:
                if col not in names:
                    raise InputError(f"EVENTS lacks column {col}", path=path, variable=col)
            cols = {n: np.array(hdu.data[n]) for n in names}
            status = np.array(hdul["PIXSTAT"].data) if "PIXSTAT" in hdul else None
            return hdu.header.copy(), cols, status


def _check_ranges(cols: dict[str, np.ndarray], path: Path, inst: EclairsInstrument) -> None:
    """Pixel indices inside the detector, energies inside the band, finite times."""
    for name in ("Y", "Z"):
        v = cols[name]
        if v.size and (v.min() < 0 or v.max() >= inst.n_pixels):
            raise InputError(f"pixel index outside 0..{inst.n_pixels - 1}", path, name)
    e = cols["ENERGY"]
    if e.size and not np.all((e >= inst.energy_min_kev) & (e <= inst.energy_max_kev)):
        raise InputError(
            f"energy outside {inst.energy_min_kev}-{inst.energy_max_kev} keV", path, "ENERGY"
        )
    if not np.all(np.isfinite(cols["TIME"])):
        raise InputError("non-finite times", path, "TIME")


def _attrs(header: fits.Header) -> dict[str, Any]:
    """Dataset attributes from the EVENTS header."""
    met0 = float(header.get("TSTART", 0.0))
    attrs: dict[str, Any] = {
        "telescope": str(header.get("TELESCOP", "")),
        "instrument": str(header.get("INSTRUME", "")),
        "met_start": met0,
        "exposure": float(header.get("TSTOP", met0)) - met0,
        "mjdref_tt": float(header.get("MJDREFI", 0)) + float(header.get("MJDREFF", 0.0)),
    }
    for name, key in (TRUTH_KEYWORDS | POINTING_KEYWORDS).items():
        if key in header:
            attrs[name] = header[key]
    return attrs


def read_events(
    path: str | os.PathLike[str], instrument: EclairsInstrument = ECLAIRS
) -> xr.Dataset:
    """Read an ECLAIRs FITS event list into the layout of docs/eclairs_layout.md.

    Raises
    ------
    InputError
        Missing, unreadable or truncated file; no EVENTS table or a missing column; pixel
        indices outside the detector or energies outside the band (names file and column).
    """
    path = Path(path)
    try:
        header, cols, status = _load(path)
    except InputError:
        raise
    except (OSError, ValueError, TypeError, KeyError, IndexError, Warning) as err:
        raise InputError(f"unreadable or truncated FITS file ({err})", path=path) from err
    _check_ranges(cols, path, instrument)
    attrs = _attrs(header)
    ev = ("event",)
    data: dict[str, Any] = {
        "time": (ev, cols["TIME"].astype(np.float64) - attrs["met_start"], {"units": "s"}),
        "y": (ev, cols["Y"].astype(np.int16), {"units": "1"}),
        "z": (ev, cols["Z"].astype(np.int16), {"units": "1"}),
        "energy": (ev, cols["ENERGY"].astype(np.float32), {"units": "keV"}),
    }
    if "TRUTH_SRC" in cols:
        data["truth_is_source"] = (ev, cols["TRUTH_SRC"].astype(bool))
    if "TRUTH_CMP" in cols:
        data["truth_component"] = (ev, cols["TRUTH_CMP"].astype(np.int8))
    if status is not None:
        data["pixel_status"] = (("y_pixel", "z_pixel"), status.astype(np.int8))
    return xr.Dataset(data, attrs=attrs)
