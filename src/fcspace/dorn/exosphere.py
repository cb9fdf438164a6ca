"""Monte Carlo of the lunar radon exosphere: ballistic hops, sticking, decay, loss.

Each Rn-222 atom exhaled by the regolith hops over a spherical Moon until it decays, is
photo-ionised, falls into a polar cold trap or escapes. Coordinates are Sun-state (latitude,
local time); the Sun is in the equatorial plane (obliquity ignored).

Physics and equations:

- Launch ([Hodges1980], [Butler1997]): the velocity distribution of atoms leaving a surface
  in equilibrium at temperature T is the flux-weighted Maxwellian,
  ``f(v) d^3v ~ v cos(theta) exp(-m v^2 / 2kT) d^3v``: speed ``~ v^3 exp(-m v^2/2kT)``,
  zenith angle with the cosine law (``sin^2 theta`` uniform), azimuth uniform. Equivalently
  the vertical speed ``v_z`` and the horizontal speed ``v_h`` are independent Rayleigh
  variables of scale ``sigma = sqrt(kT/m)``, which is how it is sampled.
- Flight: exact Keplerian arc from surface to surface ([Butler1997]; e.g. Bate, Mueller &
  White 1971, ch. 6). With ``nu = v^2 / (g R)`` and elevation ``gamma``: range angle
  ``tan(psi/2) = nu sin(gamma) cos(gamma) / (1 - nu cos^2 gamma)``, eccentricity
  ``e^2 = 1 - nu cos^2(gamma) (2 - nu)``, semi-major axis ``a = R / (2 - nu)``, flight time
  ``t = 2 sqrt(a^3 / GM) (delta + e sin(delta))`` with ``delta = pi - E0`` the eccentric
  anomaly from launch to apoapsis, ``delta = atan2(sqrt(1-e^2) sin(psi/2), cos(psi/2) - e)``.
  ``nu >= 2`` escapes. Radon hops at 400 K are ~30 km on average (nu ~ 0.01), so the flat
  limit ``t = 2 v_z / g``, ``x = 2 v_z v_h / g`` differs by ~1 % (tests compare both).
- Flat-gravity moments (used by the tests): ``v_z``, ``v_h`` ~ Rayleigh(sigma), so
  ``<t> = sigma sqrt(2 pi) / g`` and ``P(t < s) = 1 - exp(-(g s)^2 / (8 sigma^2))``;
  ``x = (2 sigma^2 / g) r1 r2`` with r1, r2 unit Rayleigh, ``<x> = pi sigma^2 / g`` and
  ``P(x < s) = 1 - u K1(u)``, ``u = g s / (2 sigma^2)`` (``int_0^inf r exp(-r^2/2 -
  u^2/(2 r^2)) dr = u K1(u)``).
- Sticking: residence time ``tau = tau0 exp(Q / R T)`` at the landing point ([Frenkel];
  tau0 = 1e-13 s, Q = 8.5 kcal/mol, [FriesenAdams1976]). Desorption is a Poisson process
  of rate ``1/tau(T(t))``; while the atom rests, the surface turns under the Sun (local time
  advances by 24 h per synodic month) and its temperature changes. The waiting time is drawn
  by integrating the hazard in steps of ``rest_step_s``; at ~100 K tau is days: radon
  freezes out at night and is released at dawn.
- Losses: radioactive decay (Rn-222, in flight and at rest, fcspace.dorn.nuclides);
  photo-ionisation in sunlight at ``photoionisation_rate`` (default 1e-6 s^-1 at 1 AU: the
  order of the rates of the heavy noble gases [Huebner2015]; radon's own rate is not
  tabulated there, an assumption); cold trapping: an atom landing poleward of
  ``cold_trap_latitude_deg`` (80 deg) falls into a permanently shadowed region with the
  probability ``cold_trap_fraction`` (0.05: ~1.5e4 km^2 of PSRs per pole, [Mazarico2011],
  over the ~2.9e5 km^2 cap; an assumption standing for the real PSR map) and stays there.
- Scoring: the time an atom spends in flight is charged to the latitude/local-time bin of
  the hop's midpoint (hops << bins), the time at rest to the bins it rests in. With a
  steady source of ``source_flux`` atoms m^-2 s^-1 over the whole Moon, the column density of
  a bin is ``source_flux 4 pi R^2 / n_atoms * (time in bin) / (bin area)``.

The numba kernels (launch, hop, rest, the loop over atoms) are in :mod:`fcspace.dorn.hops`;
this module holds the settings, the public entry points and the normalisation to densities.

Sources
-------
- [FriesenAdams1976] Friesen, L. J., Adams, J. A. S. (1976). GCA 40, 375-380.
- [Butler1997] Butler, B. J. (1997). The migration of volatiles on the surfaces of Mercury and
  the Moon. JGR 102, 19283-19291.
- [Hodges1980] Hodges, R. R. (1980). Lunar cold traps and their influence on argon-40.
  Proc. Lunar Planet. Sci. Conf. 11th, 2463-2477.
- [Hurley2015] surface temperature, fcspace.dorn.thermal.
- [LaiIp2024] Lai, I.-L., Ip, W.-H. (2024). Monte Carlo model of the lunar radon exosphere.
  PSJ (the approach followed here).
- [Huebner2015] Huebner, W. F., Mukherjee, J. (2015). Photoionization and photodissociation
  rates in solar and blackbody radiation fields. Planet. Space Sci. 106, 11-45.
- [Mazarico2011] Mazarico, E., et al. (2011). Illumination conditions of the lunar polar
  regions using LOLA topography. Icarus 211, 1066-1081.
- [Girault2025] lunar Rn-222 flux 160-210 atoms m^-2 s^-1 (default source: 185).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from fcspace.core.errors import InputError
from fcspace.dorn import decay
from fcspace.dorn.hops import OUTCOMES, hop_sample, run_atoms
from fcspace.dorn.moon import (
    AMU_KG,
    BOLTZMANN_J_K,
    CAL_J,
    CHANGE6_SITE,
    GAS_CONSTANT_J_MOL_K,
    MOON,
    LandingSite,
)
from fcspace.dorn.nuclides import NUCLIDES
from fcspace.dorn.thermal import surface_temperature

__all__ = [
    "ExosphereConfig",
    "daughter_buildup",
    "lander_view",
    "sample_hops",
    "simulate",
    "temperature_table",
]

RADON_MASS_KG = 222.0176 * AMU_KG  # Rn-222 atomic mass (AME2020)


@dataclass(frozen=True)
class ExosphereConfig:
    """Settings of the exosphere Monte Carlo; defaults and their sources (module docstring)."""

    n_atoms: int = 20_000
    seed: int = 0
    source_flux_m2_s: float = 185.0  # lunar Rn-222 exhalation [Girault2025] (160-210)
    tau0_s: float = 1e-13  # [FriesenAdams1976]
    adsorption_heat_j_mol: float = 8.5 * 1000.0 * CAL_J  # Q [FriesenAdams1976]
    photoionisation_rate_s: float = 1e-6  # at 1 AU, assumption (module docstring)
    cold_trap_latitude_deg: float = 80.0
    cold_trap_fraction: float = 0.05  # PSR share of the cap, [Mazarico2011] (assumption)
    spherical: bool = True  # Keplerian hops (False: flat gravity)
    rest_step_s: float = MOON.local_hour_s / 20.0  # hazard integration step at rest
    n_lat: int = 36  # 5-deg latitude bins
    n_local_time: int = 24  # 1-h local-time bins


def temperature_table(
    n_lat: int = 181, n_local_time: int = 241, uniform_k: float | None = None
) -> np.ndarray:
    """Surface temperature on a regular (latitude, local time) grid for the kernels.

    Rows span -90..90 deg, columns 0..24 h (both ends included); values from
    `fcspace.dorn.thermal.surface_temperature` ([Hurley2015]), or ``uniform_k`` everywhere.
    """
    lat = np.linspace(-90.0, 90.0, n_lat)
    lt = np.linspace(0.0, 24.0, n_local_time)
    if uniform_k is not None:
        if not np.isfinite(uniform_k) or uniform_k <= 0.0:
            raise InputError("uniform temperature must be finite and > 0 K", variable="T")
        return np.full((n_lat, n_local_time), float(uniform_k))
    return surface_temperature(lat[:, None], lt[None, :])


# ----------------------------------------------------------------------------- public API
def sample_hops(
    temperature: float, n: int, seed: int = 0, spherical: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Flight times (s) and ranges (m) of ``n`` hops launched from a surface at ``temperature``.

    Uses the same launch and flight code as `simulate` (module docstring for the formulas).
    """
    temperature = float(temperature)
    if not np.isfinite(temperature) or temperature <= 0.0:
        raise InputError("temperature must be finite and > 0 K", variable="temperature")
    return hop_sample(
        int(n),
        temperature,
        BOLTZMANN_J_K / RADON_MASS_KG,
        MOON.gravity_m_s2,
        MOON.radius_m,
        spherical,
        seed,
    )


def _physics(cfg: ExosphereConfig) -> np.ndarray:
    return np.array(
        [
            BOLTZMANN_J_K / RADON_MASS_KG,
            MOON.gravity_m_s2,
            MOON.radius_m,
            cfg.tau0_s,
            cfg.adsorption_heat_j_mol / GAS_CONSTANT_J_MOL_K,
            cfg.photoionisation_rate_s,
            np.deg2rad(cfg.cold_trap_latitude_deg),
            cfg.cold_trap_fraction,
            MOON.local_hour_s,
            cfg.rest_step_s,
            NUCLIDES["Rn-222"].decay_constant,
        ]
    )


def _bin_area(n_lat: int, n_lt: int) -> np.ndarray:
    """Area (m^2) of each latitude band cell: R^2 dlon (sin lat2 - sin lat1)."""
    edges = np.deg2rad(np.linspace(-90.0, 90.0, n_lat + 1))
    band = MOON.radius_m**2 * (2.0 * np.pi / n_lt) * np.diff(np.sin(edges))
    return np.repeat(band[:, None], n_lt, axis=1)


def _check_table(table: np.ndarray) -> np.ndarray:
    table = np.ascontiguousarray(table, dtype=float)
    if table.ndim != 2 or not np.all(np.isfinite(table)) or np.any(table <= 0.0):
        raise InputError("temperature table must be 2-D, finite and > 0 K", variable="T")
    return table


def simulate(
    config: ExosphereConfig | None = None,
    table: ArrayLike | None = None,
    source_local_time_weights: ArrayLike | None = None,
) -> xr.Dataset:
    """Run the exosphere Monte Carlo and bin it by latitude and local time.

    Parameters
    ----------
    config
        Settings (`ExosphereConfig`); the run is reproducible for a given ``config.seed``.
    table
        Surface temperature (K) on a regular grid, rows -90..90 deg, columns 0..24 h
        (default: `temperature_table`, [Hurley2015]).
    source_local_time_weights
        Relative exhalation versus local time, one value per local-time bin (e.g. the
        `fcspace.dorn.regolith.exhalation_flux` of a latitude); default uniform.

    Returns
    -------
    xarray.Dataset
        ``column_density`` (atoms m^-2, in flight), ``surface_density`` (adsorbed atoms
        m^-2) and ``deposit_rate`` (Rn-222 decays at rest, i.e. Po-218 ... Pb-210 sources,
        atoms m^-2 s^-1), over ``(lat, local_time)`` bin centres; attributes: the fate
        fractions (``fraction_<outcome>``), ``hops``, ``hops_per_atom``.
    """
    cfg = config or ExosphereConfig()
    if cfg.n_atoms < 1:
        raise InputError("n_atoms must be >= 1", variable="n_atoms")
    tab = _check_table(temperature_table() if table is None else np.asarray(table))
    rng = np.random.default_rng(cfg.seed)
    lat0 = np.arcsin(rng.uniform(-1.0, 1.0, cfg.n_atoms))  # uniform over the sphere
    lt0 = _source_local_times(rng, cfg, source_local_time_weights)
    kernel_seed = int(rng.integers(0, 2**31 - 1))
    flight, rest, deposit, outcomes, hops = run_atoms(
        lat0, lt0, kernel_seed, tab, _physics(cfg), cfg.spherical, cfg.n_lat, cfg.n_local_time
    )
    return _dataset(cfg, flight, rest, deposit, outcomes, hops)


def _source_local_times(
    rng: np.random.Generator, cfg: ExosphereConfig, weights: ArrayLike | None
) -> np.ndarray:
    if weights is None:
        return rng.uniform(0.0, 24.0, cfg.n_atoms)
    w = np.asarray(weights, float).ravel()
    if w.size != cfg.n_local_time or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise InputError(
            f"need {cfg.n_local_time} finite, non-negative weights", variable="weights"
        )
    k = rng.choice(w.size, size=cfg.n_atoms, p=w / w.sum())
    return (k + rng.uniform(0.0, 1.0, cfg.n_atoms)) * 24.0 / w.size


def _dataset(
    cfg: ExosphereConfig,
    flight: np.ndarray,
    rest: np.ndarray,
    deposit: np.ndarray,
    outcomes: np.ndarray,
    hops: int,
) -> xr.Dataset:
    """Normalise the kernel's scores to densities and rates per bin (module docstring)."""
    area = _bin_area(cfg.n_lat, cfg.n_local_time)
    rate_per_atom = cfg.source_flux_m2_s * 4.0 * np.pi * MOON.radius_m**2 / cfg.n_atoms
    lat_c = -90.0 + (np.arange(cfg.n_lat) + 0.5) * 180.0 / cfg.n_lat
    lt_c = (np.arange(cfg.n_local_time) + 0.5) * 24.0 / cfg.n_local_time
    dims = ("lat", "local_time")
    attrs = {
        f"fraction_{name}": float(v) / cfg.n_atoms
        for name, v in zip(OUTCOMES, outcomes, strict=True)
    }
    attrs |= {"hops": int(hops), "hops_per_atom": float(hops) / cfg.n_atoms, "seed": cfg.seed}
    attrs["source_flux_m2_s"] = cfg.source_flux_m2_s
    return xr.Dataset(
        {
            "column_density": (dims, rate_per_atom * flight / area, {"units": "m-2"}),
            "surface_density": (dims, rate_per_atom * rest / area, {"units": "m-2"}),
            "deposit_rate": (dims, rate_per_atom * deposit / area, {"units": "m-2 s-1"}),
        },
        coords={
            "lat": ("lat", lat_c, {"units": "degrees_north"}),
            "local_time": ("local_time", lt_c, {"units": "h"}),
        },
        attrs=attrs,
    )


def lander_view(ds: xr.Dataset, site: LandingSite = CHANGE6_SITE) -> xr.DataArray:
    """Radon column density above a landing site versus local time (atoms m^-2).

    The latitude band of the binned Monte Carlo that contains the site (5 deg wide by
    default); the Sun-state frame makes longitude and local time the same axis.
    """
    return (
        ds["column_density"]
        .sel(lat=site.latitude_deg, method="nearest")
        .rename(f"column_density_{site.name}")
    )


def daughter_buildup(ds: xr.Dataset, years: ArrayLike) -> xr.Dataset:
    """Pb-210 / Po-210 build-up in the surface from the Rn-222 decays at rest.

    Each Rn-222 decay at rest leaves, within an hour (Po-218, Pb-214, Bi-214, Po-214), one
    Pb-210 atom in place. For a constant source ``s`` (the zonal mean of ``deposit_rate``:
    the Moon turns under the Sun-state pattern) the atoms are
    ``N(t) = s int_0^t exp(M u) e_Pb210 du`` ([Bateman1910]; ``exp(M u)`` from
    `fcspace.dorn.decay.atoms`, integrated by the trapezoidal rule on a geometric grid).

    Returns
    -------
    xarray.Dataset
        ``pb210``, ``po210`` (atoms m^-2) and ``po210_activity`` (Bq m^-2) over
        ``(lat, years)``.
    """
    yrs = np.asarray(years, float).ravel()
    if not np.all(np.isfinite(yrs)) or np.any(yrs < 0):
        raise InputError("years must be finite and >= 0", variable="years")
    t_end = yrs * 365.25 * 86400.0
    u = np.concatenate([[0.0], np.geomspace(60.0, max(float(t_end.max()), 61.0), 4000)])
    n = decay.atoms({"Pb-210": 1.0}, u)
    cum = {k: _cumtrapz(np.asarray(n[k]), u) for k in ("Pb-210", "Po-210")}
    per_src = {k: np.interp(t_end, u, v) for k, v in cum.items()}
    s = ds["deposit_rate"].mean("local_time").values[:, None]
    lam_po = NUCLIDES["Po-210"].decay_constant
    dims = ("lat", "years")
    return xr.Dataset(
        {
            "pb210": (dims, s * per_src["Pb-210"][None, :], {"units": "m-2"}),
            "po210": (dims, s * per_src["Po-210"][None, :], {"units": "m-2"}),
            "po210_activity": (dims, lam_po * s * per_src["Po-210"][None, :], {"units": "Bq m-2"}),
        },
        coords={"lat": ds["lat"], "years": ("years", yrs)},
    )


def _cumtrapz(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(x))])
