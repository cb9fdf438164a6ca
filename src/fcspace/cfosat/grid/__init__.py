"""L3 gridding of CFOSat SCAT winds and SWIM waves: daily or monthly means on a lat-lon grid.

Method
------
Binning is vectorised: each observation gets a flat index ``pass * n_cells + cell`` (cell from
``floor((lat + 90) / res)`` and ``floor((lon + 180) / res)``), and per-cell counts, sums and
sums of squares come from ``np.bincount`` over those indices (no loop over cells). One file
gives a sparse :class:`Accumulator` (only the cells it touches, per period); accumulators are
*mergeable* (``a + b``: the union of cells, counts and sums added), so files can be binned in
parallel tasks and summed in any order. A :class:`PeriodGrid` holds the dense sums of one
period; it is finalised into an L3 Dataset (mean, sample standard deviation, count) and
dropped, so memory is bounded by the grid size, not by the number of periods: files stream
through (:func:`grid_files`) and periods are flushed as soon as the time-ordered input moves
past them.

Statistics per cell: mean ``S1 / n``; sample variance ``(S2 - S1^2 / n) / (n - 1)`` (ddof = 1,
NaN for n < 2), from float64 sums (the textbook one-pass formula; its cancellation error,
about ``1e-16 S2 / var``, is far below 1e-6 for winds and wave heights; Chan, Golub & LeVeque
1983, *Am. Stat.* 37, 242, discuss the pairwise alternative). Peak directions are axial
(SWIM spectra are 180 deg ambiguous): they are averaged as doubled angles, mean
``atan2(sum sin 2d, sum cos 2d) / 2`` mod 180 and spread ``sqrt(-2 ln R) / 2`` (circular
standard deviation of Mardia & Jupp 2000, *Directional Statistics*, eq. 2.3.11, halved for
doubled angles).

Observations taken: SCAT selected winds (``wind_speed_selection``, ``wind_dir_selection`` in
the "to" convention; ``u = s sin d``, ``v = s cos d``), cells flagged land, ice or inversion
failure dropped; SWIM ``nadir_swh_box``; SWH, peak wavelength and peak direction of the
spectra from ``wave_param_combined`` when the file has it, else ``wave_param`` of the beam
nearest 10 deg. Ascending/descending: SCAT rows by the sign of the along-track latitude
change, SWIM boxes by ``cos(phi_orbit_box) > 0`` (track heading towards north).

Output (:func:`write_l3`): CF-1.8 NetCDF-4, dims ``time`` (period start, ``time_bnds``),
optional ``pass`` (``ascending``, ``descending``), ``lat``, ``lon`` (cell centres, bounds);
:func:`open_l3` opens one or many L3 files lazily (dask arrays).

Modules, one job each: :mod:`~fcspace.cfosat.grid.spec` (grid, periods, quantities),
:mod:`~fcspace.cfosat.grid.accumulate` (sparse and dense sums),
:mod:`~fcspace.cfosat.grid.fields` (L3 variables from the sums),
:mod:`~fcspace.cfosat.grid.observations` (what is taken from an L2 Dataset),
:mod:`~fcspace.cfosat.grid.stream` (files to periods, in time order),
:mod:`~fcspace.cfosat.grid.io` (every file access).
"""

from fcspace.cfosat.grid.accumulate import Accumulator, PeriodGrid
from fcspace.cfosat.grid.io import open_l2, open_l3, start_time, write_l3
from fcspace.cfosat.grid.observations import bin_dataset, observations
from fcspace.cfosat.grid.spec import FAMILIES, PASSES, RESOLUTIONS, GridSpec, Period, period_key
from fcspace.cfosat.grid.stream import bin_file, grid_files

__all__ = [
    "FAMILIES",
    "PASSES",
    "RESOLUTIONS",
    "Accumulator",
    "GridSpec",
    "Period",
    "PeriodGrid",
    "bin_dataset",
    "bin_file",
    "grid_files",
    "observations",
    "open_l2",
    "open_l3",
    "period_key",
    "start_time",
    "write_l3",
]
