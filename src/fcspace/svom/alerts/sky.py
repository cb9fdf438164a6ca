"""Sky angles of a source as SVOM notices give them: Galactic coordinates, Moon and Sun angles.

Conventions checked against the real notices (``../shared/data/svom/voevents``):

* ``Galactic_Lon/Lat``: IAU 1958 galactic coordinates of the ICRS position (astropy).
* ``Moon_Angle``/``Sun_Angle``: angle between the source ICRS (RA, Dec) and the geocentric
  apparent (GCRS, astropy ``get_body``, built-in ephemeris) RA/Dec of the Moon/Sun at the
  WhereWhen time; reproduces every notice to within the 0.005° rounding of the notices.
  (Topocentric positions from the satellite miss the Moon angle by up to 0.9°, and geometric
  positions without aberration miss the Sun angle by up to 0.01°.)
"""

from __future__ import annotations

from typing import Any

from fcspace.svom.alerts.isotime import offline_iers, quiet_time, to_utc_time

__all__ = ["sky_angles"]


def sky_angles(ra: float, dec: float, time: Any) -> dict[str, float]:
    """Galactic coordinates and Moon/Sun angles of a source, as SVOM notices give them.

    Moon and Sun are the geocentric apparent positions (GCRS at ``time``, astropy
    ``get_body`` with the built-in ephemeris); the angle is taken between their RA/Dec and
    the source's ICRS RA/Dec. This reproduces every real notice within their 0.005° rounding.

    Parameters
    ----------
    ra, dec
        ICRS position [deg].
    time
        ISO 8601 UTC string or astropy ``Time``.

    Returns
    -------
    dict
        ``galactic_lon``, ``galactic_lat``, ``moon_angle``, ``sun_angle`` [deg], unrounded.
    """
    import astropy.units as u
    from astropy.coordinates import SkyCoord, get_body

    offline_iers()
    t = to_utc_time(time)
    src = SkyCoord(ra * u.deg, dec * u.deg, frame="icrs")
    gal = src.galactic
    out = {"galactic_lon": float(gal.l.deg), "galactic_lat": float(gal.b.deg)}
    with quiet_time():
        for body in ("moon", "sun"):
            b = get_body(body, t)
            direction = SkyCoord(b.ra, b.dec, frame="icrs")
            out[f"{body}_angle"] = float(direction.separation(src).deg)
    return out
