from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fcspace.cfosat.scat.instrument import (
    AFT,
    CFOSAT_SCAT,
    FORE,
    HH,
    VV,
    azimuth_diversity,
    swath_views,
    views_per_cell,
)

NADIR = [20, 21]
MID = [7, 8, 33, 34]  # about 300 km from the track
EDGE = [0, 41]


@pytest.fixture(scope="module")
def summary():
    return views_per_cell(CFOSAT_SCAT, n_rows=40)


@pytest.fixture(scope="module")
def geo():
    return swath_views(40, CFOSAT_SCAT, rotation_phase_deg=37.0)


def test_frozen_and_kepler():
    inst = CFOSAT_SCAT
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.altitude_m = 600e3  # type: ignore[misc]
    # Kepler: T = 2 pi sqrt(a^3/GM), ~94.9 min for 519 km
    assert inst.orbit_period_s / 60 == pytest.approx(94.86, abs=0.05)
    assert 6.9e3 < inst.ground_speed_m_s < 7.1e3
    assert inst.rotation_period_s == pytest.approx(17.647, abs=1e-3)
    advance = inst.ground_speed_m_s * inst.rotation_period_s
    assert 115e3 < advance < 130e3
    assert inst.wavelength_m == pytest.approx(0.02262, abs=1e-5)


def test_cells_and_ground_range():
    inst = CFOSAT_SCAT
    off = inst.cell_offsets_m
    assert off.shape == (42,)
    assert off[0] == pytest.approx(-512.5e3) and off[-1] == pytest.approx(512.5e3)
    assert off[20] == pytest.approx(-12.5e3) and off[21] == pytest.approx(12.5e3)
    inc = np.array([18.0, 30.0, 50.0])
    np.testing.assert_allclose(inst.incidence_deg(inst.ground_range_m(inc)), inc, atol=1e-9)
    # the 50 deg edge of the fan reaches past the outermost cell centre (~545 km)
    assert 530e3 < inst.ground_range_m(50.0) < 560e3
    # near nadir the flat-Earth h tan(look angle) holds; curvature makes incidence > look angle
    eta = np.arcsin(inst.earth_radius_m / inst.semi_major_axis_m * np.sin(np.radians(18.0)))
    assert inst.ground_range_m(18.0) == pytest.approx(inst.altitude_m * np.tan(eta), rel=0.01)
    assert inst.ground_range_m(18.0) < inst.altitude_m * np.tan(np.radians(18.0))
    assert np.all(np.diff(inst.slant_range_m(np.array([18.0, 30.0, 50.0]))) > 0)


def test_kp_model():
    inst = CFOSAT_SCAT
    # high-SNR floor 1/sqrt(N)
    assert inst.kp(1e3, 35.0) == pytest.approx(1 / np.sqrt(inst.kp_independent_samples), rel=1e-3)
    typical = inst.kp(0.01, 35.0)  # -20 dB
    assert 0.05 <= typical <= 0.07
    low_wind_far = inst.kp(1e-3, 50.0)  # -30 dB at the outer edge
    assert 0.1 <= low_wind_far <= 0.2
    s0 = np.logspace(-4, -1, 10)
    assert np.all(np.diff(inst.kp(s0, 40.0)) < 0)  # grows as sigma0 falls
    assert np.all(np.diff(inst.kp(0.005, np.array([20.0, 35.0, 50.0]))) > 0)  # and with incidence
    # closed form Kp^2 = alpha^2 + beta/SNR + gamma/SNR^2
    snr = inst.snr(0.003, 45.0)
    n, r = inst.kp_independent_samples, inst.kp_noise_bandwidth_ratio
    expected = np.sqrt(1 / n + 2 / (n * snr) + (1 + r) / (n * snr**2))
    assert inst.kp(0.003, 45.0) == pytest.approx(expected)


def test_view_counts(summary):
    mean = summary.mean_views.values
    assert np.all(summary.min_views.values >= 4)
    assert np.all((mean[NADIR] > 10) & (mean[NADIR] < 15))
    assert np.all(mean[MID] > 13)
    assert np.all(mean[EDGE] < 8)
    assert np.all(mean[EDGE] < mean[MID].min())


def test_left_right_symmetry(summary):
    mean = summary.mean_views.values
    # the clockwise spin makes the two sides differ by about one turn per beam
    np.testing.assert_allclose(mean, mean[::-1], rtol=0.15)
    np.testing.assert_allclose(
        summary.azimuth_diversity.values, summary.azimuth_diversity.values[::-1], atol=0.06
    )
    np.testing.assert_allclose(
        summary.incidence_min.values, summary.incidence_min.values[::-1], atol=0.5
    )


def test_azimuth_diversity_pattern(summary):
    div = summary.azimuth_diversity.values
    assert np.all(div[MID] > 0.5)
    assert np.all(div[NADIR] < 0.05)
    assert np.all(div[EDGE] < 0.15)
    assert div.argmax() not in NADIR + EDGE


def test_incidence_within_fan(geo, summary):
    inc = geo.incidence.values
    ok = geo.polarisation.values >= 0
    assert np.all(np.isfinite(inc[ok])) and np.all(np.isnan(inc[~ok]))
    assert inc[ok].min() >= 18.0 - 1e-6 and inc[ok].max() <= 50.0 + 1e-6
    # edge cells are only seen at high incidence; nadir cells across the whole fan
    assert np.all(summary.incidence_min.values[EDGE] > 45)
    assert np.all(summary.incidence_min.values[NADIR] < 19)
    assert np.all(summary.incidence_max.values[NADIR] > 49)


def test_views_follow_the_beam(geo):
    """Each view is a time when the beam azimuth equals the cell bearing from nadir."""
    inst = CFOSAT_SCAT
    ok = geo.polarisation.values >= 0
    t = geo.time.values[ok]
    beam = np.where(geo.polarisation.values[ok] == VV, 0, 1)
    offsets = np.array(inst.beam_azimuth_offset_deg)[beam]
    pointing = (37.0 + offsets + 360.0 * t / inst.rotation_period_s) % 360
    diff = (pointing - geo.rel_azimuth.values[ok] + 180) % 360 - 180
    np.testing.assert_allclose(diff, 0, atol=1e-6)


def test_fore_aft_and_polarisations(geo):
    rel = geo.rel_azimuth.values
    look = geo.look.values
    assert np.all(np.cos(np.radians(rel[look == FORE])) > 0)
    assert np.all(np.cos(np.radians(rel[look == AFT])) < 0)
    pol = geo.polarisation.values
    n_vv, n_hh = (pol == VV).sum(-1), (pol == HH).sum(-1)
    assert np.all(np.abs(n_vv - n_hh) <= 2)  # at most one per fore/aft passage
    assert abs(n_vv.mean() - n_hh.mean()) < 0.2
    for c in NADIR + EDGE + MID:
        assert np.all((look[:, c] == FORE).any(-1) & (look[:, c] == AFT).any(-1))
    # nadir: fore and aft looks nearly opposite, along track
    nadir = rel[:, NADIR]
    assert np.nanmax(np.abs(np.sin(np.radians(nadir)))) < 0.1
    # edges: looks converge to cross-track
    assert np.nanmax(np.abs(np.cos(np.radians(rel[:, EDGE])))) < 0.45


def test_azimuth_diversity_metric():
    assert azimuth_diversity(np.array([0.0, 180.0, 0.0, np.nan])) == pytest.approx(0.0, abs=1e-12)
    assert azimuth_diversity(np.array([0.0, 45.0, 90.0, 135.0])) == pytest.approx(1.0)
