from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import check_grad

from fcspace.cfosat.scat import ambiguity as amb
from fcspace.cfosat.scat import twodvar_ops
from fcspace.cfosat.scat.io import open_l2b
from fcspace.core.errors import InputError

DIMS3 = ("numrows", "numcells", "numambigs")
DIMS2 = ("numrows", "numcells")


def _to_speed_dir(u, v):
    return np.hypot(u, v), np.degrees(np.arctan2(u, v)) % 360.0


def _truth(rows: int, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """A smooth wind field: uniform flow plus a broad cyclone (25 km cells)."""
    y, x = np.mgrid[0:rows, 0:cells].astype(float)
    r2 = ((y - rows / 2) ** 2 + (x - cells / 2) ** 2) / 15.0**2
    swirl = 12.0 * np.exp(-r2 / 2)
    u = 4.0 - swirl * (y - rows / 2) / 15.0
    v = 3.0 + swirl * (x - cells / 2) / 15.0
    return u, v


def _dataset(u, v, ub, vb, rng, noise=0.5) -> xr.Dataset:
    """Two ambiguities per cell: the truth and its 180 degree alias, in random order."""
    shape = u.shape
    amb_u = np.stack([u, -u], -1) + rng.normal(0, noise, (*shape, 2))
    amb_v = np.stack([v, -v], -1) + rng.normal(0, noise, (*shape, 2))
    swap = rng.random(shape) < 0.5
    amb_u[swap] = amb_u[swap][:, ::-1]
    amb_v[swap] = amb_v[swap][:, ::-1]
    pad = np.full((*shape, 2), np.nan)
    all_u, all_v = np.concatenate([amb_u, pad], -1), np.concatenate([amb_v, pad], -1)
    speed, to_dir = _to_speed_dir(all_u, all_v)
    bs, bd = _to_speed_dir(ub, vb)
    ds = xr.Dataset(
        {
            "wind_speed": (DIMS3, speed),
            "wind_dir": (DIMS3, to_dir),
            "max_likelihood_est": (DIMS3, np.where(np.isfinite(speed), 1.0, np.nan)),
            "num_ambigs": (DIMS2, np.full(shape, 2, dtype=np.int8)),
            "model_speed": (DIMS2, bs),
            "model_dir": (DIMS2, bd),
        }
    )
    truth_index = np.where(swap, 2, 1)
    return ds, truth_index


def _smooth_error(shape, rng, size=2.0):
    """A background error of ``size`` m/s per component, smooth over ~10 cells."""
    from scipy.ndimage import gaussian_filter

    e = gaussian_filter(rng.normal(size=(2, *shape)), (0, 4, 4))
    e *= size / e.std(axis=(1, 2), keepdims=True)
    return e


def test_two_dvar_picks_truth_with_noisy_background():
    rng = np.random.default_rng(1)
    u, v = _truth(80, 42)
    e = _smooth_error(u.shape, rng)
    ds, truth = _dataset(u, v, u + e[0], v + e[1], rng)
    out = amb.remove_ambiguities(ds)
    assert np.mean(out["wvc_selection"].values == truth) > 0.98


def test_two_dvar_repairs_rotated_background_patch():
    rng = np.random.default_rng(2)
    u, v = _truth(80, 42)
    ub, vb = u.copy(), v.copy()
    patch = (slice(30, 40), slice(10, 20))
    ang = np.deg2rad(90.0)
    ub[patch] = np.cos(ang) * u[patch] + np.sin(ang) * v[patch]
    vb[patch] = -np.sin(ang) * u[patch] + np.cos(ang) * v[patch]
    ds, truth = _dataset(u, v, ub, vb, rng)
    # The inversion ranks the true solution a little higher (70 % against 30 %): with the
    # background equidistant from both inside the patch, that and the swath context decide.
    prob = np.where(np.arange(4) == truth[..., None] - 1, 0.7, 0.3) * (np.arange(4) < 2)
    ds["ambiguity_prob"] = (DIMS3, prob)
    near = amb.nearest_to_background(ds)["wvc_selection"].values[patch] == truth[patch]
    var = amb.remove_ambiguities(ds)["wvc_selection"].values[patch] == truth[patch]
    assert near.mean() < 0.7
    assert var.mean() > 0.9
    assert var.mean() > near.mean() + 0.2


def test_vector_median_filter_cleans_isolated_errors():
    rng = np.random.default_rng(3)
    u, v = _truth(40, 30)
    ub, vb = u.copy(), v.copy()
    flip = rng.random(u.shape) < 0.15
    ub[flip], vb[flip] = -u[flip], -v[flip]
    ds, truth = _dataset(u, v, ub, vb, rng)
    near = np.mean(amb.nearest_to_background(ds)["wvc_selection"].values == truth)
    vmf = np.mean(amb.vector_median_filter(ds)["wvc_selection"].values == truth)
    assert near < 0.9
    assert vmf > 0.99


def test_nan_cells_and_missing_background():
    rng = np.random.default_rng(4)
    u, v = _truth(40, 42)
    ds, truth = _dataset(u, v, u + 1.0, v - 1.0, rng)
    ds["num_ambigs"][:5, :] = 0  # no observation at all
    ds["wind_speed"][5:10, :, :] = np.nan  # absent ambiguities despite the count
    ds["model_speed"][20:25, 3:8] = np.nan  # missing background
    out = amb.remove_ambiguities(ds)
    sel = out["wvc_selection"].values
    assert np.all(sel[:10] == 0)
    assert np.all(np.isnan(out["wind_speed_selection"].values[:10]))
    assert np.mean(sel[10:] == truth[10:]) > 0.98
    assert out["wvc_selection"].dtype == np.int8


def test_selection_is_one_based_and_consistent():
    rng = np.random.default_rng(5)
    u, v = _truth(30, 20)
    ds, truth = _dataset(u, v, u, v, rng)
    out = amb.nearest_to_background(ds)
    sel = out["wvc_selection"].values
    assert set(np.unique(sel)) <= {1, 2}
    np.testing.assert_array_equal(sel, truth)
    idx = sel[..., None].astype(int) - 1
    speed = np.take_along_axis(ds["wind_speed"].values, idx, -1)[..., 0]
    np.testing.assert_allclose(out["wind_speed_selection"].values, speed)


def test_probabilities_from_mle():
    ds = xr.Dataset(
        {
            "wind_speed": (DIMS3, np.array([[[5.0, 5.0, 5.0, np.nan]]])),
            "wind_dir": (DIMS3, np.array([[[0.0, 180.0, 90.0, np.nan]]])),
            "max_likelihood_est": (DIMS3, np.array([[[1.0, 3.0, 1.0, np.nan]]])),
            "num_ambigs": (DIMS2, np.array([[3]])),
        }
    )
    p = amb.ambiguity_probabilities(ds, scale=2.0)[0, 0]
    np.testing.assert_allclose(p.sum(), 1.0)
    np.testing.assert_allclose(p[0] / p[1], np.exp(1.0))
    assert p[3] == 0 and p[0] == p[2]
    ds["ambiguity_prob"] = (DIMS3, np.array([[[0.1, 0.2, 0.7, 0.0]]]))
    np.testing.assert_allclose(amb.ambiguity_probabilities(ds)[0, 0], [0.1, 0.2, 0.7, 0.0])


def _sqrt_b(shape, s):
    return twodvar_ops.SpectralSqrtB(
        shape, s.cell_size, s.correlation_length, s.background_error, s.divergence_ratio
    )


def test_gradient_and_adjoint_are_exact():
    rng = np.random.default_rng(6)
    s = amb.TwoDVarSettings(correlation_length=75e3)
    shape = (24, 18)
    sqrt_b = _sqrt_b(shape, s)
    xi = rng.normal(size=sqrt_b.size)
    y = rng.normal(size=(2, *shape))
    np.testing.assert_allclose(
        np.sum(sqrt_b.forward(xi) * y), np.sum(xi * sqrt_b.adjoint(y)), rtol=1e-10
    )
    observed = rng.random(shape) < 0.5
    m = int(observed.sum())
    prob = rng.random((m, 4))
    prob[:, 3] = 0.0
    with np.errstate(divide="ignore"):
        logp = np.log(prob)
    obs = twodvar_ops.Observations(
        np.flatnonzero(observed.T), *rng.normal(0, 5, (2, m, 4)), logp,
        np.full(m, 3), *rng.normal(size=(2, m)), 1.8**2,
    )  # fmt: skip
    x0 = rng.normal(size=sqrt_b.size)
    err = check_grad(
        lambda x: twodvar_ops.cost_and_gradient(x, sqrt_b, obs)[0],
        lambda x: twodvar_ops.cost_and_gradient(x, sqrt_b, obs)[1],
        x0,
    )
    assert err < 1e-5 * np.linalg.norm(twodvar_ops.cost_and_gradient(x0, sqrt_b, obs)[1]) + 1e-3


def test_background_error_variance_is_as_specified():
    s = amb.TwoDVarSettings(background_error=2.0, correlation_length=100e3)
    sqrt_b = _sqrt_b((64, 48), s)
    total = np.zeros(2)
    for j in range(sqrt_b.size):  # every control mode: the variance summed over the grid
        delta = np.zeros(sqrt_b.size)
        delta[j] = 1.0
        total += (sqrt_b.forward(delta) ** 2).sum(axis=(1, 2))
    np.testing.assert_allclose(total / (64 * 48), [4.0, 4.0], rtol=1e-6)


def test_missing_variable_raises():
    ds = xr.Dataset({"wind_speed": (DIMS3, np.ones((2, 2, 4)))})
    with pytest.raises(InputError, match="wind_dir"):
        amb.remove_ambiguities(ds)


@st.composite
def _random_l2b(draw):
    rows = draw(st.integers(1, 6))
    cells = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = rng.integers(0, 5, (rows, cells))
    rank = np.arange(4)
    speed = np.where(rank < n[..., None], rng.uniform(0.5, 25, (rows, cells, 4)), np.nan)
    to_dir = np.where(rank < n[..., None], rng.uniform(0, 360, (rows, cells, 4)), np.nan)
    bs = np.where(rng.random((rows, cells)) < 0.2, np.nan, rng.uniform(0, 20, (rows, cells)))
    return xr.Dataset(
        {
            "wind_speed": (DIMS3, speed),
            "wind_dir": (DIMS3, to_dir),
            "max_likelihood_est": (DIMS3, np.where(np.isfinite(speed), rng.uniform(0, 20), np.nan)),
            "num_ambigs": (DIMS2, n),
            "model_speed": (DIMS2, bs),
            "model_dir": (DIMS2, rng.uniform(0, 360, (rows, cells))),
        }
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_random_l2b())
def test_selection_is_always_one_of_the_ambiguities(ds):
    n = ds["num_ambigs"].values
    for fn in (amb.remove_ambiguities, amb.nearest_to_background, amb.vector_median_filter):
        out = fn(ds)
        sel = out["wvc_selection"].values
        assert np.all((sel >= 1) == (n >= 1))
        assert np.all(sel <= n)
        idx = np.clip(sel.astype(int) - 1, 0, None)[..., None]
        speed = np.take_along_axis(ds["wind_speed"].values, idx, -1)[..., 0]
        got = out["wind_speed_selection"].values
        np.testing.assert_array_equal(np.isnan(got), n == 0)
        np.testing.assert_allclose(got[n > 0], speed[n > 0])


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_orbit_agrees_with_operational_selection(scat_l2b_path):
    ds = open_l2b(scat_l2b_path)
    reference = ds["wvc_selection"].values.astype(int)
    n = ds["num_ambigs"].values
    var = amb.selection_agreement(amb.remove_ambiguities(ds)["wvc_selection"].values, reference, n)
    near = amb.selection_agreement(
        amb.nearest_to_background(ds)["wvc_selection"].values, reference, n
    )
    # issue #3: >= 95 % of the cells with >= 2 ambiguities (measured 95.3 %)
    assert var["all"] >= 0.95
    assert min(var["n=2"], var["n=3"], var["n=4"]) >= 0.94
    assert var["all"] > near["all"] + 0.08
