"""SWIM L1 simulator: layout, truth consistency, reproducibility, L1 file I/O and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import io as swim_io
from fcspace.cfosat.swim import simulate as sim
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.core.errors import InputError

N_BOX = 12


@pytest.fixture(scope="module")
def l1() -> xr.Dataset:
    return sim.simulate_orbit_segment(N_BOX, seed=7)


def test_layout_matches_the_documented_dims(l1):
    for name, dims in swim_io.L1_DIMS.items():
        assert l1[name].dims == dims, name
    assert l1.sizes["n_posneg"] == 2 and l1.sizes["n_gates"] == CFOSAT_SWIM.n_gates
    assert l1["beam_incidence"].values.tolist() == [6.0, 8.0, 10.0]
    # ~58 native waveforms per 90 km box at 4.5 Hz and ~7 km/s
    assert 50 * N_BOX < l1.sizes["n_nadir_native"] < 65 * N_BOX
    assert np.all(np.diff(l1["time_nadir_native"].values) > np.timedelta64(0))
    assert (l1["waveform"].values > 0).all() and np.isfinite(l1["periodogram"].values).all()
    truth = [n for n in l1.data_vars if n.startswith("truth_")]
    assert {"truth_swh_box", "truth_pp_mean", "truth_wave_param_system"} <= set(truth)


def test_geometry_boxes_each_side_of_an_ascending_track(l1):
    lat = l1["lat_nadir_l2"].values
    assert np.all(np.diff(lat) > 0.7) and np.all(np.diff(lat) < 0.9)  # 90 km boxes northward
    heading = l1["phi_orbit_box"].values
    assert np.all((heading > 340) & (heading < 355))  # ascending sun-synchronous: NNW
    R = CFOSAT_SWIM.earth_radius_m
    for side in (0, 1):
        dlat = np.radians(l1["lat_spec_l2"].values[side] - lat)
        dlon = np.radians(l1["lon_spec_l2"].values[side] - l1["lon_nadir_l2"].values)
        dist = R * np.hypot(dlat, dlon * np.cos(np.radians(lat)))
        np.testing.assert_allclose(dist, sim.SPEC_CROSS_TRACK_M, rtol=0.01)
    # side 0 is right of the (northward) track: east of it
    assert np.all(l1["lon_spec_l2"].values[0] > l1["lon_nadir_l2"].values)


def test_storm_with_swell_truth(l1):
    hs_box = l1["truth_swh_box"].values
    assert 6.5 < hs_box.max() < 8.5 and hs_box.min() < 4.0  # storm up to ~8 m
    par = l1["truth_wave_param_system"].values  # (nparam, system, side, box)
    assert np.all((par[1, 1] > 200) & (par[1, 1] < 400))  # swell 200-400 m
    total = np.hypot(par[0, 0], par[0, 1])
    np.testing.assert_allclose(l1["truth_wave_param"].values[0], total, rtol=1e-6)
    # nadir truth: hypot of the two systems at nadir, box mean of the native truth
    assert np.isclose(l1["truth_swh_native"].max(), hs_box.max(), rtol=0.05)


def test_reproducible_with_a_seed():
    a = sim.simulate_orbit_segment(3, seed=11)
    b = sim.simulate_orbit_segment(3, seed=11)
    c = sim.simulate_orbit_segment(3, seed=12)
    xr.testing.assert_identical(a.drop_attrs(), b.drop_attrs())
    assert not np.array_equal(a["waveform"].values, c["waveform"].values)
    np.testing.assert_array_equal(a["truth_pp_mean"].values, c["truth_pp_mean"].values)


def test_bad_arguments():
    with pytest.raises(InputError, match="unknown scene"):
        sim.simulate_orbit_segment(4, scene="calm")
    with pytest.raises(InputError, match="at least 2 boxes"):
        sim.simulate_orbit_segment(1)
    with pytest.raises(InputError, match="scene parameter"):
        sim.simulate_orbit_segment(4, no_such_field=1.0)


def test_l1_round_trip(l1, tmp_path):
    path = swim_io.write_l1(l1, tmp_path / "l1.nc")
    back = swim_io.open_l1(path)
    np.testing.assert_array_equal(back["time_nadir_native"].values, l1["time_nadir_native"].values)
    np.testing.assert_allclose(back["periodogram"].values, l1["periodogram"].values, rtol=1e-6)
    np.testing.assert_allclose(back["waveform"].values, l1["waveform"].values, rtol=1e-6)
    assert back["waveform"].dtype == np.float64
    assert "written as SWIM L1" in back.attrs["history"]


def test_open_l1_refuses_bad_files(l1, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        swim_io.open_l1(tmp_path / "missing.nc")
    text = tmp_path / "text.nc"
    text.write_text("not netcdf")
    with pytest.raises(InputError, match="not a NetCDF"):
        swim_io.open_l1(text)
    good = swim_io.write_l1(l1, tmp_path / "good.nc")
    cut = tmp_path / "cut.nc"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError):
        swim_io.open_l1(cut)
    partial = tmp_path / "partial.nc"
    l1.drop_vars("periodogram").to_netcdf(partial)
    with pytest.raises(InputError, match="periodogram"):
        swim_io.open_l1(partial)


def test_write_l1_refuses_bad_data_and_leaves_nothing(l1, tmp_path):
    bad = l1.copy()
    bad["waveform"] = bad["waveform"] * np.nan
    with pytest.raises(InputError, match="waveform"):
        swim_io.write_l1(bad, tmp_path / "bad.nc")
    with pytest.raises(InputError, match="dims"):
        swim_io.write_l1(l1.assign(mss=l1["mss"].T), tmp_path / "bad.nc")
    assert list(tmp_path.iterdir()) == []
