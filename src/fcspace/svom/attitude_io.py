"""SVOM attitude (``svom_att_*``) and orbit (``svom_orb_*``) files: read, write, interpolate.

Attitude: a quaternion table sampled in MET; :func:`attitude_at` gives the pointing of the
spacecraft +Z axis and the roll (:mod:`fcspace.svom.frames` convention) at any time by
spherical linear interpolation [Shoemake1985]. Orbit: position and velocity sampled in MET;
:func:`orbit_at` interpolates with the cubic Hermite polynomial that matches both.

File form (primary HDU with the card keywords of [FSC-cards]: ``ORIGIN``, ``TELESCOP``,
``INSTRUME = 'INS'``, ``CARD``, ``TIMESYS = 'TT'``, ``MJDREFI = 57754``/``MJDREFF``):

- attitude, card ``SVO-ATT-CNV`` ([FSC-cards] lists ``SVO-ATT-VHF``; the converted X-band card
  ``SVO-ATT-CNV`` is named in the ECLAIRs pipeline's test data [APC-data]): extension
  ``QUATERNION`` with ``TIME`` (s, MET), ``Q1``..``Q4``;
- orbit, card ``SVO-ORB-CNV`` ([FSC-cards]): extension ``ORBIT`` with ``TIME`` (s), ``X``, ``Y``,
  ``Z`` (km), ``VX``, ``VY``, ``VZ`` (km/s).

ASSUMPTIONS (no public description of the columns was found): the extension and column names
above (the reader also takes one 4-vector column ``QPARAM`` or ``QUATERNION``, as Swift attitude
files have); the quaternion is scalar-last ``(x, y, z, w)`` and rotates spacecraft-frame vectors
into ICRS, ``v_icrs = R(q) v_sc`` (the convention of scipy's ``Rotation.from_quat``); positions
and velocities are geocentric, in the ICRS (GCRS) axes, km and km/s; the hourly names
``svom_att_YYMMDD_HH_vNN.fits`` / ``svom_orb_...`` follow the GRM event files.

Sources
-------
- [FSC-cards] SVOM French Science Center product cards, e.g.
  https://fsc.svom.org/jsonschemes/pcards/products/html/SVO-ATT-VHF.html, ``SVO-ORB-CNV.html``.
- [APC-data] eclairs-gp runtime test data, https://apc.u-paris.fr/Downloads/comput/ECLAIRs/data/
  (file ``SVO-ATT-CNV-UTC18581117T000000.fits``).
- [Shoemake1985] Shoemake, K. (1985). Animating rotation with quaternion curves. SIGGRAPH '85,
  245-254 (slerp).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.core.products import write_atomic
from fcspace.svom.events import (
    KEYWORD_RANGES,
    NUMERIC_KEYWORDS,
    VALID_RANGES,
    mjdref_from_header,
    time_header,
)
from fcspace.svom.events_fits import open_checked
from fcspace.svom.fits_checks import check_range, check_span, header_numbers, table_hdu
from fcspace.svom.frames import attitude_matrix
from fcspace.svom.time import SVOM_MJDREF_TT

__all__ = [
    "ATTITUDE_CARD",
    "ORBIT_CARD",
    "ORBIT_RANGES",
    "QUATERNION_NORM_TOLERANCE",
    "attitude_at",
    "orbit_at",
    "pointing_attrs",
    "quaternion_from_pointing",
    "read_attitude",
    "read_orbit",
    "write_attitude",
    "write_orbit",
]

ATTITUDE_CARD = "SVO-ATT-CNV"
ORBIT_CARD = "SVO-ORB-CNV"
_ATT_CARDS = (ATTITUDE_CARD, "SVO-ATT-VHF")
_ORB_CARDS = (ORBIT_CARD, "SVO-ORB-VHF")
#: Largest accepted | |q| - 1 | of a stored quaternion: the files hold float64 unit quaternions
#: (written normalised); 1e-3 also admits float32 tables and is far below any real damage.
QUATERNION_NORM_TOLERANCE = 1e-3
#: Geocentric distance (km) and speed (km/s) of an orbit sample: above the Earth's surface
#: (polar radius 6356.8 km) and below the Moon's distance; at most the escape speed from the
#: surface (11.2 km/s).
ORBIT_RANGES = {"radius_km": (6356.0, 4.0e5), "speed_km_s": (0.0, 11.2)}


# ---------------------------------------------------------------------------------- frames
def quaternion_from_pointing(ra: ArrayLike, dec: ArrayLike, roll: ArrayLike) -> NDArray:
    """Scalar-last quaternions (..., 4) of pointings (deg; +Z at RA/Dec, roll of +X).

    The rotation spacecraft -> ICRS is the transpose of
    :func:`fcspace.svom.frames.attitude_matrix` (rows: the spacecraft axes in ICRS).
    """
    from scipy.spatial.transform import Rotation

    r, d, p = np.broadcast_arrays(*(np.asarray(x, float) for x in (ra, dec, roll)))
    mats = [attitude_matrix(*a).T for a in zip(r.ravel(), d.ravel(), p.ravel(), strict=True)]
    return Rotation.from_matrix(np.asarray(mats)).as_quat().reshape(*r.shape, 4)


def _pointing(mats: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """RA, Dec of +Z and roll (position angle of +X, north through east) of (n, 3, 3) R."""
    x, z = mats[:, :, 0], mats[:, :, 2]
    ra = np.arctan2(z[:, 1], z[:, 0])
    dec = np.arcsin(np.clip(z[:, 2], -1.0, 1.0))
    north = np.stack([-np.sin(dec) * np.cos(ra), -np.sin(dec) * np.sin(ra), np.cos(dec)], -1)
    east = np.stack([-np.sin(ra), np.cos(ra), np.zeros_like(ra)], -1)
    roll = np.arctan2(np.sum(x * east, -1), np.sum(x * north, -1))
    return np.degrees(ra) % 360.0, np.degrees(dec), np.degrees(roll) % 360.0


def _check_samples(met: NDArray, query: NDArray, what: str) -> None:
    if met.size < 2 or np.any(np.diff(met) <= 0):
        raise InputError(f"{what} needs >= 2 samples at increasing times", variable="time")
    if query.size and (query.min() < met[0] or query.max() > met[-1]):
        raise InputError(
            f"time outside the {what} samples [{met[0]}, {met[-1]}] s", variable="time"
        )


def attitude_at(att: xr.Dataset, met: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """Pointing ``(ra, dec, roll)`` in degrees at MET(s) ``met``, by slerp [Shoemake1985]."""
    from scipy.spatial.transform import Rotation, Slerp

    t = np.atleast_1d(np.asarray(met, float))
    times = att["time"].values
    _check_samples(times, t, "attitude")
    rot = Slerp(times, Rotation.from_quat(att["quaternion"].values))(t)
    return _pointing(rot.as_matrix())


def pointing_attrs(path: str | os.PathLike[str], met: float) -> dict[str, float]:
    """``attitude_ra``/``attitude_dec``/``attitude_roll`` (deg) of an attitude file at ``met``.

    The attributes an event list carries for its pointing (:mod:`fcspace.svom.events`).
    """
    att = read_attitude(path)
    try:
        ra, dec, roll = attitude_at(att, met)
    except InputError as err:
        raise InputError(str(err), path, err.variable) from err
    return {"attitude_ra": float(ra[0]), "attitude_dec": float(dec[0]),
            "attitude_roll": float(roll[0])}  # fmt: skip


def orbit_at(orb: xr.Dataset, met: ArrayLike) -> tuple[NDArray, NDArray]:
    """Position (km) and velocity (km/s), (n, 3), at MET(s) ``met`` (cubic Hermite)."""
    from scipy.interpolate import CubicHermiteSpline

    t = np.atleast_1d(np.asarray(met, float))
    times = orb["time"].values
    _check_samples(times, t, "orbit")
    spline = CubicHermiteSpline(times, orb["position"].values, orb["velocity"].values, axis=0)
    return spline(t), spline.derivative()(t)


# ---------------------------------------------------------------------------------- files
def _write(path: Any, card: str, ext: str, met: NDArray, cols: list[Any], mjdref: float) -> Path:
    from astropy.io import fits

    h = fits.Header()
    for key, value in (("ORIGIN", "FSC"), ("TELESCOP", "SVOM"), ("INSTRUME", "INS"),
                       ("CREATOR", "fcspace"), ("CARD", card)):  # fmt: skip
        h[key] = value
    for key, value, comment in time_header(mjdref, float(met.min()), float(met.max())):
        h[key] = (value, comment)
    table = fits.BinTableHDU.from_columns(
        [fits.Column("TIME", "D", unit="s", array=met), *cols], name=ext
    )
    hdus = fits.HDUList([fits.PrimaryHDU(header=h), table])
    return write_atomic(path, lambda tmp: hdus.writeto(tmp, overwrite=True, checksum=True))


def _samples(met: ArrayLike, values: ArrayLike, width: int, name: str) -> tuple[NDArray, NDArray]:
    t, v = np.asarray(met, float).ravel(), np.asarray(values, float)
    if v.shape != (t.size, width) or not (np.all(np.isfinite(t)) and np.all(np.isfinite(v))):
        raise InputError(f"{name} must be finite, shape ({t.size}, {width})", variable=name)
    if np.any(np.diff(t) <= 0):
        raise InputError("times must increase", variable="time")
    return t, v


def write_attitude(
    path: str | os.PathLike[str],
    met: ArrayLike,
    quaternion: ArrayLike,
    mjdref_tt: float = SVOM_MJDREF_TT,
) -> Path:
    """Write an attitude file (card SVO-ATT-CNV, module docstring), atomically.

    ``quaternion``: (n, 4) scalar-last, spacecraft -> ICRS; normalised on writing.
    """
    from astropy.io import fits

    t, q = _samples(met, quaternion, 4, "quaternion")
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    cols = [fits.Column(f"Q{k + 1}", "D", array=q[:, k]) for k in range(4)]
    return _write(path, ATTITUDE_CARD, "QUATERNION", t, cols, mjdref_tt)


def write_orbit(
    path: str | os.PathLike[str],
    met: ArrayLike,
    position_km: ArrayLike,
    velocity_km_s: ArrayLike,
    mjdref_tt: float = SVOM_MJDREF_TT,
) -> Path:
    """Write an orbit file (card SVO-ORB-CNV, module docstring), atomically."""
    from astropy.io import fits

    t, r = _samples(met, position_km, 3, "position_km")
    _, v = _samples(met, velocity_km_s, 3, "velocity_km_s")
    cols = [fits.Column(n, "D", unit="km", array=r[:, k]) for k, n in enumerate("XYZ")]
    cols += [fits.Column(f"V{n}", "D", unit="km/s", array=v[:, k]) for k, n in enumerate("XYZ")]
    return _write(path, ORBIT_CARD, "ORBIT", t, cols, mjdref_tt)


def _read(path: Any, cards: tuple[str, ...], exts: tuple[str, ...]) -> tuple[Any, dict]:
    """Primary header and the columns of the first of ``exts`` present; InputError names path."""
    with open_checked(path) as hdul:
        head = hdul[0].header.copy()
        card = str(head.get("CARD", "")).strip()
        if card not in cards:
            raise InputError(f"CARD {card!r}, expected one of {cards}", path, "CARD")
        ext = next((e for e in exts if e in hdul), None)
        if ext is None:
            raise InputError(f"no {' or '.join(exts)} extension", path, exts[0])
        table = table_hdu(hdul, ext, path)
        cols = {c.upper(): np.array(table.data[c], float) for c in table.columns.names}
    header_numbers(head, NUMERIC_KEYWORDS, path, "PRIMARY", KEYWORD_RANGES)
    if "TIME" not in cols:
        raise InputError("no TIME column", path, "TIME")
    check_range(cols["TIME"], *VALID_RANGES["time"], path, ext, "TIME")
    check_span(cols["TIME"], head, path, ext)  # samples inside the file's [TSTART, TSTOP]
    if np.any(np.diff(cols["TIME"]) <= 0):
        raise InputError(f"{ext} column TIME: times do not increase", path, "TIME")
    return head, cols


def _pick(cols: dict, names: tuple[str, ...], path: Any) -> NDArray:
    missing = [n for n in names if n not in cols]
    if missing:
        raise InputError(f"no column {missing[0]}", path, missing[0])
    return np.column_stack([cols[n] for n in names])


def read_attitude(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read an attitude file: ``time`` (s, MET) and ``quaternion`` (time, 4; scalar last).

    Raises
    ------
    InputError
        Naming the file: unreadable, failed checksum, wrong CARD, missing table or column,
        non-numeric header values, times not finite, not increasing or outside the primary
        header's ``[TSTART, TSTOP]``, a quaternion whose
        norm differs from 1 by more than :data:`QUATERNION_NORM_TOLERANCE`.
    """
    head, cols = _read(path, _ATT_CARDS, ("QUATERNION", "ATTITUDE"))
    vector = next((cols[n] for n in ("QPARAM", "QUATERNION") if n in cols), None)
    q = vector if vector is not None else _pick(cols, ("Q1", "Q2", "Q3", "Q4"), path)
    _check_quaternions(q, path)
    return xr.Dataset(
        {"time": ("time", cols["TIME"], {"units": "s"}), "quaternion": (("time", "q"), q)},
        attrs={"card": str(head["CARD"]).strip(),
               "mjdref_tt": mjdref_from_header(head, SVOM_MJDREF_TT)},
    )  # fmt: skip


def _check_quaternions(q: NDArray, path: Any) -> None:
    """Finite quaternions of norm 1 within :data:`QUATERNION_NORM_TOLERANCE`."""
    norm = np.linalg.norm(q, axis=-1)
    check_range(norm, 1.0 - QUATERNION_NORM_TOLERANCE, 1.0 + QUATERNION_NORM_TOLERANCE,
                path, "QUATERNION", "quaternion norm")  # fmt: skip


def _check_orbit(pos: NDArray, vel: NDArray, path: Any) -> None:
    """Positions above the Earth and below the Moon, speeds below escape (:data:`ORBIT_RANGES`)."""
    check_range(np.linalg.norm(pos, axis=1), *ORBIT_RANGES["radius_km"], path, "ORBIT",
                "X, Y, Z distance (km)")  # fmt: skip
    check_range(np.linalg.norm(vel, axis=1), *ORBIT_RANGES["speed_km_s"], path, "ORBIT",
                "VX, VY, VZ speed (km/s)")  # fmt: skip


def read_orbit(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read an orbit file: ``time`` (s), ``position`` (km) and ``velocity`` (km/s), (time, 3)."""
    head, cols = _read(path, _ORB_CARDS, ("ORBIT",))
    pos, vel = _pick(cols, ("X", "Y", "Z"), path), _pick(cols, ("VX", "VY", "VZ"), path)
    _check_orbit(pos, vel, path)
    return xr.Dataset(
        {"time": ("time", cols["TIME"], {"units": "s"}),
         "position": (("time", "xyz"), pos, {"units": "km"}),
         "velocity": (("time", "xyz"), vel, {"units": "km s-1"})},
        attrs={"card": str(head["CARD"]).strip(),
               "mjdref_tt": mjdref_from_header(head, SVOM_MJDREF_TT)},
    )  # fmt: skip
