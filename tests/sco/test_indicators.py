from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

from fcspace.cfosat import grid as g
from fcspace.sco import indicators as ind
from fcspace.sco import trend as tr
from fcspace.sco.archive import ArchiveConfig, simulate_archive
from fcspace.sco.cli import app
from fcspace.sco.climate import Climate


def _stack(periods: int = 48, freq: str = "MS", trend: float = 0.5, seed: int = 0) -> xr.Dataset:
    """An in-memory L3 stack: the climate's expected fields plus independent noise."""
    c = Climate(epoch="2021-01-01", wind_trend=trend, swh_trend=trend / 5)
    time = pd.date_range("2021-01-01", periods=periods, freq=freq).values
    lat = np.arange(-60.0, 61.0, 20.0)
    lon = np.arange(-180.0, 180.0, 60.0) + 30
    tt, la = np.meshgrid(time + np.timedelta64(14, "D"), lat, indexing="ij")
    exp = c.expected(la, tt)
    rng = np.random.default_rng(seed)
    shape = (periods, lat.size, lon.size)
    data = {
        "wind_speed": exp["wind_speed"][..., None] + rng.normal(0, 1.0, shape),
        "nadir_swh": exp["nadir_swh"][..., None] + rng.normal(0, 0.3, shape),
    }
    ds = xr.Dataset(
        {k: (("time", "lat", "lon"), v) for k, v in data.items()},
        coords={"time": time, "lat": lat, "lon": lon},
    )
    ds["wind_speed"].attrs["units"] = "m s-1"
    ds["nadir_swh"].attrs["units"] = "m"
    return ds.chunk({"lat": 3})


def test_percentile_kernel_matches_numpy() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(7, 40))
    a[a > 1.2] = np.nan
    a[0] = np.nan
    q = [50, 90, 99]
    out = ind.percentile_kernel(a, q, min_count=5)
    np.testing.assert_allclose(out[1:], np.nanpercentile(a[1:], q, axis=-1).T, rtol=1e-12)
    assert np.isnan(out[0]).all()


def test_exceedance_climatology_anomalies() -> None:
    ds = _stack(periods=24, trend=0.0).load()
    da = ds["wind_speed"]
    freq = ind.exceedance_frequency(da, 9.0)
    np.testing.assert_allclose(freq, (da > 9.0).mean("time"))
    clim = ind.climatology(da)
    assert clim.sizes["month"] == 12
    np.testing.assert_allclose(clim.sel(month=3), da.isel(time=[2, 14]).mean("time"))
    anom = ind.anomalies(da)
    np.testing.assert_allclose(anom.groupby("time.month").mean(), 0.0, atol=1e-12)
    daily = xr.DataArray(
        np.arange(59.0), dims="time", coords={"time": pd.date_range("2021-01-01", periods=59)}
    )
    np.testing.assert_allclose(ind.monthly_series(daily), [15.0, 44.5])


def test_indicators_recover_trend_lazily() -> None:
    ds = _stack(periods=60, trend=0.5)
    res = ind.compute_indicators(ds, min_count=5)
    assert res["wind_speed_trend"].chunks is not None  # lazy until computed
    res = res.compute()
    slope = res["wind_speed_trend"]
    covered = (res["wind_speed_trend_low"] <= 0.5) & (res["wind_speed_trend_high"] >= 0.5)
    assert float(covered.mean()) > 0.85
    assert float(slope.median()) == pytest.approx(0.5, abs=0.1)
    assert float(res["nadir_swh_trend"].median()) == pytest.approx(0.1, abs=0.04)
    assert res["wind_speed_trend"].attrs["units"] == "m s-1 per year"
    assert set(res["wind_speed_percentile"]["percentile"].values) == {50.0, 90.0, 99.0}
    s = ind.summary(res)
    assert s["wind_speed"]["trend_per_year"] == pytest.approx(0.5, abs=0.1)
    assert 0 <= s["wind_speed"]["significant_fraction"] <= 1


# ------------------------------------------------------------------- the whole chain, on files


@pytest.mark.slow
def test_chain_recovers_prescribed_trend(tmp_path: Path) -> None:
    """Simulated archive (3 years, reduced sampling) -> monthly L3 -> trends within their CI."""
    cfg = ArchiveConfig(days=1095, day_step=15, orbits_per_day=2, row_step=8, box_step=4, seed=3)
    climate = Climate(epoch=cfg.start, wind_trend=0.5, swh_trend=0.2, weather_rho=0.5)
    paths = simulate_archive(tmp_path / "l2", cfg, climate)
    grid = g.GridSpec(10.0)  # coarse cells: the reduced sampling fills them every month
    l3 = g.write_l3(g.grid_files(paths, grid, "monthly"), tmp_path / "l3.nc", grid, "monthly")
    ds = g.open_l3(l3)
    res = ind.compute_indicators(ds, min_count=3).compute()
    for name, truth in (("wind_speed", 0.5), ("nadir_swh", 0.2)):
        ok = res[f"{name}_trend"].notnull()
        inside = (res[f"{name}_trend_low"] <= truth) & (res[f"{name}_trend_high"] >= truth)
        assert float(inside.where(ok).mean()) > 0.85, name  # per-cell 95 % intervals
        series = ind.area_mean(ind.anomalies(ds[name])).compute()
        glob = tr.trend(series, seasonal=True).compute()
        assert float(glob["slope_low"]) <= truth <= float(glob["slope_high"]), name
        assert bool(glob["significant"]), name


def test_cli_chain(tmp_path: Path) -> None:
    runner = CliRunner()
    arch = tmp_path / "arch"
    r = runner.invoke(
        app,
        [
            "simulate-archive",
            "--days",
            "2",
            "--out",
            str(arch),
            "--orbits-per-day",
            "2",
            "--row-step",
            "8",
            "--box-step",
            "4",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["files"] == 8
    files = sorted(str(p) for p in arch.glob("*.nc"))
    l3 = tmp_path / "l3.nc"
    r = runner.invoke(
        app,
        ["grid", *files, "--res", "1", "--period", "daily", "--out", str(l3), "--passes", "--json"],
    )
    assert r.exit_code == 0, r.output
    assert g.open_l3(l3).sizes["pass"] == 2
    r = runner.invoke(
        app,
        [
            "indicators",
            str(l3),
            "--out",
            str(tmp_path / "ind.nc"),
            "--min-count",
            "1",
            "--png-dir",
            str(tmp_path / "png"),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["periods"] >= 2 and out["wind_speed"]["mean"] > 3
    assert len(out["quicklooks"]) == 6
    assert all(Path(p).stat().st_size > 1000 for p in out["quicklooks"])
    r = runner.invoke(app, ["grid", *files, "--res", "0.3", "--out", str(l3)])
    assert r.exit_code != 0
