"""ECLAIRs files: event lists (OGIP FITS, through :mod:`fcspace.svom.events`) and sky images.

Event list: the SVOM event-list FITS form of :mod:`fcspace.svom.events` (``EVENTS`` table with
``TIME`` (absolute MET in s), ``Y``, ``Z`` (pixel indices) and ``ENERGY`` (keV), plus
``TRUTH_SRC`` and ``TRUTH_CMP`` for simulated data; ``GTI`` table; time keywords of
[OGIP93003] and [FITS-time]) with an optional ``PIXSTAT`` image (pixel status). The SVOM MET
epoch is an assumption (:data:`fcspace.svom.time.SVOM_MJDREF_TT`, 2017-01-01T00:00:00 UTC).
Truth attributes become ``TR*`` header keywords. Files written before the GTI table existed
are read with one GTI, ``[TSTART, TSTOP]``.

The in-memory layout is that of ``docs/eclairs_layout.md``: absolute MET times, GTIs, the list
start ``met_start`` (``TSTART``) and ``exposure`` (``TSTOP - TSTART``).

Sky images: :func:`write_sky_image` / :func:`read_sky_image` (FITS, grid in the header).

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
from fcspace.core.products import atomic_path, write_atomic
from fcspace.svom.eclairs.imaging import SkyImage
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.events import (
    LAYOUTS,
    POINTING_KEYWORDS,
    check_events,
    event_columns,
    gti_dataset,
    gti_table,
    mjdref_from_header,
    time_header,
)

__all__ = [
    "POINTING_KEYWORDS",
    "TRUTH_KEYWORDS",
    "read_events",
    "read_sky_image",
    "write_events",
    "write_sky_image",
]

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
_REQUIRED = ("TIME", "Y", "Z", "ENERGY")


def _header(ds: xr.Dataset) -> fits.Header:
    """EVENTS header: mission, OGIP time keywords, pointing and truth."""
    met0 = float(ds.attrs.get("met_start", 0.0))
    mjdref = float(ds.attrs.get("mjdref_tt", ECLAIRS.met_epoch_mjd_tt))
    h = fits.Header()
    h["TELESCOP"] = (str(ds.attrs.get("telescope", "SVOM")), "mission")
    h["INSTRUME"] = (str(ds.attrs.get("instrument", "ECLAIRs")), "instrument")
    tstop = met0 + float(ds.attrs.get("exposure", 0.0))
    for key, value, comment in time_header(mjdref, met0, tstop):
        h[key] = (value, comment)
    for name, key in (TRUTH_KEYWORDS | POINTING_KEYWORDS).items():
        if name in ds.attrs:
            h[key] = (ds.attrs[name], name)
    return h


def write_events(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write an event list (layout of docs/eclairs_layout.md) as FITS, atomically.

    Parameters
    ----------
    ds
        Event Dataset with ``time``, ``y``, ``z``, ``energy`` (and optional truth).
    path
        Destination; written under a temporary name, then renamed.
    """
    check_events(ds, LAYOUTS["ECLAIRs"])
    table = fits.BinTableHDU.from_columns(event_columns(ds), header=_header(ds), name="EVENTS")
    gti = gti_table(ds)
    gti_cols = [fits.Column("START", "D", unit="s", array=gti[:, 0]),
                fits.Column("STOP", "D", unit="s", array=gti[:, 1])]  # fmt: skip
    hdus = [fits.PrimaryHDU(), table, fits.BinTableHDU.from_columns(gti_cols, name="GTI")]
    if "pixel_status" in ds:
        hdus.append(fits.ImageHDU(ds["pixel_status"].values.astype(np.uint8), name="PIXSTAT"))
    return write_atomic(path, lambda tmp: fits.HDUList(hdus).writeto(tmp, overwrite=True))


def _load(path: Path) -> tuple[fits.Header, dict[str, np.ndarray], np.ndarray | None, Any]:
    """Header, columns, pixel map and GTIs (None if absent), fully read (warnings: errors)."""
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
            gti = None
            if "GTI" in hdul:
                g = hdul["GTI"].data
                gti = np.column_stack([np.array(g["START"]), np.array(g["STOP"])])
            return hdu.header.copy(), cols, status, gti


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
        "mjdref_tt": mjdref_from_header(header, 0.0),
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
        header, cols, status, gti = _load(path)
    except InputError:
        raise
    except (OSError, ValueError, TypeError, KeyError, IndexError, Warning) as err:
        raise InputError(f"unreadable or truncated FITS file ({err})", path=path) from err
    _check_ranges(cols, path, instrument)
    attrs = _attrs(header)
    ev = ("event",)
    data: dict[str, Any] = {
        "time": (ev, cols["TIME"].astype(np.float64), {"units": "s", "long_name": "MET"}),
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
    t0 = attrs["met_start"]
    data |= gti_dataset([[t0, t0 + attrs["exposure"]]] if gti is None else gti)
    return xr.Dataset(data, attrs=attrs)


# ---------------------------------------------------------------------------- sky images
def _sky_header(sky: SkyImage) -> Any:
    """Primary header: grid description (gnomonic tangent plane of the instrument frame)."""
    h = fits.Header()
    h["TELESCOP"] = ("SVOM", "mission")
    h["INSTRUME"] = ("ECLAIRs", "instrument")
    h["BUNIT"] = ("", "signal-to-noise ratio")
    step = float(np.degrees(sky.pitch_m / sky.height_m))
    for ax, name in ((1, "Z"), (2, "Y")):
        h[f"CTYPE{ax}"] = (f"{name}TAN", f"(180/pi) tan(th) {'sin' if ax == 1 else 'cos'}(phi)")
        h[f"CUNIT{ax}"] = ("deg", "tangent-plane coordinate")
        h[f"CRPIX{ax}"] = (sky.centre + 1.0, "on-axis pixel (1-based)")
        h[f"CRVAL{ax}"] = (0.0, "boresight (+X)")
        h[f"CDELT{ax}"] = (step, "(180/pi) pitch / h per pixel")
    h["PROJ"] = ("GNOMONIC", "uniform in tan(th) cos/sin(phi), instr. frame")
    h["PIXPITCH"] = (sky.pitch_m, "[m] detector pixel pitch")
    h["MASKH"] = (sky.height_m, "[m] mask height above the detector")
    h["SKYCEN"] = (sky.centre, "0-based index of the on-axis row and column")
    h["EXPOSURE"] = (-1.0 if sky.exposure_s is None else sky.exposure_s, "[s] -1 = unknown")
    lo, hi = (-1.0, -1.0) if sky.band_kev is None else sky.band_kev
    h["E_MIN"], h["E_MAX"] = (lo, "[keV] band low, -1 = unknown"), (hi, "[keV] band high")
    h["COMMENT"] = "rows (axis 2) along +Y, columns (axis 1) along +Z; theta from +X,"
    h["COMMENT"] = "phi from +Y to +Z: tan(theta) = hypot(Y, Z) pi / 180, phi = atan2(Z, Y)."
    return h


def write_sky_image(sky: SkyImage, path: str | os.PathLike[str]) -> Path:
    """Write a sky image as FITS, atomically.

    Primary HDU: SNR map with the grid description (see :func:`_sky_header`: keywords
    ``CTYPEi = 'YTAN'/'ZTAN'`` linear in ``(180/pi) tan(theta) cos/sin(phi)``, i.e. a gnomonic
    (TAN) projection centred on the boresight, plus ``PIXPITCH``, ``MASKH``, ``SKYCEN``);
    image extensions ``INTENSITY``, ``VARIANCE``, ``CODING``. NaN marks sky outside the FoV.
    """
    h = _sky_header(sky)
    hdus = [fits.PrimaryHDU(sky.snr.astype(np.float32), header=h)]
    for name, arr in (("INTENSITY", sky.counts), ("VARIANCE", sky.variance),
                      ("CODING", sky.coding)):  # fmt: skip
        hdus.append(fits.ImageHDU(arr.astype(np.float32), header=h.copy(), name=name))
    with atomic_path(path) as tmp:
        fits.HDUList(hdus).writeto(tmp, overwrite=True)
    return Path(path)


def read_sky_image(path: str | os.PathLike[str]) -> SkyImage:
    """Read a FITS file written by :func:`write_sky_image`."""
    try:
        with fits.open(path, memmap=False) as hdul:
            h = hdul[0].header
            maps = [np.array(hdul[k].data, dtype=np.float64)
                    for k in (0, "INTENSITY", "VARIANCE", "CODING")]  # fmt: skip
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"not a sky image ({err})", path=path) from err
    expo = float(h.get("EXPOSURE", -1.0))
    band = (float(h["E_MIN"]), float(h["E_MAX"])) if h.get("E_MIN", -1.0) >= 0 else None
    return SkyImage(
        maps[1], maps[2], maps[0], maps[3], float(h["PIXPITCH"]), float(h["MASKH"]),
        float(h["SKYCEN"]), None if expo < 0 else expo, band,
    )  # fmt: skip
