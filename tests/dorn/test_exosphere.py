"""Radon exosphere Monte Carlo: hop statistics, freeze-out, reproducibility, daughters."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from fcspace.core.errors import InputError
from fcspace.dorn.exosphere import (
    RADON_MASS_KG,
    ExosphereConfig,
    daughter_buildup,
    lander_view,
    sample_hops,
    simulate,
    temperature_table,
)
from fcspace.dorn.moon import BOLTZMANN_J_K, MOON
from fcspace.dorn.nuclides import NUCLIDES

N_HOPS = 50_000
T_UNIFORM = 400.0
SIGMA = np.sqrt(BOLTZMANN_J_K * T_UNIFORM / RADON_MASS_KG)
G = MOON.gravity_m_s2


@pytest.fixture(scope="module")
def run():
    return simulate(ExosphereConfig(n_atoms=1500, seed=7))


def time_cdf(t):
    return 1.0 - np.exp(-((G * t) ** 2) / (8.0 * SIGMA**2))


def range_cdf(x):
    u = G * np.asarray(x) / (2.0 * SIGMA**2)
    return 1.0 - u * special.k1(u)


def test_flat_hop_time_and_range_follow_the_analytic_laws():
    t, x = sample_hops(T_UNIFORM, N_HOPS, seed=3, spherical=False)
    # moments: <t> = sigma sqrt(2 pi)/g, <x> = pi sigma^2/g, within 4 standard errors
    for sample, mean in ((t, SIGMA * np.sqrt(2 * np.pi) / G), (x, np.pi * SIGMA**2 / G)):
        assert abs(sample.mean() - mean) < 4.0 * sample.std() / np.sqrt(sample.size)
    assert stats.kstest(t, time_cdf).pvalue > 1e-3
    assert stats.kstest(x, range_cdf).pvalue > 1e-3


def test_spherical_hops_are_slightly_longer_than_flat():
    tf, xf = sample_hops(T_UNIFORM, N_HOPS, seed=4, spherical=False)
    ts, xs = sample_hops(T_UNIFORM, N_HOPS, seed=4, spherical=True)  # same draws
    nu = (tf / 2 * G) ** 2 / (G * MOON.radius_m)  # ~ (v_z^2/gR): order of the correction
    assert np.all(ts >= tf) and np.all(xs >= xf * (1 - 1e-9))
    assert 1.0 < ts.mean() / tf.mean() < 1.05
    assert 1.0 < xs.mean() / xf.mean() < 1.05
    assert np.max(ts / tf - 1.0) < 10.0 * nu.max() + 1e-6


def test_cold_launch_reduces_to_flat_gravity():
    tf, xf = sample_hops(20.0, 2000, seed=5, spherical=False)
    ts, xs = sample_hops(20.0, 2000, seed=5, spherical=True)
    assert np.allclose(ts, tf, rtol=1e-2) and np.allclose(xs, xf, rtol=1e-2)
    assert ts.mean() / tf.mean() - 1.0 < 2e-3 and xs.mean() / xf.mean() - 1.0 < 2e-3


def test_seeded_reproducibility(run):
    again = simulate(ExosphereConfig(n_atoms=1500, seed=7))
    assert again.identical(run)
    other = simulate(ExosphereConfig(n_atoms=1500, seed=8))
    assert not np.array_equal(other.column_density.values, run.column_density.values)


def test_fates_sum_to_one(run):
    fates = [v for k, v in run.attrs.items() if k.startswith("fraction_")]
    assert sum(fates) == pytest.approx(1.0)
    assert run.attrs["fraction_escaped"] == 0.0
    assert run.attrs["fraction_decay_rest"] > 0.2 and run.attrs["fraction_photoionised"] > 0.05
    assert run.attrs["hops_per_atom"] > 100.0


def test_night_freeze_out_and_dawn_release(run):
    surf = run.surface_density.mean("lat")
    col = run.column_density.mean("lat")
    predawn = surf.sel(local_time=slice(3.0, 6.0)).mean()
    noon = surf.sel(local_time=slice(10.0, 14.0)).mean()
    assert predawn > 1e4 * max(float(noon), 1e-30)  # frozen at night, gone by day
    night_surf = surf.values
    assert night_surf[1:5].mean() > night_surf[19:23].mean()  # piles up towards dawn
    assert col.sel(local_time=6.5) > 10.0 * col.sel(local_time=4.5)  # released at dawn
    assert col.sel(local_time=slice(7.0, 17.0)).min() > 100.0 * col.sel(local_time=2.5)


def test_lander_view_and_daughters(run):
    view = lander_view(run)
    assert view.dims == ("local_time",) and view.lat == pytest.approx(-42.5)
    assert view.sel(local_time=slice(8.0, 16.0)).min() > 0.0
    years = np.array([1.0, 10.0, 200.0])
    d = daughter_buildup(run, years)
    assert np.all(np.diff(d.pb210.values, axis=1) >= 0.0)
    rate = run.deposit_rate.mean("local_time").values
    lam_pb = NUCLIDES["Pb-210"].decay_constant
    # after ~9 half-lives Pb-210 saturates at s/lambda and Po-210 is in secular equilibrium
    assert np.allclose(d.pb210.values[:, -1], rate / lam_pb, rtol=0.01)
    assert np.allclose(d.po210_activity.values[:, -1], rate, rtol=0.01)


def test_uniform_temperature_table_and_bad_input():
    assert np.all(temperature_table(uniform_k=250.0) == 250.0)
    bad = temperature_table()
    bad[10, 10] = np.nan
    with pytest.raises(InputError):
        simulate(ExosphereConfig(n_atoms=10), table=bad)
    with pytest.raises(InputError):
        sample_hops(np.nan, 10)
    with pytest.raises(InputError):
        temperature_table(uniform_k=np.nan)
