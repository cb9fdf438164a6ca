"""ECLAIRs photon-event simulator: a GRB seen through the coded mask, plus background.

Each photon is ray-traced: a random point of the detection plane, traced back along its
arrival direction to the mask plane; it reaches the detector if it crosses an open element,
or with probability T(E, theta) if it crosses a closed one. A ray that meets the mask plane
outside the mask is stopped by the side shield between mask and detector (the shield is
taken as opaque at all energies). Partial coding and oblique projection therefore come out
of the geometry. Photons that land in the inter-pixel gaps are lost; those left are absorbed
with the CdTe efficiency (slant path), smeared with the Gaussian energy resolution and kept
if the measured energy is within the band.

The burst and background models (light curves, spectra, CXB, pixel map) are those of
:mod:`fcspace.svom.eclairs.sources`, which gives their equations and sources.
"""


from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.mask import make_mask
from fcspace.svom.eclairs.sources import (
    CXB,
    CXB_RATE,
    DEAD,
    INSTRUMENTAL,
    NOISY,
    NOISY_PIXEL,
    SOURCE,
    Background,
    Grb,
    band_spectrum,
    cxb_intensity,
    light_curve,
    make_pixel_status,
)
from fcspace.svom.events import gti_dataset

__all__ = ["expected_source_counts", "simulate_grb"]

_N_TIME = 200_001  # light-curve grid points
_N_ENERGY = 4000  # spectrum grid points


# ---------------------------------------------------------------------------- sampling
def _inverse_cdf_sample(x: NDArray, pdf: NDArray, u: NDArray) -> NDArray:
    """Sample a tabulated density by linear interpolation of its trapezoid CDF."""
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * np.diff(x))])
    return np.interp(u * cdf[-1], cdf, x)


def _trapz(y: NDArray, x: NDArray) -> float:
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


def _sample_band(inst: EclairsInstrument) -> NDArray:
    """Energy grid for true photon energies: the band widened by 4 sigma of the resolution."""
    lo = max(1.0, inst.energy_min_kev - 4 * inst.fwhm_kev(inst.energy_min_kev) / 2.355)
    hi = inst.energy_max_kev + 4 * inst.fwhm_kev(inst.energy_max_kev) / 2.355
    return np.geomspace(lo, hi, _N_ENERGY)


def _time_grid(grb: Grb, exposure: float) -> tuple[NDArray, NDArray]:
    """Time grid over [0, exposure) and the light curve normalised to a peak of 1."""
    t = np.linspace(0.0, exposure, _N_TIME)
    lc = light_curve(t - grb.t0, grb.pulses)
    peak_grid = grb.t0 + np.linspace(
        min(p.t_peak - 5 * p.rise for p in grb.pulses),
        max(p.t_peak + 5 * p.decay for p in grb.pulses),
        _N_TIME,
    )
    peak = light_curve(peak_grid - grb.t0, grb.pulses).max()
    return t, lc / peak


# ---------------------------------------------------------------------------- ray tracing
def _positions(n: int, inst: EclairsInstrument, rng: np.random.Generator) -> tuple[NDArray, ...]:
    """Uniform points on the active area: pixel indices and coordinates (m) of ``n`` photons.

    Photons falling in the inter-pixel gaps are never detected, so drawing on the active
    area with the rate scaled by the active area is the same Poisson process, thinned.
    """
    iy, iz = rng.integers(0, inst.n_pixels, (2, n), dtype=np.int16)
    off = rng.random((2, n), dtype=np.float32) - np.float32(0.5)
    off *= np.float32(inst.pixel_size_m)
    c = inst.pixel_centres_m().astype(np.float32)
    return iy, iz, c[iy] + off[0], c[iz] + off[1]


def _mask_hit(
    y: NDArray, z: NDArray, sy: ArrayLike, sz: ArrayLike, mask: NDArray, e: float
) -> tuple[NDArray, NDArray]:
    """Whether the rays meet the mask plane inside the mask, and on an open element."""
    f = np.float32(1.0 / e)
    iy = np.floor((y + sy) * f + np.float32(0.5 * mask.shape[0])).astype(np.intp)
    iz = np.floor((z + sz) * f + np.float32(0.5 * mask.shape[1])).astype(np.intp)
    inside = (iy >= 0) & (iy < mask.shape[0]) & (iz >= 0) & (iz < mask.shape[1])
    np.clip(iy, 0, mask.shape[0] - 1, out=iy)
    np.clip(iz, 0, mask.shape[1] - 1, out=iz)
    return inside, inside & mask[iy, iz]


def _detect(
    n: int, shift: tuple[ArrayLike, ArrayLike], cos_t: ArrayLike,
    draw_energy: Callable[[int], NDArray], mask: NDArray, inst: EclairsInstrument,
    rng: np.random.Generator,
) -> tuple[NDArray, NDArray, NDArray]:  # fmt: skip
    """Ray-trace ``n`` photons landing on the active area; return y, z, measured energy.

    ``shift`` and ``cos_t`` (per photon, or scalars) give the arrival direction; energies
    are drawn with ``draw_energy`` only for photons that meet the mask, in trace order.
    """
    iy, iz, y, z = _positions(n, inst, rng)
    inside, is_open = _mask_hit(y, z, shift[0], shift[1], mask, inst.mask_element_m)
    sel = np.flatnonzero(inside)
    energy = draw_energy(sel.size)
    cos_sel = np.broadcast_to(np.asarray(cos_t, dtype=float), (n,))[sel]
    theta = np.degrees(np.arccos(cos_sel))
    closed = ~is_open[sel]
    p = inst.detector_efficiency(energy, theta)
    p[closed] *= inst.mask_transmission(energy[closed], theta[closed])
    ok = rng.random(sel.size) < p
    e = energy[ok]
    measured = e + rng.normal(size=e.size) * inst.fwhm_kev(e) / (2 * np.sqrt(2 * np.log(2)))
    return iy[sel[ok]], iz[sel[ok]], measured


# ---------------------------------------------------------------------------- components
_Events = tuple[NDArray, NDArray, NDArray, NDArray]  # time, y, z, measured energy


def _source_events(
    grb: Grb, exposure: float, mask: NDArray, inst: EclairsInstrument, rng: np.random.Generator
) -> _Events:
    """Times, pixels and measured energies of detected GRB photons."""
    t, lc = _time_grid(grb, exposure)
    egrid = _sample_band(inst)
    spec = band_spectrum(egrid, grb.alpha, grb.beta, grb.epeak_kev)
    n = rng.poisson(_incident_photons(grb, inst, t, lc, egrid, spec))
    shift = inst.shadow_shift(grb.theta_deg, grb.phi_deg)
    cos_t = np.cos(np.radians(grb.theta_deg))

    def draw(k: int) -> NDArray:
        return _inverse_cdf_sample(egrid, spec, rng.random(k))

    y, z, e = _detect(n, shift, cos_t, draw, mask, inst, rng)
    return _inverse_cdf_sample(t, lc, rng.random(y.size)), y, z, e


def _band_norm(grb: Grb) -> float:
    """Integral of the unnormalised Band spectrum over 15-150 keV."""
    band = np.geomspace(15.0, 150.0, 2000)
    return _trapz(band_spectrum(band, grb.alpha, grb.beta, grb.epeak_kev), band)


def _incident_photons(
    grb: Grb, inst: EclairsInstrument, t: NDArray, lc: NDArray, egrid: NDArray, spec: NDArray
) -> float:
    """Mean number of GRB photons reaching the active area with energies on ``egrid``."""
    if grb.theta_deg >= 90.0:
        return 0.0
    fluence = grb.peak_flux * _trapz(lc, t) * _trapz(spec, egrid) / _band_norm(grb)
    return float(fluence * inst.detector_area_cm2 * np.cos(np.radians(grb.theta_deg)))


def _max_sin_theta(inst: EclairsInstrument) -> float:
    """Sine of the largest off-axis angle with a ray from the detector to the mask (corners)."""
    s = np.sqrt(2.0) * 0.5 * (inst.mask_side_m + inst.detector_side_m)
    return float(np.sin(np.arctan(s / inst.mask_height_m)))


def _cxb_events(
    scale: float, exposure: float, mask: NDArray, inst: EclairsInstrument,
    rng: np.random.Generator,
) -> _Events:  # fmt: skip
    """CXB photons from the cosine-weighted sky within the largest angle that meets the mask.

    The rate of photons crossing an area A from directions within theta_max is
    ``A pi sin^2(theta_max) int I(E) dE``. Cosine-weighted directions are drawn as points
    ``(sin theta cos phi, sin theta sin phi)`` uniform in the disc of radius sin(theta_max)
    (Malley's method), themselves drawn uniform in the enclosing square and thinned.
    """
    egrid = _sample_band(inst)
    spec = scale * cxb_intensity(egrid)
    r = _max_sin_theta(inst)
    rate = inst.detector_area_cm2 * 4.0 * r * r * _trapz(spec, egrid)  # square of side 2r
    n = rng.poisson(exposure * rate)
    d = rng.random((2, n), dtype=np.float32)
    d *= np.float32(2 * r)
    d -= np.float32(r)
    rho2 = d[0] * d[0] + d[1] * d[1]
    keep = rho2 < np.float32(r * r)
    d, cos_t = d[:, keep], np.sqrt(np.float32(1.0) - rho2[keep])
    scale = np.float32(inst.mask_height_m) / cos_t
    shift = (d[0] * scale, d[1] * scale)

    def draw(k: int) -> NDArray:
        return _inverse_cdf_sample(egrid, spec, rng.random(k))

    y, z, e = _detect(cos_t.size, shift, cos_t, draw, mask, inst, rng)
    return rng.uniform(0.0, exposure, y.size), y, z, e


def _flat_events(
    rate: float, exposure: float, pixels: NDArray, e_range: tuple[float, float],
    n_side: int, rng: np.random.Generator,
) -> _Events:  # fmt: skip
    """Poisson events spread evenly over the flat pixel indices ``pixels``, flat in energy."""
    n = rng.poisson(rate * exposure) if pixels.size else 0
    y, z = np.divmod(pixels[rng.integers(0, max(pixels.size, 1), n)], n_side)
    return rng.uniform(0.0, exposure, n), y, z, rng.uniform(*e_range, n)


def _check_inputs(grb: Grb, exposure: float, mask: NDArray, status: NDArray, n: int) -> None:
    if not np.isfinite(exposure) or exposure <= 0:
        raise InputError(f"exposure must be > 0 s, got {exposure}", variable="exposure")
    if grb.peak_flux < 0 or not grb.pulses:
        raise InputError("GRB needs peak_flux >= 0 and at least one pulse", variable="grb")
    if mask.ndim != 2:
        raise InputError(f"mask must be 2-D, got shape {mask.shape}", variable="mask")
    if status.shape != (n, n):
        raise InputError(f"pixel_status must be {n} x {n}", variable="pixel_status")


def _all_events(
    grb: Grb, exposure: float, bg: Background, mask: NDArray, status: NDArray,
    inst: EclairsInstrument, rng: np.random.Generator,
) -> tuple[list[_Events], list[int]]:  # fmt: skip
    """Events of every component, in the order of the truth_component codes."""
    n = inst.n_pixels
    band = (inst.energy_min_kev, inst.energy_max_kev)
    noisy = np.flatnonzero(status.reshape(-1) == NOISY_PIXEL)
    parts = [
        _source_events(grb, exposure, mask, inst, rng),
        _cxb_events(bg.cxb_scale, exposure, mask, inst, rng),
        _flat_events(bg.instrumental_rate, exposure, np.arange(n * n), band, n, rng),
        _flat_events(bg.noisy_rate * noisy.size, exposure, noisy, (band[0], 8.0), n, rng),
    ]
    return parts, [SOURCE, CXB, INSTRUMENTAL, NOISY]


def simulate_grb(
    grb: Grb,
    exposure: float = 60.0,
    rng: np.random.Generator | int | None = None,
    *,
    background: Background | None = None,
    mask: NDArray[np.bool_] | None = None,
    pixel_status: NDArray[np.int8] | None = None,
    instrument: EclairsInstrument = ECLAIRS,
    met_start: float = 0.0,
) -> xr.Dataset:
    """Simulate the ECLAIRs event list of a GRB plus background (layout: docs/eclairs_layout.md).

    Parameters
    ----------
    grb
        The burst (direction in the instrument frame, Norris pulses, Band spectrum).
    exposure
        Duration (s); events lie in [0, exposure) after ``met_start``.
    rng
        numpy Generator or seed; the same seed gives the same events.
    background
        Background components; default :class:`Background()`.
    mask
        Mask pattern (True = open); default ``make_mask()`` (seed 0).
    pixel_status
        Pixel map (0 good, 1 dead, 2 noisy); default drawn from ``rng`` with the fractions
        of ``background``.
    instrument
        Instrument constants.
    met_start
        Mission elapsed time (s) of the first instant, stored as attribute.

    Returns
    -------
    xarray.Dataset
        Events sorted by time with ``time`` (MET s: ``met_start`` plus the time since it,
        quantised to the 20 us time resolution), one GTI ``[met_start, met_start + exposure]``,
        ``y``, ``z``, ``energy``, ``truth_is_source``, ``truth_component`` and
        ``pixel_status``; truth in attributes.
    """
    seed = rng if isinstance(rng, int) else None
    rng = np.random.default_rng(rng)
    bg = Background() if background is None else background
    mask = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    if pixel_status is None:
        pixel_status = make_pixel_status(rng, bg.dead_fraction, bg.noisy_fraction, instrument)
    status = np.asarray(pixel_status, dtype=np.int8)
    _check_inputs(grb, exposure, mask, status, instrument.n_pixels)
    parts, codes = _all_events(grb, exposure, bg, mask, status, instrument, rng)
    sizes = [p[0].size for p in parts]
    comp = np.repeat(np.array(codes, dtype=np.int8), sizes)
    t, y, z, e = (np.concatenate(x) for x in zip(*parts, strict=True))
    ok = (e >= instrument.energy_min_kev) & (e < instrument.energy_max_kev)
    ok &= status[y, z] != DEAD
    t = np.floor(t[ok] / instrument.time_resolution_s) * instrument.time_resolution_s
    order = np.argsort(t, kind="stable")
    t = t[order] + met_start  # absolute MET (docs/eclairs_layout.md)
    ds = _dataset(t, y[ok][order], z[ok][order], e[ok][order], comp[ok][order], status)
    ds = ds.assign(gti_dataset([[met_start, met_start + exposure]]))
    n_src = int(np.sum(comp[ok] == SOURCE))
    mjdref = instrument.met_epoch_mjd_tt
    ds.attrs.update(_attrs(grb, exposure, bg, met_start, mjdref, n_src))
    if seed is not None:
        ds.attrs["seed"] = seed
    return ds


def _dataset(
    t: NDArray, y: NDArray, z: NDArray, e: NDArray, comp: NDArray, status: NDArray
) -> xr.Dataset:
    """Assemble the event Dataset of docs/eclairs_layout.md."""
    ev = ("event",)
    return xr.Dataset(
        {
            "time": (ev, t.astype(np.float64), {"units": "s", "long_name": "MET"}),
            "y": (ev, y.astype(np.int16), {"units": "1", "long_name": "pixel index along Y"}),
            "z": (ev, z.astype(np.int16), {"units": "1", "long_name": "pixel index along Z"}),
            "energy": (ev, e.astype(np.float32), {"units": "keV", "long_name": "measured energy"}),
            "truth_is_source": (ev, comp == SOURCE, {"long_name": "event from the GRB"}),
            "truth_component": (
                ev, comp, {"flag_values": "0 1 2 3",
                           "flag_meanings": "grb cxb instrumental noisy_pixel"},
            ),
            "pixel_status": (
                ("y_pixel", "z_pixel"), status,
                {"flag_values": "0 1 2", "flag_meanings": "good dead noisy"},
            ),
        }
    )  # fmt: skip


def _attrs(
    grb: Grb, exposure: float, bg: Background, met_start: float, mjdref_tt: float, n_src: int
) -> dict:
    """Global and truth attributes of a simulated event list."""
    return {
        "telescope": "SVOM",
        "instrument": "ECLAIRs",
        "met_start": float(met_start),
        "exposure": float(exposure),
        "mjdref_tt": float(mjdref_tt),
        "truth_theta_deg": float(grb.theta_deg),
        "truth_phi_deg": float(grb.phi_deg),
        "truth_t0": float(grb.t0),
        "truth_peak_flux": float(grb.peak_flux),
        "truth_alpha": float(grb.alpha),
        "truth_beta": float(grb.beta),
        "truth_epeak_kev": float(grb.epeak_kev),
        "truth_n_source": n_src,
        "truth_background_rate": float(bg.cxb_scale * CXB_RATE + bg.instrumental_rate),
    }


def expected_source_counts(
    grb: Grb,
    exposure: float = 60.0,
    mask: NDArray[np.bool_] | None = None,
    pixel_status: NDArray[np.int8] | None = None,
    instrument: EclairsInstrument = ECLAIRS,
    oversample: int = 8,
) -> float:
    """Mean number of detected GRB counts, by quadrature (a check of the ray tracing).

    ``N = F A cos(theta) int_band N(E) eps(E, theta) [f_open + f_closed T(E, theta)] dE``,
    with F the photon fluence per unit of the normalised spectrum, A the active area of the
    good pixels and f_open, f_closed the fractions of that area whose ray towards the source
    crosses an open or a closed element (``oversample^2`` points per pixel).
    """
    inst = instrument
    mask = make_mask() if mask is None else np.asarray(mask, dtype=bool)
    n = inst.n_pixels
    good = np.ones((n, n), bool) if pixel_status is None else np.asarray(pixel_status) != DEAD
    f_open, f_closed = _mask_fractions(grb, mask, good, inst, oversample)
    t, lc = _time_grid(grb, exposure)
    e = np.geomspace(inst.energy_min_kev, inst.energy_max_kev, _N_ENERGY)
    th = grb.theta_deg
    resp = inst.detector_efficiency(e, th) * (f_open + f_closed * inst.mask_transmission(e, th))
    spec = band_spectrum(e, grb.alpha, grb.beta, grb.epeak_kev)
    fluence = grb.peak_flux * _trapz(lc, t) / _band_norm(grb)
    area = inst.detector_area_cm2 * np.cos(np.radians(th))
    return float(fluence * area * _trapz(spec * resp, e))


def _mask_fractions(
    grb: Grb, mask: NDArray, good: NDArray, inst: EclairsInstrument, oversample: int
) -> tuple[float, float]:
    """Fractions of the detector active area (all pixels) that see open / closed elements."""
    off = ((np.arange(oversample) + 0.5) / oversample - 0.5) * inst.pixel_size_m
    pos = (inst.pixel_centres_m()[:, None] + off[None, :]).reshape(-1)
    sy, sz = inst.shadow_shift(grb.theta_deg, grb.phi_deg)
    iy = np.floor((pos + sy) / inst.mask_element_m + 0.5 * mask.shape[0]).astype(int)
    iz = np.floor((pos + sz) / inst.mask_element_m + 0.5 * mask.shape[1]).astype(int)
    oky = (iy >= 0) & (iy < mask.shape[0])
    okz = (iz >= 0) & (iz < mask.shape[1])
    inside = oky[:, None] & okz[None, :]
    iyc, izc = np.clip(iy, 0, mask.shape[0] - 1), np.clip(iz, 0, mask.shape[1] - 1)
    is_open = mask[iyc[:, None], izc[None, :]] & inside
    w = np.repeat(np.repeat(good, oversample, 0), oversample, 1)
    total = w.size
    return float(np.sum(is_open & w) / total), float(np.sum(inside & ~is_open & w) / total)
