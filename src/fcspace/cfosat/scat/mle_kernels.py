r"""Numba kernels of the maximum-likelihood wind search, vectorised over the cells of a chunk.

For each cell: a coarse scan in speed at direction 0, the speed-minimised MLE on a
2.5-degree direction grid by Gauss-Newton continuation, its cyclic local minima (at most
:data:`~fcspace.cfosat.scat.inversion.NUM_AMBIGS`, lowest first), each refined by two
parabolic steps in direction. The MLE is that of Stoffelen & Portabella (2006, IEEE TGRS
44(4), eq. 1) with Kp on the model sigma0 (Pierson 1989, JGR 94(C4)); the search algorithm is
described in :mod:`fcspace.cfosat.scat.inversion`, which prepares the inputs (table layout,
views) and assembles the L2B layout.
"""

from __future__ import annotations

import numba as nb
import numpy as np

DIR_STEP = 2.5  # degrees, direction grid of the search
_NDIR = int(round(360.0 / DIR_STEP))
SCAN_SPEEDS = np.array(
    [0.2, 0.6, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 14.0, 17.0, 20.0,
     24.0, 28.0, 33.0, 40.0, 50.0]
)  # fmt: skip
_GN_MAXIT = 6
_GN_TOL = 1e-3  # m/s, final refinement
_SWEEP_TOL = 2e-2  # m/s, direction sweep


# --------------------------------------------------------------------------- Numba kernels
# Per-cell view data: ``vw`` float64 (4, nview) rows = measured sigma0, weight 1/Kp^2,
# azimuth (degrees in [0, 360)), incidence weight; ``ix`` int64 (nview,) = flat table offset
# of the (polarisation, incidence node) pair. The flat table is C-ordered
# (pol, speed, incidence, rel_dir), so that a sweep in direction reads contiguous memory.
# ``g`` = [speed0, dspeed, speed_max, drel_dir, n_speed, n_rel_dir, n_incidence].
_M, _W, _AZ, _CC = 0, 1, 2, 3


@nb.njit(cache=True, fastmath=True, inline="always")
def _rel_node(phi, az, inv_step, top):
    """Node index and weight on the folded relative-direction axis (phi in [-180, 540))."""
    r = phi - az + 180.0
    if r < 0.0:
        r += 360.0
    if r >= 360.0:
        r -= 360.0
    if r > 180.0:
        r = 360.0 - r
    f = r * inv_step
    j = min(int(f), top)
    return j, f - j


@nb.njit(cache=True, fastmath=True)
def _cost(flat, g, v, phi, vw, ix, n):
    """Sum of w (m/s - 1)^2 over views, its gradient and Gauss-Newton Hessian in speed.

    The model sigma0 is trilinear in the table (speed, rel_dir, incidence); its speed
    derivative is the slope between the two bracketing speed planes.
    """
    nd, ni = int(g[5]), int(g[6])
    f = (v - g[0]) / g[1]
    i = min(max(int(f), 0), int(g[4]) - 2)
    a = f - i
    plane = nd * ni
    inv_ds, inv_dd = 1.0 / g[1], 1.0 / g[3]
    cost = 0.0
    grad = 0.0
    hess = 0.0
    for q in range(n):
        j, b = _rel_node(phi, vw[_AZ, q], inv_dd, nd - 2)
        c = vw[_CC, q]
        p = ix[q] + i * plane + j
        lo = (1 - c) * ((1 - b) * flat[p] + b * flat[p + 1]) + c * (
            (1 - b) * flat[p + nd] + b * flat[p + nd + 1])
        p += plane
        hi = (1 - c) * ((1 - b) * flat[p] + b * flat[p + 1]) + c * (
            (1 - b) * flat[p + nd] + b * flat[p + nd + 1])
        inv_s = 1.0 / max(lo + a * (hi - lo), 1e-12)
        m_s = vw[_M, q] * inv_s
        r = m_s - 1.0
        jac = -m_s * (hi - lo) * inv_s * inv_ds
        wr = vw[_W, q] * r
        cost += wr * r
        grad += wr * jac
        hess += vw[_W, q] * jac * jac
    return cost, grad, hess


@nb.njit(cache=True, fastmath=True)
def _speed_min(flat, g, v, phi, vw, ix, n, tol):
    """Gauss-Newton minimisation in speed from ``v`` (bounded, with one backtracking)."""
    cost, grad, hess = _cost(flat, g, v, phi, vw, ix, n)
    for _ in range(_GN_MAXIT):
        if hess <= 0.0:
            break
        step = min(max(-grad / hess, -0.5 * v), v + 1.0)
        vn = min(max(v + step, g[0]), g[2])
        cn, gn, hn = _cost(flat, g, vn, phi, vw, ix, n)
        if cn > cost:
            vn = 0.5 * (v + vn)
            cn, gn, hn = _cost(flat, g, vn, phi, vw, ix, n)
            if cn > cost:
                break
        done = abs(vn - v) < tol
        v, cost, grad, hess = vn, cn, gn, hn
        if done:
            break
    return v, cost


@nb.njit(cache=True)
def _scan_start(flat, g, scan, phi, vw, ix, n):
    """Best speed of a coarse scan (direction already set)."""
    best, vbest = np.inf, scan[0]
    for v in scan:
        cost = _cost(flat, g, v, phi, vw, ix, n)[0]
        if cost < best:
            best, vbest = cost, v
    return vbest


@nb.njit(cache=True, fastmath=True)
def _gn_step(flat, g, v, phi, vw, ix, n):
    """One Gauss-Newton step in speed from ``v``; returns the new speed and predicted cost.

    The cost after the step is predicted from the local quadratic model
    ``F + 2 grad dv + hess dv^2`` (one table pass instead of two).
    """
    cost, grad, hess = _cost(flat, g, v, phi, vw, ix, n)
    if hess <= 0.0:
        return v, cost
    step = min(max(-grad / hess, -0.5 * v), v + 1.0)
    vn = min(max(v + step, g[0]), g[2])
    dv = vn - v
    return vn, max(cost + 2.0 * grad * dv + hess * dv * dv, 0.0)


@nb.njit(cache=True)
def _direction_sweep(flat, g, scan, vw, ix, n, vs, fs):
    """Speed-minimised cost on the direction grid, by continuation in direction.

    The speed is converged at direction 0 (coarse scan then Gauss-Newton); every following
    direction takes one Gauss-Newton step from its neighbour's speed, which keeps it on the
    speed minimum as long as that moves smoothly with direction. These values only locate
    the minima; :func:`_polish` solves exactly around each.
    """
    nd = vs.size
    v = _scan_start(flat, g, scan, 0.0, vw, ix, n)
    v, fs[0] = _speed_min(flat, g, v, 0.0, vw, ix, n, _SWEEP_TOL)
    vs[0] = v
    for d in range(1, nd):
        v, fs[d] = _gn_step(flat, g, v, d * 360.0 / nd, vw, ix, n)
        vs[d] = v


@nb.njit(cache=True)
def _local_minima(fs, idx):
    """Indices of the cyclic local minima of ``fs``, lowest first, at most ``idx.size``."""
    nd = fs.size
    cand = np.empty(nd, np.int64)
    nc = 0
    for d in range(nd):
        if fs[d] <= fs[d - 1] and fs[d] < fs[(d + 1) % nd]:
            cand[nc] = d
            nc += 1
    if nc == 0:
        cand[0] = np.argmin(fs)
        nc = 1
    order = np.argsort(fs[cand[:nc]])
    k = min(nc, idx.size)
    for p in range(k):
        idx[p] = cand[order[p]]
    return k


@nb.njit(cache=True)
def _vertex(fm, f0, fp):
    """Offset (in steps, within [-1, 1]) of the vertex of the parabola through 3 points."""
    den = fm - 2.0 * f0 + fp
    if den <= 0.0:
        return 0.0
    return min(max(0.5 * (fm - fp) / den, -1.0), 1.0)


@nb.njit(cache=True)
def _solve_at(flat, g, phi, v, vw, ix, n):
    """Speed-minimised cost at direction ``phi``."""
    return _speed_min(flat, g, v, phi, vw, ix, n, _GN_TOL)


@nb.njit(cache=True)
def _refine(flat, g, phi, v, f, fm, fp, step, vw, ix, n):
    """One parabolic step in direction; keeps the input point unless the vertex is better."""
    phi_n = phi + step * _vertex(fm, f, fp)
    v_n, f_n = _solve_at(flat, g, phi_n, v, vw, ix, n)
    if f_n < f:
        return phi_n, v_n, f_n
    return phi, v, f


@nb.njit(cache=True)
def _polish(flat, g, d, vs, fs, vw, ix, n):
    """Refine the grid minimum ``d``: exact solve there, parabola on the grid, then +-0.5 deg."""
    nd = fs.size
    step = 360.0 / nd
    v, f = _solve_at(flat, g, d * step, vs[d], vw, ix, n)
    phi, v, f = _refine(flat, g, d * step, v, f, fs[d - 1], fs[(d + 1) % nd], step, vw, ix, n)
    h = 0.5
    fm = _solve_at(flat, g, phi - h, v, vw, ix, n)[1]
    fp = _solve_at(flat, g, phi + h, v, vw, ix, n)[1]
    phi, v, f = _refine(flat, g, phi, v, f, fm, fp, h, vw, ix, n)
    return phi % 360.0, v, f


@nb.njit(cache=True)
def invert_cells(flat, g, scan, VV, II, nv, min_views, out_v, out_d, out_f, out_n):
    """Ambiguities of every cell (first axis of VV, II); results in the out_* arrays."""
    vs = np.empty(_NDIR)
    fs = np.empty(_NDIR)
    idx = np.empty(out_v.shape[1], np.int64)
    for c in range(VV.shape[0]):
        n = nv[c]
        out_n[c] = 0
        if n < min_views:
            continue
        _direction_sweep(flat, g, scan, VV[c], II[c], n, vs, fs)
        k = _local_minima(fs, idx)
        for p in range(k):
            phi, v, f = _polish(flat, g, idx[p], vs, fs, VV[c], II[c], n)
            out_d[c, p], out_v[c, p], out_f[c, p] = phi, v, f / n
        out_n[c] = k
