r"""Maximum-likelihood wind retrieval per wind vector cell (WVC): L1B sigma0 -> L2B ambiguities.

The retrieval follows the KNMI / SeaWinds approach. For each WVC with N valid views
(sigma0_i, Kp_i, azimuth_i, incidence_i, polarisation_i) the maximum-likelihood estimator

.. math::

    \mathrm{MLE}(v, \varphi) = \frac{1}{N} \sum_{i=1}^{N}
        \frac{(\sigma^0_i - \sigma^0_{\mathrm{GMF}}(v, \varphi - a_i + 180, \theta_i))^2}
             {(K_{p,i}\, \sigma^0_{\mathrm{GMF}})^2}

is minimised over wind speed v and direction phi (Chi & Li 1988, IEEE TGRS 26(2); Pierson
1989, JGR 94(C4), 4659-4672; Stoffelen & Portabella 2006, IEEE TGRS 44(4), 1094-1110, eq. 1).
The variance uses Kp on the *model* sigma0 (the noise belongs to the true, i.e. modelled,
backscatter; Pierson 1989), which keeps the MLE finite for zero or negative measured sigma0.

Search (Numba kernels in :mod:`fcspace.cfosat.scat.mle_kernels`, vectorised over every WVC of
a chunk of rows, no Python loop over cells):

1. a coarse scan in speed at direction 0, then for every direction of a 2.5-degree grid the
   speed that minimises the MLE, by Gauss-Newton steps on the residuals
   ``r_i = sigma0_i / sigma0_GMF - 1`` (continuation: converged at direction 0, then one
   step per direction from its neighbour's speed, the cost predicted by the local quadratic
   model; the table is laid out so that this sweep reads contiguous memory);
2. the cyclic local minima of that speed-minimised MLE in direction, at most 4, lowest first;
3. each minimum refined by two parabolic steps in direction (3-point vertex, 2.5 then 0.5
   degrees), the speed re-minimised at each trial direction;
4. ambiguity probabilities ``p_i = exp(-MLE_i / 2) / sum_j exp(-MLE_j / 2)`` (Stoffelen &
   Portabella 2006, sect. II; Portabella & Stoffelen 2004, QJRMS 130);
5. the normalised MLE ``Rn = MLE_1 / <MLE>`` (Portabella & Stoffelen 2001, JAOT 18(7),
   1100-1117) with the theoretical expectation for Gaussian noise of the given Kp: at the
   minimum, ``N * MLE`` follows a chi-square law with ``N - 2`` degrees of freedom (two wind
   components fitted), so ``<MLE> = (N - 2) / N``; Rn is NaN for N <= 2. Cells with
   ``Rn > rn_threshold`` are flagged inconsistent (rain, sea ice, land, wrong Kp).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.cfosat.scat import gmf
from fcspace.cfosat.scat.mle_kernels import SCAN_SPEEDS, invert_cells
from fcspace.cfosat.scat.product_specs import LAND_FRACTION_LIMIT, QUALITY_LAND
from fcspace.core.errors import InputError

NUM_AMBIGS = 4

#: wvc_quality bits, on the NSOAS/KNMI L2B bit layout so that users' flag readers work on
#: fcspace products (meanings: the NSOAS ``wvc_quality`` comment). A KNMI QC rejection sets
#: 64 + 512 + 131072 together, as in the operational NSOAS product (measured on orbit 15259).
QUAL_NO_RETRIEVAL = 8192  # "Wind inversion" (failed)
QUAL_MLE_INCONSISTENT = 64 | 512 | 131072  # distance too large, rain detected, KNMI QC
QUAL_FEW_VIEWS = 2097152  # "Poor azimuth diversity": fewer than 4 usable views
QUAL_SMALL_WIND = 2048  # "Small wind": below SMALL_WIND_SPEED (or at the table floor)
QUAL_LARGE_WIND = 4096  # "Large wind": at the top of the GMF table
QUAL_LAND = QUALITY_LAND  # "Land": the L1B ``land_fraction`` exceeds LAND_FRACTION_LIMIT
#: m/s; the NSOAS product sets "small wind" for selected speeds <= 3 m/s (measured, orbit 15259)
SMALL_WIND_SPEED = 3.0

_L1B_VARS = ("sigma0", "kp", "azimuth", "incidence", "polarisation")
_PASS_THROUGH = ("wvc_lat", "wvc_lon", "row_time", "model_speed", "model_dir", "land_fraction")


# --------------------------------------------------------------------------- NumPy side
def _tables(model: str) -> tuple[NDArray[np.float32], NDArray[np.float64], tuple[str, ...]]:
    """Flat stacked tables in kernel layout (pol, speed, incidence, rel_dir) and the grid vector.

    ``grid = [speed0, dspeed, speed_max, drel_dir, n_speed, n_rel_dir, n_incidence,
    incidence0, dincidence, incidence_max]`` (the kernels use the first seven).
    """
    pols = gmf.MODELS[model.lower()]
    tabs = [gmf.load_table(model, p) for p in pols]
    t = tabs[0]
    grid = np.array(
        [t.speed0, t.dspeed, t.speed_max, t.drel_dir, *t.values.shape,
         t.incidence0, t.dincidence, t.incidence_max]
    )  # fmt: skip
    # kernel layout (pol, speed, incidence, rel_dir): a sweep in direction reads contiguous memory
    return np.stack([x.values.transpose(0, 2, 1) for x in tabs]).ravel(), grid, pols


def _views(chunk: dict[str, NDArray], grid: NDArray, npol: int) -> tuple[NDArray, ...]:
    """Kernel inputs for a chunk (cells flattened): vw (cell, 4, view), ix (cell, view), counts.

    Valid views come first in each cell (stable order); see the kernel comment for the rows.
    """
    s, kp, az, inc = (chunk[k].reshape(-1, chunk[k].shape[-1]) for k in _L1B_VARS[:4])
    pol = chunk["polarisation"].reshape(s.shape)
    with np.errstate(invalid="ignore"):
        ok = (
            np.isfinite(s) & np.isfinite(az) & (kp > 0) & np.isfinite(kp)
            & (inc >= grid[7]) & (inc <= grid[9]) & (pol >= 0) & (pol < npol)
        )  # fmt: skip
    order = np.argsort(~ok, axis=1, kind="stable")
    ok = np.take_along_axis(ok, order, axis=1)

    def take(x: NDArray, fill: float = 0.0) -> NDArray:
        return np.where(ok, np.take_along_axis(x, order, axis=1), fill)

    f = (take(inc, grid[7]) - grid[7]) / grid[8]
    k = np.clip(np.floor(f), 0, grid[6] - 2).astype(np.int64)
    ns, nd, ni = (int(x) for x in grid[4:7])
    vw = np.stack([take(s), take(kp, 1.0) ** -2, take(az) % 360.0, f - k], axis=1)
    ix = take(pol, 0).astype(np.int64) * (ns * nd * ni) + k * nd
    return vw, ix, ok.sum(axis=1).astype(np.int64)


def _check_input(l1b: xr.Dataset) -> None:
    for name in (*_L1B_VARS, "wvc_lat", "wvc_lon"):
        if name not in l1b:
            raise InputError("required L1B variable is missing (see docs/scat_layout.md)",
                             variable=name)  # fmt: skip
    if l1b["sigma0"].ndim != 3:
        raise InputError("expected dims (numrows, numcells, numviews)", variable="sigma0")
    if not bool(l1b["sigma0"].notnull().any()):
        raise InputError("sigma0 is NaN everywhere: no view to invert", variable="sigma0")


def _invert_chunk(
    l1b: xr.Dataset, rows: slice, tab: NDArray, grid: NDArray, min_views: int
) -> tuple[NDArray, ...]:
    chunk = {k: np.asarray(l1b[k][rows].values, dtype=float) for k in _L1B_VARS}
    vw, ix, nv = _views(chunk, grid, round(tab.size / np.prod(grid[4:7])))
    ncell = nv.size
    out_v = np.full((ncell, NUM_AMBIGS), np.nan)
    out_d = np.full((ncell, NUM_AMBIGS), np.nan)
    out_f = np.full((ncell, NUM_AMBIGS), np.nan)
    out_n = np.zeros(ncell, np.int64)
    invert_cells(tab, grid, SCAN_SPEEDS, vw, ix, nv, min_views, out_v, out_d, out_f, out_n)
    return out_v, out_d, out_f, out_n, nv


def ambiguity_probability(mle: ArrayLike) -> NDArray[np.float64]:
    """Probabilities ``p_i = exp(-MLE_i/2) / sum_j exp(-MLE_j/2)`` along the last axis.

    Stoffelen & Portabella (2006), IEEE TGRS 44(4), sect. II: the posterior probability of
    each ambiguity given the measurements, for Gaussian noise. NaN ambiguities get NaN;
    a cell with no ambiguity gets NaN everywhere.
    """
    f = np.asarray(mle, dtype=float)
    fmin = np.nanmin(np.where(np.isnan(f), np.inf, f), axis=-1, keepdims=True)
    with np.errstate(invalid="ignore"):
        e = np.where(np.isnan(f), 0.0, np.exp(-0.5 * (f - fmin)))
        tot = e.sum(axis=-1, keepdims=True)
        return np.where(np.isnan(f) | (tot == 0), np.nan, e / np.where(tot > 0, tot, 1.0))


def normalised_mle(mle_min: ArrayLike, num_views: ArrayLike) -> NDArray[np.float64]:
    """Normalised MLE ``Rn = MLE_min / <MLE>`` with ``<MLE> = (N - 2) / N`` (NaN for N <= 2).

    Portabella & Stoffelen (2001), JAOT 18(7): Rn near 1 for a consistent cell, large for
    rain or other geophysical noise. The expectation is the theoretical one: N * MLE_min is
    chi-square with N - 2 degrees of freedom for Gaussian noise of the stated Kp.
    """
    n = np.asarray(num_views, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        expect = np.where(n > 2, (n - 2.0) / n, np.nan)
        return np.asarray(mle_min, dtype=float) / expect


def _quality(nambig: NDArray, nviews: NDArray, rn: NDArray, speed1: NDArray,
             rn_threshold: float, grid: NDArray) -> NDArray[np.int16]:  # fmt: skip
    q = np.where(nambig == 0, QUAL_NO_RETRIEVAL, 0)
    with np.errstate(invalid="ignore"):
        q |= np.where(rn > rn_threshold, QUAL_MLE_INCONSISTENT, 0)
        q |= np.where((nviews > 0) & (nviews < 4), QUAL_FEW_VIEWS, 0)
        q |= np.where(speed1 <= max(SMALL_WIND_SPEED, grid[0] + 1e-6), QUAL_SMALL_WIND, 0)
        q |= np.where(speed1 >= grid[2] - 1e-6, QUAL_LARGE_WIND, 0)
    return q.astype(np.int32)


_ATTRS: dict[str, dict[str, Any]] = {
    "wind_speed": {"units": "m s-1", "standard_name": "wind_speed",
                   "long_name": "wind speed of each ambiguity"},
    "wind_dir": {"units": "degree", "standard_name": "wind_to_direction",
                 "long_name": "wind direction (to) of each ambiguity, clockwise from north"},
    "max_likelihood_est": {"units": "1", "long_name": "MLE per view of each ambiguity"},
    "ambiguity_prob": {"units": "1", "long_name": "probability of each ambiguity"},
    "num_ambigs": {"units": "1", "long_name": "number of ambiguities"},
    "normalised_mle": {"units": "1",
                       "long_name": "MLE of the first ambiguity over its expectation"},
    "num_views": {"units": "1", "long_name": "number of valid views used"},
    "wvc_selection": {"units": "1", "long_name": "selected ambiguity (1-based, 0: none)"},
    "wind_speed_selection": {"units": "m s-1", "standard_name": "wind_speed"},
    "wind_dir_selection": {"units": "degree", "standard_name": "wind_to_direction"},
    "wvc_quality": {
        "units": "1", "long_name": "quality flag of wind vector cell",
        "flag_masks": np.array([64, 512, 2048, 4096, 8192, 32768, 131072, 2097152], np.int32),
        "flag_meanings": "distance_too_large rain_detected small_wind large_wind "
                         "inversion_failed land knmi_qc_rejected poor_azimuth_diversity",
    },
}  # fmt: skip


def _assemble(l1b: xr.Dataset, res: dict[str, NDArray], rn_threshold: float,
              grid: NDArray) -> xr.Dataset:  # fmt: skip
    amb = ("numrows", "numcells", "numambigs")
    cell = ("numrows", "numcells")
    rn = normalised_mle(res["mle"][..., 0], res["nv"])
    has = res["n"] > 0
    data = {
        "wind_speed": (amb, res["v"]),
        "wind_dir": (amb, res["d"]),
        "max_likelihood_est": (amb, res["mle"]),
        "ambiguity_prob": (amb, ambiguity_probability(res["mle"])),
        "num_ambigs": (cell, res["n"].astype(np.int8)),
        "normalised_mle": (cell, rn),
        "num_views": (cell, res["nv"].astype(np.int16)),
        "wvc_quality": (cell, _quality(res["n"], res["nv"], rn, res["v"][..., 0],
                                       rn_threshold, grid)),  # fmt: skip
        "wvc_selection": (cell, has.astype(np.int8)),
        "wind_speed_selection": (cell, res["v"][..., 0].copy()),
        "wind_dir_selection": (cell, res["d"][..., 0].copy()),
    }
    if "land_fraction" in l1b:
        land = np.asarray(l1b["land_fraction"].values, dtype=float) > LAND_FRACTION_LIMIT
        data["wvc_quality"] = (cell, data["wvc_quality"][1] | np.where(land, QUAL_LAND, 0))
    out = xr.Dataset({k: xr.Variable(dims, val, _ATTRS.get(k, {})) for k, (dims, val) in
                      data.items()})  # fmt: skip
    keep: list[Hashable] = [k for k in l1b.data_vars if k in _PASS_THROUGH
                            or str(k).startswith("truth_")]  # fmt: skip
    return out.assign({k: l1b[k] for k in keep})


def invert(
    l1b: xr.Dataset,
    chunk_rows: int = 64,
    model: str = "nscat4ds",
    min_views: int = 2,
    rn_threshold: float = 3.0,
) -> xr.Dataset:
    """Retrieve up to 4 wind ambiguities per WVC by maximum likelihood (L1B -> L2B layout).

    Parameters
    ----------
    l1b
        L1B Dataset per ``docs/scat_layout.md`` (``sigma0``, ``kp``, ``azimuth``,
        ``incidence``, ``polarisation`` on (numrows, numcells, numviews), ``wvc_lat``,
        ``wvc_lon``; optional ``row_time``, ``model_*``, ``truth_*`` are copied through).
        Views with NaN sigma0/azimuth, non-positive Kp, incidence outside the GMF table or
        a polarisation the model lacks are ignored.
    chunk_rows
        Rows inverted at a time (bounds the temporary memory to a few arrays of
        ``chunk_rows * numcells * numviews``).
    model
        GMF model: ``"nscat4ds"`` (VV and HH) or ``"cmod7"`` (VV only).
    min_views
        Cells with fewer valid views get no ambiguity (``num_ambigs = 0``); at least 2.
    rn_threshold
        Cells whose normalised MLE exceeds it get the ``mle_inconsistent`` quality bit.

    Returns
    -------
    xarray.Dataset
        L2B layout: ``wind_speed``, ``wind_dir`` (to-direction, degrees),
        ``max_likelihood_est`` (MLE per view), ``ambiguity_prob`` on (numrows, numcells,
        numambigs=4), sorted by increasing MLE and NaN where absent; ``num_ambigs``,
        ``normalised_mle``, ``num_views``, ``wvc_quality``, ``wvc_selection`` (1: the most
        likely, 0: none), ``wind_speed_selection``, ``wind_dir_selection``; pass-through
        variables.

    Raises
    ------
    InputError
        A required variable is missing or ``sigma0`` is NaN everywhere.

    Notes
    -----
    MLE of Stoffelen & Portabella (2006, IEEE TGRS 44(4), eq. 1) with Kp on the model
    sigma0 (Pierson 1989, JGR 94(C4)); probabilities and normalised MLE as in
    :func:`ambiguity_probability` and :func:`normalised_mle` (Portabella & Stoffelen 2001,
    JAOT 18(7)). Search algorithm: see the module docstring.
    """
    _check_input(l1b)
    tab, grid, _ = _tables(model)
    nrow, ncell = l1b["sigma0"].shape[:2]
    parts = [
        _invert_chunk(l1b, slice(r, r + chunk_rows), tab, grid, max(int(min_views), 2))
        for r in range(0, nrow, max(int(chunk_rows), 1))
    ]
    cat = [np.concatenate([p[i] for p in parts]) for i in range(5)]
    res = {
        "v": cat[0].reshape(nrow, ncell, NUM_AMBIGS),
        "d": cat[1].reshape(nrow, ncell, NUM_AMBIGS),
        "mle": cat[2].reshape(nrow, ncell, NUM_AMBIGS),
        "n": cat[3].reshape(nrow, ncell),
        "nv": cat[4].reshape(nrow, ncell),
    }
    return _assemble(l1b, res, rn_threshold, grid)


def mle_at(
    l1b: xr.Dataset, speed: ArrayLike, wind_dir: ArrayLike, model: str = "nscat4ds"
) -> NDArray[np.float64]:
    """MLE per view (same definition as :func:`invert`) of given winds, per cell.

    ``speed`` and ``wind_dir`` (to-direction, degrees) broadcast against (numrows, numcells).
    Views that :func:`invert` would ignore are ignored; NaN where no view is valid.
    """
    tab, grid, pols = _tables(model)
    chunk = {k: np.asarray(l1b[k].values, dtype=float) for k in _L1B_VARS}
    v = np.asarray(speed, dtype=float)[..., None]
    rel = np.asarray(wind_dir, dtype=float)[..., None] - chunk["azimuth"] + 180.0
    with np.errstate(invalid="ignore"):
        inc = chunk["incidence"]
        ok = (inc >= grid[7]) & (inc <= grid[9]) & (chunk["kp"] > 0)
    inc = np.where(ok, chunk["incidence"], np.nan)
    model_s = np.full(np.broadcast_shapes(v.shape, inc.shape), np.nan)
    for p, name in enumerate(pols):
        sel = chunk["polarisation"] == p
        model_s = np.where(sel, gmf.sigma0(v, rel, inc, pol=name, model=model), model_s)
    terms = ((chunk["sigma0"] - model_s) / (chunk["kp"] * model_s)) ** 2
    with np.errstate(invalid="ignore"):
        n = np.isfinite(terms).sum(axis=-1)
        return np.where(n > 0, np.nansum(terms, axis=-1) / np.maximum(n, 1), np.nan)
