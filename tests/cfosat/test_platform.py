"""The CFOSat platform: orbit constants, ground track, cross-track points, shared by SCAT/SWIM."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fcspace.cfosat.platform import (
    CFOSAT,
    cross_track_points,
    ground_track,
    ground_track_heading,
)
from fcspace.cfosat.scat.instrument import CFOSAT_SCAT
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.core.geodesy import great_circle_distance, initial_bearing_deg


def test_kepler_orbit():
    # T = 2 pi sqrt(a^3 / GM), ~94.9 min at 519 km; 15.2 revolutions a day
    assert CFOSAT.orbit_period_s / 60 == pytest.approx(94.86, abs=0.05)
    assert 15.0 < 86400 / CFOSAT.orbit_period_s < 15.4
    assert 6.9e3 < CFOSAT.ground_speed_m_s < 7.1e3
    with pytest.raises(dataclasses.FrozenInstanceError):
        CFOSAT.altitude_m = 600e3  # type: ignore[misc]


def test_instruments_refer_to_the_one_platform():
    assert CFOSAT_SCAT.platform is CFOSAT and CFOSAT_SWIM.platform is CFOSAT
    assert CFOSAT_SCAT.altitude_m == CFOSAT_SWIM.altitude_m == CFOSAT.altitude_m
    assert CFOSAT_SCAT.orbit_period_s == CFOSAT.orbit_period_s
    inc = np.array([0.0, 10.0, 50.0])
    np.testing.assert_array_equal(CFOSAT_SCAT.ground_range_m(inc), CFOSAT_SWIM.ground_range_m(inc))


def test_ground_track_heading():
    asc = ground_track_heading(np.array([0.0, 30.0, -30.0]), True)
    desc = ground_track_heading(np.array([0.0, 30.0, -30.0]), False)
    # retrograde orbit: ascending passes head north-north-west, descending south-south-west
    assert np.all((asc > 340) & (asc < 355))
    assert np.all((desc > 185) & (desc < 200))
    np.testing.assert_allclose((asc + desc) % 360, 180, atol=1e-9)
    # without Earth rotation the equator heading is 360 - (i - 90)
    still = dataclasses.replace(CFOSAT, earth_rotation_rad_s=0.0)
    assert ground_track_heading(0.0, True, still) == pytest.approx(360 - (97.46 - 90))
    assert ground_track_heading(89.0, True, still) == pytest.approx(270.0)


def test_ground_track_follows_its_heading_and_speed():
    t = np.arange(0.0, CFOSAT.orbit_period_s, 1.0)
    lat, lon, heading = ground_track(t, start_lat=0.0, start_lon=170.0)
    assert lat[0] == pytest.approx(0.0, abs=1e-12) and lon[0] == pytest.approx(170.0)
    assert lat.max() == pytest.approx(180.0 - CFOSAT.inclination_deg, abs=1e-3)
    assert np.all((lon >= -180) & (lon < 180))  # wrapped across the dateline
    # the track between two samples 1 s apart runs along the analytic heading
    step = initial_bearing_deg(lat[:-1], lon[:-1], lat[1:], lon[1:])
    diff = (step - heading[:-1] + 180) % 360 - 180
    assert np.abs(diff[np.abs(lat[:-1]) < 75]).max() < 0.05
    # ground speed: inertial speed with the Earth's rotation removed (within its 7 %)
    dist = great_circle_distance(lat[:-1], lon[:-1], lat[1:], lon[1:], CFOSAT.earth_radius_m)
    assert np.all(np.abs(dist / CFOSAT.ground_speed_m_s - 1.0) < 0.08)
    # descending start: heading south
    _, _, head_desc = ground_track(np.array([0.0]), 10.0, 0.0, ascending=False)
    assert 180 < head_desc[0] < 200


def test_cross_track_points_are_perpendicular_and_at_the_offset():
    lat, lon, heading = ground_track(np.arange(0.0, 600.0, 60.0), -20.0, 150.0)
    offsets = np.array([-500e3, -12.5e3, 12.5e3, 500e3])
    clat, clon = cross_track_points(lat[:, None], lon[:, None], heading[:, None], offsets)
    assert clat.shape == (10, 4)
    dist = great_circle_distance(lat[:, None], lon[:, None], clat, clon, CFOSAT.earth_radius_m)
    np.testing.assert_allclose(dist, np.broadcast_to(np.abs(offsets), dist.shape), rtol=1e-9)
    bearing = initial_bearing_deg(lat[:, None], lon[:, None], clat, clon)
    rel = (bearing - heading[:, None]) % 360
    expected = np.broadcast_to(np.where(offsets >= 0, 90.0, 270.0), rel.shape)
    np.testing.assert_allclose(rel, expected, atol=1e-9)


def test_node_longitude_drifts_west():
    # node moves west by (omega_E - Omega_dot) T: 23.7 deg per revolution
    step = CFOSAT.node_longitude_deg(CFOSAT.orbit_period_s)
    assert step == pytest.approx(-23.7, abs=0.1)
    assert CFOSAT.node_longitude_deg(0.0) == 0.0
