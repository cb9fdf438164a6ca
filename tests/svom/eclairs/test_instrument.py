import dataclasses

import numpy as np
import pytest

from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument


def test_detector_numbers_match_godet2014():
    assert ECLAIRS.n_pixels**2 == 6400
    assert ECLAIRS.detector_area_cm2 == pytest.approx(1024.0)
    assert ECLAIRS.mask_side_m == pytest.approx(0.5405)
    assert ECLAIRS.detector_side_m == pytest.approx(0.36)


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ECLAIRS.mask_height_m = 1.0  # type: ignore[misc]


def test_fov_consistent_with_stated_89_deg_and_2_sr():
    assert 2 * ECLAIRS.half_fov_deg == pytest.approx(89.0, abs=0.5)
    assert ECLAIRS.fov_solid_angle_sr == pytest.approx(2.0, abs=0.1)
    # fully coded: atan((M - D) / 2h)
    assert 2 * ECLAIRS.half_fully_coded_deg == pytest.approx(22.2, abs=0.1)
    assert ECLAIRS.fully_coded_solid_angle_sr == pytest.approx(0.148, abs=0.002)
    assert ECLAIRS.partially_coded_solid_angle_sr == pytest.approx(
        ECLAIRS.fov_solid_angle_sr - ECLAIRS.fully_coded_solid_angle_sr
    )


def test_solid_angle_by_monte_carlo():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(1_000_000, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    v = v[v[:, 0] > 0]
    theta = np.degrees(np.arccos(v[:, 0]))
    phi = np.degrees(np.arctan2(v[:, 2], v[:, 1]))
    frac = ECLAIRS.coding_fraction(theta, phi)
    omega = 2 * np.pi * np.mean(frac > 0)
    assert omega == pytest.approx(ECLAIRS.fov_solid_angle_sr, rel=0.01)
    omega_fc = 2 * np.pi * np.mean(frac >= 1.0)
    assert omega_fc == pytest.approx(ECLAIRS.fully_coded_solid_angle_sr, rel=0.03)


def test_coding_fraction_edges():
    fc = ECLAIRS.half_fully_coded_deg
    fov = ECLAIRS.half_fov_deg
    half = ECLAIRS.half_fov_half_coded_deg
    cf = ECLAIRS.coding_fraction([0.0, fc - 0.01, half, fov - 0.01, fov + 0.01, 90.0, 120.0], 0.0)
    np.testing.assert_allclose(cf[:2], 1.0)
    assert cf[2] == pytest.approx(0.5)
    assert 0 < cf[3] < 0.01
    np.testing.assert_array_equal(cf[4:], 0.0)
    assert ECLAIRS.in_fov(40.0, 45.0) == (ECLAIRS.coding_fraction(40.0, 45.0) > 0)


def test_shadow_shift_analytic_and_inverse():
    sy, sz = ECLAIRS.shadow_shift(30.0, 60.0)
    r = 0.46 * np.tan(np.radians(30.0))
    assert sy == pytest.approx(r * 0.5)
    assert sz == pytest.approx(r * np.sqrt(3) / 2)
    theta, phi = ECLAIRS.direction_from_shift(sy, sz)
    assert theta == pytest.approx(30.0)
    assert phi == pytest.approx(60.0)
    _, phi2 = ECLAIRS.direction_from_shift(0.0, -0.1)
    assert phi2 == pytest.approx(270.0)


def test_angular_scales():
    assert ECLAIRS.sky_pixel_deg == pytest.approx(np.degrees(np.arctan(4.5 / 460)))
    assert ECLAIRS.angular_resolution_deg == pytest.approx(1.46, abs=0.01)


def test_pixel_and_element_centres_symmetric():
    c = ECLAIRS.pixel_centres_m()
    assert c.size == 80 and c[0] == pytest.approx(-c[-1]) and c[1] - c[0] == pytest.approx(4.5e-3)
    m = ECLAIRS.mask_element_centres_m()
    assert m.size == 46 and m[0] == pytest.approx(-m[-1])


def test_energy_resolution():
    assert ECLAIRS.fwhm_kev(60.0) == pytest.approx(1.8)
    f = ECLAIRS.fwhm_kev([4.0, 20.0, 60.0, 150.0])
    assert np.all(np.diff(f) > 0) and f[0] > ECLAIRS.fwhm_noise_kev


def test_efficiency_and_transmission_shapes():
    e = np.array([5.0, 20.0, 60.0, 100.0, 150.0])
    eff = ECLAIRS.detector_efficiency(e)
    assert np.all((eff > 0) & (eff <= 1))
    assert eff[0] == pytest.approx(1.0) and eff[2] > 0.9
    assert eff[-1] < eff[-2] < eff[2]
    # oblique incidence: longer path, more absorption
    assert ECLAIRS.detector_efficiency(150.0, 60.0) > eff[-1]
    t = ECLAIRS.mask_transmission(e)
    assert t[0] < 1e-10 and t[2] < 0.05 and 0.05 < t[-1] < 0.3
    # K edge of tungsten at 69.5 keV: transmission drops across it
    assert ECLAIRS.mask_transmission(69.0) > ECLAIRS.mask_transmission(70.0)


def test_custom_instrument():
    inst = EclairsInstrument(mask_height_m=0.92)
    assert inst.half_fov_deg < ECLAIRS.half_fov_deg
