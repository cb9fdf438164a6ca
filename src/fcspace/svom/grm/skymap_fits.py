"""GRM sky maps as HEALPix FITS files, in the convention of GBM and of the GW community.

One binary-table extension ``PROBABILITY`` holds one row per pixel (implicit indexing) and one
column ``PROB`` (``pix-1``, float64), the layout read by HEALPix tools and by ligo.skymap
([Gorski2005] FITS appendix; [Singer2016]; the GBM ``glg_healpix`` files and the LIGO/Virgo
``bayestar.fits`` maps use it). Header: ``PIXTYPE = 'HEALPIX'``, ``ORDERING = 'NESTED'``,
``COORDSYS = 'C'`` (celestial, ICRS), ``NSIDE``, ``INDXSCHM = 'IMPLICIT'``, ``FIRSTPIX``,
``LASTPIX``, ``OBJECT``, ``DATE-OBS`` (UTC), ``MJD-OBS``, ``TELESCOP = 'SVOM'``,
``INSTRUME = 'GRM'``, ``ORIGIN``, ``CREATOR``, ``DATE``, and fcspace keywords: ``AREA50``,
``AREA90`` (credible areas, deg^2), ``RA_PEAK``/``DEC_PEAK``, ``RA_PNT``, ``DEC_PNT``,
``PA_PNT`` (attitude used, :mod:`fcspace.svom.frames`; the names of
:data:`fcspace.svom.events.POINTING_KEYWORDS`) and ``PNT_ASSU`` (True when the attitude was a
default). Writes are atomic (:func:`fcspace.core.products.write_atomic`) with checksums.

ASSUMPTION: the ``ORIGIN``/``CREATOR`` values and the fcspace keywords are ours; whether the
FSC will publish GRM maps, and with which extension name and keywords, is not known to us.

Sources
-------
- [Gorski2005] Gorski, K. M., et al. (2005). ApJ 622, 759; HEALPix FITS keywords (PIXTYPE,
  ORDERING, NSIDE, INDXSCHM, FIRSTPIX, LASTPIX, COORDSYS) as written by the HEALPix package.
- [Singer2016] Singer, L. P., Price, L. R. (2016). Phys. Rev. D 93, 024013 (the sky-map FITS
  format of LIGO/Virgo alerts: PROB column, OBJECT, DATE-OBS, MJD-OBS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from fcspace.core.errors import InputError
from fcspace.core.products import utc_now, write_atomic
from fcspace.svom.events import KEYWORD_RANGES, POINTING_KEYWORDS
from fcspace.svom.fits_checks import header_number, header_numbers
from fcspace.svom.frames import Attitude
from fcspace.svom.grm.skymap import GrmSkyMap

__all__ = ["read_skymap", "write_skymap"]

EXTNAME = "PROBABILITY"


def _mjd(date_obs: str) -> float | None:
    if not date_obs:
        return None
    from astropy.time import Time

    try:
        return float(Time(date_obs, scale="utc").mjd)
    except ValueError as err:
        raise InputError(f"DATE-OBS {date_obs!r} is not an ISO time", variable="date_obs") from err


def _cards(sky: GrmSkyMap) -> list[tuple[str, Any, str]]:
    from fcspace import __version__

    ra, dec = sky.peak_radec
    att = sky.attitude
    cards = [
        ("PIXTYPE", "HEALPIX", "HEALPix pixelisation"),
        ("ORDERING", "NESTED", "pixel ordering scheme"),
        ("COORDSYS", "C", "celestial (ICRS)"),
        ("NSIDE", sky.nside, "HEALPix resolution parameter"),
        ("INDXSCHM", "IMPLICIT", "indexing: row number is the pixel index"),
        ("FIRSTPIX", 0, "first pixel"),
        ("LASTPIX", sky.prob.size - 1, "last pixel"),
        ("OBJECT", sky.object, "burst name"),
        ("DATE-OBS", sky.date_obs, "trigger time (UTC)"),
        ("TELESCOP", "SVOM", "mission"),
        ("INSTRUME", "GRM", "instrument"),
        ("ORIGIN", "fcspace", "organisation that made the file"),
        ("CREATOR", f"fcspace {__version__}", "program that made the file"),
        ("DATE", utc_now().rstrip("Z"), "file creation date (UTC)"),
        ("AREA50", sky.area_deg2(0.5), "[deg2] 50% credible area"),
        ("AREA90", sky.area_deg2(0.9), "[deg2] 90% credible area"),
        ("RA_PEAK", ra, "[deg] most probable pixel, RA"),
        ("DEC_PEAK", dec, "[deg] most probable pixel, Dec"),
        ("RA_PNT", att.ra, "[deg] spacecraft +Z axis RA used"),
        ("DEC_PNT", att.dec, "[deg] spacecraft +Z axis Dec used"),
        ("PA_PNT", att.roll, "[deg] roll used (fcspace.svom.frames)"),
        ("PNT_ASSU", sky.attitude_assumed, "attitude assumed (not known)"),
    ]
    mjd = _mjd(sky.date_obs)
    return cards + ([("MJD-OBS", mjd, "trigger time (MJD, UTC)")] if mjd is not None else [])


def write_skymap(sky: GrmSkyMap, path: str | os.PathLike[str]) -> Path:
    """Write ``sky`` as a HEALPix FITS file (module docstring), atomically.

    Raises
    ------
    InputError
        Probabilities not finite, negative, or not one per pixel of ``nside``.
    """
    from astropy.io import fits

    p = np.asarray(sky.prob, float)
    if p.size != 12 * sky.nside**2 or not np.all(np.isfinite(p)) or np.any(p < 0):
        raise InputError(f"need 12 nside^2 = {12 * sky.nside**2} finite probabilities >= 0",
                         path=path, variable="prob")  # fmt: skip
    col = fits.Column(name="PROB", format="D", unit="pix-1", array=p)
    table = fits.BinTableHDU.from_columns([col], name=EXTNAME)
    for key, value, comment in _cards(sky):
        table.header[key] = (value, comment)
    hdus = fits.HDUList([fits.PrimaryHDU(), table])
    return write_atomic(path, lambda tmp: hdus.writeto(tmp, overwrite=True, checksum=True))


def _header_value(header: Any, key: str, path: Path) -> Any:
    if key not in header:
        raise InputError(f"HEALPix header lacks {key}", path=path, variable=key)
    return header[key]


def _check_header(header: Any, n: int, path: Path) -> int:
    """NSIDE of a NESTED, celestial, implicit HEALPix table of ``n`` rows (else InputError)."""
    expected = {"PIXTYPE": "HEALPIX", "ORDERING": "NESTED", "COORDSYS": "C",
                "INDXSCHM": "IMPLICIT"}  # fmt: skip
    for key, value in expected.items():
        got = str(_header_value(header, key, path)).strip().upper()
        if got != value:
            raise InputError(f"{key} = {got!r}, expected {value!r}", path=path, variable=key)
    _header_value(header, "NSIDE", path)  # present
    nside_value = header_number(header, "NSIDE", path, EXTNAME)
    nside = int(nside_value)
    if nside != nside_value or nside < 1 or nside > 2**29 or nside & (nside - 1):
        raise InputError(f"NSIDE {nside_value} is not a power of 2 in 1..2^29", path, "NSIDE")
    if n != 12 * nside**2:
        raise InputError(f"{n} rows for NSIDE {nside}", path=path, variable="PROB")
    return nside


def read_skymap(path: str | os.PathLike[str]) -> GrmSkyMap:
    """Read a sky map written by :func:`write_skymap` (or any NESTED celestial PROB map).

    Raises
    ------
    InputError
        Missing file or extension, a failed checksum, a header that is not
        NESTED/celestial/implicit HEALPix, NSIDE not a power of 2, a row count that does not
        match NSIDE, probabilities not finite or negative, a pointing keyword (``RA_PNT``,
        ``DEC_PNT``, ``PA_PNT``) not a number in its range.
    """
    from fcspace.svom.events_fits import open_checked

    path = Path(path)
    with open_checked(path) as hdul:
        if EXTNAME not in hdul or "PROB" not in hdul[EXTNAME].columns.names:
            raise InputError(f"no {EXTNAME} extension with a PROB column", path=path)
        header = hdul[EXTNAME].header.copy()
        prob = np.array(hdul[EXTNAME].data["PROB"], float).ravel()
    nside = _check_header(header, prob.size, path)
    if not np.all(np.isfinite(prob)) or np.any(prob < 0):
        raise InputError("probabilities must be finite and >= 0", path=path, variable="PROB")
    header_numbers(header, tuple(POINTING_KEYWORDS.values()), path, EXTNAME, KEYWORD_RANGES)
    att = Attitude(float(header.get("RA_PNT", 0.0)), float(header.get("DEC_PNT", 0.0)),
                   float(header.get("PA_PNT", 0.0)))  # fmt: skip
    return GrmSkyMap(prob=prob, nside=nside, object=str(header.get("OBJECT", "")),
                     date_obs=str(header.get("DATE-OBS", "")), attitude=att,
                     attitude_assumed=bool(header.get("PNT_ASSU", False)))  # fmt: skip
