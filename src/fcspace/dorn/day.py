"""A simulated lunar day of DORN spectra at the Chang'e-6 landing site (41.6 S, 153.9 W).

Chain (truth -> L1), for a daily-mean Rn-222 exhalation ``F`` (atoms m^-2 s^-1) and an
adsorption heat ``Q`` (kcal/mol, shared by the regolith grains and the surface):

1. Regolith exhalation ``J(x)`` versus local time ``x`` at the site latitude:
   `fcspace.dorn.regolith.exhalation_flux` (Knudsen diffusion, adsorption, decay, driven by
   the diurnal thermal wave of `fcspace.dorn.thermal`), rescaled so that its daily mean is
   ``F``. The model is linear in the production, so ``F`` is a pure scale factor
   (equivalently a scale of the emanation coefficient or of the radium content).
2. Radon exosphere above the site: a *reduced model calibrated by the Monte Carlo* of
   `fcspace.dorn.exosphere` (the Monte Carlo takes ~10 s per run; an inversion needs the model
   at many ``Q``). Along the site's latitude circle, in the Sun-state frame, the total radon
   ``N = C + S`` (in flight + adsorbed, atoms m^-2) obeys the steady advection-diffusion
   balance of a random walk with position-dependent waiting times ([Hodges1980]; the Itô
   form, which makes atoms pile up where they rest long, i.e. cold trapping):

   ``omega dN/dx = d^2(K N)/dx^2 - (lambda + (beta s(x) + epsilon) f(x)) N + J(x)``

   with ``omega`` = 1 local hour per ``synodic month / 24``; ``f = t_f / (t_f + tau)`` the
   fraction of time in flight, ``t_f = sqrt(2 pi) sigma / g`` the mean flight time of the
   flux-Maxwellian launch (``sigma = sqrt(k T / m)``), ``tau = tau0 exp(Q / R T)`` the
   residence time ([FriesenAdams1976]); ``K = <r^2> / (4 (t_f + tau))`` with
   ``<r^2> = 16 sigma^4 / g^2`` the mean square hop range (flat-gravity moments of the
   exosphere module), projected on the latitude circle; ``beta`` the photo-ionisation rate on
   the sunlit side ``s(x)``; ``epsilon`` a leak (cold trapping and poleward drift, which a
   single latitude circle lacks), calibrated against `fcspace.dorn.exosphere.simulate` at
   Q = 8.5 kcal/mol: with it the daytime column of the reduced model is within ~5 % of the
   Monte Carlo's 5-degree band, the adsorbed night-side radon within ~20 % (tests repeat the
   comparison with a smaller run). Discretised by finite volumes (upwind advection, exact
   mass budget) on a periodic 1-minute local-time grid and solved directly (sparse LU).
3. Surface polonium below the ground-facing units: Rn-222 decays at rest leave their
   daughters in place (as in `fcspace.dorn.exosphere.daughter_buildup`); of the decays in
   flight, half the recoiling Po-218 ions are driven into the surface and half leave
   (ASSUMPTION: isotropic ~100 keV recoil, far above escape speed). The Po-218, Pb-214,
   Bi-214, Po-214 activities follow the deposition through the Bateman impulse response
   (`fcspace.dorn.decay.atoms`), convolved in real time. Po-210 is at equilibrium with the
   day-mean deposition (old surface, >> 22 y of Pb-210).
4. Views: sky-facing units see the radon column (``lambda C``, Bq m^-2; no polonium stays
   aloft); ground-facing units see the adsorbed radon ``lambda S`` and the surface
   polonium. The ``n_sky_units`` (``n_ground_units``) identical units of a view are summed,
   i.e. one front detector with that many times the live time.
5. Spectra: `fcspace.dorn.spectrum.simulate_spectrum`, one per view every
   ``24 / n_spectra`` local hours, live time ``live_time_h`` each; activities are averaged
   over the live window. Detector temperature follows the surface temperature, damped and
   regulated (ASSUMPTION, `detector_temperature`).

A full lunar day (29.53 Earth days) is simulated for the physics. Chang'e-6 itself worked
only ~2 Earth days on the surface, in daylight (2024-06-01 to 06-03), i.e. ~1.6 hours of
local time: the night-time and the dawn/dusk signals here were never observed.

Sources
-------
- [FriesenAdams1976] Friesen, L. J., Adams, J. A. S. (1976). GCA 40, 375-380.
- [Hodges1980] Hodges, R. R. (1980). Proc. Lunar Planet. Sci. Conf. 11th, 2463-2477.
- [Butler1997] Butler, B. J. (1997). JGR 102, 19283-19291 (ballistic hops, residence times).
- [Bateman1910] Bateman, H. (1910). Proc. Cambridge Phil. Soc. 15, 423-427.
- Models of this package: regolith, exosphere, thermal, spectrum (each with its sources).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spl
import xarray as xr
from numpy.typing import ArrayLike

from fcspace.core.errors import InputError
from fcspace.core.validation import check_range
from fcspace.dorn import decay
from fcspace.dorn.detector import LINES
from fcspace.dorn.exosphere import RADON_MASS_KG, ExosphereConfig
from fcspace.dorn.instrument import DORN, DornInstrument
from fcspace.dorn.moon import (
    BOLTZMANN_J_K,
    CAL_J,
    CHANGE6_SITE,
    GAS_CONSTANT_J_MOL_K,
    MOON,
    LandingSite,
)
from fcspace.dorn.nuclides import NUCLIDES
from fcspace.dorn.regolith import RegolithRadon, exhalation_flux
from fcspace.dorn.thermal import surface_temperature

__all__ = [
    "FIT_LINES",
    "VIEWS",
    "DayConfig",
    "SiteResponse",
    "detector_temperature",
    "simulate_day",
    "site_response",
    "window_activities",
]

VIEWS = ("sky", "ground")
FIT_LINES = ("Rn-222", "Po-218", "Po-214")  # the lines the inversion uses
_LAM_RN = NUCLIDES["Rn-222"].decay_constant
_FLIGHT_RECOIL_KEPT = 0.5  # ASSUMPTION: half the in-flight Po-218 recoils go into the ground
_LEAK_RATE_S = 4.0e-7  # epsilon, calibrated on exosphere.simulate (module docstring)
_WINDOW_NODES = 9  # samples averaged over each live window


@dataclass(frozen=True)
class DayConfig:
    """Settings of a simulated lunar day; truth values and sampling.

    ``flux_m2_s`` is the daily-mean Rn-222 exhalation at the site (160-210 atoms m^-2 s^-1
    for the Moon, [Girault2025] via fcspace.dorn.exosphere), ``q_kcal_mol`` the adsorption
    heat (8-9 kcal/mol, [FriesenAdams1976]).
    """

    flux_m2_s: float = 185.0
    q_kcal_mol: float = 8.5
    n_spectra: int = 24  # spectra per view over the lunar day
    live_time_h: float = 3.0  # live time of each spectrum (Earth hours)
    site: LandingSite = CHANGE6_SITE
    regolith: RegolithRadon = field(default_factory=RegolithRadon)
    regolith_steps: int = 360  # time steps per lunar day of the regolith model
    n_grid: int = 1440  # local-time cells of the exosphere model (1 min)
    photoionisation_rate_s: float = ExosphereConfig().photoionisation_rate_s
    leak_rate_s: float = _LEAK_RATE_S
    instrument: DornInstrument = DORN


def detector_temperature(surface_k: ArrayLike, instrument: DornInstrument = DORN) -> np.ndarray:
    """Detector temperature (C) from the surface temperature (K): ASSUMPTION.

    The electronics box is insulated and heated: its temperature follows the surface linearly
    from -35 C (90 K) to +45 C (360 K), clipped to the operating range of the instrument.
    """
    t = np.asarray(surface_k, dtype=float)
    if not np.all(np.isfinite(t)):
        raise InputError("surface temperature must be finite", variable="surface_temperature")
    det = -35.0 + 80.0 * (t - 90.0) / 270.0
    return np.clip(det, instrument.temperature_min_c, instrument.temperature_max_c)


@dataclass(frozen=True)
class SiteResponse:
    """The site model for a unit daily-mean exhalation (1 atom m^-2 s^-1) at one ``Q``.

    ``local_time`` (h, cell centres), ``exhalation`` (m^-2 s^-1), ``column`` and ``surface``
    (atoms m^-2, in flight and adsorbed), ``activity`` (view, line, local_time) in Bq m^-2
    per unit flux, lines as in :data:`fcspace.dorn.detector.LINES`; ``daily_mean_unscaled``
    the daily-mean exhalation of the regolith parameters before rescaling.
    """

    q_kcal_mol: float
    local_time: np.ndarray
    exhalation: np.ndarray
    column: np.ndarray
    surface: np.ndarray
    activity: np.ndarray
    daily_mean_unscaled: float


def _exosphere_operator(
    temp: np.ndarray, q_j_mol: float, cfg: DayConfig, sunlit: np.ndarray
) -> tuple[sp.csc_matrix, np.ndarray]:
    """Matrix of the steady balance (module docstring) and the flight fraction ``f``."""
    n = temp.size
    dx = 24.0 / n
    sigma = np.sqrt(BOLTZMANN_J_K * temp / RADON_MASS_KG)
    g = MOON.gravity_m_s2
    t_f = np.sqrt(2.0 * np.pi) * sigma / g
    tau = cfg.regolith.tau0_s * np.exp(np.minimum(q_j_mol / (GAS_CONSTANT_J_MOL_K * temp), 700))
    frac = t_f / (t_f + tau)
    metres_per_hour = MOON.radius_m * np.cos(np.radians(cfg.site.latitude_deg)) * np.pi / 12.0
    k = 4.0 * sigma**4 / (g**2 * (t_f + tau)) / metres_per_hour**2  # h^2 s^-1
    omega = 1.0 / MOON.local_hour_s  # h s^-1
    loss = _LAM_RN + (cfg.photoionisation_rate_s * sunlit + cfg.leak_rate_s) * frac
    i = np.arange(n)
    rows = np.concatenate([i, i, i])
    cols = np.concatenate([i, (i - 1) % n, (i + 1) % n])
    vals = np.concatenate(
        [
            omega / dx + 2.0 * k / dx**2 + loss,
            -omega / dx - np.roll(k, 1) / dx**2,
            -np.roll(k, -1) / dx**2,
        ]
    )
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n)), frac


@functools.lru_cache(maxsize=8)
def _chain_weights(step_s: float, n: int) -> np.ndarray:
    """Activities of Po-218 and Po-214 per unit deposition rate, per lag step (2, n).

    ``w[j, k] = int_{k dt}^{(k+1) dt} lambda_j N_j(u) du`` for one Po-218 atom deposited at
    ``u = 0`` ([Bateman1910], `fcspace.dorn.decay.atoms`), trapezoidal on a fine grid.
    """
    u = np.linspace(0.0, n * step_s, 40 * n + 1)
    atoms = decay.atoms({"Po-218": 1.0}, u)
    out = np.empty((2, n))
    for row, name in enumerate(("Po-218", "Po-214")):
        a = NUCLIDES[name].decay_constant * np.asarray(atoms[name])
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (a[1:] + a[:-1]) * np.diff(u))])
        out[row] = np.diff(cum[::40])
    return out


def _surface_polonium(deposit: np.ndarray) -> np.ndarray:
    """Po-218 and Po-214 activities (2, n) for a periodic deposition rate on the grid."""
    n = deposit.size
    step_s = 24.0 / n * MOON.local_hour_s
    lags = int(np.ceil(6.0 * 3600.0 / step_s)) + 1  # 6 h of real time: >> 1 h chain lag
    w = _chain_weights(step_s, lags)
    # the deposit rate of cell i - k acts over the k-th lag step before cell i's time
    shifted = np.stack([np.roll(deposit, k) for k in range(lags)])  # (lags, n)
    return w @ shifted


def _check_q(q_kcal_mol: float) -> float:
    q = float(q_kcal_mol)
    if not (np.isfinite(q) and 4.0 <= q <= 15.0):
        raise InputError(f"Q must lie in 4..15 kcal/mol, got {q}", variable="q_kcal_mol")
    return q


def site_response(q_kcal_mol: float, config: DayConfig | None = None) -> SiteResponse:
    """Solve the site model (module docstring) for a unit daily-mean exhalation.

    Parameters
    ----------
    q_kcal_mol
        Adsorption heat (kcal/mol), used by the regolith and by the surface.
    config
        Site, regolith parameters and numerical settings (the truth ``flux_m2_s`` and
        ``q_kcal_mol`` of the config are not used here).

    Returns
    -------
    SiteResponse
        Everything per unit daily-mean flux; multiply by ``F`` (the model is linear).
    """
    cfg = config or DayConfig()
    q_j = _check_q(q_kcal_mol) * 1000.0 * CAL_J
    n = int(cfg.n_grid)
    x = (np.arange(n) + 0.5) * 24.0 / n
    reg = replace(cfg.regolith, adsorption_heat_j_mol=q_j)
    ex = exhalation_flux(reg, cfg.site.latitude_deg, x, n_steps=cfg.regolith_steps, n_days=3)
    mean = float(ex.attrs["daily_mean_flux_rn222"])
    j = np.asarray(ex["flux_rn222"].values) / mean
    lat = np.radians(cfg.site.latitude_deg)
    sunlit = (np.cos(lat) * np.cos(np.radians(15.0 * (x - 12.0))) > 0).astype(float)
    temp = surface_temperature(cfg.site.latitude_deg, x)
    matrix, frac = _exosphere_operator(temp, q_j, cfg, sunlit)
    total = spl.spsolve(matrix, j)
    column, surface = frac * total, (1.0 - frac) * total
    deposit = _LAM_RN * (surface + _FLIGHT_RECOIL_KEPT * column)
    act = np.zeros((len(VIEWS), len(LINES), n))
    act[0, LINES.index("Rn-222")] = _LAM_RN * column
    act[1, LINES.index("Rn-222")] = _LAM_RN * surface
    act[1, [LINES.index("Po-218"), LINES.index("Po-214")]] = _surface_polonium(deposit)
    act[1, LINES.index("Po-210")] = deposit.mean()  # secular equilibrium via Pb-210
    return SiteResponse(float(q_kcal_mol), x, j, column, surface, act, mean)


def window_activities(
    resp: SiteResponse, local_time: ArrayLike, live_time_s: ArrayLike
) -> np.ndarray:
    """Activities (view, time, line) per unit flux, averaged over each live window.

    A spectrum centred on local time ``x`` with live time ``T`` (s) covers
    ``x +- T / (2 hour_s)`` local hours; the periodic model is sampled at
    ``_WINDOW_NODES`` points across it (midpoint rule) and averaged.
    """
    lt = np.asarray(local_time, dtype=float).ravel()
    live = np.broadcast_to(np.asarray(live_time_s, dtype=float), lt.shape)
    if not (np.all(np.isfinite(lt)) and np.all(np.isfinite(live)) and np.all(live > 0)):
        raise InputError("local times and live times must be finite (live > 0)", variable="time")
    half = 0.5 * live / MOON.local_hour_s
    offs = (np.arange(_WINDOW_NODES) + 0.5) / _WINDOW_NODES * 2.0 - 1.0
    pts = np.mod(lt[:, None] + half[:, None] * offs[None, :], 24.0)  # (time, nodes)
    xp = np.concatenate([resp.local_time[-1:] - 24.0, resp.local_time, resp.local_time[:1] + 24])
    out = np.empty((len(VIEWS), lt.size, len(LINES)))
    for v in range(len(VIEWS)):
        for k in range(len(LINES)):
            fp = resp.activity[v, k]
            fp = np.concatenate([fp[-1:], fp, fp[:1]])
            out[v, :, k] = np.interp(pts, xp, fp).mean(axis=1)
    return out


def _spectra(
    act: np.ndarray, det_t: np.ndarray, live_s: float, cfg: DayConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Counts (view, time, channel) and the vetoed counts, summed over the units of a view."""
    from fcspace.dorn.spectrum import simulate_spectrum

    units = (cfg.instrument.n_sky_units, cfg.instrument.n_ground_units)
    shape = (len(VIEWS), act.shape[1], cfg.instrument.n_channels)
    counts, vetoed = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    for v, view in enumerate(VIEWS):
        for t in range(act.shape[1]):
            sources = {name: float(act[v, t, k]) for k, name in enumerate(LINES)}
            sources.pop("Po-209")
            ds = simulate_spectrum(sources, units[v] * live_s, float(det_t[t]), rng, view=view,
                                   instrument=cfg.instrument)  # fmt: skip
            counts[v, t], vetoed[v, t] = ds["counts"].values, ds["counts_vetoed"].values
    return counts, vetoed


#: Accepted ranges of the numerical settings of :class:`DayConfig` (beyond the truth values):
#: at most one spectrum per Earth minute of the lunar day; model grids fine enough to resolve
#: the terminator (>= 1 h) and small enough for memory; rates >= 0 and below 1 s^-1.
CONFIG_RANGES: dict[str, tuple[float, float]] = {
    "n_spectra": (2, 42_480),
    "regolith_steps": (24, 100_000),
    "n_grid": (24, 100_000),
    "photoionisation_rate_s": (0.0, 1.0),
    "leak_rate_s": (0.0, 1.0),
}


def _check_config(cfg: DayConfig) -> None:
    """Refuse settings that no lunar day has (:data:`CONFIG_RANGES`, flux, live time, Q)."""
    if not (np.isfinite(cfg.flux_m2_s) and cfg.flux_m2_s >= 0):
        raise InputError("flux must be finite and >= 0", variable="flux_m2_s")
    if cfg.n_spectra < 2:
        raise InputError("need at least 2 spectra per view", variable="n_spectra")
    if not (np.isfinite(cfg.live_time_h) and 0 < cfg.live_time_h <= 24.0):
        raise InputError("live time must lie in (0, 24] h", variable="live_time_h")
    for name, (lo, hi) in CONFIG_RANGES.items():
        check_range(name, getattr(cfg, name), lo, hi, error=InputError)
    check_range("site.latitude_deg", cfg.site.latitude_deg, -90.0, 90.0, error=InputError)
    _check_q(cfg.q_kcal_mol)


def simulate_day(config: DayConfig | None = None, rng: np.random.Generator | int = 0) -> xr.Dataset:
    """Simulate a lunar day of DORN spectra at the landing site, with the truth.

    Parameters
    ----------
    config
        Truth (``flux_m2_s``, ``q_kcal_mol``), sampling and model settings (`DayConfig`).
    rng
        Random generator or seed of the Poisson draws.

    Returns
    -------
    xarray.Dataset
        ``counts`` and ``counts_vetoed`` (view, time, channel); per ``time``:
        ``local_time`` (h), ``time_s`` (s since local midnight, Earth time), ``live_time_s``
        (per unit), ``surface_temperature`` (K), ``temperature_c`` (detector, C),
        ``truth_exhalation`` (m^-2 s^-1), ``truth_column``, ``truth_surface_radon``
        (atoms m^-2); ``truth_activity`` (view, time, line, Bq m^-2); ``energy_edges``;
        scalars ``truth_flux`` and ``truth_q``; attributes: site, units summed, model notes.

    Raises
    ------
    InputError
        Negative or NaN flux, Q outside 4..15 kcal/mol, fewer than 2 spectra, bad live time.
    """
    cfg = config or DayConfig()
    _check_config(cfg)
    rng = np.random.default_rng(rng)
    resp = site_response(cfg.q_kcal_mol, cfg)
    lt = (np.arange(cfg.n_spectra) + 0.5) * 24.0 / cfg.n_spectra
    live_s = cfg.live_time_h * 3600.0
    act = cfg.flux_m2_s * window_activities(resp, lt, live_s)
    surf_k = surface_temperature(cfg.site.latitude_deg, lt)
    det_t = detector_temperature(surf_k, cfg.instrument)
    counts, vetoed = _spectra(act, det_t, live_s, cfg, rng)
    interp = functools.partial(np.interp, lt, resp.local_time, period=24.0)
    return _dataset(cfg, resp, lt, act, (counts, vetoed), (surf_k, det_t), interp)


def _dataset(
    cfg: DayConfig,
    resp: SiteResponse,
    lt: np.ndarray,
    act: np.ndarray,
    counts: tuple[np.ndarray, np.ndarray],
    temps: tuple[np.ndarray, np.ndarray],
    interp: Callable[[np.ndarray], np.ndarray],
) -> xr.Dataset:
    """Pack a simulated day (see `simulate_day`)."""
    from fcspace.core.products import cf_global_attrs

    edges = cfg.instrument.channel_edges_kev
    units = np.array([cfg.instrument.n_sky_units, cfg.instrument.n_ground_units])
    f = cfg.flux_m2_s
    data = {
        "counts": (("view", "time", "channel"), counts[0]),
        "counts_vetoed": (("view", "time", "channel"), counts[1]),
        "live_time_s": ("time", np.full(lt.size, cfg.live_time_h * 3600.0), {"units": "s"}),
        "n_units": ("view", units),
        "time_s": (
            "time",
            lt * MOON.local_hour_s,
            {"units": "s", "long_name": "Earth time since local midnight"},
        ),
        "surface_temperature": ("time", temps[0], {"units": "K"}),
        "temperature_c": ("time", temps[1], {"units": "degC"}),
        "energy_edges": ("edge", edges, {"units": "keV"}),
        "truth_exhalation": ("time", f * interp(resp.exhalation), {"units": "m-2 s-1"}),
        "truth_column": ("time", f * interp(resp.column), {"units": "m-2"}),
        "truth_surface_radon": ("time", f * interp(resp.surface), {"units": "m-2"}),
        "truth_activity": (("view", "time", "line"), act, {"units": "Bq m-2"}),
        "truth_flux": ((), f, {"units": "m-2 s-1", "long_name": "daily-mean Rn-222 exhalation"}),
        "truth_q": ((), cfg.q_kcal_mol, {"units": "kcal mol-1"}),
    }
    attrs = cf_global_attrs(
        "DORN simulated lunar day at the Chang'e-6 site",
        "fcspace.dorn.day.simulate_day (regolith + reduced exosphere model + spectrum)",
        site=cfg.site.name,
        site_latitude_deg=cfg.site.latitude_deg,
        site_longitude_deg=cfg.site.longitude_deg,
        live_time_h=cfg.live_time_h,
        note="full lunar day simulated; Chang'e-6 operated ~2 Earth days in daylight",
    )
    return xr.Dataset(
        data,
        coords={
            "view": list(VIEWS),
            "time": np.arange(lt.size),
            "local_time": ("time", lt, {"units": "h"}),
            "channel": np.arange(cfg.instrument.n_channels),
            "energy": ("channel", 0.5 * (edges[:-1] + edges[1:]), {"units": "keV"}),
            "line": list(LINES),
        },
        attrs=attrs,
    )
