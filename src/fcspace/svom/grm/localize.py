"""Coarse GRB position from the count ratios among the GRM's three GRDs.

The net counts of detector i are modelled as ``c_i = F g_i(theta, phi)``, with ``g_i`` the
relative angular response of :meth:`GrmInstrument.detector_response` and ``F`` a free
amplitude; on a 1-degree sky grid the best ``F`` is the weighted linear least-squares value
and the position is the grid point of least chi^2 (the count-ratio method of BATSE and GBM,
[Pendleton1999], [Connaughton2015], used on board the GRM [He2026]). The error radius is the
radius of the spherical cap with the solid angle of the 68 % region, chi^2 <= chi^2_min +
2.30 (two parameters, [Avni1976]). A systematic error ``systematic_frac`` of each
detector's counts is added in quadrature (default ``GRM.localize_systematic_frac``, 5 %, an
assumption standing for what the model leaves out: Earth albedo, spacecraft scattering,
response calibration; GBM carries a comparable systematic term [Connaughton2015]).
The same chi^2 (:func:`chi2_profile`) over an all-sky HEALPix grid gives the probability map
of :mod:`fcspace.svom.grm.skymap`.

Sources
-------
- [Pendleton1999] Pendleton, G. N., Briggs, M. S., Kippen, R. M., et al. (1999). The
  structure and evolution of LOCBURST: the BATSE burst location algorithm. ApJ 512, 362.
- [Connaughton2015] Connaughton, V., Briggs, M. S., Goldstein, A., et al. (2015). Localization
  of gamma-ray bursts using the Fermi GBM. ApJS 216, 32.
- [He2026] He, J., Sun, J.-C., et al. (2026). The trigger and localization system of
  SVOM-GRM. arXiv:2604.18018.
- [Avni1976] Avni, Y. (1976). Energy spectra of X-ray clusters of galaxies. ApJ 210, 642
  (Delta chi^2 for confidence regions of p interesting parameters).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.grm.instrument import GRM, GrmInstrument

__all__ = [
    "check_counts",
    "chi2_profile",
    "localize_counts",
    "localize_trigger",
    "net_counts",
    "trigger_net_counts",
]

DELTA_CHI2_68 = 2.30  # two interesting parameters, 68.3 % [Avni1976]


def _sky_grid(step_deg: float, max_theta_deg: float) -> tuple[NDArray, NDArray, NDArray]:
    """Cell centres (theta, phi) of a regular grid and their solid angles (sr)."""
    th = np.arange(0.5 * step_deg, max_theta_deg, step_deg)
    ph = np.arange(0.5 * step_deg, 360.0, step_deg)
    theta, phi = np.meshgrid(th, ph, indexing="ij")
    d = np.deg2rad(step_deg)
    return theta.ravel(), phi.ravel(), (np.sin(np.deg2rad(theta)) * d * d).ravel()


def check_counts(
    net: ArrayLike, sigma: ArrayLike, instrument: GrmInstrument = GRM
) -> tuple[NDArray, NDArray]:
    """Net counts and errors as float arrays, one per GRD, errors > 0 (else InputError)."""
    c, s = np.asarray(net, float), np.asarray(sigma, float)
    if c.shape != (instrument.n_detectors,) or s.shape != c.shape or np.any(~(s > 0)):
        raise InputError(
            f"need {instrument.n_detectors} finite net counts with positive errors",
            variable="net, sigma",
        )
    if not np.all(np.isfinite(c)):
        raise InputError("net counts must be finite", variable="net")
    return c, s


def chi2_profile(
    net: NDArray, sigma: NDArray, response: NDArray, systematic_frac: float
) -> tuple[NDArray, NDArray]:
    """chi^2 of ``net = F g`` at each direction with the amplitude F >= 0 profiled out.

    For weights ``w_i = 1 / (sigma_i^2 + (f c_i)^2)`` (statistical and systematic errors in
    quadrature, [Connaughton2015]) the least-squares amplitude is
    ``F = sum(w g c) / sum(w g^2)`` (clipped at 0) and ``chi2 = sum w (c - F g)^2``.

    Parameters
    ----------
    net, sigma
        Net counts and 1-sigma errors, shape (n_det,).
    response
        Relative responses ``g``, shape (..., n_det).
    systematic_frac
        Fractional systematic error ``f``.

    Returns
    -------
    chi2, amplitude
        Arrays of shape ``response.shape[:-1]``.
    """
    w = 1.0 / (sigma**2 + (systematic_frac * np.abs(net)) ** 2)
    denom = (response**2 * w).sum(axis=-1)
    safe = np.where(denom > 0, denom, 1.0)
    amp = np.clip(np.where(denom > 0, (response * net * w).sum(axis=-1) / safe, 0.0), 0.0, None)
    chi2 = (((net - amp[..., None] * response) ** 2) * w).sum(axis=-1)
    return chi2, amp


def localize_counts(
    net: ArrayLike,
    sigma: ArrayLike,
    instrument: GrmInstrument = GRM,
    step_deg: float = 1.0,
    max_theta_deg: float = 90.0,
    systematic_frac: float | None = None,
) -> dict[str, float]:
    """Direction (theta, phi, deg, SVOM frame) that best explains the detectors' net counts.

    Parameters
    ----------
    net, sigma
        Net (background-subtracted) counts per detector and their 1-sigma errors.
    instrument
        Response model (:meth:`GrmInstrument.detector_response`).
    step_deg, max_theta_deg
        Sky grid spacing and the largest off-axis angle searched.
    systematic_frac
        Fractional systematic error per detector, added in quadrature (module docstring);
        default ``instrument.localize_systematic_frac``.

    Returns
    -------
    dict
        ``theta_deg``, ``phi_deg``, ``error_deg`` (68 % radius), ``chi2``, ``amplitude``.
    """
    c, s = check_counts(net, sigma, instrument)
    if systematic_frac is None:
        systematic_frac = instrument.localize_systematic_frac
    theta, phi, omega = _sky_grid(step_deg, max_theta_deg)
    chi2, amp = chi2_profile(c, s, instrument.detector_response(theta, phi), systematic_frac)
    best = int(np.argmin(chi2))
    area = omega[chi2 <= chi2[best] + DELTA_CHI2_68].sum()
    radius = np.rad2deg(np.arccos(np.clip(1.0 - area / (2.0 * np.pi), -1.0, 1.0)))
    return {
        "theta_deg": float(theta[best]),
        "phi_deg": float(phi[best]),
        "error_deg": float(max(radius, step_deg)),
        "chi2": float(chi2[best]),
        "amplitude": float(amp[best]),
    }


def net_counts(
    events: xr.Dataset,
    source: tuple[float, float],
    background: tuple[float, float],
    band_kev: tuple[float, float] | None = None,
) -> tuple[NDArray, NDArray]:
    """Net counts per detector in ``source`` (MET interval) minus the scaled ``background``.

    Errors are Poisson: sqrt(N_src + (T_src/T_bkg)^2 N_bkg). ``band_kev`` defaults to
    ``GRM.localize_band_kev``.
    """
    if band_kev is None:
        band_kev = GRM.localize_band_kev
    t = np.asarray(events["time"].values, float)
    e = np.asarray(events["energy"].values, float)
    det = np.asarray(events["detector"].values, np.int64)
    n_det = int(events.sizes["det"])
    in_band = (e >= band_kev[0]) & (e < band_kev[1])

    def count(lo: float, hi: float) -> NDArray:
        sel = in_band & (t >= lo) & (t < hi)
        return np.bincount(det[sel], minlength=n_det).astype(float)

    scale = (source[1] - source[0]) / (background[1] - background[0])
    n_src, n_bkg = count(*source), count(*background)
    return n_src - scale * n_bkg, np.sqrt(np.maximum(n_src + scale**2 * n_bkg, 1.0))


def trigger_net_counts(
    events: xr.Dataset,
    trigger: dict[str, Any],
    duration_s: float | None = None,
    background_s: float | None = None,
    gap_s: float | None = None,
    band_kev: tuple[float, float] | None = None,
    instrument: GrmInstrument = GRM,
) -> tuple[NDArray, NDArray]:
    """Net counts per GRD of a trigger: ``duration_s`` from its window start, background before.

    The background interval is the trigger's: ``background_s`` ending ``gap_s`` before the
    window (see :mod:`fcspace.svom.grm.trigger`). Settings left None are the instrument's
    ``localize_*`` values. Returns (net counts, 1-sigma errors) of :func:`net_counts`.
    """
    inst = instrument
    duration_s = inst.localize_duration_s if duration_s is None else duration_s
    background_s = inst.localize_background_s if background_s is None else background_s
    gap_s = inst.localize_gap_s if gap_s is None else gap_s
    band_kev = inst.localize_band_kev if band_kev is None else band_kev
    t0 = float(trigger["window_start_met"])
    src = (t0, t0 + duration_s)
    bkg = (t0 - gap_s - background_s, t0 - gap_s)
    return net_counts(events, src, bkg, band_kev)


def localize_trigger(
    events: xr.Dataset,
    trigger: dict[str, Any],
    duration_s: float | None = None,
    background_s: float | None = None,
    gap_s: float | None = None,
    band_kev: tuple[float, float] | None = None,
    instrument: GrmInstrument = GRM,
) -> dict[str, float]:
    """Localise a trigger on the 1-degree grid from :func:`trigger_net_counts`."""
    net, err = trigger_net_counts(
        events, trigger, duration_s, background_s, gap_s, band_kev, instrument
    )
    return localize_counts(net, err, instrument)
