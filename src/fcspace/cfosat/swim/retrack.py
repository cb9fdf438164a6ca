"""Compiled batched retracking kernels for the SWIM nadir waveform (Numba).

The model fitted here is the Brown (1977) / Hayne (1980) ocean waveform in its closed form
for a Gaussian sea surface (skewness 0, as in MLE3/MLE4, Amarouche et al. 2004), sampled at
gate centres i = 0..n-1 (time unit: one gate), with the thermal noise floor N known:

    m_i = A f exp(-v_i) Phi(u_i) + N,
    v_i = c (x_i - c s^2 / 2),   u_i = x_i / s - c s,   x_i = i - tau,

where tau is the epoch (gates), s = sigma_c the composite leading-edge width (gates), A the
amplitude, c the trailing-edge decay rate per gate and f the mispointing attenuation (see
`fcspace.cfosat.swim.nadir.brown_constants`). The derivatives are analytic:

    dm/dtau = A f e (c Phi - phi / s),
    dm/ds   = A f e (c^2 s Phi - phi (x / s^2 + c)),
    dm/dA   = f e Phi,       with e = exp(-v), phi the standard normal density.

Two estimators, both solved by Levenberg-Marquardt (Marquardt 1963, SIAM J. Appl. Math.
11(2), 431-441) in a compiled loop over waveforms (one core, no Python per waveform):

- ``LS`` (MLE3-like, Amarouche et al. 2004): unweighted least squares, cost sum (y - m)^2.
- ``MLE`` (the speckle-adapted likelihood of the adaptive retracker, Poisson et al. 2018,
  IEEE TGRS 56(9), 5089-5102; Tourain et al. 2021, IEEE TGRS, doi:10.1109/TGRS.2021.3064236):
  an L-look incoherent average of speckled power samples is Gamma distributed with shape L
  and mean m_i, so the negative log-likelihood is, up to constants, L sum (y_i / m_i +
  ln m_i). Its Fisher information is L J^T diag(1/m^2) J, so the Fisher-scoring step is a
  Gauss-Newton step with weights 1 / m_i^2 (iteratively reweighted least squares; McCullagh
  & Nelder 1989, Generalized Linear Models, ch. 8). What we implement of "adaptive" is this
  likelihood; the numerical point-target response and the mean-square-slope parameter of
  the operational algorithm are not fitted here (the PTR is the Gaussian approximation).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["LS", "MLE", "fit_waveforms", "initial_guess"]

LS, MLE = 0, 1
_UCUT = 9.0  # |u| beyond which Phi is 0 or 1 and phi = 0 to double precision (1e-19)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SIG_MIN, _SIG_MAX = 0.05, 60.0  # search bounds of sigma_c in gates


@njit(cache=True)
def _model(p, c, f, noise, m, jac):  # noqa: ANN001, ANN202
    """Model and Jacobian of one waveform at parameters p = (tau, s, A), in place."""
    tau, s, amp = p[0], p[1], p[2]
    af = amp * f
    q = math.exp(-c)  # e_i = exp(-c (i - tau - c s^2 / 2)) by recurrence e_i = e_(i-1) q
    e = math.exp(c * (tau + 0.5 * c * s * s)) / q
    for i in range(m.shape[0]):
        e *= q
        x = i - tau
        u = x / s - c * s
        if u < -_UCUT:
            m[i] = noise
            jac[i, 0] = 0.0
            jac[i, 1] = 0.0
            jac[i, 2] = 0.0
            continue
        if u > _UCUT:
            big_phi, small_phi = 1.0, 0.0
        else:
            big_phi = 0.5 * math.erfc(-u * _INV_SQRT2)
            small_phi = math.exp(-0.5 * u * u) * _INV_SQRT2PI
        m[i] = af * e * big_phi + noise
        jac[i, 0] = af * e * (c * big_phi - small_phi / s)
        jac[i, 1] = af * e * (c * c * s * big_phi - small_phi * (x / (s * s) + c))
        jac[i, 2] = f * e * big_phi


@njit(cache=True)
def _cost(y, m, method):  # noqa: ANN001, ANN202
    """LS: sum of squared residuals; MLE: Gamma negative log-likelihood / L."""
    total = 0.0
    for i in range(y.shape[0]):
        if method == LS:
            total += (y[i] - m[i]) ** 2
        else:
            total += y[i] / m[i] + math.log(m[i])
    return total


@njit(cache=True)
def _normal_equations(y, m, jac, method, h, g):  # noqa: ANN001, ANN202
    """H = J^T W J and g = J^T W r with W = 1 (LS) or 1/m^2 (MLE, Fisher scoring)."""
    h[:, :] = 0.0
    g[:] = 0.0
    for i in range(y.shape[0]):
        w = 1.0 if method == LS else 1.0 / (m[i] * m[i])
        r = y[i] - m[i]
        for a in range(3):
            g[a] += w * jac[i, a] * r
            for b in range(a, 3):
                h[a, b] += w * jac[i, a] * jac[i, b]
    for a in range(3):
        for b in range(a):
            h[a, b] = h[b, a]


@njit(cache=True)
def _solve3(a, b, out):  # noqa: ANN001, ANN202
    """Solve the symmetric positive-definite 3x3 system a out = b (Cholesky); False if not SPD."""
    l00 = a[0, 0]
    if not l00 > 0.0:
        return False
    l00 = math.sqrt(l00)
    l10 = a[1, 0] / l00
    l20 = a[2, 0] / l00
    d1 = a[1, 1] - l10 * l10
    if not d1 > 0.0:
        return False
    l11 = math.sqrt(d1)
    l21 = (a[2, 1] - l20 * l10) / l11
    d2 = a[2, 2] - l20 * l20 - l21 * l21
    if not d2 > 0.0:
        return False
    l22 = math.sqrt(d2)
    z0 = b[0] / l00
    z1 = (b[1] - l10 * z0) / l11
    z2 = (b[2] - l20 * z0 - l21 * z1) / l22
    out[2] = z2 / l22
    out[1] = (z1 - l21 * out[2]) / l11
    out[0] = (z0 - l10 * out[1] - l20 * out[2]) / l00
    return True


@njit(cache=True)
def initial_guess(y, noise, p):  # noqa: ANN001, ANN201
    """First guess (tau, s, A) of one waveform from its leading edge, in place.

    A: maximum of the 5-gate running mean minus the noise floor; tau: first crossing of
    N + A/2 (linear interpolation); s: (t88 - t12) / 2.35, the 12 %-88 % rise of a Gaussian
    edge being 2 x 1.175 sigma. Returns False if no edge is found.
    """
    n = y.shape[0]
    best = -1.0
    for i in range(n - 4):
        v = (y[i] + y[i + 1] + y[i + 2] + y[i + 3] + y[i + 4]) / 5.0
        best = max(best, v)
    amp = best - noise
    if not amp > 0.0:
        return False
    t12, t50, t88 = -1.0, -1.0, -1.0
    for i in range(1, n):
        lo, hi = y[i - 1] - noise, y[i] - noise
        for level in (0.12, 0.5, 0.88):
            thr = level * amp
            if lo < thr <= hi:
                t = i - 1 + (thr - lo) / (hi - lo)
                if level == 0.12 and t12 < 0.0:
                    t12 = t
                elif level == 0.5 and t50 < 0.0:
                    t50 = t
                elif level == 0.88 and t88 < 0.0 and t50 >= 0.0:
                    t88 = t
    if t50 < 0.0:
        return False
    s = (t88 - t12) / 2.35 if (t88 > t12 >= 0.0) else 1.0
    p[0] = t50
    p[1] = min(max(s, 0.3), 20.0)
    p[2] = amp
    return True


@njit(cache=True)
def _levenberg_marquardt(y, p, c, f, noise, method, max_iter, tol):  # noqa: ANN001, ANN202
    """Minimise the cost of one waveform from p (updated in place); (converged, iterations)."""
    n = y.shape[0]
    m, jac = np.empty(n), np.empty((n, 3))
    m_new, jac_new = np.empty(n), np.empty((n, 3))
    h, damped = np.empty((3, 3)), np.empty((3, 3))
    g, step, trial = np.empty(3), np.empty(3), np.empty(3)
    _model(p, c, f, noise, m, jac)
    cost = _cost(y, m, method)
    mu = 1e-3
    for it in range(max_iter):
        _normal_equations(y, m, jac, method, h, g)
        accepted = False
        for _ in range(12):
            damped[:, :] = h
            for a in range(3):
                damped[a, a] = h[a, a] * (1.0 + mu)
            if _solve3(damped, g, step):
                for a in range(3):
                    trial[a] = p[a] + step[a]
                trial[1] = min(max(trial[1], _SIG_MIN), _SIG_MAX)
                _model(trial, c, f, noise, m_new, jac_new)
                new_cost = _cost(y, m_new, method)
                if new_cost <= cost + 1e-13 * abs(cost):  # round-off slack at the optimum
                    accepted = True
                    break
            mu *= 10.0
        if not accepted:
            return False, it
        small = abs(trial[0] - p[0]) < tol and abs(trial[1] - p[1]) < tol
        small = small and abs(trial[2] - p[2]) < tol * abs(p[2])
        p[:] = trial
        m, m_new = m_new, m
        jac, jac_new = jac_new, jac
        cost = new_cost
        mu = max(mu / 10.0, 1e-9)
        if small:
            return True, it + 1
    return False, max_iter


@njit(cache=True)
def fit_waveforms(  # noqa: ANN201
    waveforms, noise, c, f, method, max_iter, tol
):  # noqa: ANN001
    """Fit every row of ``waveforms`` (n, gates); returns (params (n, 3), converged, n_iter).

    ``noise`` (n,) is the known thermal noise floor of each row, ``c`` the decay rate per
    gate and ``f`` the mispointing attenuation (scalars). Rows whose first guess fails are
    returned with NaN parameters and converged False.
    """
    n = waveforms.shape[0]
    params = np.full((n, 3), np.nan)
    converged = np.zeros(n, dtype=np.bool_)
    n_iter = np.zeros(n, dtype=np.int32)
    p = np.empty(3)
    for k in range(n):
        y = waveforms[k]
        if not initial_guess(y, noise[k], p):
            continue
        ok, it = _levenberg_marquardt(y, p, c, f, noise[k], method, max_iter, tol)
        params[k, :] = p
        converged[k] = ok
        n_iter[k] = it
    return params, converged, n_iter
