import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.watercycle.geometry import hex_grid
from fcspace.watercycle.instrument import MIRAS
from fcspace.watercycle.interferometry import (
    antenna_weight,
    fringe_washing,
    g_matrix,
    hermitian_partner,
    visibilities,
)

SMALL = dataclasses.replace(MIRAS, n_per_arm=6, name="small Y")


def test_nufft_forward_equals_dense_g_matrix():
    g = hex_grid(SMALL)
    rng = np.random.default_rng(0)
    for where, shape in (("disc", g.disc_xi.shape), ("period", (g.size, g.size))):
        tb = 150 + 100 * rng.random(shape)
        contrast = tb.ravel() - SMALL.receiver_physical_temperature_k
        dense = g_matrix(SMALL, g, where=where) @ contrast
        fast = visibilities(tb, SMALL, noise=False)
        assert np.max(np.abs(fast - dense)) < 1e-6 * np.max(np.abs(dense))


def test_zero_baseline_is_antenna_temperature():
    # iint |F_n|^2 / (Omega zeta) dxi deta = 1: a uniform sky gives V(0) = T - T_r
    g = hex_grid(SMALL)
    v = visibilities(np.full(g.disc_xi.shape, 200.0), SMALL, noise=False)
    zero = np.flatnonzero(np.all(SMALL.baseline_indices == 0, axis=1))[0]
    assert abs(v[zero] - (200.0 - SMALL.receiver_physical_temperature_k)) < 0.01 * 95


def test_point_source_visibility_analytic():
    g = hex_grid(SMALL)
    tb = np.full((g.size, g.size), SMALL.receiver_physical_temperature_k)
    i, j = 5, 9
    tb[i, j] += 50.0
    v = visibilities(tb, SMALL, noise=False)
    xi, eta = g.xi[i, j], g.eta[i, j]
    delay = SMALL.baselines_uv @ np.array([xi, eta])
    expected = (g.pixel_area * antenna_weight(xi, eta, SMALL) * 50.0
                * fringe_washing(delay, SMALL) * np.exp(-2j * np.pi * delay))
    assert np.allclose(v, expected, atol=1e-8)


def test_fringe_washing_is_sinc_of_band_delay():
    # sinc(B t), t = u.xi / f0: first zero where u.xi = f0 / B
    zero_delay = SMALL.frequency_hz / SMALL.bandwidth_hz
    assert np.isclose(fringe_washing(np.array(zero_delay), SMALL), 0.0, atol=1e-12)
    assert fringe_washing(np.array(0.0), SMALL) == 1.0


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_real_scene_gives_hermitian_visibilities(seed):
    g = hex_grid(SMALL)
    tb = 100 + 200 * np.random.default_rng(seed).random(g.disc_xi.shape)
    v = visibilities(tb, SMALL, rng=seed, noise=True)
    assert np.allclose(v[hermitian_partner(SMALL)], np.conj(v), atol=1e-9)


def test_thermal_noise_matches_radiometer_equation():
    g = hex_grid(SMALL)
    tb = np.full(g.disc_xi.shape, 200.0)
    clean = visibilities(tb, SMALL, noise=False)
    rng = np.random.default_rng(3)
    draws = np.array([visibilities(tb, SMALL, rng=rng) - clean for _ in range(400)])
    zero = np.flatnonzero(np.all(SMALL.baseline_indices == 0, axis=1))[0]
    sigma = SMALL.visibility_noise_k(200.0)
    others = np.delete(np.arange(len(clean)), zero)
    measured = np.sqrt(np.mean(draws[:, others].real ** 2))
    assert abs(measured / sigma - 1) < 0.03
    assert abs(np.std(draws[:, zero].real) / (np.sqrt(2) * sigma) - 1) < 0.1


@pytest.mark.parametrize("bad", [np.nan, -1.0])
def test_bad_brightness_raises(bad):
    g = hex_grid(SMALL)
    tb = np.full(g.disc_xi.shape, 200.0)
    tb[3] = bad
    with pytest.raises(InputError, match="tb_grid"):
        visibilities(tb, SMALL)


def test_wrong_shape_raises():
    with pytest.raises(InputError, match="tb_grid"):
        visibilities(np.full((5, 5), 200.0), SMALL)
