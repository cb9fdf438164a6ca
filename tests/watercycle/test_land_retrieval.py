"""Tests of the multi-angular soil-moisture retrieval (fcspace.watercycle.land_retrieval).

Looks: SMOS-like, 14 incidence angles evenly spaced between 20 and 55 degrees, H and V each.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.watercycle.land import LandParams, land_tb
from fcspace.watercycle.land_retrieval import forward_tb_table, retrieve_soil_moisture

THETA = np.linspace(20.0, 55.0, 14)
NOISE_K = 2.5
PARAMS = LandParams()


def _scene(n: int, tau: float, seed: int, params: LandParams = PARAMS):
    rng = np.random.default_rng(seed)
    sm = rng.uniform(0.02, 0.48, n)
    t_k = rng.uniform(275.0, 310.0, n)
    tb_h, tb_v = land_tb(sm[:, None], tau, t_k[:, None], THETA, params)
    return rng, sm, t_k, tb_h, tb_v


@pytest.mark.parametrize("tau", [0.05, 0.3, 0.6])
def test_noise_free_closed_loop(tau):
    _, sm, t_k, tb_h, tb_v = _scene(200, tau, seed=1)
    ds = retrieve_soil_moisture(tb_h, tb_v, THETA, t_k, PARAMS, sigma_k=NOISE_K)
    assert ds.converged.all()
    assert np.max(np.abs(ds.soil_moisture.values - sm)) <= 1e-4
    assert np.max(np.abs(ds.tau_nadir.values - tau)) <= 1e-3
    assert np.all(ds.chi2.values < 1e-3)


@pytest.mark.parametrize(("tau", "rmse_max"), [(0.05, 0.01), (0.3, 0.02), (0.6, 0.04)])
def test_noisy_closed_loop_rmse_and_honest_sigma(tau, rmse_max):
    rng, sm, t_k, tb_h, tb_v = _scene(400, tau, seed=2)
    tb_h = tb_h + rng.normal(0.0, NOISE_K, tb_h.shape)
    tb_v = tb_v + rng.normal(0.0, NOISE_K, tb_v.shape)
    ds = retrieve_soil_moisture(tb_h, tb_v, THETA, t_k, PARAMS, sigma_k=NOISE_K)
    err = ds.soil_moisture.values - sm
    inside = (sm > 0.05) & (sm < 0.45)  # away from the bounds, where the pull is Gaussian
    assert np.sqrt(np.mean(err**2)) <= rmse_max
    pull = err[inside] / ds.soil_moisture_sigma.values[inside]
    assert abs(np.std(pull) - 1.0) <= 0.15
    assert abs(np.mean(pull)) <= 0.15
    chi2_per_dof = np.mean(ds.chi2.values) / (2 * THETA.size - 2)
    assert abs(chi2_per_dof - 1.0) <= 0.1


def test_table_interpolation_error_is_small():
    # the retrieval's tabulated reflectivities against the exact dielectric functions
    rng = np.random.default_rng(3)
    sm = rng.uniform(0.0, 0.5, 300)[:, None]
    t_k = rng.uniform(260.0, 320.0, 300)[:, None]
    exact = land_tb(sm, 0.2, t_k, THETA, PARAMS)
    table = forward_tb_table(sm, 0.2, t_k, THETA, PARAMS)
    assert np.max(np.abs(np.asarray(table) - np.asarray(exact))) < 2e-3  # K


def test_per_pixel_clay_and_temperature_dependent_model():
    rng = np.random.default_rng(4)
    n = 60
    clay = rng.uniform(0.1, 0.4, n)
    sm = rng.uniform(0.02, 0.43, n)
    tau = rng.uniform(0.0, 0.8, n)
    t_k = rng.uniform(280.0, 300.0, n)
    for model in ("mironov", "dobson"):
        fwd = LandParams(dielectric_model=model, clay_fraction=clay[:, None], porosity=0.45)
        tb_h, tb_v = land_tb(sm[:, None], tau[:, None], t_k[:, None], THETA, fwd)
        params = LandParams(dielectric_model=model, clay_fraction=clay, porosity=0.45)
        ds = retrieve_soil_moisture(tb_h, tb_v, THETA, t_k, params)
        assert np.max(np.abs(ds.soil_moisture.values - sm)) <= 1e-4, model
        assert np.max(np.abs(ds.tau_nadir.values - tau)) <= 1e-3, model


def test_missing_looks_and_two_d_layout():
    _, sm, t_k, tb_h, tb_v = _scene(12, 0.2, seed=5)
    tb_h[:, ::2] = np.nan  # half of the looks missing everywhere
    tb_v[0, :] = np.nan  # first pixel has no look at all
    ds = retrieve_soil_moisture(tb_h.reshape(3, 4, -1), tb_v.reshape(3, 4, -1), THETA,
                                t_k.reshape(3, 4), PARAMS)  # fmt: skip
    assert ds.soil_moisture.dims == ("y", "x")
    flat = ds.soil_moisture.values.ravel()
    assert np.isnan(flat[0]) and not bool(ds.converged.values.ravel()[0])
    assert int(ds.n_looks.values.ravel()[1]) == THETA.size // 2
    np.testing.assert_allclose(flat[1:], sm[1:], atol=1e-4)


def test_tau_prior_pulls_tau():
    rng, sm, t_k, tb_h, tb_v = _scene(50, 0.3, seed=6)
    tb_h = tb_h + rng.normal(0.0, NOISE_K, tb_h.shape)
    tb_v = tb_v + rng.normal(0.0, NOISE_K, tb_v.shape)
    free = retrieve_soil_moisture(tb_h, tb_v, THETA, t_k, PARAMS)
    tied = retrieve_soil_moisture(tb_h, tb_v, THETA, t_k, PARAMS, tau_prior=0.3,
                                  tau_prior_sigma=1e-4)  # fmt: skip
    np.testing.assert_allclose(tied.tau_nadir.values, 0.3, atol=1e-3)
    assert np.all(tied.tau_nadir_sigma.values < free.tau_nadir_sigma.values)
    assert np.all(tied.soil_moisture_sigma.values < free.soil_moisture_sigma.values)


@settings(max_examples=25, deadline=None)
@given(
    tb_h=st.floats(60.0, 320.0),
    dv=st.floats(-30.0, 60.0),
    slope=st.floats(-1.0, 1.0),
    porosity=st.floats(0.3, 0.6),
    t_k=st.floats(260.0, 320.0),
)
def test_bounds_hold_for_any_tbs(tb_h, dv, slope, porosity, t_k):
    # arbitrary (even unphysical) TBs: the estimate stays inside 0 <= SM <= porosity, 0 <= tau
    h = np.clip(tb_h + slope * (THETA - 40.0), 1.0, 399.0)[None, :]
    v = np.clip(h + dv, 1.0, 399.0)
    ds = retrieve_soil_moisture(h, v, THETA, t_k, LandParams(porosity=porosity), tau_max=3.0)
    sm, tau = float(ds.soil_moisture[0]), float(ds.tau_nadir[0])
    assert 0.0 <= sm <= porosity
    assert 0.0 <= tau <= 3.0
    assert np.isfinite(float(ds.chi2[0]))


@pytest.mark.parametrize(
    ("kwargs", "variable"),
    [
        ({"temperature_k": np.nan}, "temperature_k"),
        ({"sigma_k": -1.0}, "sigma_k"),
        ({"incidence_deg": THETA + 40.0}, "incidence_deg"),
        ({"tb_h": np.full(THETA.size, -5.0)}, "tb_h"),
    ],
)
def test_bad_input(kwargs, variable):
    args = {"tb_h": np.full(THETA.size, 200.0), "tb_v": np.full(THETA.size, 230.0),
            "incidence_deg": THETA, "temperature_k": 290.0}  # fmt: skip
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        retrieve_soil_moisture(**args)
    assert err.value.variable == variable
