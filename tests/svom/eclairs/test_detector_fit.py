"""Detector-plane localisation: exact model, closed loops against truth, Cramer-Rao bound."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.detector_fit import (
    angular_covariance,
    fit_detector,
    shadow_and_gradient,
)
from fcspace.svom.eclairs.imaging import _quadratic_basis
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.localize import angular_distance_deg
from fcspace.svom.eclairs.mask import make_mask, point_source_shadow

MASK = make_mask()
COEF = np.array([3.0, 0.2, -0.1, 0.15, 0.05, 0.02])  # quadratic background (counts/pixel)


def _expected(theta, phi, flux, scale=1.0):
    bkg = (_quadratic_basis(80) @ COEF).reshape(80, 80)
    return scale * (bkg + flux * point_source_shadow(theta, phi, MASK))


def _status(seed=0, n_bad=40):
    s = np.zeros((80, 80), dtype=np.int8)
    s.reshape(-1)[np.random.default_rng(seed).choice(6400, n_bad, replace=False)] = 1
    return s


def test_shadow_and_gradient_match_shadow_and_finite_differences():
    sy, sz = (float(v) for v in ECLAIRS.shadow_shift(17.0, 222.0))
    s, gy, gz = shadow_and_gradient(sy, sz, MASK)
    np.testing.assert_allclose(s, point_source_shadow(17.0, 222.0, MASK), atol=1e-12)
    h = 1e-8  # the shadow is piecewise linear: a small step stays on one piece almost surely
    np.testing.assert_allclose((shadow_and_gradient(sy + h, sz, MASK)[0] - s) / h, gy, atol=1e-3)
    np.testing.assert_allclose((shadow_and_gradient(sy, sz + h, MASK)[0] - s) / h, gz, atol=1e-3)


@pytest.mark.parametrize("theta,phi", [(0.0, 0.0), (9.0, 300.0), (32.0, 130.0)])
def test_noise_free_data_give_the_truth_from_an_offset_start(theta, phi):
    # the expectation itself is the Poisson ML point: the fit must return the truth exactly,
    # also in the partially coded field (32 deg: coding ~0.35)
    d = _expected(theta, phi, 2.0)
    fit = fit_detector(d, theta + 0.3, phi + 1.0, mask=MASK, pixel_status=_status())
    assert fit.converged
    assert angular_distance_deg(theta, phi, fit.theta_deg, fit.phi_deg) < 1e-5
    assert fit.flux == pytest.approx(2.0, rel=1e-6)
    np.testing.assert_allclose(fit.params[1:7], COEF, rtol=1e-5, atol=1e-7)


def test_monte_carlo_scatter_reaches_the_cramer_rao_bound():
    # 150 Poisson draws of one burst (source ~1200 counts on ~19000 background): the scatter
    # of the fitted positions equals the CRB of the same model (efficient ML), no bias
    rng = np.random.default_rng(3)
    theta, phi, status = 6.0, 40.0, _status(1)
    mu = _expected(theta, phi, 0.5)
    sy0, sz0 = (float(v) for v in ECLAIRS.shadow_shift(theta, phi))
    shifts, crb = [], []
    for _ in range(150):
        fit = fit_detector(rng.poisson(mu).astype(float), theta, phi, mask=MASK,
                           pixel_status=status)  # fmt: skip
        shifts.append(fit.shift_m)
        crb.append(fit.sigma_crb_deg)
    ds = np.array(shifts) - [sy0, sz0]
    cov_deg = angular_covariance(np.cov(ds.T), theta, phi)
    ratio = np.sqrt(np.trace(cov_deg) / 2.0) / np.median(crb)
    assert 0.85 < ratio < 1.15  # sigma_fit / sigma_CRB (sd of the ratio estimate ~6 %)
    assert np.all(np.abs(ds.mean(axis=0)) < 4.0 * ds.std(axis=0) / np.sqrt(len(ds)))


@settings(max_examples=8, deadline=None)
@given(scale=st.floats(0.5, 20.0), theta=st.floats(0.0, 25.0), phi=st.floats(0.0, 359.0))
def test_crb_scales_as_inverse_square_root_of_exposure(scale, theta, phi):
    # the Fisher information of Poisson counts grows linearly with the exposure
    f1 = fit_detector(_expected(theta, phi, 1.0), theta, phi, mask=MASK)
    f2 = fit_detector(_expected(theta, phi, 1.0, scale), theta, phi, mask=MASK)
    assert f2.sigma_crb_deg == pytest.approx(f1.sigma_crb_deg / np.sqrt(scale), rel=1e-4)
    # on noise-free data the observed curvature is the Fisher information
    assert f1.sigma_fit_deg == pytest.approx(f1.sigma_crb_deg, rel=1e-4)


def test_fixed_background_fit():
    bkg = (_quadratic_basis(80) @ COEF).reshape(80, 80)
    d = _expected(4.0, 100.0, 3.0)
    fit = fit_detector(d, 4.2, 99.0, mask=MASK, background=bkg)
    assert fit.params.size == 3
    assert angular_distance_deg(4.0, 100.0, fit.theta_deg, fit.phi_deg) < 1e-5


def test_angular_covariance_on_axis_is_the_plate_scale():
    cov = angular_covariance(np.eye(2) * 1e-8, 0.0, 0.0)
    np.testing.assert_allclose(cov, np.eye(2) * np.degrees(1e-4 / ECLAIRS.mask_height_m) ** 2)
    off = angular_covariance(np.eye(2) * 1e-8, 30.0, 0.0)
    assert off[0, 0] == pytest.approx(cov[0, 0] * np.cos(np.radians(30)) ** 4)
    assert off[1, 1] == pytest.approx(cov[1, 1] * np.cos(np.radians(30)) ** 2)


def test_bad_inputs_raise_input_error():
    d = _expected(0.0, 0.0, 1.0)
    with pytest.raises(InputError, match="shadow"):
        fit_detector(d[:70], 0.0, 0.0, mask=MASK)
    with pytest.raises(InputError, match="shadow"):
        fit_detector(-d, 0.0, 0.0, mask=MASK)
    with pytest.raises(InputError, match="pixel_status"):
        fit_detector(d, 0.0, 0.0, mask=MASK, pixel_status=np.ones((80, 80)))
    with pytest.raises(InputError, match="background"):
        fit_detector(d, 0.0, 0.0, mask=MASK, background=np.full((80, 80), np.nan))
