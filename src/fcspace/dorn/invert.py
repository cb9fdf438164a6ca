"""Exhalation flux and adsorption heat from a lunar day of DORN spectra.

Two steps, both pure (Datasets in, Datasets out):

1. `fit_day`: every spectrum of a day (view x time) is fitted by Poisson maximum likelihood
   (`fcspace.dorn.fit.fit_spectrum`): line activities with their covariance, Currie limits,
   the energy calibration (gain from the Po-209 source).
2. `invert_day`: the activities of Rn-222, Po-218 and Po-214 in both views versus local time
   are compared with the site model of `fcspace.dorn.day` (regolith exhalation + reduced
   exosphere + surface polonium), ``a_pred(t) = F g(t; Q)``: ``F`` the daily-mean exhalation
   (atoms m^-2 s^-1) enters linearly, ``g`` is the response to a unit flux. The estimate
   minimises the generalised least-squares

   ``chi2(F, Q) = sum_spectra (a - F g)^T V^-1 (a - F g)``

   with ``V`` the 3 x 3 block of the fit covariance of each spectrum (the inverse Fisher
   information of the Poisson likelihood, so ``chi2`` is the Gaussian approximation of the
   Poisson likelihood of the counts, [Baker1984]). ``F`` is profiled out in closed form
   (weighted linear least squares), ``Q`` minimised on the profile (bounded Brent), and the
   covariance of ``(F, Q)`` is ``(J^T V^-1 J)^-1`` with the Jacobian ``J = (g, F dg/dQ)`` at
   the optimum ([Bard1974] ch. 7), scaled by nothing (reported ``chi2/ndof`` tells the fit).

Speed: ``g`` is computed once per node of a ``Q`` grid (default 7.0..10.0 kcal/mol, step
0.25, ~0.3 s per node: one regolith run + one sparse solve), its logarithm interpolated by a
cubic spline in ``Q`` (values and ``dg/dQ`` analytic); a chi2 evaluation then costs
microseconds. Grids are cached per configuration.

Sources
-------
- [Baker1984] Baker, S., Cousins, R. D. (1984). Nucl. Instrum. Methods 221, 437-442.
- [Bard1974] Bard, Y. (1974). Nonlinear Parameter Estimation. Academic Press.
- [FriesenAdams1976] Friesen, L. J., Adams, J. A. S. (1976). GCA 40, 375-380 (Q 8-9 kcal/mol).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import xarray as xr
from scipy.interpolate import CubicSpline
from scipy.optimize import minimize_scalar

from fcspace.core.errors import InputError
from fcspace.dorn.day import (
    FIT_LINES,
    VIEWS,
    DayConfig,
    SiteResponse,
    site_response,
    window_activities,
)
from fcspace.dorn.detector import LINES, background_rates, line_responses
from fcspace.dorn.fit import fit_spectrum
from fcspace.dorn.instrument import DORN, DornInstrument
from fcspace.dorn.io import ACTIVITY_MIN_PULL, source_named

__all__ = ["SiteModel", "fit_day", "invert_day"]

Q_GRID = tuple(7.0 + 0.25 * k for k in range(13))  # kcal/mol
_FLOOR = 1e-30  # activities per unit flux below this are zero (log interpolation)


# ----------------------------------------------------------------------------- fits
def _check_spectra(ds: xr.Dataset, instrument: DornInstrument) -> None:
    for name in ("counts", "live_time_s", "temperature_c", "local_time"):
        if name not in ds.variables:
            raise InputError(f"spectra have no {name!r}", variable=name)
    if ds["counts"].dims != ("view", "time", "channel"):
        raise InputError("counts must have dims (view, time, channel)", variable="counts")
    if ds.sizes["channel"] != instrument.n_channels:
        raise InputError(
            f"expected {instrument.n_channels} channels, got {ds.sizes['channel']}",
            variable="counts",
        )
    for name in ("temperature_c", "local_time", "live_time_s"):
        if not np.all(np.isfinite(ds[name].values)):
            raise InputError("must be finite (got NaN or inf)", variable=name)
    temp = ds["temperature_c"].values
    if np.any(temp < instrument.temperature_min_c) or np.any(temp > instrument.temperature_max_c):
        raise InputError(
            "detector temperature outside the operating range", variable="temperature_c"
        )


def _fit_one(ds: xr.Dataset, v: int, t: int, instrument: DornInstrument) -> xr.Dataset:
    units = int(ds["n_units"].values[v]) if "n_units" in ds else 1
    one = xr.Dataset(
        {"counts": ("channel", ds["counts"].values[v, t])},
        attrs={
            "live_time_s": float(ds["live_time_s"].values[t]) * units,
            "temperature_c": float(ds["temperature_c"].values[t]),
        },
    )
    return fit_spectrum(one, instrument=instrument)


def fit_day(spectra: xr.Dataset, *, instrument: DornInstrument = DORN) -> xr.Dataset:
    """Fit every spectrum of a simulated (or real) lunar day.

    Parameters
    ----------
    spectra
        As made by `fcspace.dorn.day.simulate_day`: ``counts`` (view, time, channel),
        ``live_time_s`` (per unit), ``temperature_c``, ``local_time``; ``n_units`` (view)
        optional (units summed in each spectrum, default 1).
    instrument
        Instrument constants.

    Returns
    -------
    xarray.Dataset
        Over (view, time, line): ``activity``, ``activity_sigma``, ``decision_threshold``,
        ``detection_limit``; ``covariance`` (view, time, line, line_2) of the three
        :data:`fcspace.dorn.day.FIT_LINES`; over (view, time): ``gain``, ``gain_sigma``,
        ``temperature_c_from_gain``, ``converged``, ``deviance``; ``local_time``,
        ``live_time_s``; the ``truth_*`` of the input when present.

    Raises
    ------
    InputError
        Missing variables, wrong channel count, NaN temperatures or local times, negative
        or non-finite counts (`fcspace.dorn.fit.fit_spectrum`); naming the file the spectra
        were read from (`fcspace.dorn.io.source_named`).
    """
    with source_named(spectra):
        _check_spectra(spectra, instrument)
        nv, nt = spectra.sizes["view"], spectra.sizes["time"]
        per = [[_fit_one(spectra, v, t, instrument) for t in range(nt)] for v in range(nv)]
        return _pack_fits(spectra, per)


def _pack_fits(spectra: xr.Dataset, per: list[list[xr.Dataset]]) -> xr.Dataset:
    """Stack the per-spectrum fits (see `fit_day`)."""
    idx = [LINES.index(name) for name in FIT_LINES]

    def stack(name: str) -> np.ndarray:
        return np.array([[np.asarray(f[name].values) for f in row] for row in per])

    cov = np.array([[f["covariance"].values[np.ix_(idx, idx)] for f in row] for row in per])
    data = {
        name: (("view", "time", "line"), stack(name), {"units": "Bq m-2 (Po-209: Bq)"})
        for name in ("activity", "activity_sigma", "decision_threshold", "detection_limit")
    }
    data |= {name: (("view", "time"), stack(name)) for name in
             ("gain", "gain_sigma", "temperature_c_from_gain")}  # fmt: skip
    data["background"] = (("view", "time", "component"), stack("background"))
    data["covariance"] = (("view", "time", "fit_line", "fit_line_2"), cov, {"units": "Bq2 m-4"})
    data["converged"] = (("view", "time"), [[int(f.attrs["converged"]) for f in r] for r in per])
    data["deviance"] = (("view", "time"), [[float(f.attrs["deviance"]) for f in r] for r in per])
    units = spectra["n_units"].values if "n_units" in spectra else np.ones(len(per))
    live = np.outer(units, spectra["live_time_s"].values)
    data["exposure_s"] = (("view", "time"), live, {"units": "s", "long_name": "summed live time"})
    data["live_time_s"] = spectra["live_time_s"]
    data["temperature_c"] = spectra["temperature_c"]
    for name in spectra.data_vars:
        if str(name).startswith("truth_"):
            data[str(name)] = spectra[name]
    return xr.Dataset(
        data,
        coords={
            "view": spectra["view"].values,
            "time": spectra["time"].values,
            "local_time": ("time", spectra["local_time"].values, {"units": "h"}),
            "line": list(LINES),
            "component": ["soft", "flat"],
            "fit_line": list(FIT_LINES),
            "fit_line_2": list(FIT_LINES),
        },
        attrs={k: v for k, v in spectra.attrs.items() if k.startswith("site")}
        | {"title": "DORN fitted lunar day (fcspace.dorn.invert.fit_day)"},
    )


# ----------------------------------------------------------------------------- model
class SiteModel:
    """``g(t; Q)`` on a ``Q`` grid, log-spline interpolated; ``F g`` are the activities.

    Parameters
    ----------
    local_time, live_time_s
        The spectra's local times (h) and live times (s, per unit).
    config
        Site model settings (`fcspace.dorn.day.DayConfig`).
    q_grid
        Nodes in kcal/mol (ascending, >= 4 of them).
    """

    def __init__(
        self,
        local_time: np.ndarray,
        live_time_s: np.ndarray,
        config: DayConfig | None = None,
        q_grid: tuple[float, ...] = Q_GRID,
    ) -> None:
        self.config = config or DayConfig()
        self.q_grid = np.asarray(q_grid, dtype=float)
        if self.q_grid.size < 4 or np.any(np.diff(self.q_grid) <= 0):
            raise InputError("Q grid needs >= 4 ascending nodes", variable="q_grid")
        idx = [LINES.index(name) for name in FIT_LINES]
        nodes = np.array([
            window_activities(_response(q, self.config), local_time, live_time_s)[..., idx]
            for q in self.q_grid
        ])  # (q, view, time, fit_line)  # fmt: skip
        self._spline = CubicSpline(self.q_grid, np.log(np.maximum(nodes, _FLOOR)), axis=0)
        self._deriv = self._spline.derivative()

    def unit(self, q: float) -> tuple[np.ndarray, np.ndarray]:
        """``g`` and ``dg/dQ`` at ``q`` (view, time, fit_line), per unit flux."""
        g = np.exp(self._spline(q))
        g = np.where(g <= 10 * _FLOOR, 0.0, g)
        return g, g * self._deriv(q)


@functools.lru_cache(maxsize=64)
def _response(q: float, config: DayConfig) -> SiteResponse:
    return site_response(q, config)


# ----------------------------------------------------------------------------- inversion
class _Weights:
    """Inverse covariances of the fitted activities from the *expected* Fisher information.

    The information is evaluated at the model's activities rather than at each spectrum's
    fitted ones, so that the weights do not depend on the noise of the data they weight
    (the Pearson form of chi2, [Baker1984]): the
    three lines at ``F g``, the other lines and the background at their fitted values
    (clipped at 0), the gain as fitted; ``mu`` is floored at 10 % of the nominal background.
    """

    def __init__(self, fits: xr.Dataset, instrument: DornInstrument) -> None:
        for name in ("gain", "background", "exposure_s"):
            if name not in fits.variables:
                raise InputError(f"fits have no {name!r}", variable=name)
        gain = fits["gain"].transpose("view", "time").values
        if not (np.all(np.isfinite(gain)) and np.all(gain > 0)):
            raise InputError("gains must be finite and > 0", variable="gain")
        self.exposure = fits["exposure_s"].transpose("view", "time").values
        if not (np.all(np.isfinite(self.exposure)) and np.all(self.exposure > 0)):
            raise InputError("exposures must be finite and > 0", variable="exposure_s")
        self.lines = np.clip(fits["activity"].transpose("view", "time", "line").values, 0, None)
        self.bkg_scale = np.clip(fits["background"].transpose("view", "time", "component").values,
                                 0, None)  # fmt: skip
        self.bkg = background_rates(instrument)[:2]
        self.floor = 0.1 * self.bkg.sum(axis=0)
        self.resp = [[line_responses(float(g), instrument.offset_kev, instrument) for g in row]
                     for row in gain]  # fmt: skip
        self.idx = [LINES.index(name) for name in FIT_LINES]

    def __call__(self, pred: np.ndarray) -> np.ndarray:
        """Inverse covariances (view, time, 3, 3) with the fit lines at ``pred``."""
        nv, nt = self.exposure.shape
        out = np.empty((nv, nt, len(FIT_LINES), len(FIT_LINES)))
        for v in range(nv):
            for t in range(nt):
                out[v, t] = self._one(v, t, pred[v, t])
        return out

    def _one(self, v: int, t: int, pred: np.ndarray) -> np.ndarray:
        resp, live = self.resp[v][t], self.exposure[v, t]
        a = self.lines[v, t].copy()
        a[self.idx] = np.clip(pred, 0, None)
        mu = live * np.maximum(a @ resp.rate + self.bkg_scale[v, t] @ self.bkg, self.floor)
        jac = live * np.vstack([resp.rate, self.bkg, (a @ resp.d_gain)[None]]).T
        cov = np.linalg.inv(jac.T @ (jac / mu[:, None]))
        return np.linalg.inv(cov[np.ix_(self.idx, self.idx)])


def _data(fits: xr.Dataset) -> np.ndarray:
    """Fitted activities of the three lines (view, time, 3), checked."""
    for name in ("activity", "local_time", "live_time_s"):
        if name not in fits.variables:
            raise InputError(f"fits have no {name!r}", variable=name)
    a = fits["activity"].sel(line=list(FIT_LINES)).transpose("view", "time", "line").values
    if not np.all(np.isfinite(a)):
        raise InputError("activities must be finite", variable="activity")
    if "activity_sigma" in fits.variables:
        sig = fits["activity_sigma"].sel(line=list(FIT_LINES)).transpose("view", "time", "line")
        low = int(np.count_nonzero(a < ACTIVITY_MIN_PULL * sig.values))
        if low:
            raise InputError(f"{low} activities below {ACTIVITY_MIN_PULL:g} sigma (negated?)",
                             variable="activity")  # fmt: skip
    lt = fits["local_time"].values
    if not (np.all(np.isfinite(lt)) and np.all((lt >= 0) & (lt <= 24))):
        raise InputError("local times must lie in [0, 24] h", variable="local_time")
    if tuple(fits["view"].values) != VIEWS:
        raise InputError(f"views must be {VIEWS}", variable="view")
    return a


def _profile(a: np.ndarray, w: np.ndarray, g: np.ndarray) -> tuple[float, float]:
    """Best ``F`` for a given ``g`` (weighted linear least squares) and its ``chi2``."""
    wg = np.einsum("vtij,vtj->vti", w, g)
    den = float(np.sum(g * wg))
    f = float(np.sum(a * wg)) / den if den > 0 else 0.0
    r = a - f * g
    return f, float(np.einsum("vti,vtij,vtj->", r, w, r))


def _minimise(a: np.ndarray, w: np.ndarray, model: SiteModel) -> tuple[float, float]:
    """``(F, Q)`` minimising the profile chi2 over the ``Q`` grid's range (bounded Brent)."""
    lo, hi = float(model.q_grid[0]), float(model.q_grid[-1])
    qs = np.linspace(lo, hi, 4 * model.q_grid.size)
    start = qs[int(np.argmin([_profile(a, w, model.unit(q)[0])[1] for q in qs]))]
    step = qs[1] - qs[0]
    bounds = (max(lo, start - step), min(hi, start + step))
    best = minimize_scalar(lambda q: _profile(a, w, model.unit(q)[0])[1], bounds=bounds,
                           method="bounded", options={"xatol": 1e-6})  # fmt: skip
    q = float(best.x)
    return _profile(a, w, model.unit(q)[0])[0], q


def invert_day(
    fits: xr.Dataset,
    *,
    config: DayConfig | None = None,
    q_grid: tuple[float, ...] = Q_GRID,
    instrument: DornInstrument = DORN,
    n_iter: int = 3,
) -> xr.Dataset:
    """Estimate the daily-mean exhalation ``F`` and the adsorption heat ``Q``.

    Parameters
    ----------
    fits
        Output of `fit_day` (``activity``, ``gain``, ``background``, ``exposure_s``,
        ``local_time``, ``live_time_s``).
    config
        Site model settings (site, regolith parameters, numerics).
    q_grid
        ``Q`` nodes (kcal/mol) of the cached model; the estimate is bounded by them.
    instrument
        Instrument constants (responses for the expected Fisher information).
    n_iter
        Reweighting passes (weights from the previous prediction; 3 is plenty).

    Returns
    -------
    xarray.Dataset
        Scalars ``flux`` and ``flux_sigma`` (m^-2 s^-1), ``q`` and ``q_sigma`` (kcal/mol),
        ``correlation``, ``chi2``, ``ndof``; ``predicted`` (view, time, fit_line) activities
        and their ``predicted_sigma``; when the input has the truth, ``pull_flux`` and
        ``pull_q``; attributes ``production_scale`` (F over the regolith parameters' own
        daily mean at Q) and ``at_bound``.

    Raises
    ------
    InputError
        Missing variables, non-finite activities or gains, activities below
        ``ACTIVITY_MIN_PULL`` sigma (negated), non-positive exposures, wrong views, local
        times outside [0, 24] h, NaN live times, a singular information matrix; naming the
        file the fits were read from (`fcspace.dorn.io.source_named`).
    """
    with source_named(fits):
        a = _data(fits)
        weights = _Weights(fits, instrument)
        model = SiteModel(fits["local_time"].values, fits["live_time_s"].values, config, q_grid)
        return _estimate(fits, a, weights, model, n_iter)


def _estimate(
    fits: xr.Dataset, a: np.ndarray, weights: _Weights, model: SiteModel, n_iter: int
) -> xr.Dataset:
    """The reweighted profile GLS estimate of `invert_day`."""
    w = weights(a)
    for _ in range(max(int(n_iter), 1)):
        f, q = _minimise(a, w, model)
        w = weights(f * model.unit(q)[0])
    f, q = _minimise(a, w, model)
    g, dg = model.unit(q)
    chi2 = _profile(a, w, g)[1]
    jac = np.stack([g, f * dg], axis=-1)  # (view, time, line, 2)
    cov = np.linalg.inv(np.einsum("vtia,vtij,vtjb->ab", jac, w, jac))
    sig_pred = np.sqrt(np.diagonal(np.linalg.inv(w), axis1=-2, axis2=-1))
    return _result(fits, (f, q), cov, chi2, (f * g, sig_pred), model, a.size - 2)


def _result(
    fits: xr.Dataset,
    est: tuple[float, float],
    cov: np.ndarray,
    chi2: float,
    pred: tuple[np.ndarray, np.ndarray],
    model: SiteModel,
    ndof: int,
) -> xr.Dataset:
    """Pack the estimate (see `invert_day`)."""
    sig = np.sqrt(np.diag(cov))
    f, q = est
    lo, hi = model.q_grid[0], model.q_grid[-1]
    scale = f / _response(q_round(q), model.config).daily_mean_unscaled
    data = {
        "flux": ((), f, {"units": "m-2 s-1", "long_name": "daily-mean Rn-222 exhalation"}),
        "flux_sigma": ((), sig[0], {"units": "m-2 s-1"}),
        "q": ((), q, {"units": "kcal mol-1", "long_name": "adsorption heat"}),
        "q_sigma": ((), sig[1], {"units": "kcal mol-1"}),
        "correlation": ((), cov[0, 1] / (sig[0] * sig[1])),
        "chi2": ((), chi2),
        "ndof": ((), ndof),
        "predicted": (("view", "time", "fit_line"), pred[0], {"units": "Bq m-2"}),
        "predicted_sigma": (("view", "time", "fit_line"), pred[1], {"units": "Bq m-2"}),
    }
    if "truth_flux" in fits and "truth_q" in fits:
        data["pull_flux"] = ((), (f - float(fits["truth_flux"])) / sig[0])
        data["pull_q"] = ((), (q - float(fits["truth_q"])) / sig[1])
    at_bound = int(min(q - lo, hi - q) < 1e-3)
    return xr.Dataset(
        data,
        coords={"view": list(VIEWS), "local_time": fits["local_time"], "fit_line": list(FIT_LINES)},
        attrs={"production_scale": scale, "at_bound": at_bound, "method": "profile GLS"},
    )


def q_round(q: float) -> float:
    """``q`` rounded to 1e-3 kcal/mol (a cache key for the site model)."""
    return round(float(q), 3) if math.isfinite(q) else q
