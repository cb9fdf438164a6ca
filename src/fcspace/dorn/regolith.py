"""Radon in the lunar regolith: emanation, Knudsen diffusion, adsorption, decay, exhalation.

Model (1D in depth ``z``, downward; one column at a latitude, over a lunar day):

- Production. Ra-226 (Ra-224) in the grains decays to Rn-222 (Rn-220); a fraction ``E``,
  the emanation coefficient, reaches the pore space: ``P = E rho_b A_Ra`` atoms m^-3 s^-1
  (bulk volume), with ``A_Ra`` in Bq kg^-1 and ``rho_b`` the bulk density ([Nazaroff1992]
  Eq. 4). Lunar material: E = 0.4-11 %, mean ~5.5 % ([Girault2025]).
- Knudsen diffusion. In vacuum the radon mean free path exceeds the pores, so atoms fly
  wall to wall: ``D_K = (d_p / 3) vbar``, ``vbar = sqrt(8 R T / (pi M))`` (Knudsen 1909;
  [Cunningham1980] Eq. 4.5), with the pore diameter from the hydraulic radius of a packing
  of grains of diameter ``d_g``: ``d_p = (2/3) phi / (1 - phi) d_g`` ([Carman1956]). The
  interstitial (pore) diffusivity is ``D_e = D_K / tau_t`` (tortuosity ``tau_t``) and the
  bulk one ``D_b = phi D_e``: the flux is ``J = -D_b dC/dz`` with ``C`` the pore-gas
  concentration ([Nazaroff1992] Eqs. 8-10).
- Adsorption. An atom hitting a grain sticks for a mean residence time
  ``tau = tau0 exp(Q / R T)`` (Frenkel; tau0 = 1e-13 s, Q = 8-9 kcal/mol for radon on lunar
  material, [FriesenAdams1976]). At low coverage (Henry's law) the adsorbed amount per
  unit pore volume is the wall collision rate times tau: ``n_ads = C (vbar / 4) S_v tau``,
  with ``S_v = s_BET rho_b / phi`` the grain surface per pore volume. The ratio
  ``K = n_ads / C`` makes the retardation factor ``R = 1 + K``; adsorbed atoms decay too.
- Balance per bulk volume, with ``N = phi R C`` the total (gas + adsorbed) radon:
  ``dN/dt = d/dz (D_b dC/dz) - lambda N + P``, ``C(0) = 0`` (vacuum above the surface),
  no flux at the bottom of the column (many diffusion lengths deep).

Steady state for uniform T (semi-infinite, [Nazaroff1992] Eqs. 12-14, extended to a
retardation factor): with ``L = sqrt(D_e / (lambda R))``,
``N(z) = (P/lambda) (1 - exp(-z/L))`` and the exhalation ``J = P L`` (atoms m^-2 s^-1); with
no adsorption ``J = P sqrt(D_e / lambda)``, the classic result. Derivation:
``D_b C'' = lambda phi R C - P`` gives ``C = C_inf (1 - exp(-z/L))``,
``C_inf = P / (lambda phi R)`` and ``J = D_b C_inf / L = P L``.

Numerics: finite volumes on a geometric grid, backward Euler in time with the coefficients
(``R``, ``D_b``) at the new step; the unknown is ``N``, so every step is one tridiagonal
solve, and the discrete budget production - decay - exhalation = storage change closes to
round-off (``exhalation_flux`` reports it). The temperature is that of
`fcspace.dorn.thermal.subsurface_temperature` at the same time steps.

Sources
-------
- [Nazaroff1992] Nazaroff, W. W. (1992). Radon transport from soil to air. Rev. Geophys. 30,
  137-160.
- [FriesenAdams1976] Friesen, L. J., Adams, J. A. S. (1976). Theoretical background for
  the lunar radon experiments. GCA 40, 375-380.
- [Girault2025] Girault, F., et al. (2025). Radon emanation of lunar material. Sci. Rep. 15,
  3517.
- [Cunningham1980] Cunningham, R. E., Williams, R. J. J. (1980). Diffusion in Gases and
  Porous Media. Plenum.
- [Carman1956] Carman, P. C. (1956). Flow of Gases through Porous Media. Butterworths.
- [Carrier1991] Carrier, W. D., Olhoeft, G. R., Mendell, W. (1991). Physical properties of
  the lunar surface. Lunar Sourcebook, ch. 9 (grain density 3100 kg m^-3, porosity ~0.5,
  median grain size ~70 um).
- [Cadenhead1977] Cadenhead, D. A., Wagner, N. J., Jones, B. R., Stetter, J. R. (1972-77).
  Gas adsorption on lunar fines: BET specific surfaces ~0.5 m^2 g^-1.
- [IAEA1989] IAEA TRS-309 / NCRP: 1 ppm U-238 = 12.35 Bq kg^-1, 1 ppm Th-232 = 4.06 Bq kg^-1.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike
from scipy.linalg import solve_banded

from fcspace.core.errors import InputError
from fcspace.dorn.moon import CAL_J, GAS_CONSTANT_J_MOL_K, MOON, RADON_MOLAR_MASS_KG_MOL
from fcspace.dorn.nuclides import NUCLIDES
from fcspace.dorn.thermal import DiurnalColumn, _growth_ratio, diurnal_column

__all__ = [
    "RegolithRadon",
    "analytic_steady_flux",
    "exhalation_flux",
    "steady_state",
]

ISOTOPES = ("Rn-222", "Rn-220")
_PARENT = {"Rn-222": "ra226_bq_kg", "Rn-220": "ra224_bq_kg"}
_MAX_EXPONENT = 700.0  # exp(Q/RT) is capped here (float64 limit; T < ~6 K)


@dataclass(frozen=True)
class RegolithRadon:
    """Parameters of the radon model of the regolith column; defaults and their sources.

    Radium activities: secular equilibrium with U = 0.3 ppm and Th = 1.1 ppm, a typical
    feldspathic-to-mixed lunar soil (Lunar Prospector GRS ranges; [IAEA1989] conversion).
    """

    ra226_bq_kg: float = 0.3 * 12.35  # Ra-226 = U-238 activity, 0.3 ppm U
    ra224_bq_kg: float = 1.1 * 4.06  # Ra-224 = Th-232 activity, 1.1 ppm Th
    emanation: float = 0.055  # mean of lunar samples [Girault2025]
    porosity: float = 0.5  # [Carrier1991]
    tortuosity: float = 2.0  # tau_t, typical of granular media ([Nazaroff1992])
    grain_diameter_m: float = 70e-6  # median grain size [Carrier1991]
    grain_density_kg_m3: float = 3100.0  # [Carrier1991]
    specific_surface_m2_kg: float = 500.0  # BET 0.5 m^2/g [Cadenhead1977]
    tau0_s: float = 1e-13  # vibration period of the adsorption bond [FriesenAdams1976]
    adsorption_heat_j_mol: float = 8.5 * 1000.0 * CAL_J  # Q = 8-9 kcal/mol [FriesenAdams1976]
    adsorption: bool = True  # False: R = 1 (no adsorption)
    top_cell_m: float = 2.0e-4  # first cell of the geometric grid
    n_cells: int = 120
    depth_lengths: float = 12.0  # column depth in diffusion lengths (at the deepest T)

    @property
    def bulk_density_kg_m3(self) -> float:
        """rho_b = rho_grain (1 - phi)."""
        return self.grain_density_kg_m3 * (1.0 - self.porosity)

    @property
    def pore_diameter_m(self) -> float:
        """d_p = (2/3) phi / (1 - phi) d_g (hydraulic diameter, [Carman1956])."""
        return 2.0 / 3.0 * self.porosity / (1.0 - self.porosity) * self.grain_diameter_m

    def production(self, isotope: str) -> float:
        """P = E rho_b A_Ra, atoms (bulk m^3)^-1 s^-1 ([Nazaroff1992] Eq. 4)."""
        return self.emanation * self.bulk_density_kg_m3 * getattr(self, _PARENT[isotope])

    def mean_speed(self, temperature: ArrayLike) -> np.ndarray:
        """Mean thermal speed vbar = sqrt(8 R T / (pi M)), m/s (kinetic theory)."""
        t = np.asarray(temperature, float)
        return np.sqrt(8.0 * GAS_CONSTANT_J_MOL_K * t / (np.pi * RADON_MOLAR_MASS_KG_MOL))

    def pore_diffusivity(self, temperature: ArrayLike) -> np.ndarray:
        """D_e = (d_p / 3) vbar / tau_t, m^2/s (Knudsen, [Cunningham1980])."""
        return self.pore_diameter_m / 3.0 * self.mean_speed(temperature) / self.tortuosity

    def residence_time(self, temperature: ArrayLike) -> np.ndarray:
        """Mean residence time tau = tau0 exp(Q / R T), s ([FriesenAdams1976])."""
        t = np.asarray(temperature, float)
        x = np.minimum(self.adsorption_heat_j_mol / (GAS_CONSTANT_J_MOL_K * t), _MAX_EXPONENT)
        return self.tau0_s * np.exp(x)

    def retardation(self, temperature: ArrayLike) -> np.ndarray:
        """R = 1 + K, K = (vbar/4) S_v tau with S_v = s rho_b / phi (Henry's law)."""
        t = np.asarray(temperature, float)
        if not self.adsorption:
            return np.ones_like(t)
        s_v = self.specific_surface_m2_kg * self.bulk_density_kg_m3 / self.porosity
        return 1.0 + 0.25 * self.mean_speed(t) * s_v * self.residence_time(t)

    def diffusion_length(self, isotope: str, temperature: ArrayLike) -> np.ndarray:
        """L = sqrt(D_e / (lambda R)), m."""
        lam = NUCLIDES[isotope].decay_constant
        return np.sqrt(self.pore_diffusivity(temperature) / (lam * self.retardation(temperature)))

    def edges(self, depth_max_m: float) -> np.ndarray:
        """Geometric cell edges from 0 to ``depth_max_m``.

        The first cell is ``top_cell_m``, or ``depth_max_m / (5 n_cells)`` when thinner, so
        that a very short diffusion length (cold thoron) is still resolved numerically.
        """
        first = min(self.top_cell_m, depth_max_m / (5.0 * self.n_cells))
        ratio = _growth_ratio(first, depth_max_m, self.n_cells)
        widths = first * ratio ** np.arange(self.n_cells)
        return np.concatenate([[0.0], np.cumsum(widths)])


def _check_params(p: RegolithRadon) -> None:
    positive = ("porosity", "tortuosity", "grain_diameter_m", "grain_density_kg_m3", "tau0_s")
    for name in positive:
        if not np.isfinite(getattr(p, name)) or getattr(p, name) <= 0.0:
            raise InputError("must be finite and > 0", variable=name)
    if not p.porosity < 1.0:
        raise InputError("porosity must be < 1", variable="porosity")
    if not 0.0 <= p.emanation <= 1.0:
        raise InputError("emanation coefficient must lie in [0, 1]", variable="emanation")


def analytic_steady_flux(params: RegolithRadon, isotope: str, temperature: float) -> float:
    """Steady exhalation of a semi-infinite uniform column, ``J = P L`` (atoms m^-2 s^-1).

    ``L = sqrt(D_e / (lambda R))``; with ``R = 1`` this is [Nazaroff1992] Eq. 14,
    ``J = phi C_inf sqrt(lambda D_e)`` with ``C_inf = P / (lambda phi)``.
    """
    temperature = float(temperature)
    return float(params.production(isotope) * params.diffusion_length(isotope, temperature))


def _system(
    params: RegolithRadon,
    edges: np.ndarray,
    temperature: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Face conductances G (surface face first) and a = 1/(phi R) at the cell centres.

    The pore concentration is ``C = a N``; the flux through an inner face is
    ``G (C_i - C_{i+1})``, through the surface ``G_0 C_0``.
    """
    z = 0.5 * (edges[1:] + edges[:-1])
    d_b = params.porosity * params.pore_diffusivity(temperature)
    top = d_b[0] / (z[0] - edges[0])
    inner = 1.0 / ((edges[1:-1] - z[:-1]) / d_b[:-1] + (z[1:] - edges[1:-1]) / d_b[1:])
    a = 1.0 / (params.porosity * params.retardation(temperature))
    return np.concatenate([[top], inner]), a, z


def _step_matrix(g: np.ndarray, a: np.ndarray, diag_extra: np.ndarray) -> np.ndarray:
    """Banded matrix of ``diag_extra N + sum of face fluxes`` (unknown N, C = a N)."""
    n = a.size
    ab = np.zeros((3, n))
    g_dn = np.concatenate([g[1:], [0.0]])
    ab[1] = diag_extra + (g + g_dn) * a
    ab[0, 1:] = -g[1:] * a[1:]  # row i, column i+1
    ab[2, :-1] = -g[1:] * a[:-1]  # row i+1, column i
    return ab


def steady_state(
    params: RegolithRadon, isotope: str, temperature: ArrayLike, depth_max_m: float | None = None
) -> xr.Dataset:
    """Numerical steady state of the column for a temperature profile (time-independent).

    Parameters
    ----------
    params
        Model parameters.
    isotope
        ``"Rn-222"`` or ``"Rn-220"``.
    temperature
        Temperature (K): a scalar (uniform column) or one value per cell.
    depth_max_m
        Column depth; default ``depth_lengths`` diffusion lengths at the mean temperature.

    Returns
    -------
    xarray.Dataset
        ``total`` (N, atoms per bulk m^3) over ``depth`` and the exhalation ``flux``.
    """
    _check_params(params)
    lam = NUCLIDES[isotope].decay_constant
    t_arr = np.asarray(temperature, float)
    if not np.all(np.isfinite(t_arr)) or np.any(t_arr <= 0.0):
        raise InputError("temperature must be finite and > 0 K", variable="temperature")
    if depth_max_m is None:
        depth_max_m = params.depth_lengths * float(
            params.diffusion_length(isotope, float(np.mean(t_arr)))
        )
    edges = params.edges(depth_max_m)
    t_cells = np.broadcast_to(t_arr, (params.n_cells,)).astype(float)
    g, a, z = _system(params, edges, t_cells)
    dz = np.diff(edges)
    n = solve_banded((1, 1), _step_matrix(g, a, lam * dz), params.production(isotope) * dz)
    return xr.Dataset(
        {"total": ("depth", n, {"units": "m-3"}), "flux": ((), g[0] * a[0] * n[0])},
        coords={"depth": ("depth", z, {"units": "m"})},
    )


@dataclass(frozen=True)
class _Run:
    """Time series of one column run (one entry per time step of the recorded day)."""

    flux: np.ndarray  # exhalation at the end of each step, atoms m^-2 s^-1
    inventory: np.ndarray  # total radon in the column, atoms m^-2
    budget: np.ndarray  # (production, decay, exhalation, storage change) per step, m^-2
    depth_max_m: float


def _march(
    params: RegolithRadon, isotope: str, edges: np.ndarray, temps: np.ndarray, dt: float
) -> _Run:
    """Backward-Euler march through ``temps`` (n_steps, n_cells); returns the last day.

    ``temps`` holds one lunar day; it is repeated ``n_days`` = rows // steps_per_day times.
    """
    lam = NUCLIDES[isotope].decay_constant
    dz = np.diff(edges)
    prod = params.production(isotope) * dz
    g, a, _ = _system(params, edges, temps[-1])
    n = solve_banded((1, 1), _step_matrix(g, a, lam * dz), prod)  # steady start
    flux, inv = np.empty(len(temps)), np.empty(len(temps))
    budget = np.empty((len(temps), 4))
    for k, t_cells in enumerate(temps):
        g, a, _ = _system(params, edges, t_cells)
        new = solve_banded((1, 1), _step_matrix(g, a, dz / dt + lam * dz), prod + dz / dt * n)
        flux[k] = g[0] * a[0] * new[0]
        budget[k] = (
            dt * prod.sum(),
            dt * lam * float(np.dot(dz, new)),
            dt * flux[k],
            float(np.dot(dz, new - n)),
        )
        n = new
        inv[k] = float(np.dot(dz, n))
    return _Run(flux=flux, inventory=inv, budget=budget, depth_max_m=float(edges[-1]))


def _column_temperatures(
    params: RegolithRadon, isotope: str, column: DiurnalColumn
) -> tuple[np.ndarray, np.ndarray]:
    """Grid edges sized on the deep diffusion length, temperatures (n_steps, n_cells)."""
    deep = float(column.at([5.0])[0, 0])
    depth_max = params.depth_lengths * float(params.diffusion_length(isotope, deep))
    edges = params.edges(max(depth_max, 0.05))
    z = 0.5 * (edges[1:] + edges[:-1])
    return edges, column.at(z).T


def exhalation_flux(
    params: RegolithRadon,
    latitude: float,
    local_times: ArrayLike,
    n_steps: int = 720,
    n_days: int = 3,
) -> xr.Dataset:
    """Radon exhalation at the surface versus local time, over a lunar day.

    The column (module docstring) is driven by the subsurface temperature of
    `fcspace.dorn.thermal` at ``latitude``, started from the steady state of the midnight
    profile, run for ``n_days`` lunar days (``n_days - 1`` of spin-up, more than 10 Rn-222
    mean lives), and the last day is returned.

    Parameters
    ----------
    params
        Model parameters (`RegolithRadon`).
    latitude
        Latitude in degrees.
    local_times
        Local times (h, 12 = noon) at which the flux is returned (periodic interpolation).
    n_steps
        Time steps per lunar day (default 720: 2 min of local time, 59 min of real time).
    n_days
        Lunar days simulated (the last is returned).

    Returns
    -------
    xarray.Dataset
        ``flux_rn222``, ``flux_rn220`` (atoms m^-2 s^-1) and ``inventory_rn222``,
        ``inventory_rn220`` (atoms m^-2) over ``local_time``; attributes: the daily means,
        the steady analytic flux at the deep temperature, and ``mass_balance_rel_*``, the
        largest |production - decay - exhalation - storage change| of a step over the
        production of that step.
    """
    _check_params(params)
    lt_out = np.mod(np.asarray(local_times, float).ravel(), 24.0)
    if not np.all(np.isfinite(lt_out)):
        raise InputError("local_times must be finite", variable="local_times")
    dt = MOON.synodic_month_s / n_steps
    data, attrs = {}, {"latitude_deg": float(latitude), "n_steps": n_steps, "n_days": n_days}
    column = diurnal_column(latitude, n_steps=n_steps)
    lt = column.local_time
    for iso in ISOTOPES:
        edges, temps = _column_temperatures(params, iso, column)
        run = _march(params, iso, edges, np.tile(temps, (n_days, 1)), dt)
        flux, inv = run.flux[-n_steps:], run.inventory[-n_steps:]
        key = iso.replace("-", "").lower()
        data[f"flux_{key}"] = ("local_time", _periodic(lt_out, lt, flux), {"units": "m-2 s-1"})
        data[f"inventory_{key}"] = ("local_time", _periodic(lt_out, lt, inv), {"units": "m-2"})
        b = run.budget
        residual = np.abs(b[:, 0] - b[:, 1] - b[:, 2] - b[:, 3]) / b[:, 0]
        attrs[f"daily_mean_flux_{key}"] = float(flux.mean())
        attrs[f"steady_flux_deep_{key}"] = analytic_steady_flux(params, iso, temps[0, -1])
        attrs[f"mass_balance_rel_{key}"] = float(residual.max())
        attrs[f"column_depth_m_{key}"] = run.depth_max_m
    return xr.Dataset(
        data, coords={"local_time": ("local_time", lt_out, {"units": "h"})}, attrs=attrs
    )


def _periodic(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Linear interpolation on a 24 h periodic axis (``xp`` ascending in (0, 24])."""
    return np.interp(x, np.concatenate([[xp[-1] - 24.0], xp]), np.concatenate([[fp[-1]], fp]))


def without_adsorption(params: RegolithRadon) -> RegolithRadon:
    """The same parameters with adsorption switched off (R = 1)."""
    return replace(params, adsorption=False)
