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
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import dask
import numpy as np
import xarray as xr

from fcspace.core.errors import ConfigError, InputError
from fcspace.core.products import add_history, atomic_path, cf_global_attrs

__all__ = [
    "FAMILIES",
    "PASSES",
    "RESOLUTIONS",
    "Accumulator",
    "GridSpec",
    "PeriodGrid",
    "bin_dataset",
    "bin_file",
    "start_time",
    "grid_files",
    "open_l3",
    "period_key",
    "write_l3",
]

#: Grid resolutions offered to users (degrees).
RESOLUTIONS = (0.25, 0.5, 1.0)
PASSES = ("ascending", "descending")
Period = Literal["daily", "monthly"]
_PERIOD_UNIT = {"daily": "D", "monthly": "M"}

#: Families of quantities that share one count, and their plain (linear) variables.
#: The ``spectra`` family also carries the axial peak direction.
FAMILIES: dict[str, tuple[str, ...]] = {
    "wind": ("wind_speed", "eastward_wind", "northward_wind"),
    "nadir": ("nadir_swh",),
    "spectra": ("swh", "peak_wavelength"),
}
_COUNT_NAME = {"wind": "wind_count", "nadir": "nadir_swh_count", "spectra": "spectra_count"}
_AXIAL = "peak_direction"

#: CF attributes of the L3 variables (standard_name, units, long_name).
_CF: dict[str, tuple[str | None, str, str]] = {
    "wind_speed": ("wind_speed", "m s-1", "mean 10 m wind speed (SCAT selected winds)"),
    "eastward_wind": ("eastward_wind", "m s-1", "mean eastward 10 m wind component"),
    "northward_wind": ("northward_wind", "m s-1", "mean northward 10 m wind component"),
    "nadir_swh": ("sea_surface_wave_significant_height", "m", "mean SWIM nadir SWH"),
    "swh": ("sea_surface_wave_significant_height", "m", "mean SWH of the SWIM spectra"),
    "peak_wavelength": (None, "m", "mean peak wavelength of the SWIM spectra"),
    _AXIAL: (None, "degree", "mean peak direction of the SWIM spectra (axial, modulo 180)"),
}


# ------------------------------------------------------------------------------------ grid


@dataclass(frozen=True)
class GridSpec:
    """A regular global latitude-longitude grid of ``res`` degrees.

    Cells are ``[-90 + i res, -90 + (i + 1) res)`` x ``[-180 + j res, ...)``; the flat cell
    number is ``i * nlon + j``. ``res`` must divide 180.
    """

    res: float

    def __post_init__(self) -> None:
        """Refuse a resolution that does not tile the globe."""
        n = 180.0 / self.res if self.res > 0 else 0.5
        if self.res <= 0 or abs(n - round(n)) > 1e-9:
            raise ConfigError(f"grid resolution {self.res} deg must be > 0 and divide 180")

    @property
    def nlat(self) -> int:
        """Number of latitude bands."""
        return int(round(180.0 / self.res))

    @property
    def nlon(self) -> int:
        """Number of longitude bands."""
        return 2 * self.nlat

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.nlat * self.nlon

    @property
    def lat(self) -> np.ndarray:
        """Cell-centre latitudes (degrees north)."""
        return -90.0 + self.res * (np.arange(self.nlat) + 0.5)

    @property
    def lon(self) -> np.ndarray:
        """Cell-centre longitudes (degrees east, -180..180)."""
        return -180.0 + self.res * (np.arange(self.nlon) + 0.5)

    def cell_index(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Flat cell number of each point; -1 where lat/lon is not finite or |lat| > 90."""
        lat, lon = np.asarray(lat, float), np.asarray(lon, float)
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0)
        i = np.clip(np.floor((np.where(ok, lat, 0.0) + 90.0) / self.res), 0, self.nlat - 1)
        j = np.floor(((np.where(ok, lon, 0.0) + 180.0) % 360.0) / self.res) % self.nlon
        return np.where(ok, i.astype(np.int64) * self.nlon + j.astype(np.int64), -1)


def period_key(time: np.ndarray, period: Period) -> np.ndarray:
    """Start of the period (``datetime64[D]`` or ``[M]``) of each time; NaT stays NaT."""
    if period not in _PERIOD_UNIT:
        raise ConfigError(f"period must be 'daily' or 'monthly', not {period!r}")
    return np.asarray(time, dtype="datetime64[ns]").astype(f"datetime64[{_PERIOD_UNIT[period]}]")


# ------------------------------------------------------------------------------------ accumulators


def _stat_names(family: str) -> list[str]:
    """Sum arrays of a family: ``sum:x``, ``sumsq:x`` per variable (+ axial cos/sin sums)."""
    names = [f"{kind}:{v}" for v in FAMILIES[family] for kind in ("sum", "sumsq")]
    if family == "spectra":
        names += [f"cos2:{_AXIAL}", f"sin2:{_AXIAL}"]
    return names


@dataclass
class Accumulator:
    """Sparse per-cell sums of one family for one period (mergeable, order-independent).

    Attributes
    ----------
    family
        ``wind``, ``nadir`` or ``spectra`` (:data:`FAMILIES`).
    cells
        Sorted unique flat indices ``pass * n_cells + cell`` that received observations.
    count
        Observations per listed cell (int64).
    sums
        ``sum:<var>``, ``sumsq:<var>`` (and for spectra ``cos2:``/``sin2:peak_direction``),
        float64 arrays aligned with ``cells``.
    """

    family: str
    cells: np.ndarray
    count: np.ndarray
    sums: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_observations(
        cls, family: str, flat: np.ndarray, values: dict[str, np.ndarray]
    ) -> Accumulator:
        """Bin observations (flat indices, values per variable) with ``np.bincount``."""
        cells, inverse = np.unique(flat, return_inverse=True)
        n = cells.size
        sums = {}
        for name in _stat_names(family):
            kind, var = name.split(":")
            x = np.asarray(values[var], dtype=np.float64)
            if kind == "sumsq":
                x = x * x
            elif kind in ("cos2", "sin2"):
                x = (np.cos if kind == "cos2" else np.sin)(np.radians(2.0 * x))
            sums[name] = np.bincount(inverse, weights=x, minlength=n)
        return cls(family, cells, np.bincount(inverse, minlength=n).astype(np.int64), sums)

    def __add__(self, other: Accumulator) -> Accumulator:
        """Merge two accumulators of the same family (union of cells, sums added)."""
        if other.family != self.family:
            raise ConfigError(f"cannot merge {self.family} with {other.family} accumulators")
        cells, inverse = np.unique(np.concatenate([self.cells, other.cells]), return_inverse=True)
        n = cells.size

        def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.bincount(inverse, weights=np.concatenate([a, b]), minlength=n)

        count = add(self.count, other.count).round().astype(np.int64)
        sums = {k: add(v, other.sums[k]) for k, v in self.sums.items()}
        return Accumulator(self.family, cells, count, sums)


@dataclass
class PeriodGrid:
    """Dense sums of every family over one period (the accumulator that L3 is made from).

    ``n_pass`` is 2 when ascending and descending passes are kept apart, else 1. Memory:
    ``n_pass x n_cells`` x (3 counts + 14 float64 sums), e.g. 67 MB at 0.5 deg with passes.
    """

    grid: GridSpec
    start: np.datetime64
    period: Period
    n_pass: int = 1
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    sums: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, acc: Accumulator) -> None:
        """Add a sparse accumulator (its cells are unique, so fancy-index addition is exact)."""
        size = self.n_pass * self.grid.n_cells
        if acc.cells.size and acc.cells.max() >= size:
            raise ConfigError("accumulator was binned with another grid or pass setting")
        if acc.family not in self.counts:
            self.counts[acc.family] = np.zeros(size, np.int64)
            for name in _stat_names(acc.family):
                self.sums[name] = np.zeros(size, np.float64)
        self.counts[acc.family][acc.cells] += acc.count
        for name, values in acc.sums.items():
            self.sums[name][acc.cells] += values

    @property
    def end(self) -> np.datetime64:
        """End of the period (exclusive)."""
        unit = _PERIOD_UNIT[self.period]
        return np.datetime64(self.start, unit) + np.timedelta64(1, unit)

    def to_dataset(self) -> xr.Dataset:
        """The L3 Dataset of the period: means, standard deviations and counts per cell."""
        variables: dict[str, xr.DataArray] = {}
        for family, count in self.counts.items():
            variables.update(_family_fields(family, count, self.sums))
        shape = (1, self.n_pass, self.grid.nlat, self.grid.nlon)
        dims = ("time", "pass", "lat", "lon")
        data = {
            k: xr.DataArray(v.reshape(shape), dims=dims, attrs=a) for k, (v, a) in variables.items()
        }
        ds = xr.Dataset(data, coords=_coords(self.grid, self.start, self.end, self.n_pass))
        return ds if self.n_pass == 2 else ds.isel({"pass": 0}, drop=True)


def _mean_std(n: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample standard deviation (ddof = 1) from count, sum and sum of squares."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s1 / n, np.nan)
        var = np.where(n > 1, (s2 - s1 * s1 / np.maximum(n, 1)) / (n - 1), np.nan)
    return mean, np.sqrt(np.maximum(var, 0.0))


def _family_fields(
    family: str, count: np.ndarray, sums: dict[str, np.ndarray]
) -> dict[str, tuple[np.ndarray, dict[str, Any]]]:
    """L3 arrays of one family: ``<var>``, ``<var>_std`` per variable and the count."""
    out = {}
    for var in FAMILIES[family]:
        mean, std = _mean_std(count, sums[f"sum:{var}"], sums[f"sumsq:{var}"])
        out[var] = (mean.astype(np.float32), _attrs(var, "mean"))
        out[f"{var}_std"] = (std.astype(np.float32), _attrs(var, "standard_deviation"))
    if family == "spectra":
        c, s = sums[f"cos2:{_AXIAL}"], sums[f"sin2:{_AXIAL}"]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(count > 0, np.hypot(c, s) / np.maximum(count, 1), np.nan)
            mean = np.where(count > 0, np.degrees(np.arctan2(s, c)) / 2.0 % 180.0, np.nan)
            spread = np.degrees(np.sqrt(-2.0 * np.log(np.clip(r, 1e-12, 1.0)))) / 2.0
        out[_AXIAL] = (mean.astype(np.float32), _attrs(_AXIAL, "mean"))
        out[f"{_AXIAL}_std"] = (
            np.where(count > 1, spread, np.nan).astype(np.float32),
            _attrs(_AXIAL, "standard_deviation"),
        )
    cname = _COUNT_NAME[family]
    out[cname] = (
        count.astype(np.int32),
        {
            "long_name": f"number of observations ({family})",
            "units": "1",
            "standard_name": "number_of_observations",
        },
    )
    return out


def _attrs(var: str, method: str) -> dict[str, Any]:
    standard, units, long_name = _CF[var]
    attrs: dict[str, Any] = {"units": units, "cell_methods": f"time: {method} area: {method}"}
    if method == "mean":
        attrs["long_name"] = long_name
        if standard:
            attrs["standard_name"] = standard
    else:
        attrs["long_name"] = f"sample standard deviation (ddof=1) of {var} in the cell"
    if var == _AXIAL:
        attrs["comment"] = (
            "axial mean of doubled angles (SWIM spectra are 180 degree ambiguous), clockwise "
            "from north; std is the circular standard deviation (Mardia & Jupp 2000)"
        )
    return attrs


def _coords(grid: GridSpec, start: np.datetime64, end: np.datetime64, n_pass: int) -> dict:
    r = grid.res
    coords = {
        "time": (
            "time",
            [np.datetime64(start, "ns")],
            {"standard_name": "time", "long_name": "start of the period", "bounds": "time_bnds"},
        ),
        "time_bnds": (("time", "nv"), np.array([[start, end]], dtype="datetime64[ns]")),
        "lat": (
            "lat",
            grid.lat,
            {
                "standard_name": "latitude",
                "units": "degrees_north",
                "bounds": "lat_bnds",
                "axis": "Y",
            },
        ),
        "lon": (
            "lon",
            grid.lon,
            {
                "standard_name": "longitude",
                "units": "degrees_east",
                "bounds": "lon_bnds",
                "axis": "X",
            },
        ),
        "lat_bnds": (("lat", "nv"), np.stack([grid.lat - r / 2, grid.lat + r / 2], -1)),
        "lon_bnds": (("lon", "nv"), np.stack([grid.lon - r / 2, grid.lon + r / 2], -1)),
    }
    if n_pass == 2:
        coords["pass"] = ("pass", np.array(PASSES), {"long_name": "satellite pass direction"})
    return coords


# ------------------------------------------------------------------------------------ observations


def _scat_observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """Selected winds of an L2B Dataset, one value per wind vector cell."""
    speed = np.asarray(ds["wind_speed_selection"].values, float)
    direc = np.radians(np.asarray(ds["wind_dir_selection"].values, float))
    lat = np.asarray(ds["wvc_lat"].values, float)
    centre = np.nanmean(np.where(np.isfinite(lat), lat, np.nan), axis=1) if lat.size else lat
    ascending = np.gradient(np.nan_to_num(centre)) >= 0 if centre.size > 1 else np.ones(1, bool)
    ok = np.isfinite(speed) & np.isfinite(direc)
    for flag in ("flag_land", "flag_ice", "flag_inversion_failed"):
        if flag in ds:
            ok &= ~np.asarray(ds[flag].values, bool)
    values = {
        "lat": lat,
        "lon": np.asarray(ds["wvc_lon"].values, float),
        "time": np.broadcast_to(ds["row_time"].values[:, None], lat.shape),
        "ascending": np.broadcast_to(ascending[:, None], lat.shape),
        "wind_speed": speed,
        "eastward_wind": speed * np.sin(direc),
        "northward_wind": speed * np.cos(direc),
    }
    yield "wind", {k: v[ok] for k, v in values.items()}


def _swim_ascending(ds: xr.Dataset) -> np.ndarray:
    if "phi_orbit_box" in ds:
        return np.cos(np.radians(np.asarray(ds["phi_orbit_box"].values, float))) >= 0
    return np.gradient(np.nan_to_num(np.asarray(ds["lat_nadir_l2"].values, float))) >= 0


def _wave_param(ds: xr.Dataset) -> xr.DataArray:
    """(nparam, n_posneg, n_box): combined parameters, else the beam nearest 10 degrees."""
    if "wave_param_combined" in ds:
        return ds["wave_param_combined"]
    beam = int(np.argmin(np.abs(np.asarray(ds["beam_incidence"].values, float) - 10.0)))
    return ds["wave_param"].isel(n_beam_l2=beam)


def _swim_observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """Nadir SWH per box, and SWH / peak wavelength / peak direction per spectrum box."""
    asc = _swim_ascending(ds)
    nadir = {
        "lat": ds["lat_nadir_l2"].values,
        "lon": ds["lon_nadir_l2"].values,
        "time": ds["time_nadir_l2"].values,
        "ascending": asc,
        "nadir_swh": np.asarray(ds["nadir_swh_box"].values, float),
    }
    yield "nadir", {k: v[np.isfinite(nadir["nadir_swh"])] for k, v in nadir.items()}
    wp = _wave_param(ds).transpose("nparam", "n_posneg", "n_box").values.astype(float)
    lat = ds["lat_spec_l2"].transpose("n_posneg", "n_box").values
    spec = {
        "lat": lat,
        "lon": ds["lon_spec_l2"].transpose("n_posneg", "n_box").values,
        "time": ds["time_spec_l2"].transpose("n_posneg", "n_box").values,
        "ascending": np.broadcast_to(asc, lat.shape),
        "swh": wp[0],
        "peak_wavelength": wp[1],
        _AXIAL: wp[2],
    }
    ok = np.isfinite(wp).all(axis=0)
    yield "spectra", {k: v[ok] for k, v in spec.items()}


def observations(ds: xr.Dataset) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """(family, arrays) of an in-memory SCAT L2B or SWIM L2 Dataset (layout detected)."""
    if "wind_speed_selection" in ds:
        return _scat_observations(ds)
    if "nadir_swh_box" in ds:
        return _swim_observations(ds)
    raise InputError("neither a SCAT L2B (wind_speed_selection) nor a SWIM L2 (nadir_swh_box)")


def bin_dataset(
    ds: xr.Dataset, grid: GridSpec, period: Period = "daily", split_passes: bool = False
) -> dict[tuple[np.datetime64, str], Accumulator]:
    """Sparse accumulators of one L2 Dataset, keyed by (period start, family).

    Observations with NaT time or no position are dropped; one observation may land in a
    different period from its neighbours (a revolution across midnight is split).
    """
    out: dict[tuple[np.datetime64, str], Accumulator] = {}
    for family, obs in observations(ds):
        keys = period_key(obs["time"], period)
        cell = grid.cell_index(obs["lat"], obs["lon"])
        ok = (cell >= 0) & ~np.isnat(keys)
        passes = (~np.asarray(obs["ascending"], bool)).astype(np.int64) if split_passes else 0
        flat = np.where(ok, passes * grid.n_cells + cell, -1)
        for key in np.unique(keys[ok]):
            sel = ok & (keys == key)
            values = {k: np.asarray(v)[sel] for k, v in obs.items()}
            out[(key, family)] = Accumulator.from_observations(family, flat[sel], values)
    return out


def _open_l2(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open a SCAT L2B or SWIM L2/L2P file (kind from its dimensions)."""
    from fcspace.core.netcdf import open_raw

    p, raw = open_raw(path)
    dims = set(raw.dims)
    raw.close()
    if "numcells" in dims:
        from fcspace.cfosat.scat.io import open_l2b

        return open_l2b(p)
    if "n_box" in dims:
        from fcspace.cfosat.swim.io import open_swim

        return open_swim(p)
    raise InputError("not a SCAT L2B (numcells) nor a SWIM L2 (n_box) file", p)


def bin_file(
    path: str | os.PathLike[str],
    grid: GridSpec,
    period: Period = "daily",
    split_passes: bool = False,
) -> dict[tuple[np.datetime64, str], Accumulator]:
    """:func:`bin_dataset` of one L2 file (a task of a parallel run)."""
    return bin_dataset(_open_l2(path), grid, period, split_passes)


# ------------------------------------------------------------------------------------ streaming


def _decode_first(da: xr.DataArray) -> np.datetime64:
    """Earliest valid time of a time variable as stored (CF numeric, char, or (s, us) columns)."""
    values = np.asarray(da.values)
    if values.dtype.kind in "SUO":
        text = [v.decode() if isinstance(v, bytes) else str(v) for v in values.ravel()]
        times = [np.datetime64(t.strip(" \x00Z")) for t in text if t.strip(" \x00")[:4] > "0000"]
        return min(times) if times else np.datetime64("NaT")
    if values.dtype.kind == "M":
        valid = values[~np.isnat(values)]
        return valid.min() if valid.size else np.datetime64("NaT")
    # fcspace full SWIM L2: int64 (seconds, microseconds) since 2009-01-01 on n_tim
    cols = values.reshape(-1, values.shape[-1]).astype(np.int64)
    ok = cols[:, 0] > np.iinfo(np.int64).min
    if not ok.any():
        return np.datetime64("NaT")
    sec = int(cols[ok, 0].min())
    return np.datetime64("2009-01-01T00:00:00", "s") + np.timedelta64(sec, "s")


def start_time(path: str | os.PathLike[str]) -> np.datetime64:
    """Earliest observation time of a SCAT L2B or SWIM L2 file, read cheaply (one variable).

    Used to stream files in time order whatever their names. NaT if the file has no valid
    time.
    """
    try:
        with xr.open_dataset(path, decode_timedelta=False) as raw:
            name = next(n for n in ("row_time", "time_nadir_l2") if n in raw.variables)
            return _decode_first(raw[name].load())
    except StopIteration as err:
        raise InputError("no row_time (SCAT) or time_nadir_l2 (SWIM) variable", path) from err
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the times: {err}", path) from err


def _binned(
    paths: Sequence[str | os.PathLike[str]],
    binner: Callable[[Any], dict],
    client: Any,
    batch: int,
) -> Iterator[dict]:
    """Per-file accumulators in input order, serially or ``batch`` files at a time on dask."""
    if client is None:
        yield from (binner(p) for p in paths)
        return
    for i in range(0, len(paths), batch):
        futures = client.map(binner, list(paths[i : i + batch]), pure=False)
        yield from client.gather(futures)


def grid_files(
    paths: Sequence[str | os.PathLike[str]],
    grid: GridSpec,
    period: Period = "daily",
    split_passes: bool = False,
    client: Any = None,
    batch: int = 8,
) -> Iterator[xr.Dataset]:
    """Stream L2 files into per-period grids; yield one L3 Dataset per period, in time order.

    Parameters
    ----------
    paths
        SCAT L2B and/or SWIM L2 files, in any order: they are streamed in the order of their
        earliest time (:func:`start_time`), and a period is finalised (written out of memory)
        once a file starts after it.
    grid, period, split_passes
        Grid, ``daily`` or ``monthly``, and whether to keep a ``pass`` dimension.
    client
        Optional ``distributed.Client``: files are binned ``batch`` at a time as tasks and the
        small sparse accumulators are merged here.

    Yields
    ------
    xarray.Dataset
        L3 of one period (:meth:`PeriodGrid.to_dataset`). Peak memory: the
        :class:`PeriodGrid` of the periods one file spans (usually one) plus that file,
        independent of the number of periods.
    """
    from functools import partial

    binner = partial(bin_file, grid=grid, period=period, split_passes=split_passes)
    starts = [start_time(p) for p in paths]
    order = sorted(range(len(paths)), key=lambda i: (np.isnat(starts[i]), starts[i], str(paths[i])))
    paths = [paths[i] for i in order]
    n_pass = 2 if split_passes else 1
    open_grids: dict[np.datetime64, PeriodGrid] = {}
    done: set[np.datetime64] = set()
    for path, parts in zip(paths, _binned(paths, binner, client, batch), strict=True):
        first = min((k for k, _ in parts), default=None)
        # finalise the periods this file starts after *before* adding it: at most the periods
        # the file itself spans are held in memory
        for key in sorted(k for k in open_grids if first is not None and k < first):
            done.add(key)
            yield open_grids.pop(key).to_dataset()
        for (key, _family), acc in parts.items():
            if key in done:
                raise InputError(f"data for period {key} after it was finalised", path)
            open_grids.setdefault(key, PeriodGrid(grid, key, period, n_pass)).add(acc)
    for key in sorted(open_grids):
        yield open_grids.pop(key).to_dataset()


# ------------------------------------------------------------------------------------ writing


def _global_attrs(grid: GridSpec, period: Period, sources: int) -> dict[str, Any]:
    return cf_global_attrs(
        title=f"fcspace CFOSat L3 {period} gridded winds and waves ({grid.res} deg)",
        source="CFOSAT SCAT L2B and SWIM L2",
        platform="CFOSAT",
        sensor="SCAT, SWIM",
        processing_level="L3",
        fcspace_period=period,
        geospatial_lat_resolution=f"{grid.res} degree",
        geospatial_lon_resolution=f"{grid.res} degree",
        geospatial_lat_min=-90.0,
        geospatial_lat_max=90.0,
        geospatial_lon_min=-180.0,
        geospatial_lon_max=180.0,
        fcspace_input_files=sources,
        comment="means per cell of every L2 observation in the period (unweighted); std is "
        "the sample standard deviation (ddof=1); counts are numbers of L2 observations",
    )


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    enc: dict[str, dict[str, Any]] = {}
    for name, da in ds.data_vars.items():
        chunks = tuple(1 if d in ("time", "pass") else da.sizes[d] for d in da.dims)
        enc[str(name)] = {"zlib": True, "complevel": 4, "chunksizes": chunks}
        enc[str(name)]["_FillValue"] = np.float32(np.nan) if da.dtype.kind == "f" else None
    for name in ("time", "time_bnds"):
        enc[name] = {
            "units": "days since 1970-01-01",
            "calendar": "proleptic_gregorian",
            "dtype": "float64",
        }
    return enc


def _harmonise(parts: list[Path]) -> list[xr.Dataset]:
    """Lazily open period files; each gets the union of variables (missing: NaN, count 0)."""
    opened = [xr.open_dataset(p, chunks={}) for p in parts]
    names = set().union(*(ds.data_vars for ds in opened))
    for ds in opened:
        for name in sorted(names - set(ds.data_vars)):
            src = next(o for o in opened if name in o.data_vars)[name]
            fill = 0 if src.dtype.kind in "iu" else np.nan
            ds[name] = xr.full_like(src.isel(time=[0]), fill).assign_coords(time=ds.time)
    return opened


def write_l3(
    periods: Iterable[xr.Dataset],
    path: str | os.PathLike[str],
    grid: GridSpec,
    period: Period,
    n_inputs: int = 0,
) -> Path:
    """Write the stream of period Datasets as one CF NetCDF-4 L3 file along ``time``, atomically.

    Each period goes to a temporary file as soon as it is made (memory stays bounded); they
    are then concatenated lazily (dask, one chunk per period) into ``path``.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        parts = []
        for i, ds in enumerate(periods):
            parts.append(tmpdir / f"{i:06d}.nc")
            ds.to_netcdf(parts[-1], encoding=_encoding(ds))
        if not parts:
            raise InputError("no valid observation in the input files", final)
        datasets = _harmonise(parts)
        out = xr.concat(
            datasets, "time", data_vars="all", coords="minimal", compat="override", join="override"
        )
        out.attrs = _global_attrs(grid, period, n_inputs)
        out = add_history(out, f"grid_files {period} {grid.res} deg -> {final.name}")
        with atomic_path(final) as tmp, dask.config.set(scheduler="synchronous"):
            out.to_netcdf(tmp, encoding=_encoding(out))  # one period chunk at a time
        for ds in datasets:
            ds.close()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return final


def open_l3(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    chunks: dict[str, int] | None = None,
) -> xr.Dataset:
    """Open one or many L3 files as one Dataset along ``time``, lazily (dask arrays).

    ``chunks`` defaults to one period per chunk along ``time`` and whole maps otherwise.
    """
    files = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not files:
        raise InputError("no L3 file given")
    for f in files:
        if not Path(f).is_file():
            raise InputError("L3 file not found", f)
    ds = xr.open_mfdataset(
        sorted(str(f) for f in files),
        combine="nested",
        concat_dim="time",
        chunks=chunks or {},
        data_vars="all",
        coords="minimal",
        compat="override",
        join="override",
    )
    return ds.sortby("time")
