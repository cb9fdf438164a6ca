from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.scat import gmf
from fcspace.cfosat.scat.instrument import CFOSAT_SCAT
from fcspace.cfosat.scat.io import read_l2b_background
from fcspace.cfosat.scat.scenes import (
    RHO_AIR,
    add_background_error,
    cyclone_field,
    holland_wind,
    speed_dir_to_uv,
    synoptic_field,
    truth_from_background,
)
from fcspace.cfosat.scat.simulate import (
    simulate_l1b,
    simulate_orbit_segment,
    swath_lat_lon,
)
from fcspace.core.errors import InputError

VIEW_VARS = ("sigma0", "kp", "azimuth", "incidence", "polarisation", "look")
CELL_VARS = ("wvc_lat", "wvc_lon", "model_speed", "model_dir", "truth_speed", "truth_dir")
UNITS = {
    "sigma0": "1",
    "kp": "1",
    "azimuth": "degree",
    "incidence": "degree",
    "polarisation": "1",
    "look": "1",
    "wvc_lat": "degrees_north",
    "wvc_lon": "degrees_east",
    "model_speed": "m s-1",
    "model_dir": "degree",
    "truth_speed": "m s-1",
    "truth_dir": "degree",
}


@pytest.fixture(scope="module")
def synoptic():
    return simulate_orbit_segment(200, "synoptic", seed=11, land=False)  # every cell ocean


def _dircmp(a, b):
    return (np.asarray(a) - b + 180) % 360 - 180


def test_reproducible():
    a = simulate_orbit_segment(30, "synoptic", seed=5)
    b = simulate_orbit_segment(30, "synoptic", seed=5)
    xr.testing.assert_identical(a, b)
    c = simulate_orbit_segment(30, "synoptic", seed=6)
    assert not np.allclose(a.truth_speed, c.truth_speed)


def test_layout(synoptic):
    ds = synoptic
    assert ds.sizes["numrows"] == 200 and ds.sizes["numcells"] == 42
    assert 12 <= ds.sizes["numviews"] <= 24
    for name in VIEW_VARS:
        assert ds[name].dims == ("numrows", "numcells", "numviews")
    for name in CELL_VARS:
        assert ds[name].dims == ("numrows", "numcells")
    assert ds.row_time.dims == ("numrows",)
    assert ds.row_time.dtype == np.dtype("datetime64[ns]")
    assert np.all(np.diff(ds.row_time.values) > np.timedelta64(0))
    for name, unit in UNITS.items():
        assert ds[name].attrs["units"] == unit
    assert ds.polarisation.dtype == np.int8 and ds.look.dtype == np.int8
    present = ds.polarisation.values >= 0
    assert np.array_equal(present, ds.look.values >= 0)
    for name in ("sigma0", "kp", "azimuth", "incidence"):
        values = ds[name].values
        assert np.all(np.isfinite(values[present])) and np.all(np.isnan(values[~present]))
    assert set(np.unique(ds.polarisation.values)) == {-1, 0, 1}
    az = ds.azimuth.values[present]
    assert az.min() >= 0 and az.max() < 360
    assert np.all((ds.truth_dir >= 0) & (ds.truth_dir < 360))
    assert np.all((ds.model_dir >= 0) & (ds.model_dir < 360))


def test_sigma0_noise_matches_kp(synoptic):
    """measured / GMF(truth) - 1 has std Kp: checks the GMF call, rel_dir and the noise."""
    ds = synoptic
    present = ds.polarisation.values >= 0
    rel = (ds.truth_dir.values[..., None] - ds.azimuth.values + 180) % 360
    speed = np.broadcast_to(ds.truth_speed.values[..., None], rel.shape)
    ratio = np.full(rel.shape, np.nan)
    for code, pol in ((0, "VV"), (1, "HH")):
        m = ds.polarisation.values == code
        true = gmf.sigma0(speed[m], rel[m], ds.incidence.values[m], pol)
        ratio[m] = ds.sigma0.values[m] / true
    z = (ratio[present] - 1) / ds.kp.values[present]
    n = z.size
    assert n > 50_000
    assert abs(z.mean()) < 4 / np.sqrt(n)
    assert abs(z.std() - 1) < 4 / np.sqrt(2 * n)
    # and directly: std of measured/true - 1 equals Kp in a narrow Kp bin
    kp = ds.kp.values[present]
    sel = (kp > 0.05) & (kp < 0.055)
    assert np.std(ratio[present][sel] - 1) == pytest.approx(np.mean(kp[sel]), rel=0.05)
    # typical ocean sigma0 gets Kp ~ 0.05-0.15
    assert 0.05 <= np.median(kp) <= 0.15


def test_holland_profile():
    pc, pn, rmax, b = 950e2, 1010e2, 30e3, 1.6
    r = np.linspace(5e3, 300e3, 5901)
    still = holland_wind(r, pc, pn, rmax, b, lat=0.0)
    assert r[still.argmax()] == pytest.approx(rmax, abs=60)
    # Holland (1980) Eq. 6: cyclostrophic maximum sqrt(B dp / (rho e))
    assert still.max() == pytest.approx(np.sqrt(b * (pn - pc) / (RHO_AIR * np.e)), rel=1e-6)
    lat = 20.0
    f = 2 * 7.2921150e-5 * np.sin(np.radians(lat))
    x = (rmax / r) ** b
    expected = np.sqrt(b / RHO_AIR * x * (pn - pc) * np.exp(-x) + (r * f / 2) ** 2) - r * f / 2
    v = holland_wind(r, pc, pn, rmax, b, lat)
    np.testing.assert_allclose(v, expected, rtol=1e-12)
    assert r[v.argmax()] == pytest.approx(rmax, rel=0.03)
    assert np.all(v < still)  # Coriolis lowers the gradient wind of a cyclone


@pytest.mark.parametrize(
    ("lat0", "expected"),
    [
        (20.0, {"N": 270 - 20, "E": 0 - 20, "S": 90 - 20, "W": 180 - 20}),
        (-20.0, {"N": 90 + 20, "E": 180 + 20, "S": 270 + 20, "W": 0 + 20}),
    ],
)
def test_cyclone_rotation(lat0, expected):
    """Counter-clockwise (NH) / clockwise (SH) flow, 20 deg inflow, "to" directions."""
    d = 1.0  # degree, ~3 Rmax
    pts = {"N": (lat0 + d, 140.0), "E": (lat0, 140.0 + d), "S": (lat0 - d, 140.0)}
    pts["W"] = (lat0, 140.0 - d)
    lat = np.array([p[0] for p in pts.values()])
    lon = np.array([p[1] for p in pts.values()])
    speed, wind_dir = cyclone_field(lat, lon, lat0, 140.0, steering_uv=(0.0, 0.0))
    for k, key in enumerate(pts):
        assert abs(_dircmp(wind_dir[k], expected[key])) < 1.0, key
    assert np.all(speed > 10)


def test_cyclone_scene_reaches_its_peak():
    ds = simulate_orbit_segment(160, "cyclone", seed=1, pc=950e2, rmax=40e3, land=False)
    assert ds.truth_speed.max() > 35
    peak = np.unravel_index(ds.truth_speed.values.argmax(), ds.truth_speed.shape)
    assert 25 <= peak[1] <= 37  # centre ~200 km right of the track


def test_background_error_statistics():
    rng = np.random.default_rng(3)
    speed, wind_dir = synoptic_field((400, 42), rng)
    ms, md = add_background_error(speed, wind_dir, rng)
    u, v = speed_dir_to_uv(speed, wind_dir)
    um, vm = speed_dir_to_uv(ms, md)
    du, dv = um - u, vm - v
    rms = np.sqrt(np.mean(du**2 + dv**2))
    assert 1.5 <= rms <= 2.0
    # spatially correlated: neighbours (25 km) nearly equal, 1000 km apart nearly independent
    near = np.corrcoef(du[:-1].ravel(), du[1:].ravel())[0, 1]
    far = np.corrcoef(du[:-40].ravel(), du[40:].ravel())[0, 1]
    assert near > 0.9 and abs(far) < 0.3


def test_synoptic_speed_range():
    rng = np.random.default_rng(4)
    speed, wind_dir = synoptic_field((100, 42), rng, speed_range=(5.0, 20.0))
    assert speed.min() >= 5.0 and speed.max() <= 20.0
    assert np.all((wind_dir >= 0) & (wind_dir < 360))
    assert speed.std() > 1.0


def test_swath_positions_and_azimuth():
    lat, lon, t = swath_lat_lon(3, start_lat=0.0, start_lon=10.0, ascending=True)
    assert lat.shape == (3, 42) and t[1] == pytest.approx(25e3 / CFOSAT_SCAT.ground_speed_m_s)
    # cell 0 is left (west) of an ascending track, neighbours 25 km apart
    assert lon[0, 0] < lon[0, 41]
    dist = 6371.0088e3 * np.radians(np.hypot(lat[0, 1] - lat[0, 0], lon[0, 1] - lon[0, 0]))
    assert dist == pytest.approx(25e3, rel=0.01)
    ds = simulate_l1b(
        np.full(lat.shape, 8.0),
        np.zeros(lat.shape),
        lat,
        lon,
        np.arange(3).astype("datetime64[s]"),
        rng=1,
        ascending=True,
    )
    heading = np.degrees(np.arctan2(lon[1, 20] - lon[0, 20], lat[1, 20] - lat[0, 20])) % 360
    # fore looks of the nadir cells point along the heading, aft looks opposite
    fore = ds.azimuth.values[:, 20:22][ds.look.values[:, 20:22] == 0]
    aft = ds.azimuth.values[:, 20:22][ds.look.values[:, 20:22] == 1]
    assert np.all(np.abs(_dircmp(fore, heading)) < 6)
    assert np.all(np.abs(_dircmp(aft, heading + 180)) < 6)


def test_full_segment_size():
    # speed is measured in benchmarks/, never asserted here
    ds = simulate_orbit_segment(500, "synoptic", seed=2)
    assert ds.sizes["numrows"] * ds.sizes["numcells"] == 21_000


def test_input_errors():
    lat, lon, _ = swath_lat_lon(4)
    with pytest.raises(InputError, match="numrows"):
        simulate_l1b(np.ones((4, 40)), np.ones((4, 40)), lat[:, :40], lon[:, :40], None, 0)
    with pytest.raises(InputError, match="truth_dir"):
        simulate_l1b(np.ones((4, 42)), np.ones((3, 42)), lat, lon, None, 0)
    with pytest.raises(InputError, match="l2b_path"):
        simulate_orbit_segment(10, "l2b_background")
    with pytest.raises(InputError, match="unknown scene"):
        simulate_orbit_segment(10, "hurricane")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        read_l2b_background("/nonexistent/file.nc")


@pytest.mark.shared_data
def test_l2b_background_scene(scat_l2b_path):
    bg = read_l2b_background(scat_l2b_path, slice(300, 340))
    assert bg["model_speed"].shape == (40, 42)
    assert np.all(np.isfinite(bg["model_speed"]))
    assert bg["row_time"].dtype == np.dtype("datetime64[ns]")
    ds = simulate_orbit_segment(
        40, "l2b_background", seed=0, l2b_path=scat_l2b_path, l2b_first_row=300
    )
    np.testing.assert_allclose(ds.wvc_lat, bg["wvc_lat"])
    np.testing.assert_allclose(ds.truth_speed, np.clip(bg["model_speed"], 0.2, 50))
    assert np.all(np.abs(_dircmp(ds.truth_dir, bg["model_dir"])) < 1e-9)
    assert np.isfinite(ds.sigma0.values[ds.polarisation.values >= 0]).all()


def test_truth_from_background_fills_gaps():
    speed = np.full((5, 42), 7.0)
    wind_dir = np.full((5, 42), 300.0)
    speed[2, 10:13] = np.nan
    wind_dir[2, 10:13] = np.nan
    s, d = truth_from_background(speed, wind_dir)
    np.testing.assert_allclose(s, 7.0)
    np.testing.assert_allclose(d, 300.0)
    with pytest.raises(InputError):
        truth_from_background(np.full((2, 42), np.nan), np.full((2, 42), np.nan))


def test_fixed_numviews():
    lat, lon, t = swath_lat_lon(6)
    times = np.datetime64("2021-01-01", "ns") + (t * 1e9).astype("timedelta64[ns]")
    ds = simulate_l1b(
        np.full(lat.shape, 9.0),
        np.full(lat.shape, 30.0),
        lat,
        lon,
        times,
        0,
        max_views=20,
        model_speed=np.full(lat.shape, 9.0),
        model_dir=np.full(lat.shape, 30.0),
    )
    assert ds.sizes["numviews"] == 20
    assert np.all(ds.polarisation.values[..., 18:] == -1)
    np.testing.assert_allclose(ds.model_speed, 9.0)
