"""core.geodesy against astropy (same spherical trigonometry on the celestial sphere)."""

from __future__ import annotations

import astropy.units as u
import numba
import numpy as np
import pytest
from astropy.coordinates import SkyCoord
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core import geodesy as g

R_EARTH = 6371.0088e3
N = 2000


@pytest.fixture(scope="module")
def points():
    """Random pairs, uniform over the sphere (lat from asin of a uniform variable)."""
    rng = np.random.default_rng(42)
    lat1, lat2 = np.degrees(np.arcsin(rng.uniform(-1, 1, (2, N))))
    lon1, lon2 = rng.uniform(-180, 180, (2, N))
    return lat1, lon1, lat2, lon2


def _sky(lat, lon):
    return SkyCoord(ra=np.asarray(lon) * u.deg, dec=np.asarray(lat) * u.deg, frame="icrs")


def test_distance_matches_astropy_separation(points):
    lat1, lon1, lat2, lon2 = points
    ours = g.great_circle_distance(lat1, lon1, lat2, lon2)
    ref = _sky(lat1, lon1).separation(_sky(lat2, lon2)).rad
    np.testing.assert_allclose(ours, ref, rtol=1e-9)
    np.testing.assert_allclose(
        g.great_circle_distance(lat1, lon1, lat2, lon2, R_EARTH), R_EARTH * ref, rtol=1e-9
    )


def test_bearing_matches_astropy_position_angle(points):
    lat1, lon1, lat2, lon2 = points
    ours = g.initial_bearing_deg(lat1, lon1, lat2, lon2)
    ref = _sky(lat1, lon1).position_angle(_sky(lat2, lon2)).deg % 360.0
    diff = (ours - ref + 180.0) % 360.0 - 180.0
    np.testing.assert_allclose(diff, 0.0, atol=1e-9 * 360.0)
    assert np.all((ours >= 0) & (ours < 360))


def test_destination_matches_astropy_directional_offset(points):
    lat1, lon1, _, _ = points
    rng = np.random.default_rng(7)
    bearing = rng.uniform(0, 360, N)
    dist = rng.uniform(1.0, np.pi * R_EARTH * 0.999, N)
    lat2, lon2 = g.destination_point(lat1, lon1, bearing, dist, R_EARTH)
    ref = _sky(lat1, lon1).directional_offset_by(bearing * u.deg, dist / R_EARTH * u.rad)
    miss = g.great_circle_distance(lat2, lon2, ref.dec.deg, ref.ra.deg, R_EARTH)
    np.testing.assert_array_less(miss, 1e-9 * dist + 1e-6)  # 1e-9 relative (1 um floor)
    assert np.all((lon2 >= -180) & (lon2 < 180))


def test_destination_rad_is_the_compiled_kernel():
    args = (0.3, -1.2, 2.1, 0.05)
    assert g.destination_kernel(*args) == tuple(float(v) for v in g.destination_rad(*args))
    # callable from another numba kernel
    kernel = g.destination_kernel

    @numba.njit
    def walk(lat, n):
        lon = 0.0
        for _ in range(n):
            lat, lon = kernel(lat, lon, 0.0, 0.01)
        return lat, lon

    lat, lon = walk(0.0, 10)
    assert lat == pytest.approx(0.1) and lon == pytest.approx(0.0, abs=1e-12)


def test_enu_frame_is_orthonormal_and_right_handed(points):
    lat1, lon1, _, _ = points
    e, n, up = g.enu_vectors(lat1, lon1)
    for a in (e, n, up):
        np.testing.assert_allclose(np.linalg.norm(a, axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.einsum("...i,...i", e, n), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.cross(e, n), up, atol=1e-12)
    # north and east are the directions of a small step along bearing 0 and 90
    step = 1e-6
    for vec, bearing in ((n, 0.0), (e, 90.0)):
        lat2, lon2 = g.destination_point(lat1, lon1, bearing, step, 1.0)
        _, _, up2 = g.enu_vectors(lat2, lon2)
        np.testing.assert_allclose((up2 - up) / step, vec, atol=1e-5)


def test_equirectangular_near_the_centre():
    x, y = g.equirectangular_xy(10.5, 179.5 + 1.0, 10.0, 179.5, R_EARTH)  # across the dateline
    assert x == pytest.approx(R_EARTH * np.radians(1.0) * np.cos(np.radians(10.0)))
    assert y == pytest.approx(R_EARTH * np.radians(0.5))
    d = g.great_circle_distance(10.5, -179.5, 10.0, 179.5, R_EARTH)
    assert np.hypot(x, y) == pytest.approx(d, rel=2e-3)


lats = st.floats(-89.0, 89.0)
lons = st.floats(-180.0, 180.0)


@settings(max_examples=200, deadline=None)
@given(lats, lons, st.floats(0.0, 359.999), st.floats(1e-3, 3.1))
def test_destination_round_trip(lat, lon, bearing, angle):
    """Destination, then distance and initial bearing back give the arc and bearing."""
    lat2, lon2 = g.destination_point(lat, lon, bearing, angle, 1.0)
    assert g.great_circle_distance(lat, lon, lat2, lon2) == pytest.approx(angle, rel=1e-9)
    back = g.initial_bearing_deg(lat, lon, lat2, lon2)
    assert abs((back - bearing + 180.0) % 360.0 - 180.0) < 1e-6
