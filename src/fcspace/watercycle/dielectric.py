"""Microwave permittivity of soil and sea water, and specular (Fresnel) reflectivity.

Convention: time dependence exp(-i omega t), so a lossy medium has eps = eps' + i eps'' with
eps'' > 0 (the convention of SMRT and of Ulaby & Long 2014). SI inside (Hz, K, kg m^-3,
volumetric fractions); the only non-SI quantities are the practical salinity (psu, as the
models are fitted in it) and the incidence angle (degrees, at the edge).

Sources
-------
- [UL2014] Ulaby, F. T., Long, D. G. (2014). Microwave Radar and Radiometric Remote
  Sensing. Univ. of Michigan Press, section 2-8 (Fresnel reflection at a planar boundary).
- [KS1977] Klein, L. A., Swift, C. T. (1977). An improved model for the dielectric constant
  of sea water at microwave frequencies. IEEE Trans. Antennas Propag. 25(1), 104-111
  (eqs. 13-21: static permittivity, relaxation time, ionic conductivity of sea water).
- [MW2004] Meissner, T., Wentz, F. J. (2004). The complex dielectric constant of pure and
  sea water from microwave satellite observations. IEEE TGRS 42(9), 1836-1849 (double Debye,
  eq. 6; pure water eqs. 7-11 and Table III; saline eqs. 16-17 and Table VI).
- [MW2012] Meissner, T., Wentz, F. J. (2012). The emissivity of the ocean surface between 6
  and 90 GHz over a large range of wind speeds and Earth incidence angles. IEEE TGRS 50(8),
  3004-3026 (updated salinity dependence of eps_s and nu_1, Tables 6-7, with the sign of
  d_3 corrected in Meissner, Wentz, Le Vine 2016 (Remote Sens.), who also amend nu_2).
- [Stogryn1995] Stogryn, A. P., Bull, H. T., Rubayi, K., Iravanchy, S. (1995). The
  microwave dielectric properties of sea and fresh water. GenCorp Aerojet (conductivity of
  sea water, used by [MW2004] eqs. 12-15).
- [Mironov2009] Mironov, V. L., Kosolapova, L. G., Fomin, S. V. (2009). Physically and
  mineralogically based spectroscopic dielectric model for moist soils. IEEE TGRS 47(7),
  2059-2070 (GRMDM: refractive mixing, eqs. 11-13; clay-dependent parameters, eqs. 17-25).
- [Dobson1985] Dobson, M. C., Ulaby, F. T., Hallikainen, M. T., El-Rayes, M. A. (1985).
  Microwave dielectric behavior of wet soil - Part II: dielectric mixing models. IEEE TGRS
  23(1), 35-46 (semi-empirical mixing model, eqs. 28-31).
- [Peplinski1995] Peplinski, N. R., Ulaby, F. T., Dobson, M. C. (1995). Dielectric
  properties of soils in the 0.3-1.3 GHz range. IEEE TGRS 33(3), 803-807 (linear correction
  of eps' and effective conductivity, eqs. 2-3 and 10).
- [Ulaby1986] Ulaby, F. T., Moore, R. K., Fung, A. K. (1986). Microwave Remote Sensing vol.
  III, Appendix E (pure-water Debye parameters from Stogryn 1971, eqs. E.15-E.16).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError

__all__ = ["fresnel_reflectivity", "seawater_permittivity", "soil_permittivity"]

EPS0 = 8.8541878128e-12  # vacuum permittivity, F/m (CODATA 2018)
T0_K = 273.15  # 0 degC in K

# --- Mironov et al. 2009 GRMDM, clay C in percent (eqs. 17-25 of [Mironov2009]) ---
_MIR_ND = (1.634, -0.539e-2, 0.2748e-4)  # dry-soil refractive index n_d(C)
_MIR_KD = (0.03952, -0.04038e-2)  # dry-soil normalised attenuation k_d(C)
_MIR_MVT = (0.02863, 0.30673e-2)  # maximum bound-water fraction m_vt(C)
_MIR_E0B = (79.8, -85.4e-2, 32.7e-4)  # bound-water static permittivity
_MIR_TAUB = (1.062e-11, 3.450e-12 * 1e-2)  # bound-water relaxation time, s
_MIR_SIGB = (0.3112, 0.467e-2)  # bound-water conductivity, S/m
_MIR_SIGU = (0.3631, 1.217e-2)  # free-water conductivity, S/m
_MIR_E0U = 100.0  # free-water static permittivity
_MIR_TAUU = 8.5e-12  # free-water relaxation time, s
_MIR_EINF = 4.9  # high-frequency permittivity of soil water

# --- Dobson 1985 / Peplinski 1995 ---
_DOB_ALPHA = 0.65  # shape factor [Dobson1985] eq. 28
_DOB_BETA1 = (1.2748, -0.519, -0.152)  # beta' = a + b S + c C [Dobson1985] eq. 30
_DOB_BETA2 = (1.33797, -0.603, -0.166)  # beta'' [Dobson1985] eq. 31
_PEP_SIGMA = (0.0467, 0.2204, -0.4111, 0.6614)  # sigma_eff [Peplinski1995] eq. 10, rho in g/cm3
_PEP_LINEAR = (1.15, -0.68)  # eps_corr = 1.15 eps - 0.68, [Peplinski1995] eq. 2
_WATER_EINF = 4.9  # high-frequency permittivity of water [Ulaby1986] E.15


def _checked(name: str, value: ArrayLike, lo: float, hi: float) -> NDArray[np.float64]:
    """Return ``value`` as a float array, or raise InputError naming ``name``."""
    arr = np.asarray(value, dtype=float)
    if np.any(np.isnan(arr)):
        raise InputError(f"NaN in {name}", variable=name)
    if np.any(arr < lo) or np.any(arr > hi):
        raise InputError(
            f"{name} outside [{lo}, {hi}] (got {np.min(arr)} .. {np.max(arr)})", variable=name
        )
    return arr


def fresnel_reflectivity(
    eps: ArrayLike, incidence_deg: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Specular power reflectivities of a flat half-space seen from vacuum.

    ``Gamma_h = |(cos t - s) / (cos t + s)|^2``, ``Gamma_v = |(eps cos t - s) / (eps cos t +
    s)|^2`` with ``s = sqrt(eps - sin^2 t)`` (principal root), [UL2014] section 2-8.

    Parameters
    ----------
    eps
        Relative complex permittivity of the lower medium (eps'' >= 0).
    incidence_deg
        Incidence angle from the normal, degrees, in [0, 90].

    Returns
    -------
    tuple
        ``(r_h, r_v)``: power reflectivities in [0, 1]; the emissivity is ``1 - r``.
    """
    e = np.asarray(eps, dtype=complex)
    if np.any(np.isnan(e)):
        raise InputError("NaN in eps", variable="eps")
    if np.any(e.imag < 0) or np.any(e.real < 1.0):
        raise InputError("eps must have eps' >= 1 and eps'' >= 0", variable="eps")
    theta = np.deg2rad(_checked("incidence_deg", incidence_deg, 0.0, 90.0))
    cos_t = np.cos(theta)
    root = np.sqrt(e - np.sin(theta) ** 2)
    r_h = np.abs((cos_t - root) / (cos_t + root)) ** 2
    r_v = np.abs((e * cos_t - root) / (e * cos_t + root)) ** 2
    return r_h, r_v


def _debye_refractive(eps_static, tau_s, sigma_s_m, omega):
    """Refractive index and attenuation index (n, k) of one Debye water component."""
    x = omega * tau_s
    re = _MIR_EINF + (eps_static - _MIR_EINF) / (1.0 + x**2)
    im = (eps_static - _MIR_EINF) * x / (1.0 + x**2) + sigma_s_m / (omega * EPS0)
    mod = np.hypot(re, im)
    return np.sqrt((mod + re) / 2.0), np.sqrt((mod - re) / 2.0)


def _mironov2009(frequency_hz, mv, clay):
    """GRMDM of [Mironov2009]: refractive mixing of dry soil, bound and free water."""
    c = 100.0 * clay  # the model's clay content is in percent
    nd = _MIR_ND[0] + _MIR_ND[1] * c + _MIR_ND[2] * c**2
    kd = _MIR_KD[0] + _MIR_KD[1] * c
    mvt = _MIR_MVT[0] + _MIR_MVT[1] * c
    omega = 2.0 * np.pi * frequency_hz
    nb, kb = _debye_refractive(
        _MIR_E0B[0] + _MIR_E0B[1] * c + _MIR_E0B[2] * c**2,
        _MIR_TAUB[0] + _MIR_TAUB[1] * c,
        _MIR_SIGB[0] + _MIR_SIGB[1] * c,
        omega,
    )
    nu, ku = _debye_refractive(_MIR_E0U, _MIR_TAUU, _MIR_SIGU[0] + _MIR_SIGU[1] * c, omega)
    bound = np.minimum(mv, mvt)
    free = np.maximum(mv - mvt, 0.0)
    n = nd + (nb - 1.0) * bound + (nu - 1.0) * free
    k = kd + kb * bound + ku * free
    return (n**2 - k**2) + 2j * n * k


def _pure_water_debye(frequency_hz, temperature_k):
    """Single-Debye permittivity of pure water ([Ulaby1986] E.15-E.16, Stogryn 1971)."""
    t = temperature_k - T0_K
    eps_w0 = 88.045 - 0.4147 * t + 6.295e-4 * t**2 + 1.075e-5 * t**3
    two_pi_tau = 1.1109e-10 - 3.824e-12 * t + 6.938e-14 * t**2 - 5.096e-16 * t**3
    x = two_pi_tau * frequency_hz
    return eps_w0, x


def _dobson_peplinski(frequency_hz, mv, clay, sand, temperature_k, rho_b, rho_s):
    """[Dobson1985] eqs. 28-31 with the [Peplinski1995] real-part and conductivity terms."""
    rb, rs = rho_b / 1000.0, rho_s / 1000.0  # the fits use g/cm^3
    eps_solid = (1.01 + 0.44 * rs) ** 2 - 0.062  # [Dobson1985] solid-particle fit
    beta1 = _DOB_BETA1[0] + _DOB_BETA1[1] * sand + _DOB_BETA1[2] * clay
    beta2 = _DOB_BETA2[0] + _DOB_BETA2[1] * sand + _DOB_BETA2[2] * clay
    sigma = _PEP_SIGMA[0] + _PEP_SIGMA[1] * rb + _PEP_SIGMA[2] * sand + _PEP_SIGMA[3] * clay
    eps_w0, x = _pure_water_debye(frequency_hz, temperature_k)
    fw_re = _WATER_EINF + (eps_w0 - _WATER_EINF) / (1.0 + x**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = sigma / (2.0 * np.pi * EPS0 * frequency_hz) * (rs - rb) / (rs * mv)
    fw_im = x * (eps_w0 - _WATER_EINF) / (1.0 + x**2) + np.where(mv > 0, cond, 0.0)
    a = _DOB_ALPHA
    re = (1.0 + rb / rs * (eps_solid**a - 1.0) + mv**beta1 * fw_re**a - mv) ** (1.0 / a)
    re = _PEP_LINEAR[0] * re + _PEP_LINEAR[1]
    im = (mv**beta2 * fw_im**a) ** (1.0 / a)
    return re + 1j * im


def soil_permittivity(
    frequency_hz: ArrayLike,
    soil_moisture: ArrayLike,
    clay_fraction: ArrayLike,
    temperature_k: ArrayLike = 293.15,
    model: str = "mironov",
    *,
    sand_fraction: ArrayLike = 0.4,
    bulk_density_kg_m3: ArrayLike = 1300.0,
    particle_density_kg_m3: float = 2660.0,
) -> NDArray[np.complex128]:
    """Relative permittivity eps' + i eps'' (eps'' > 0) of moist soil.

    ``model="mironov"``: the generalised refractive mixing dielectric model of [Mironov2009]
    (refractive index n and attenuation k mixed linearly in soil moisture, bound water up to
    m_vt(C) and free water above, each a Debye relaxation with the clay-dependent parameters
    of eqs. 17-25; validated 0.3-26.5 GHz, clay 0-76 %). ASSUMPTION: GRMDM is fitted at room
    temperature (20-22 degC) and has no temperature term, so ``temperature_k`` does not
    enter it (Mironov et al. 2013 add one).

    ``model="dobson"``: [Dobson1985] eqs. 28-31 with the [Peplinski1995] linear correction of
    eps' and effective conductivity (fitted 0.3-1.3 GHz, used at 1.4 GHz as SMOS L2 does);
    free water from [Ulaby1986] E.15-E.16 at ``temperature_k``. Defaults (stated
    ASSUMPTIONS, a loam): ``sand_fraction=0.4``, ``bulk_density_kg_m3=1300``,
    ``particle_density_kg_m3=2660``.

    Parameters
    ----------
    frequency_hz
        Frequency, Hz (0.3-40 GHz).
    soil_moisture
        Volumetric soil moisture, m^3/m^3, in [0, porosity] with porosity = 1 -
        bulk_density / particle_density.
    clay_fraction
        Clay mass fraction in [0, 1].
    temperature_k
        Soil temperature, K (used by ``"dobson"`` only).
    model
        ``"mironov"`` or ``"dobson"``.
    sand_fraction, bulk_density_kg_m3, particle_density_kg_m3
        Texture and densities (the porosity check uses both densities in either model).

    Returns
    -------
    numpy.ndarray
        Complex relative permittivity, broadcast over the inputs.
    """
    f = _checked("frequency_hz", frequency_hz, 3.0e8, 4.0e10)
    clay = _checked("clay_fraction", clay_fraction, 0.0, 1.0)
    rho_b = _checked("bulk_density_kg_m3", bulk_density_kg_m3, 500.0, particle_density_kg_m3)
    porosity = 1.0 - rho_b / particle_density_kg_m3
    mv = _checked("soil_moisture", soil_moisture, 0.0, 1.0)
    if np.any(mv > porosity):
        raise InputError(
            f"soil_moisture above the porosity {np.min(porosity):.3f} (got {np.max(mv):.3f})",
            variable="soil_moisture",
        )
    if model == "mironov":
        return np.asarray(_mironov2009(f, mv, clay), dtype=complex)
    if model == "dobson":
        t = _checked("temperature_k", temperature_k, 250.0, 330.0)
        sand = _checked("sand_fraction", sand_fraction, 0.0, 1.0)
        if np.any(sand + clay > 1.0):
            raise InputError("sand_fraction + clay_fraction > 1", variable="sand_fraction")
        return np.asarray(
            _dobson_peplinski(f, mv, clay, sand, t, rho_b, particle_density_kg_m3), dtype=complex
        )
    raise InputError(f"unknown soil model {model!r} (mironov, dobson)", variable="model")


def _klein_swift(frequency_hz, t_c, s):
    """Sea water after [KS1977]: one Debye relaxation plus ionic conductivity."""
    eps_s_t = 87.134 + t_c * (-1.949e-1 + t_c * (-1.276e-2 + t_c * 2.491e-4))
    a = 1.0 + 1.613e-5 * t_c * s + s * (-3.656e-3 + s * (3.210e-5 - s * 4.232e-7))
    tau_t = 1.768e-11 + t_c * (-6.086e-13 + t_c * (1.104e-14 - t_c * 8.111e-17))  # s
    b = 1.0 + 2.282e-5 * t_c * s + s * (-7.638e-4 + s * (-7.760e-6 + s * 1.105e-8))
    sigma_25 = s * (0.182521 + s * (-1.46192e-3 + s * (2.09324e-5 - s * 1.28205e-7)))
    d = 25.0 - t_c
    beta = 2.033e-2 + d * (1.266e-4 + d * 2.464e-6)
    beta = beta - s * (1.849e-5 + d * (-2.551e-7 + d * 2.551e-8))
    sigma = sigma_25 * np.exp(-d * beta)  # S/m
    omega = 2.0 * np.pi * frequency_hz
    eps_inf = 4.9  # [KS1977] high-frequency limit
    return (
        eps_inf
        + (eps_s_t * a - eps_inf) / (1.0 - 1j * omega * tau_t * b)
        + 1j * sigma / (omega * EPS0)
    )


# [MW2004] Table III (pure water a0..a10) and Table VI (saline b0..b12)
_MW_A = (5.7230, 2.2379e-2, -7.1237e-4, 5.0478, -7.0315e-2, 6.0059e-4,
         3.6143, 2.8841e-2, 1.3652e-1, 1.4825e-3, 2.4166e-4)  # fmt: skip
_MW_B = (-3.56417e-3, 4.74868e-6, 1.15574e-5, 2.39357e-3, -3.13530e-5, 2.52477e-7,
         -6.28908e-3, 1.76032e-4, -9.22144e-5, -1.99723e-2, 1.81176e-4,
         -2.04265e-3, 1.57883e-4)  # fmt: skip
# [MW2012] update: b0..b2 for eps_s (Table 6) and the 5-term nu_1 polynomial (Table 7,
# d_3 sign as corrected by Meissner et al. 2016); linear nu_1 branch above 30 degC.
_MW12_EPS_S = (-0.33330e-2, 4.74868e-6, 0.0)
_MW12_NU1 = (0.23232e-2, -0.79208e-4, 0.36764e-5, -0.35594e-6, 0.89795e-8)
_MW12_NU1_HOT = (9.1873715e-4, 1.5012396e-4)
_F0_GHZ = 17.97510  # 1 / (2 pi eps0) in GHz m / S, [MW2004] eq. 6


def _stogryn_conductivity(t, s):
    """Sea-water conductivity, S/m ([Stogryn1995], as in [MW2004] eqs. 12-15)."""
    sig35 = 2.903602 + t * (8.60700e-2 + t * (4.738817e-4 + t * (-2.9910e-6 + t * 4.3047e-9)))
    r15 = s * (37.5109 + 5.45216 * s + 1.4409e-2 * s**2) / (1004.75 + 182.283 * s + s**2)
    alpha0 = (6.9431 + 3.2841 * s - 9.9486e-2 * s**2) / (84.850 + 69.024 * s + s**2)
    alpha1 = 49.843 - 0.2276 * s + 0.198e-2 * s**2
    return sig35 * r15 * (1.0 + (t - 15.0) * alpha0 / (alpha1 + t))


def _meissner_wentz(frequency_hz, t, s):
    """Double-Debye sea water of [MW2004] eq. 6 with the [MW2012] salinity update."""
    a, b = _MW_A, _MW_B
    eps_s = (3.70886e4 - 8.2168e1 * t) / (4.21854e2 + t)  # [MW2004] eq. 7 (Stogryn)
    eps_1 = a[0] + a[1] * t + a[2] * t**2
    nu_1 = (45.0 + t) / (a[3] + a[4] * t + a[5] * t**2)  # GHz
    eps_inf = a[6] + a[7] * t
    nu_2 = (45.0 + t) / (a[8] + a[9] * t + a[10] * t**2)
    c = _MW12_EPS_S
    eps_s = eps_s * np.exp(c[0] * s + c[1] * s**2 + c[2] * s * t)
    d = _MW12_NU1
    poly = d[0] + t * (d[1] + t * (d[2] + t * (d[3] + t * d[4])))
    hot = _MW12_NU1_HOT[0] + _MW12_NU1_HOT[1] * (t - 30.0)
    nu_1 = nu_1 * (1.0 + s * np.where(t <= 30.0, poly, hot))
    eps_1 = eps_1 * np.exp(b[6] * s + b[7] * s**2 + b[8] * s * t)
    nu_2 = nu_2 * (1.0 + s * (b[9] + 0.5 * b[10] * (t + 30.0)))  # Meissner et al. 2016
    eps_inf = eps_inf * (1.0 + s * (b[11] + b[12] * t))
    f = frequency_hz / 1.0e9
    sigma = _stogryn_conductivity(t, s)
    # [MW2004] eq. 6 is written with exp(+i omega t); its conjugate is returned.
    return (
        (eps_s - eps_1) / (1.0 - 1j * f / nu_1)
        + (eps_1 - eps_inf) / (1.0 - 1j * f / nu_2)
        + eps_inf
        + 1j * sigma * _F0_GHZ / f
    )


def seawater_permittivity(
    frequency_hz: ArrayLike,
    temperature_k: ArrayLike,
    salinity_psu: ArrayLike,
    model: str = "klein-swift",
) -> NDArray[np.complex128]:
    """Relative permittivity eps' + i eps'' (eps'' > 0) of sea water.

    ``"klein-swift"``: [KS1977] (single Debye + ionic conductivity; fitted 1.4-2.65 GHz, used
    up to ~10 GHz). ``"meissner-wentz"``: [MW2004] double Debye with the [MW2012] update
    (fitted 1.4-89 GHz, -2 to 29 degC, 0-40 psu).

    Parameters
    ----------
    frequency_hz
        Frequency, Hz (0.5-100 GHz).
    temperature_k
        Water temperature, K, in [271.15, 313.15] (-2 to 40 degC).
    salinity_psu
        Practical salinity in [0, 45] psu; negative salinity is an error.
    model
        ``"klein-swift"`` or ``"meissner-wentz"``.

    Returns
    -------
    numpy.ndarray
        Complex relative permittivity, broadcast over the inputs.
    """
    f = _checked("frequency_hz", frequency_hz, 5.0e8, 1.0e11)
    t_c = _checked("temperature_k", temperature_k, 271.15, 313.15) - T0_K
    s = _checked("salinity_psu", salinity_psu, 0.0, 45.0)
    if model == "klein-swift":
        return np.asarray(_klein_swift(f, t_c, s), dtype=complex)
    if model == "meissner-wentz":
        return np.asarray(_meissner_wentz(f, t_c, s), dtype=complex)
    raise InputError(f"unknown sea-water model {model!r}", variable="model")
