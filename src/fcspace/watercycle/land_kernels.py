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
_SM_STARTS = (0.05, 0.2, 0.35)  # coarse start grid, m3/m3
_TAU_STARTS = (0.1, 0.5)  # coarse start grid, Np


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
    ic, wc = _node(clay, origin[0], step[0], shape[0])
    it, wt = _node(t_k, origin[1], step[1], shape[1])
    i_s, ws = _node(sm, origin[2], step[2], shape[2])
    ia, wa = _node(theta_deg, origin[3], step[3], shape[3])
    r_h = 0.0
    r_v = 0.0
    for bc in range(2):
        fc = wc if bc else 1.0 - wc
        for bt in range(2):
            ft = fc * (wt if bt else 1.0 - wt)
            for bs in range(2):
                fs = ft * (ws if bs else 1.0 - ws)
                for ba in range(2):
                    f = fs * (wa if ba else 1.0 - wa)
                    if f != 0.0:
                        j = (ic + bc, it + bt, i_s + bs, ia + ba)
                        r_h += f * values[j[0], j[1], j[2], j[3], 0]
                        r_v += f * values[j[0], j[1], j[2], j[3], 1]
    return r_h, r_v


@numba.njit(cache=True)
def _sm_profiles(values, origin, step, clay, t_k, theta, prof):
    """Reflectivity profiles along the SM axis for each look of one pixel: (m, n_sm, 2).

    The clay, temperature and incidence interpolation is done once per pixel; the model then
    interpolates linearly in SM only (the same multilinear interpolant as :func:`_interp`).
    """
    shape = values.shape
    ic, wc = _node(clay, origin[0], step[0], shape[0])
    it, wt = _node(t_k, origin[1], step[1], shape[1])
    prof[:] = 0.0
    for k in range(theta.size):
        ia, wa = _node(theta[k], origin[3], step[3], shape[3])
        for bc in range(2):
            fc = wc if bc else 1.0 - wc
            for bt in range(2):
                ft = fc * (wt if bt else 1.0 - wt)
                for ba in range(2):
                    f = ft * (wa if ba else 1.0 - wa)
                    if f != 0.0:
                        src = values[ic + bc, it + bt, :, ia + ba, :]
                        for n in range(src.shape[0]):
                            prof[k, n, 0] += f * src[n, 0]
                            prof[k, n, 1] += f * src[n, 1]


@numba.njit(cache=True)
def _lerp_sm(prof_k, sm, origin, step):
    """(r*_H, r*_V) of one look at soil moisture ``sm`` from its SM profile."""
    i0, w = _node(sm, origin[2], step[2], prof_k.shape[0])
    i1 = min(i0 + 1, prof_k.shape[0] - 1)
    return (
        (1.0 - w) * prof_k[i0, 0] + w * prof_k[i1, 0],
        (1.0 - w) * prof_k[i0, 1] + w * prof_k[i1, 1],
    )


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
    tau_prior_sigma); ``tab`` = (origin, step, SM profiles of the looks).
    """
    t_k = aux[0]
    cost = 0.0
    for k in range(obs.shape[0]):
        rs_h, rs_v = _lerp_sm(tab[2][k], sm, tab[0], tab[1])
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
def _normal(jac, res, a_mat, g):
    """J^T J and J^T r of the two-column Jacobian, into ``a_mat`` (2, 2) and ``g`` (2,)."""
    a_mat[:] = 0.0
    g[:] = 0.0
    for j in range(res.size):
        j0, j1 = jac[j, 0], jac[j, 1]
        a_mat[0, 0] += j0 * j0
        a_mat[0, 1] += j0 * j1
        a_mat[1, 1] += j1 * j1
        g[0] += j0 * res[j]
        g[1] += j1 * res[j]
    a_mat[1, 0] = a_mat[0, 1]


@numba.njit(cache=True)
def _covariance_diagonal(a_mat):
    """Diagonal of (J^T J)^-1 (NaN when singular)."""
    det = a_mat[0, 0] * a_mat[1, 1] - a_mat[0, 1] * a_mat[1, 0]
    if not det > 0.0:
        return np.nan, np.nan
    return a_mat[1, 1] / det, a_mat[0, 0] / det


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
    a_mat, g = np.empty((2, 2)), np.empty(2)
    x = _start(lo, hi, obs, theta, cos_t, sig, aux, p, tab, res)
    cost = _residuals(x[0], x[1], obs, theta, cos_t, sig, aux, p, tab, res)
    lam, it, converged = 1e-3, 0, False
    while it < max_iter and not converged:
        it += 1
        _jacobian(x, lo, hi, obs, theta, cos_t, sig, aux, p, tab, res, jac, tmp)
        _normal(jac, res, a_mat, g)
        d = _step(x, lo, hi, a_mat, g, lam)
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
            d = _step(x, lo, hi, a_mat, g, lam)
    _jacobian(x, lo, hi, obs, theta, cos_t, sig, aux, p, tab, res, jac, tmp)
    _normal(jac, res, a_mat, g)
    var_sm, var_tau = _covariance_diagonal(a_mat)
    out[0], out[1] = x[0], x[1]
    out[2], out[3] = math.sqrt(var_sm), math.sqrt(var_tau)
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
    prof = np.empty((n_look, values.shape[2], 2))
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
        th_i = theta[i][keep]
        _sm_profiles(values, origin, step, clay[i], t_k[i], th_i, prof[:m])
        tab = (origin, step, prof[:m])
        _lm_pixel(obs, th_i, sig[i][keep], aux, lo, hi, p, tab, max_iter, res[i])
    return (res[:, 0], res[:, 1], res[:, 2], res[:, 3], res[:, 4], n_valid,
            res[:, 5].astype(np.int64), res[:, 6] > 0.5)  # fmt: skip
