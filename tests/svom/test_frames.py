"""Instrument frame (θ, φ) ↔ (RA, Dec) for a pointing (RA, Dec, roll)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.svom.frames import attitude_matrix, instrument_to_radec, radec_to_instrument

ra_s = st.floats(0, 360, exclude_max=True)
dec_s = st.floats(-89.9, 89.9)
roll_s = st.floats(0, 360, exclude_max=True)


def _sep(ra1, dec1, ra2, dec2):
    a1, d1, a2, d2 = (np.radians(np.asarray(x, float)) for x in (ra1, dec1, ra2, dec2))
    c = np.sin(d1) * np.sin(d2) + np.cos(d1) * np.cos(d2) * np.cos(a1 - a2)
    return np.degrees(np.arccos(np.clip(c, -1, 1)))


@settings(max_examples=60, deadline=None)
@given(ra_s, dec_s, roll_s, st.floats(0.5, 179.5), st.floats(0, 360, exclude_max=True))
def test_round_trip_instrument_sky_instrument(att_ra, att_dec, roll, theta, phi):
    ra, dec = instrument_to_radec(theta, phi, att_ra, att_dec, roll)
    t2, p2 = radec_to_instrument(ra, dec, att_ra, att_dec, roll)
    assert t2 == pytest.approx(theta, abs=1e-7)
    assert (p2 - phi + 180) % 360 - 180 == pytest.approx(0, abs=1e-6)
    assert _sep(ra, dec, att_ra, att_dec) == pytest.approx(theta, abs=1e-7)  # θ is off-axis


@settings(max_examples=40, deadline=None)
@given(ra_s, dec_s, roll_s)
def test_matrix_is_a_proper_rotation_and_boresight_maps_to_pointing(att_ra, att_dec, roll):
    m = attitude_matrix(att_ra, att_dec, roll)
    np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(m) == pytest.approx(1.0)
    ra, dec = instrument_to_radec(0.0, 123.0, att_ra, att_dec, roll)
    assert _sep(ra, dec, att_ra, att_dec) < 1e-5  # 0.04 arcsec: float64 round-off near the pole


def test_theta_90_is_perpendicular_and_roll_zero_axes_point_north_and_west():
    phis = np.arange(0, 360, 15.0)
    ra, dec = instrument_to_radec(90.0, phis, 30.0, 20.0, 77.0)
    np.testing.assert_allclose(_sep(ra, dec, 30.0, 20.0), 90.0, atol=1e-9)
    # pointing at (0, 0), roll 0: +X is north (Dec +θ), φ = 90° is west (RA −θ)
    ra, dec = instrument_to_radec(10.0, 0.0, 0.0, 0.0, 0.0)
    assert (float(ra) % 360, float(dec)) == pytest.approx((0.0, 10.0))
    ra, dec = instrument_to_radec(10.0, 90.0, 0.0, 0.0, 0.0)
    assert (float(ra), float(dec)) == pytest.approx((350.0, 0.0), abs=1e-9)
    # roll 90°: +X points east
    ra, dec = instrument_to_radec(10.0, 0.0, 0.0, 0.0, 90.0)
    assert (float(ra), float(dec)) == pytest.approx((10.0, 0.0), abs=1e-9)


def test_pole_pointing_is_well_defined():
    ra, dec = instrument_to_radec(0.0, 0.0, 45.0, 90.0, 10.0)
    assert float(dec) == pytest.approx(90.0)
    theta, _ = radec_to_instrument(100.0, 0.0, 45.0, 90.0, 10.0)
    assert float(theta) == pytest.approx(90.0)


def test_matches_astropy_sky_offset_frame():
    import astropy.units as u
    from astropy.coordinates import SkyCoord, SkyOffsetFrame

    rng = np.random.default_rng(3)
    theta, phi = rng.uniform(0, 170, 50), rng.uniform(0, 360, 50)
    att = (211.3, -47.2, 287.22)
    ra, dec = instrument_to_radec(theta, phi, *att)
    frame = SkyOffsetFrame(origin=SkyCoord(att[0] * u.deg, att[1] * u.deg), rotation=att[2] * u.deg)
    xyz = SkyCoord(ra * u.deg, dec * u.deg).transform_to(frame).cartesian.xyz.value
    t, p = np.radians(theta), np.radians(phi)
    expected = np.stack([np.cos(t), -np.sin(t) * np.sin(p), np.sin(t) * np.cos(p)])
    np.testing.assert_allclose(xyz, expected, atol=1e-10)


def test_eclairs_layout_maps_onto_spacecraft_with_the_same_angles():
    from fcspace.svom.frames import direction_angles, direction_vector, eclairs_to_spacecraft

    rng = np.random.default_rng(5)
    theta, phi = rng.uniform(0, 89, 40), rng.uniform(0, 360, 40)
    t, p = np.radians(theta), np.radians(phi)
    ecl = np.stack([np.cos(t), np.sin(t) * np.cos(p), np.sin(t) * np.sin(p)], axis=-1)
    sc = eclairs_to_spacecraft(ecl)
    np.testing.assert_allclose(sc, direction_vector(theta, phi), atol=1e-12)
    t2, p2 = direction_angles(sc)
    np.testing.assert_allclose(t2, theta, atol=1e-9)
    np.testing.assert_allclose((p2 - phi + 180) % 360 - 180, 0, atol=1e-9)


def test_grm_normals_are_spacecraft_directions():
    from fcspace.svom.frames import direction_angles
    from fcspace.svom.grm.instrument import GRM

    theta, phi = direction_angles(GRM.detector_axes)
    np.testing.assert_allclose(theta, GRM.tilt_deg, atol=1e-9)
    np.testing.assert_allclose(phi, GRM.azimuth_deg, atol=1e-9)
