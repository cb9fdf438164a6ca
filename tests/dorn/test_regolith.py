"""Radon in the regolith: analytic steady state, mass balance, temperature dependence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.dorn.nuclides import NUCLIDES
from fcspace.dorn.regolith import (
    RegolithRadon,
    analytic_steady_flux,
    exhalation_flux,
    steady_state,
    without_adsorption,
)

PARAMS = RegolithRadon()


@pytest.fixture(scope="module")
def change6_day():
    return exhalation_flux(PARAMS, -41.6, np.arange(0.0, 24.0, 0.5), n_steps=360, n_days=2)


@pytest.mark.parametrize("isotope", ["Rn-222", "Rn-220"])
@pytest.mark.parametrize("adsorption", [False, True])
@pytest.mark.parametrize("temperature", [150.0, 250.0, 390.0])
def test_steady_state_matches_analytic(isotope, adsorption, temperature):
    p = PARAMS if adsorption else without_adsorption(PARAMS)
    ss = steady_state(p, isotope, temperature)
    assert float(ss.flux) == pytest.approx(analytic_steady_flux(p, isotope, temperature), rel=0.01)


def test_steady_profile_is_the_diffusion_decay_solution():
    p = without_adsorption(PARAMS)
    lam = NUCLIDES["Rn-222"].decay_constant
    ss = steady_state(p, "Rn-222", 250.0)
    length = float(p.diffusion_length("Rn-222", 250.0))
    exact = p.production("Rn-222") / lam * (1.0 - np.exp(-ss.depth.values / length))
    sel = ss.depth.values > 0.05 * length
    assert np.allclose(ss.total.values[sel], exact[sel], rtol=0.01)
    # no adsorption: J = P sqrt(D_e / lambda) (Nazaroff 1992)
    d_e = float(p.pore_diffusivity(250.0))
    assert float(ss.flux) == pytest.approx(p.production("Rn-222") * np.sqrt(d_e / lam), rel=0.01)


def test_mass_balance_closes(change6_day):
    assert change6_day.attrs["mass_balance_rel_rn222"] < 1e-9
    assert change6_day.attrs["mass_balance_rel_rn220"] < 1e-9


def test_day_night_cycle(change6_day):
    f = change6_day.flux_rn222
    night = f.sel(local_time=slice(20.0, 23.5)).mean()
    day = f.sel(local_time=slice(10.0, 14.0)).mean()
    assert day > 100.0 * night  # the cold surface holds radon at night
    assert f.max() > 1.5 * day  # dawn burst: the night's adsorbed radon is released
    assert 6.0 < float(f.idxmax()) < 9.0
    assert 50.0 < change6_day.attrs["daily_mean_flux_rn222"] < 1000.0
    assert np.all(change6_day.inventory_rn222 > 0.0)


@settings(max_examples=25)
@given(st.floats(100.0, 380.0), st.floats(1.0, 20.0))
def test_flux_increases_with_temperature(t1, dt):
    t2 = t1 + dt
    bare = without_adsorption(PARAMS)
    j1, j2 = analytic_steady_flux(bare, "Rn-222", t1), analytic_steady_flux(bare, "Rn-222", t2)
    assert j2 / j1 == pytest.approx((t2 / t1) ** 0.25, rel=1e-12)  # Knudsen: D ~ sqrt(T)
    a1, a2 = analytic_steady_flux(PARAMS, "Rn-222", t1), analytic_steady_flux(PARAMS, "Rn-222", t2)
    assert a2 / a1 > j2 / j1  # less adsorption when warmer


def test_numerical_flux_increases_with_temperature():
    fluxes = [float(steady_state(PARAMS, "Rn-222", t).flux) for t in (200.0, 250.0, 300.0)]
    assert fluxes[0] < fluxes[1] < fluxes[2]


@pytest.mark.parametrize(
    "bad",
    [
        {"emanation": 1.5},
        {"porosity": 1.0},
        {"porosity": np.nan},
        {"tortuosity": -1.0},
    ],
)
def test_bad_parameters(bad):
    with pytest.raises(InputError):
        steady_state(RegolithRadon(**bad), "Rn-222", 250.0)


def test_bad_temperature_and_latitude():
    with pytest.raises(InputError):
        steady_state(PARAMS, "Rn-222", np.nan)
    with pytest.raises(InputError):
        exhalation_flux(PARAMS, np.nan, [12.0], n_steps=48, n_days=1)
