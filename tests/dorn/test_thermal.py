"""Lunar surface temperature (Hurley et al. 2015) and the regolith heat conduction solver."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.dorn.moon import MOON
from fcspace.dorn.thermal import (
    RegolithThermal,
    solve_heat,
    subsurface_temperature,
    surface_temperature,
)


def test_noon_equator_and_night():
    assert surface_temperature(0.0, 12.0) == pytest.approx(392.0, abs=0.5)
    night = surface_temperature(0.0, np.array([20.0, 0.0, 4.0]))
    assert np.all((night > 90.0) & (night < 130.0))
    assert surface_temperature(0.0, 0.0) == pytest.approx(101.8, abs=1.0)
    # cooling through the night: dusk > midnight > pre-dawn
    assert night[0] > night[1] > night[2]


def test_day_branch_symmetric_about_noon_and_equator():
    lt = np.linspace(6.5, 11.5, 11)
    lat = np.array([-60.0, -20.0, 0.0, 20.0, 60.0])[:, None]
    assert np.allclose(surface_temperature(lat, lt), surface_temperature(lat, 24.0 - lt))
    assert np.allclose(surface_temperature(lat, lt), surface_temperature(-lat, lt))
    # warmer at noon than at mid-morning, warmer at the equator than at 60 deg
    assert surface_temperature(0.0, 12.0) > surface_temperature(0.0, 9.0)
    assert surface_temperature(0.0, 12.0) > surface_temperature(60.0, 12.0)


@given(
    st.floats(-90.0, 90.0, allow_nan=False),
    st.floats(-48.0, 48.0, allow_nan=False),
)
def test_bounds_and_periodicity(lat, lt):
    t = surface_temperature(lat, lt)
    assert 50.0 < t <= 392.0 + 1e-9
    assert surface_temperature(lat, lt + 24.0) == pytest.approx(t, abs=1e-6)


@pytest.mark.parametrize(
    ("lat", "lt"), [(np.nan, 12.0), (0.0, np.nan), (0.0, np.inf), (91.0, 12.0)]
)
def test_bad_input(lat, lt):
    with pytest.raises(InputError):
        surface_temperature(lat, lt)


def test_bad_subsurface_input():
    with pytest.raises(InputError):
        subsurface_temperature(0.0, [np.nan], [12.0], n_steps=48, n_spinup=0)
    with pytest.raises(InputError):
        subsurface_temperature(0.0, [-0.1], [12.0], n_steps=48, n_spinup=0)


def test_heat_solver_energy_budget_closes():
    props = RegolithThermal()
    n = 240
    dt = MOON.synodic_month_s / n
    ts = surface_temperature(0.0, 24.0 * np.arange(1, n + 1) / n)
    sol = solve_heat(props, ts, dt, np.full(props.n_cells, 250.0))
    gain = dt * (sol.top_flux + props.geothermal_flux_w_m2)
    assert np.sum(sol.stored) == pytest.approx(np.sum(gain), rel=1e-10)
    assert np.allclose(sol.stored, gain, rtol=1e-9, atol=1e-9 * np.abs(gain).max())


def test_linear_case_matches_the_analytic_thermal_wave():
    k, rho, c = 3.4e-3, 1500.0, 600.0
    props = RegolithThermal(
        rho_surface_kg_m3=rho,
        rho_deep_kg_m3=rho,
        k_surface_w_m_k=k,
        k_deep_w_m_k=k,
        chi=0.0,
        heat_capacity_coeffs=(c, 0.0, 0.0, 0.0, 0.0),
        geothermal_flux_w_m2=0.0,
        top_cell_m=1e-3,
        n_cells=60,
    )
    period, n, t0, amp = MOON.synodic_month_s, 720, 250.0, 100.0
    omega = 2.0 * np.pi / period
    delta = np.sqrt(2.0 * k / (rho * c) / omega)  # skin depth
    time = np.arange(1, 4 * n + 1) * period / n
    sol = solve_heat(props, t0 + amp * np.sin(omega * time), period / n, np.full(60, t0))
    z = sol.z
    last = time[-n:]
    exact = t0 + amp * np.exp(-z / delta) * np.sin(omega * last[:, None] - z / delta)
    near = z < 3.0 * delta
    err = np.abs(sol.temperature[-n:, near] - exact[:, near]).max()
    assert err < 0.02 * amp


def test_subsurface_wave_damps_with_depth():
    depths = [0.0, 0.01, 0.05, 0.3, 1.0, 3.0]
    lt = np.linspace(0.0, 24.0, 49)
    temp = subsurface_temperature(0.0, depths, lt).values
    swing = temp.max(axis=1) - temp.min(axis=1)
    assert np.all(np.diff(swing) < 0.0)
    assert swing[0] > 250.0 and swing[3] < 5.0
    assert np.allclose(temp[0], surface_temperature(0.0, lt), atol=1e-6)
    assert np.allclose(temp[:, 0], temp[:, -1], atol=0.5)  # periodic (lt 0 == 24)
    # deep regolith: warmer than the mean surface temperature (k(T) rectification), and
    # warmer with depth (geothermal flux)
    assert temp[4].mean() > surface_temperature(0.0, lt).mean() + 20.0
    assert temp[5].mean() > temp[4].mean()
