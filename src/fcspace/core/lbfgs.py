r"""Limited-memory BFGS minimisation with a convergence report (no bounds).

The two-loop recursion of Nocedal (1980, Math. Comp. 35, 773-782; Nocedal & Wright 2006,
*Numerical Optimization*, 2nd ed., Algorithms 7.4 and 7.5) with the initial inverse Hessian
:math:`\gamma_k I`, :math:`\gamma_k = s^T y / y^T y` (N&W eq. 7.20), and a backtracking
line search from the unit step enforcing the sufficient-decrease (Armijo) condition, the step
cut by the minimiser of the quadratic through :math:`f(0), f'(0), f(\alpha)` safeguarded to
:math:`[0.1\alpha, 0.5\alpha]` (N&W sect. 3.5, eq. 3.57). A curvature pair with
:math:`s^T y \le 10^{-10}\, y^T y` is not stored, which keeps the inverse Hessian positive
definite on non-convex costs (N&W sect. 7.2, the skipping strategy of sect. 6.1).

Convergence (the first that holds): the relative cost decrease of one iteration
:math:`(f_k - f_{k+1}) / \max(|f_k|, |f_{k+1}|, 1) \le` ``ftol`` (the criterion of
L-BFGS-B, Byrd, Lu, Nocedal & Zhu 1995, SIAM J. Sci. Comput. 16(5), 1190-1208), or the
largest gradient component :math:`\le` ``gtol``. Reaching ``max_iterations`` is reported as
not converged. One job: this minimiser, for the fcspace variational analyses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["LbfgsResult", "minimize_lbfgs"]

CostFunction = Callable[[NDArray], tuple[float, NDArray]]


@dataclass
class LbfgsResult:
    """Outcome of :func:`minimize_lbfgs`.

    Attributes
    ----------
    x, fun, grad
        Final point, cost and gradient.
    cost_start
        Cost at the starting point.
    iterations, evaluations
        Accepted steps and cost evaluations.
    converged
        True when ``ftol`` or ``gtol`` was met (not the iteration cap, not a failed search).
    message
        Which criterion ended the run.
    history
        Cost after each accepted step (non-increasing: every step has sufficient decrease).
    """

    x: NDArray
    fun: float
    grad: NDArray
    cost_start: float
    iterations: int
    evaluations: int
    converged: bool
    message: str
    history: list[float]


class _Memory:
    """The last ``m`` curvature pairs and the two-loop product with the inverse Hessian."""

    def __init__(self, m: int, n: int) -> None:
        self.s = np.empty((m, n))
        self.y = np.empty((m, n))
        self.rho = np.empty(m)
        self.order: list[int] = []
        self.m = m

    def add(self, s: NDArray, y: NDArray) -> bool:
        sy, yy = float(s @ y), float(y @ y)
        if sy <= 1e-10 * yy or yy == 0.0:
            return False
        slot = self.order.pop(0) if len(self.order) == self.m else len(self.order)
        self.s[slot], self.y[slot], self.rho[slot] = s, y, 1.0 / sy
        self.order.append(slot)
        return True

    def direction(self, g: NDArray, scale0: float) -> NDArray:
        """:math:`-H_k g` by the two-loop recursion (N&W Algorithm 7.4)."""
        q = g.copy()
        alpha = {}
        for i in reversed(self.order):
            alpha[i] = self.rho[i] * float(self.s[i] @ q)
            q -= alpha[i] * self.y[i]
        if self.order:
            last = self.order[-1]
            scale0 = 1.0 / (self.rho[last] * float(self.y[last] @ self.y[last]))
        q *= scale0
        for i in self.order:
            beta = self.rho[i] * float(self.y[i] @ q)
            q += (alpha[i] - beta) * self.s[i]
        return -q


def _line_search(
    fun: CostFunction, x: NDArray, f: float, slope: float, d: NDArray, max_backtracks: int
) -> tuple[float, float, NDArray, int]:
    """Step length with sufficient decrease (c1 = 1e-4); returns alpha, f, g, evaluations."""
    alpha = 1.0
    for k in range(1, max_backtracks + 1):
        f_new, g_new = fun(x + alpha * d)
        if np.isfinite(f_new) and f_new <= f + 1e-4 * alpha * slope:
            return alpha, f_new, g_new, k
        denom = 2.0 * (f_new - f - slope * alpha)
        trial = -slope * alpha**2 / denom if np.isfinite(f_new) and denom > 0 else 0.5 * alpha
        alpha = min(max(trial, 0.1 * alpha), 0.5 * alpha)
    return 0.0, f, np.empty(0), max_backtracks


def minimize_lbfgs(
    fun: CostFunction,
    x0: NDArray,
    *,
    memory: int = 10,
    max_iterations: int = 500,
    ftol: float = 1e-6,
    gtol: float = 1e-5,
    initial_scale: float | None = None,
    max_backtracks: int = 30,
) -> LbfgsResult:
    r"""Minimise ``fun`` (returning cost and gradient) from ``x0`` by L-BFGS.

    Parameters
    ----------
    fun
        ``x -> (cost, gradient)``.
    x0
        Starting point (not modified).
    memory
        Curvature pairs kept (``m``).
    max_iterations
        Iteration cap; reaching it is reported as not converged.
    ftol, gtol
        Convergence tolerances (module docstring).
    initial_scale
        Inverse-Hessian scale of the first step (no pair stored yet); default
        :math:`1/\|g_0\|` (N&W sect. 7.2 leave the first step to the line search).
    max_backtracks
        Cost evaluations allowed per line search.
    """
    x = np.array(x0, dtype=float)
    f, g = fun(x)
    f0, nfev = float(f), 1
    mem = _Memory(memory, x.size)
    norm0 = float(np.linalg.norm(g))
    scale0 = initial_scale if initial_scale is not None else 1.0 / max(norm0, 1e-300)
    message, converged = "iteration cap reached", False
    history: list[float] = []
    for it in range(max_iterations + 1):
        if float(np.max(np.abs(g), initial=0.0)) <= gtol:
            message, converged = "gradient below gtol", True
            break
        if it == max_iterations:
            break
        d = mem.direction(g, scale0)
        slope = float(g @ d)
        if slope >= 0.0:  # not a descent direction: restart from the scaled gradient
            mem = _Memory(memory, x.size)
            d, slope = -scale0 * g, -scale0 * float(g @ g)
        alpha, f_new, g_new, k = _line_search(fun, x, f, slope, d, max_backtracks)
        nfev += k
        if alpha == 0.0:
            message = "line search found no decrease"
            break
        step = alpha * d
        mem.add(step, g_new - g)
        decrease = (f - f_new) / max(abs(f), abs(f_new), 1.0)
        x, f, g = x + step, f_new, g_new
        history.append(float(f))
        if decrease <= ftol:
            message, converged = "relative cost decrease below ftol", True
            it += 1
            break
    return LbfgsResult(x, float(f), g, f0, it, nfev, converged, message, history)
