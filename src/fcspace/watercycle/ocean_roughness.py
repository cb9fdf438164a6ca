"""L-band wind-induced (roughness) excess brightness temperature of the sea, isotropic part.

Two published models, selected by name in :func:`roughness_tb`:

``"meissner2018"`` (default): the Aquarius Version 5 geophysical model function (GMF) of the
isotropic wind-induced emissivity [MWL2018] (built on [MWR2014]), as tabulated at 1.4 GHz and
52 deg incidence in the CIMR L2 SSS ATBD [CIMR-SSS]. That table is the Aquarius GMF (given by
RSS at the three Aquarius incidences 29.36, 38.44 and 46.29 deg) linearly extrapolated by the
ATBD authors to 52 deg; it is carried to the incidence of the observation by the incidence law
of [MW2012] section IV-C that the ATBD restates (nadir value = mean of V and H; power law in
``theta/theta_ref`` below ``theta_ref``, linear continuation above).

``"camps2004"``: the linear WISE sensitivities of [Camps2004] (kept for comparison; their V
slope nearly vanishes at 40-45 deg, which under-predicts SMAP V at high winds).

The wind-direction (azimuthal harmonic) signal is NOT included: the L-band harmonic tables of
[CIMR-SSS] (Tables 3-4 of the V1 ATBD) state three different reference incidences for the same
numbers (52, 46.9 and 4.95 deg in the two versions) and no unit, so they cannot be used
without guessing (ASSUMPTION: isotropic model only; the SMAP cells' relative wind direction
spans ~160 deg, so this leaves an azimuthal residual of a few tenths of a kelvin).

Sources
-------
- [MWR2014] Meissner, T., Wentz, F. J., Ricciardulli, L. (2014). The emission and scattering
  of L-band microwave radiation from rough ocean surfaces and wind speed measurements from
  the Aquarius sensor. J. Geophys. Res. Oceans 119, doi:10.1002/2014JC009837 (5th-order
  polynomial in wind of the wind-induced emissivity harmonics, auxiliary table ts02).
- [MWL2018] Meissner, T., Wentz, F. J., Le Vine, D. M. (2018). The salinity retrieval
  algorithms for the NASA Aquarius Version 5 and SMAP Version 3 releases. Remote Sens. 10,
  1121, doi:10.3390/rs10071121 (the Aquarius V5 roughness GMF).
- [MW2012] Meissner, T., Wentz, F. J. (2012). The emissivity of the ocean surface between 6
  and 90 GHz over a large range of wind speeds and Earth incidence angles. IEEE TGRS 50(8),
  3004-3026: eq. (15) (SST scaling by the specular emissivity ratio), section IV-C (incidence
  law, exponents x_v = 4, x_h = 1.5).
- [CIMR-SSS] Guimbard, S., Reul, N., et al. ESA CIMR L2 Sea Surface Salinity ATBD (DEVALGO),
  "Baseline algorithm definition", section "Rough sea surface emission": eqs. rough3-rough6
  (V1: github.com/sguimbard/CIMRL2PAD-SeaSurfaceSalinity-ATBD10-V1) and the same equations
  as eqs. rough3-rough6 of github.com/CIMR-Algos/L2SSS, which states x_v = 4.0, x_h = 1.5;
  coefficient table "delta_k^{p,f} ... theta_ref = 52 deg (L-band)" (V1 Table 2, row 1.4 GHz;
  CIMR-Algos/L2SSS Table 3, row 1.4 GHz: the same numbers).
- [RSS-AQV5] Remote Sensing Systems, RSS-L-band-Ocean-Surface-Emission-Model (T. Meissner,
  2018), L_Band_wind_emissivity_AQV5_module.f90: the Aquarius V5 isotropic term is continued
  linearly above 17 m/s (parameter ``wextrapol``) and its SST scaling uses a reference
  salinity of 35 psu (``sss_ref0``). Read for the algorithm only; no code is taken from it.
- [Camps2004] Camps, A., Font, J., Vall-llossera, M., et al. (2004). The WISE 2000 and 2001
  field experiments in support of the SMOS mission. IEEE TGRS 42(4), 804-823:
  dTB_h/dU = 0.25 (1 + theta/118 deg), dTB_v/dU = 0.25 (1 - theta/45 deg) K/(m/s). Quoted
  from memory of the paper, not checked against its text (ASSUMPTION: to be verified).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.watercycle.dielectric import fresnel_reflectivity, seawater_permittivity
from fcspace.watercycle.instrument import L_BAND_HZ

__all__ = ["ROUGHNESS_MODELS", "roughness_emissivity_meissner2018", "roughness_tb"]

ROUGHNESS_MODELS = ("meissner2018", "camps2004")

# [CIMR-SSS] V1 Table 2 (= CIMR-Algos/L2SSS Table 3), row f = 1.4 GHz: delta_k for k = 1..5,
# isotropic wind-induced emissivity at theta_ref = 52 deg and SST_ref = 20 degC, wind in m/s.
_DELTA_V = (1.6097e-3, -2.6751e-4, 2.4483e-5, -8.6502e-7, 1.0749e-8)  # row "1.4 | v"
_DELTA_H = (4.3588e-3, -5.8672e-4, 4.3997e-5, -1.4223e-6, 1.6548e-8)  # row "1.4 | h"
_THETA_REF_DEG = 52.0  # [CIMR-SSS] reference incidence of that table
_SST_REF_K = 293.15  # [MW2012] eq. (15) / [CIMR-SSS] eq. rough3: T_ref = 20 degC
_SSS_REF_PSU = 35.0  # [RSS-AQV5] sss_ref0: salinity of the SST-scaling ratio
_X_V, _X_H = 4.0, 1.5  # [MW2012] section IV-C, restated by [CIMR-SSS] (CIMR-Algos/L2SSS)
_W_LINEAR_M_S = 17.0  # [RSS-AQV5] wextrapol: linear continuation above 17 m/s
_THETA_CAP_DEG = 65.0  # [MW2012] model range 0-65 deg: held at 65 deg beyond (ASSUMPTION)

# [Camps2004] WISE wind sensitivity, K per m/s: slope0 * (1 + theta / theta_p)
_WISE_SLOPE0 = 0.25
_WISE_THETA_H = 118.0  # deg
_WISE_THETA_V = -45.0  # deg (the V slope falls with incidence and vanishes at 45 deg)


def _wind(wind_m_s: ArrayLike) -> NDArray[np.float64]:
    w = np.asarray(wind_m_s, dtype=float)
    if np.any(np.isnan(w)) or np.any(w < 0) or np.any(w > 50):
        raise InputError("wind speed must be in [0, 50] m/s, without NaN", variable="wind_m_s")
    return w


def _poly5(coef: tuple[float, ...], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """``sum_k c_k w^k`` (k = 1..5), continued linearly above 17 m/s ([RSS-AQV5])."""
    w0 = np.minimum(w, _W_LINEAR_M_S)
    value = sum(c * w0 ** (k + 1) for k, c in enumerate(coef))
    slope = sum((k + 1) * c * w0**k for k, c in enumerate(coef))
    return value + slope * (w - w0)


def _specular_emissivity(sst_k: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(e_h, e_v) of the flat sea at 52 deg and 35 psu (the [MW2012] eq. 15 scaling)."""
    eps = seawater_permittivity(L_BAND_HZ, sst_k, _SSS_REF_PSU, model="meissner-wentz")
    r_h, r_v = fresnel_reflectivity(eps, _THETA_REF_DEG)
    return 1.0 - r_h, 1.0 - r_v


def roughness_emissivity_meissner2018(
    wind_m_s: ArrayLike, incidence_deg: ArrayLike, sst_k: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Isotropic wind-induced emissivity (de_h, de_v) of the Aquarius V5 GMF.

    At ``theta_ref = 52 deg``: ``de_p = delta_p(U) e0_p(SST) / e0_p(20 degC)`` with the
    5th-order polynomial ``delta_p(U) = sum_k delta_k U^k`` of [CIMR-SSS] (Table 2, 1.4 GHz;
    eqs. rough3 and rough4 of V1) and the specular emissivity ratio of [MW2012] eq. (15)
    (at 35 psu, [RSS-AQV5]). Other incidences ([MW2012] section IV-C, [CIMR-SSS] eqs.
    rough5-rough6): ``de_nad = (de_v + de_h) / 2``; for ``theta <= theta_ref``,
    ``de_p(theta) = de_nad + (de_p - de_nad) (theta/theta_ref)^x_p`` with x_v = 4, x_h = 1.5;
    above ``theta_ref`` the same law is continued linearly with its slope at ``theta_ref``.
    Above 17 m/s the polynomial is continued linearly ([RSS-AQV5]).

    Parameters
    ----------
    wind_m_s
        10-m wind speed, m/s, in [0, 50].
    incidence_deg
        Incidence angle, degrees, in [0, 90] (held at 65 deg beyond 65 deg).
    sst_k
        Sea-surface temperature, K.

    Returns
    -------
    tuple
        ``(de_h, de_v)``, dimensionless emissivity increments.
    """
    w = _wind(wind_m_s)
    theta = np.minimum(np.asarray(incidence_deg, dtype=float), _THETA_CAP_DEG)
    e_h, e_v = _specular_emissivity(sst_k)
    e_h0, e_v0 = _specular_emissivity(_SST_REF_K)
    ref_h = _poly5(_DELTA_H, w) * e_h / e_h0
    ref_v = _poly5(_DELTA_V, w) * e_v / e_v0
    nadir = 0.5 * (ref_h + ref_v)
    ratio = theta / _THETA_REF_DEG
    below = ratio <= 1.0
    out = []
    for ref, x in ((ref_h, _X_H), (ref_v, _X_V)):
        law = np.where(below, np.abs(ratio) ** x, 1.0 + x * (ratio - 1.0))
        out.append(nadir + (ref - nadir) * law)
    return out[0], out[1]


def roughness_tb(
    wind_m_s: ArrayLike,
    incidence_deg: ArrayLike,
    sst_k: ArrayLike = 290.0,
    *,
    model: str = "meissner2018",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wind-induced excess brightness temperature (dTB_h, dTB_v) at L band, isotropic, K.

    ``model="meissner2018"``: ``dTB_p = de_p SST`` with ``de_p`` of
    :func:`roughness_emissivity_meissner2018` (Aquarius V5 GMF [MWL2018] as tabulated by
    [CIMR-SSS]); independent of salinity. ``model="camps2004"``: ``dTB_p = s_p(theta) U``,
    ``s_h = 0.25 (1 + theta/118)``, ``s_v = 0.25 (1 - theta/45)`` K/(m/s) [Camps2004]
    (1.4 GHz, 25-65 deg, winds up to ~14 m/s; used beyond: ASSUMPTION, linear); ``sst_k`` is
    then unused.

    Parameters
    ----------
    wind_m_s
        10-m neutral wind speed, m/s, in [0, 50].
    incidence_deg
        Incidence angle, degrees.
    sst_k
        Sea-surface temperature, K (290 K, the GMF's TB scale, when not given).
    model
        ``"meissner2018"`` (default) or ``"camps2004"``.

    Returns
    -------
    tuple
        ``(dtb_h, dtb_v)`` in K.
    """
    if model == "meissner2018":
        d_h, d_v = roughness_emissivity_meissner2018(wind_m_s, incidence_deg, sst_k)
        sst = np.asarray(sst_k, dtype=float)
        return d_h * sst, d_v * sst
    if model == "camps2004":
        w = _wind(wind_m_s)
        theta = np.asarray(incidence_deg, dtype=float)
        slope_h = _WISE_SLOPE0 * (1.0 + theta / _WISE_THETA_H)
        slope_v = _WISE_SLOPE0 * (1.0 + theta / _WISE_THETA_V)
        return slope_h * w, slope_v * w
    raise InputError(f"unknown roughness model {model!r}; use one of {ROUGHNESS_MODELS}",
                     variable="model")  # fmt: skip
