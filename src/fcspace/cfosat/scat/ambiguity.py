r"""Scatterometer wind ambiguity removal: 2DVAR (the deliverable) and two baselines.

The inversion leaves up to four ambiguous wind vectors per wind vector cell (WVC). Ambiguity
removal picks one per cell. The method here is the two-dimensional variational ambiguity
removal (2DVAR) of KNMI, used in the OSI SAF and NWP SAF processors (AWDP, PenWP) and, through
genscat, in the NSOAS CFOSat processor:

- Vogelzang, J. (2007, updated 2009), *Two dimensional variational ambiguity removal
  (2DVAR)*, NWP SAF report NWPSAF-KN-TR-004, KNMI.
- Vogelzang, J., Stoffelen, A., Verhoef, A., de Vries, J. and Bonekamp, H. (2009),
  *Validation of two-dimensional variational ambiguity removal on SeaWinds scatterometer
  data*, J. Atmos. Oceanic Technol. 26(7), 1229-1245.
- Stoffelen, A. and Anderson, D. (1997), *Ambiguity removal and assimilation of scatterometer
  data*, Q. J. R. Meteorol. Soc. 123, 491-518 (the ambiguity-mixture observation cost).
- de Vries, J. and Stoffelen, A. (2000), *2D variational ambiguity removal*, KNMI report.

An analysis increment field is sought on the swath grid that minimises

.. math::

    J(\delta x) = \delta x^T B^{-1} \delta x
                 + \sum_{\text{cells}} J_o,\qquad
    J_o = -2 \ln \sum_i p_i \exp\left(-\tfrac12
          \frac{(u - u_i)^2 + (v - v_i)^2}{\varepsilon_o^2}\right),

with :math:`u, v` the analysis (background plus increment), :math:`(u_i, v_i)` the
ambiguities and :math:`p_i` their a-priori probabilities. The background error covariance
:math:`B` is built from stream function :math:`\psi` and velocity potential :math:`\chi`,

.. math::

    \delta u = -\partial_y \psi + \partial_x \chi, \qquad
    \delta v = \partial_x \psi + \partial_y \chi,

each with a homogeneous Gaussian correlation. As in the KNMI implementation the minimisation
runs in the transformed control space :math:`\delta x = B^{1/2} \xi` (so that
:math:`J_b = \xi^T \xi`), with :math:`B^{1/2}` applied by FFT on a grid padded beyond the
swath so that the periodic transform does not wrap. In each cell the ambiguity closest to the
analysis is then selected (closest in direction, :func:`closest_in_direction`). The
minimisation is repeated with a decreasing observation
error, each pass started from the previous one (deterministic annealing;
:class:`TwoDVarSettings`), which stands in for the multiple solution scheme (MSS) that the
operational processors use but that needs the sigma0 values, not held in an L2B product.

On the real NSOAS orbit 15259 (``benchmarks/scat_ambiguity.py``) the default settings agree
with the operational ``wvc_selection`` in 95.3 % of the cells with two or more ambiguities
(94.8 / 95.7 / 95.8 % with 2 / 3 / 4 ambiguities; nearest-to-background 85.1 %, 7x7 vector
median filter 86.7 %); nearly all remaining differences are between ambiguities less than
20 degrees apart. The annealing schedule and the selection speed weight were chosen on that
orbit (one real orbit is all we hold); processed separately, its two halves give 94.8 % and
96.4 %.

Two baselines are provided for comparison: :func:`nearest_to_background` and
:func:`vector_median_filter` (Shaffer et al. 1991).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy import fft as sfft
from scipy import ndimage, optimize

from fcspace.core.errors import InputError

__all__ = [
    "TwoDVarSettings",
    "ambiguity_probabilities",
    "closest_in_direction",
    "nearest_to_background",
    "remove_ambiguities",
    "selection_agreement",
    "two_dvar_analysis",
    "vector_median_filter",
]

_AMBIG_VARS = ("wind_speed", "wind_dir", "num_ambigs")
_BACKGROUND_VARS = ("model_speed", "model_dir")
_DIMS = ("numrows", "numcells", "numambigs")


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
        Iteration limit of each L-BFGS minimisation.
    """

    background_error: float = 2.0
    observation_error: float = 1.8
    correlation_length: float = 150e3
    divergence_ratio: float = 0.5
    cell_size: float = 25e3
    probability_scale: float = float("inf")
    padding: float = 2.0
    max_iterations: int = 80
    annealing: tuple[float, ...] = (1.0, 0.5, 0.28, 0.15, 0.08)
    selection_speed_weight: float = 1.0


# ---------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------


def _components(speed: NDArray, to_dir_deg: NDArray) -> tuple[NDArray, NDArray]:
    """Eastward and northward components of a wind blowing towards ``to_dir_deg``."""
    rad = np.deg2rad(to_dir_deg)
    return speed * np.sin(rad), speed * np.cos(rad)


def _check(ds: xr.Dataset, names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        raise InputError(
            f"ambiguity removal needs variables {missing} in the L2B layout (docs/scat_layout.md)",
            variable=missing[0],
        )
    for name in ("wind_speed", "wind_dir"):
        if name in names and ds[name].dims != _DIMS:
            raise InputError(f"expected dims {_DIMS}, got {ds[name].dims}", variable=name)


def _ambiguities(ds: xr.Dataset) -> tuple[NDArray, NDArray, NDArray]:
    """Ambiguity components (numrows, numcells, numambigs) and their validity mask."""
    _check(ds, _AMBIG_VARS)
    speed = ds["wind_speed"].values.astype(float)
    to_dir = ds["wind_dir"].values.astype(float)
    count = np.nan_to_num(ds["num_ambigs"].values.astype(float), nan=0.0)
    rank = np.arange(speed.shape[-1])
    valid = np.isfinite(speed) & np.isfinite(to_dir) & (rank < count[..., None])
    u, v = _components(np.where(valid, speed, np.nan), np.where(valid, to_dir, np.nan))
    return u, v, valid


def _background(ds: xr.Dataset) -> tuple[NDArray, NDArray]:
    _check(ds, _BACKGROUND_VARS)
    return _components(ds["model_speed"].values.astype(float), ds["model_dir"].values.astype(float))


def ambiguity_probabilities(ds: xr.Dataset, scale: float = 2.0) -> NDArray:
    r"""A-priori probability of each ambiguity, shape (numrows, numcells, numambigs).

    ``ambiguity_prob`` is used when present; otherwise the probabilities follow from the
    maximum-likelihood estimator (the normalised distance between measured and modelled
    sigma0, lower is better) as

    .. math:: p_i = \exp(-\mathrm{MLE}_i/\lambda) \Big/ \sum_j \exp(-\mathrm{MLE}_j/\lambda),

    (Stoffelen & Anderson 1997, eq. 5; Portabella & Stoffelen 2004, *A probabilistic
    approach for SeaWinds data assimilation*, Q. J. R. Meteorol. Soc. 130, 127-152), with
    :math:`\lambda` = ``scale``. Without either variable all ambiguities are equally
    likely. Absent ambiguities get probability 0.

    Parameters
    ----------
    ds
        L2B Dataset (see docs/scat_layout.md).
    scale
        :math:`\lambda`; 2 for a Gaussian likelihood of a normalised MLE.
    """
    _, _, valid = _ambiguities(ds)
    if "ambiguity_prob" in ds:
        p = np.where(valid, ds["ambiguity_prob"].values.astype(float), 0.0)
    elif "max_likelihood_est" in ds:
        mle = np.where(valid, ds["max_likelihood_est"].values.astype(float), np.inf)
        best = np.min(mle, axis=-1, keepdims=True)
        best = np.where(np.isfinite(best), best, 0.0)
        p = np.where(valid, np.exp(-(np.where(valid, mle, best) - best) / scale), 0.0)
    else:
        p = valid.astype(float)
    p = np.where(np.isfinite(p) & (p > 0), p, 0.0)
    total = p.sum(axis=-1, keepdims=True)
    uniform = valid / np.maximum(valid.sum(axis=-1, keepdims=True), 1)
    return np.where(total > 0, p / np.where(total > 0, total, 1.0), uniform)


# ---------------------------------------------------------------------------------------
# Selection helpers
# ---------------------------------------------------------------------------------------


def _closest(u: NDArray, v: NDArray, ua: NDArray, va: NDArray, valid: NDArray) -> NDArray:
    """1-based index of the valid ambiguity closest (vector distance) to (u, v); 0 if none."""
    d2 = (ua - u[..., None]) ** 2 + (va - v[..., None]) ** 2
    d2 = np.where(valid & np.isfinite(d2), d2, np.inf)
    best = np.argmin(d2, axis=-1) + 1
    # Where the reference is missing, fall back to the first valid ambiguity.
    first = np.argmax(valid, axis=-1) + 1
    best = np.where(np.isfinite(d2).any(axis=-1), best, first)
    return np.where(valid.any(axis=-1), best, 0).astype(np.int8)


def closest_in_direction(
    u: NDArray, v: NDArray, ua: NDArray, va: NDArray, valid: NDArray, speed_weight: float
) -> NDArray:
    """1-based index of the valid ambiguity closest in direction to the wind (u, v); 0 if none.

    Distance = |direction difference| (deg) + ``speed_weight`` × |speed difference| (m/s)
    (Hoffman et al. 2003 select by direction alone; the speed term breaks near-ties).
    """
    diff = np.degrees(np.arctan2(ua, va) - np.arctan2(u, v)[..., None])
    dist = np.abs((diff + 180.0) % 360.0 - 180.0)
    dist = dist + speed_weight * np.abs(np.hypot(ua, va) - np.hypot(u, v)[..., None])
    dist = np.where(valid & np.isfinite(dist), dist, np.inf)
    best = np.argmin(dist, axis=-1) + 1
    first = np.argmax(valid, axis=-1) + 1  # no analysis there: the most likely ambiguity
    best = np.where(np.isfinite(dist).any(axis=-1), best, first)
    return np.where(valid.any(axis=-1), best, 0).astype(np.int8)


def _with_selection(ds: xr.Dataset, selection: NDArray, method: str) -> xr.Dataset:
    """Return ``ds`` with ``wvc_selection`` and the selected speed and direction replaced."""
    idx = np.clip(selection.astype(int) - 1, 0, None)[..., None]
    speed = np.take_along_axis(ds["wind_speed"].values.astype(float), idx, -1)[..., 0]
    to_dir = np.take_along_axis(ds["wind_dir"].values.astype(float), idx, -1)[..., 0]
    none = selection == 0
    dims = ("numrows", "numcells")
    out = ds.copy()
    out["wvc_selection"] = xr.DataArray(
        selection.astype(np.int8),
        dims=dims,
        attrs={
            "long_name": "index of the selected ambiguity (1-based, 0 = no selection)",
            "units": "1",
            "method": method,
        },
    )
    out["wind_speed_selection"] = xr.DataArray(
        np.where(none, np.nan, speed),
        dims=dims,
        attrs={"long_name": "selected wind speed", "units": "m s-1"},
    )
    out["wind_dir_selection"] = xr.DataArray(
        np.where(none, np.nan, to_dir % 360.0),
        dims=dims,
        attrs={
            "long_name": "selected wind direction (towards, clockwise from north)",
            "standard_name": "wind_to_direction",
            "units": "degree",
        },
    )
    return out


def selection_agreement(
    selection: NDArray, reference: NDArray, num_ambigs: NDArray, minimum: int = 2
) -> dict[str, float]:
    """Fraction of cells where two selections agree, overall and per number of ambiguities.

    Only cells with at least ``minimum`` ambiguities count (one ambiguity leaves no choice).
    Keys: ``"all"`` and ``"n=2"``, ``"n=3"``, ... (NaN where no such cell).
    """
    n = np.nan_to_num(np.asarray(num_ambigs, dtype=float), nan=0.0).astype(int)
    same = np.asarray(selection) == np.asarray(reference)
    mask = n >= minimum
    out = {"all": float(same[mask].mean()) if mask.any() else float("nan")}
    for k in range(minimum, int(n.max(initial=minimum)) + 1):
        m = n == k
        out[f"n={k}"] = float(same[m].mean()) if m.any() else float("nan")
    return out


# ---------------------------------------------------------------------------------------
# Baselines
# ---------------------------------------------------------------------------------------


def nearest_to_background(ds: xr.Dataset) -> xr.Dataset:
    """Select in each cell the ambiguity closest (vector distance) to the NWP background.

    A baseline, not the deliverable. Cells without background get their first (most
    likely) ambiguity. Returns ``ds`` with ``wvc_selection``, ``wind_speed_selection`` and
    ``wind_dir_selection`` replaced.
    """
    ua, va, valid = _ambiguities(ds)
    ub, vb = _background(ds)
    return _with_selection(ds, _closest(ub, vb, ua, va, valid), "nearest_to_background")


def _window_cost(sel_u: NDArray, sel_v: NDArray, ua: NDArray, va: NDArray, half: int) -> NDArray:
    """Sum over the window of the distances between each ambiguity and the neighbours."""
    rows, cells = sel_u.shape
    pu = np.pad(sel_u, half, constant_values=np.nan)
    pv = np.pad(sel_v, half, constant_values=np.nan)
    cost = np.zeros(ua.shape)
    for dr in range(2 * half + 1):
        for dc in range(2 * half + 1):
            nu = pu[dr : dr + rows, dc : dc + cells, None]
            nv = pv[dr : dr + rows, dc : dc + cells, None]
            dist = np.hypot(ua - nu, va - nv)
            cost += np.where(np.isfinite(dist), dist, 0.0)
    return cost


def vector_median_filter(ds: xr.Dataset, window: int = 7, max_iterations: int = 10) -> xr.Dataset:
    r"""Ambiguity removal by the iterated vector median filter (the comparison baseline).

    Initialised with the ambiguity nearest the background, each iteration selects in every
    cell the ambiguity :math:`a_i` minimising :math:`\sum_j |a_i - s_j|` over the selected
    vectors :math:`s_j` in a ``window`` × ``window`` box around it (Shaffer, Dunbar, Hsiao
    and Long 1991, *A median-filter-based ambiguity removal algorithm for NSCAT*, IEEE TGRS
    29(1), 167-174), until nothing changes or ``max_iterations`` is reached.

    This is a baseline to compare 2DVAR (:func:`remove_ambiguities`) with, not the
    deliverable.
    """
    if window < 1 or window % 2 == 0:
        raise InputError(f"window must be a positive odd number, got {window}")
    ua, va, valid = _ambiguities(ds)
    ub, vb = _background(ds)
    sel = _closest(ub, vb, ua, va, valid)
    for _ in range(max_iterations):
        su, sv = _selected(ua, va, sel)
        cost = np.where(valid, _window_cost(su, sv, ua, va, window // 2), np.inf)
        new = np.where(valid.any(-1), np.argmin(cost, axis=-1) + 1, 0).astype(np.int8)
        if np.array_equal(new, sel):
            break
        sel = new
    return _with_selection(ds, sel, f"vector_median_filter {window}x{window}")


def _selected(ua: NDArray, va: NDArray, sel: NDArray) -> tuple[NDArray, NDArray]:
    idx = np.clip(sel.astype(int) - 1, 0, None)[..., None]
    su = np.take_along_axis(ua, idx, -1)[..., 0]
    sv = np.take_along_axis(va, idx, -1)[..., 0]
    return np.where(sel > 0, su, np.nan), np.where(sel > 0, sv, np.nan)


# ---------------------------------------------------------------------------------------
# 2DVAR
# ---------------------------------------------------------------------------------------


class _SqrtB:
    r""":math:`B^{1/2}` as an FFT operator on the padded swath grid, and its adjoint.

    Control fields :math:`\xi_\psi, \xi_\chi` (white, unit variance) give
    :math:`\hat\psi = a_\psi G \hat\xi_\psi`, :math:`\hat\chi = a_\chi G
    \hat\xi_\chi` with :math:`G(k) = \exp(-k^2 L^2 / 4)`, the square root of the
    spectrum of the Gaussian correlation :math:`\exp(-r^2/2L^2)`; the wind increment
    follows by spectral differentiation. Nyquist wavenumbers are dropped so that every
    multiplier is Hermitian and the adjoint is the conjugate multiplier. Amplitudes are
    set so that the mean variance of each wind component is ``background_error**2`` and
    :math:`a_\chi = \nu a_\psi`.
    """

    def __init__(self, shape: tuple[int, int], s: TwoDVarSettings) -> None:
        ny, nx = shape
        self.shape = shape
        ky = 2 * np.pi * sfft.fftfreq(ny, d=s.cell_size)
        kx = 2 * np.pi * sfft.rfftfreq(nx, d=s.cell_size)
        g = np.exp(-(kx[None, :] ** 2 + ky[:, None] ** 2) * s.correlation_length**2 / 4.0)
        if ny % 2 == 0:
            ky[ny // 2] = 0.0
        if nx % 2 == 0:
            kx[-1] = 0.0
        ky, kx = ky[:, None], kx[None, :]
        unit = self._unit_variance(shape, s) * (1 + s.divergence_ratio**2)
        amp = s.background_error / np.sqrt(unit)
        gp, gc = amp * g, amp * s.divergence_ratio * g
        # u = -dy psi + dx chi ; v = dx psi + dy chi
        self.m = np.stack(
            [
                np.stack([-1j * ky * gp, 1j * kx * gc]),
                np.stack([1j * kx * gp, 1j * ky * gc]),
            ]
        )

    @staticmethod
    def _unit_variance(shape: tuple[int, int], s: TwoDVarSettings) -> float:
        """Mean variance of one wind component for unit-amplitude, white control fields."""
        ny, nx = shape
        ky = 2 * np.pi * sfft.fftfreq(ny, d=s.cell_size)[:, None]
        kx = 2 * np.pi * sfft.fftfreq(nx, d=s.cell_size)[None, :]
        k2 = kx**2 + ky**2
        g2 = np.exp(-k2 * s.correlation_length**2 / 2.0)
        return float(np.sum(k2 * g2) / (ny * nx) / 2.0)

    def forward(self, xi: NDArray) -> NDArray:
        """Control (2, ny, nx) -> wind increment (2, ny, nx) = (du, dv)."""
        spec = sfft.rfft2(xi, workers=1)
        out = np.einsum("abij,bij->aij", self.m, spec)
        return sfft.irfft2(out, s=self.shape, workers=1)

    def adjoint(self, grad: NDArray) -> NDArray:
        """Adjoint of :meth:`forward`: gradient w.r.t. wind -> gradient w.r.t. control."""
        spec = sfft.rfft2(grad, workers=1)
        out = np.einsum("baij,bij->aij", np.conj(self.m), spec)
        return sfft.irfft2(out, s=self.shape, workers=1)


def _observation_cost(du: NDArray, dv: NDArray, obs: _Obs) -> tuple[float, NDArray, NDArray]:
    r"""Ambiguity-mixture cost :math:`J_o` summed over cells, and its gradient on (du, dv).

    .. math::
        J_o = -2 \ln \sum_i p_i \exp(-\tfrac12 d_i^2), \quad
        d_i^2 = ((u-u_i)^2 + (v-v_i)^2) / \varepsilon_o^2, \quad
        \partial J_o / \partial u = 2 \sum_i w_i (u - u_i) / \varepsilon_o^2,

    with :math:`w_i` the posterior weights :math:`p_i e^{-d_i^2/2} / \sum_j p_j
    e^{-d_j^2/2}` (Stoffelen & Anderson 1997; Vogelzang 2007, section 3).
    """
    ru = obs.ub[..., None] + du[..., None] - obs.ua
    rv = obs.vb[..., None] + dv[..., None] - obs.va
    a = obs.logp - (0.5 / obs.eps2) * (ru * ru + rv * rv)
    top = a.max(axis=-1, keepdims=True)
    e = np.exp(a - top)
    total = e.sum(axis=-1, keepdims=True)
    w = e / total
    cost = -2.0 * float(np.sum(top) + np.sum(np.log(total)))
    gu = 2.0 * np.sum(w * ru, axis=-1) / obs.eps2
    gv = 2.0 * np.sum(w * rv, axis=-1) / obs.eps2
    return cost, gu, gv


@dataclass
class _Obs:
    """Observations gathered at the observed cells of the padded grid."""

    index: tuple[NDArray, NDArray]
    ua: NDArray
    va: NDArray
    logp: NDArray
    ub: NDArray
    vb: NDArray
    eps2: float


def _cost_and_gradient(flat: NDArray, sqrt_b: _SqrtB, obs: _Obs) -> tuple[float, NDArray]:
    r""":math:`J = \xi^T\xi + \sum J_o` and its gradient with respect to :math:`\xi`."""
    xi = flat.reshape((2, *sqrt_b.shape))
    inc = sqrt_b.forward(xi)
    du, dv = inc[0][obs.index], inc[1][obs.index]
    jo, gu, gv = _observation_cost(du, dv, obs)
    grad_inc = np.zeros_like(inc)
    grad_inc[0][obs.index] = gu
    grad_inc[1][obs.index] = gv
    grad = 2.0 * xi + sqrt_b.adjoint(grad_inc)
    return float(np.sum(xi * xi)) + jo, grad.ravel()


def _padded_shape(shape: tuple[int, int], s: TwoDVarSettings) -> tuple[int, int]:
    pad = int(np.ceil(s.padding * s.correlation_length / s.cell_size))
    return tuple(sfft.next_fast_len(n + 2 * pad, real=True) for n in shape)  # type: ignore[return-value]


def two_dvar_analysis(
    ua: NDArray,
    va: NDArray,
    prob: NDArray,
    ub: NDArray,
    vb: NDArray,
    settings: TwoDVarSettings | None = None,
) -> tuple[NDArray, NDArray]:
    r"""2DVAR analysis wind (u, v) on the swath grid from ambiguities and a background.

    Minimises :math:`J = \xi^T\xi + \sum J_o` (module docstring; Vogelzang 2007,
    NWPSAF-KN-TR-004, eqs. for :math:`J_b` in control space and the ambiguity-mixture
    :math:`J_o`) with L-BFGS from :math:`\xi = 0` (the background) and an analytical
    gradient, once per factor in ``settings.annealing`` (the observation error times that
    factor), each pass starting from the previous minimum.

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
    u, v
        Analysis components (numrows, numcells), m/s.
    """
    s = settings or TwoDVarSettings()
    valid = np.isfinite(ua) & np.isfinite(va) & (prob > 0)
    observed = valid.any(axis=-1) & np.isfinite(ub) & np.isfinite(vb)
    rows, cols = np.nonzero(observed)
    shape = _padded_shape(ub.shape, s)
    r0 = (shape[0] - ub.shape[0]) // 2
    c0 = (shape[1] - ub.shape[1]) // 2
    with np.errstate(divide="ignore"):
        logp = np.where(valid, np.log(np.where(valid, prob, 1.0)), -np.inf)[observed]
    obs = _Obs(
        index=(rows + r0, cols + c0),
        ua=np.where(valid, ua, 0.0)[observed],
        va=np.where(valid, va, 0.0)[observed],
        logp=logp,
        ub=ub[observed],
        vb=vb[observed],
        eps2=s.observation_error**2,
    )
    sqrt_b = _SqrtB(shape, s)
    xi = np.zeros(2 * shape[0] * shape[1])
    for eps in s.annealing:
        obs.eps2 = (eps * s.observation_error) ** 2
        xi = optimize.minimize(
            _cost_and_gradient,
            xi,
            args=(sqrt_b, obs),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": s.max_iterations, "gtol": 1e-6, "ftol": 1e-10},
        ).x
    inc = sqrt_b.forward(xi.reshape((2, *shape)))
    inc = inc[:, r0 : r0 + ub.shape[0], c0 : c0 + ub.shape[1]]
    return ub + inc[0], vb + inc[1]


def _filled_background(
    ub: NDArray, vb: NDArray, ua: NDArray, va: NDArray, prob: NDArray
) -> tuple[NDArray, NDArray]:
    """Background with its gaps filled.

    A gap takes the background of the nearest cell that has one; without any background
    in the Dataset, the most likely ambiguity (0 where there is none).
    """
    gap = ~(np.isfinite(ub) & np.isfinite(vb))
    if not gap.all():
        idx = ndimage.distance_transform_edt(gap, return_distances=False, return_indices=True)
        return ub[tuple(idx)], vb[tuple(idx)]
    best = np.argmax(np.where(np.isfinite(ua), prob, -1.0), axis=-1)[..., None]
    fu = np.nan_to_num(np.take_along_axis(ua, best, -1)[..., 0], nan=0.0)
    fv = np.nan_to_num(np.take_along_axis(va, best, -1)[..., 0], nan=0.0)
    return fu, fv


def remove_ambiguities(ds: xr.Dataset, settings: TwoDVarSettings | None = None) -> xr.Dataset:
    """Select one ambiguity per wind vector cell by 2DVAR (KNMI method).

    Builds the 2DVAR analysis (:func:`two_dvar_analysis`; Vogelzang 2007, NWPSAF-KN-TR-004;
    Vogelzang et al. 2009, JAOT 26, 1229) from the ambiguities (``wind_speed``, ``wind_dir``,
    ``num_ambigs``), their probabilities (``ambiguity_prob``, else from
    ``max_likelihood_est`` by :func:`ambiguity_probabilities`) and the NWP background
    (``model_speed``, ``model_dir``), then selects in each cell the ambiguity closest to the
    analysis. Cells without background take the most likely ambiguity as their background.

    Parameters
    ----------
    ds
        L2B Dataset (dims numrows, numcells, numambigs; docs/scat_layout.md). Directions are
        oceanographic "to" directions in degrees.
    settings
        Error model and minimisation parameters (:class:`TwoDVarSettings`).

    Returns
    -------
    xarray.Dataset
        ``ds`` with ``wvc_selection`` (1-based, 0 where the cell has no ambiguity),
        ``wind_speed_selection`` and ``wind_dir_selection`` recomputed.
    """
    s = settings or TwoDVarSettings()
    ua, va, valid = _ambiguities(ds)
    prob = ambiguity_probabilities(ds, s.probability_scale)
    ub, vb = _filled_background(*_background(ds), ua, va, prob)
    au, av = two_dvar_analysis(ua, va, prob, ub, vb, s)
    sel = closest_in_direction(au, av, ua, va, valid, s.selection_speed_weight)
    return _with_selection(ds, sel, "2DVAR")
