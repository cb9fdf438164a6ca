from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fcspace.cfosat.scat.instrument import CFOSAT_SCAT
from fcspace.cfosat.scat.io import open_l2b
from fcspace.cfosat.scat.product_specs import QUALITY_LAND
from fcspace.cfosat.swim.io import open_swim
from fcspace.core.errors import ConfigError
from fcspace.sco import archive as a
from fcspace.sco.climate import Climate, lognormal
from fcspace.sco.io import read_climate


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    cfg = a.ArchiveConfig(days=2, orbits_per_day=2, row_step=8, box_step=4, seed=11)
    return a.simulate_archive(tmp_path_factory.mktemp("small"), cfg)


def test_orbit_pattern() -> None:
    revs = list(a.orbit_starts(a.ArchiveConfig(days=2)))
    per_day = 86400 / CFOSAT_SCAT.orbit_period_s
    assert 15.0 < per_day < 15.4 and len(revs) in (30, 31)
    step = (revs[1][2] - revs[0][2]) % 360 - 360
    # node moves west by (omega_E - Omega_dot) T: 23.7 deg per revolution
    assert step == pytest.approx(-23.7, abs=0.1)
    fewer = list(a.orbit_starts(a.ArchiveConfig(days=3, orbits_per_day=4, day_step=2)))
    assert len(fewer) == 8 and all(r[1] // 86400 in (0, 2) for r in fewer)


def test_files_are_real_products(small: list[Path]) -> None:
    assert len(small) == 8 and (small[0].parent / "archive.json").exists()
    scat = open_l2b(small[0])
    assert scat.sizes["numcells"] == 42 and scat.sizes["numambigs"] == 4
    assert scat.sizes["numrows"] == pytest.approx(1601 / 8, abs=1)
    lat = scat["wvc_lat"].values
    assert lat.min() < -80 and lat.max() > 80  # ascending and descending halves
    # 1000 km swath: distance between the outer cells of a row near the equator
    row = int(np.argmin(np.abs(lat[:, 21])))
    dlat = np.radians(lat[row, -1] - lat[row, 0])
    dlon = np.radians(
        ((scat["wvc_lon"].values[row, -1] - scat["wvc_lon"].values[row, 0]) + 180) % 360 - 180
    )
    width = 6371.0 * np.hypot(dlat, dlon * np.cos(np.radians(lat[row, 21])))
    assert width == pytest.approx(41 * 25.0, rel=0.02)
    np.testing.assert_allclose(
        scat["wind_speed"].values[..., 0], scat["wind_speed_selection"], atol=0.006
    )
    assert {"truth_speed", "truth_dir"} <= set(scat.data_vars)
    swim = open_swim(small[1])
    assert swim.sizes["n_posneg"] == 2 and swim.sizes["n_phi"] == 24
    valid = swim["flag_valid_swh_box"].values == 0  # boxes over land: no SWH, flagged
    assert bool(np.isfinite(swim["nadir_swh_box"].values[valid]).all()) and valid.mean() > 0.5
    assert bool(np.isnan(swim["nadir_swh_box"].values[~valid]).all())
    hs = swim["wave_param"].isel(nparam=0, n_beam_l2=0)
    ratio = hs / swim["truth_swh"]
    assert 0.9 < float(ratio.mean()) < 1.1 and 0.02 < float(ratio.std()) < 0.15


def test_reproducible(small: list[Path], tmp_path: Path) -> None:
    cfg = a.ArchiveConfig(days=1, orbits_per_day=2, row_step=8, box_step=4, seed=11)
    again = a.simulate_archive(tmp_path, cfg)
    np.testing.assert_array_equal(
        open_l2b(again[0])["wind_speed_selection"], open_l2b(small[0])["wind_speed_selection"]
    )
    other = a.simulate_archive(tmp_path / "o", a.ArchiveConfig(**{**cfg.__dict__, "seed": 12}))
    assert not np.array_equal(
        open_l2b(other[0])["wind_speed_selection"], open_l2b(small[0])["wind_speed_selection"]
    )
    meta = json.loads((tmp_path / "archive.json").read_text())
    assert read_climate(tmp_path) == Climate(**meta["climate"])


def test_climate_expected_values() -> None:
    c = Climate(wind_trend=1.0)
    t = np.array(["2021-01-15", "2022-01-15"], dtype="datetime64[ns]")
    ws = c.wind_speed(np.array([50.0, 50.0]), t)
    assert ws[1] - ws[0] == pytest.approx(1.0, rel=1e-3)
    # westerlies stronger than the doldrums; NH winter stronger than NH summer
    assert c.wind_speed(np.array([50.0]), t[:1]) > c.wind_speed(np.array([0.0]), t[:1]) + 3
    assert c.swh(np.array([-52.0]), t[:1]) > 3.5  # Southern Ocean, austral summer
    rng = np.random.default_rng(0)
    e = c.weather(np.zeros(20000), rng.uniform(-180, 180, 20000), 3, 0, 0, rng)
    assert abs(e.mean()) < 0.2 and e.std() == pytest.approx(1.0, abs=0.15)
    mult = lognormal(0.35, rng.standard_normal(200000))
    assert mult.mean() == pytest.approx(1.0, abs=0.01)


def test_bad_config() -> None:
    with pytest.raises(ConfigError):
        a.ArchiveConfig(days=0)
    with pytest.raises(ConfigError):
        a.ArchiveConfig(days=1, instruments=("ascat",))


def test_no_wind_over_land_and_every_land_cell_flagged(small: list[Path]) -> None:
    from fcspace.core.landmask import footprint_land_fraction

    for path in (p for p in small if "SCAT" in p.name):
        ds = open_l2b(path)
        flagged = (ds.wvc_quality.values & QUALITY_LAND) > 0
        # positions are read back packed (0.01 deg): a cell clearly over land is flagged
        frac = footprint_land_fraction(ds.wvc_lat.values, ds.wvc_lon.values, 12_500.0)
        assert flagged.sum() > 100  # a revolution crosses continents
        assert flagged[frac > 0.2].all()
        assert not flagged[frac == 0.0].any() or (frac[flagged] > 0).mean() > 0.99
        assert np.isnan(ds.wind_speed_selection.values[flagged]).all()  # no wind over land
        assert np.isfinite(ds.wind_speed_selection.values[~flagged]).all()


def test_no_waves_over_land(small: list[Path]) -> None:
    from fcspace.core.landmask import footprint_land_fraction

    for path in (p for p in small if "SWIM" in p.name):
        ds = open_swim(path)
        land = footprint_land_fraction(ds.lat_spec_l2.values, ds.lon_spec_l2.values, 35e3) > 0.2
        hs = ds["wave_param"].isel(nparam=0, n_beam_l2=0).values
        assert land.any() and bool(np.isnan(hs[land]).all())  # no spectrum over land
        flags = ds["flag_valid_pp_mean"].isel(n_beam_l2=0).values  # (k, phi, side, box)
        assert bool((flags[..., land] == 1).all())  # flagged, as the CNES product flags
