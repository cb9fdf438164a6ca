"""Simulated GRM event lists: a gamma-ray burst plus the detector background, with truth.

A burst is a sum of FRED pulses [Norris2005] with a Band spectrum [Band1993], normalised to
a peak photon flux (ph cm^-2 s^-1, 10-1000 keV, the band of GBM catalogue peak fluxes) and
seen from a direction (theta, phi) in the SVOM frame (see :mod:`fcspace.svom.grm.instrument`).
Each GRD records Poisson counts through its effective area; the measured energy is the true
energy smeared by the detector's Gaussian resolution. The background of each GRD is a Poisson
process with a power-law count spectrum and a slow orbital modulation.

Sources
-------
- [Band1993] Band, D., Matteson, J., Ford, L., et al. (1993). BATSE observations of
  gamma-ray burst spectra. I. ApJ 413, 281 (Eq. 1).
- [Norris2005] Norris, J. P., Bonnell, J. T., Kazanas, D., et al. (2005). Long-lag,
  wide-pulse gamma-ray bursts. ApJ 627, 324 (pulse I(t) = A exp(2 mu) exp(-tau1/t - t/tau2),
  mu = sqrt(tau1/tau2), peak at sqrt(tau1 tau2)).
- [Cinlar1975] Cinlar, E. (1975). Introduction to Stochastic Processes, Prentice-Hall
  (inhomogeneous Poisson process: independent Poisson counts in disjoint cells, uniform
  arrival times within a cell of constant rate).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.grm.instrument import GRM, GrmInstrument
from fcspace.svom.grm.io import event_list

__all__ = ["GrbTruth", "band_spectrum", "fred_pulse", "simulate_events"]

FLUX_BAND_KEV = (10.0, 1000.0)  # band of the peak photon flux (GBM catalogue convention)


def band_spectrum(energy_kev: ArrayLike, alpha: float, beta: float, epeak_kev: float) -> NDArray:
    """Band photon spectrum N(E) (unit amplitude at 100 keV), [Band1993] Eq. 1.

    ``N = (E/100)^alpha exp(-E/E0)`` below ``(alpha - beta) E0``, and
    ``[(alpha - beta) E0/100]^(alpha - beta) exp(beta - alpha) (E/100)^beta`` above, with
    ``E0 = Epeak / (2 + alpha)``.
    """
    if not (alpha > -2.0 and beta < alpha and epeak_kev > 0):
        raise InputError(f"Band needs -2 < alpha, beta < alpha, Epeak > 0; got {alpha}, {beta}")
    e = np.asarray(energy_kev, float)
    e0 = epeak_kev / (2.0 + alpha)
    e_break = (alpha - beta) * e0
    low = (e / 100.0) ** alpha * np.exp(-e / e0)
    high = ((e_break / 100.0) ** (alpha - beta) * np.exp(beta - alpha)) * (e / 100.0) ** beta
    return np.where(e < e_break, low, high)


def fred_pulse(t: ArrayLike, t_start: float, tau_rise: float, tau_decay: float) -> NDArray:
    """Norris FRED pulse of unit peak, zero before ``t_start`` ([Norris2005] Eq. 1)."""
    dt = np.asarray(t, float) - t_start
    mu = np.sqrt(tau_rise / tau_decay)
    safe = np.where(dt > 0, dt, 1.0)
    return np.where(dt > 0, np.exp(2.0 * mu - tau_rise / safe - safe / tau_decay), 0.0)


@dataclass(frozen=True)
class GrbTruth:
    """A simulated burst: when, where, how bright, its spectrum and its pulses.

    ``pulses`` holds ``(start offset s, tau_rise s, tau_decay s, relative amplitude)`` per
    FRED pulse; the sum is normalised to unit peak so that ``peak_flux`` is the peak photon
    flux (ph cm^-2 s^-1, 10-1000 keV). Defaults: a bright long burst, spectrum typical of
    the GBM catalogue (alpha -1, beta -2.3, Epeak 250 keV).
    """

    t0_met: float = 0.0
    theta_deg: float = 20.0
    phi_deg: float = 45.0
    peak_flux: float = 10.0
    alpha: float = -1.0
    beta: float = -2.3
    epeak_kev: float = 250.0
    pulses: tuple[tuple[float, float, float, float], ...] = ((0.0, 0.5, 3.0, 1.0),)

    def light_curve_raw(self, t: ArrayLike) -> NDArray:
        """Unnormalised sum of the pulses at MET ``t``."""
        tt = np.asarray(t, float)
        parts = [a * fred_pulse(tt, self.t0_met + s, r, d) for s, r, d, a in self.pulses]
        return np.asarray(sum(parts))

    @property
    def peak_time_met(self) -> float:
        """MET of the light-curve maximum (grid search including each pulse's own peak)."""
        grid = self.t0_met + np.linspace(0.0, self.duration_s, 100001)
        peaks = [self.t0_met + s + np.sqrt(r * d) for s, r, d, _ in self.pulses]
        t = np.concatenate([grid, peaks])
        return float(t[np.argmax(self.light_curve_raw(t))])

    def light_curve(self, t: ArrayLike) -> NDArray:
        """Relative photon flux (peak 1) at MET ``t``, sum of the FRED pulses."""
        peak = float(self.light_curve_raw(self.peak_time_met))
        return self.light_curve_raw(t) / max(peak, 1e-300)

    @property
    def duration_s(self) -> float:
        """Span simulated after ``t0_met``: last pulse start + 12 decay times (flux < 1e-4)."""
        return max(s + 12.0 * d + r for s, r, d, _ in self.pulses)


def _energy_grid(inst: GrmInstrument) -> NDArray:
    return np.geomspace(0.8 * inst.energy_min_kev, 1.2 * inst.energy_max_kev, 3000)


def _trapz(y: NDArray, x: NDArray) -> float:
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


def _grb_counts_per_flux(grb: GrbTruth, inst: GrmInstrument) -> tuple[float, NDArray, NDArray]:
    """Counts s^-1 per unit flux for unit angular response, and the count spectrum (E, pdf)."""
    e = _energy_grid(inst)
    spec = band_spectrum(e, grb.alpha, grb.beta, grb.epeak_kev)
    ef = np.geomspace(*FLUX_BAND_KEV, 3000)
    norm = _trapz(band_spectrum(ef, grb.alpha, grb.beta, grb.epeak_kev), ef)
    counts = spec * inst.efficiency(e) * inst.geometric_area_cm2
    return _trapz(counts, e) / norm, e, counts


def _sample_from_pdf(rng: np.random.Generator, x: NDArray, pdf: NDArray, n: int) -> NDArray:
    """Inverse-CDF sampling of a tabulated density (linear interpolation of the CDF)."""
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * np.diff(x))])
    return np.interp(rng.random(n), cdf / cdf[-1], x)


def _poisson_times(rng: np.random.Generator, t_edges: NDArray, rate: NDArray) -> NDArray:
    """Arrival times of an inhomogeneous Poisson process of piecewise-constant ``rate``.

    Independent Poisson counts per cell, arrival times uniform within a cell [Cinlar1975].
    """
    width = np.diff(t_edges)
    n = rng.poisson(np.clip(rate, 0.0, None) * width)
    start = np.repeat(t_edges[:-1], n)
    return start + rng.random(start.size) * np.repeat(width, n)


def _measure(rng: np.random.Generator, e_true: NDArray, inst: GrmInstrument) -> NDArray:
    return e_true + rng.normal(size=e_true.size) * inst.resolution_sigma_kev(e_true)


def _grb_events(grb: GrbTruth, rng: np.random.Generator, inst: GrmInstrument) -> list[tuple]:
    """Per detector: (times, measured energies) of the burst's counts."""
    per_flux, e, counts = _grb_counts_per_flux(grb, inst)
    edges = grb.t0_met + np.arange(0.0, grb.duration_s + 1e-3, 1e-3)
    flux = grb.peak_flux * grb.light_curve(0.5 * (edges[1:] + edges[:-1]))
    response = inst.detector_response(grb.theta_deg, grb.phi_deg)
    out = []
    for r in response:
        t = _poisson_times(rng, edges, flux * per_flux * r)
        out.append((t, _measure(rng, _sample_from_pdf(rng, e, counts, t.size), inst)))
    return out


def _background_events(
    t_start: float, duration_s: float, rng: np.random.Generator, inst: GrmInstrument
) -> list[tuple]:
    """Per detector: background (times, energies); power law E^-index, orbital modulation."""
    edges = t_start + np.linspace(0.0, duration_s, int(np.ceil(duration_s)) + 1)
    mid = 0.5 * (edges[1:] + edges[:-1])
    e = np.geomspace(inst.energy_min_kev, inst.energy_max_kev, 2000)
    out = []
    for phase in rng.uniform(0.0, 2.0 * np.pi, inst.n_detectors):
        wave = np.sin(2.0 * np.pi * (mid - t_start) / inst.orbit_period_s + phase)
        rate = inst.background_rate_cps * (1.0 + inst.background_modulation * wave)
        t = _poisson_times(rng, edges, rate)
        out.append((t, _sample_from_pdf(rng, e, e**-inst.background_index, t.size)))
    return out


def _truth_attrs(grb: GrbTruth | None) -> dict:
    if grb is None:
        return {"truth_grb": 0}
    fields = {k: v for k, v in asdict(grb).items() if k != "pulses"}
    attrs = {f"truth_{k}": float(v) for k, v in fields.items()}
    attrs["truth_pulses"] = np.asarray(grb.pulses, float).ravel()
    attrs["truth_peak_time_met"] = grb.peak_time_met
    return {"truth_grb": 1} | attrs


def simulate_events(
    duration_s: float = 120.0,
    grb: GrbTruth | None = None,
    rng: np.random.Generator | int | None = 0,
    t_start_met: float = 0.0,
    instrument: GrmInstrument = GRM,
) -> xr.Dataset:
    """Simulate the GRM event list of ``duration_s`` from ``t_start_met``: background + burst.

    Parameters
    ----------
    duration_s
        Length of the simulated interval (s).
    grb
        The burst (``None``: background only). Its ``t0_met`` is absolute MET.
    rng
        ``numpy.random.Generator`` or seed (runs are reproducible).
    t_start_met
        MET of the first second (MET epoch: ``instrument.met_epoch_mjd_tt``).
    instrument
        GRM constants.

    Returns
    -------
    xarray.Dataset
        Event list in the layout of :func:`fcspace.svom.grm.io.event_list`, with truth as
        ``truth_*`` attributes and the per-event flag ``truth_is_grb``.
    """
    if duration_s <= 0:
        raise InputError(f"duration_s must be > 0, got {duration_s}")
    gen = np.random.default_rng(rng)
    parts = _background_events(t_start_met, duration_s, gen, instrument)
    n_bkg = sum(t.size for t, _ in parts)
    if grb is not None:
        parts += _grb_events(grb, gen, instrument)
    n_det = instrument.n_detectors
    det = np.concatenate([np.full(t.size, i % n_det) for i, (t, _) in enumerate(parts)])
    time = np.concatenate([t for t, _ in parts])
    energy = np.concatenate([e for _, e in parts])
    is_grb = np.arange(time.size) >= n_bkg
    keep = (energy >= instrument.energy_min_kev) & (energy < instrument.energy_max_kev)
    keep &= (time >= t_start_met) & (time < t_start_met + duration_s)
    return _assemble(time[keep], det[keep], energy[keep], is_grb[keep], t_start_met, duration_s,
                     grb, instrument)  # fmt: skip


def _assemble(
    time: NDArray,
    det: NDArray,
    energy: NDArray,
    is_grb: NDArray,
    t_start: float,
    duration: float,
    grb: GrbTruth | None,
    inst: GrmInstrument,
) -> xr.Dataset:
    """Digitise energies into channels and build the event list with its truth."""
    edges = inst.channel_edges_kev
    channel = np.clip(np.searchsorted(edges, energy, side="right") - 1, 0, inst.n_channels - 1)
    order = np.argsort(time, kind="stable")
    ds = event_list(
        time[order], det[order], channel[order], energy[order], edges,
        [[t_start, t_start + duration]], inst.detector_names,
        mission="SVOM", instrument="GRM", mjdref_tt=inst.met_epoch_mjd_tt,
        source_file="simulated", **_truth_attrs(grb),
    )  # fmt: skip
    ds["truth_is_grb"] = ("event", is_grb[order].astype(np.int8))
    return ds
