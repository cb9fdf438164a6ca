"""SWIM nadir beam: Brown-Hayne waveform model, simulator, retrackers, averaging, wind speed.

The nadir beam of SWIM is a pulse-limited Ku-band altimeter ([Hauser2017], [Hauser2021]).
Its mean echo over the ocean is the convolution of the flat-surface impulse response, the
point-target response of the radar and the probability density of the sea-surface elevation
(Brown 1977; Hayne 1980). Everything here works in gates (one gate = c / 2B of range, 1/B of
two-way time); numbers come from `fcspace.cfosat.swim.instrument`.

Sources
-------
- Brown, G. S. (1977). The average impulse response of a rough surface and its
  applications. IEEE Trans. Antennas Propag. 25(1), 67-74.
- Hayne, G. S. (1980). Radar altimeter mean return waveforms from near-normal-incidence ocean
  surface scattering. IEEE Trans. Antennas Propag. 28(5), 687-692.
- Amarouche, L., Thibaut, P., Zanife, O. Z., et al. (2004). Improving the Jason-1 ground
  retracking to better account for attitude effects. Marine Geodesy 27(1-2), 171-197 (MLE4
  closed form with mispointing; the 0.513-gate Gaussian PTR).
- Tourain, C., Piras, F., Ollivier, A., et al. (2021). Benefits of the adaptive algorithm for
  retracking altimeter nadir echoes: results from simulations and CFOSAT/SWIM observations.
  IEEE TGRS, doi:10.1109/TGRS.2021.3064236 (speckle likelihood for SWIM nadir echoes).
- Hauser, D., et al. (2021). New observations from the SWIM radar on-board CFOSAT:
  instrument validation and ocean wave measurement assessment. IEEE TGRS 59(1), 5-26.
- Abdalla, S. (2012). Ku-band radar altimeter surface wind speed algorithm. Marine Geodesy
  35(sup1), 276-298 (first presented at the 2007 Envisat Symposium, ESA SP-636).
- Gourrion, J., Vandemark, D., Bailey, S., et al. (2002). A two-parameter wind speed
  algorithm for Ku-band altimeters. J. Atmos. Oceanic Technol. 19(12), 2030-2048.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from fcspace.cfosat.swim import retrack as _kernels
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM, SPEED_OF_LIGHT_M_S, SwimInstrument
from fcspace.core.errors import InputError

__all__ = [
    "average_1hz",
    "average_groups",
    "brown_constants",
    "brown_waveform",
    "nadir_wind_speed",
    "retrack",
    "sigma_c_gates",
    "simulate_waveforms",
    "swh_from_sigma_c",
]

NOISE_GATES = slice(4, 12)  # gates averaged for the thermal noise floor (before any edge)
MIN_GATES = 32


def brown_constants(
    instrument: SwimInstrument = CFOSAT_SWIM,
    mispointing_deg: float = 0.0,
    mss: float | None = None,
) -> tuple[float, float]:
    """Trailing-edge decay rate per gate c_xi and mispointing attenuation f of the waveform.

    Brown (1977) with the Amarouche et al. (2004) small-mispointing form:
    a = 4 c / (gamma h (1 + h / R)) (per second of two-way time, spherical Earth),
    c_xi = a (cos 2 xi - sin^2 2 xi / gamma) / B (per gate), f = exp(-4 sin^2 xi / gamma),
    gamma the antenna beam-width parameter and xi the mispointing angle. The Gaussian slope
    pattern of the surface, sigma0(psi) ~ exp(-tan^2 psi / mss) (Brown 1977), adds to the
    antenna term: 4 / gamma_eff = 4 / gamma + 1 / mss (``mss`` None: neglected, the usual
    altimeter assumption since 1/mss << 4/gamma).
    """
    gamma = instrument.gamma
    if mss is not None:
        gamma = 4.0 / (4.0 / gamma + 1.0 / mss)
    h, r = instrument.altitude_m, instrument.earth_radius_m
    a = 4.0 * SPEED_OF_LIGHT_M_S / (gamma * h * (1.0 + h / r))
    xi = np.radians(mispointing_deg)
    b_xi = np.cos(2.0 * xi) - np.sin(2.0 * xi) ** 2 / gamma
    attenuation = float(np.exp(-4.0 * np.sin(xi) ** 2 / gamma))
    return float(a * b_xi * instrument.gate_spacing_s), attenuation


def sigma_c_gates(swh: ArrayLike, instrument: SwimInstrument = CFOSAT_SWIM) -> NDArray:
    """Composite leading-edge width sigma_c = sqrt(sigma_p^2 + (SWH / 4)^2), in gates.

    In two-way time sigma_s = SWH / (2 c) (surface elevation std SWH/4, Brown 1977);
    sigma_p is the Gaussian width of the point-target response (Amarouche et al. 2004).
    """
    sig_s = np.asarray(swh, dtype=float) / 4.0 / instrument.gate_spacing_m
    return np.sqrt(instrument.pulse_sigma_factor**2 + sig_s**2)


def swh_from_sigma_c(sigma_c: ArrayLike, instrument: SwimInstrument = CFOSAT_SWIM) -> NDArray:
    """SWH = 4 dr sqrt(sigma_c^2 - sigma_p^2), signed (negative when sigma_c < sigma_p).

    The signed root keeps the mean of noisy low-sea-state estimates unbiased in
    sigma_s^2, as altimeter products do.
    """
    d = np.asarray(sigma_c, dtype=float) ** 2 - instrument.pulse_sigma_factor**2
    return 4.0 * instrument.gate_spacing_m * np.sign(d) * np.sqrt(np.abs(d))


def brown_waveform(
    epoch: ArrayLike,
    swh: ArrayLike,
    amplitude: ArrayLike = 1.0,
    *,
    noise: ArrayLike = 0.0,
    skewness: float = 0.0,
    mispointing_deg: float = 0.0,
    mss: float | None = None,
    instrument: SwimInstrument = CFOSAT_SWIM,
) -> NDArray:
    """Mean ocean return (Brown-Hayne closed form) at the gates of the nadir waveform.

    P(t) = A f exp(-v) [Phi(u) + (lambda_c / 6) S(u, b)] + N, with x = t - tau (gates),
    sigma = sigma_c, b = c_xi sigma, u = x / sigma - b, v = c_xi (x - c_xi sigma^2 / 2),
    Phi the standard normal CDF (= (1 + erf(u / sqrt 2)) / 2). This is the Brown (1977)
    convolution of the flat-surface response with a Gaussian elevation pdf and Gaussian PTR
    (Amarouche et al. 2004 form with mispointing, `brown_constants`). The skewness term is
    Hayne's (1980) Gram-Charlier correction: with the elevation pdf phi(z)[1 + lambda/6
    H3(z)], the convolution integral is closed form, S = I3 + 3b I2 + (3b^2 - 3) I1 +
    (b^3 - 3b) I0 with I0 = Phi, I1 = -phi, I2 = Phi - u phi, I3 = -(u^2 + 2) phi (moments
    of the truncated normal); lambda_c = lambda (sigma_s / sigma_c)^3 is the skewness of the
    composite (surface + Gaussian PTR) distribution.

    Parameters
    ----------
    epoch
        Leading-edge epoch tau in gates (fractional), broadcast with ``swh``, ``amplitude``.
    swh
        Significant wave height (m).
    amplitude
        A, the plateau power before the trailing-edge decay.
    noise
        Thermal noise floor N (same units as A).
    skewness
        lambda, skewness of the sea-surface elevation (0: Gaussian).
    mispointing_deg, mss, instrument
        See `brown_constants`.

    Returns
    -------
    numpy.ndarray
        Shape broadcast(epoch, swh, amplitude, noise) + (n_gates,).
    """
    c, f = brown_constants(instrument, mispointing_deg, mss)
    arrays = (np.asarray(v, dtype=float) for v in (epoch, swh, amplitude, noise))
    tau, swh_, amp, nse = np.broadcast_arrays(*arrays)
    sig = sigma_c_gates(swh_, instrument)[..., None]
    x = np.arange(instrument.n_gates) - tau[..., None]
    b = c * sig
    u = x / sig - b
    shape = ndtr(u)
    if skewness:
        lam = skewness * (np.abs(swh_[..., None]) / 4.0 / instrument.gate_spacing_m / sig) ** 3
        pdf = np.exp(-0.5 * u**2) / np.sqrt(2.0 * np.pi)
        s3 = -(u**2 + 2.0) * pdf + 3.0 * b * (shape - u * pdf) - (3.0 * b**2 - 3.0) * pdf
        shape = shape + lam / 6.0 * (s3 + (b**3 - 3.0 * b) * shape)
    decay = np.exp(-c * (x - 0.5 * c * sig**2))
    return amp[..., None] * f * decay * shape + nse[..., None]


def simulate_waveforms(
    swh: ArrayLike,
    epoch: ArrayLike,
    amplitude: ArrayLike,
    rng: np.random.Generator | int | None,
    n_looks: int | None = None,
    noise: ArrayLike = 0.0,
    *,
    skewness: float = 0.0,
    mispointing_deg: float = 0.0,
    instrument: SwimInstrument = CFOSAT_SWIM,
) -> NDArray:
    """Multi-look speckled nadir waveforms around the Brown-Hayne mean (`brown_waveform`).

    Each gate of a single pulse echo has exponentially distributed power (fully developed
    speckle, Rayleigh amplitude; Goodman 1976, J. Opt. Soc. Am. 66(11)); the thermal noise
    adds incoherently and is speckled the same way. The incoherent average of L independent
    looks is therefore Gamma(shape L, scale m/L) with mean m = signal + noise and relative
    standard deviation 1/sqrt(L). Gates are taken independent (gate spacing = resolution).

    Parameters
    ----------
    swh, epoch, amplitude
        Truth per waveform (m, gates, power), broadcast together to shape (n,) or ().
    rng
        Generator or seed (reproducible).
    n_looks
        Looks per waveform, default ``instrument.n_looks``; 0 gives the noise-free mean.
    noise
        Thermal noise floor (same units as ``amplitude``).
    skewness, mispointing_deg, instrument
        See `brown_waveform`.

    Returns
    -------
    numpy.ndarray
        Waveforms, shape broadcast(...) + (n_gates,).
    """
    rng = np.random.default_rng(rng)
    looks = instrument.n_looks if n_looks is None else int(n_looks)
    mean = brown_waveform(
        epoch, swh, amplitude, noise=noise, skewness=skewness,
        mispointing_deg=mispointing_deg, instrument=instrument,
    )  # fmt: skip
    if looks <= 0:
        return mean
    return mean * rng.gamma(looks, 1.0 / looks, size=mean.shape)


def retrack(
    waveforms: ArrayLike,
    method: str = "mle",
    *,
    mispointing_deg: float = 0.0,
    instrument: SwimInstrument = CFOSAT_SWIM,
    max_iter: int = 30,
    tol: float = 1e-4,
) -> xr.Dataset:
    """Retrack nadir waveforms: epoch, SWH and amplitude of each, all rows in one call.

    Each waveform is scaled to unit peak; the thermal noise floor N is the mean of gates
    4-11 (before the leading edge) and held fixed; epoch tau, width sigma_c and amplitude A
    of the Brown model (`brown_waveform`, skewness 0, known mispointing) are then fitted on
    all gates by Levenberg-Marquardt (Marquardt 1963) in one compiled loop over the
    waveforms (`fcspace.cfosat.swim.retrack.retrack_rows`, one core):

    - ``"mle"``: maximum likelihood under multi-look speckle (Gamma law, shape = looks),
      i.e. Fisher scoring with weights 1 / m^2, the likelihood of the adaptive retracker
      (Poisson et al. 2018; Tourain et al. 2021);
    - ``"ls"``: unweighted least squares, the classical MLE3 fit (Amarouche et al. 2004).

    Parameters
    ----------
    waveforms
        Array (n_waveforms, n_gates) of non-negative power. Rows with NaN, inf or negative
        values are not fitted: their estimates are NaN and ``valid_input`` is False.
    method
        ``"mle"`` or ``"ls"``.
    mispointing_deg, instrument
        Known antenna mispointing and constants (see `brown_constants`).
    max_iter, tol
        Iteration limit; convergence when the steps of tau and sigma_c (gates) are below
        ``tol`` and that of A below ``tol * A``. The default 1e-4 gate (5e-5 m of range)
        changes SWH by < 0.2 mm from a 1e-6 stop, far below the native noise (~0.1 m).

    Returns
    -------
    xarray.Dataset
        Dim ``waveform``: ``swh`` (m, signed), ``epoch`` (gates), ``range_offset`` (m, epoch -
        nominal tracking gate), ``sigma_c`` (gates), ``amplitude``, ``noise_floor``,
        ``converged`` (bool), ``valid_input`` (bool), ``n_iter``.

    Raises
    ------
    InputError
        Waveforms not 2-D or with fewer than 32 gates; unknown method.
    """
    methods = {"mle": _kernels.MLE, "ls": _kernels.LS}
    if method not in methods:
        raise InputError(f"method must be 'mle' or 'ls', got {method!r}", variable="method")
    w = np.ascontiguousarray(np.asarray(waveforms, dtype=float))
    if w.ndim != 2 or w.shape[1] < MIN_GATES:
        raise InputError(
            f"expected waveforms of shape (n_waveforms, n_gates >= {MIN_GATES}), got {w.shape}",
            variable="waveforms",
        )
    c, f = brown_constants(instrument, mispointing_deg)
    params, conv, n_iter, noise, scale, ok = _kernels.retrack_rows(
        w, NOISE_GATES.start, NOISE_GATES.stop, c, f, methods[method], max_iter, tol
    )
    good = conv & (params[:, 1] > 0.06) & (params[:, 1] < 59.0) & (params[:, 2] > 0.0)
    return _retrack_dataset(params, noise * scale, scale, good, ok, n_iter, instrument)


def _retrack_dataset(
    params: NDArray,
    noise: NDArray,
    scale: NDArray,
    converged: NDArray,
    ok: NDArray,
    n_iter: NDArray,
    instrument: SwimInstrument,
) -> xr.Dataset:
    """Pack the fitted parameters into the retracker Dataset (dim ``waveform``)."""
    dim = ("waveform",)
    tau, sig, amp = params.T
    offset = (tau - instrument.nominal_tracking_gate) * instrument.gate_spacing_m
    return xr.Dataset(
        {
            "swh": (dim, swh_from_sigma_c(sig, instrument), {"units": "m"}),
            "epoch": (dim, tau, {"units": "1", "long_name": "leading-edge epoch in gates"}),
            "range_offset": (dim, offset, {"units": "m"}),
            "sigma_c": (dim, sig, {"units": "1", "long_name": "leading-edge width in gates"}),
            "amplitude": (dim, amp * scale, {"long_name": "Brown amplitude A"}),
            "noise_floor": (dim, np.where(ok, noise, np.nan)),
            "converged": (dim, converged),
            "valid_input": (dim, ok),
            "n_iter": (dim, n_iter),
        }
    )


def _edited_mean(values: NDArray, mad_factor: float) -> tuple[NDArray, NDArray, NDArray]:
    """Row-wise mean, std and count of (groups, slots) values after k x MAD editing.

    Values farther than ``mad_factor`` x 1.4826 MAD from the row median are rejected (the
    1.4826 factor makes the MAD a consistent estimate of a Gaussian std; Rousseeuw & Croux
    1993, JASA 88(424)); NaN slots are ignored.
    """
    has = np.isfinite(values).any(axis=1)
    med = np.full((values.shape[0], 1), np.nan)
    mad = np.full((values.shape[0], 1), np.nan)
    if has.any():  # all-NaN groups (no converged waveform) stay NaN, without a warning
        med[has] = np.nanmedian(values[has], axis=1, keepdims=True)
        mad[has] = 1.4826 * np.nanmedian(np.abs(values[has] - med[has]), axis=1, keepdims=True)
    keep = np.isfinite(values) & ((np.abs(values - med) <= mad_factor * mad) | (mad == 0.0))
    n = keep.sum(axis=1)
    kept = np.where(keep, values, 0.0)
    mean = kept.sum(axis=1) / np.maximum(n, 1)
    var = (np.where(keep, values - mean[:, None], 0.0) ** 2).sum(axis=1) / np.maximum(n - 1, 1)
    return np.where(n > 0, mean, np.nan), np.where(n > 1, np.sqrt(var), np.nan), n


def average_groups(
    estimates: xr.Dataset,
    groups: ArrayLike,
    variables: tuple[str, ...] = ("swh", "range_offset", "amplitude"),
    mad_factor: float = 3.0,
    dim: str = "group",
) -> xr.Dataset:
    """Average native-rate retracker estimates per group (1 Hz, box) with outlier editing.

    Only waveforms with ``converged`` True enter; in each group values beyond
    ``mad_factor`` x MAD of the median are rejected (`_edited_mean`). Returns per group the
    mean ``<var>``, ``<var>_std`` and ``<var>_n`` (count kept), on dim ``dim`` with the
    sorted group labels as coordinate.
    """
    g = np.asarray(groups)
    if g.shape != (estimates.sizes["waveform"],):
        raise InputError("groups must have one label per waveform", variable="groups")
    labels, index = np.unique(g, return_inverse=True)
    slot = np.zeros(g.size, dtype=int)
    order = np.argsort(index, kind="stable")
    counts = np.bincount(index, minlength=labels.size)
    slot[order] = np.arange(g.size) - np.repeat(np.cumsum(counts) - counts, counts)
    good = estimates["converged"].values.astype(bool)
    out = {}
    for name in variables:
        table = np.full((labels.size, max(int(counts.max(initial=0)), 1)), np.nan)
        table[index, slot] = np.where(good, estimates[name].values, np.nan)
        mean, std, n = _edited_mean(table, mad_factor)
        out[name] = ((dim,), mean, estimates[name].attrs)
        out[f"{name}_std"] = ((dim,), std, estimates[name].attrs)
        out[f"{name}_n"] = ((dim,), n)
    return xr.Dataset(out, coords={dim: labels})


def average_1hz(
    estimates: xr.Dataset,
    time_s: ArrayLike | None = None,
    *,
    instrument: SwimInstrument = CFOSAT_SWIM,
    mad_factor: float = 3.0,
    variables: tuple[str, ...] = ("swh", "range_offset", "amplitude"),
) -> xr.Dataset:
    """1 Hz averages of native-rate estimates (groups of whole seconds, MAD editing).

    ``time_s`` (s, one per waveform) groups by floor(time); without it the waveforms are
    taken at the native rate from t = 0 (``instrument.nadir_native_rate_hz``, an assumption
    documented in `fcspace.cfosat.swim.instrument`). See `average_groups`.
    """
    n = estimates.sizes["waveform"]
    t = np.arange(n) / instrument.nadir_native_rate_hz if time_s is None else np.asarray(time_s)
    ds = average_groups(estimates, np.floor(t), variables, mad_factor, dim="time")
    ds["time"].attrs["units"] = "s"
    return ds


# Gourrion et al. (2002) two-parameter model F1(sigma0, SWH), published coefficients of the
# 2-2-1 neural network (their Appendix): inputs normalised p = a + b x, logistic units.
_G02_IN = np.array([[-0.34336, 0.06909], [0.08725, 0.06374]])  # (a, b) for sigma0, SWH
_G02_OUT = (0.10000, 0.02844)  # (a, b) of the normalised wind speed
_G02_W1 = np.array([[-33.95062, -11.03394], [-3.93428, -0.05834]])  # hidden x inputs
_G02_B1 = np.array([18.06378, -0.37228])
_G02_W2 = np.array([0.54012, 10.40481])
_G02_B2 = -2.28387


def _logistic(x: NDArray) -> NDArray:
    """Logistic function 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


def _gourrion2002(sigma0_db: NDArray, swh: NDArray) -> NDArray:
    """Gourrion et al. (2002) F1: wind speed from sigma0 (dB) and SWH (m)."""
    p = np.stack([_G02_IN[0, 0] + _G02_IN[0, 1] * sigma0_db, _G02_IN[1, 0] + _G02_IN[1, 1] * swh])
    bias = _G02_B1.reshape(2, *([1] * sigma0_db.ndim))
    hidden = _logistic(np.tensordot(_G02_W1, p, axes=1) + bias)
    y = _logistic(np.tensordot(_G02_W2, hidden, axes=1) + _G02_B2)
    return (y - _G02_OUT[0]) / _G02_OUT[1]


def _abdalla2012(sigma0_db: NDArray) -> NDArray:
    """Abdalla (2012) Ku-band wind speed from sigma0 (dB), with the low-wind adjustment."""
    u = np.where(sigma0_db <= 10.917, 46.5 - 3.6 * sigma0_db, 1690.0 * np.exp(-0.5 * sigma0_db))
    ux = np.abs(u) ** 0.096
    return u + 1.4 * ux * np.exp(-0.32 * u * ux)


def nadir_wind_speed(
    sigma0_db: ArrayLike, swh: ArrayLike | None = None, sigma0_offset_db: float = 0.0
) -> NDArray:
    """10-m wind speed (m/s) from the nadir Ku-band sigma0 (dB), optionally with SWH (m).

    Without ``swh``: Abdalla (2012), u = 46.5 - 3.6 s for s <= 10.917 dB and
    u = 1690 exp(-0.5 s) above (continuous at the break), then the low-wind adjustment
    U = u + 1.4 u^0.096 exp(-0.32 u^1.096). With ``swh``: the two-parameter neural model
    F1(sigma0, SWH) of Gourrion et al. (2002) (TOPEX/Jason sigma0 calibration).
    ``sigma0_offset_db`` is added to sigma0 first, to bring SWIM sigma0 onto the calibration
    of the chosen model (the inter-mission offset is a calibration result, not given here).
    NaN inputs give NaN.
    """
    s = np.asarray(sigma0_db, dtype=float) + sigma0_offset_db
    if swh is None:
        return _abdalla2012(s)
    h = np.asarray(swh, dtype=float)
    s, h = np.broadcast_arrays(s, h)
    return _gourrion2002(s, h)
