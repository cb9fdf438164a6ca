"""2DVAR convergence (issue 13): every annealing pass converges, its cost decreases at every
iteration, the analytic gradient is exact, BLAS is held to one thread inside the library."""

from __future__ import annotations

import numpy as np
import pytest

from fcspace.cfosat.scat import twodvar, twodvar_ops
from fcspace.core.lbfgs import minimize_lbfgs
from fcspace.core.threads import limited_threads, thread_counts


def _field(rows: int, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform flow plus a broad cyclone on 25 km cells."""
    y, x = np.mgrid[0:rows, 0:cells].astype(float)
    r2 = ((y - rows / 2) ** 2 + (x - cells / 2) ** 2) / 15.0**2
    swirl = 12.0 * np.exp(-r2 / 2)
    return 4.0 - swirl * (y - rows / 2) / 15.0, 3.0 + swirl * (x - cells / 2) / 15.0


def _ambiguities(seed: int = 11, rows: int = 120, cells: int = 42):
    """Truth and its 180-degree alias (plus a 90-degree one in a third of the cells)."""
    rng = np.random.default_rng(seed)
    u, v = _field(rows, cells)
    ua = np.stack([u, -u, -v, np.full_like(u, np.nan)], -1) + rng.normal(0, 0.5, (rows, cells, 4))
    va = np.stack([v, -v, u, np.full_like(u, np.nan)], -1) + rng.normal(0, 0.5, (rows, cells, 4))
    three = rng.random((rows, cells)) < 1 / 3
    ua[~three, 2] = va[~three, 2] = np.nan
    prob = np.where(np.isfinite(ua), 1.0, 0.0)
    prob /= prob.sum(-1, keepdims=True)
    err = 2.0 * np.sin(np.linspace(0, 3, rows))[:, None]  # smooth background error
    return u, v, ua, va, prob, u + err, v - err


@pytest.fixture(scope="module")
def solved():
    u, v, ua, va, prob, ub, vb = _ambiguities()
    return (u, v), twodvar.two_dvar_solve(ua, va, prob, ub, vb)


def test_every_pass_converges_below_the_cap(solved):
    _, res = solved
    s = twodvar.TwoDVarSettings()
    assert len(res.passes) == len(s.annealing)
    for p in res.passes:
        assert p["converged"], p
        assert p["iterations"] < s.max_iterations
        assert p["cost_end"] < p["cost_start"]
    report = res.report()
    assert report["all_converged"]
    assert report["iterations"] == sum(p["iterations"] for p in res.passes)


def test_cost_decreases_at_every_iteration_of_every_pass(solved):
    _, res = solved
    for p, hist in zip(res.passes, res.histories, strict=True):
        costs = np.array([p["cost_start"], *hist])
        assert np.all(np.diff(costs) <= 1e-9 * np.abs(costs[1:]))
        assert len(hist) == p["iterations"]


def test_analysis_recovers_the_truth(solved):
    (u, v), res = solved
    assert np.sqrt(np.mean((res.u - u) ** 2 + (res.v - v) ** 2)) < 0.5


def test_gradient_matches_central_differences():
    u, v, ua, va, prob, ub, vb = _ambiguities(rows=40, cells=30)
    s = twodvar.TwoDVarSettings(correlation_length=100e3)
    shape = twodvar._padded_shape(ub.shape, s)
    sqrt_b = twodvar_ops.SpectralSqrtB(
        shape, s.cell_size, s.correlation_length, s.background_error, s.divergence_ratio
    )
    r0, c0 = (shape[0] - 40) // 2, (shape[1] - 30) // 2
    sqrt_b.set_window(r0, r0 + 40, c0, c0 + 30)
    obs = twodvar._observations(ua, va, prob, ub, vb)
    rng = np.random.default_rng(3)
    for eps in (1.8, 0.27):
        obs.eps2 = eps**2
        x = rng.normal(0, 0.3, sqrt_b.size)
        _, grad = twodvar_ops.cost_and_gradient(x, sqrt_b, obs)
        for _ in range(3):
            d = rng.normal(size=sqrt_b.size)
            d /= np.linalg.norm(d)
            h = 1e-4
            fp = twodvar_ops.cost_and_gradient(x + h * d, sqrt_b, obs)[0]
            fm = twodvar_ops.cost_and_gradient(x - h * d, sqrt_b, obs)[0]
            fd = (fp - fm) / (2 * h)
            assert abs(fd - grad @ d) <= 1e-6 * abs(grad @ d)


def test_window_forward_is_the_full_grid_cropped_and_adjoint_exact():
    s = twodvar.TwoDVarSettings(correlation_length=75e3)
    sqrt_b = twodvar_ops.SpectralSqrtB((40, 27), s.cell_size, 75e3, 2.0, 0.5)
    rng = np.random.default_rng(4)
    xi = rng.normal(size=sqrt_b.size)
    full = sqrt_b.forward(xi)
    sqrt_b.set_window(5, 33, 3, 20)
    win = sqrt_b.forward(xi)
    np.testing.assert_allclose(win, full[:, 5:33, 3:20], atol=1e-12)
    y = rng.normal(size=win.shape)
    np.testing.assert_allclose(np.sum(win * y), xi @ sqrt_b.adjoint(y), rtol=1e-10)


def test_spectral_control_is_much_smaller_than_the_grid():
    s = twodvar.TwoDVarSettings()
    shape = twodvar._padded_shape((1624, 42), s)
    sqrt_b = twodvar_ops.SpectralSqrtB(shape, s.cell_size, s.correlation_length, 2.0, 0.5)
    assert sqrt_b.size < 0.15 * 2 * shape[0] * shape[1]


def test_lbfgs_minimises_rosenbrock():
    def rosen(x):
        f = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
        return f, g

    res = minimize_lbfgs(rosen, np.array([-1.2, 1.0]), ftol=1e-14, gtol=1e-8, max_iterations=200)
    assert res.converged
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-5)
    assert np.all(np.diff([res.cost_start, *res.history]) <= 0)


def test_lbfgs_reports_the_cap():
    res = minimize_lbfgs(lambda x: (float(x @ x), 2 * x), np.ones(5) * 1e3, max_iterations=0)
    assert not res.converged and res.iterations == 0 and "cap" in res.message


def test_threads_limited_inside_and_restored_outside():
    import numpy  # noqa: F401  (loads its BLAS)
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS)

    before = thread_counts()
    assert before, "no BLAS library loaded"
    with limited_threads(1):
        assert set(thread_counts().values()) == {1}
    assert thread_counts() == before


def test_two_dvar_runs_its_minimisation_on_one_blas_thread(monkeypatch):
    seen = []

    def recording(xi, sqrt_b, obs):
        seen.append(set(thread_counts().values()))
        return twodvar_ops.cost_and_gradient(xi, sqrt_b, obs)

    monkeypatch.setattr(twodvar, "cost_and_gradient", recording)
    u, v, ua, va, prob, ub, vb = _ambiguities(rows=30, cells=20)
    twodvar.two_dvar_solve(ua, va, prob, ub, vb, twodvar.TwoDVarSettings(annealing=(1.0,)))
    assert seen and all(s == {1} for s in seen)
