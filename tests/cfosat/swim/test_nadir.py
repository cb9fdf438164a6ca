"""Tests of the SWIM nadir waveform model, simulator, retrackers, averaging and wind."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from fcspace.cfosat.swim import nadir
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.core.errors import InputError

GATES = np.arange(CFOSAT_SWIM.n_gates)
WIDE = dataclasses.replace(CFOSAT_SWIM, beamwidth_3db_deg=170.0)  # ~no trailing-edge decay


def _edge(swh: float, instrument: object = CFOSAT_SWIM) -> tuple[np.ndarray, np.ndarray]:
    """The model as a continuous function of x = t - epoch (gates), on a 0.001-gate grid.

    The value at gate 60 for epoch 60 - x is P(x): shifting the epoch samples the edge finely.
    """
    xs = np.arange(-30.0, 30.0, 0.001)
    return xs, nadir.brown_waveform(60.0 - xs, swh, 1.0, instrument=instrument)[:, 60]


@pytest.mark.parametrize("swh", [0.5, 2.0, 6.0])
def test_leading_edge_midpoint_at_epoch(swh: float) -> None:
    xs, p = _edge(swh, WIDE)  # no trailing-edge decay: the half-power point is the epoch
    assert xs[np.argmax(p >= 0.5)] == pytest.approx(0.0, abs=0.002)
    xs, p = _edge(swh)  # with the decay, the A/2 point moves late by ~c sigma_c^2 gates
    c, _ = nadir.brown_constants()
    shift = c * nadir.sigma_c_gates(swh) ** 2
    assert xs[np.argmax(p >= 0.5)] == pytest.approx(shift, abs=0.5 * shift + 0.002)


def test_rise_time_grows_with_swh() -> None:
    rise = []
    for swh in (1.0, 3.0, 6.0):
        xs, p = _edge(swh, WIDE)
        rise.append(xs[np.argmax(p >= 0.88)] - xs[np.argmax(p >= 0.12)])
    assert rise[0] < rise[1] < rise[2]
    # Gaussian edge: 12-88 % rise = 2 x 1.175 sigma_c
    np.testing.assert_allclose(rise, 2.35 * nadir.sigma_c_gates([1.0, 3.0, 6.0]), rtol=0.01)


def test_normalisation_and_trailing_edge() -> None:
    c, f = nadir.brown_constants()
    w = nadir.brown_waveform(30.0, 2.0, 5.0, noise=0.5)
    assert w[0] == pytest.approx(0.5, abs=1e-9)  # noise floor before the edge
    sig = float(nadir.sigma_c_gates(2.0))
    x = GATES[80:] - 30.0
    np.testing.assert_allclose(w[80:], 5.0 * np.exp(-c * (x - c * sig**2 / 2)) + 0.5, rtol=1e-9)
    _, f_mis = nadir.brown_constants(mispointing_deg=0.2)
    assert f == 1.0 and f_mis < 1.0


def test_skewness_shifts_edge_and_keeps_plateau() -> None:
    w0 = nadir.brown_waveform(40.0, 6.0, 1.0)
    w1 = nadir.brown_waveform(40.0, 6.0, 1.0, skewness=0.3)
    assert np.abs(w1 - w0).max() > 1e-3
    np.testing.assert_allclose(w1[100:], w0[100:], rtol=1e-6)


@pytest.mark.parametrize("method", ["mle", "ls"])
def test_noise_free_exact_recovery(method: str) -> None:
    swh = np.array([0.5, 1.0, 3.0, 7.0, 10.0])
    epoch = np.array([38.2, 40.0, 41.7, 39.1, 40.5])
    w = nadir.simulate_waveforms(swh, epoch, 250.0, 0, n_looks=0, noise=5.0)
    ds = nadir.retrack(w, method)
    assert ds.converged.all()
    np.testing.assert_allclose(ds.swh, swh, atol=1e-4)
    np.testing.assert_allclose(ds.epoch, epoch, atol=1e-5)
    np.testing.assert_allclose(ds.amplitude, 250.0, rtol=1e-5)


def test_speckle_is_gamma_with_shape_looks() -> None:
    rng = np.random.default_rng(3)
    w = nadir.simulate_waveforms(np.full(4000, 2.0), 40.0, 1.0, rng, n_looks=64, noise=0.1)
    mean = nadir.brown_waveform(40.0, 2.0, 1.0, noise=0.1)
    ratio = (w / mean)[:, 70:90].ravel()
    shape, _, scale = stats.gamma.fit(ratio, floc=0.0)
    assert shape == pytest.approx(64, rel=0.05)
    assert shape * scale == pytest.approx(1.0, abs=0.002)


@pytest.mark.parametrize("swh", [1.0, 4.0, 8.0])
def test_noisy_1hz_bias_and_rmse(swh: float) -> None:
    rng = np.random.default_rng(int(swh * 10))
    n = 1800  # 400 s at the assumed 4.5 Hz native rate
    epoch = 40.0 + rng.uniform(-1.0, 1.0, n)
    w = nadir.simulate_waveforms(np.full(n, swh), epoch, 100.0, rng, noise=2.0)
    one_hz = nadir.average_1hz(nadir.retrack(w, "mle"))
    err = one_hz.swh.values - swh
    assert abs(np.nanmean(err)) <= 0.02
    assert np.sqrt(np.nanmean(err**2)) <= 0.10
    assert np.isfinite(err).mean() > 0.99


def test_mle_less_noisy_than_ls() -> None:
    w = nadir.simulate_waveforms(np.full(600, 3.0), 40.0, 100.0, 7, noise=2.0)
    std = {m: float(nadir.retrack(w, m).swh.std()) for m in ("mle", "ls")}
    assert std["mle"] < 0.7 * std["ls"]


def test_bad_rows_are_flagged() -> None:
    w = nadir.simulate_waveforms(np.full(4, 2.0), 40.0, 1.0, 0, noise=0.05)
    w[1, 50] = np.nan
    w[2, 3] = -1.0
    ds = nadir.retrack(w)
    np.testing.assert_array_equal(ds.valid_input, [True, False, False, True])
    np.testing.assert_array_equal(ds.converged, [True, False, False, True])
    assert np.isnan(ds.swh.values[1]) and np.isnan(ds.swh.values[2])


@pytest.mark.parametrize("shape", [(128,), (2, 3, 128), (5, 10)])
def test_wrong_shape_raises(shape: tuple[int, ...]) -> None:
    with pytest.raises(InputError):
        nadir.retrack(np.ones(shape))


def test_unknown_method_raises() -> None:
    with pytest.raises(InputError):
        nadir.retrack(np.ones((2, 128)), method="ocog")


def test_average_edits_outliers() -> None:
    swh = np.array([2.0, 2.1, 1.9, 2.0, 9.0, 3.0, 3.1, np.nan, 2.9, 3.0])
    est = xr.Dataset(
        {
            "swh": ("waveform", swh),
            "converged": ("waveform", np.isfinite(swh)),
        }
    )
    out = nadir.average_groups(est, np.repeat([0, 1], 5), variables=("swh",))
    np.testing.assert_allclose(out.swh, [2.0, 3.0])
    np.testing.assert_array_equal(out.swh_n, [4, 4])
    t = np.array([0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8])
    np.testing.assert_allclose(nadir.average_1hz(est, t, variables=("swh",)).swh, [2.0, 3.0])


def test_wind_speed_models() -> None:
    # Abdalla (2012): continuous at the 10.917 dB break, decreasing with sigma0
    s = np.array([8.0, 10.9, 10.93, 13.0, np.nan])
    u = nadir.nadir_wind_speed(s)
    assert np.all(np.diff(u[:4]) < 0) and np.isnan(u[4])
    assert abs(u[1] - u[2]) < 0.2
    um = 46.5 - 3.6 * 8.0
    assert u[0] == pytest.approx(um + 1.4 * um**0.096 * np.exp(-0.32 * um**1.096), rel=1e-9)
    # Gourrion (2002): plausible and decreasing with sigma0 at fixed SWH
    g = nadir.nadir_wind_speed([9.0, 11.0, 13.0], swh=2.0)
    assert np.all(np.diff(g) < 0) and 2.0 < g[1] < 12.0


def test_normal_cdf_pdf_matches_scipy() -> None:
    from scipy.special import ndtr

    from fcspace.cfosat.swim.retrack import normal_cdf_pdf

    u = np.linspace(-9.0, 9.0, 20001)
    got = np.array([normal_cdf_pdf(v) for v in u])
    np.testing.assert_allclose(got[:, 0], ndtr(u), rtol=5e-14, atol=3e-16)
    np.testing.assert_allclose(got[:, 1], np.exp(-0.5 * u**2) / np.sqrt(2 * np.pi), rtol=1e-15)


@pytest.mark.parametrize("method", ["ls", "mle"])
@pytest.mark.parametrize(("tau", "swh"), [(40.3, 0.5), (38.7, 3.0), (41.1, 10.0)])
def test_fused_cost_and_normal_equations(method: str, tau: float, swh: float) -> None:
    """One-pass cost, J^T W J and J^T W r against a plain numpy evaluation on all gates."""
    from scipy.special import ndtr

    from fcspace.cfosat.swim import retrack as k

    rng = np.random.default_rng(5)
    noise, amp = 0.02, 0.9
    y = nadir.simulate_waveforms(swh, 40.0, 1.0, rng, noise=noise)
    sig = float(nadir.sigma_c_gates(swh)) * 1.1
    c, f = nadir.brown_constants()
    x = GATES - tau
    u = x / sig - c * sig
    e = np.exp(-c * (x - 0.5 * c * sig**2))
    big, small = ndtr(u), np.exp(-0.5 * u**2) / np.sqrt(2 * np.pi)
    m = amp * f * e * big + noise
    jac = np.stack(
        [
            amp * f * e * (c * big - small / sig),
            amp * f * e * (c * c * sig * big - small * (x / sig**2 + c)),
            f * e * big,
        ],
        axis=1,
    )
    code = k.MLE if method == "mle" else k.LS
    if code == k.MLE:
        cost, wgt = np.sum(y / m + np.log(m)), 1.0 / m**2
    else:
        cost, wgt = np.sum((y - m) ** 2), np.ones_like(m)
    h = jac.T @ (wgt[:, None] * jac)
    g = jac.T @ (wgt * (y - m))
    base, hg = np.empty(y.size + 1), np.empty(9)
    k._prefix_costs(y, noise, code, base)
    got = k._evaluate(y, base, np.array([tau, sig, amp]), c, f, noise, code, hg)
    assert got == pytest.approx(cost, rel=1e-12)
    want = [h[0, 0], h[0, 1], h[0, 2], h[1, 1], h[1, 2], h[2, 2], *g]
    scale = np.abs(want).max()
    np.testing.assert_allclose(hg, want, rtol=1e-9, atol=1e-9 * scale)


def test_mle_trial_below_zero_is_rejected() -> None:
    from fcspace.cfosat.swim import retrack as k

    y = nadir.brown_waveform(40.0, 2.0, 1.0, noise=0.02)
    base, hg = np.empty(y.size + 1), np.empty(9)
    k._prefix_costs(y, 0.02, k.MLE, base)
    c, f = nadir.brown_constants()
    assert k._evaluate(y, base, np.array([40.0, 1.0, -1.0]), c, f, 0.02, k.MLE, hg) == np.inf
    assert k._evaluate(y, base, np.array([np.nan, 1.0, 1.0]), c, f, 0.02, k.MLE, hg) == np.inf


def test_tolerance_default_changes_swh_below_a_millimetre() -> None:
    rng = np.random.default_rng(11)
    swh = rng.uniform(0.5, 10.0, 400)
    w = nadir.simulate_waveforms(swh, 40.0 + rng.uniform(-2, 2, 400), 100.0, rng, noise=2.0)
    loose, tight = nadir.retrack(w), nadir.retrack(w, tol=1e-8)
    both = loose.converged.values & tight.converged.values
    assert both.mean() > 0.99
    assert np.abs(loose.swh.values - tight.swh.values)[both].max() < 1e-3


def test_infinite_rows_and_units() -> None:
    w = nadir.simulate_waveforms(np.full(3, 2.0), 40.0, 1.0, 4, noise=0.05)
    w[1, 70] = np.inf
    ds = nadir.retrack(w)
    np.testing.assert_array_equal(ds.valid_input, [True, False, True])
    assert np.isnan(ds.noise_floor.values[1]) and np.isnan(ds.amplitude.values[1])
    scaled = nadir.retrack(w * 1e6)  # unit-peak scaling: same fit in any power unit
    np.testing.assert_allclose(scaled.swh, ds.swh, atol=1e-9, equal_nan=True)
    np.testing.assert_allclose(scaled.amplitude, ds.amplitude * 1e6, rtol=1e-9, equal_nan=True)
