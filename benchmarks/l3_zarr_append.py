"""A year of daily L3 grids appended to one Zarr store: time per day, peak memory, store size.

Usage: .venv/bin/python benchmarks/l3_zarr_append.py [--days 365] [--res 1.0] [--json]

Each day is an L3 Dataset with the variables, attributes and dtypes of ``fcspace sco grid``
(taken from a small real run of the SCO chain on a simulated archive): the means, standard
deviations and counts of the SCAT winds and SWIM waves on the global grid, with the day's
coverage of a sun-synchronous scatterometer (about 60 % of the ocean cells observed, land
empty from :mod:`fcspace.core.landmask`). Days are appended one at a time with
:func:`fcspace.core.zarr_store.append_zarr` (what ``fcspace sco grid --format zarr --append``
does). Reported: seconds per appended day (min, median), peak memory of the Python heap
during the appends (tracemalloc: NumPy buffers included) and the process's peak resident
size, the store's size on disk, and a check that the store reads back equal to the days
written (every 30th day compared). The reference in the same run: the same year written as
one NetCDF file by :func:`fcspace.cfosat.grid.write_l3` in one go (it cannot append: a daily
NetCDF run rewrites the year), its time and heap peak, and ``zarr_total_over_netcdf``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.core.landmask import is_land
from fcspace.core.zarr_store import append_zarr, open_zarr

FLOATS = ("eastward_wind", "northward_wind", "wind_speed", "swh", "peak_wavelength",
          "peak_direction", "nadir_swh")  # fmt: skip
COUNTS = ("wind_count", "spectra_count", "nadir_swh_count")


def day_grid(day: int, res: float, land: np.ndarray, rng: np.random.Generator) -> xr.Dataset:
    """One day's L3 grid: smooth fields + noise where observed, NaN / 0 elsewhere."""
    lat = np.arange(-90 + res / 2, 90, res)
    lon = np.arange(-180 + res / 2, 180, res)
    t = np.datetime64("2021-01-01", "ns") + np.timedelta64(day, "D")
    seen = (~land) & (rng.random(land.shape) < 0.6)
    glat, glon = np.meshgrid(np.radians(lat), np.radians(lon), indexing="ij")
    data = {}
    for k, name in enumerate(FLOATS):
        field = 8 + 4 * np.cos(glat * (k + 1)) * np.sin(glon + day / 58.0)
        field = field + rng.normal(0, 0.5, land.shape)
        for suffix, values in (("", field), ("_std", np.abs(field) * 0.1)):
            data[name + suffix] = (("time", "lat", "lon"),
                                   np.where(seen, values, np.nan)[None].astype(np.float32),
                                   {"units": "m" if "swh" in name else "m s-1"})  # fmt: skip
    for name in COUNTS:
        counts = np.where(seen, rng.integers(1, 12, land.shape), 0)
        data[name] = (("time", "lat", "lon"), counts[None].astype(np.int32), {"units": "1"})
    data["time_bnds"] = (("time", "nv"), np.array([[t, t + np.timedelta64(1, "D")]]))
    return xr.Dataset(data, coords={"time": [t], "lat": lat, "lon": lon},
                      attrs={"title": "benchmark L3 daily grid"})  # fmt: skip


def main() -> None:
    """Command line: append ``--days`` daily grids, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--res", type=float, default=1.0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    res = a.res
    lat = np.arange(-90 + res / 2, 90, res)
    lon = np.arange(-180 + res / 2, 180, res)
    glat, glon = np.meshgrid(lat, lon, indexing="ij")
    land = is_land(glat, glon)
    work = Path(tempfile.mkdtemp(prefix="fcspace-zarr-bench."))
    store = work / "l3.zarr"
    try:
        rng = np.random.default_rng(2021)
        per_day = []
        tracemalloc.start()
        for d in range(a.days):
            ds = day_grid(d, res, land, rng)
            t0 = time.perf_counter()
            append_zarr(ds, store)
            per_day.append(time.perf_counter() - t0)
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
        back = open_zarr(store)
        rng = np.random.default_rng(2021)
        checked = 0
        for d in range(a.days):
            ds = day_grid(d, res, land, rng)
            if d % 30 == 0:
                xr.testing.assert_identical(back.isel(time=[d]).load(), ds)
                checked += 1
        one_day_mb = ds.nbytes / 1e6
        # reference, same run: the whole year written as one NetCDF file by write_l3
        from fcspace.cfosat.grid import GridSpec, write_l3

        rng = np.random.default_rng(2021)
        tracemalloc.start()
        t0 = time.perf_counter()
        write_l3((day_grid(d, res, land, rng) for d in range(a.days)), work / "l3.nc",
                 GridSpec(res), "daily")  # fmt: skip
        nc_s = time.perf_counter() - t0
        _, nc_heap = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out = {
            "days": a.days, "res_deg": res, "variables": len(ds.data_vars),
            "append_s_min": float(np.min(per_day)), "append_s_median": float(np.median(per_day)),
            "total_append_s": float(np.sum(per_day)),
            "one_day_mb": one_day_mb, "year_uncompressed_mb": one_day_mb * a.days,
            "heap_peak_mb": heap_peak / 1e6, "rss_peak_mb": rss_peak_mb,
            "store_mb": size / 1e6, "time_steps_in_store": int(back.sizes["time"]),
            "days_checked_identical": checked,
            "netcdf_total_s": nc_s, "netcdf_heap_peak_mb": nc_heap / 1e6,
            "netcdf_mb": (work / "l3.nc").stat().st_size / 1e6,
            "zarr_total_over_netcdf": float(np.sum(per_day)) / nc_s,
        }  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if a.json:
        print(json.dumps(out))
    else:
        print(f"{a.days} daily {res} deg grids appended: median "
              f"{out['append_s_median']:.3f} s/day, heap peak {out['heap_peak_mb']:.0f} MB for "
              f"{out['year_uncompressed_mb']:.0f} MB of data, store {out['store_mb']:.0f} MB; "
              f"NetCDF in one go {out['netcdf_total_s']:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
