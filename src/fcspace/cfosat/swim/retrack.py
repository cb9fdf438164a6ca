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

Cost of one evaluation (one pass over the gates, no stored Jacobian):

- the model is truncated where |u| > 7: Phi(-7) = 1 - Phi(7) = 1.3e-12 and phi(7) = 9e-12
  (relative to A; the per-gate speckle noise is 1/sqrt(L) = 6 % for L = 256 looks), so
  gates before the edge have m = N exactly and contribute a parameter-free term each,
  taken from a prefix sum computed once per waveform;
- on the edge (|u| <= 7), phi(u_i) follows from the uniform grid u_(i+1) = u_i + 1/s by a
  multiplicative recurrence (two exponentials per evaluation, none per gate), and Phi from
  phi by the Cephes rational approximations (Moshier 1989, Methods and Programs for
  Mathematical Functions; Cephes ``ndtr.c``: erf(z) = z T(z^2)/U(z^2) for z < 1,
  erfc(z) = exp(-z^2) P(z)/Q(z) for 1 <= z < 8, z = |u|/sqrt 2, exp(-z^2) = sqrt(2 pi)
  phi(u)); the cost and the normal equations J^T W J, J^T W r are accumulated in the same
  pass, so every trial evaluation also yields the step equations for its point;
- on the trailing edge (u > 7, Phi = 1, phi = 0) the Jacobian row is f e_i (cA, c^2 s A, 1):
  J^T W J and J^T W r are rank one there and need two running sums;
- the Gamma log-likelihood needs sum ln m_i: it is taken as the log of products of 16
  consecutive m_i (a trial whose model falls below 1e-18 anywhere is rejected, which keeps
  the products away from underflow; the noise floor of a unit-peak waveform is >= 1e-6).

Relative to a gate-by-gate evaluation with libm erfc/exp and |u| <= 9, fitted parameters
change by < 1e-5 gates at the same stopping tolerance. All 128 gates enter the fit: no
first-guess window (a window would discard trailing-edge information on the amplitude).

Numba flags: ``cache=True``; no ``fastmath``, because the kernels rely on IEEE NaN/inf
semantics (``not x > 0`` tests in the Cholesky solve, infinite costs rejecting trials) and
non-finite or negative input rows are screened by an explicit test before any fit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["LS", "MLE", "fit_waveforms", "initial_guess", "normal_cdf_pdf", "retrack_rows"]

LS, MLE = 0, 1
_UCUT = 7.0  # |u| beyond which Phi = 0 or 1 and phi = 0 (errors < 1e-11 of A)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT2PI = 1.0 / math.sqrt(2.0 * math.pi)
_HALF_SQRT2PI = 0.5 * math.sqrt(2.0 * math.pi)
_SIG_MIN, _SIG_MAX = 0.05, 60.0  # search bounds of sigma_c in gates
_M_MIN = 1e-18  # smallest model value of an admissible MLE trial (products of 16 stay normal)
_LOG_BLOCK = 16  # gates per product in sum ln m


@njit(cache=True)
def _ndtr_from_pdf(u, pdf):  # noqa: ANN001, ANN202
    """Standard normal CDF Phi(u) given the density pdf = phi(u) (no exponential here).

    Cephes ``ndtr``/``erf``/``erfc`` rational approximations (S. L. Moshier, Cephes Math
    Library 2.8; Moshier 1989, Methods and Programs for Mathematical Functions): with
    z = |u| / sqrt 2, erf(z) = z T(z^2) / U(z^2) for z < 1 and erfc(z) = exp(-z^2) P(z) /
    Q(z) for 1 <= z < 8, where exp(-z^2) = sqrt(2 pi) phi(u). Valid for |u| < 8 sqrt 2.
    """
    z = abs(u) * _INV_SQRT2
    if z < 1.0:
        zz = z * z
        num = (((9.60497373987051638749e0 * zz + 9.00260197203842689217e1) * zz
                + 2.23200534594684319226e3) * zz + 7.00332514112805075473e3) * zz \
            + 5.55923013010394962768e4  # fmt: skip
        den = ((((zz + 3.35617141647503099647e1) * zz + 5.21357949780152679795e2) * zz
                + 4.59432382970980127987e3) * zz + 2.26290000613890934246e4) * zz \
            + 4.92673942608635921086e4  # fmt: skip
        half_erf = 0.5 * z * num / den
        return 0.5 + half_erf if u >= 0.0 else 0.5 - half_erf
    num = (((((((2.46196981473530512524e-10 * z + 5.64189564831068821977e-1) * z
                + 7.46321056442269912687e0) * z + 4.86371970985681366614e1) * z
              + 1.96520832956077098242e2) * z + 5.26445194995477358631e2) * z
            + 9.34528527171957607540e2) * z + 1.02755188689515710272e3) * z \
        + 5.57535335369399327526e2  # fmt: skip
    den = (((((((z + 1.32281951154744992508e1) * z + 8.67072140885989742329e1) * z
               + 3.54937778887819891062e2) * z + 9.75708501743205489753e2) * z
             + 1.82390916687909736289e3) * z + 2.24633760818710981792e3) * z
           + 1.65666309194161350182e3) * z + 5.57535340817727675546e2  # fmt: skip
    half_erfc = _HALF_SQRT2PI * pdf * num / den
    return half_erfc if u < 0.0 else 1.0 - half_erfc


@njit(cache=True)
def normal_cdf_pdf(u):  # noqa: ANN001, ANN201
    """Standard normal CDF Phi(u) and density phi(u) with a single exponential.

    phi(u) = exp(-u^2/2) / sqrt(2 pi), Phi from `_ndtr_from_pdf` (Cephes rational
    approximations); |u| < 11, relative error ~1e-14 (the exp of -u^2/2 in the tails).
    """
    pdf = math.exp(-0.5 * u * u) * _INV_SQRT2PI
    return _ndtr_from_pdf(u, pdf), pdf


@njit(cache=True)
def _prefix_costs(y, noise, method, base):  # noqa: ANN001, ANN202
    """base[k] = cost of gates 0..k-1 at the noise floor (m = N): the pre-edge term."""
    base[0] = 0.0
    log_n = math.log(noise)
    for i in range(y.shape[0]):
        if method == LS:
            base[i + 1] = base[i] + (y[i] - noise) ** 2
        else:
            base[i + 1] = base[i] + y[i] / noise + log_n


@njit(cache=True, inline="always")
def _gate_term(
    yi: float, mdl: float, r: float, mle: bool, i: int, prod: float, logs: float
) -> tuple[float, float, float, float]:
    """One gate's cost term and Gauss-Newton weight, for both retrackers.

    Gamma-speckle likelihood (``mle``): cost term y/m, weight 1/m^2, and the running product of
    m folded into ``logs`` every :data:`_LOG_BLOCK` gates (sum ln m without one log per gate);
    least squares: cost term r^2, weight 1. Returns (cost term, weight, prod, logs).
    """
    if not mle:
        return r * r, 1.0, prod, logs
    inv = 1.0 / mdl
    prod *= mdl
    if (i & (_LOG_BLOCK - 1)) == _LOG_BLOCK - 1:
        logs += math.log(prod)
        prod = 1.0
    return yi * inv, inv * inv, prod, logs


@njit(cache=True)
def _evaluate(y, base, p, c, f, noise, method, hg):  # noqa: ANN001, ANN202, C901, PLR0915
    """Cost at p = (tau, s, A), and the normal equations there in hg, in one pass.

    hg = (H00, H01, H02, H11, H12, H22, g0, g1, g2) with H = J^T W J, g = J^T W r,
    W = 1 (LS) or 1/m^2 (MLE, Fisher scoring). Returns +inf for an inadmissible trial
    (non-finite parameters, MLE model <= 1e-18).
    """
    n = y.shape[0]
    tau, s, amp = p[0], p[1], p[2]
    if not (abs(tau) < 1e6 and abs(amp) < 1e300 and s > 0.0):
        return math.inf
    mle = method == MLE
    inv_s = 1.0 / s
    cs = c * s
    af = amp * f
    # first gate on the edge: u_i >= -UCUT  <=>  i >= tau + s (c s - UCUT)
    i0 = int(min(max(math.ceil(tau + s * (cs - _UCUT)), 0.0), float(n)))
    while i0 > 0 and (i0 - 1 - tau) * inv_s - cs >= -_UCUT:
        i0 -= 1
    while i0 < n and (i0 - tau) * inv_s - cs < -_UCUT:
        i0 += 1
    cost = base[i0]
    h00 = h01 = h02 = h11 = h12 = h22 = g0 = g1 = g2 = 0.0
    q = math.exp(-c)
    e = math.exp(-c * (i0 - tau - 0.5 * cs * s))  # e_i = exp(-v_i), then e_(i+1) = e_i q
    # phi(u_i) by recurrence on the uniform grid u_(i+1) = u_i + d, d = 1/s:
    # phi_(i+1) = phi_i rho_i, rho_i = exp(-u_i d - d^2/2), rho_(i+1) = rho_i exp(-d^2)
    u0 = (i0 - tau) * inv_s - cs
    small = math.exp(-0.5 * u0 * u0) * _INV_SQRT2PI
    rho = math.exp(-u0 * inv_s - 0.5 * inv_s * inv_s)
    rho_q = math.exp(-inv_s * inv_s)
    prod, logs = 1.0, 0.0
    i = i0
    while i < n:  # leading edge
        x = i - tau
        u = x * inv_s - cs
        if u > _UCUT:
            break
        big = _ndtr_from_pdf(u, small)
        fe = f * e
        ae = amp * fe
        mdl = ae * big + noise
        r = y[i] - mdl
        if mle and not mdl > _M_MIN:
            return math.inf
        dc, w, prod, logs = _gate_term(y[i], mdl, r, mle, i, prod, logs)
        cost += dc
        j0 = ae * (c * big - small * inv_s)
        j1 = ae * (c * cs * big - small * (x * inv_s * inv_s + c))
        j2 = fe * big
        wj0, wj1, wj2 = w * j0, w * j1, w * j2
        h00 += wj0 * j0
        h01 += wj0 * j1
        h02 += wj0 * j2
        h11 += wj1 * j1
        h12 += wj1 * j2
        h22 += wj2 * j2
        g0 += wj0 * r
        g1 += wj1 * r
        g2 += wj2 * r
        e *= q
        small *= rho
        rho *= rho_q
        i += 1
    sw, sg = 0.0, 0.0
    while i < n:  # trailing edge: Phi = 1, phi = 0, Jacobian row f e (c A, c^2 s A, 1)
        fe = f * e
        mdl = af * e + noise
        r = y[i] - mdl
        if mle and not mdl > _M_MIN:
            return math.inf
        dc, w, prod, logs = _gate_term(y[i], mdl, r, mle, i, prod, logs)
        cost += dc
        wfe = w * fe
        sw += wfe * fe
        sg += wfe * r
        e *= q
        i += 1
    v0, v1 = c * amp, c * cs * amp  # (v0, v1, 1): direction of the trailing Jacobian rows
    hg[0] = h00 + sw * v0 * v0
    hg[1] = h01 + sw * v0 * v1
    hg[2] = h02 + sw * v0
    hg[3] = h11 + sw * v1 * v1
    hg[4] = h12 + sw * v1
    hg[5] = h22 + sw
    hg[6] = g0 + sg * v0
    hg[7] = g1 + sg * v1
    hg[8] = g2 + sg
    if mle:
        cost += logs + math.log(prod)
    return cost


@njit(cache=True)
def _solve_damped(hg, mu, step):  # noqa: ANN001, ANN202
    """Solve (H + mu diag H) step = g by Cholesky (3x3); False if not positive definite."""
    a00 = hg[0] * (1.0 + mu)
    a11 = hg[3] * (1.0 + mu)
    a22 = hg[5] * (1.0 + mu)
    if not a00 > 0.0:
        return False
    l00 = math.sqrt(a00)
    l10 = hg[1] / l00
    l20 = hg[2] / l00
    d1 = a11 - l10 * l10
    if not d1 > 0.0:
        return False
    l11 = math.sqrt(d1)
    l21 = (hg[4] - l20 * l10) / l11
    d2 = a22 - l20 * l20 - l21 * l21
    if not d2 > 0.0:
        return False
    l22 = math.sqrt(d2)
    z0 = hg[6] / l00
    z1 = (hg[7] - l10 * z0) / l11
    z2 = (hg[8] - l20 * z0 - l21 * z1) / l22
    step[2] = z2 / l22
    step[1] = (z1 - l21 * step[2]) / l11
    step[0] = (z0 - l10 * step[1] - l20 * step[2]) / l00
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
def _levenberg_marquardt(y, base, p, c, f, noise, method, max_iter, tol):  # noqa: ANN001, ANN202
    """Minimise the cost of one waveform from p (updated in place); (converged, iterations).

    Levenberg-Marquardt with multiplicative damping (Marquardt 1963): a trial step is
    accepted if it does not increase the cost (up to round-off); each trial evaluation also
    returns the normal equations at the trial point, used as they are when it is accepted.
    """
    hg, hg_new = np.empty(9), np.empty(9)
    step, trial = np.empty(3), np.empty(3)
    cost = _evaluate(y, base, p, c, f, noise, method, hg)
    if not cost < math.inf:
        return False, 0
    mu = 1e-3
    for it in range(max_iter):
        accepted = False
        new_cost = cost
        for _ in range(12):
            if _solve_damped(hg, mu, step):
                for a in range(3):
                    trial[a] = p[a] + step[a]
                trial[1] = min(max(trial[1], _SIG_MIN), _SIG_MAX)
                new_cost = _evaluate(y, base, trial, c, f, noise, method, hg_new)
                if new_cost <= cost + 1e-13 * abs(cost):  # round-off slack at the optimum
                    accepted = True
                    break
            mu *= 10.0
        if not accepted:
            return False, it
        small = abs(trial[0] - p[0]) < tol and abs(trial[1] - p[1]) < tol
        small = small and abs(trial[2] - p[2]) < tol * abs(p[2])
        p[:] = trial
        hg, hg_new = hg_new, hg
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
    base = np.empty(waveforms.shape[1] + 1)
    for k in range(n):
        y = waveforms[k]
        if not initial_guess(y, noise[k], p):
            continue
        _prefix_costs(y, noise[k], method, base)
        ok, it = _levenberg_marquardt(y, base, p, c, f, noise[k], method, max_iter, tol)
        params[k, :] = p
        converged[k] = ok
        n_iter[k] = it
    return params, converged, n_iter


@njit(cache=True)
def retrack_rows(  # noqa: ANN201
    waveforms, noise_start, noise_stop, c, f, method, max_iter, tol
):  # noqa: ANN001
    """Screen, normalise and fit every row of raw ``waveforms`` (n, gates) in one pass.

    A row is valid if all its values are finite and >= 0; it is scaled to unit peak
    (scale = max, so that the tolerances hold for any power unit), its noise floor N is the
    mean of gates ``noise_start:noise_stop`` of the scaled row (at least 1e-6), and it is
    fitted as in `fit_waveforms`. Returns (params (n, 3) in scaled units, converged,
    n_iter, noise (scaled), scale, valid); invalid rows have NaN parameters and noise.
    """
    n, n_gates = waveforms.shape
    params = np.full((n, 3), np.nan)
    converged = np.zeros(n, dtype=np.bool_)
    n_iter = np.zeros(n, dtype=np.int32)
    noise = np.full(n, np.nan)
    scale = np.ones(n)
    valid = np.zeros(n, dtype=np.bool_)
    y = np.empty(n_gates)
    base = np.empty(n_gates + 1)
    p = np.empty(3)
    for k in range(n):
        row = waveforms[k]
        top = 0.0
        ok = True
        for i in range(n_gates):
            v = row[i]
            if not (v >= 0.0 and v < math.inf):  # NaN, inf and negative values
                ok = False
                break
            top = max(top, v)
        if not ok:
            continue
        valid[k] = True
        sc = max(top, 1e-300)
        scale[k] = sc
        acc = 0.0
        for i in range(n_gates):
            y[i] = row[i] / sc
        for i in range(noise_start, noise_stop):
            acc += y[i]
        nse = max(acc / (noise_stop - noise_start), 1e-6)
        noise[k] = nse
        if not initial_guess(y, nse, p):
            continue
        _prefix_costs(y, nse, method, base)
        conv, it = _levenberg_marquardt(y, base, p, c, f, nse, method, max_iter, tol)
        params[k, :] = p
        converged[k] = conv
        n_iter[k] = it
    return params, converged, n_iter, noise, scale, valid
