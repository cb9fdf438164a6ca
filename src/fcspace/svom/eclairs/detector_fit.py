"""ECLAIRs localisation in the detector plane: Poisson likelihood fit and Fisher information.

Model. The expected counts of good pixel ``i`` (weight ``w_i`` = 1, dead/noisy 0) are

    mu_i = o_i + F S_i(s) + sum_k c_k Q_ik,

with ``S(s)`` the shadow of a unit point source whose mask shadow is shifted by
``s = (s_y, s_z) = h tan(theta) (cos phi, sin phi)`` (:func:`shadow_and_gradient`, the open
fraction of each pixel's active area, exact in the partially coded field where the mask
edge cuts the shadow), ``Q`` the quadratic background basis of the onboard image trigger
(``1, y, z, y^2, z^2, yz``; [DagoneauSchanne2022]) and ``o`` an optional fixed background
model (then no ``Q``). The parameters ``p = (F, c, s)`` maximise the Poisson log-likelihood
``sum_i w_i (D_i ln mu_i - mu_i)`` ([Cash1979]).

Fit. Fisher scoring ([Jennrich1976]; Gauss-Newton with the weights ``w / mu`` updated at each
step, the iteratively reweighted least squares that converges to the Poisson maximum
likelihood): ``delta = I^-1 grad`` with ``grad = J^T (w (D / mu - 1))`` and
``I = J^T diag(w / mu) J``, ``J = d mu / d p``; the linear parameters (flux and background)
move with the position at every step, i.e. they are profiled jointly as in the IROS joint
fit. Steps are halved until the likelihood increases and ``mu > 0`` on the good pixels; the
position may not leave a box of ``_BOX`` pitches around the start (the sky-peak fit).

Errors. ``I^-1`` at the fit is the Cramer-Rao bound of the model ([Kay1993] Ch. 3; the
position block of the inverse includes the profiling of flux and background); the observed
information (Hessian of ``-ln L``: ``J^T diag(w D / mu^2) J`` plus the flux-position cross
term ``sum w (1 - D / mu) dS / ds``; the shadow is piecewise linear in ``s`` so its second
derivative vanishes almost everywhere) gives the fitted curvature used for the error radius.
Shift covariances are turned into angles on the sky with the local plate scale of the
tangent plane: ``cos^2(theta) / h`` radially and ``cos(theta) / h`` azimuthally.

ASSUMPTION: the transparency of closed mask elements (a few per cent above 50 keV) and the
side shield are neglected in the model, as in
:func:`~fcspace.svom.eclairs.mask.point_source_shadow`.

Sources
-------
- [Cash1979] Cash, W. (1979). Parameter estimation in astronomy through application of the
  likelihood ratio. ApJ 228, 939 (Poisson likelihood of binned counts).
- [Jennrich1976] Jennrich, R. I., Sampson, P. F. (1976). Newton-Raphson and related
  algorithms for maximum likelihood variance component estimation. Technometrics 18, 11
  (Fisher scoring).
- [Kay1993] Kay, S. M. (1993). Fundamentals of Statistical Signal Processing: Estimation
  Theory. Prentice Hall (Cramer-Rao bound, Fisher information of Poisson data).
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. arXiv:2305.10130 (shadow of a point source, partially coded field).
- [DagoneauSchanne2022] Dagoneau, N., Schanne, S., et al. (2022). A&A 665, A40 (quadratic
  detector background of the ECLAIRs image trigger).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.imaging import _check_image, _quadratic_basis, pixel_weights
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.mask import make_mask

__all__ = [
    "DetectorFit",
    "angular_covariance",
    "fisher_information",
    "fit_detector",
    "shadow_and_gradient",
]

_BOX = 2.0  # the position stays within +-_BOX pixel pitches of the start
_MAX_ITER = 40
_TOL = 1e-4  # convergence: position step below this many pitches


@dataclass(frozen=True)
class DetectorFit:
    """Result of :func:`fit_detector`.

    Attributes
    ----------
    theta_deg, phi_deg
        Fitted direction (instrument frame).
    shift_m
        Fitted shadow shift ``(s_y, s_z)`` (m).
    flux
        Source counts per fully open pixel ``F``.
    params
        All fitted parameters ``(F, c_0..c_5, s_y, s_z)`` (no ``c`` with a fixed background).
    cov_crb_deg2, cov_fit_deg2
        2 x 2 position covariances (deg^2) in the local (radial, azimuthal) frame, from the
        Fisher information (Cramer-Rao bound) and from the observed curvature.
    sigma_crb_deg, sigma_fit_deg
        ``sqrt(trace(cov) / 2)`` of each: the per-axis sigma of the circularised error.
    log_likelihood
        ``sum w (D ln mu - mu)`` at the fit.
    n_iter, converged
        Scoring iterations and whether the position step fell below the tolerance.
    """

    theta_deg: float
    phi_deg: float
    shift_m: tuple[float, float]
    flux: float
    params: NDArray[np.float64]
    cov_crb_deg2: NDArray[np.float64]
    cov_fit_deg2: NDArray[np.float64]
    sigma_crb_deg: float
    sigma_fit_deg: float
    log_likelihood: float
    n_iter: int
    converged: bool


# ---------------------------------------------------------------------------- shadow model
def _overlap_and_slope(centres: NDArray, width: float, edges: NDArray) -> tuple[NDArray, NDArray]:
    """Overlap of boxes ``[c - w/2, c + w/2]`` with intervals, over ``w``, and its d/dc.

    The overlap ``min(c + w/2, e1) - max(c - w/2, e0)`` (clipped at 0) has the slope
    ``[c + w/2 < e1] - [c - w/2 > e0]`` where it is positive.
    """
    hi = centres[:, None] + 0.5 * width
    lo = centres[:, None] - 0.5 * width
    e0, e1 = edges[None, :-1], edges[None, 1:]
    length = np.minimum(hi, e1) - np.maximum(lo, e0)
    pos = length > 0
    slope = ((hi < e1).astype(float) - (lo > e0).astype(float)) * pos
    return np.where(pos, length, 0.0) / width, slope / width


def shadow_and_gradient(
    shift_y_m: float, shift_z_m: float, mask: NDArray, instrument: EclairsInstrument = ECLAIRS
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Shadow ``S`` of a unit point source with shadow shift ``s`` and ``dS/ds_y``, ``dS/ds_z``.

    ``S`` equals :func:`~fcspace.svom.eclairs.mask.point_source_shadow` (open fraction of each
    pixel's 4 x 4 mm active area, separable in the mask elements, zero off the mask:
    [GoldwurmGros2022]); it is piecewise linear in ``s``, so its derivatives are exact
    (one-sided at the kinks). Arrays are 80 x 80, indexed ``[y, z]``; derivatives in 1/m.
    """
    inst = instrument
    m = np.asarray(mask, dtype=np.float64)
    c = inst.pixel_centres_m()
    ey = (np.arange(m.shape[0] + 1) - 0.5 * m.shape[0]) * inst.mask_element_m
    ez = (np.arange(m.shape[1] + 1) - 0.5 * m.shape[1]) * inst.mask_element_m
    oy, dy = _overlap_and_slope(c + shift_y_m, inst.pixel_size_m, ey)
    oz, dz = _overlap_and_slope(c + shift_z_m, inst.pixel_size_m, ez)
    mo = m @ oz.T
    return oy @ mo, dy @ mo, oy @ m @ dz.T


# ---------------------------------------------------------------------------- likelihood
class _Model:
    """Expected counts and their Jacobian for one shadowgram (see the module docstring)."""

    def __init__(self, d: NDArray, w: NDArray, offset: NDArray, basis: NDArray, mask, inst):
        self.good = w.reshape(-1) > 0
        self.d = d.reshape(-1)[self.good]
        self.offset = offset.reshape(-1)[self.good]
        self.basis = basis[self.good]
        self.mask, self.inst = mask, inst

    def jacobian(self, p: NDArray) -> tuple[NDArray, NDArray]:
        """``mu`` and ``J = d mu / d p`` on the good pixels, ``p = (F, c..., s_y, s_z)``."""
        s, gy, gz = shadow_and_gradient(p[-2], p[-1], self.mask, self.inst)
        s, gy, gz = (a.reshape(-1)[self.good] for a in (s, gy, gz))
        jac = np.column_stack([s, self.basis, p[0] * gy, p[0] * gz])
        return self.offset + jac[:, :-2] @ p[:-2], jac

    def loglike(self, mu: NDArray) -> float:
        """``sum (D ln mu - mu)``; -inf where some ``mu <= 0``."""
        if np.any(mu <= 0):
            return -np.inf
        return float(np.sum(self.d * np.log(mu) - mu))

    def start(self, shift: tuple[float, float]) -> NDArray:
        """Linear parameters at the start position by least squares weighted with 1/max(D, 1)."""
        s = shadow_and_gradient(shift[0], shift[1], self.mask, self.inst)[0]
        x = np.column_stack([s.reshape(-1)[self.good], self.basis])
        sw = 1.0 / np.sqrt(np.maximum(self.d, 1.0))
        lin, *_ = np.linalg.lstsq(x * sw[:, None], (self.d - self.offset) * sw, rcond=None)
        mu = self.offset + x @ lin
        if self.basis.shape[1] and mu.min() <= 0:  # lift the constant term: mu > 0 everywhere
            lin[1] += 0.1 * max(float(self.d.mean()), 1e-3) - mu.min()
        return np.concatenate([lin, shift])


def _score_step(model: _Model, p: NDArray, mu: NDArray, jac: NDArray) -> NDArray:
    """Fisher-scoring step ``I^-1 J^T (D / mu - 1)``."""
    info = jac.T @ (jac / mu[:, None])
    grad = jac.T @ (model.d / mu - 1.0)
    return np.linalg.lstsq(info, grad, rcond=None)[0]


def _maximise(model: _Model, p: NDArray, pitch: float) -> tuple[NDArray, float, int, bool]:
    """Fisher scoring with step halving inside the position box around the start."""
    p0 = p[-2:].copy()
    mu, jac = model.jacobian(p)
    ll = model.loglike(mu)
    for it in range(1, _MAX_ITER + 1):
        step = _score_step(model, p, mu, jac)
        lam, improved = 1.0, False
        while lam > 1e-3:
            q = p + lam * step
            q[-2:] = np.clip(q[-2:], p0 - _BOX * pitch, p0 + _BOX * pitch)
            mu_q, jac_q = model.jacobian(q)
            ll_q = model.loglike(mu_q)
            if ll_q >= ll:
                improved = True
                break
            lam *= 0.5
        if not improved:
            return p, ll, it, True  # no ascent direction left: at the maximum
        moved = float(np.max(np.abs(q[-2:] - p[-2:]))) / pitch
        p, mu, jac, ll = q, mu_q, jac_q, ll_q
        if moved < _TOL:
            return p, ll, it, True
    return p, ll, _MAX_ITER, False


# ---------------------------------------------------------------------------- information
def fisher_information(mu: NDArray, jac: NDArray) -> NDArray[np.float64]:
    """Poisson Fisher information ``J^T diag(1 / mu) J`` ([Kay1993]; good pixels only)."""
    return jac.T @ (jac / mu[:, None])


def _observed_information(model: _Model, p: NDArray, mu: NDArray, jac: NDArray) -> NDArray:
    """Hessian of ``-ln L``: ``J^T diag(D / mu^2) J`` + the flux-position cross terms."""
    h = jac.T @ (jac * (model.d / mu**2)[:, None])
    resid = 1.0 - model.d / mu
    if p[0] != 0:
        cross = resid @ jac[:, -2:] / p[0]  # d2 mu / dF ds = dS / ds = J_s / F
        h[0, -2:] += cross
        h[-2:, 0] += cross
    return h


def angular_covariance(
    cov_shift: NDArray, theta_deg: float, phi_deg: float, instrument: EclairsInstrument = ECLAIRS
) -> NDArray[np.float64]:
    """Shift covariance (m^2) -> angular covariance (deg^2), local (radial, azimuthal) frame.

    ``s = h tan(theta) (cos phi, sin phi)``: a radial shift ``ds_r`` moves the direction by
    ``cos^2(theta) ds_r / h``, an azimuthal one by ``cos(theta) ds_a / h`` (arc on the sphere).
    """
    t, p = np.radians(theta_deg), np.radians(phi_deg)
    rot = np.array([[np.cos(p), np.sin(p)], [-np.sin(p), np.cos(p)]])
    scale = np.diag([np.cos(t) ** 2, np.cos(t)]) / instrument.mask_height_m
    jac = np.degrees(scale @ rot)
    return jac @ cov_shift @ jac.T


def _sigma(cov: NDArray) -> float:
    """Circularised per-axis sigma ``sqrt(trace / 2)``; inf if the matrix is not usable."""
    tr = float(np.trace(cov))
    return float(np.sqrt(tr / 2.0)) if np.isfinite(tr) and tr > 0 else float("inf")


def _position_cov(info: NDArray) -> NDArray:
    """Position block of ``info^-1`` (NaN if singular)."""
    try:
        return np.linalg.inv(info)[-2:, -2:]
    except np.linalg.LinAlgError:
        return np.full((2, 2), np.nan)


# ---------------------------------------------------------------------------- entry point
def _inputs(shadow, pixel_status, background, inst) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    n = inst.n_pixels
    d = _check_image(shadow, "shadow", n)
    if np.any(d < 0):
        raise InputError("shadowgram counts must be >= 0", variable="shadow")
    w = pixel_weights(pixel_status, n)
    if background is None:
        return d, w, np.zeros_like(d), _quadratic_basis(n)
    return d, w, _check_image(background, "background", n), np.zeros((n * n, 0))


def fit_detector(
    shadow: NDArray,
    theta0_deg: float,
    phi0_deg: float,
    *,
    pixel_status: NDArray | None = None,
    mask: NDArray | None = None,
    background: NDArray | None = None,
    instrument: EclairsInstrument = ECLAIRS,
) -> DetectorFit:
    """Maximum-likelihood position of a point source in the detector plane ([Cash1979]).

    Parameters
    ----------
    shadow
        80 x 80 counts ``[y, z]`` (:func:`~fcspace.svom.eclairs.imaging.shadowgram`).
    theta0_deg, phi0_deg
        Start direction, e.g. the sky-peak PSF fit of
        :func:`~fcspace.svom.eclairs.localize.localize`; partially coded directions are valid.
    pixel_status
        80 x 80 map, 0 good; other pixels get weight 0.
    mask
        Mask pattern (True = open); default ``make_mask()``.
    background
        Fixed background model (80 x 80); None = quadratic background fitted jointly.
    instrument
        Instrument constants.

    Returns
    -------
    DetectorFit
        Direction, flux, Cramer-Rao and curvature covariances (module docstring).
    """
    inst = instrument
    m = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    d, w, offset, basis = _inputs(shadow, pixel_status, background, inst)
    if np.count_nonzero(w) <= basis.shape[1] + 3:
        raise InputError("too few good pixels for the detector fit", variable="pixel_status")
    model = _Model(d, w, offset, basis, m, inst)
    sy, sz = inst.shadow_shift(theta0_deg, phi0_deg)
    p, ll, n_iter, ok = _maximise(model, model.start((float(sy), float(sz))), inst.pixel_pitch_m)
    mu, jac = model.jacobian(p)
    theta, phi = inst.direction_from_shift(p[-2], p[-1])
    theta, phi = float(theta), float(phi)
    crb = angular_covariance(_position_cov(fisher_information(mu, jac)), theta, phi, inst)
    obs_info = _observed_information(model, p, mu, jac)
    obs = angular_covariance(_position_cov(obs_info), theta, phi, inst)
    return DetectorFit(theta, phi, (float(p[-2]), float(p[-1])), float(p[0]), p, crb, obs,
                       _sigma(crb), _sigma(obs), ll, n_iter, ok)  # fmt: skip
