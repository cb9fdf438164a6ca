"""ECLAIRs photon-event simulator: a GRB seen through the coded mask, plus background.

Each photon is ray-traced: a random point of the detection plane, traced back along its
arrival direction to the mask plane; it reaches the detector if it crosses an open element,
or with probability T(E, theta) if it crosses a closed one. A ray that meets the mask plane
outside the mask is stopped by the side shield between mask and detector (the shield is
taken as opaque at all energies). Partial coding and oblique projection therefore come out
of the geometry. Photons that land in the inter-pixel gaps are lost; those left are absorbed
with the CdTe efficiency (slant path), smeared with the Gaussian energy resolution and kept
if the measured energy is within the band.

Source model
------------
Light curve: a sum of Norris pulses ([Norris1996] Eq. 1),
``I(t) = A exp(-(|t - t_peak| / sigma)^nu)``, ``sigma = rise`` before the peak and ``decay``
after (a FRED for rise < decay). It is normalised so that its maximum is 1, and the photon
flux in 15-150 keV at time t is ``peak_flux * I(t)`` (ph cm-2 s-1): the burst is normalised
by its peak photon flux in 15-150 keV, the Swift/BAT convention. The spectrum is a Band
function ([Band1993] Eq. 1) with parameters ``alpha, beta, epeak_kev`` and no spectral
evolution.

Background model
----------------
- Cosmic X-ray background through the open field: an isotropic intensity with the spectrum
  of [Moretti2009] (``dN/dE = C / ((E/Eb)^G1 + (E/Eb)^G2)``, C = 0.109 ph cm-2 s-1 sr-1
  keV-1, G1 = 1.40, G2 = 2.88, Eb = 29 keV) ray-traced like the source with directions
  drawn from the cosine-weighted upper hemisphere. Each pixel sees the sky through the mask
  aperture only, so the pattern is brightest at the centre of the detector. With the default
  mask the CXB gives 3080 counts/s in 4-150 keV (computed by this model, ``CXB_RATE``;
  80 % of it below 20 keV).
- Instrumental background: flat across the detector and flat in measured energy over the
  band, ``instrumental_rate`` counts/s (default 1900; an assumption, which makes the total
  ~5000 counts/s, the order of magnitude of the ECLAIRs background of [Mate2021], where the
  CXB dominates below ~50 keV).
- Noisy pixels add ``noisy_rate`` counts/s each, uniform in 4-8 keV (the low-energy noise
  described by [Xie2024]); events on dead pixels are dropped.

Sources
-------
- [Band1993] Band, D., et al. (1993). BATSE observations of gamma-ray burst spectra. I.
  ApJ 413, 281.
- [Norris1996] Norris, J. P., et al. (1996). Attributes of pulses in long bright gamma-ray
  bursts. ApJ 459, 393.
- [Moretti2009] Moretti, A., et al. (2009). Spectrum of the cosmic X-ray background
  measured by Swift XRT and BAT. A&A 493, 501.
- [Mate2021] Mate, S., Bouchet, L., Atteia, J.-L., et al. (2021). Simulations of the
  SVOM/ECLAIRs dynamic background. Experimental Astronomy 52, 1.
- [Xie2024] Xie, W., et al. (2024). Study of SVOM/ECLAIRs inhomogeneities in the detection
  plane below 8 keV. A&A 683, A60.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS, EclairsInstrument
from fcspace.svom.eclairs.mask import make_mask

__all__ = [
    "Background",
    "Grb",
    "Pulse",
    "band_spectrum",
    "cxb_intensity",
    "expected_source_counts",
    "light_curve",
    "make_pixel_status",
    "simulate_grb",
    "CXB_RATE",
]

SOURCE, CXB, INSTRUMENTAL, NOISY = 0, 1, 2, 3  # truth_component codes
GOOD, DEAD, NOISY_PIXEL = 0, 1, 2  # pixel_status codes
_N_TIME = 200_001  # light-curve grid points
_N_ENERGY = 4000  # spectrum grid points
CXB_RATE = 3080.0  # counts/s of the default CXB through the default mask (this model)


@dataclass(frozen=True)
class Pulse:
    """One Norris pulse ([Norris1996]): peak time (s after ``Grb.t0``), rise and decay (s)."""

    t_peak: float = 2.0
    rise: float = 0.5
    decay: float = 3.0
    amplitude: float = 1.0
    peakedness: float = 1.5  # nu of [Norris1996]; 1 = exponential, 2 = Gaussian


@dataclass(frozen=True)
class Grb:
    """A GRB: direction in the instrument frame, light curve and Band spectrum.

    ``peak_flux`` is the peak photon flux in 15-150 keV (ph cm-2 s-1) of the summed light
    curve; ``t0`` the time (s after the start of the simulation) that pulse times refer to.
    """

    theta_deg: float = 0.0
    phi_deg: float = 0.0
    peak_flux: float = 5.0
    alpha: float = -1.0
    beta: float = -2.3
    epeak_kev: float = 100.0
    t0: float = 10.0
    pulses: tuple[Pulse, ...] = (Pulse(),)


@dataclass(frozen=True)
class Background:
    """Background components (see the module docstring for the models and figures)."""

    cxb_scale: float = 1.0  # multiplies the [Moretti2009] intensity; 0 disables the CXB
    instrumental_rate: float = 1900.0  # counts/s over the detector, assumption
    noisy_rate: float = 20.0  # counts/s per noisy pixel, assumption
    dead_fraction: float = 0.002  # fraction of dead pixels, assumption
    noisy_fraction: float = 0.001  # fraction of noisy pixels, assumption


def band_spectrum(energy_kev: ArrayLike, alpha: float, beta: float, epeak_kev: float) -> NDArray:
    """Band function ([Band1993] Eq. 1), unnormalised photon spectrum (A = 1, E_piv = 100 keV).

    ``N(E) = (E/100)^a exp(-E/E0)`` for ``E < (a - b) E0``, else
    ``((a - b) E0 / 100)^(a - b) exp(b - a) (E/100)^b``, with ``E0 = Epeak / (2 + a)``.
    """
    if not beta < alpha or alpha <= -2.0:
        raise InputError(f"Band needs beta < alpha and alpha > -2, got {alpha}, {beta}")
    e = np.asarray(energy_kev, dtype=float)
    e0 = epeak_kev / (2.0 + alpha)
    eb = (alpha - beta) * e0
    low = (e / 100.0) ** alpha * np.exp(-e / e0)
    high = (eb / 100.0) ** (alpha - beta) * np.exp(beta - alpha) * (e / 100.0) ** beta
    return np.where(e < eb, low, high)


def cxb_intensity(energy_kev: ArrayLike) -> NDArray:
    """CXB photon intensity (ph cm-2 s-1 sr-1 keV-1), smoothly broken power law [Moretti2009]."""
    x = np.asarray(energy_kev, dtype=float) / 29.0
    return 0.109 / (x**1.40 + x**2.88)


def light_curve(t: ArrayLike, pulses: tuple[Pulse, ...]) -> NDArray:
    """Sum of Norris pulses ([Norris1996] Eq. 1) at times ``t`` (s after ``Grb.t0``)."""
    t = np.asarray(t, dtype=float)
    out = np.zeros_like(t)
    for p in pulses:
        dt = t - p.t_peak
        width = np.where(dt < 0, p.rise, p.decay)
        out += p.amplitude * np.exp(-((np.abs(dt) / width) ** p.peakedness))
    return out


def make_pixel_status(
    rng: np.random.Generator | int | None,
    dead_fraction: float = 0.002,
    noisy_fraction: float = 0.001,
    instrument: EclairsInstrument = ECLAIRS,
) -> NDArray[np.int8]:
    """Seeded pixel map: 0 good, 1 dead, 2 noisy; exact counts round(fraction n^2)."""
    rng = np.random.default_rng(rng)
    n = instrument.n_pixels
    n_dead, n_noisy = round(dead_fraction * n * n), round(noisy_fraction * n * n)
    pick = rng.permutation(n * n)
    status = np.zeros(n * n, dtype=np.int8)
    status[pick[:n_dead]] = DEAD
    status[pick[n_dead : n_dead + n_noisy]] = NOISY_PIXEL
    return status.reshape(n, n)


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
        Events sorted by time with ``time`` (s after met_start, quantised to the 20 us time
        resolution), ``y``, ``z``, ``energy``, ``truth_is_source``, ``truth_component`` and
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
    ds = _dataset(t[order], y[ok][order], z[ok][order], e[ok][order], comp[ok][order], status)
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
            "time": (ev, t.astype(np.float64), {"units": "s", "long_name": "time since met_start"}),
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
