"""ECLAIRs files: event lists (the mission's ECL-EVT-CAL, or fcspace's FITS form), sky images.

Event list, written by default as the mission's calibrated events ECL-EVT-CAL
(:mod:`fcspace.svom.l1_fits`, layout and assumptions in :mod:`fcspace.svom.l1_layouts`), with an
optional ECL-GTI product and attitude file on reading; or, with ``layout="fcspace"``, the SVOM
event-list FITS form of :mod:`fcspace.svom.events_fits`, written and read
by the one writer and reader of ECLAIRs and GRM (``EVENTS`` table with
``TIME`` (absolute MET in s), ``Y``, ``Z`` (pixel indices) and ``ENERGY`` (keV), plus
``TRUTH_SRC`` and ``TRUTH_CMP`` for simulated data; ``GTI`` table; time keywords of
[OGIP93003] and [FITS-time]) with an optional ``PIXSTAT`` image (pixel status). The SVOM MET
epoch is an assumption (:data:`fcspace.svom.time.SVOM_MJDREF_TT`, 2017-01-01T00:00:00 UTC).
Truth attributes become ``TR*`` header keywords; every HDU carries FITS checksums, verified on
reading when present. Files written before the GTI table existed are read with one GTI,
``[TSTART, TSTOP]``. What is ECLAIRs-only here: the pixel and energy range checks.

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
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.core.products import atomic_path
from fcspace.svom.attitude_io import pointing_attrs
from fcspace.svom.eclairs.imaging import SkyImage
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.events import ECLAIRS_TRUTH_KEYWORDS as TRUTH_KEYWORDS
from fcspace.svom.events import POINTING_KEYWORDS, check_events, gti_dataset
from fcspace.svom.events_fits import read_event_list, write_event_list
from fcspace.svom.fits_checks import header_numbers
from fcspace.svom.l1_fits import is_l1_file, read_gti_file, read_l1_events, write_l1_events

__all__ = [
    "POINTING_KEYWORDS",
    "TRUTH_KEYWORDS",
    "pi_channels",
    "read_events",
    "read_sky_image",
    "write_events",
    "write_sky_image",
]


def pi_channels(
    ds: xr.Dataset, instrument: EclairsInstrument = ECLAIRS
) -> tuple[np.ndarray, np.ndarray]:
    """PI channel of every event and the channel edges (keV) of the L1 file ECL-EVT-CAL.

    Channel k covers ``[k, k + 1) x pi_step_kev`` from 0 keV up to ``energy_max_kev``
    (ASSUMPTION: the PI law, ``EclairsInstrument.pi_step_kev``); the top energy falls in the
    last channel. Every trigger band edge is a multiple of the step, so band membership is
    kept exactly when the energy is read back as the channel centre.
    """
    step = instrument.pi_step_kev
    n = int(round(instrument.energy_max_kev / step))
    edges = np.arange(n + 1) * step
    e = np.asarray(ds["energy"].values, float)
    return np.clip(np.floor(e / step + 1e-9).astype(np.int64), 0, n - 1), edges


def write_events(ds: xr.Dataset, path: str | os.PathLike[str], layout: str = "ECL-EVT-CAL") -> Path:
    """Write an event list (layout of docs/eclairs_layout.md) as FITS, atomically.

    Parameters
    ----------
    ds
        Event Dataset with ``time``, ``y``, ``z``, ``energy`` (and optional truth).
    path
        Destination; written under a temporary name, then renamed.
    layout
        ``"ECL-EVT-CAL"`` (default): the mission's calibrated events (:mod:`fcspace.svom.l1_fits`:
        ``IDET``/``JDET``, ``PI`` of :func:`pi_channels` with its EBOUNDS, ``PHA`` = ``PI``,
        ``FLAG``, GTI; truth columns, ``TR*`` keywords and ``PIXSTAT`` as in fcspace's form).
        ``"fcspace"``: the SVOM event-list FITS form of
        :func:`fcspace.svom.events_fits.write_event_list` (ENERGY in keV; truth columns and
        ``PIXSTAT`` when present, truth as ``TR*`` keywords), energies kept exactly.
    """
    if layout == "ECL-EVT-CAL":
        check_events(ds)
        channel, edges = pi_channels(ds)
        out = ds.assign(channel=("event", channel), e_min=("pha_channel", edges[:-1]),
                        e_max=("pha_channel", edges[1:]))  # fmt: skip
        if "pha" not in out:
            out["pha"] = out["channel"]  # ASSUMPTION: no per-pixel gain, PHA = PI
        return write_l1_events(out, path, layout)
    if layout != "fcspace":
        raise InputError(f"unknown ECLAIRs file layout {layout!r} (fcspace, ECL-EVT-CAL)")
    return write_event_list(ds, path, "ECLAIRs")


def _check_ranges(ds: xr.Dataset, path: Path, inst: EclairsInstrument) -> None:
    """Pixel indices inside the detector, energies inside the band, a span, a PIXSTAT map.

    The span (``TSTOP - TSTART`` > 0) is what the triggers bin; the pixel-status image must
    cover the detector, ``n_pixels`` x ``n_pixels``.
    """
    if "pixel_status" in ds and ds["pixel_status"].shape != (inst.n_pixels, inst.n_pixels):
        shape = ds["pixel_status"].shape
        raise InputError(f"PIXSTAT of shape {shape}, expected {inst.n_pixels} x {inst.n_pixels}",
                         path, "PIXSTAT")  # fmt: skip
    for var, col in (("y", "Y"), ("z", "Z")):
        v = ds[var].values
        if v.size and (v.min() < 0 or v.max() >= inst.n_pixels):
            raise InputError(f"pixel index outside 0..{inst.n_pixels - 1}", path, col)
    e = ds["energy"].values
    if e.size and not np.all((e >= inst.energy_min_kev) & (e <= inst.energy_max_kev)):
        raise InputError(
            f"energy outside {inst.energy_min_kev}-{inst.energy_max_kev} keV", path, "ENERGY"
        )
    if not float(ds.attrs.get("exposure", 0.0)) > 0:
        raise InputError("TSTOP - TSTART must be > 0 (the span the triggers bin)", path, "TSTOP")


def read_events(
    path: str | os.PathLike[str],
    instrument: EclairsInstrument = ECLAIRS,
    gti_file: str | os.PathLike[str] | None = None,
    attitude_file: str | os.PathLike[str] | None = None,
) -> xr.Dataset:
    """Read an ECLAIRs FITS event list into the layout of docs/eclairs_layout.md.

    Either the mission's calibrated events ECL-EVT-CAL (primary ``CARD``; energy = centre of
    the PI channel) or fcspace's own SVOM event-list FITS form. ``gti_file``: an ECL-GTI
    product whose intervals replace the list's own. ``attitude_file``: an attitude file
    (:mod:`fcspace.svom.attitude_io`) giving the pointing attributes at the middle of the list
    (the B1 law holds the pointing fixed over a list of minutes: assumption).

    Raises
    ------
    InputError
        Missing, unreadable or truncated file, a failed checksum; no EVENTS table or a missing
        column; non-finite or unsorted times; pixel indices outside the detector or energies
        outside the band (names file and column).
    """
    if is_l1_file(path):
        ds = read_l1_events(path, "ECL-EVT-CAL")
    else:
        ds = read_event_list(path, "ECLAIRs")
    _check_ranges(ds, Path(path), instrument)
    if gti_file is not None:
        ds = ds.drop_vars(["gti_start", "gti_stop"]).assign(gti_dataset(read_gti_file(gti_file)))
    if attitude_file is not None:
        mid = float(ds.attrs["met_start"]) + 0.5 * float(ds.attrs["exposure"])
        ds.attrs.update(pointing_attrs(attitude_file, mid))
    for name in ("telescope", "instrument"):  # hand-made lists may lack TELESCOP/INSTRUME
        ds.attrs.setdefault(name, "")
    return ds


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
    Every HDU carries ``CHECKSUM``/``DATASUM``, verified by :func:`read_sky_image`.
    """
    h = _sky_header(sky)
    hdus = [fits.PrimaryHDU(sky.snr.astype(np.float32), header=h)]
    for name, arr in (("INTENSITY", sky.counts), ("VARIANCE", sky.variance),
                      ("CODING", sky.coding)):  # fmt: skip
        hdus.append(fits.ImageHDU(arr.astype(np.float32), header=h.copy(), name=name))
    with atomic_path(path) as tmp:
        fits.HDUList(hdus).writeto(tmp, overwrite=True, checksum=True)
    return Path(path)


#: Sky-image header keywords read as numbers: required ones with their physical range.
SKY_KEYWORD_RANGES: dict[str, tuple[float, float]] = {
    "PIXPITCH": (1e-6, 1.0), "MASKH": (1e-3, 10.0), "SKYCEN": (0.0, 1e4),
}  # fmt: skip
#: Optional sky-image keywords (-1 = unknown) and their range.
SKY_OPTIONAL_RANGES: dict[str, tuple[float, float]] = {
    "EXPOSURE": (-1.0, 1e9), "E_MIN": (-1.0, 1e4), "E_MAX": (-1.0, 1e4),
}  # fmt: skip


def _sky_maps(path: Path) -> tuple[Any, list[np.ndarray]]:
    """Primary header and the four maps, read through the checked open (checksums)."""
    from fcspace.svom.events_fits import open_checked

    with open_checked(path) as hdul:
        maps = []
        for k in (0, "INTENSITY", "VARIANCE", "CODING"):
            if k not in hdul or getattr(hdul[k], "columns", None) is not None:
                raise InputError(f"not a sky image: no {k} image", path, str(k))
            maps.append(np.array(hdul[k].data, dtype=np.float64))
        return hdul[0].header.copy(), maps


def read_sky_image(path: str | os.PathLike[str]) -> SkyImage:
    """Read a FITS file written by :func:`write_sky_image`.

    Raises
    ------
    InputError
        Naming the file and keyword or map: unreadable, truncated, failed checksum, a map
        missing or of another shape than the SNR map, a grid keyword missing, non-numeric or
        outside :data:`SKY_KEYWORD_RANGES` / :data:`SKY_OPTIONAL_RANGES`.
    """
    p = Path(path)
    h, maps = _sky_maps(p)
    for key in SKY_KEYWORD_RANGES:
        if key not in h:
            raise InputError(f"sky image header lacks {key}", p, key)
    header_numbers(h, SKY_KEYWORD_RANGES, p, "PRIMARY", SKY_KEYWORD_RANGES)
    header_numbers(h, SKY_OPTIONAL_RANGES, p, "PRIMARY", SKY_OPTIONAL_RANGES)
    if maps[0].ndim != 2 or any(m.shape != maps[0].shape for m in maps):
        raise InputError(f"maps of shapes {[m.shape for m in maps]}, expected one 2-D shape", p)
    expo = float(h.get("EXPOSURE", -1.0))
    band = (float(h["E_MIN"]), float(h["E_MAX"])) if h.get("E_MIN", -1.0) >= 0 else None
    return SkyImage(
        maps[1], maps[2], maps[0], maps[3], float(h["PIXPITCH"]), float(h["MASKH"]),
        float(h["SKYCEN"]), None if expo < 0 else expo, band,
    )  # fmt: skip
