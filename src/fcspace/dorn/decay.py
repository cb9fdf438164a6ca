"""Radioactive decay of any sub-chain of the natural series: the Bateman solution.

For atom numbers ``N`` of the nuclides of a chain, ``dN/dt = M N`` with ``M_ii = -lambda_i`` and
``M_ji = b_ij lambda_i`` for a branch ``i -> j`` of fraction ``b_ij`` ([Bateman1910]). The
solution is ``N(t) = exp(M t) N(0)``. Half-lives span 0.29 us (Po-212) to 14 Gy (Th-232), so
``lambda t`` spans more than 22 decades; the classic sum-of-exponentials form cancels
catastrophically at short times and for near-equal constants, and a generic ``expm`` is
accurate only relative to the matrix norm, which loses the small entries that matter here
(the atom number of Po-214 is 1e-21 of that of U-238 at equilibrium, yet its activity equals).

We use the fact that ``M`` is essentially non-negative (off-diagonal entries >= 0) and follow
[XueYe2013]: with ``W = M t / 2**s`` and ``c = max_i lambda_i t / 2**s <= 1/2``, the matrix
``W + c I`` is non-negative, ``exp(W) = exp(-c) exp(W + c I)`` is summed as a Taylor series of
non-negative terms, and the result is squared ``s`` times. Every operation adds or multiplies
non-negative numbers, so each entry of ``exp(M t)`` is obtained to a relative accuracy of a
few ``s * n`` machine epsilons, whatever its size (no cancellation anywhere). Near-equal or
equal constants need no special care. The Taylor series is truncated ``_EXTRA_TERMS`` terms
beyond the chain length, which bounds the relative truncation error of every entry by
``c**k / k!`` < 1e-18 (an entry linking nuclides ``L`` steps apart starts at the ``L``-th
power of ``W``).

Speed: the chain, its decay constants and ``M`` are built once per nuclide tuple and table
(cached), and the exponential is a compiled loop over the lower-triangular ``M`` (parents
before daughters: ``n^3 / 6`` multiply-adds per product), so a scalar call costs one small
exponential. We do not use the eigen-decomposition of ``M`` (the classic Bateman
coefficients, as radioactivedecay's float solver does): it sums exponentials of mixed signs,
and for 1 Bq of Rn-222 that solver is off by 2e-6 (relative) at 1 h and by a factor ~6e3 at
1 min on the smallest activities, measured against its exact SymPy mode (``InventoryHP``),
where this solver stays within 2e-15 (``benchmarks/peer_rows/decay.py``).

Sources
-------
- [Bateman1910] Bateman, H. (1910). Solution of a system of differential equations occurring
  in the theory of radioactive transformations. Proc. Cambridge Phil. Soc. 15, 423-427.
- [XueYe2013] Xue, J., Ye, Q. (2013). Computing exponentials of essentially non-negative
  matrices entrywise to high relative accuracy. Math. Comp. 82, 1577-1596.
- [Moler2003] Moler, C., Van Loan, C. (2003). Nineteen dubious ways to compute the exponential
  of a matrix, twenty-five years later. SIAM Review 45, 3-49 (scaling and squaring).
- Nuclear data: fcspace.dorn.nuclides ([NuDat3]/ENSDF).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.dorn.nuclides import NUCLIDES, Nuclide

__all__ = ["activities", "atoms", "chain", "decay_matrix"]

_THETA = 0.5  # largest lambda t / 2**s summed by the Taylor series
_EXTRA_TERMS = 18  # Taylor terms beyond the chain length: 0.5**18 / 18! ~ 6e-22


def chain(names: Iterable[str], table: Mapping[str, Nuclide] = NUCLIDES) -> tuple[str, ...]:
    """All nuclides reached from ``names`` (themselves included), parents before daughters.

    Raises
    ------
    InputError
        If a name is not in the table or a branch leads to a nuclide the table lacks.
    """
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:  # depth-first post-order, then reversed: topological
        if name in seen:
            return
        if name not in table:
            raise InputError(f"unknown nuclide {name!r}", variable=name)
        seen.add(name)
        for branch in table[name].branches:
            visit(branch.daughter)
        order.append(name)

    for name in names:
        visit(name)
    return tuple(reversed(order))


def decay_matrix(
    names: tuple[str, ...], table: Mapping[str, Nuclide] = NUCLIDES
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Decay constants (1/s) and the matrix ``M`` of ``dN/dt = M N`` for ``names`` in order.

    ``M_ii = -lambda_i``, ``M_ji = b_ij lambda_i`` ([Bateman1910]). ``names`` must be closed
    under decay (as returned by :func:`chain`).
    """
    index = {name: k for k, name in enumerate(names)}
    lam = np.array([table[name].decay_constant for name in names])
    m = np.diag(-lam)
    for i, name in enumerate(names):
        for branch in table[name].branches:
            m[index[branch.daughter], i] += branch.fraction * lam[i]
    return lam, m


@njit(cache=True)
def _tri_matmul(
    a: NDArray, b: NDArray, out: NDArray, scale: float, diag: float
) -> None:  # pragma: no cover - compiled
    """``out = scale (a @ b) + diag I`` for lower-triangular ``a``, ``b`` (n^3 / 6 products)."""
    n = a.shape[0]
    for i in range(n):  # row i of out accumulates a[i, k] * row k of b (contiguous, k <= i)
        for j in range(i + 1):
            out[i, j] = 0.0
        for k in range(i + 1):
            aik = a[i, k]
            for j in range(k + 1):
                out[i, j] += aik * b[k, j]
        for j in range(i + 1):
            out[i, j] *= scale
        out[i, i] += diag


@njit(cache=True)
def _expm_one(
    m: NDArray, lam: NDArray, rate: float, t: float, extra: int, theta: float,
    b: NDArray, p: NDArray, q: NDArray,
) -> NDArray:  # pragma: no cover - compiled  # fmt: skip
    """``exp(M t)`` for lower-triangular ``M`` ([XueYe2013]), in ``p`` or ``q`` (returned).

    Scaling ``s`` with ``c = max(lambda) t / 2**s <= theta``; Horner sum of the Taylor series
    of the non-negative ``B = M t / 2**s + c I`` (``n + extra`` terms) times ``exp(-c)``;
    exact diagonal; ``s`` squarings with the diagonal reset to ``exp(-lambda_i t 2**(k-s))``
    (known exactly: else its relative error doubles at every squaring and spreads to every
    entry). ``b``, ``p``, ``q``: (n, n) workspaces.
    """
    n = m.shape[0]
    s = 0
    if rate * t > theta:
        s = int(np.ceil(np.log2(rate * t / theta)))
    h = t / 2.0**s
    c = rate * h
    for i in range(n):
        for j in range(i + 1):
            b[i, j] = max(m[i, j] * h + (c if i == j else 0.0), 0.0)
            p[i, j] = 1.0 if i == j else 0.0
    for k in range(n + extra, 0, -1):  # Horner: I + B/k (I + B/(k+1) (...))
        _tri_matmul(b, p, q, 1.0 / k, 1.0)
        p, q = q, p
    ec = np.exp(-c)
    for i in range(n):
        for j in range(i):
            p[i, j] *= ec
        p[i, i] = np.exp(-lam[i] * h)
    for step in range(s):
        _tri_matmul(p, p, q, 1.0, 0.0)
        hk = h * 2.0 ** (step + 1)
        for i in range(n):
            q[i, i] = np.exp(-lam[i] * hk)
        p, q = q, p
    return p


@njit(cache=True)
def _propagate(
    m: NDArray, lam: NDArray, times: NDArray, n0: NDArray, extra: int, theta: float
) -> NDArray:  # pragma: no cover - compiled
    """``exp(M t) N0`` for each ``t`` (rows of the result), ``M`` lower triangular."""
    n = m.shape[0]
    rate = 0.0
    for i in range(n):
        rate = max(rate, lam[i])
    out = np.zeros((times.size, n))
    b = np.zeros((n, n))
    p = np.zeros((n, n))
    q = np.zeros((n, n))
    for it in range(times.size):
        e = _expm_one(m, lam, rate, times[it], extra, theta, b, p, q)
        for i in range(n):
            acc = 0.0
            for j in range(i + 1):
                acc += e[i, j] * n0[j]
            out[it, i] = acc
    return out


def _check_times(t: ArrayLike) -> NDArray[np.float64]:
    times = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(times)) or np.any(times < 0):
        raise InputError("times must be finite and >= 0 s", variable="t")
    return times


def _check_amounts(initial: Mapping[str, float], what: str) -> None:
    if not initial:
        raise InputError(f"no initial {what} given")
    for name, value in initial.items():
        v = float(value)
        if not math.isfinite(v) or v < 0:
            raise InputError(f"initial {what} must be finite and >= 0, got {v}", variable=name)


class _Chain(NamedTuple):
    """A solved-once chain: its table, rows, names, decay constants, matrix and index."""

    table: Mapping[str, Nuclide]
    rows: tuple[Nuclide, ...]
    names: tuple[str, ...]
    lam: NDArray[np.float64]
    m: NDArray[np.float64]
    index: dict[str, int]


_CHAINS: dict[tuple[tuple[str, ...], int], _Chain] = {}
_CHAIN_CACHE_SIZE = 64


def _cached_chain(keys: tuple[str, ...], table: Mapping[str, Nuclide]) -> _Chain:
    """Chain, decay constants and matrix of the nuclides ``keys``, built once per table.

    The cache is keyed by the nuclide tuple and the table object; a hit is used only while
    the table still holds the very same (frozen) rows for every member of the chain.
    """
    key = (keys, id(table))
    hit = _CHAINS.get(key)
    if hit is not None and hit.table is table:
        if all(table.get(n) is r for n, r in zip(hit.names, hit.rows, strict=True)):
            return hit
    names = chain(keys, table)
    lam, m = decay_matrix(names, table)
    entry = _Chain(table, tuple(table[n] for n in names), names, lam, m,
                   {n: k for k, n in enumerate(names)})  # fmt: skip
    if len(_CHAINS) >= _CHAIN_CACHE_SIZE:
        _CHAINS.pop(next(iter(_CHAINS)))
    _CHAINS[key] = entry
    return entry


def _solve(
    n0: Mapping[str, float], t: ArrayLike, table: Mapping[str, Nuclide]
) -> tuple[_Chain, NDArray[np.float64], tuple[int, ...]]:
    """Cached chain of ``n0``, atoms ``(T, n)`` at the flattened times, and the times' shape."""
    times = _check_times(t)
    ch = _cached_chain(tuple(n0), table)
    start = np.zeros(len(ch.names))
    for name, value in n0.items():
        start[ch.index[name]] = value
    n = _propagate(ch.m, ch.lam, times.reshape(-1), start, _EXTRA_TERMS, _THETA)
    return ch, n, times.shape


def _result(
    names: tuple[str, ...], values: NDArray[np.float64], shape: tuple[int, ...]
) -> dict[str, NDArray[np.float64] | float]:
    """Name -> float (scalar time) or array of the times' shape."""
    if not shape:
        return dict(zip(names, values[0].tolist(), strict=True))
    out = values.reshape(shape + (len(names),))
    return {name: out[..., k] for k, name in enumerate(names)}


def atoms(
    initial: Mapping[str, float], t: ArrayLike, table: Mapping[str, Nuclide] = NUCLIDES
) -> dict[str, NDArray[np.float64] | float]:
    """Numbers of atoms of every nuclide of the chain at times ``t`` (s) ([Bateman1910]).

    The chain and its matrix are built once per nuclide tuple and table (cached); each time
    is then one compiled, entrywise-accurate matrix exponential ([XueYe2013]).

    Parameters
    ----------
    initial
        Initial numbers of atoms by nuclide name (stable nuclides allowed).
    t
        Time(s) in s, scalar or array, >= 0.
    table
        Nuclear data (default :data:`fcspace.dorn.nuclides.NUCLIDES`).

    Returns
    -------
    dict
        Nuclide name -> atoms, a float for scalar ``t`` else an array of ``t``'s shape.
    """
    _check_amounts(initial, "atom number")
    ch, n, shape = _solve({k: float(v) for k, v in initial.items()}, t, table)
    return _result(ch.names, n, shape)


def activities(
    initial: Mapping[str, float], t: ArrayLike, table: Mapping[str, Nuclide] = NUCLIDES
) -> dict[str, NDArray[np.float64] | float]:
    """Activities (Bq) of every nuclide of the chain at times ``t`` (s) ([Bateman1910]).

    ``A_i = lambda_i N_i`` with ``N(t) = exp(M t) N(0)`` computed entrywise accurately
    ([XueYe2013]; see the module docstring): relative accuracy ~1e-13 from 1 s to 1e9 years,
    for half-lives from 0.29 us (Po-212) to 14 Gy (Th-232). The chain and its matrix are
    cached per nuclide tuple and table, so repeated scalar calls cost one compiled
    exponential each.

    Parameters
    ----------
    initial
        Initial activities in Bq by nuclide name, e.g. ``{"Rn-222": 1.0}``.
    t
        Time(s) in s, scalar or array, >= 0.
    table
        Nuclear data (default :data:`fcspace.dorn.nuclides.NUCLIDES`).

    Returns
    -------
    dict
        Every nuclide of the chain (branches and stable end products, at 0 Bq, included) ->
        activity in Bq, a float for scalar ``t`` else an array of ``t``'s shape.

    Raises
    ------
    InputError
        Unknown nuclide; negative, infinite or NaN activity or time; a stable nuclide given
        a non-zero activity.
    """
    _check_amounts(initial, "activity")
    n0: dict[str, float] = {}
    for name, value in initial.items():
        if name not in table:
            raise InputError(f"unknown nuclide {name!r}", variable=name)
        lam = table[name].decay_constant
        if lam == 0.0 and float(value) != 0.0:
            raise InputError("a stable nuclide has no activity", variable=name)
        n0[name] = 0.0 if lam == 0.0 else float(value) / lam
    ch, n, shape = _solve(n0, t, table)
    return _result(ch.names, n * ch.lam, shape)
