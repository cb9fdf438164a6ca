import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from fcspace.core import stats

angles = st.floats(-720, 720, allow_nan=False)


def test_basic_scores():
    est, ref = np.array([1.0, 2.0, 3.0, np.nan]), np.array([0.0, 2.0, 5.0, 1.0])
    assert stats.bias(est, ref) == (1 + 0 - 2) / 3
    assert np.isclose(stats.rmse(est, ref), np.sqrt(5 / 3))
    assert np.isclose(stats.scatter_index(est, ref), np.std([1, 0, -2]) / np.mean([0, 2, 5]))
    assert np.isnan(stats.rmse([np.nan], [1.0]))
    # the bias-free part: std_diff^2 + bias^2 = rmse^2
    assert np.isclose(stats.std_diff(est, ref) ** 2 + stats.bias(est, ref) ** 2,
                      stats.rmse(est, ref) ** 2)


def test_circular_wraps_across_north():
    assert stats.circular_diff(359.0, 1.0) == -2.0
    assert stats.circular_diff(1.0, 359.0) == 2.0
    assert np.isclose(stats.circular_rmse([350, 10], [10, 350]), 20.0)
    assert np.isclose(stats.circular_bias([5, 355], [355, 5]), 0.0)


@given(angles, angles)
def test_circular_diff_range_and_antisymmetry(a, b):
    d = stats.circular_diff(a, b)
    assert -180.0 <= d < 180.0
    assert np.isclose(np.cos(np.deg2rad(d)), np.cos(np.deg2rad(a - b)), atol=1e-9)


def test_vector_rmse_of_opposite_winds():
    assert np.isclose(stats.vector_rmse([1.0], [0.0], [-1.0], [0.0]), 2.0)


def test_binned_statistic_counts_and_means():
    x = np.array([0.5, 1.5, 1.6, 2.5, np.nan])
    y = np.array([1.0, 2.0, 4.0, 5.0, 1.0])
    centres, mean, count = stats.binned_statistic(x, y, [0, 1, 2, 3])
    np.testing.assert_allclose(centres, [0.5, 1.5, 2.5])
    np.testing.assert_allclose(mean, [1.0, 3.0, 5.0])
    np.testing.assert_array_equal(count, [1, 2, 1])
