r"""Scatterometer wind ambiguity removal: 2DVAR (the deliverable) and two baselines.

The inversion leaves up to four ambiguous wind vectors per wind vector cell (WVC). Ambiguity
removal picks one per cell. The method here is the two-dimensional variational ambiguity
removal (2DVAR) of KNMI, used in the OSI SAF and NWP SAF processors (AWDP, PenWP) and, through
genscat, in the NSOAS CFOSat processor:

- Vogelzang, J. (2007, updated 2009), *Two dimensional variational ambiguity removal
  (2DVAR)*, NWP SAF report NWPSAF-KN-TR-004, KNMI.
- Vogelzang, J., Stoffelen, A., Verhoef, A., de Vries, J. and Bonekamp, H. (2009),
  *Validation of two-dimensional variational ambiguity removal on SeaWinds scatterometer
  data*, J. Atmos. Oceanic Technol. 26(7), 1229-1245.
- Stoffelen, A. and Anderson, D. (1997), *Ambiguity removal and assimilation of scatterometer
  data*, Q. J. R. Meteorol. Soc. 123, 491-518 (the ambiguity-mixture observation cost).
- de Vries, J. and Stoffelen, A. (2000), *2D variational ambiguity removal*, KNMI report.

An analysis increment field is sought on the swath grid that minimises

.. math::

    J(\delta x) = \delta x^T B^{-1} \delta x
                 + \sum_{\text{cells}} J_o,\qquad
    J_o = -2 \ln \sum_i p_i \exp\left(-\tfrac12
          \frac{(u - u_i)^2 + (v - v_i)^2}{\varepsilon_o^2}\right),

with :math:`u, v` the analysis (background plus increment), :math:`(u_i, v_i)` the
ambiguities and :math:`p_i` their a-priori probabilities. The background error covariance
:math:`B` is built from stream function :math:`\psi` and velocity potential :math:`\chi`,

.. math::

    \delta u = -\partial_y \psi + \partial_x \chi, \qquad
    \delta v = \partial_x \psi + \partial_y \chi,

each with a homogeneous Gaussian correlation. As in the KNMI implementation the minimisation
runs in the transformed control space :math:`\delta x = B^{1/2} \xi` (so that
:math:`J_b = \xi^T \xi`), with :math:`B^{1/2}` applied by FFT on a grid padded beyond the
swath so that the periodic transform does not wrap. In each cell the ambiguity closest to the
analysis is then selected (closest in direction, :func:`closest_in_direction`). The
minimisation is repeated with a decreasing observation
error, each pass started from the previous one (deterministic annealing;
:class:`TwoDVarSettings`), which stands in for the multiple solution scheme (MSS) that the
operational processors use but that needs the sigma0 values, not held in an L2B product.

On the real NSOAS orbit 15259 (``benchmarks/scat_ambiguity.py``) the default settings agree
with the operational ``wvc_selection`` in 95.4 % of the cells with two or more ambiguities
(94.9 / 95.9 / 95.8 % with 2 / 3 / 4 ambiguities; nearest-to-background 85.1 %, 7x7 vector
median filter 86.7 %), every annealing pass converged (``benchmarks/scat_orbit.py``);
nearly all remaining differences are between ambiguities less than 20 degrees apart. The
annealing schedule and the selection speed weight were chosen on that orbit (one real orbit
is all we hold); with each pass stopped at 80 iterations instead of converged, the same
settings gave 95.3 %.

Two baselines are provided for comparison: :func:`nearest_to_background` and
:func:`vector_median_filter` (Shaffer et al. 1991).

Modules: the 2DVAR analysis (cost, gradient, :math:`B^{1/2}`, minimiser) is in
:mod:`fcspace.cfosat.scat.twodvar`, the selection rules, probabilities and baselines in
:mod:`fcspace.cfosat.scat.selection`; this module joins them into :func:`remove_ambiguities`
and re-exports their public names.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy import ndimage

from fcspace.cfosat.scat.selection import (
    ambiguity_components,
    ambiguity_probabilities,
    background_components,
    closest_in_direction,
    nearest_to_background,
    selection_agreement,
    vector_median_filter,
    with_selection,
)
from fcspace.cfosat.scat.twodvar import (
    TwoDVarResult,
    TwoDVarSettings,
    two_dvar_analysis,
    two_dvar_solve,
)

__all__ = [
    "TwoDVarResult",
    "TwoDVarSettings",
    "ambiguity_probabilities",
    "closest_in_direction",
    "nearest_to_background",
    "remove_ambiguities",
    "remove_ambiguities_with_report",
    "selection_agreement",
    "two_dvar_analysis",
    "two_dvar_solve",
    "vector_median_filter",
]


def _filled_background(
    ub: NDArray, vb: NDArray, ua: NDArray, va: NDArray, prob: NDArray
) -> tuple[NDArray, NDArray]:
    """Background with its gaps filled.

    A gap takes the background of the nearest cell that has one; without any background
    in the Dataset, the most likely ambiguity (0 where there is none).
    """
    gap = ~(np.isfinite(ub) & np.isfinite(vb))
    if not gap.all():
        idx = ndimage.distance_transform_edt(gap, return_distances=False, return_indices=True)
        return ub[tuple(idx)], vb[tuple(idx)]
    best = np.argmax(np.where(np.isfinite(ua), prob, -1.0), axis=-1)[..., None]
    fu = np.nan_to_num(np.take_along_axis(ua, best, -1)[..., 0], nan=0.0)
    fv = np.nan_to_num(np.take_along_axis(va, best, -1)[..., 0], nan=0.0)
    return fu, fv


def remove_ambiguities(ds: xr.Dataset, settings: TwoDVarSettings | None = None) -> xr.Dataset:
    """Select one ambiguity per wind vector cell by 2DVAR (KNMI method).

    Builds the 2DVAR analysis (:func:`two_dvar_solve`; Vogelzang 2007, NWPSAF-KN-TR-004;
    Vogelzang et al. 2009, JAOT 26, 1229) from the ambiguities (``wind_speed``, ``wind_dir``,
    ``num_ambigs``), their probabilities (``ambiguity_prob``, else from
    ``max_likelihood_est`` by :func:`ambiguity_probabilities`) and the NWP background
    (``model_speed``, ``model_dir``), then selects in each cell the ambiguity closest to the
    analysis. Cells without background take the most likely ambiguity as their background.

    Parameters
    ----------
    ds
        L2B Dataset (dims numrows, numcells, numambigs; docs/scat_layout.md). Directions are
        oceanographic "to" directions in degrees.
    settings
        Error model and minimisation parameters (:class:`TwoDVarSettings`).

    Returns
    -------
    xarray.Dataset
        ``ds`` with ``wvc_selection`` (1-based, 0 where the cell has no ambiguity),
        ``wind_speed_selection`` and ``wind_dir_selection`` recomputed.
    """
    return remove_ambiguities_with_report(ds, settings)[0]


def remove_ambiguities_with_report(
    ds: xr.Dataset, settings: TwoDVarSettings | None = None
) -> tuple[xr.Dataset, dict[str, Any]]:
    """:func:`remove_ambiguities`, and the 2DVAR convergence report.

    Returns
    -------
    xarray.Dataset
        As :func:`remove_ambiguities`.
    dict
        :meth:`TwoDVarResult.report`: per annealing pass the observation error, iterations,
        cost before and after and whether it converged; total iterations.
    """
    s = settings or TwoDVarSettings()
    ua, va, valid = ambiguity_components(ds)
    prob = ambiguity_probabilities(ds, s.probability_scale)
    ub, vb = _filled_background(*background_components(ds), ua, va, prob)
    res = two_dvar_solve(ua, va, prob, ub, vb, s)
    sel = closest_in_direction(res.u, res.v, ua, va, valid, s.selection_speed_weight)
    return with_selection(ds, sel, "2DVAR"), res.report()
