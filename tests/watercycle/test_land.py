"""Tests of the L-MEB tau-omega land emission (fcspace.watercycle.land)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.watercycle.dielectric import fresnel_reflectivity, soil_permittivity
from fcspace.watercycle.land import LandParams, land_tb

THETA = np.linspace(0.0, 60.0, 13)
F_L = 1.4135e9
SMOOTH_BARE = LandParams(omega_h=0.0, omega_v=0.0, roughness_h=0.0)


def _fresnel(sm: float, clay: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    eps = soil_permittivity(F_L, sm, clay, bulk_density_kg_m3=1330.0)
    return fresnel_reflectivity(eps, THETA)


def test_bare_smooth_soil_is_fresnel_emission():
    # tau = 0, omega = 0, H = 0: TB_p = (1 - r*_p) T, r*_p the Fresnel reflectivity
    r_h, r_v = _fresnel(0.25)
    tb_h, tb_v = land_tb(0.25, 0.0, 295.0, THETA, SMOOTH_BARE)
    np.testing.assert_allclose(tb_h, (1 - r_h) * 295.0, rtol=1e-12)
    np.testing.assert_allclose(tb_v, (1 - r_v) * 295.0, rtol=1e-12)


def test_non_scattering_canopy_is_one_minus_r_gamma_squared():
    # omega = 0: TB = T (1 - r gamma^2) with gamma = exp(-tau/cos) (tt = 1)
    r_h, r_v = _fresnel(0.3)
    gamma = np.exp(-0.4 / np.cos(np.radians(THETA)))
    tb_h, tb_v = land_tb(0.3, 0.4, 280.0, THETA, SMOOTH_BARE)
    np.testing.assert_allclose(tb_h, 280.0 * (1 - r_h * gamma**2), rtol=1e-12)
    np.testing.assert_allclose(tb_v, 280.0 * (1 - r_v * gamma**2), rtol=1e-12)


def test_opaque_canopy_emits_one_minus_omega():
    params = LandParams(omega_h=0.1, omega_v=0.05)
    tb_h, tb_v = land_tb(0.2, 60.0, 300.0, THETA, params)
    np.testing.assert_allclose(tb_h, 0.9 * 300.0, rtol=1e-12)
    np.testing.assert_allclose(tb_v, 0.95 * 300.0, rtol=1e-12)


def test_roughness_form():
    r_h, r_v = _fresnel(0.2)
    cos_t = np.cos(np.radians(THETA))
    params = LandParams(omega_h=0.0, omega_v=0.0, roughness_h=0.3, roughness_q=0.2,
                        roughness_n_h=1.5, roughness_n_v=-0.5)  # fmt: skip
    tb_h, tb_v = land_tb(0.2, 0.0, 290.0, THETA, params)
    rough_h = (0.8 * r_h + 0.2 * r_v) * np.exp(-0.3 * cos_t**1.5)
    rough_v = (0.8 * r_v + 0.2 * r_h) * np.exp(-0.3 * cos_t**-0.5)
    np.testing.assert_allclose(tb_h, 290.0 * (1 - rough_h), rtol=1e-12)
    np.testing.assert_allclose(tb_v, 290.0 * (1 - rough_v), rtol=1e-12)
    # Q = 0.5 and N_H = N_V mixes the polarisations completely
    mixed = LandParams(roughness_q=0.5, roughness_n_h=1.0, roughness_n_v=1.0)
    tb_h, tb_v = land_tb(0.2, 0.2, 290.0, THETA, mixed)
    np.testing.assert_allclose(tb_h, tb_v, rtol=1e-12)


def test_optical_depth_angular_structure():
    # tt_p != 1 changes tau_p(theta) = tau (sin^2 tt + cos^2) but not at nadir
    base = LandParams(omega_h=0.0, omega_v=0.0, roughness_h=0.0)
    tilted = LandParams(omega_h=0.0, omega_v=0.0, roughness_h=0.0, tt_h=2.0, tt_v=0.5)
    r_h, _ = _fresnel(0.2)
    tb0 = land_tb(0.2, 0.3, 290.0, 0.0, base)
    tb1 = land_tb(0.2, 0.3, 290.0, 0.0, tilted)
    np.testing.assert_allclose(tb0, tb1, rtol=1e-12)
    tb_h, _ = land_tb(0.2, 0.3, 290.0, THETA, tilted)
    s2, c = np.sin(np.radians(THETA)) ** 2, np.cos(np.radians(THETA))
    gamma = np.exp(-0.3 * (2.0 * s2 + c**2) / c)
    np.testing.assert_allclose(tb_h, 290.0 * (1 - r_h * gamma**2), rtol=1e-12)


def test_nadir_h_equals_v_and_broadcasting():
    sm = np.array([0.05, 0.2, 0.4])[:, None]
    tb_h, tb_v = land_tb(sm, 0.1, 290.0, THETA)
    assert tb_h.shape == (3, THETA.size)
    np.testing.assert_allclose(tb_h[:, 0], tb_v[:, 0], rtol=1e-12)
    assert np.all(np.diff(tb_h[:, 5]) < 0)  # wetter soil is colder


def test_peer_smrt_qnh_rough_soil():
    smrt_make = pytest.importorskip("smrt.inputs.make_soil")
    eps = complex(soil_permittivity(F_L, 0.25, 0.2, bulk_density_kg_m3=1330.0))
    h, q, n_v, n_h = 0.4, 0.1, 0.3, 1.7
    soil = smrt_make.make_soil_substrate("soil_qnh", eps, 290.0, H=h, Q=q, Nv=n_v, Nh=n_h)
    theta = np.arange(5.0, 65.0, 5.0)
    emis = np.asarray(soil.emissivity_matrix(F_L, 1.0, np.cos(np.radians(theta)), 2).values)
    e_v, e_h = emis[0], emis[1]
    params = LandParams(omega_h=0.0, omega_v=0.0, roughness_h=h, roughness_q=q,
                        roughness_n_h=n_h, roughness_n_v=n_v)  # fmt: skip
    tb_h, tb_v = land_tb(0.25, 0.0, 290.0, theta, params)
    np.testing.assert_allclose(tb_h / 290.0, e_h, rtol=1e-9)
    np.testing.assert_allclose(tb_v / 290.0, e_v, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    sm=st.floats(0.0, 0.5),
    tau=st.floats(0.0, 3.0),
    t_k=st.floats(250.0, 330.0),
    theta=st.floats(0.0, 70.0),
    omega=st.floats(0.0, 0.3),
    rough=st.floats(0.0, 1.0),
)
def test_tb_bounds_and_polarisation(sm, tau, t_k, theta, omega, rough):
    params = LandParams(omega_h=omega, omega_v=omega, roughness_h=rough)
    tb_h, tb_v = land_tb(sm, tau, t_k, theta, params)
    assert 0.0 < tb_h <= t_k * (1 + 1e-12)
    assert 0.0 < tb_v <= t_k * (1 + 1e-12)
    assert tb_v >= tb_h - 1e-9  # Q = 0, N_V <= N_H: V emits at least as much as H


@pytest.mark.parametrize(
    ("kwargs", "variable"),
    [
        ({"soil_moisture": 0.6}, "soil_moisture"),
        ({"soil_moisture": -0.01}, "soil_moisture"),
        ({"soil_moisture": np.nan}, "soil_moisture"),
        ({"tau_nadir": -0.1}, "tau_nadir"),
        ({"temperature_k": np.nan}, "temperature_k"),
        ({"incidence_deg": 95.0}, "incidence_deg"),
        ({"incidence_deg": -1.0}, "incidence_deg"),
    ],
)
def test_bad_input_names_the_variable(kwargs, variable):
    args = {"soil_moisture": 0.2, "tau_nadir": 0.1, "temperature_k": 290.0, "incidence_deg": 40.0}
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        land_tb(**args)
    assert err.value.variable == variable


@pytest.mark.parametrize(
    ("params", "variable"),
    [
        (LandParams(clay_fraction=1.2), "clay_fraction"),
        (LandParams(omega_h=-0.1), "omega_h"),
        (LandParams(roughness_q=1.5), "roughness_q"),
        (LandParams(porosity=0.3), "soil_moisture"),  # SM 0.4 > porosity 0.3
    ],
)
def test_bad_params(params, variable):
    with pytest.raises(InputError) as err:
        land_tb(0.4, 0.1, 290.0, 40.0, params)
    assert err.value.variable == variable


def test_dobson_alternative_and_porosity_consistency():
    params = LandParams(dielectric_model="dobson", porosity=0.45)
    tb_h, tb_v = land_tb(np.array([0.1, 0.44]), 0.1, 290.0, 40.0, params)
    assert np.all(np.diff(tb_h) < 0) and np.all(tb_v > tb_h)
    tb_m, _ = land_tb(np.array([0.1, 0.44]), 0.1, 290.0, 40.0, LandParams(porosity=0.45))
    assert np.all(np.abs(tb_m - tb_h) < 25.0)  # two soil models, same physics: close, not equal
    assert np.all(np.abs(tb_m - tb_h) > 0.0)
