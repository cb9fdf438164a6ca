from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.cfosat import grid as g
from fcspace.core.errors import ConfigError, InputError
from fcspace.sco.archive import ArchiveConfig, simulate_archive
from fcspace.sco.climate import Climate


def _obs(rng: np.random.Generator, n: int, grid: g.GridSpec) -> tuple[np.ndarray, dict]:
    lat = rng.uniform(-10, 10, n)
    lon = rng.uniform(170, 190, n)  # crosses the date line
    flat = grid.cell_index(lat, (lon + 180) % 360 - 180)
    values = {v: rng.normal(8, 2, n) for v in g.FAMILIES["wind"]}
    return flat, values


def test_grid_spec_cells() -> None:
    grid = g.GridSpec(0.5)
    assert (grid.nlat, grid.nlon, grid.n_cells) == (360, 720, 259200)
    idx = grid.cell_index(
        np.array([-90, 89.99, 0.1, np.nan, 95]), np.array([-180, 179.9, 180.1, 0, 0])
    )
    np.testing.assert_array_equal(idx, [0, 359 * 720 + 719, 180 * 720 + 0, -1, -1])
    assert grid.lat[0] == -89.75 and grid.lon[-1] == 179.75
    with pytest.raises(ConfigError):
        g.GridSpec(0.7)


def test_accumulator_matches_numpy_per_cell() -> None:
    rng = np.random.default_rng(1)
    grid = g.GridSpec(1.0)
    flat, values = _obs(rng, 5000, grid)
    acc = g.Accumulator.from_observations("wind", flat, values)
    pg = g.PeriodGrid(grid, np.datetime64("2021-01-01", "D"), "daily")
    pg.add(acc)
    ds = pg.to_dataset().isel(time=0)
    cell = acc.cells[np.argmax(acc.count)]
    sel = flat == cell
    i, j = divmod(int(cell), grid.nlon)
    x = values["wind_speed"][sel]
    assert int(ds["wind_count"][i, j]) == sel.sum()
    np.testing.assert_allclose(ds["wind_speed"][i, j], x.mean(), rtol=1e-6)
    np.testing.assert_allclose(ds["wind_speed_std"][i, j], x.std(ddof=1), rtol=1e-5)
    assert int(ds["wind_count"].sum()) == 5000
    assert np.isnan(ds["wind_speed"][0, 0]) and ds["wind_speed"].dtype == np.float32


@settings(max_examples=25)
@given(st.integers(2, 6), st.randoms(use_true_random=False), st.integers(0, 2**16))
def test_merging_in_any_order_gives_same_grid(n_parts: int, rnd, seed: int) -> None:  # noqa: ANN001
    rng = np.random.default_rng(seed)
    grid = g.GridSpec(1.0)
    parts = [
        g.Accumulator.from_observations("wind", *_obs(rng, int(rng.integers(1, 300)), grid))
        for _ in range(n_parts)
    ]
    order = list(range(n_parts))
    rnd.shuffle(order)
    a = functools.reduce(lambda x, y: x + y, parts)
    b = functools.reduce(lambda x, y: x + y, [parts[i] for i in order])
    np.testing.assert_array_equal(a.cells, b.cells)
    np.testing.assert_array_equal(a.count, b.count)
    for k in a.sums:
        np.testing.assert_allclose(a.sums[k], b.sums[k], rtol=1e-12)
    # dense grid from the merged sum == dense grid from adding the parts one by one
    dense = g.PeriodGrid(grid, np.datetime64("2021-01", "M"), "monthly")
    for i in order:
        dense.add(parts[i])
    merged = g.PeriodGrid(grid, np.datetime64("2021-01", "M"), "monthly")
    merged.add(a)
    xr.testing.assert_allclose(dense.to_dataset(), merged.to_dataset(), rtol=1e-6)


def test_merge_refuses_other_family() -> None:
    a = g.Accumulator.from_observations("nadir", np.array([1]), {"nadir_swh": np.array([2.0])})
    b = g.Accumulator.from_observations(
        "wind", np.array([1]), {v: np.ones(1) for v in g.FAMILIES["wind"]}
    )
    with pytest.raises(ConfigError):
        a + b


def test_axial_direction_mean_wraps_at_180() -> None:
    vals = {
        "swh": np.ones(2),
        "peak_wavelength": np.ones(2),
        "peak_direction": np.array([178.0, 4.0]),
    }
    acc = g.Accumulator.from_observations("spectra", np.array([7, 7]), vals)
    pg = g.PeriodGrid(g.GridSpec(1.0), np.datetime64("2021-01-01", "D"), "daily")
    pg.add(acc)
    d = float(pg.to_dataset()["peak_direction"].values.ravel()[7])
    assert min(d, 180 - d) == pytest.approx(1.0, abs=1e-3)


def test_period_key() -> None:
    t = np.array(["2021-01-31T23:59", "2021-02-01T00:00", "NaT"], dtype="datetime64[ns]")
    assert str(g.period_key(t, "monthly")[1]) == "2021-02"
    assert np.isnat(g.period_key(t, "daily")[2])
    with pytest.raises(ConfigError):
        g.period_key(t, "weekly")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ on L2 files


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Climate]:
    cfg = ArchiveConfig(days=3, orbits_per_day=6, row_step=4, box_step=2, seed=5)
    climate = Climate(epoch=cfg.start)
    return simulate_archive(tmp_path_factory.mktemp("arch"), cfg, climate), climate


class _SerialClient:
    """Stands for distributed.Client in the parallel code path (map + gather)."""

    def __init__(self) -> None:
        self.mapped = 0

    def map(self, func, items, pure=True):  # noqa: ANN001, ANN201
        self.mapped += len(items)
        return [func(i) for i in items]

    def gather(self, futures):  # noqa: ANN001, ANN201
        return futures


def test_grid_files_counts_passes_and_order(archive, tmp_path: Path) -> None:  # noqa: ANN001
    paths, _ = archive
    grid = g.GridSpec(1.0)
    daily = list(g.grid_files(paths, grid, "daily", split_passes=True))
    assert [str(d.time.values[0])[:10] for d in daily] == [
        "2021-01-01",
        "2021-01-02",
        "2021-01-03",
        "2021-01-04",
        "2021-01-05",
    ][: len(daily)]
    n_cells = sum(
        g.open_l2(p)["wind_speed_selection"].notnull().sum().item()
        for p in paths
        if "SCAT" in p.name
    )
    assert sum(int(d["wind_count"].sum()) for d in daily) == n_cells
    asc = sum(int(d["wind_count"].sel({"pass": "ascending"}).sum()) for d in daily)
    assert 0.4 < asc / n_cells < 0.6
    # any input order, serial or "parallel": same grids
    client = _SerialClient()
    again = list(g.grid_files(paths[::-1], grid, "daily", True, client=client, batch=3))
    assert client.mapped == len(paths)
    for a, b in zip(daily, again, strict=True):
        xr.testing.assert_identical(a, b)


def test_l3_file_is_cf_and_lazy(archive, tmp_path: Path) -> None:  # noqa: ANN001
    paths, _ = archive
    grid = g.GridSpec(1.0)
    out = g.write_l3(
        g.grid_files(paths, grid, "daily"), tmp_path / "l3.nc", grid, "daily", len(paths)
    )
    ds = g.open_l3(out)
    assert ds["wind_speed"].chunks is not None
    assert ds.attrs["Conventions"].startswith("CF-1.8") and ds.attrs["processing_level"] == "L3"
    assert ds["wind_speed"].attrs["standard_name"] == "wind_speed"
    assert ds["nadir_swh"].attrs["units"] == "m" and ds["time"].attrs["bounds"] == "time_bnds"
    assert set(ds.data_vars) >= {
        "wind_speed",
        "wind_speed_std",
        "eastward_wind",
        "northward_wind",
        "wind_count",
        "nadir_swh",
        "swh",
        "peak_wavelength",
        "peak_direction",
        "spectra_count",
    }
    assert not list(tmp_path.glob(".l3.nc*"))  # temporary period files removed
    with pytest.raises(InputError):
        g.open_l3(tmp_path / "missing.nc")


def _truth_as_measured(ds: xr.Dataset) -> xr.Dataset:
    """The simulated truth put in place of the measurements (same sampling)."""
    if "truth_speed" in ds:
        return ds.assign(wind_speed_selection=ds["truth_speed"], wind_dir_selection=ds["truth_dir"])
    wp = ds["wave_param"].copy()
    wp[0] = ds["truth_swh"].broadcast_like(wp[0]).transpose(*wp[0].dims)
    return ds.assign(nadir_swh_box=ds["truth_nadir_swh_box"], wave_param=wp)


def _l3_of(datasets: list[xr.Dataset], grid: g.GridSpec) -> xr.Dataset:
    pg = g.PeriodGrid(grid, np.datetime64("2021-01", "M"), "monthly")
    for ds in datasets:
        for (key, _), acc in g.bin_dataset(ds, grid, "monthly").items():
            if str(key) == "2021-01":
                pg.add(acc)
    return pg.to_dataset().isel(time=0)


def test_l3_mean_matches_truth(archive) -> None:  # noqa: ANN001
    """L3 means against (1) the simulated truth gridded alike, (2) the climate's expectation."""
    paths, climate = archive
    grid = g.GridSpec(5.0)
    l2 = [g.open_l2(p) for p in paths]
    l3, truth_l3 = _l3_of(l2, grid), _l3_of([_truth_as_measured(d) for d in l2], grid)
    lat = np.broadcast_to(l3["lat"].values[:, None], (grid.nlat, grid.nlon))
    clim = climate.expected(lat, np.full(lat.shape, np.datetime64("2021-01-03", "ns")))
    counts = {"wind_speed": "wind_count", "nadir_swh": "nadir_swh_count", "swh": "spectra_count"}
    # retrieval errors only (log-normal, mean 1): 8 %, 5 %, 8 %
    for name, retrieval, weather in (
        ("wind_speed", 0.03, 0.4),
        ("nadir_swh", 0.03, 0.15),
        ("swh", 0.03, 0.15),
    ):
        n = l3[counts[name]].values
        ok = n > 0
        np.testing.assert_array_equal(n, truth_l3[counts[name]].values)
        diff = (l3[name].values - truth_l3[name].values)[ok]
        rel = np.average(diff, weights=n[ok]) / np.average(truth_l3[name].values[ok], weights=n[ok])
        assert abs(rel) < retrieval, name
        bias = np.average(l3[name].values[ok] - clim[name][ok], weights=n[ok])
        assert abs(bias) < weather, name  # 4 days of correlated weather about the climate
        # the climate is a function of latitude (and time): its zonal means must come back.
        # (Cell by cell the 4 days of weather dominate; since the simulators put no wind over
        # land the ocean cells alone span less of the climate's range: r ~0.68 there.)
        zonal = np.array([np.average(l3[name].values[i][n[i] > 0], weights=n[i][n[i] > 0])
                          if (n[i] > 0).any() else np.nan for i in range(grid.nlat)])  # fmt: skip
        seen = np.isfinite(zonal)
        assert seen.sum() >= 30, name
        assert np.corrcoef(zonal[seen], clim[name][seen, 0])[0, 1] > 0.9, name
