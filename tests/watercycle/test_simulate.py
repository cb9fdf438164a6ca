import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.core.orbit import EARTH_GM_M3_S2
from fcspace.watercycle.instrument import MIRAS
from fcspace.watercycle.simulate import (
    Orbit,
    ground_speed_m_s,
    simulate_pass,
    simulate_snapshot,
    synthetic_scene,
)


def test_ground_speed_circular_orbit():
    r = MIRAS.earth_radius_m + MIRAS.altitude_m
    expected = np.sqrt(EARTH_GM_M3_S2 / r) * MIRAS.earth_radius_m / r
    assert ground_speed_m_s(MIRAS) == pytest.approx(expected)
    assert 6.6e3 < ground_speed_m_s(MIRAS) < 6.8e3  # ~100 min period, 758 km


def test_snapshot_layout_truth_and_reproducible():
    scene = synthetic_scene(1, n=12)
    a = simulate_snapshot(scene, MIRAS, rng=3)
    b = simulate_snapshot(scene, MIRAS, rng=3)
    assert a["vis_real"].shape == (1, 2, MIRAS.n_visibilities)
    np.testing.assert_array_equal(a["vis_real"].values, b["vis_real"].values)
    np.testing.assert_array_equal(a["truth_soil_moisture"].values, scene["soil_moisture"].values)
    assert a.attrs["array"] == MIRAS.name


def test_zero_baseline_is_antenna_minus_receiver_temperature():
    scene = synthetic_scene(0, n=8)
    ds = simulate_snapshot(scene, MIRAS, noise=False)
    zero = np.flatnonzero(np.all(MIRAS.baseline_indices == 0, axis=1))[0]
    t_a = ds["vis_real"].values[0, :, zero] + MIRAS.receiver_physical_temperature_k
    # the antenna sees Earth (50-300 K) and sky (3.7 K): T_A between those
    assert np.all((t_a > 50) & (t_a < 300))
    assert abs(ds["vis_imag"].values[0, :, zero]).max() < 1e-9


def test_pass_platform_moves_along_heading():
    scene = synthetic_scene(0, n=8)
    ds = simulate_pass(scene, Orbit(40.0, 0.0, 0.0, 10), 3, noise=False)
    step_deg = np.degrees(10 * 1.2 * ground_speed_m_s(MIRAS) / MIRAS.earth_radius_m)
    np.testing.assert_allclose(np.diff(ds["platform_lat"].values), step_deg, rtol=1e-9)


@pytest.mark.parametrize(("name", "value"), [("sss", -1.0), ("soil_moisture", 1.5)])
def test_bad_scene_names_variable(name, value):
    scene = synthetic_scene(0, n=8)
    land = scene["land"].values.astype(bool)
    where = ~land if name == "sss" else land
    scene[name].values[where] = value
    with pytest.raises(InputError) as err:
        simulate_snapshot(scene, MIRAS)
    assert err.value.variable == name
