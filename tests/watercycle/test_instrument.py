import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.watercycle.instrument import (
    HR_CONCEPT,
    MIRAS,
    SNOW_CHANNELS,
    SPEED_OF_LIGHT,
    y_array_positions,
)


def test_miras_layout_matches_mcmullan2008():
    assert MIRAS.n_elements == 69
    assert np.isclose(MIRAS.frequency_hz, 1.4135e9)
    assert np.isclose(MIRAS.spacing_m / MIRAS.wavelength_m, 0.875)
    assert np.isclose(MIRAS.wavelength_m, SPEED_OF_LIGHT / 1.4135e9)
    pos = MIRAS.positions_m
    # three arms at 120 deg: the mean position is the centre, nearest-neighbour spacing d
    assert np.allclose(pos.mean(axis=0), 0.0, atol=1e-12)
    arm = pos[: MIRAS.n_per_arm]
    assert np.allclose(np.diff(np.hypot(*arm.T)), MIRAS.spacing_m)


def test_y_array_baseline_count_and_longest_baseline():
    n = MIRAS.n_per_arm
    assert MIRAS.n_visibilities == 6 * n * n + 6 * n - 5  # distinct (u, v), no centre element
    # longest baseline: tip to tip of two arms, sqrt(3) N d
    assert np.isclose(MIRAS.max_baseline_wavelengths, np.sqrt(3) * n * 0.875)


def test_hr_concept_about_230_elements_and_10km():
    assert 220 <= HR_CONCEPT.n_elements <= 240
    assert HR_CONCEPT.spacing_wavelengths >= 0.875
    # resolution scales as altitude / u_max from SMOS's 35 km ([CEOS]) at 758 km
    scale = 35e3 * MIRAS.max_baseline_wavelengths / MIRAS.altitude_m
    res = scale * HR_CONCEPT.altitude_m / HR_CONCEPT.max_baseline_wavelengths
    assert 9e3 < res < 11e3


def test_radiometer_equation():
    t_a = 150.0
    expected = (t_a + MIRAS.receiver_temperature_k) / (
        (2 / np.pi) * np.sqrt(MIRAS.bandwidth_hz * MIRAS.integration_time_s)
    )
    assert np.isclose(MIRAS.radiometer_sensitivity_k(t_a), expected)
    assert np.isclose(MIRAS.visibility_noise_k(t_a), expected / np.sqrt(2))


def test_snow_channels_are_x_and_ka():
    assert [c.name for c in SNOW_CHANNELS] == ["X", "Ka"]
    assert np.isclose(SNOW_CHANNELS[0].frequency_hz, 10.65e9)
    assert np.isclose(SNOW_CHANNELS[1].frequency_hz, 36.5e9)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 12), st.floats(0.5, 1.0))
def test_baselines_hermitian_and_on_lattice(n, d):
    array = dataclasses.replace(MIRAS, n_per_arm=n, spacing_wavelengths=d)
    k = array.baseline_indices
    assert len(k) == 6 * n * n + 6 * n - 5
    as_set = {tuple(r) for r in k.tolist()}
    assert all((-a, -b) in as_set for a, b in as_set)
    pos = array.positions_m / array.wavelength_m
    diff = (pos[:, None] - pos[None]).reshape(-1, 2)
    back = k @ array.lattice_basis
    assert np.allclose(np.sort(np.unique(np.round(diff, 9), axis=0), axis=0),
                       np.sort(np.unique(np.round(back, 9), axis=0), axis=0))


def test_y_positions_three_arms():
    pos = y_array_positions(4, 1.0)
    angles = np.degrees(np.arctan2(pos[:, 1], pos[:, 0])) % 360
    assert set(np.round(angles, 6)) == {90.0, 210.0, 330.0}
