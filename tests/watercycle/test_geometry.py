import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.core.geodesy import enu_vectors
from fcspace.watercycle.geometry import (
    _frame,
    alias_free_fov,
    antenna_frame_tb,
    director_cosines,
    earth_disc,
    ground_point,
    hex_grid,
    incidence_angle,
    polarisation_angle,
)
from fcspace.watercycle.instrument import MIRAS


def test_nadir_and_boresight():
    xi, eta = director_cosines(0.0, 0.0, 0.0, 0.0, 0.0, MIRAS)
    assert np.isclose(xi, 0.0, atol=1e-12)
    assert np.isclose(eta, -np.sin(np.radians(MIRAS.tilt_deg)))
    assert np.isclose(incidence_angle(xi, eta, MIRAS), 0.0, atol=1e-5)
    # boresight: law of sines with the off-nadir angle = tilt
    r, h = MIRAS.earth_radius_m, MIRAS.altitude_m
    expected = np.degrees(np.arcsin((r + h) / r * np.sin(np.radians(MIRAS.tilt_deg))))
    assert np.isclose(incidence_angle(0.0, 0.0, MIRAS), expected)


@settings(max_examples=30, deadline=None)
@given(st.floats(-0.5, 0.5), st.floats(-0.7, 0.4), st.floats(-60, 60), st.floats(0, 360))
def test_ground_point_inverts_director_cosines(xi, eta, plat, heading):
    lat, lon = ground_point(xi, eta, plat, 10.0, heading, MIRAS)
    if np.isnan(lat):
        return
    xi2, eta2 = director_cosines(lat, lon, plat, 10.0, heading, MIRAS)
    assert np.isclose(xi2, xi, atol=1e-7) and np.isclose(eta2, eta, atol=1e-7)


def test_incidence_matches_ground_geometry():
    xi, eta = np.array([0.2, -0.3, 0.1]), np.array([0.1, 0.2, -0.4])
    lat, lon = ground_point(xi, eta, 40.0, 5.0, 30.0, MIRAS)
    *_, up_p = enu_vectors(lat, lon)
    *_, up_s = enu_vectors(40.0, 5.0)
    r = MIRAS.earth_radius_m
    look = r * up_p - (r + MIRAS.altitude_m) * up_s
    cos_i = -np.sum(look * up_p, axis=-1) / np.linalg.norm(look, axis=-1)
    assert np.allclose(incidence_angle(xi, eta, MIRAS), np.degrees(np.arccos(cos_i)), atol=1e-6)


def test_hidden_points_are_nan():
    xi, eta = director_cosines(0.0, 120.0, 0.0, 0.0, 0.0, MIRAS)  # far side of the Earth
    assert np.isnan(xi) and np.isnan(eta)


def test_hex_grid_period_and_disc():
    g = hex_grid(MIRAS)
    d = MIRAS.spacing_wavelengths
    assert np.isclose(g.pixel_area * g.size**2, 2 / (np.sqrt(3) * d**2))  # hexagon period area
    assert np.isclose(np.hypot(*g.reciprocal[0]), 2 / (np.sqrt(3) * d))
    assert np.all(np.hypot(g.xi, g.eta) <= 2 / (3 * d) + 1e-9)  # inside the hexagon
    assert g.size > 4 * MIRAS.n_per_arm
    # every period pixel is hit by the disc ~ pi / period-area times
    counts = np.bincount(g.disc_fold, minlength=g.size**2)
    assert counts.min() >= 1
    assert np.isclose(counts.mean(), np.pi / (g.pixel_area * g.size**2), rtol=0.01)


def test_alias_free_fov_boundary_along_reciprocal_axis():
    g = hex_grid(MIRAS)
    af, eaf = alias_free_fov(MIRAS, g)
    b = g.reciprocal[0]
    along = np.abs(g.xi * b[1] - g.eta * b[0]) / np.hypot(*b) < 1e-9  # on the line of b1
    radius = np.hypot(g.xi, g.eta)[af & along].max()
    step = np.hypot(*b) / g.size
    assert abs(radius - (np.hypot(*b) - 1.0)) <= step  # AF edge at |b| - 1 ([Camps1997])
    earth = np.zeros_like(eaf)
    earth = earth_disc(g.xi, g.eta, MIRAS)
    assert np.all(earth[eaf]) and eaf.sum() > af.sum() * 1.2


def test_director_cosines_outside_unit_circle_raise():
    with pytest.raises(InputError, match="xi, eta"):
        incidence_angle(0.9, 0.9, MIRAS)


def test_polarisation_angle_zero_in_the_plane_of_incidence():
    # xi = 0: the look, nadir and boresight share the y-z plane, so H is along x
    eta = np.linspace(-0.6, 0.4, 7)
    assert np.allclose(polarisation_angle(np.zeros_like(eta), eta, MIRAS), 0, atol=1e-9)
    a = polarisation_angle(np.array([0.3, -0.3]), np.array([0.1, 0.1]), MIRAS)
    assert np.isclose(a[0], -a[1])  # mirror symmetry in xi
    assert 1.0 < abs(a[0]) < 89.0


def test_polarisation_angle_matches_earth_frame_h():
    xi, eta = np.array([0.25, -0.4]), np.array([0.05, -0.2])
    lat, lon = ground_point(xi, eta, 20.0, 30.0, 50.0, MIRAS)
    ax, ay, az, up_s = _frame(20.0, 30.0, 50.0, MIRAS.tilt_deg)
    zeta = np.sqrt(1 - xi**2 - eta**2)
    r = xi[:, None] * ax + eta[:, None] * ay + zeta[:, None] * az
    *_, up_g = enu_vectors(lat, lon)
    h = np.cross(r, up_g)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    theta, phi = np.arccos(zeta), np.arctan2(eta, xi)
    # Ludwig-3 e_x in body-fixed coordinates
    th = (np.cos(theta) * np.cos(phi))[:, None] * ax + (np.cos(theta) * np.sin(phi))[:, None] * ay \
        - np.sin(theta)[:, None] * az
    ph = -np.sin(phi)[:, None] * ax + np.cos(phi)[:, None] * ay
    e_x = np.cos(phi)[:, None] * th - np.sin(phi)[:, None] * ph
    cos_a = np.abs(np.sum(e_x * h, axis=-1))
    assert np.allclose(np.abs(np.cos(np.radians(polarisation_angle(xi, eta, MIRAS)))), cos_a)


@settings(max_examples=30, deadline=None)
@given(st.floats(50, 300), st.floats(50, 300), st.floats(-180, 180))
def test_antenna_frame_keeps_first_stokes(tb_h, tb_v, angle):
    tx, ty = antenna_frame_tb(tb_h, tb_v, angle)
    assert np.isclose(tx + ty, tb_h + tb_v)
    assert min(tb_h, tb_v) - 1e-9 <= tx <= max(tb_h, tb_v) + 1e-9
