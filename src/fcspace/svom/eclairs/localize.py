"""ECLAIRs source localisation: peak search, PSF fit, detector-plane fit, IROS, cross-match.

PSF (:mod:`fcspace.svom.eclairs.psf`). The balanced correlation of the shadow of a point
source gives, at the source, the
autocorrelation of the mask convolved with the pixel response. For a random-like mask the
central peak of the mask autocorrelation is that of one element, a separable pyramid of
half-width one element ``e``; resampling on pixel-sized boxes (``a`` = 4 mm, once for the
shadow and once for the decoding array) convolves it with a pyramid of half-width ``a``
([Goldwurm2003] Sect. 3; [GoldwurmGros2022]; ISGRI PSF fitting). In sky pixels (one detector
pitch ``p``) the PSF is therefore ``T(dr) T(dc)`` with ``T = tri(e / p) (*) tri(a / p)``, the same
everywhere on the tangent-plane grid because the shadow is an exact translation of the mask
(mask thickness neglected). The position is fitted by weighted least squares of
``A T(r - r0) T(c - c0) + C`` to the intensity map in a 7 x 7 window around the SNR peak.

IROS. Iterative removal of sources ([Hammersley1992]; [Goldwurm2003] Sect. 4): image, find
and fit the brightest source, then fit the detector image by least squares with the modelled
shadows of all sources found so far plus the background, and image the residual again,
until no peak exceeds the threshold.

Covariance weighting. The noise of a decoded sky image is correlated the way the PSF is (the
decoding correlates each detector pixel into all sky pixels): for a flat background the
covariance of sky pixels ``k, k'`` is ``sigma_k sigma_k' T(dr) T(dc)`` ([SkinnerConnell2003];
[GoldwurmGros2022], statistics of the balanced correlation). ``weighting="covariance"``
whitens the window residuals with that matrix (generalised least squares) instead of
treating the pixels as independent.

Detector plane. Given the shadowgram, :func:`localize` refines the sky-peak fit by the
Poisson maximum-likelihood fit of :mod:`fcspace.svom.eclairs.detector_fit` and reports the
Cramer-Rao sigma with it; its error radius is ``sqrt((k sigma_fit)^2 + b^2)`` with
``sigma_fit`` from the fitted curvature and ``k``, ``b`` calibrated on simulations
(``ECLAIRS.detector_r90_factor``, ``ECLAIRS.detector_r90_sys_arcmin``; see
:func:`err_radius_detector`).

Error radius. ``err_radius_90`` is a law calibrated on simulated bursts over the whole field
(``benchmarks/eclairs_localisation_calibration.py``): 90 % of the true positions fall inside
it. It is calibrated in sky pixels (tangent plane) and converted to degrees with the local
plate scale ``cos^2(theta)`` radially and ``cos(theta)`` azimuthally (geometric mean
``cos^1.5``). ``r90_notice`` is the formula of the published SVOM/ECLAIRs GCN notices for
comparison, ``sqrt((77' / snr)^2 + (2')^2)``.

Sources
-------
- [Goldwurm2003] Goldwurm, A., et al. (2003). The INTEGRAL/IBIS scientific data analysis.
  A&A 411, L223.
- [Hammersley1992] Hammersley, A. P., Ponman, T. J., Skinner, G. K. (1992). Reconstruction of
  images from a coded-aperture box camera. NIM A 311, 585 (iterative removal of sources).
- [GoldwurmGros2022] Goldwurm, A., Gros, A. (2022). Coded Mask Instruments for Gamma-Ray
  Astronomy. arXiv:2305.10130 (PSF, localisation accuracy ~ resolution / SNR).
- [DagoneauSchanne2022] Dagoneau, N., Schanne, S., et al. (2022). A&A 665, A40.
- [SkinnerConnell2003] Skinner, G. K., Connell, P. H. (2003). The SPI imaging algorithms.
  A&A 411, L123 (correlated noise of decoded images).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import solve_triangular
from scipy.optimize import least_squares

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.detector_fit import fit_detector
from fcspace.svom.eclairs.imaging import (
    SkyImage,
    _quadratic_basis,
    pixel_weights,
    sky_image,
)
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.mask import make_mask, point_source_shadow
from fcspace.svom.eclairs.psf import psf_profile, whitener

__all__ = [
    "Localisation",
    "angular_distance_deg",
    "crossmatch",
    "err_radius_90",
    "err_radius_detector",
    "iros",
    "localize",
    "psf_profile",
    "r90_notice",
]

_HALF = 3  # half-size of the PSF fitting window (7 x 7 sky pixels)


@dataclass(frozen=True)
class Localisation:
    """A localised source: direction in the instrument frame and its 90 % error radius.

    ``row``, ``col`` are the fitted (fractional) sky pixel; ``snr`` the SNR map value at the
    peak pixel; ``intensity`` the fitted PSF amplitude (counts per fully open pixel).
    ``method`` is ``"sky"``, ``"sky_cov"`` (covariance-weighted sky fit) or ``"detector"``;
    ``sigma_crb_deg`` (detector fit only) the Cramer-Rao per-axis sigma of the position.
    """

    theta_deg: float
    phi_deg: float
    snr: float
    err_radius_deg: float
    row: float
    col: float
    intensity: float = 0.0
    method: str = "sky"
    sigma_crb_deg: float | None = None


# ---------------------------------------------------------------------------- error radius
def err_radius_90(snr: ArrayLike, theta_deg: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Calibrated 90 % error radius (deg): ``sqrt((A / snr)^2 + B^2)`` sky pixels.

    Sky pixels are converted to degrees with the on-axis pixel ``atan(p / h)`` times
    ``cos^1.5(theta)`` (local plate scale of the tangent plane). ``A = 3.43`` and
    ``B = 0.037`` sky pixels (``ECLAIRS.r90_stat_px``, ``ECLAIRS.r90_sys_px``), i.e.
    ``sqrt((115' / snr)^2 + (1.2')^2)`` on axis (14.5' at SNR 8). Calibration: see the
    module docstring and ``benchmarks/eclairs_localisation_calibration.py`` (600 independent
    bursts: 90.5 % containment).

    Parameters
    ----------
    snr
        Peak SNR of the sky image (as in :class:`Localisation`).
    theta_deg
        Off-axis angle of the source (default on axis).
    """
    s = np.asarray(snr, dtype=float)
    r_px = np.hypot(ECLAIRS.r90_stat_px / s, ECLAIRS.r90_sys_px)
    scale = np.cos(np.radians(np.asarray(theta_deg, dtype=float))) ** 1.5
    return r_px * ECLAIRS.sky_pixel_deg * scale


def r90_notice(snr: ArrayLike) -> NDArray[np.float64]:
    """Error radius (deg) of the SVOM/ECLAIRs notices: sqrt((77'/snr)^2 + (2')^2) / 60."""
    s = np.asarray(snr, dtype=float)
    return np.hypot(ECLAIRS.notice_r90_stat_arcmin / s, ECLAIRS.notice_r90_sys_arcmin) / 60.0


def err_radius_detector(sigma_fit_deg: ArrayLike) -> NDArray[np.float64]:
    """90 % radius (deg) of a detector-plane fit: ``sqrt((k sigma_fit)^2 + b^2)``.

    ``sigma_fit`` is the circularised per-axis sigma from the fitted curvature
    (:class:`~fcspace.svom.eclairs.detector_fit.DetectorFit`); ``k =
    ECLAIRS.detector_r90_factor`` (``sqrt(-2 ln 0.1) = 2.146`` for a circular Gaussian) and
    ``b = ECLAIRS.detector_r90_sys_arcmin`` are calibrated with
    ``benchmarks/eclairs_localisation_calibration.py``.
    """
    s = np.asarray(sigma_fit_deg, dtype=float)
    return np.hypot(ECLAIRS.detector_r90_factor * s, ECLAIRS.detector_r90_sys_arcmin / 60.0)


# ---------------------------------------------------------------------------- peak fit
def _peak(sky: SkyImage, min_coding: float) -> tuple[int, int]:
    snr = np.where(sky.coding >= min_coding, sky.snr, np.nan)
    if not np.any(np.isfinite(snr)):
        raise InputError("sky image has no valid pixel", variable="snr")
    r, c = np.unravel_index(np.nanargmax(snr), snr.shape)
    return int(r), int(c)


def _window(sky: SkyImage, r: int, c: int) -> tuple[NDArray, ...]:
    """Pixel indices, intensities and sigmas of the finite pixels around (r, c)."""
    rr, cc = np.mgrid[r - _HALF : r + _HALF + 1, c - _HALF : c + _HALF + 1]
    ok = (rr >= 0) & (rr < sky.shape[0]) & (cc >= 0) & (cc < sky.shape[1])
    rr, cc = rr[ok], cc[ok]
    val, var = sky.counts[rr, cc], sky.variance[rr, cc]
    fin = np.isfinite(val) & np.isfinite(var) & (var > 0)
    return rr[fin], cc[fin], val[fin], np.sqrt(var[fin])


def _fit_psf(
    sky: SkyImage, r: int, c: int, inst: EclairsInstrument, covariance: bool = False
) -> tuple[float, ...]:
    """Sub-pixel position and amplitude from a (generalised) least-squares PSF fit."""
    rr, cc, val, sig = _window(sky, r, c)
    if val.size < 5:
        return float(r), float(c), float(sky.counts[r, c])
    chol = whitener(rr, cc, inst) if covariance else None

    def resid(p: NDArray) -> NDArray:
        model = p[0] * psf_profile(rr - p[1], inst) * psf_profile(cc - p[2], inst) + p[3]
        z = (model - val) / sig
        return z if chol is None else solve_triangular(chol, z, lower=True, check_finite=False)

    a0 = float(sky.counts[r, c])
    p0 = [a0, r, c, 0.0]
    lo = [-np.inf, r - 1.5, c - 1.5, -np.inf]
    hi = [np.inf, r + 1.5, c + 1.5, np.inf]
    fit = least_squares(resid, p0, bounds=(lo, hi), x_scale=[abs(a0) + 1e-9, 0.3, 0.3, 1.0])
    return float(fit.x[1]), float(fit.x[2]), float(fit.x[0])


def localize(
    sky: SkyImage,
    instrument: EclairsInstrument = ECLAIRS,
    min_coding: float = 0.0,
    *,
    weighting: str = "independent",
    shadow: NDArray | None = None,
    pixel_status: NDArray | None = None,
    mask: NDArray | None = None,
    background: NDArray | None = None,
) -> Localisation:
    """Localise the brightest source: SNR peak, PSF fit, then (optionally) detector-plane fit.

    Parameters
    ----------
    sky
        Sky image from :func:`fcspace.svom.eclairs.imaging.sky_image`.
    instrument
        Instrument constants (PSF shape).
    min_coding
        Only pixels with a partial coding fraction >= this are searched.
    weighting
        ``"independent"`` (sky pixels weighted by their variance) or ``"covariance"`` (the
        correlated sky noise whitened, see the module docstring).
    shadow
        The 80 x 80 shadowgram the image was made from: if given, the position is refined
        by the Poisson likelihood fit in the detector plane
        (:func:`~fcspace.svom.eclairs.detector_fit.fit_detector`).
    pixel_status, mask, background
        For the detector fit: pixel map (0 good), mask pattern, fixed background model
        (None = quadratic background fitted jointly).

    Returns
    -------
    Localisation
        Fitted direction, peak SNR and 90 % radius: :func:`err_radius_90` for sky fits,
        :func:`err_radius_detector` (with the Cramer-Rao sigma) for the detector fit.
    """
    if weighting not in ("independent", "covariance"):
        raise InputError(f"unknown weighting {weighting!r}", variable="weighting")
    r, c = _peak(sky, min_coding)
    row, col, amp = _fit_psf(sky, r, c, instrument, weighting == "covariance")
    theta, phi = sky.direction(row, col)
    snr = float(sky.snr[r, c])
    err = float(err_radius_90(max(snr, 1e-3), theta))
    method = "sky" if weighting == "independent" else "sky_cov"
    loc = Localisation(float(theta), float(phi), snr, err, row, col, amp, method)
    if shadow is None:
        return loc
    return _refine(loc, sky, shadow, pixel_status, mask, background, instrument)


def _refine(
    loc: Localisation, sky: SkyImage, shadow: NDArray, pixel_status: NDArray | None,
    mask: NDArray | None, background: NDArray | None, inst: EclairsInstrument,
) -> Localisation:  # fmt: skip
    """Detector-plane refinement of a sky localisation; the sky one if the fit fails."""
    fit = fit_detector(shadow, loc.theta_deg, loc.phi_deg, pixel_status=pixel_status,
                       mask=mask, background=background, instrument=inst)  # fmt: skip
    if not (fit.flux > 0 and np.isfinite(fit.sigma_fit_deg) and np.isfinite(fit.sigma_crb_deg)):
        return loc
    row, col = sky.pixel(fit.theta_deg, fit.phi_deg)
    err = float(err_radius_detector(fit.sigma_fit_deg))
    return Localisation(fit.theta_deg, fit.phi_deg, loc.snr, err, float(row), float(col),
                        fit.flux, "detector", fit.sigma_crb_deg)  # fmt: skip


# ---------------------------------------------------------------------------- IROS
def _joint_fit(
    shadow: NDArray, w: NDArray, templates: list[NDArray], background: NDArray | None
) -> tuple[NDArray, NDArray]:
    """Least-squares amplitudes of source shadows (+ quadratic background if none given).

    Returns the background model and the summed source model on the detector.
    """
    n = shadow.shape[0]
    target = shadow.reshape(-1) - (0.0 if background is None else background.reshape(-1))
    cols = [t.reshape(-1) for t in templates]
    basis = (
        np.column_stack(cols)
        if background is not None
        else np.column_stack([*cols, _quadratic_basis(n)])
    )
    sw = np.sqrt(w.reshape(-1))
    coef, *_ = np.linalg.lstsq(basis * sw[:, None], target * sw, rcond=None)
    k = len(templates)
    sources = (basis[:, :k] @ coef[:k]).reshape(n, n)
    bkg = background if background is not None else (basis[:, k:] @ coef[k:]).reshape(n, n)
    return bkg, sources


def iros(
    shadow: NDArray,
    background: NDArray | None = None,
    mask: NDArray | None = None,
    max_sources: int = 5,
    snr_threshold: float = 6.5,
    pixel_status: NDArray | None = None,
    instrument: EclairsInstrument = ECLAIRS,
) -> list[Localisation]:
    """Iterative removal of sources ([Hammersley1992], [Goldwurm2003]).

    Each cycle images ``shadow`` against the current model (background + sources found),
    localises the highest SNR peak, stops if it is below ``snr_threshold``, otherwise adds
    the modelled shadow of the source (:func:`point_source_shadow`) and refits all source
    amplitudes together with the background by least squares on the good pixels.

    Parameters
    ----------
    shadow
        80 x 80 counts ``[y, z]``.
    background
        Fixed background model; None = a quadratic surface fitted jointly with the sources.
    mask, pixel_status, instrument
        As for :func:`sky_image`.
    max_sources, snr_threshold
        Stopping rules.

    Returns
    -------
    list of Localisation
        In order of detection (decreasing SNR in the residual images).
    """
    mask = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    w = pixel_weights(pixel_status, instrument.n_pixels)
    d = np.asarray(shadow, dtype=float)
    bkg, src = _joint_fit(d, w, [], background)
    found: list[Localisation] = []
    templates: list[NDArray] = []
    while len(found) < max_sources:
        sky = sky_image(d, bkg + src, mask, instrument, pixel_status)
        loc = localize(sky, instrument)
        if not loc.snr >= snr_threshold:
            break
        found.append(loc)
        templates.append(point_source_shadow(loc.theta_deg, loc.phi_deg, mask, instrument))
        bkg, src = _joint_fit(d, w, templates, background)
    return found


# ---------------------------------------------------------------------------- cross-match
def _unit(theta_deg: ArrayLike, phi_deg: ArrayLike) -> NDArray[np.float64]:
    t, p = np.radians(np.asarray(theta_deg, float)), np.radians(np.asarray(phi_deg, float))
    return np.stack([np.cos(t), np.sin(t) * np.cos(p), np.sin(t) * np.sin(p)], axis=-1)


def angular_distance_deg(
    theta1: ArrayLike, phi1: ArrayLike, theta2: ArrayLike, phi2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle angle (deg) between instrument-frame directions (atan2 form, stable)."""
    u, v = _unit(theta1, phi1), _unit(theta2, phi2)
    cross = np.linalg.norm(np.cross(u, v), axis=-1)
    return np.degrees(np.arctan2(cross, np.sum(u * v, axis=-1)))


def crossmatch(
    loc: Localisation,
    catalogue: Sequence[tuple[str, float, float]],
    radius_deg: float | None = None,
) -> list[tuple[str, float]]:
    """Known sources within ``radius_deg`` of a localisation, nearest first.

    Parameters
    ----------
    loc
        The localisation.
    catalogue
        ``(name, theta_deg, phi_deg)`` in the instrument frame of docs/eclairs_layout.md.
        Convert catalogue RA/Dec with the attitude beforehand (e.g.
        :func:`fcspace.svom.frames.radec_to_instrument`, minding its axis convention).
    radius_deg
        Match radius; default the 90 % error radius of ``loc``.

    Returns
    -------
    list of (name, separation_deg)
    """
    radius = loc.err_radius_deg if radius_deg is None else float(radius_deg)
    if not catalogue:
        return []
    names = [str(c[0]) for c in catalogue]
    th = np.array([float(c[1]) for c in catalogue])
    ph = np.array([float(c[2]) for c in catalogue])
    sep = angular_distance_deg(loc.theta_deg, loc.phi_deg, th, ph)
    order = np.argsort(sep, kind="stable")
    return [(names[i], float(sep[i])) for i in order if sep[i] <= radius]
