"""Multi-angular retrieval of soil moisture and vegetation optical depth (SMOS L2 style).

Per pixel, the maximum-likelihood estimate of x = (SM, tau_nad) from the H and V brightness
temperatures of several looks (incidence angles), the effective temperature and the auxiliary
parameters being known, as in the SMOS L2 soil-moisture processor [Kerr2012]_ (section III):

    C(x) = sum_k [(TB_obs,k - TB_model,k(x)) / sigma_k]^2 + [(tau - tau_prior) / sigma_tau]^2

(the prior term is optional and off by default; SMOS L2 uses such a weak prior on tau).
Minimised by Levenberg-Marquardt [Press2007]_ (section 15.5.2), compiled with Numba, all
pixels in one call; forward-difference Jacobian; the bounds 0 <= SM <= porosity and
0 <= tau <= ``tau_max`` are kept by projection, and a parameter on its bound whose step
points outwards is frozen for that step (an active-set step, so the other parameter still
converges). 1-sigma errors from the inverse of J^T J at the solution (Cramer-Rao, valid when
the model is locally linear).

The forward model is the one of :mod:`fcspace.watercycle.land`: its compiled tau-omega kernel
(:func:`fcspace.watercycle.land.pixel_tb`) is called here. The smooth-soil reflectivities
r*_H, r*_V, which come from :func:`fcspace.watercycle.dielectric.soil_permittivity` and
:func:`fcspace.watercycle.dielectric.fresnel_reflectivity` (NumPy functions with input
checks, not Numba-compilable), are TABULATED once per call on a regular grid of
(clay, temperature, SM, incidence) by those very functions and interpolated multilinearly in
the kernel (the clay and temperature axes have one node when these are uniform, and the
temperature axis has one node when the dielectric model does not depend on temperature).
The interpolation error is measured in tests/watercycle/test_land_retrieval.py.

References
----------
.. [Kerr2012] Kerr, Y. H., Waldteufel, P., Richaume, P., et al. (2012). The SMOS soil
   moisture retrieval algorithm. IEEE TGRS 50(5), 1384-1403.
.. [Press2007] Press, W. H., Teukolsky, S. A., Vetterling, W. T., Flannery, B. P. (2007).
   Numerical Recipes, 3rd ed., Cambridge Univ. Press (Levenberg-Marquardt, 15.5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.watercycle.land import LandParams, _check_range, land_tb_from_reflectivity
from fcspace.watercycle.land_kernels import SM_STEP, THETA_STEP_DEG, retrieve_pixels

__all__ = ["ReflectivityTable", "reflectivity_table", "retrieve_soil_moisture"]

CLAY_STEP = 0.01  # clay-fraction node spacing of the table (ASSUMPTION, error measured)
TEMPERATURE_STEP_K = 5.0  # temperature node spacing (temperature-dependent models only)


@dataclass(frozen=True)
class ReflectivityTable:
    """Smooth-soil reflectivities on a regular (clay, T, SM, theta) grid.

    Attributes
    ----------
    origin, step
        First node and spacing of each of the four axes (clay, K, m3/m3, degrees).
    values
        Array (n_clay, n_t, n_sm, n_theta, 2) of (r*_H, r*_V).
    """

    origin: np.ndarray
    step: np.ndarray
    values: np.ndarray


def _axis(values: np.ndarray, step: float, low: float, high: float) -> np.ndarray:
    """Regular nodes of ``step`` covering the range of ``values`` (one node if constant)."""
    v_min, v_max = float(np.min(values)), float(np.max(values))
    if v_max - v_min < 1e-12:
        return np.array([v_min])
    start = max(low, np.floor(v_min / step) * step)
    stop = min(high, np.ceil(v_max / step) * step)
    return np.linspace(start, stop, int(round((stop - start) / step)) + 1)


def _depends_on_temperature(params: LandParams) -> bool:
    """Whether the soil permittivity model changes with temperature (checked, not assumed)."""
    from fcspace.watercycle.dielectric import soil_permittivity

    # a probe at one moist loam (any valid bulk density will do)
    kwargs = {"model": params.dielectric_model, "bulk_density_kg_m3": 1300.0}
    cold = soil_permittivity(params.frequency_hz, 0.2, 0.2, temperature_k=275.0, **kwargs)
    warm = soil_permittivity(params.frequency_hz, 0.2, 0.2, temperature_k=310.0, **kwargs)
    return bool(np.abs(cold - warm) > 0.0)


def reflectivity_table(
    clay: np.ndarray, temperature_k: np.ndarray, incidence_deg: np.ndarray, params: LandParams
) -> ReflectivityTable:
    """Tabulate r*_H, r*_V by the dielectric module over the range the pixels need.

    Parameters
    ----------
    clay, temperature_k, incidence_deg
        Values met in the retrieval (their ranges set the axes).
    params
        Frequency, dielectric model, porosity (the SM axis spans 0 to the largest porosity).

    Returns
    -------
    ReflectivityTable
        The grid and values; SM step :data:`SM_STEP`, incidence step :data:`THETA_STEP_DEG`.
    """
    from fcspace.watercycle.dielectric import fresnel_reflectivity, soil_permittivity

    porosity = float(np.max(params.porosity))
    axes = [
        _axis(clay, CLAY_STEP, 0.0, 1.0),
        _axis(temperature_k, TEMPERATURE_STEP_K, 250.0, 330.0)
        if _depends_on_temperature(params) else np.array([float(np.mean(temperature_k))]),
        np.linspace(0.0, porosity, int(np.ceil(porosity / SM_STEP)) + 1),
        _axis(incidence_deg, THETA_STEP_DEG, 0.0, 89.5),
    ]  # fmt: skip
    c, t, s, th = np.meshgrid(*axes, indexing="ij")
    eps = soil_permittivity(
        params.frequency_hz, s, c, temperature_k=t, model=params.dielectric_model,
        bulk_density_kg_m3=np.min(params.bulk_density_kg_m3()),
        particle_density_kg_m3=params.particle_density_kg_m3,
    )  # fmt: skip
    r_h, r_v = fresnel_reflectivity(eps, th)
    origin = np.array([a[0] for a in axes])
    step = np.array([a[1] - a[0] if a.size > 1 else 1.0 for a in axes])
    return ReflectivityTable(origin, step, np.ascontiguousarray(np.stack([r_h, r_v], axis=-1)))


def _pixel_inputs(tb_h, tb_v, incidence_deg, temperature_k, sigma_k):
    """Broadcast and check the per-look and per-pixel inputs; returns 2-D/1-D float arrays."""
    tb_h, tb_v, inc, sig = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (tb_h, tb_v, incidence_deg, sigma_k))
    )
    if tb_h.ndim < 1:
        raise InputError("the TBs need a last axis of looks", variable="tb_h")
    pixel_shape = tb_h.shape[:-1]
    t_k = np.broadcast_to(np.asarray(temperature_k, dtype=np.float64), pixel_shape)
    _check_range(t_k, 1.0, 400.0, "temperature_k")
    looks = ~(np.isnan(tb_h) | np.isnan(tb_v) | np.isnan(inc))
    checks = (("tb_h", tb_h, 0.0, 400.0), ("tb_v", tb_v, 0.0, 400.0),
              ("incidence_deg", inc, 0.0, 89.5), ("sigma_k", sig, 0.0, np.inf))  # fmt: skip
    for name, arr, low, high in checks:
        _check_range(arr[looks], low, high, name)
    if np.any(sig[looks] <= 0.0):
        raise InputError("sigma must be > 0", variable="sigma_k")
    n_look = tb_h.shape[-1]
    flat = [np.ascontiguousarray(a).reshape(-1, n_look) for a in (tb_h, tb_v, inc, sig)]
    return pixel_shape, flat, np.ascontiguousarray(t_k).ravel()


def retrieve_soil_moisture(
    tb_h: np.ndarray,
    tb_v: np.ndarray,
    incidence_deg: np.ndarray,
    temperature_k: np.ndarray,
    params: LandParams | None = None,
    sigma_k: float | np.ndarray = 2.5,
    *,
    tau_prior: float | np.ndarray = 0.0,
    tau_prior_sigma: float = np.inf,
    tau_max: float = 3.0,
    max_iter: int = 60,
) -> xr.Dataset:
    """Retrieve (SM, tau_nad) per pixel from multi-angular H and V TBs (SMOS L2 style).

    Parameters
    ----------
    tb_h, tb_v
        Observed TBs (K), shape (..., n_looks); NaN marks a missing look.
    incidence_deg
        Incidence of each look (degrees), broadcastable to the TBs.
    temperature_k
        Effective temperature T_soil = T_veg per pixel (K), shape (...) or scalar.
    params
        :class:`fcspace.watercycle.land.LandParams` (clay and porosity scalar or per pixel).
    sigma_k
        1-sigma radiometric noise of each look (K), broadcastable to the TBs.
    tau_prior, tau_prior_sigma
        Optional Gaussian prior on tau_nad (off when ``tau_prior_sigma`` is infinite).
    tau_max
        Upper bound of tau_nad (Np).
    max_iter
        Levenberg-Marquardt iterations at most.

    Returns
    -------
    xarray.Dataset
        Over the pixel dimensions (``pixel`` for 1-D, ``y, x`` for 2-D, ``dim_i`` otherwise):
        ``soil_moisture``, ``tau_nadir``, their 1-sigma ``soil_moisture_sigma``,
        ``tau_nadir_sigma``, ``chi2`` (cost at the minimum), ``n_looks``, ``iterations``,
        ``converged``. Pixels with fewer than 2 valid looks get NaN and converged False.
    """
    params = LandParams() if params is None else params
    params.check()
    pixel_shape, (th, tv, inc, sig), t_k = _pixel_inputs(
        tb_h, tb_v, incidence_deg, temperature_k, sigma_k
    )
    n_pix = t_k.size
    clay = np.broadcast_to(np.asarray(params.clay_fraction, dtype=np.float64), pixel_shape).ravel()
    por = np.broadcast_to(np.asarray(params.porosity, dtype=np.float64), pixel_shape).ravel()
    prior = np.broadcast_to(np.asarray(tau_prior, dtype=np.float64), pixel_shape).ravel()
    valid = ~np.isnan(inc)
    table = reflectivity_table(clay, t_k, inc[valid] if valid.any() else inc, params)
    out = retrieve_pixels(
        th, tv, np.where(valid, inc, 0.0), sig, t_k, np.ascontiguousarray(clay),
        np.ascontiguousarray(por), np.ascontiguousarray(prior), float(tau_prior_sigma),
        float(tau_max), params.vegetation_roughness(), table.origin, table.step, table.values,
        int(max_iter),
    )  # fmt: skip
    return _as_dataset(out, pixel_shape, n_pix)


_OUTPUTS = (
    ("soil_moisture", "m3 m-3", "volume_fraction_of_condensed_water_in_soil"),
    ("tau_nadir", "1", None),
    ("soil_moisture_sigma", "m3 m-3", None),
    ("tau_nadir_sigma", "1", None),
    ("chi2", "1", None),
    ("n_looks", "1", None),
    ("iterations", "1", None),
    ("converged", "1", None),
)


def _as_dataset(out: tuple, pixel_shape: tuple, n_pix: int) -> xr.Dataset:
    """The kernel's flat outputs as a Dataset over the pixel dimensions."""
    if len(pixel_shape) == 1:
        dims: tuple[str, ...] = ("pixel",)
    elif len(pixel_shape) == 2:
        dims = ("y", "x")
    else:
        dims = tuple(f"dim_{i}" for i in range(len(pixel_shape)))
    data = {}
    for (name, units, standard), values in zip(_OUTPUTS, out, strict=True):
        attrs = {"units": units}
        if standard:
            attrs["standard_name"] = standard
        data[name] = (dims, values.reshape(pixel_shape), attrs)
    ds = xr.Dataset(data)
    ds.attrs["method"] = "multi-angular maximum likelihood, Levenberg-Marquardt (Kerr et al. 2012)"
    return ds


def forward_tb_table(
    soil_moisture: np.ndarray,
    tau_nadir: np.ndarray,
    temperature_k: np.ndarray,
    incidence_deg: np.ndarray,
    params: LandParams,
) -> tuple[np.ndarray, np.ndarray]:
    """The model as the retrieval sees it (tabulated reflectivities), for error measurement.

    Parameters
    ----------
    soil_moisture, tau_nadir, temperature_k, incidence_deg, params
        As for :func:`fcspace.watercycle.land.land_tb` (broadcast together).

    Returns
    -------
    tuple of numpy.ndarray
        TB_H, TB_V (K) with r*_H, r*_V interpolated in :func:`reflectivity_table`.
    """
    from fcspace.watercycle.land_kernels import interpolate_reflectivity

    sm, tau, t_k, inc, clay = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64)
          for a in (soil_moisture, tau_nadir, temperature_k, incidence_deg, params.clay_fraction))
    )  # fmt: skip
    table = reflectivity_table(clay, t_k, inc, params)
    rs = interpolate_reflectivity(
        clay.ravel(), t_k.ravel(), sm.ravel(), inc.ravel(), table.origin, table.step, table.values
    )
    r_h, r_v = rs[:, 0].reshape(sm.shape), rs[:, 1].reshape(sm.shape)
    return land_tb_from_reflectivity(r_h, r_v, tau, t_k, inc, params)
