import numpy as np
import pytest

from fcspace.svom.grm.instrument import GRM, direction_vector


def test_detector_axes_tilt_and_spacing():
    axes = GRM.detector_axes
    assert axes.shape == (3, 3)
    np.testing.assert_allclose(np.rad2deg(np.arccos(axes[:, 2])), 30.0)
    for i in range(3):
        j = (i + 1) % 3
        az = np.rad2deg(np.arctan2(axes[j, 1], axes[j, 0]) - np.arctan2(axes[i, 1], axes[i, 0]))
        assert az % 360 == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("angle", "expected"),
    [(0.0, 1.0), (45.0, np.cos(np.deg2rad(45))), (60.0, 0.5 * 0.5), (70.0, 0.0), (120.0, 0.0)],
)
def test_angular_response_cosine_and_edge(angle, expected):
    assert GRM.angular_response(np.cos(np.deg2rad(angle))) == pytest.approx(expected, abs=1e-12)


def test_response_monotonic_and_on_axis_of_each_grd():
    ang = np.linspace(0, 90, 181)
    r = GRM.angular_response(np.cos(np.deg2rad(ang)))
    assert np.all(np.diff(r) <= 1e-12)
    resp = GRM.detector_response(30.0, 0.0)  # on GRD1's axis
    assert resp[0] == pytest.approx(1.0)
    assert resp[1] == pytest.approx(resp[2])


def test_efficiency_and_resolution():
    assert GRM.efficiency(50.0) > 0.99
    eff = GRM.efficiency([100.0, 300.0, 1000.0, 5000.0])
    assert np.all(np.diff(eff) < 0) and 0.1 < eff[-1] < 0.3
    fwhm = GRM.resolution_sigma_kev(60.0) * 2 * np.sqrt(2 * np.log(2)) / 60.0
    assert fwhm == pytest.approx(0.16)
    assert GRM.effective_area_cm2(50.0, 1.0) == pytest.approx(200.0, rel=0.01)


def test_channels_cover_range():
    edges = GRM.channel_edges_kev
    assert edges.size == GRM.n_channels + 1
    assert edges[0] == 15.0 and edges[-1] == pytest.approx(5000.0)


def test_direction_vector_unit():
    v = direction_vector([0.0, 90.0], [0.0, 90.0])
    np.testing.assert_allclose(v, [[0, 0, 1], [0, 1, 0]], atol=1e-12)
