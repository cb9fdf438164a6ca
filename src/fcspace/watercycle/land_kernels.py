"""Numba kernels of the soil-moisture retrieval: table interpolation and Levenberg-Marquardt.

The tau-omega physics is :func:`fcspace.watercycle.land.pixel_tb` (one implementation, called
here compiled). The smooth-soil reflectivities come from a table built by
:func:`fcspace.watercycle.land_retrieval.reflectivity_table` with the dielectric module's own
functions, interpolated multilinearly over (clay, temperature, SM, incidence).
Levenberg-Marquardt as in Press et al. (2007), Numerical Recipes 3rd ed., section 15.5.2
(Marquardt's diagonal scaling), with bounds kept by projection and an active set.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from fcspace.watercycle.land import pixel_tb

__all__ = ["SM_STEP", "THETA_STEP_DEG", "interpolate_reflectivity", "retrieve_pixels"]

SM_STEP = 0.002  # m3/m3 between table nodes (ASSUMPTION; TB error measured in the tests)
THETA_STEP_DEG = 0.25  # degrees between table nodes (ASSUMPTION; idem)
_FD_STEP = 1e-5  # forward-difference step for SM (m3/m3) and tau (Np)
_TOL = 1e-7  # convergence: largest parameter step
_SM_STARTS = (0.05, 0.15, 0.25, 0.35, 0.45)  # coarse start grid, m3/m3
_TAU_STARTS = (0.05, 0.3, 0.6, 1.0)  # coarse start grid, Np


@numba.njit(cache=True)
def _node(x: float, origin: float, step: float, n: int) -> tuple[int, float]:
    """Lower node index and weight of ``x`` on a regular axis (clamped to the table)."""
    if n == 1:
        return 0, 0.0
    u = (x - origin) / step
    i0 = min(max(int(math.floor(u)), 0), n - 2)
    return i0, min(max(u - i0, 0.0), 1.0)


@numba.njit(cache=True)
def _interp(values, origin, step, clay, t_k, sm, theta_deg):
    """Multilinear (16-corner) interpolation of (r*_H, r*_V) at one point."""
    shape = values.shape
    idx = np.empty(4, dtype=np.int64)
    w = np.empty(4)
    x = (clay, t_k, sm, theta_deg)
    for a in range(4):
        idx[a], w[a] = _node(x[a], origin[a], step[a], shape[a])
    r_h = 0.0
    r_v = 0.0
    for corner in range(16):
        weight = 1.0
        j = np.empty(4, dtype=np.int64)
        for a in range(4):
            bit = (corner >> a) & 1
            weight *= w[a] if bit else 1.0 - w[a]
            j[a] = min(idx[a] + bit, shape[a] - 1)
        if weight != 0.0:
            r_h += weight * values[j[0], j[1], j[2], j[3], 0]
            r_v += weight * values[j[0], j[1], j[2], j[3], 1]
    return r_h, r_v


@numba.njit(cache=True)
def interpolate_reflectivity(clay, t_k, sm, theta_deg, origin, step, values):
    """(r*_H, r*_V) interpolated at each point of flat arrays; returns an (n, 2) array.

    Parameters
    ----------
    clay, t_k, sm, theta_deg
        Flat arrays of the same length: clay fraction, K, m3/m3, degrees.
    origin, step, values
        The table (:class:`fcspace.watercycle.land_retrieval.ReflectivityTable`).

    Returns
    -------
    numpy.ndarray
        Shape (n, 2): r*_H and r*_V.
    """
    out = np.empty((sm.size, 2))
    for i in range(sm.size):
        out[i, 0], out[i, 1] = _interp(values, origin, step, clay[i], t_k[i], sm[i], theta_deg[i])
    return out


@numba.njit(cache=True)
def _residuals(sm, tau, obs, theta, cos_t, sig, aux, p, tab, res):
    """Weighted residuals (obs - model) / sigma into ``res``; returns the cost sum(res^2).

    ``obs`` is (m, 2) (H, V) of the m valid looks; ``aux`` = (T, clay, tau_prior,
    tau_prior_sigma); ``tab`` = (origin, step, values).
    """
    t_k, clay = aux[0], aux[1]
    cost = 0.0
    for k in range(obs.shape[0]):
        rs_h, rs_v = _interp(tab[2], tab[0], tab[1], clay, t_k, sm, theta[k])
        tb_h, tb_v = pixel_tb(rs_h, rs_v, tau, t_k, cos_t[k], p)
        res[2 * k] = (obs[k, 0] - tb_h) / sig[k]
        res[2 * k + 1] = (obs[k, 1] - tb_v) / sig[k]
    if math.isfinite(aux[3]):
        res[res.size - 1] = (tau - aux[2]) / aux[3]
    for j in range(res.size):
        cost += res[j] * res[j]
    return cost


@numba.njit(cache=True)
def _jacobian(x, lo, hi, obs, theta, cos_t, sig, aux, p, tab, res, jac, tmp):
    """Forward-difference Jacobian d res / d (SM, tau), stepping inwards at an upper bound."""
    for a in range(2):
        h = _FD_STEP if x[a] + _FD_STEP <= hi[a] else -_FD_STEP
        xs = x.copy()
        xs[a] += h
        _residuals(xs[0], xs[1], obs, theta, cos_t, sig, aux, p, tab, tmp)
        for j in range(res.size):
            jac[j, a] = (tmp[j] - res[j]) / h


@numba.njit(cache=True)
def _step(x, lo, hi, a_mat, g, lam):
    """Damped Gauss-Newton step with bounds: parameters on a bound pushed outwards are frozen."""
    free = np.ones(2, dtype=np.bool_)
    for _ in range(2):
        d = np.zeros(2)
        a00 = a_mat[0, 0] * (1.0 + lam) if free[0] else 1.0
        a11 = a_mat[1, 1] * (1.0 + lam) if free[1] else 1.0
        a01 = a_mat[0, 1] if free[0] and free[1] else 0.0
        g0 = g[0] if free[0] else 0.0
        g1 = g[1] if free[1] else 0.0
        det = a00 * a11 - a01 * a01
        if det <= 0.0:
            return d
        d[0] = -(a11 * g0 - a01 * g1) / det
        d[1] = -(a00 * g1 - a01 * g0) / det
        blocked = False
        for a in range(2):
            at_lo = x[a] <= lo[a] and d[a] < 0.0
            at_hi = x[a] >= hi[a] and d[a] > 0.0
            if free[a] and (at_lo or at_hi):
                free[a] = False
                blocked = True
        if not blocked:
            return d
    return np.zeros(2)


@numba.njit(cache=True)
def _start(lo, hi, obs, theta, cos_t, sig, aux, p, tab, res):
    """Best point of a coarse (SM, tau) grid: the Levenberg-Marquardt start."""
    best = np.array([min(0.2, hi[0]), 0.3])
    best_cost = np.inf
    for sm0 in _SM_STARTS:
        for tau0 in _TAU_STARTS:
            sm = min(sm0, hi[0])
            tau = min(tau0, hi[1])
            c = _residuals(sm, tau, obs, theta, cos_t, sig, aux, p, tab, res)
            if c < best_cost:
                best_cost = c
                best[0], best[1] = sm, tau
    return best


@numba.njit(cache=True)
def _lm_pixel(obs, theta, sig, aux, lo, hi, p, tab, max_iter, out):
    """Levenberg-Marquardt for one pixel; writes (SM, tau, s_SM, s_tau, chi2, iter, ok) to out."""
    n_res = 2 * obs.shape[0] + (1 if math.isfinite(aux[3]) else 0)
    cos_t = np.cos(np.radians(theta))
    res, tmp, trial = np.empty(n_res), np.empty(n_res), np.empty(n_res)
    jac = np.empty((n_res, 2))
    x = _start(lo, hi, obs, theta, cos_t, sig, aux, p, tab, res)
    cost = _residuals(x[0], x[1], obs, theta, cos_t, sig, aux, p, tab, res)
    lam, it, converged = 1e-3, 0, False
    while it < max_iter and not converged:
        it += 1
        _jacobian(x, lo, hi, obs, theta, cos_t, sig, aux, p, tab, res, jac, tmp)
        d = _step(x, lo, hi, jac.T @ jac, jac.T @ res, lam)
        while True:
            xn = np.minimum(np.maximum(x + d, lo), hi)
            c_new = _residuals(xn[0], xn[1], obs, theta, cos_t, sig, aux, p, tab, trial)
            if c_new <= cost:
                converged = np.max(np.abs(xn - x)) < _TOL
                x, cost, lam = xn, c_new, max(lam / 10.0, 1e-12)
                res[:] = trial
                break
            lam *= 10.0
            if lam > 1e12:  # no descent direction left: a minimum to the FD precision
                converged = True
                break
            d = _step(x, lo, hi, jac.T @ jac, jac.T @ res, lam)
    _jacobian(x, lo, hi, obs, theta, cos_t, sig, aux, p, tab, res, jac, tmp)
    cov = np.linalg.pinv(jac.T @ jac)
    out[0], out[1] = x[0], x[1]
    out[2], out[3] = math.sqrt(max(cov[0, 0], 0.0)), math.sqrt(max(cov[1, 1], 0.0))
    out[4], out[5], out[6] = cost, it, 1.0 if converged else 0.0


@numba.njit(cache=True)
def retrieve_pixels(
    tb_h, tb_v, theta, sig, t_k, clay, porosity, tau_prior, tau_prior_sigma, tau_max, p,
    origin, step, values, max_iter,
):  # fmt: skip
    """Retrieve (SM, tau) for every pixel (rows of the (n_pix, n_looks) inputs).

    Parameters
    ----------
    tb_h, tb_v, theta, sig
        (n_pix, n_looks): observed TBs (K, NaN = missing look), incidence (deg), sigma (K).
    t_k, clay, porosity, tau_prior
        (n_pix,): effective temperature, clay fraction, SM upper bound, tau prior mean.
    tau_prior_sigma, tau_max
        Prior width on tau (inf: no prior), upper bound of tau.
    p
        :meth:`fcspace.watercycle.land.LandParams.vegetation_roughness`.
    origin, step, values
        The reflectivity table.
    max_iter
        Iterations at most.

    Returns
    -------
    tuple of numpy.ndarray
        SM, tau, sigma_SM, sigma_tau, chi2, n_looks, iterations, converged (bool).
    """
    n_pix, n_look = tb_h.shape
    res = np.full((n_pix, 7), np.nan)
    n_valid = np.zeros(n_pix, dtype=np.int64)
    tab = (origin, step, values)
    lo = np.zeros(2)
    hi = np.empty(2)
    for i in range(n_pix):
        keep = ~(np.isnan(tb_h[i]) | np.isnan(tb_v[i]))
        m = int(keep.sum())
        n_valid[i] = m
        if m < 2:
            res[i, 5:] = 0.0
            continue
        obs = np.empty((m, 2))
        obs[:, 0], obs[:, 1] = tb_h[i][keep], tb_v[i][keep]
        aux = np.array([t_k[i], clay[i], tau_prior[i], tau_prior_sigma])
        hi[0], hi[1] = porosity[i], tau_max
        _lm_pixel(obs, theta[i][keep], sig[i][keep], aux, lo, hi, p, tab, max_iter, res[i])
    return (res[:, 0], res[:, 1], res[:, 2], res[:, 3], res[:, 4], n_valid,
            res[:, 5].astype(np.int64), res[:, 6] > 0.5)  # fmt: skip
