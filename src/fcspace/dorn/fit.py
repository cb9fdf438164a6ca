"""Poisson maximum-likelihood fit of a DORN spectrum: line activities, calibration, limits.

Model: ``mu_i(theta) = T [sum_j a_j R_ij(g, o) + b_soft S_i + b_flat F_i]`` (fcspace.dorn.spectrum),
parameters ``theta = (a_1..a_9, b_soft, b_flat, g[, o])``. The energy scale is set by the
Po-209 source peak (always present, known energy) together with the other lines; the gain
starts from the temperature model of the instrument and a centroid of the Po-209 peak, and
the offset is fixed at its ground value unless ``fit_offset``.

The log-likelihood ``sum_i n_i ln mu_i - mu_i`` is maximised by Fisher scoring (Gauss-Newton
on the Poisson deviance, [Baker1984]): ``theta += (I + lambda D)^-1 J^T (n/mu - 1)`` with the
Jacobian ``J = d mu / d theta`` (analytic, fcspace.dorn.detector), the Fisher information
``I = J^T diag(1/mu) J`` and a Levenberg-Marquardt damping ``lambda D`` (``D = diag I``,
[More1978]) raised until the trial keeps ``mu > 0`` in every channel and does not lower the
likelihood, lowered after each accepted step. Activities may come out negative (an unbiased
estimator of a weak line must be allowed to): they are not clipped, only ``mu > 0`` is
enforced. In a short spectrum the maximum of a weak line then often lies on that boundary
(``mu -> 0`` in a channel with no counts): the iteration approaches it geometrically, so
convergence is declared on the change of the deviance (< 1e-3) together with every
parameter step below 1e-3 of its sigma, not on a vanishing gradient.

The covariance is the inverse of the *expected* information evaluated at the nearest
physical parameters (activities clipped at 0 for this purpose only, the estimate keeps its
sign) with ``mu`` floored at 10 % of the nominal background per channel. For positive fitted
activities (every strong line) this is exactly ``I^-1`` at the optimum; for a weak line fitted
negative it avoids the information at the boundary (``1/mu -> inf``), which would collapse
the sigma of that line to nothing and its interval would not cover.

Detection limits follow [Currie1968] for a paired blank: in the region of interest of line
``j`` (channels holding >= 5 % of its peak channel), ``B`` counts from everything else
fitted; ``L_C = 2.33 sqrt(B)``, ``L_D = 2.71 + 4.65 sqrt(B)`` counts, divided by the line's
counts per unit activity in that region.

Sources
-------
- [Baker1984] Baker, S., Cousins, R. D. (1984). Clarification of the use of chi-square and
  likelihood functions in fits to histograms. Nucl. Instrum. Methods 221, 437-442.
- [Currie1968] Currie, L. A. (1968). Limits for qualitative detection and quantitative
  determination. Anal. Chem. 40, 586-593.
- [More1978] More, J. J. (1978). The Levenberg-Marquardt algorithm: implementation and
  theory. Lecture Notes in Mathematics 630, 105-116.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr
from scipy.optimize import nnls

from fcspace.core.errors import InputError
from fcspace.dorn.detector import CALIBRATION, LINES, background_rates, line_responses
from fcspace.dorn.instrument import DORN, DornInstrument
from fcspace.dorn.nuclides import alpha_lines

__all__ = ["fit_spectrum"]

_MAX_ITER = 60
_TOL_DEVIANCE = 1e-3  # change of the deviance at convergence (0.03 sigma along the worst direction)
_TOL_STEP = 1e-3  # parameter step at convergence, in units of its sigma
_MU_FLOOR = 0.1  # information floor: fraction of the nominal background per channel
_ROI_FRACTION = 0.05


def _counts(ds: xr.Dataset, instrument: DornInstrument) -> tuple[np.ndarray, float]:
    if "counts" not in ds:
        raise InputError("spectrum has no 'counts' variable", variable="counts")
    n = np.asarray(ds["counts"].values, dtype=float)
    if n.ndim != 1 or n.size != instrument.n_channels:
        raise InputError(
            f"expected {instrument.n_channels} channels, got shape {n.shape}", variable="counts"
        )
    if not np.all(np.isfinite(n)) or np.any(n < 0):
        raise InputError("counts must be finite and >= 0", variable="counts")
    live = _attr_number(ds, "live_time_s", float("nan"))
    if not (math.isfinite(live) and live > 0):
        raise InputError("attribute live_time_s must be > 0", variable="live_time_s")
    return n, live


def _attr_number(ds: xr.Dataset, name: str, default: float) -> float:
    """Attribute ``name`` as a float; :class:`InputError` when it is not a number."""
    try:
        return float(ds.attrs.get(name, default))
    except (TypeError, ValueError) as err:
        raise InputError(f"attribute {name} = {ds.attrs[name]!r} is not a number",
                         variable=name) from err  # fmt: skip


def _temperature(ds: xr.Dataset, instrument: DornInstrument) -> float:
    """Detector temperature (attribute, default the reference) within the operating range."""
    t = _attr_number(ds, "temperature_c", instrument.reference_temperature_c)
    if not instrument.temperature_min_c <= t <= instrument.temperature_max_c:
        raise InputError(
            f"temperature_c = {t} outside the operating range "
            f"[{instrument.temperature_min_c}, {instrument.temperature_max_c}] C",
            variable="temperature_c",
        )
    return t


class _Model:
    """Expected counts and Jacobian for the parameter vector (module docstring)."""

    def __init__(self, live: float, instrument: DornInstrument, fit_offset: bool, off: float):
        self.live, self.inst, self.fit_offset, self.offset = live, instrument, fit_offset, off
        self.bkg = live * background_rates(instrument)[:2]
        self.n_lin = len(LINES) + 2

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, float, float]:
        off = theta[self.n_lin + 1] if self.fit_offset else self.offset
        return theta[: self.n_lin], float(theta[self.n_lin]), float(off)

    def __call__(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lin, gain, off = self.split(theta)
        resp = line_responses(gain, off, self.inst)
        basis = np.vstack([self.live * resp.rate, self.bkg])  # (n_lin, channel)
        a = lin[: len(LINES)]
        cols = [basis, self.live * (a @ resp.d_gain)[None]]
        if self.fit_offset:
            cols.append(self.live * (a @ resp.d_offset)[None])
        return lin @ basis, np.vstack(cols).T


def _log_like(n: np.ndarray, mu: np.ndarray) -> float:
    if np.any(mu <= 0):
        return -np.inf
    return float(np.sum(n * np.log(mu) - mu))


def _initial(n: np.ndarray, model: _Model, gain0: float) -> np.ndarray:
    """Gain from the Po-209 centroid, then non-negative weighted least squares for the rest."""
    theta = np.concatenate([np.zeros(model.n_lin), [gain0], [model.offset]])
    theta = theta if model.fit_offset else theta[:-1]
    _, jac = model(theta)
    e = model.inst.channel_edges_kev
    centre = 0.5 * (e[:-1] + e[1:])
    lines = alpha_lines(CALIBRATION)
    e_cal = sum(a.energy_kev * a.intensity for a in lines) / sum(a.intensity for a in lines)
    window = np.abs(centre - (e_cal * gain0 + model.offset)) < 2.0 * model.inst.resolution_fwhm_kev
    k = LINES.index(CALIBRATION)
    if n[window].sum() > 10:
        mean_data = np.average(centre[window], weights=n[window])
        mean_model = np.average(centre[window], weights=jac[window, k] + 1e-300)
        theta[model.n_lin] = gain0 * (mean_data - model.offset) / (mean_model - model.offset)
    _, jac = model(theta)
    w = 1.0 / np.sqrt(np.maximum(n, 1.0))
    lin, _ = nnls(jac[:, : model.n_lin] * w[:, None], n * w)
    theta[: model.n_lin] = lin + 1e-3 * lin.max(initial=1.0) / model.live
    return theta


def _fisher(model: _Model, theta: np.ndarray) -> np.ndarray:
    """Expected information ``J^T diag(1/mu) J`` at the nearest physical point (docstring)."""
    phys = theta.copy()
    phys[: model.n_lin] = np.maximum(phys[: model.n_lin], 0.0)
    mu, jac = model(phys)
    floor = _MU_FLOOR * model.bkg.sum(axis=0)
    return jac.T @ (jac / np.maximum(mu, floor)[:, None])


def _iterate(n: np.ndarray, model: _Model, theta: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """Damped Fisher scoring on the region ``mu > 0``; see the module docstring."""
    mu, jac = model(theta)
    ll = _log_like(n, mu)
    lam = 0.0
    for it in range(1, _MAX_ITER + 1):
        fisher = jac.T @ (jac / mu[:, None])
        grad = jac.T @ (n / mu - 1.0)
        scale = np.sqrt(np.diag(fisher))
        for _ in range(40):  # Levenberg damping until mu > 0 and the likelihood rises
            step = np.linalg.solve(fisher + lam * np.diag(scale**2), grad)
            mu_t, jac_t = model(theta + step)
            ll_t = _log_like(n, mu_t)
            if ll_t >= ll - 1e-12:
                break
            lam = max(4.0 * lam, 1e-3)
        else:
            return theta, it, False
        lam = lam / 4.0 if lam > 1e-6 else 0.0
        theta, mu, jac = theta + step, mu_t, jac_t
        change, ll = ll_t - ll, ll_t
        sigma = np.sqrt(np.diag(np.linalg.inv(_fisher(model, theta))))
        if 2.0 * change < _TOL_DEVIANCE and np.all(np.abs(step) <= _TOL_STEP * sigma):
            return theta, it, True
    return theta, _MAX_ITER, False


def _limits(mu: np.ndarray, basis: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Currie decision threshold and detection limit, in activity units, per line."""
    lc, ld = np.empty(len(a)), np.empty(len(a))
    for j in range(len(a)):
        roi = basis[j] >= _ROI_FRACTION * basis[j].max()
        eff = basis[j, roi].sum()
        b = max(float((mu[roi] - a[j] * basis[j, roi]).sum()), 0.0)
        lc[j] = 2.33 * math.sqrt(b) / eff
        ld[j] = (2.71 + 4.65 * math.sqrt(b)) / eff
    return lc, ld


def fit_spectrum(
    ds: xr.Dataset, *, instrument: DornInstrument = DORN, fit_offset: bool = False
) -> xr.Dataset:
    """Fit every DORN line of one spectrum by Poisson maximum likelihood.

    Parameters
    ----------
    ds
        A spectrum as made by :func:`fcspace.dorn.spectrum.simulate_spectrum` (``counts`` on
        ``instrument.n_channels`` channels; attribute ``live_time_s``; ``temperature_c``
        optional, it sets the starting gain).
    instrument
        Instrument constants (line shape, acceptance, background shape).
    fit_offset
        Also fit the energy offset (needs several strong lines besides Po-209).

    Returns
    -------
    xarray.Dataset
        Per ``line``: ``activity``, ``activity_sigma`` (Bq m^-2; Po-209 in Bq),
        ``decision_threshold`` and ``detection_limit`` ([Currie1968]); scalars ``gain``,
        ``gain_sigma``, ``offset``, ``offset_sigma``, ``temperature_c_from_gain``,
        ``background`` (component) and ``background_sigma``; ``covariance`` of all
        parameters; attributes ``converged``, ``n_iter``, ``deviance``.

    Raises
    ------
    InputError
        No counts, wrong channel count, negative or non-finite counts, no live time, a
        temperature that is not a number in the instrument's operating range.
    """
    n, live = _counts(ds, instrument)
    temperature = _temperature(ds, instrument)
    model = _Model(live, instrument, fit_offset, instrument.offset_kev)
    theta, n_iter, ok = _iterate(n, model, _initial(n, model, instrument.gain(temperature)))
    mu, jac = model(theta)
    cov = np.linalg.inv(_fisher(model, theta))
    nl = len(LINES)
    lc, ld = _limits(mu, jac[:, :nl].T, theta[:nl])
    pos = n > 0
    deviance = 2.0 * float(np.sum(mu - n) + np.sum(n[pos] * np.log(n[pos] / mu[pos])))
    return _result(theta, cov, np.vstack([lc, ld]), model, (n_iter, ok, deviance))


def _result(
    theta: np.ndarray,
    cov: np.ndarray,
    limits: np.ndarray,
    model: _Model,
    info: tuple[int, bool, float],
) -> xr.Dataset:
    """Pack the estimate, its covariance and the Currie limits into a Dataset."""
    nl, inst = len(LINES), model.inst
    sig = np.sqrt(np.diag(cov))
    lc, ld = limits
    gain = float(theta[model.n_lin])
    units = "Bq m-2 (Po-209: Bq)"
    off = float(theta[model.n_lin + 1]) if model.fit_offset else model.offset
    off_sig = float(sig[model.n_lin + 1]) if model.fit_offset else 0.0
    t_from_gain = inst.reference_temperature_c + (gain - 1.0) / inst.gain_temp_coeff_per_c
    names = [*LINES, "background_soft", "background_flat", "gain"] + (
        ["offset"] if model.fit_offset else []
    )
    return xr.Dataset(
        {
            "activity": ("line", theta[:nl], {"units": units}),
            "activity_sigma": ("line", sig[:nl], {"units": units}),
            "decision_threshold": ("line", lc, {"units": units}),
            "detection_limit": ("line", ld, {"units": units}),
            "background": ("component", theta[nl : nl + 2]),
            "background_sigma": ("component", sig[nl : nl + 2]),
            "gain": ((), gain),
            "gain_sigma": ((), float(sig[model.n_lin])),
            "offset": ((), off, {"units": "keV"}),
            "offset_sigma": ((), off_sig, {"units": "keV"}),
            "temperature_c_from_gain": ((), t_from_gain),
            "covariance": (("parameter", "parameter_2"), cov),
        },
        coords={
            "line": list(LINES),
            "component": ["soft", "flat"],
            "parameter": names,
            "parameter_2": names,
        },
        attrs={"converged": int(info[1]), "n_iter": info[0], "deviance": info[2]},
    )
