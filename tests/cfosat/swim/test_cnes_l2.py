"""SWIM L2 in the CNES layout (issue 15): real names, a user's script, round trips, land."""

from __future__ import annotations

from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import cnes_l2, io
from fcspace.cfosat.swim.process import MIN_WAVEFORMS_BOX, box_of_waveforms, l1_to_l2
from fcspace.cfosat.swim.simulate import simulate_orbit_segment
from fcspace.testing import fake_swim_l2

#: Every name that public code reading the real CNES L2 uses (issue 15), by dims.
REAL_DIMS = {
    "lat_nadir_1Hz": ("n_nad_1Hz",), "lon_nadir_1Hz": ("n_nad_1Hz",),
    "time_nadir_1Hz": ("n_nad_1Hz",), "nadir_swh_1Hz": ("n_nad_1Hz",),
    "nadir_swh_1Hz_std": ("n_nad_1Hz",), "nadir_swh_1Hz_used_native": ("n_nad_1Hz",),
    "flag_valid_swh_1Hz": ("n_nad_1Hz",), "nadir_wind_1Hz": ("n_nad_1Hz",),
    "flag_valid_wind_1Hz": ("n_nad_1Hz",),
    "lat_l2anad_0": ("n_mcycles",), "lon_l2anad_0": ("n_mcycles",),
    "time_nadir_native": ("n_mcycles", "n_tim"), "nadir_swh_native": ("n_mcycles",),
    "nadir_swh_native_validity": ("n_mcycles",), "nadir_wind_native": ("n_mcycles",),
    "time_l2": ("n_posneg", "n_box", "n_tim"), "time_nadir_l2": ("n_box", "n_tim"),
    "lat_l2": ("n_posneg", "n_box"), "lon_l2": ("n_posneg", "n_box"),
    "min_lat_l2": ("n_posneg", "n_box"), "max_lat_l2": ("n_posneg", "n_box"),
    "min_lon_l2": ("n_posneg", "n_box"), "max_lon_l2": ("n_posneg", "n_box"),
    "lat_spec_l2": ("n_posneg", "n_box"), "lon_spec_l2": ("n_posneg", "n_box"),
    "pp_mean": ("nk", "n_phi", "n_posneg", "n_box", "n_beam_l2"),
    "wave_param": ("nparam", "n_posneg", "n_box", "n_beam_l2"),
    "wave_param_part": ("nparam", "npartitions", "n_posneg", "n_box", "n_beam_l2"),
    "k_spectra": ("nk",), "phi_vector": ("n_phi",), "swh_ecmwf": ("n_posneg", "n_box"),
    "nadir_swh_box": ("n_box",), "flag_valid_swh_box": ("n_box",),
}  # fmt: skip
EPOCH = np.datetime64("2009-01-01T00:00:00", "ns")


@pytest.fixture(scope="module")
def l2() -> xr.Dataset:
    return l1_to_l2(simulate_orbit_segment(4, seed=2))


@pytest.fixture(scope="module")
def l2_path(l2: xr.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return io.write_l2(l2, tmp_path_factory.mktemp("cnes") / "CFO_SIM_SWI_L2_____F.nc")


def test_simulated_pass_reads_back_identically(l2: xr.Dataset, l2_path: Path) -> None:
    back = io.open_l2(l2_path)
    assert set(back.data_vars) == set(l2.data_vars)
    for name in l2.data_vars:
        a, b = l2[name].transpose(*back[name].dims).values, back[name].values
        if a.dtype.kind == "f":  # stored as float32: float32 precision
            np.testing.assert_allclose(b, a.astype(np.float32), rtol=0, atol=0, err_msg=name)
        else:  # times to the microsecond, flags and counts exactly
            np.testing.assert_array_equal(b, a, err_msg=name)
    assert io.open_swim(l2_path).equals(back)


def test_user_script_with_real_names_only(l2: xr.Dataset, l2_path: Path) -> None:
    """What a script written for the real L2 does: plain xarray / netCDF4, real names."""
    ds = xr.open_dataset(l2_path)  # CF decoding on, as users open files
    for name, dims in REAL_DIMS.items():
        assert ds[name].dims == dims, name
    assert ds.sizes["n_phi"] == 12 and ds.sizes["n_beam_l2"] == 3
    # times as the public readers decode them: 2009-01-01 + s + us, and CF for the 1 Hz time
    with netCDF4.Dataset(l2_path) as nc:
        cols = np.asarray(nc["time_nadir_native"][:])
        box = np.asarray(nc["time_l2"][:])
    native = EPOCH + cols[:, 0] * np.timedelta64(1, "s") + cols[:, 1] * np.timedelta64(1, "us")
    np.testing.assert_array_equal(native, l2["time_nadir_native"].values)
    spec = EPOCH + box[..., 0] * np.timedelta64(1, "s") + box[..., 1] * np.timedelta64(1, "us")
    np.testing.assert_array_equal(spec, l2["time_spec_l2"].values)
    # float seconds since 2009 carry ~60 ns of precision: CF decoding is within 1 us
    err = np.abs(ds["time_nadir_1Hz"].values - l2["time_nadir_1hz"].values)
    assert err.max() < np.timedelta64(1, "us")
    # the native rate: one value per macrocycle, about 5 Hz
    step = np.median(np.diff(native)) / np.timedelta64(1, "ms")
    assert 180.0 < step < 250.0
    # validity flags and values as a user reads them (0 = valid)
    swh = ds["nadir_swh_1Hz"].values[ds["flag_valid_swh_1Hz"].values == 0]
    assert swh.size > 0 and np.all((swh > 0.5) & (swh < 15))
    assert (ds["nadir_swh_1Hz_used_native"].values[ds["flag_valid_swh_1Hz"].values == 0] >= 2).all()
    assert np.isfinite(ds["nadir_wind_native"].values[ds["nadir_swh_native_validity"] == 0]).all()
    # half-plane pp_mean: a full-circle spectrum from it is the in-memory one
    assert ds["phi_vector"].values[-1] == 172.5
    full = np.concatenate([ds["pp_mean"].values] * 2, axis=1)
    np.testing.assert_allclose(full, l2["pp_mean"].transpose(*ds["pp_mean"].dims).values,
                               rtol=1e-6)  # fmt: skip
    # box bounds enclose the spectrum location
    lat, lon = ds["lat_spec_l2"].values, ds["lon_spec_l2"].values
    assert (ds["min_lat_l2"].values < lat).all() and (lat < ds["max_lat_l2"].values).all()
    assert (ds["min_lon_l2"].values < lon).all() and (lon < ds["max_lon_l2"].values).all()
    ds.close()


def test_fake_in_testing_has_the_cnes_layout(tmp_path: Path) -> None:
    path = fake_swim_l2(tmp_path)
    with netCDF4.Dataset(path) as nc:
        for name, dims in REAL_DIMS.items():
            assert nc[name].dimensions == dims, name
        assert nc.getncattr("fcspace_swim_layout") == cnes_l2.LAYOUT_VALUE
    assert "nadir_swh_1hz" in io.open_l2(path)


def test_tolerant_reading_of_an_unknown_real_layout(l2_path: Path, tmp_path: Path) -> None:
    """A real file (no fcspace attribute): time columns on n_time, 1 Hz time as columns,
    no beam_incidence, an optional variable of unknown dims and an extra on the half plane."""
    ref = io.open_l2(l2_path)
    raw = xr.open_dataset(l2_path, decode_times=False, mask_and_scale=False).load()
    del raw.attrs["fcspace_swim_layout"]
    t = raw["time_nadir_1Hz"].values
    sec = np.floor(t)
    cols = np.stack([sec, np.round((t - sec) * 1e6)], -1).astype(np.int64)
    raw["time_nadir_1Hz"] = xr.DataArray(cols, dims=("n_nad_1Hz", "n_tim"))
    raw["time_nadir_native"] = raw["time_nadir_native"].rename(n_tim="n_time")
    raw = raw.drop_vars("beam_incidence")
    raw["u10_ecmwf"] = xr.DataArray(np.zeros((raw.sizes["n_box"], 3)), dims=("n_box", "n_x"))
    raw["flag_sigma0_shape_box"] = xr.DataArray(
        np.zeros((12, 2, raw.sizes["n_box"], 3), np.int8), dims=("n_phi", "n_posneg", "n_box",
                                                                  "n_beam_l2"))  # fmt: skip
    raw.to_netcdf(tmp_path / "real_like.nc")
    back = io.open_swim(tmp_path / "real_like.nc")
    np.testing.assert_array_equal(back["time_nadir_1hz"].values, ref["time_nadir_1hz"].values)
    np.testing.assert_array_equal(back["time_nadir_native"].values,
                                  ref["time_nadir_native"].values)  # fmt: skip
    np.testing.assert_array_equal(back["beam_incidence"].values, [6.0, 8.0, 10.0])
    assert "u10_ecmwf" not in back and "u10_ecmwf" in back.attrs["fcspace_not_read"]
    assert back["flag_sigma0_shape_box"].dims[0] == "n_phi_half"
    np.testing.assert_array_equal(back["pp_mean"].values, ref["pp_mean"].values)


# --------------------------------------------------------------------------------------------
# Land: a segment across the Solomon Islands
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def land_pass(tmp_path_factory: pytest.TempPathFactory) -> tuple[xr.Dataset, xr.Dataset]:
    l1 = simulate_orbit_segment(6, seed=0, start_lat=-10.5, start_lon=160.0)
    path = io.write_l2(l1_to_l2(l1), tmp_path_factory.mktemp("land") / "land.nc")
    return l1, io.open_l2(path)


def test_no_wave_or_wind_over_land_all_flagged(land_pass: tuple[xr.Dataset, xr.Dataset]) -> None:
    l1, l2 = land_pass
    over = l1["land_fraction_native"].values > 0
    assert over.sum() > 100 and (~over).sum() > 100  # the segment crosses land and sea
    # native nadir samples over land: 0 with SWH or wind, all flagged invalid
    for name in ("nadir_swh_native", "nadir_wind_native", "truth_wind_native", "truth_swh_native"):
        src = l1 if name.startswith("truth") else l2
        assert np.isfinite(src[name].values[over]).sum() == 0, name
    assert (l2["flag_valid_swh_native"].values[over] == 1).all()
    assert (l2["flag_valid_wind_native"].values[over] == 1).all()
    # box sides over land: no spectrum, no wave parameter, every bin flagged
    side = l1["land_fraction_box"].transpose("n_posneg", "n_box").values > 0
    assert side.sum() >= 4 and (~side).sum() >= 2
    pp = l2["pp_mean"].transpose("n_posneg", "n_box", ...).values
    flag = l2["flag_valid_pp_mean"].transpose("n_posneg", "n_box", ...).values
    wave = l2["wave_param"].transpose("n_posneg", "n_box", ...).values
    assert np.isfinite(pp[side]).sum() == 0 and (flag[side] == 1).all()
    assert np.isfinite(wave[side]).sum() == 0
    assert np.isfinite(l2["swh_ecmwf"].transpose("n_posneg", "n_box").values[side]).sum() == 0
    # ... and over the sea the spectra are there
    assert np.isfinite(pp[~side]).all() and (flag[~side] == 0).all()


def test_boxes_over_land_have_no_swh_and_are_flagged() -> None:
    """A segment onto New Guinea: the first box is coastal, the next five are over land."""
    l1 = simulate_orbit_segment(6, seed=0, start_lat=-8.5, start_lon=144.0)
    l2 = l1_to_l2(l1)
    over = l1["land_fraction_native"].values > 0
    box = box_of_waveforms(l1)
    ocean = np.array([(~over[box == b]).sum() for b in range(l1.sizes["n_box"])])
    assert ocean[0] >= MIN_WAVEFORMS_BOX and (ocean[1:] == 0).all()
    for name in ("nadir_swh_box", "nadir_wind_box"):
        assert np.isnan(l2[name].values[1:]).all() and np.isfinite(l2[name].values[0])
    assert (l2["flag_valid_swh_box"].values == [0, 1, 1, 1, 1, 1]).all()
    assert (l2["flag_valid_wind_box"].values == [0, 1, 1, 1, 1, 1]).all()
    assert np.isnan(l1["truth_wind_box"].values[1:]).all()


def test_land_false_keeps_the_ocean_signal_everywhere() -> None:
    l1 = simulate_orbit_segment(6, seed=0, start_lat=-10.5, start_lon=160.0, land=False)
    assert np.isfinite(l1["waveform"].values).all() and np.isfinite(l1["periodogram"]).all()
    assert (l1["land_fraction_native"].values == 0).all()
    with_land = simulate_orbit_segment(6, seed=0, start_lat=-10.5, start_lon=160.0)
    ocean = with_land["land_fraction_native"].values == 0
    np.testing.assert_array_equal(with_land["waveform"].values[ocean],
                                  l1["waveform"].values[ocean])  # fmt: skip
