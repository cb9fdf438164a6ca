r"""2DVAR analysis of scatterometer ambiguities: the annealed minimisation and its report.

Minimises, in the control space :math:`\delta x = B^{1/2} \xi` of the background error
covariance built from stream function and velocity potential,

.. math::

    J(\xi) = \xi^T \xi + \sum_{\text{cells}} J_o,\qquad
    J_o = -2 \ln \sum_i p_i \exp\left(-\tfrac12
          \frac{(u - u_i)^2 + (v - v_i)^2}{\varepsilon_o^2}\right),

by L-BFGS (:func:`fcspace.core.lbfgs.minimize_lbfgs`) with the analytical gradient, once per
annealing factor (:class:`TwoDVarSettings`), each pass run to convergence (relative cost
decrease per iteration below ``ftol``) and reported (:class:`TwoDVarResult`). The operators
(:math:`B^{1/2}` on the kept Fourier modes, the mixture cost) are in
:mod:`fcspace.cfosat.scat.twodvar_ops`.

Method and sources: Vogelzang (2007, updated 2009), *Two-dimensional variational ambiguity
removal (2DVAR)*, NWP SAF report NWPSAF-KN-TR-004; de Vries, Stoffelen & Beysens (2005),
NWP SAF report NWPSAF-KN-TR-001; Vogelzang et al. (2009), J. Atmos. Oceanic Technol. 26(7),
1229-1245; Stoffelen & Anderson (1997), Q. J. R. Meteorol. Soc. 123, 491-518. The annealing
stands in for the multiple solution scheme (MSS) of Portabella & Stoffelen (2004, Q. J. R.
Meteorol. Soc. 130, 127-152), which needs the sigma0 values an L2B does not hold.

Preconditioning: with an observation at a fraction :math:`f` of the grid cells, each with
weight :math:`1/\varepsilon_o^2`, the Gauss-Newton Hessian of :math:`J` in this control space
is close to the diagonal :math:`2(1 + f |m_k|^2 / \varepsilon_o^2)`, :math:`|m_k|^2` the
wind variance that control mode :math:`k` carries (exactly diagonal for homogeneous
observations, since the modes are orthonormal Fourier modes). Each pass minimises over
:math:`\eta = D^{1/2}\xi` with that diagonal (a change of variables, Nocedal & Wright 2006,
*Numerical Optimization*, sect. 5.1 and 7.2), which keeps the conditioning of the late
passes (:math:`\varepsilon_o` down to 0.15 m/s) from growing as :math:`1/\varepsilon_o^2`;
the minimum is unchanged. The selection of one ambiguity from the analysis is in
:mod:`fcspace.cfosat.scat.ambiguity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import fft as sfft

from fcspace.cfosat.scat.twodvar_ops import Observations, SpectralSqrtB, cost_and_gradient
from fcspace.core.lbfgs import minimize_lbfgs
from fcspace.core.threads import limited_threads


@dataclass(frozen=True)
class TwoDVarSettings:
    r"""Parameters of the 2DVAR error model and minimisation.

    Attributes
    ----------
    background_error
        Standard deviation of each background wind component error, m/s. KNMI default
        2.0 m/s (Vogelzang & Stoffelen, IOVWST 2017; Vogelzang et al. 2009).
    observation_error
        Standard deviation :math:`\varepsilon_o` of each observed wind component, m/s.
        KNMI default 1.8 m/s (same sources).
    correlation_length
        Length :math:`L` of the Gaussian correlation :math:`\exp(-r^2 / 2L^2)` of the stream
        function and velocity potential errors, m. KNMI's default Gaussian is 300 km wide
        outside the tropics (600 km in the tropics) (Vogelzang & Stoffelen, IOVWST 2017);
        with :math:`L` = 150 km the full width at :math:`e^{-1/2}` is 300 km, and the
        empirical error correlations of Vogelzang & Stoffelen (2012, IEEE TGRS 50(7),
        2932-2942) show most added detail at 100-250 km scales.
    divergence_ratio
        :math:`\nu`, ratio of the velocity potential to the stream function error standard
        deviation (divergent to rotational wind error amplitude). Synoptic-scale background
        errors are mostly rotational (Daley 1991, *Atmospheric Data Analysis*, ch. 5);
        0.5 puts 20 % of the error variance in the divergent part.
    annealing
        Factors applied to ``observation_error`` in successive minimisations, each started
        from the previous analysis (deterministic annealing, Rose 1998, Proc. IEEE 86(11),
        2210-2239): the first pass with the KNMI error finds the broad, smooth solution; the
        later passes sharpen the ambiguity mixture so that the analysis follows the locally
        most consistent ambiguity, as the MSS analysis does operationally (Vogelzang et al.
        2009). The default ends at 0.08 × 1.8 ≈ 0.15 m/s; on orbit 15259 three passes give
        93.2 % agreement, five 94.6 % (direction-only selection), one only 85 %.
    selection_speed_weight
        Degrees of direction difference that one m/s of speed difference counts as when the
        ambiguity closest to the analysis is chosen (:func:`closest_in_direction`). Selection
        is by direction, as in the NSCAT 2DVAR of Hoffman et al. (2003, J. Atmos. Oceanic
        Technol. 20(5), 585-605); the small speed term only separates ambiguities of nearly
        the same direction, which the fan-beam inversion often returns (25 % of the
        differences on orbit 15259 are between ambiguities of identical direction).
        0.5-2 deg/(m/s) all give 95.2-95.3 %.
    cell_size
        Grid spacing of the swath grid, m (25 km for the CFOSat SCAT L2B product).
    probability_scale
        :math:`\lambda` in the a-priori ambiguity probability
        :math:`p_i \propto \exp(-\mathrm{MLE}_i / \lambda)` used when ``ambiguity_prob``
        is absent; 2 is the Gaussian likelihood of a normalised MLE (Stoffelen & Anderson
        1997; Portabella & Stoffelen 2004). The default, infinity, treats the ambiguities as
        equally likely: in the NSOAS L2B the stored MLE is not ordered like the ambiguities
        and its minimum matches the operational choice in only 43 % of the cells, and using
        it lowers the agreement with the operational selection (0.930 with
        :math:`\lambda` = 20 against 0.932 without).
    padding
        Cells added on every side of the swath before the FFT, in units of
        ``correlation_length``.
    max_iterations
        Iteration cap of each pass; a pass that reaches it is reported as not converged
        (on orbit 15259 no pass needs more than about a third of it).
    ftol
        Convergence: relative cost decrease of one iteration,
        :math:`(J_k - J_{k+1})/J_{k+1}`. At 1e-6 the final cost of each pass on orbit 15259
        is within about 1e-4 of its value at 1e-12 and the selection agrees with it.
    gtol
        Convergence: largest gradient component.
    memory
        L-BFGS curvature pairs.
    spectral_cutoff
        Smallest Gaussian spectral amplitude :math:`G(k)` kept as a control mode
        (:class:`~fcspace.cfosat.scat.twodvar_ops.SpectralSqrtB`).
    """

    background_error: float = 2.0
    observation_error: float = 1.8
    correlation_length: float = 150e3
    divergence_ratio: float = 0.5
    cell_size: float = 25e3
    probability_scale: float = float("inf")
    padding: float = 2.0
    max_iterations: int = 600
    ftol: float = 1e-6
    gtol: float = 1e-5
    memory: int = 10
    spectral_cutoff: float = 1e-6
    annealing: tuple[float, ...] = (1.0, 0.5, 0.28, 0.15, 0.08)
    selection_speed_weight: float = 1.0


@dataclass
class TwoDVarResult:
    """Analysis wind and the convergence report of each annealing pass.

    Attributes
    ----------
    u, v
        Analysis components (numrows, numcells), m/s.
    passes
        One dict per pass: ``observation_error`` (m/s), ``iterations``, ``evaluations``,
        ``cost_start``, ``cost_end``, ``relative_decrease`` (``1 - cost_end / cost_start``),
        ``converged`` and ``stop`` (the criterion that ended the pass).
    control_size
        Number of real control variables.
    histories
        Cost after each iteration, one list per pass (not in :meth:`report`).
    """

    u: NDArray
    v: NDArray
    passes: list[dict[str, Any]] = field(default_factory=list)
    control_size: int = 0
    histories: list[list[float]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """JSON-ready summary: passes, total iterations, whether every pass converged."""
        return {
            "passes": self.passes,
            "iterations": int(sum(p["iterations"] for p in self.passes)),
            "evaluations": int(sum(p["evaluations"] for p in self.passes)),
            "all_converged": all(p["converged"] for p in self.passes),
            "control_size": self.control_size,
        }


def _padded_shape(shape: tuple[int, int], s: TwoDVarSettings) -> tuple[int, int]:
    pad = int(np.ceil(s.padding * s.correlation_length / s.cell_size))
    return tuple(sfft.next_fast_len(n + 2 * pad, real=True) for n in shape)  # type: ignore[return-value]


def _observations(
    ua: NDArray, va: NDArray, prob: NDArray, ub: NDArray, vb: NDArray
) -> Observations:
    """Observed cells (column-major flat index into the swath) with valid ambiguities first."""
    ua, va, prob = (np.swapaxes(a, 0, 1) for a in (ua, va, prob))
    ub, vb = ub.T, vb.T
    valid = np.isfinite(ua) & np.isfinite(va) & (prob > 0)
    observed = valid.any(axis=-1) & np.isfinite(ub) & np.isfinite(vb)
    order = np.argsort(~valid[observed], axis=-1, kind="stable")
    ok = np.take_along_axis(valid[observed], order, -1)

    def pick(a: NDArray) -> NDArray:
        return np.ascontiguousarray(np.take_along_axis(a[observed], order, -1))

    with np.errstate(divide="ignore"):
        logp = np.where(ok, np.log(np.where(ok, pick(prob), 1.0)), -np.inf)
    return Observations(
        flat_index=np.flatnonzero(observed),
        ua=np.where(ok, pick(ua), 0.0),
        va=np.where(ok, pick(va), 0.0),
        logp=logp,
        count=ok.sum(axis=-1).astype(np.int64),
        ub=ub[observed],
        vb=vb[observed],
        eps2=1.0,
    )


def _minimise_pass(
    xi: NDArray, sqrt_b: SpectralSqrtB, obs: Observations, mode_var: NDArray, fraction: float,
    s: TwoDVarSettings,
) -> tuple[NDArray, dict[str, Any], list[float]]:
    """One annealing pass, preconditioned (module docstring): xi, its report, cost history."""
    d = np.sqrt(1.0 + fraction * mode_var / obs.eps2)

    def fun(eta: NDArray) -> tuple[float, NDArray]:
        cost, grad = cost_and_gradient(eta / d, sqrt_b, obs)
        return cost, grad / d

    res = minimize_lbfgs(
        fun, xi * d, memory=s.memory, max_iterations=s.max_iterations, ftol=s.ftol,
        gtol=s.gtol, initial_scale=0.5,
    )  # fmt: skip
    report = {
        "observation_error": round(float(np.sqrt(obs.eps2)), 4),
        "iterations": res.iterations,
        "evaluations": res.evaluations,
        "cost_start": round(res.cost_start, 3),
        "cost_end": round(res.fun, 3),
        "relative_decrease": float(1.0 - res.fun / res.cost_start) if res.cost_start else 0.0,
        "converged": res.converged,
        "stop": res.message,
    }
    return res.x / d, report, res.history


def two_dvar_solve(
    ua: NDArray,
    va: NDArray,
    prob: NDArray,
    ub: NDArray,
    vb: NDArray,
    settings: TwoDVarSettings | None = None,
) -> TwoDVarResult:
    r"""2DVAR analysis wind on the swath grid from ambiguities and a background, with report.

    Minimises :math:`J = \xi^T\xi + \sum J_o` (module docstring; Vogelzang 2007,
    NWPSAF-KN-TR-004, :math:`J_b` in spectral control space and the ambiguity-mixture
    :math:`J_o`) by preconditioned L-BFGS from :math:`\xi = 0` (the background), once per
    factor in ``settings.annealing`` (the observation error times that factor), each pass
    starting from the previous minimum and run to convergence. BLAS pools are held to one
    thread meanwhile (:func:`fcspace.core.threads.limited_threads`).

    Parameters
    ----------
    ua, va
        Ambiguity components (numrows, numcells, numambigs), m/s; NaN where absent.
    prob
        A-priori ambiguity probabilities, same shape (0 where absent).
    ub, vb
        Background components (numrows, numcells), m/s; must be finite wherever a cell has
        an ambiguity.
    settings
        Error model and minimisation parameters.

    Returns
    -------
    TwoDVarResult
        Analysis (u, v) and the per-pass convergence report.
    """
    s = settings or TwoDVarSettings()
    shape = _padded_shape(ub.shape, s)
    r0 = (shape[0] - ub.shape[0]) // 2
    c0 = (shape[1] - ub.shape[1]) // 2
    sqrt_b = SpectralSqrtB(
        shape, s.cell_size, s.correlation_length, s.background_error, s.divergence_ratio,
        s.spectral_cutoff,
    )  # fmt: skip
    sqrt_b.set_window(r0, r0 + ub.shape[0], c0, c0 + ub.shape[1])
    obs = _observations(ua, va, prob, ub, vb)
    m2 = np.abs(sqrt_b.m) ** 2
    psi, chi = m2[0, 0] + m2[1, 0], m2[0, 1] + m2[1, 1]
    mode_var = np.concatenate([psi, psi, chi, chi])
    fraction = obs.flat_index.size / (shape[0] * shape[1])
    xi = np.zeros(sqrt_b.size)
    result = TwoDVarResult(ub, vb, control_size=sqrt_b.size)
    if obs.flat_index.size == 0:
        return result
    with limited_threads(1):
        for factor in s.annealing:
            obs.eps2 = (factor * s.observation_error) ** 2
            xi, report, history = _minimise_pass(xi, sqrt_b, obs, mode_var, fraction, s)
            result.passes.append(report)
            result.histories.append(history)
        inc = sqrt_b.forward(xi)
    result.u, result.v = ub + inc[0], vb + inc[1]
    return result


def two_dvar_analysis(
    ua: NDArray,
    va: NDArray,
    prob: NDArray,
    ub: NDArray,
    vb: NDArray,
    settings: TwoDVarSettings | None = None,
) -> tuple[NDArray, NDArray]:
    """2DVAR analysis wind (u, v) on the swath grid; :func:`two_dvar_solve` without report."""
    res = two_dvar_solve(ua, va, prob, ub, vb, settings)
    return res.u, res.v
