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

import numpy as np
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


def _expm_nonnegative(m: NDArray[np.float64], t: NDArray[np.float64]) -> NDArray[np.float64]:
    """``exp(M t)`` for each ``t`` (shape ``t.shape + (n, n)``), entrywise accurate [XueYe2013]."""
    n = m.shape[0]
    rate = float(np.max(-np.diag(m), initial=0.0))
    with np.errstate(divide="ignore"):
        s = np.ceil(np.log2(np.maximum(rate * t, 1e-300) / _THETA))
    s = np.clip(s, 0, None).astype(int)
    h = t / np.exp2(s)  # scaled times
    c = rate * h  # shift making W + cI non-negative
    b = m[None] * h[:, None, None] + c[:, None, None] * np.eye(n)[None]
    np.clip(b, 0.0, None, out=b)  # remove -0.0/rounding residue on the shifted diagonal
    eye = np.broadcast_to(np.eye(n), b.shape)
    p = eye.copy()
    for k in range(n + _EXTRA_TERMS, 0, -1):  # Horner: I + B/k (I + B/(k+1) (...))
        p = eye + (b @ p) / k
    p *= np.exp(-c)[:, None, None]
    diag = np.arange(n)
    lam = -np.diag(m)
    p[:, diag, diag] = np.exp(-np.outer(h, lam))
    for step in range(int(s.max(initial=0))):
        todo = s > step
        p[todo] = p[todo] @ p[todo]
        # the diagonal exp(-lambda_i h 2**k) is known: set it exactly, else its relative
        # error doubles at every squaring and spreads to every entry
        p[:, diag, diag] = np.exp(-np.outer(h * np.exp2(np.minimum(step + 1, s)), lam))
    return p


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


def atoms(
    initial: Mapping[str, float], t: ArrayLike, table: Mapping[str, Nuclide] = NUCLIDES
) -> dict[str, NDArray[np.float64] | float]:
    """Numbers of atoms of every nuclide of the chain at times ``t`` (s) ([Bateman1910]).

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
    times = _check_times(t)
    names = chain(initial, table)
    _, m = decay_matrix(names, table)
    n0 = np.array([float(initial.get(name, 0.0)) for name in names])
    e = _expm_nonnegative(m, times.ravel())
    n = (e @ n0).reshape(times.shape + (len(names),))
    return {name: _out(n[..., k]) for k, name in enumerate(names)}


def activities(
    initial: Mapping[str, float], t: ArrayLike, table: Mapping[str, Nuclide] = NUCLIDES
) -> dict[str, NDArray[np.float64] | float]:
    """Activities (Bq) of every nuclide of the chain at times ``t`` (s) ([Bateman1910]).

    ``A_i = lambda_i N_i`` with ``N(t) = exp(M t) N(0)`` computed entrywise accurately
    ([XueYe2013]; see the module docstring): relative accuracy ~1e-13 from 1 s to 1e9 years,
    for half-lives from 0.29 us (Po-212) to 14 Gy (Th-232).

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
    n = atoms(n0, t, table)
    return {name: table[name].decay_constant * n[name] for name in n}


def _out(x: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(x) if x.ndim == 0 else x
