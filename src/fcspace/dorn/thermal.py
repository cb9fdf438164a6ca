"""Lunar surface (Hurley et al. 2015) and regolith (1D heat conduction) temperatures.

Below the surface: Hayne et al. (2017), Vasavada et al. (2012).

Coordinates are Sun-state: latitude in degrees and local (solar) time in hours, 12 = noon,
6 = dawn, 18 = dusk. The Sun-state longitude is ``lon = 15 deg * (local_time - 12)``.

Surface ([Hurley2015], their fit to Diviner):

- day side (solar zenith angle < 90 deg): ``T = 262 K * (cos lat cos lon)^(1/2) + 130 K``;
  the fitted exponent is 1/2, not the 1/4 of instantaneous radiative equilibrium: it absorbs
  the roughness and the thermal-inertia lag of real regolith. Noon at the equator is 392 K.
- night side: a fifth-degree polynomial in the Sun-state longitude ``phi`` (radians, from
  pi/2 at dusk through pi at midnight to 3 pi/2 at dawn),
  ``T = sum_i a_i phi^i + 35 K (cos lat - 1)`` with ``a = (444.738, -448.937, 239.668,
  -63.8844, 8.34064, -0.423502)``; 130 K at dusk, ~102 K at midnight, ~95 K before dawn at
  the equator. The latitude term (35 K (cos lat - 1)) is the paper's.

Assumptions we had to make: the Moon's 1.5 deg obliquity and the seasons are ignored (Sun in
the equatorial plane); the model is discontinuous at the terminator away from the equator
(day branch -> 130 K, night branch -> 130 K + 35 K (cos lat - 1)), as in the paper; we do
not apply the "roughened" random longitude of [Hurley2015].

Below the surface ([Hayne2017] appendix A, [Vasavada2012]): 1D heat conduction
``rho c(T) dT/dt = d/dz (k(z, T) dT/dz)`` with

- density ``rho(z) = rho_d - (rho_d - rho_s) exp(-z / H)`` (Eq. A2 of [Hayne2017]),
- contact conductivity ``k_c(z) = K_d - (K_d - K_s) (rho_d - rho(z)) / (rho_d - rho_s)``
  (A4) and radiative term ``k = k_c (1 + chi (T / 350 K)^3)`` (A3),
- heat capacity ``c(T) = c0 + c1 T + c2 T^2 + c3 T^3 + c4 T^4`` ([Hayne2017] A6, after
  Hemingway et al. 1981 and Ledlow et al. 1992),
- top boundary: the Hurley surface temperature (Dirichlet), so that surface and subsurface
  agree; bottom: the geothermal heat flow, 18 mW m^-2 (Langseth et al. 1976).

It is solved by finite volumes on a geometric grid, backward Euler in time with the
coefficients k(T), c(T) taken at the previous step (linearly implicit), so every step is
one tridiagonal solve and the discrete energy budget closes exactly (see `solve_heat`).

Sources
-------
- [Hurley2015] Hurley, D. M., et al. (2015). An analytic function of lunar surface
  temperature for exospheric modeling. Icarus 255, 159-163.
- [Hayne2017] Hayne, P. O., et al. (2017). Global regolith thermophysical properties of the
  Moon from the Diviner Lunar Radiometer Experiment. JGR Planets 122, 2371-2400.
- [Vasavada2012] Vasavada, A. R., et al. (2012). Lunar equatorial surface temperatures and
  regolith properties from the Diviner Lunar Radiometer Experiment. JGR 117, E00H18.
- [Langseth1976] Langseth, M. G., Keihm, S. J., Peters, K. (1976). Revised lunar heat-flow
  values. Proc. Lunar Sci. Conf. 7th, 3143-3171.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike
from scipy.linalg import solve_banded

from fcspace.core.errors import InputError
from fcspace.dorn.moon import MOON

__all__ = [
    "DiurnalColumn",
    "HeatSolution",
    "RegolithThermal",
    "diurnal_column",
    "solve_heat",
    "subsurface_temperature",
    "surface_temperature",
]

_NIGHT_POLY = (444.738, -448.937, 239.668, -63.8844, 8.34064, -0.423502)  # [Hurley2015]


def _finite(name: str, values: ArrayLike) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite (got NaN or inf)", variable=name)
    return arr


def _check_latitude(latitude: ArrayLike) -> np.ndarray:
    lat = _finite("latitude", latitude)
    if np.any(np.abs(lat) > 90.0):
        raise InputError("latitude must lie in [-90, 90] degrees", variable="latitude")
    return lat


def surface_temperature(latitude: ArrayLike, local_time: ArrayLike) -> np.ndarray:
    """Lunar surface temperature (K) of [Hurley2015] at a Sun-state latitude and local time.

    Parameters
    ----------
    latitude
        Latitude in degrees, in [-90, 90]; broadcast against ``local_time``.
    local_time
        Local solar time in hours (12 = noon); any real value, taken modulo 24.

    Returns
    -------
    numpy.ndarray
        Temperature in K. Day side: ``262 sqrt(cos lat cos lon) + 130``; night side: the
        quintic in the Sun-state longitude plus ``35 (cos lat - 1)`` (module docstring).

    Raises
    ------
    InputError
        If an input is NaN or infinite, or a latitude is outside [-90, 90].
    """
    lat = np.deg2rad(_check_latitude(latitude))
    lt = np.mod(_finite("local_time", local_time), 24.0)
    lon = np.deg2rad(15.0 * (lt - 12.0))  # -pi at midnight before dawn ... +pi
    cos_sza = np.cos(lat) * np.cos(lon)
    day = 262.0 * np.sqrt(np.clip(cos_sza, 0.0, None)) + 130.0
    phi = np.where(lon < 0.0, lon + 2.0 * np.pi, lon)  # pi/2 (dusk) .. 3 pi/2 (dawn)
    night = np.polynomial.polynomial.polyval(phi, _NIGHT_POLY) + 35.0 * (np.cos(lat) - 1.0)
    return np.where(cos_sza > 0.0, day, night)


@dataclass(frozen=True)
class RegolithThermal:
    """Thermophysical properties of the regolith column; defaults from [Hayne2017] Table A1.

    Uniform density (``rho_surface == rho_deep``), equal conductivities, ``chi = 0`` and a
    constant heat capacity (``heat_capacity_coeffs = (c, 0, 0, 0, 0)``) make the problem
    linear, which is how the solver is checked against the analytic thermal wave.
    """

    rho_surface_kg_m3: float = 1100.0  # rho_s [Hayne2017]
    rho_deep_kg_m3: float = 1800.0  # rho_d [Hayne2017]
    h_parameter_m: float = 0.06  # H, e-folding depth of density (0.06 m, [Hayne2017] Table A1)
    k_surface_w_m_k: float = 7.4e-4  # K_s [Hayne2017]
    k_deep_w_m_k: float = 3.4e-3  # K_d [Hayne2017]
    chi: float = 2.7  # radiative conductivity parameter [Hayne2017], [Vasavada2012]
    heat_capacity_coeffs: tuple[float, ...] = (
        -3.6125,
        2.7431,
        2.3616e-3,
        -1.2340e-5,
        8.9093e-9,
    )  # c(T) = sum c_i T^i, J kg^-1 K^-1 [Hayne2017] Eq. A6
    geothermal_flux_w_m2: float = 0.018  # [Langseth1976]
    depth_max_m: float = 1.5  # bottom of the column: ~10 diurnal skin depths
    top_cell_m: float = 2.0e-3  # thickness of the first cell
    n_cells: int = 40  # geometric grid from top_cell_m to depth_max_m

    def density(self, z: np.ndarray) -> np.ndarray:
        """Bulk density rho(z) = rho_d - (rho_d - rho_s) exp(-z/H), kg m^-3 ([Hayne2017] A2)."""
        drho = self.rho_deep_kg_m3 - self.rho_surface_kg_m3
        return self.rho_deep_kg_m3 - drho * np.exp(-np.asarray(z) / self.h_parameter_m)

    def contact_conductivity(self, z: np.ndarray) -> np.ndarray:
        """k_c(z) = K_d - (K_d - K_s)(rho_d - rho)/(rho_d - rho_s), W m^-1 K^-1 ([Hayne2017] A4)."""
        drho = self.rho_deep_kg_m3 - self.rho_surface_kg_m3
        if drho == 0.0:
            return np.full_like(np.asarray(z, float), self.k_deep_w_m_k)
        frac = (self.rho_deep_kg_m3 - self.density(z)) / drho
        return self.k_deep_w_m_k - (self.k_deep_w_m_k - self.k_surface_w_m_k) * frac

    def conductivity(self, kc: np.ndarray, temperature: np.ndarray) -> np.ndarray:
        """Conductivity k = k_c (1 + chi (T/350)^3), W m^-1 K^-1 ([Hayne2017] A3)."""
        return kc * (1.0 + self.chi * (np.asarray(temperature) / 350.0) ** 3)

    def heat_capacity(self, temperature: np.ndarray) -> np.ndarray:
        """Specific heat c(T), J kg^-1 K^-1 ([Hayne2017] A6)."""
        return np.polynomial.polynomial.polyval(temperature, self.heat_capacity_coeffs)

    def edges(self) -> np.ndarray:
        """Cell edges (m), geometric: first cell ``top_cell_m``, last edge ``depth_max_m``."""
        ratio = _growth_ratio(self.top_cell_m, self.depth_max_m, self.n_cells)
        widths = self.top_cell_m * ratio ** np.arange(self.n_cells)
        return np.concatenate([[0.0], np.cumsum(widths)])


def _growth_ratio(first: float, total: float, n: int) -> float:
    """Ratio r with first (r^n - 1)/(r - 1) = total (bisection; r = 1 for a uniform grid)."""
    if first * n >= total:
        return 1.0
    lo, hi = 1.0 + 1e-12, 2.0
    while first * (hi**n - 1.0) / (hi - 1.0) < total:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if first * (mid**n - 1.0) / (mid - 1.0) < total else (lo, mid)
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class HeatSolution:
    """Result of `solve_heat`: temperatures at the cell centres after every step.

    Attributes
    ----------
    z
        Cell-centre depths (m), shape (n,).
    temperature
        Temperatures (K), shape (n_steps + 1, n); row 0 is the initial profile.
    top_flux
        Heat flux into the column through the surface during each step (W m^-2, positive
        downward), shape (n_steps,).
    stored
        Heat stored during each step, ``sum_i rho_i c_i (T_i^{n+1} - T_i^n) dz_i`` (J m^-2).
    """

    z: np.ndarray
    temperature: np.ndarray
    top_flux: np.ndarray
    stored: np.ndarray


def _face_conductance(edges: np.ndarray, z: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Conductances (W m^-2 K^-1) of the surface face and the interior faces (harmonic)."""
    top = k[0] / (z[0] - edges[0])
    inner = 1.0 / ((edges[1:-1] - z[:-1]) / k[:-1] + (z[1:] - edges[1:-1]) / k[1:])
    return np.concatenate([[top], inner])


def _heat_step(
    t_old: np.ndarray, t_top: float, cap: np.ndarray, g: np.ndarray, dt: float, q_bottom: float
) -> np.ndarray:
    """One backward-Euler step: (cap/dt) (T' - T) = div(G grad T') with T(0) = t_top."""
    n = t_old.size
    ab = np.zeros((3, n))
    g_up = g  # face above cell i (g[0] is the surface)
    g_dn = np.concatenate([g[1:], [0.0]])  # face below cell i (bottom: flux boundary)
    ab[1] = cap / dt + g_up + g_dn
    ab[0, 1:] = -g[1:]
    ab[2, :-1] = -g[1:]
    rhs = cap / dt * t_old
    rhs[0] += g[0] * t_top
    rhs[-1] += q_bottom
    return solve_banded((1, 1), ab, rhs)


def solve_heat(
    props: RegolithThermal,
    surface_t: np.ndarray,
    dt: float,
    initial: np.ndarray,
) -> HeatSolution:
    """March the 1D heat equation with a prescribed surface temperature.

    Finite volumes: cell i of width ``dz_i`` exchanges ``G_{i+1/2} (T_i - T_{i+1})`` with its
    neighbour (harmonic-mean face conductance) and ``G_0 (T_s - T_0)`` with the surface;
    the geothermal flux enters at the bottom. Backward Euler with k(T) and c(T) at the old
    step; the discrete budget ``stored = dt (top_flux + q_geo)`` then holds to round-off.

    Parameters
    ----------
    props
        Thermophysical properties and grid.
    surface_t
        Surface temperature (K) at the end of each step, shape (n_steps,).
    dt
        Time step (s).
    initial
        Initial temperature at the cell centres (K), shape (n_cells,).

    Returns
    -------
    HeatSolution
    """
    surface_t = _finite("surface_temperature", surface_t)
    edges = props.edges()
    z = 0.5 * (edges[1:] + edges[:-1])
    dz = np.diff(edges)
    rho_dz = props.density(z) * dz
    kc = props.contact_conductivity(z)
    out = np.empty((surface_t.size + 1, z.size))
    out[0] = _finite("initial", initial)
    top, stored = np.empty(surface_t.size), np.empty(surface_t.size)
    for n, ts in enumerate(surface_t):
        t_old = out[n]
        cap = rho_dz * props.heat_capacity(t_old)
        g = _face_conductance(edges, z, props.conductivity(kc, t_old))
        out[n + 1] = _heat_step(t_old, ts, cap, g, dt, props.geothermal_flux_w_m2)
        top[n] = g[0] * (ts - out[n + 1, 0])
        stored[n] = float(np.sum(cap * (out[n + 1] - t_old)))
    return HeatSolution(z=z, temperature=out, top_flux=top, stored=stored)


def _equilibrate(props: RegolithThermal, sol: HeatSolution) -> np.ndarray:
    """Correct a profile towards the periodic state from one day's mean fluxes.

    In the periodic state the day-mean downward flux is ``-q_geo`` at every depth. The
    excess ``F_mean(z) + q_geo`` is removed by steepening the mean gradient by
    ``excess / k_mean``, integrated downward (one Newton-like step on the mean profile).
    """
    temps = sol.temperature
    edges = props.edges()
    kc = props.contact_conductivity(sol.z)
    k_mean = props.conductivity(kc, temps[1:]).mean(axis=0)
    g = np.array([_face_conductance(edges, sol.z, props.conductivity(kc, t)) for t in temps[:-1]])
    flux = g[:, 1:] * (temps[1:, :-1] - temps[1:, 1:])  # downward flux through inner faces
    excess = flux.mean(axis=0) + props.geothermal_flux_w_m2
    dzc = np.diff(sol.z)
    k_face = 0.5 * (k_mean[1:] + k_mean[:-1])
    shift = np.concatenate([[0.0], np.cumsum(excess / k_face * dzc)])
    return temps[-1] + shift


def _column_day(
    props: RegolithThermal, latitude: float, n_steps: int, n_spinup: int
) -> tuple[HeatSolution, np.ndarray]:
    """The periodic diurnal solution of one column: the last of ``n_spinup + 1`` days."""
    dt = MOON.synodic_month_s / n_steps
    lt = 24.0 * np.arange(1, n_steps + 1) / n_steps  # local time at the end of each step
    ts = surface_temperature(latitude, lt)
    profile = np.full(props.n_cells, float(np.mean(ts)))
    sol = solve_heat(props, ts, dt, profile)
    for _ in range(n_spinup):
        sol = solve_heat(props, ts, dt, _equilibrate(props, sol))
    return sol, lt


@dataclass(frozen=True)
class DiurnalColumn:
    """The periodic diurnal temperature of one regolith column (see `diurnal_column`).

    Attributes
    ----------
    latitude
        Latitude in degrees.
    local_time
        Local time (h) at the end of each time step, ascending in (0, 24].
    props
        Thermophysical properties used.
    solution
        The last (periodic) day of `solve_heat`.
    """

    latitude: float
    local_time: np.ndarray
    props: RegolithThermal
    solution: HeatSolution

    def at(self, depths: ArrayLike) -> np.ndarray:
        """Temperatures (K) at ``depths`` (m) for each step, shape (n_depths, n_steps)."""
        z = _finite("depths", depths).ravel()
        if np.any(z < 0.0):
            raise InputError("depths must be >= 0 m", variable="depths")
        return _profiles_at(self.props, self.solution, self.latitude, self.local_time, z)


def diurnal_column(
    latitude: float,
    props: RegolithThermal | None = None,
    n_steps: int = 720,
    n_spinup: int = 4,
) -> DiurnalColumn:
    """Solve one column over a lunar day, spun up to its periodic state.

    The column is driven by [Hurley2015]'s surface temperature at ``latitude`` over one
    synodic month (`solve_heat`); after each of the ``n_spinup`` spin-up days the mean
    profile is corrected so that the day-mean flux equals the geothermal flux at every depth
    (the condition of the periodic state). Below the model's bottom the temperature follows
    the geothermal gradient ``q / k``.
    """
    props = props or RegolithThermal()
    lat = float(_check_latitude(latitude))
    sol, lt = _column_day(props, lat, n_steps, n_spinup)
    return DiurnalColumn(latitude=lat, local_time=lt, props=props, solution=sol)


def subsurface_temperature(
    latitude: float,
    depths: ArrayLike,
    local_times: ArrayLike,
    props: RegolithThermal | None = None,
    n_steps: int = 720,
    n_spinup: int = 4,
) -> xr.DataArray:
    """Regolith temperature (K) versus depth and local time: the diurnal thermal wave.

    See `diurnal_column` for the model ([Hayne2017] properties, [Hurley2015] surface,
    geothermal flux at the bottom).

    Parameters
    ----------
    latitude
        Latitude in degrees.
    depths
        Depths below the surface (m, >= 0).
    local_times
        Local times in hours (12 = noon), taken modulo 24.
    props
        Thermophysical properties (default: [Hayne2017]).
    n_steps
        Time steps per lunar day (default 720, about 1 h each).
    n_spinup
        Spin-up days before the returned one.

    Returns
    -------
    xarray.DataArray
        ``temperature`` (K) with dims ``(depth, local_time)``.
    """
    lt_out = np.mod(_finite("local_times", local_times).ravel(), 24.0)
    col = diurnal_column(latitude, props, n_steps, n_spinup)
    z_out = _finite("depths", depths).ravel()
    temps = col.at(z_out)
    # periodic interpolation in local time (values at lt; lt = 24 equals lt = 0)
    lt_ext = np.concatenate([[0.0], col.local_time])
    t_ext = np.concatenate([temps[:, -1:], temps], axis=1)
    result = np.array([np.interp(lt_out, lt_ext, row) for row in t_ext])
    return xr.DataArray(
        result,
        dims=("depth", "local_time"),
        coords={"depth": z_out, "local_time": lt_out},
        name="temperature",
        attrs={"units": "K", "latitude_deg": col.latitude, "source": "Hurley2015; Hayne2017"},
    )


def _profiles_at(
    props: RegolithThermal, sol: HeatSolution, lat: float, lt: np.ndarray, z_out: np.ndarray
) -> np.ndarray:
    """Temperatures at depths ``z_out`` for each step (surface point included, shape (nz, nt))."""
    surf = surface_temperature(lat, lt)
    z_nodes = np.concatenate([[0.0], sol.z])
    t_nodes = np.concatenate([surf[:, None], sol.temperature[1:]], axis=1)  # (nt, n+1)
    out = np.array([np.interp(z_out, z_nodes, row) for row in t_nodes]).T
    deep = z_out > sol.z[-1]
    if np.any(deep):
        t_bot = t_nodes[:, -1]
        k_bot = props.conductivity(props.contact_conductivity(sol.z[-1:]), t_bot)
        grad = props.geothermal_flux_w_m2 / k_bot  # K/m, warmer with depth
        out[deep] = t_bot[None, :] + grad[None, :] * (z_out[deep, None] - sol.z[-1])
    return out
