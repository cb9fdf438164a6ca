"""Tests of the maximum-likelihood wind inversion (fcspace.cfosat.scat.inversion)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.cfosat.scat.gmf import sigma0
from fcspace.cfosat.scat.inversion import (
    QUAL_FEW_VIEWS,
    QUAL_MLE_INCONSISTENT,
    QUAL_NO_RETRIEVAL,
    ambiguity_probability,
    invert,
    mle_at,
    normalised_mle,
)
from fcspace.core.errors import InputError
from fcspace.core.stats import circular_diff, rmse

D3 = ("numrows", "numcells", "numviews")
D2 = ("numrows", "numcells")


def make_l1b(speed, wdir, nviews=8, kp=0.08, noise=False, seed=0):
    """Small L1B: views at azimuths spread around the circle, incidence 30-45, VV and HH."""
    rng = np.random.default_rng(seed)
    speed, wdir = np.atleast_2d(speed).astype(float), np.atleast_2d(wdir).astype(float)
    shape = (*speed.shape, nviews)
    base = np.arange(nviews) * 360.0 / nviews
    az = (base + rng.uniform(0.0, 360.0 / nviews, (*speed.shape, 1))) % 360.0
    inc = np.broadcast_to(np.linspace(30.0, 45.0, nviews), shape).copy()
    pol = np.broadcast_to((np.arange(nviews) % 2).astype(np.int8), shape).copy()
    rel = wdir[..., None] - az + 180.0
    vv = sigma0(speed[..., None], rel, inc, pol="VV")
    hh = sigma0(speed[..., None], rel, inc, pol="HH")
    s = np.where(pol == 0, vv, hh)
    if noise:
        s = s * (1.0 + kp * rng.standard_normal(shape))
    ds = xr.Dataset(
        {
            "sigma0": (D3, s),
            "kp": (D3, np.full(shape, kp)),
            "azimuth": (D3, az),
            "incidence": (D3, inc),
            "polarisation": (D3, pol),
            "look": (D3, (np.arange(nviews) % 2 * np.ones(shape)).astype(np.int8)),
            "wvc_lat": (D2, np.zeros(speed.shape)),
            "wvc_lon": (D2, np.zeros(speed.shape)),
            "model_speed": (D2, speed + 1.0),
            "model_dir": (D2, wdir),
            "truth_speed": (D2, speed),
            "truth_dir": (D2, wdir),
        }
    )
    return ds


def closest(out, truth_speed, truth_dir):
    dd = np.abs(circular_diff(out.wind_dir.values, np.asarray(truth_dir)[..., None]))
    k = np.nanargmin(np.where(np.isnan(dd), np.inf, dd), axis=-1)[..., None]
    return (
        np.take_along_axis(out.wind_speed.values, k, -1)[..., 0],
        np.take_along_axis(out.wind_dir.values, k, -1)[..., 0],
    )


def test_noise_free_closed_loop_first_ambiguity():
    rng = np.random.default_rng(3)
    speed = rng.uniform(3.0, 25.0, (6, 10))
    wdir = rng.uniform(0.0, 360.0, (6, 10))
    out = invert(make_l1b(speed, wdir, nviews=8))
    assert np.all(out.num_ambigs.values >= 1)
    np.testing.assert_allclose(out.wind_speed.values[..., 0], speed, atol=0.1)
    assert np.max(np.abs(circular_diff(out.wind_dir.values[..., 0], wdir))) < 2.0
    assert np.all(out.max_likelihood_est.values[..., 0] < 1e-3)
    np.testing.assert_array_equal(out.wvc_selection.values, 1)
    np.testing.assert_array_equal(out.wind_speed_selection.values, out.wind_speed.values[..., 0])
    np.testing.assert_array_equal(out.wind_dir_selection.values, out.wind_dir.values[..., 0])


def test_noise_free_four_views():
    speed = np.array([[5.0, 8.0, 12.0, 16.0]])
    wdir = np.array([[10.0, 100.0, 200.0, 300.0]])
    out = invert(make_l1b(speed, wdir, nviews=4, seed=5))
    s, d = closest(out, speed, wdir)
    np.testing.assert_allclose(s, speed, atol=0.1)
    assert np.max(np.abs(circular_diff(d, wdir))) < 2.0


@pytest.fixture(scope="module")
def noisy():
    rng = np.random.default_rng(11)
    speed = rng.uniform(4.0, 20.0, (50, 42))
    wdir = rng.uniform(0.0, 360.0, (50, 42))
    ds = make_l1b(speed, wdir, nviews=8, kp=0.08, noise=True, seed=12)
    return ds, invert(ds, chunk_rows=16)


def test_noisy_closest_ambiguity_rmse(noisy):
    ds, out = noisy
    s, d = closest(out, ds.truth_speed.values, ds.truth_dir.values)
    assert rmse(s, ds.truth_speed.values) < 0.5
    assert np.median(np.abs(circular_diff(d, ds.truth_dir.values))) < 10.0


def test_mle_expectations(noisy):
    ds, out = noisy
    n = 8
    truth = mle_at(ds, ds.truth_speed.values, ds.truth_dir.values)
    assert np.mean(truth) == pytest.approx(1.0, abs=0.06)  # mean of eps^2, eps ~ N(0, 1)
    best = out.max_likelihood_est.values[..., 0]
    assert np.all(best <= truth + 1e-6)  # the minimum is below the truth's MLE
    assert np.mean(best) == pytest.approx((n - 2) / n, rel=0.2)
    assert np.mean(out.normalised_mle.values) == pytest.approx(1.0, rel=0.2)


def test_ambiguities_sorted_and_probabilities(noisy):
    _, out = noisy
    f = out.max_likelihood_est.values
    p = out.ambiguity_prob.values
    n = out.num_ambigs.values
    assert np.array_equal(np.isfinite(f).sum(-1), n)
    assert np.all(np.isfinite(f[..., 0]))
    with np.errstate(invalid="ignore"):
        assert not np.any(np.diff(f, axis=-1) < 0)
    np.testing.assert_allclose(np.nansum(p, axis=-1), 1.0, rtol=1e-12)
    assert np.all(np.nan_to_num(np.diff(p, axis=-1), nan=0.0) <= 1e-15)
    d = out.wind_dir.values[np.isfinite(f)]
    assert np.all((d >= 0) & (d < 360))


def test_probability_formula():
    p = ambiguity_probability([[0.0, 2.0, np.nan, np.nan], [np.nan] * 4])
    e = np.exp(-1.0)
    np.testing.assert_allclose(p[0, :2], [1 / (1 + e), e / (1 + e)])
    assert np.isnan(p[0, 2:]).all() and np.isnan(p[1]).all()


def test_normalised_mle_formula():
    np.testing.assert_allclose(normalised_mle([0.75, 0.5, 1.0], [8, 4, 2]), [1.0, 1.0, np.nan])


def test_pass_through_and_chunking(noisy):
    ds, out = noisy
    for name in ("wvc_lat", "wvc_lon", "model_speed", "model_dir", "truth_speed", "truth_dir"):
        xr.testing.assert_identical(out[name], ds[name])
    small = ds.isel(numrows=slice(0, 5))
    a = invert(small, chunk_rows=1)
    b = out.isel(numrows=slice(0, 5))
    for name in ("wind_speed", "wind_dir", "max_likelihood_est", "num_ambigs"):
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=1e-9)
    assert out.wind_speed.dims == ("numrows", "numcells", "numambigs")
    assert out.wind_dir.attrs["standard_name"] == "wind_to_direction"


def test_too_few_views_no_retrieval():
    ds = make_l1b(np.array([[8.0, 8.0, 8.0]]), np.array([[45.0, 45.0, 45.0]]), nviews=4)
    s = ds.sigma0.values.copy()
    s[0, 0, 1:] = np.nan  # 1 view
    s[0, 1, 2:] = np.nan  # 2 views
    pol = ds.polarisation.values.copy()
    pol[0, 2, :] = -1  # no view at all
    out = invert(ds.assign(sigma0=(D3, s), polarisation=(D3, pol)))
    np.testing.assert_array_equal(out.num_ambigs.values[0], [0, out.num_ambigs.values[0, 1], 0])
    assert out.num_ambigs.values[0, 1] >= 1
    np.testing.assert_array_equal(out.num_views.values[0], [1, 2, 0])
    assert out.wvc_quality.values[0, 0] & QUAL_NO_RETRIEVAL
    assert out.wvc_quality.values[0, 1] & QUAL_FEW_VIEWS
    assert out.wvc_selection.values[0, 0] == 0 and np.isnan(out.wind_speed_selection.values[0, 0])
    assert np.isnan(out.wind_speed.values[0, 0]).all()


def test_inconsistent_cell_flagged():
    rng = np.random.default_rng(4)
    ds = make_l1b(np.full((1, 20), 10.0), rng.uniform(0, 360, (1, 20)), nviews=8, kp=0.05)
    s = ds.sigma0.values * rng.choice([0.3, 3.0], ds.sigma0.shape)  # "rain"-like corruption
    out = invert(ds.assign(sigma0=(D3, s)))
    assert np.all(out.normalised_mle.values > 3.0)
    assert np.all(out.wvc_quality.values & QUAL_MLE_INCONSISTENT)


def test_all_nan_raises():
    ds = make_l1b(np.array([[8.0]]), np.array([[0.0]]))
    with pytest.raises(InputError, match="sigma0") as info:
        invert(ds.assign(sigma0=ds.sigma0 * np.nan))
    assert info.value.variable == "sigma0"


def test_missing_variable_raises():
    ds = make_l1b(np.array([[8.0]]), np.array([[0.0]]))
    with pytest.raises(InputError) as info:
        invert(ds.drop_vars("kp"))
    assert info.value.variable == "kp"


@settings(max_examples=15, deadline=None)
@given(perm=st.permutations(list(range(6))), seed=st.integers(0, 1000))
def test_view_permutation_invariance(perm, seed):
    rng = np.random.default_rng(seed)
    ds = make_l1b(rng.uniform(3, 20, (2, 3)), rng.uniform(0, 360, (2, 3)), nviews=6, noise=True,
                  seed=seed)  # fmt: skip
    a = invert(ds)
    b = invert(ds.isel(numviews=list(perm)))
    for name in ("wind_speed", "wind_dir", "max_likelihood_est"):
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(a.num_ambigs.values, b.num_ambigs.values)
