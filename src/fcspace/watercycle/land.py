"""L-band land emission: the tau-omega model as in L-MEB, vectorised over pixels x angles.

The brightness temperature of a vegetated soil at polarisation p (H or V) and incidence theta is
the zero-order radiative transfer ("tau-omega") solution of L-MEB [Wigneron2007]_ (eq. 1 there,
after [Mo1982]_):

    TB_p = (1 - w_p)(1 - g_p)(1 + g_p r_p) T_veg + (1 - r_p) g_p T_soil,
    g_p  = exp(-tau_p(theta) / cos(theta))

with the rough-soil reflectivity in the form of [Wang1981]_ as written in L-MEB:

    r_p = [(1 - Q) r*_p + Q r*_q] exp(-H cos(theta)^N_p)

r*_p being the smooth (Fresnel) reflectivity of the soil, from the soil permittivity of
:func:`fcspace.watercycle.dielectric.soil_permittivity` (Mironov et al. 2009 by default,
Dobson et al. 1985 as the alternative) and
:func:`fcspace.watercycle.dielectric.fresnel_reflectivity` (one implementation of each, used here
and, compiled, by the retrieval). The vegetation optical depth varies with incidence as in
L-MEB [Wigneron2007]_ (after [Wigneron2004]_):

    tau_p(theta) = tau_nad (sin^2(theta) tt_p + cos^2(theta))

tt_p = 1 (the default) gives the isotropic canopy tau_p = tau_nad, i.e. the familiar
tau_nad / cos(theta) slant path.

ASSUMPTION: one effective temperature, T_soil = T_veg = T_eff (given by the caller; the
L-MEB effective-temperature parameterisation of the soil profile is not modelled). The
atmosphere and the sky reflected by the soil are neglected (their L-band contribution is a few
kelvin at most [Wigneron2007]_ and is corrected upstream in SMOS L2).

References
----------
.. [Wigneron2007] Wigneron, J.-P., Kerr, Y., Waldteufel, P., et al. (2007). L-band Microwave
   Emission of the Biosphere (L-MEB) model: description and calibration against experimental
   data sets over crop fields. Remote Sens. Environ. 107, 639-655.
.. [Mo1982] Mo, T., Choudhury, B. J., Schmugge, T. J., Wang, J. R., Jackson, T. J. (1982).
   A model for microwave emission from vegetation-covered fields. JGR 87(C13), 11229-11237.
.. [Wang1981] Wang, J. R., Choudhury, B. J. (1981). Remote sensing of soil moisture content
   over bare field at 1.4 GHz frequency. JGR 86(C6), 5277-5282.
.. [Wigneron2004] Wigneron, J.-P., Pardé, M., Waldteufel, P., et al. (2004). Characterizing
   the dependence of vegetation model parameters on crop structure, incidence angle, and
   polarization at L-band. IEEE TGRS 42(2), 416-425.
.. [Dobson1985] Dobson, M. C., Ulaby, F. T., Hallikainen, M. T., El-Rayes, M. A. (1985).
   Microwave dielectric behavior of wet soil - Part II. IEEE TGRS 23(1), 35-46.
.. [Kerr2012] Kerr, Y. H., Waldteufel, P., Richaume, P., et al. (2012). The SMOS soil moisture
   retrieval algorithm. IEEE TGRS 50(5), 1384-1403.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from fcspace.core.errors import InputError
from fcspace.watercycle.instrument import L_BAND_HZ

__all__ = [
    "LandParams",
    "land_tb",
    "land_tb_from_reflectivity",
    "rough_reflectivity",
    "vegetation_optical_depth",
]



@dataclass(frozen=True)
class LandParams:
    """Auxiliary parameters of the tau-omega model (one value for all pixels, or arrays).

    Defaults are the L-MEB "low vegetation" nominal values as used in the SMOS L2 processor
    ([Wigneron2007]_, [Kerr2012]_): H = 0.1, Q = 0, N_H = 2, N_V = 0, tt_H = tt_V = 1. The
    single-scattering albedo default 0.06 is the SMOS-IC low-vegetation value
    (Fernandez-Moran et al. 2017, Remote Sens. 9, 457). These were taken from the papers as
    recalled, not re-read here: ASSUMPTION until checked against the ATBD tables.

    Attributes
    ----------
    omega_h, omega_v
        Single-scattering albedo of the canopy at H and V (dimensionless, in [0, 1)).
    roughness_h
        H_R, the roughness intensity (dimensionless, >= 0).
    roughness_q
        Q_R, polarisation mixing (dimensionless, in [0, 1]).
    roughness_n_h, roughness_n_v
        N_Rp, the angular exponents of the roughness attenuation.
    tt_h, tt_v
        Angular structure of the canopy optical depth (1: isotropic canopy).
    clay_fraction
        Clay mass fraction of the soil, 0-1 (ASSUMPTION default 0.2, a loam).
    porosity
        Upper bound of the volumetric soil moisture, m3/m3 (ASSUMPTION default 0.5).
    frequency_hz
        Radiometer frequency (default the SMOS L band, 1.4135 GHz).
    dielectric_model
        ``"mironov"`` (Mironov et al. 2009) or ``"dobson"`` (Dobson et al. 1985).
    particle_density_kg_m3
        Density of the soil solids; with the porosity it gives the bulk density passed to the
        dielectric model (so that its porosity check and ours agree).
    """

    omega_h: float = 0.06
    omega_v: float = 0.06
    roughness_h: float = 0.1
    roughness_q: float = 0.0
    roughness_n_h: float = 2.0
    roughness_n_v: float = 0.0
    tt_h: float = 1.0
    tt_v: float = 1.0
    clay_fraction: float | np.ndarray = 0.2
    porosity: float | np.ndarray = 0.5
    frequency_hz: float = L_BAND_HZ
    dielectric_model: str = "mironov"
    particle_density_kg_m3: float = 2660.0  # soil solids, the value used by [Dobson1985]_

    def bulk_density_kg_m3(self) -> float | np.ndarray:
        """Bulk density consistent with the porosity: (1 - porosity) x particle density.

        Made smaller by 1e-9 (relative) so that SM = porosity passes the dielectric
        module's own porosity check despite rounding.
        """
        porosity = np.asarray(self.porosity, dtype=np.float64)
        return (1.0 - porosity) * self.particle_density_kg_m3 * (1.0 - 1e-9)

    def vegetation_roughness(self) -> np.ndarray:
        """The eight scalar parameters of the kernels, in kernel order.

        Returns
        -------
        numpy.ndarray
            [omega_h, omega_v, H, Q, N_h, N_v, tt_h, tt_v], float64.
        """
        return np.array(
            [self.omega_h, self.omega_v, self.roughness_h, self.roughness_q,
             self.roughness_n_h, self.roughness_n_v, self.tt_h, self.tt_v],
            dtype=np.float64,
        )  # fmt: skip

    def check(self) -> None:
        """Raise :class:`InputError` when a parameter is outside its physical range."""
        limits = {
            "omega_h": (self.omega_h, 0.0, 1.0), "omega_v": (self.omega_v, 0.0, 1.0),
            "roughness_h": (self.roughness_h, 0.0, np.inf),
            "roughness_q": (self.roughness_q, 0.0, 1.0),
            "clay_fraction": (self.clay_fraction, 0.0, 1.0),
            "porosity": (self.porosity, 0.0, 1.0),
        }  # fmt: skip
        for name, (value, low, high) in limits.items():
            _check_range(value, low, high, name)
        for name in ("roughness_n_h", "roughness_n_v", "tt_h", "tt_v", "frequency_hz"):
            _check_range(getattr(self, name), -np.inf, np.inf, name)


def _check_range(value: object, low: float, high: float, name: str) -> None:
    """Raise InputError naming ``name`` when ``value`` has NaN or leaves [low, high]."""
    arr = np.asarray(value, dtype=np.float64)
    if np.isnan(arr).any():
        raise InputError("NaN where a value is required", variable=name)
    if (arr < low).any() or (arr > high).any():
        raise InputError(
            f"outside [{low}, {high}] (got {arr.min():.6g}..{arr.max():.6g})", variable=name
        )


@numba.njit(cache=True)
def rough_reflectivity(r_p: float, r_q: float, h: float, q: float, n_p: float, cos_t: float):
    """Rough-soil reflectivity at polarisation p ([Wang1981]_ form, [Wigneron2007]_ eq. 4).

    Parameters
    ----------
    r_p, r_q
        Smooth (Fresnel) reflectivity at p and at the other polarisation q.
    h, q, n_p
        H_R, Q_R and N_Rp.
    cos_t
        Cosine of the incidence angle.

    Returns
    -------
    float
        r_p,rough = [(1 - Q) r_p + Q r_q] exp(-H cos^N_p(theta)). Works on scalars and arrays.
    """
    return ((1.0 - q) * r_p + q * r_q) * np.exp(-h * cos_t**n_p)


@numba.njit(cache=True)
def vegetation_optical_depth(tau_nad: float, tt_p: float, cos_t: float):
    """Canopy optical depth at incidence theta ([Wigneron2007]_, after [Wigneron2004]_).

    Parameters
    ----------
    tau_nad
        Nadir optical depth (Np).
    tt_p
        Angular structure parameter at polarisation p.
    cos_t
        Cosine of the incidence angle.

    Returns
    -------
    float
        tau_p(theta) = tau_nad (sin^2(theta) tt_p + cos^2(theta)).
    """
    cos2 = cos_t * cos_t
    return tau_nad * ((1.0 - cos2) * tt_p + cos2)


@numba.njit(cache=True)
def _tau_omega(r_p: float, tau_p: float, omega_p: float, t_eff: float, cos_t: float) -> float:
    """Tau-omega TB at one polarisation, T_soil = T_veg = t_eff ([Wigneron2007]_ eq. 1)."""
    g = np.exp(-tau_p / cos_t)
    return (1.0 - omega_p) * (1.0 - g) * (1.0 + g * r_p) * t_eff + (1.0 - r_p) * g * t_eff


@numba.njit(cache=True)
def pixel_tb(
    rs_h: float, rs_v: float, tau_nad: float, t_eff: float, cos_t: float, p: np.ndarray
) -> tuple[float, float]:
    """(TB_H, TB_V) of one look from the smooth reflectivities: the one tau-omega kernel.

    Parameters
    ----------
    rs_h, rs_v
        Smooth-soil (Fresnel) reflectivities at H and V.
    tau_nad, t_eff, cos_t
        Nadir optical depth (Np), effective temperature (K), cosine of incidence.
    p
        :meth:`LandParams.vegetation_roughness` (omega_h, omega_v, H, Q, N_h, N_v, tt_h, tt_v).

    Returns
    -------
    tuple of float
        TB_H, TB_V in K ([Wigneron2007]_ eqs. 1 and 4 with tau_p(theta) as above).
    """
    r_h = rough_reflectivity(rs_h, rs_v, p[2], p[3], p[4], cos_t)
    r_v = rough_reflectivity(rs_v, rs_h, p[2], p[3], p[5], cos_t)
    tb_h = _tau_omega(r_h, vegetation_optical_depth(tau_nad, p[6], cos_t), p[0], t_eff, cos_t)
    tb_v = _tau_omega(r_v, vegetation_optical_depth(tau_nad, p[7], cos_t), p[1], t_eff, cos_t)
    return tb_h, tb_v


@numba.njit(cache=True)
def _tb_loop(rs_h, rs_v, tau_nad, t_eff, cos_t, p):  # noqa: D103 - flat arrays, same length
    n = rs_h.size
    tb_h = np.empty(n)
    tb_v = np.empty(n)
    for i in range(n):
        tb_h[i], tb_v[i] = pixel_tb(rs_h[i], rs_v[i], tau_nad[i], t_eff[i], cos_t[i], p)
    return tb_h, tb_v


def land_tb_from_reflectivity(
    rs_h: np.ndarray,
    rs_v: np.ndarray,
    tau_nadir: np.ndarray,
    temperature_k: np.ndarray,
    incidence_deg: np.ndarray,
    params: LandParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Tau-omega TBs from given smooth reflectivities (broadcast together).

    Parameters
    ----------
    rs_h, rs_v
        Smooth-soil reflectivities at H and V, in [0, 1].
    tau_nadir
        Nadir vegetation optical depth (Np), >= 0.
    temperature_k
        Effective temperature T_soil = T_veg (K).
    incidence_deg
        Incidence angle (degrees, 0 <= theta < 90).
    params
        Vegetation and roughness parameters (:class:`LandParams`).

    Returns
    -------
    tuple of numpy.ndarray
        TB_H, TB_V in K, the broadcast shape of the inputs ([Wigneron2007]_ eq. 1).
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in
          (rs_h, rs_v, tau_nadir, temperature_k, incidence_deg))
    )  # fmt: skip
    flat = [np.ascontiguousarray(a).ravel() for a in arrays]
    cos_t = np.cos(np.radians(flat[4]))
    tb_h, tb_v = _tb_loop(flat[0], flat[1], flat[2], flat[3], cos_t, params.vegetation_roughness())
    return tb_h.reshape(arrays[0].shape), tb_v.reshape(arrays[0].shape)


def check_land_inputs(
    soil_moisture: np.ndarray,
    tau_nadir: np.ndarray,
    temperature_k: np.ndarray,
    incidence_deg: np.ndarray,
    params: LandParams,
) -> None:
    """Raise :class:`InputError` naming the variable for NaN or out-of-range geophysics.

    Parameters
    ----------
    soil_moisture, tau_nadir, temperature_k, incidence_deg, params
        As for :func:`land_tb`: 0 <= SM <= porosity, tau >= 0, 0 < T < 400 K,
        0 <= incidence < 90 deg.
    """
    params.check()
    sm = np.asarray(soil_moisture, dtype=np.float64)
    _check_range(sm, 0.0, 1.0, "soil_moisture")
    if np.any(sm > np.asarray(params.porosity)):
        raise InputError(
            f"soil moisture above the porosity {params.porosity} m3/m3 (max {sm.max():.4g})",
            variable="soil_moisture",
        )
    _check_range(tau_nadir, 0.0, np.inf, "tau_nadir")
    _check_range(temperature_k, 1.0, 400.0, "temperature_k")
    _check_range(incidence_deg, 0.0, 89.9, "incidence_deg")


def land_tb(
    soil_moisture: np.ndarray,
    tau_nadir: np.ndarray,
    temperature_k: np.ndarray,
    incidence_deg: np.ndarray,
    params: LandParams | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """L-band TB_H, TB_V of a vegetated rough soil: the L-MEB tau-omega model.

    Parameters
    ----------
    soil_moisture
        Volumetric soil moisture (m3/m3), 0 <= SM <= ``params.porosity``.
    tau_nadir
        Nadir vegetation optical depth (Np), >= 0.
    temperature_k
        Effective temperature, T_soil = T_veg (K) (ASSUMPTION stated in the module).
    incidence_deg
        Incidence angle (degrees, 0 <= theta < 90). All inputs broadcast together
        (e.g. pixels x angles).
    params
        :class:`LandParams` (defaults: L-MEB low vegetation, clay 0.2, Mironov).

    Returns
    -------
    tuple of numpy.ndarray
        TB_H, TB_V (K), the broadcast shape. Soil permittivity from
        :func:`fcspace.watercycle.dielectric.soil_permittivity`, smooth reflectivities from
        :func:`fcspace.watercycle.dielectric.fresnel_reflectivity`, then [Wigneron2007]_ eq. 1.

    Raises
    ------
    InputError
        NaN or out-of-range input (soil moisture above porosity, negative tau, incidence
        outside 0-90 deg), naming the variable.
    """
    from fcspace.watercycle.dielectric import fresnel_reflectivity, soil_permittivity

    params = LandParams() if params is None else params
    check_land_inputs(soil_moisture, tau_nadir, temperature_k, incidence_deg, params)
    sm, tau, t_k, inc, clay = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64)
          for a in (soil_moisture, tau_nadir, temperature_k, incidence_deg, params.clay_fraction))
    )  # fmt: skip
    eps = soil_permittivity(
        params.frequency_hz, sm, clay, temperature_k=t_k, model=params.dielectric_model,
        bulk_density_kg_m3=params.bulk_density_kg_m3(),
        particle_density_kg_m3=params.particle_density_kg_m3,
    )  # fmt: skip
    rs_h, rs_v = fresnel_reflectivity(eps, inc)
    return land_tb_from_reflectivity(rs_h, rs_v, tau, t_k, inc, params)
