"""L-band ocean emission (flat sea + wind roughness) and sea-surface-salinity retrieval.

The surface brightness temperature of polarisation p is ``TB_p = (1 - Gamma_p + dE_p) SST``
with the Fresnel reflectivity ``Gamma_p`` of sea water ([UL2014] section 2-8, via
:func:`fcspace.watercycle.dielectric.fresnel_reflectivity`) and a wind-roughness term.

Sources
-------
- [UL2014] Ulaby, F. T., Long, D. G. (2014). Microwave Radar and Radiometric Remote Sensing,
  section 2-8 (Fresnel) and chapter 6 (emissivity = 1 - reflectivity, Kirchhoff's law).
- Wind roughness: :mod:`fcspace.watercycle.ocean_roughness` (default: the Aquarius V5 GMF
  of Meissner, Wentz & Le Vine 2018 as tabulated by the CIMR L2 SSS ATBD, ``"meissner2018"``;
  alternative: the WISE fit of Camps et al. 2004, ``"camps2004"``).
- [MW2004/2012] Meissner & Wentz sea-water permittivity, see fcspace.watercycle.dielectric.
- [Yueh2001] Yueh, S. H. (2001). Effects of Faraday rotation on L-band ocean salinity
  retrievals. IEEE TGRS 39(9), 1909-1917 (the first Stokes parameter TB_v + TB_h is
  invariant under the rotation of the polarisation basis).
- [Fore2016] Fore, A. G., Yueh, S. H., Tang, W., et al. (2016). Combined active/passive
  retrievals of ocean vector wind and sea surface salinity with SMAP. IEEE TGRS 54(12),
  7396-7404 (the JPL SMAP L2B product: surface TBs, HYCOM/NOAA OI/NCEP ancillaries).

Faraday rotation: the ionosphere rotates the polarisation basis by an angle Omega, mixing
TB_v and TB_h (TB_v' = TB_v cos^2 Omega + TB_h sin^2 Omega, ...), so the first Stokes
parameter I = TB_v + TB_h is unchanged [Yueh2001]. The retrieval here fits TB_v and TB_h of
surface (Faraday-corrected) TBs; for TOA TBs pass ``stokes_i=True`` to fit I only.
Atmosphere: ignored (ASSUMPTION: the inputs are surface TBs, as the SMAP L2B ``tb_*_fore``
are: [Fore2016] retrieves from the L1B TBs corrected to the surface, and the file attributes
name only the flat and rough surface models, TB_FLAT_MODEL_FILE and TB_ROUGH_MODEL_FILE).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.watercycle.dielectric import fresnel_reflectivity, seawater_permittivity
from fcspace.watercycle.instrument import L_BAND_HZ
from fcspace.watercycle.ocean_roughness import ROUGHNESS_MODELS, roughness_tb

__all__ = [
    "L_BAND_HZ",
    "ROUGHNESS_MODELS",
    "compare_smap_l2b",
    "ocean_tb",
    "retrieve_sss",
    "roughness_tb",
    "sss_sensitivity",
]

_SSS_BOUNDS = (0.5, 44.5)  # psu: retrieval kept inside the dielectric models' range
_DSSS = 1.0e-3  # psu, step of the centred derivative


def _wind(wind_m_s: ArrayLike) -> NDArray[np.float64]:
    w = np.asarray(wind_m_s, dtype=float)
    if np.any(np.isnan(w)) or np.any(w < 0) or np.any(w > 50):
        raise InputError("wind speed must be in [0, 50] m/s, without NaN", variable="wind_m_s")
    return w


def ocean_tb(
    sss_psu: ArrayLike,
    sst_k: ArrayLike,
    wind_m_s: ArrayLike,
    incidence_deg: ArrayLike,
    roughness: bool = True,
    *,
    frequency_hz: float = L_BAND_HZ,
    dielectric: str = "meissner-wentz",
    roughness_model: str = "meissner2018",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Surface brightness temperatures (TB_h, TB_v) of the sea, K.

    ``TB_p = (1 - Gamma_p) SST + dTB_p`` with the Fresnel reflectivity of sea water
    ([UL2014]; permittivity [MW2004/2012] by default, or ``dielectric="klein-swift"``) and,
    if ``roughness``, the wind term of :func:`roughness_tb` (``roughness_model``). Faraday rotation
    and the atmosphere are not modelled (module docstring).

    Parameters
    ----------
    sss_psu
        Sea-surface salinity, psu, in [0, 45].
    sst_k
        Sea-surface temperature, K.
    wind_m_s
        10-m wind speed, m/s (unused when ``roughness`` is False, but still checked).
    incidence_deg
        Incidence angle, degrees, in [0, 90].
    roughness
        Add the wind-roughness term.
    frequency_hz
        Frequency, Hz (the roughness term is an L-band fit).
    dielectric
        ``"meissner-wentz"`` or ``"klein-swift"``.
    roughness_model
        One of ``ROUGHNESS_MODELS`` (see :func:`roughness_tb`).

    Returns
    -------
    tuple
        ``(tb_h, tb_v)``, broadcast over the inputs.
    """
    sst = np.asarray(sst_k, dtype=float)
    eps = seawater_permittivity(frequency_hz, sst, sss_psu, model=dielectric)
    r_h, r_v = fresnel_reflectivity(eps, incidence_deg)
    tb_h, tb_v = (1.0 - r_h) * sst, (1.0 - r_v) * sst
    d_h, d_v = roughness_tb(wind_m_s, incidence_deg, sst, model=roughness_model)
    if roughness:
        tb_h, tb_v = tb_h + d_h, tb_v + d_v
    return tb_h, tb_v


def sss_sensitivity(
    sss_psu: ArrayLike,
    sst_k: ArrayLike,
    incidence_deg: ArrayLike,
    *,
    frequency_hz: float = L_BAND_HZ,
    dielectric: str = "meissner-wentz",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Centred-difference derivatives (dTB_h/dSSS, dTB_v/dSSS), K/psu.

    The roughness term does not depend on salinity, so the derivative is that of the flat
    sea. Used by the retrieval's Newton step and its noise propagation.

    Parameters
    ----------
    sss_psu, sst_k, incidence_deg
        As in :func:`ocean_tb`; ``sss_psu`` must lie in [0.001, 44.999].
    frequency_hz, dielectric
        As in :func:`ocean_tb`.

    Returns
    -------
    tuple
        ``(dtb_h_dsss, dtb_v_dsss)`` (both negative at L band).
    """
    s = np.asarray(sss_psu, dtype=float)
    kw = {"frequency_hz": frequency_hz, "dielectric": dielectric}
    hp, vp = ocean_tb(s + _DSSS, sst_k, 0.0, incidence_deg, roughness=False, **kw)
    hm, vm = ocean_tb(s - _DSSS, sst_k, 0.0, incidence_deg, roughness=False, **kw)
    return (hp - hm) / (2 * _DSSS), (vp - vm) / (2 * _DSSS)


def _observations(tb_v, tb_h, stokes_i):
    """The observed vector (last axis: channels) and the channel mapping."""
    tv = np.asarray(tb_v, dtype=float)
    th = np.asarray(tb_h, dtype=float)
    for name, tb in (("tb_v", tv), ("tb_h", th)):
        if np.any(np.isnan(tb)) or np.any(tb < 0) or np.any(tb > 340):
            raise InputError("brightness temperature outside [0, 340] K or NaN", variable=name)
    if stokes_i:
        return (tv + th)[..., None]
    return np.stack(np.broadcast_arrays(th, tv), axis=-1)


def retrieve_sss(
    tb_v: ArrayLike,
    tb_h: ArrayLike,
    incidence_deg: ArrayLike,
    sst_k: ArrayLike,
    wind_m_s: ArrayLike,
    *,
    nedt_k: ArrayLike = 1.0,
    n_looks: ArrayLike = 1,
    roughness: bool = True,
    stokes_i: bool = False,
    first_guess_psu: float = 35.0,
    n_iter: int = 8,
    dielectric: str = "meissner-wentz",
    roughness_model: str = "meissner2018",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sea-surface salinity by weighted least squares, one unknown per cell (Gauss-Newton).

    Minimises ``sum_p (TB_p^obs - TB_p(S))^2 / sigma^2`` over S with SST and wind known, TB_p
    of :func:`ocean_tb`. Each step is ``dS = sum_p J_p r_p / sum_p J_p^2`` with ``J_p =
    dTB_p/dS`` (:func:`sss_sensitivity`); the model is nearly linear in S so a few steps
    converge to 1e-6 psu. The formal error is ``sigma_S = sigma_TB / sqrt(N sum_p J_p^2)``
    (``sigma_TB / |dTB/dS| / sqrt(N)`` for one channel), with ``sigma_TB = nedt_k`` per look.

    Parameters
    ----------
    tb_v, tb_h
        Observed surface TBs, K (each the mean of ``n_looks`` looks).
    incidence_deg, sst_k, wind_m_s
        Incidence (degrees), SST (K) and wind speed (m/s) of each cell.
    nedt_k
        Radiometric noise of one look, K (same for both channels).
    n_looks
        Number of independent looks averaged into each TB.
    roughness
        Include the wind term in the forward model.
    stokes_i
        Fit the first Stokes parameter TB_v + TB_h only (Faraday-rotation invariant).
    first_guess_psu
        Starting salinity.
    n_iter
        Gauss-Newton steps (8 is ample: the model is nearly linear in S).
    dielectric
        Sea-water permittivity model.
    roughness_model
        One of ``ROUGHNESS_MODELS`` (see :func:`roughness_tb`).

    Returns
    -------
    tuple
        ``(sss_psu, sigma_sss_psu)``, shaped as the broadcast inputs; a cell whose solution
        would leave [0.5, 44.5] psu is clipped to the bound.
    """
    obs = _observations(tb_v, tb_h, stokes_i)
    shape = obs.shape[:-1]
    theta = np.broadcast_to(np.asarray(incidence_deg, dtype=float), shape)
    sst = np.broadcast_to(np.asarray(sst_k, dtype=float), shape)
    wind = np.broadcast_to(_wind(wind_m_s), shape)
    kw = {"dielectric": dielectric, "roughness_model": roughness_model}
    s = np.full(shape, float(first_guess_psu))
    for _ in range(n_iter):
        model, jac = _model_and_jacobian(s, sst, wind, theta, roughness, stokes_i, kw)
        step = np.sum(jac * (obs - model), axis=-1) / np.sum(jac**2, axis=-1)
        s = np.clip(s + step, *_SSS_BOUNDS)
    _, jac = _model_and_jacobian(s, sst, wind, theta, roughness, stokes_i, kw)
    sigma_tb = np.asarray(nedt_k, dtype=float) / np.sqrt(np.asarray(n_looks, dtype=float))
    if stokes_i:
        sigma_tb = sigma_tb * np.sqrt(2.0)  # I = TB_v + TB_h adds two independent noises
    return s, sigma_tb / np.sqrt(np.sum(jac**2, axis=-1))


def _model_and_jacobian(s, sst, wind, theta, roughness, stokes_i, kw):
    """Forward TBs and their salinity derivatives, channels on the last axis."""
    tb_h, tb_v = ocean_tb(s, sst, wind, theta, roughness, **kw)
    j_h, j_v = sss_sensitivity(s, sst, theta, dielectric=kw["dielectric"])
    if stokes_i:
        return (tb_h + tb_v)[..., None], (j_h + j_v)[..., None]
    return np.stack([tb_h, tb_v], axis=-1), np.stack([j_h, j_v], axis=-1)


_L2B_NEEDED = ("anc_sss", "anc_sst", "anc_spd", "smap_sss")


def compare_smap_l2b(
    ds, look: str = "fore", roughness: bool = True, roughness_model: str = "meissner2018"
) -> dict[str, float]:
    """The ocean model and the salinity retrieval against a JPL SMAP L2B swath.

    The model fed with the file's ancillaries (HYCOM ``anc_sss``, NOAA OI ``anc_sst``, NCEP
    ``anc_spd``) at ``inc_<look>`` is compared with ``tb_v_<look>``/``tb_h_<look>``; then SSS
    is retrieved from those TBs (with ``nedt_*`` and ``n_*`` of the look) and compared with
    ``smap_sss`` and ``anc_sss``. Only the cells where every input and ``smap_sss`` exist.

    Parameters
    ----------
    ds
        Dataset from :func:`fcspace.watercycle.io.open_smap_l2b_sss` (fills as NaN).
    look
        ``"fore"`` or ``"aft"``.
    roughness
        Include the wind-roughness term.
    roughness_model
        One of ``ROUGHNESS_MODELS`` (see :func:`roughness_tb`).

    Returns
    -------
    dict
        ``n_cells``; ``bias_v``, ``std_v``, ``bias_h``, ``std_h`` of (model - observed), K;
        ``sss_mean``, ``sss_minus_smap_mean``, ``sss_minus_smap_std``,
        ``sss_minus_anc_mean``, ``sss_minus_anc_std``, ``sigma_sss_mean`` (psu).
    """
    names = (*_L2B_NEEDED, f"tb_v_{look}", f"tb_h_{look}", f"inc_{look}")
    missing = [n for n in names if n not in ds]
    if missing:
        raise InputError(f"SMAP L2B dataset lacks {missing}", variable=missing[0])
    arr = {n: np.asarray(ds[n].values, dtype=float) for n in names}
    ok = np.logical_and.reduce([np.isfinite(a) for a in arr.values()])
    if not np.any(ok):
        raise InputError("no SMAP L2B cell with every input", variable="smap_sss")
    v = {n: a[ok] for n, a in arr.items()}
    tb_h, tb_v = ocean_tb(v["anc_sss"], v["anc_sst"], v["anc_spd"], v[f"inc_{look}"], roughness,
                          roughness_model=roughness_model)  # fmt: skip
    dv, dh = tb_v - v[f"tb_v_{look}"], tb_h - v[f"tb_h_{look}"]
    nedt = _look_noise(ds, look, ok)
    sss, sigma = retrieve_sss(
        v[f"tb_v_{look}"], v[f"tb_h_{look}"], v[f"inc_{look}"], v["anc_sst"], v["anc_spd"],
        nedt_k=nedt, roughness=roughness, roughness_model=roughness_model,
    )  # fmt: skip
    d_smap, d_anc = sss - v["smap_sss"], sss - v["anc_sss"]
    return {
        "n_cells": int(ok.sum()),
        "bias_v": float(dv.mean()), "std_v": float(dv.std()),
        "bias_h": float(dh.mean()), "std_h": float(dh.std()),
        "sss_mean": float(sss.mean()),
        "sss_minus_smap_mean": float(d_smap.mean()), "sss_minus_smap_std": float(d_smap.std()),
        "sss_minus_anc_mean": float(d_anc.mean()), "sss_minus_anc_std": float(d_anc.std()),
        "sigma_sss_mean": float(sigma.mean()),
    }  # fmt: skip


def _look_noise(ds, look: str, ok) -> NDArray[np.float64]:
    """Noise of the cell-mean TB: the file's aggregated NEDT (already per cell), else 1 K."""
    name = f"nedt_v_{look}"
    if name not in ds:
        return np.ones(int(ok.sum()))
    nedt = np.asarray(ds[name].values, dtype=float)[ok]
    return np.where(np.isfinite(nedt), nedt, 1.0)
