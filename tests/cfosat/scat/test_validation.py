"""Issue 14: damaged and impossible SCAT / ASCAT inputs end in a clean, exact outcome.

Bad values are written into copies of the real files (when ../shared is present) or into
small simulated files; every outcome is asserted: the masked count and cell, or the InputError
naming the file and the variable.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import netCDF4
import numpy as np
import pytest

from fcspace.cfosat.scat import io
from fcspace.cfosat.scat.input_checks import check_simulation_inputs, validate_l1b_inputs
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.core.errors import ConfigError, InputError
from fcspace.core.validation import MASKED_ATTR, masked_counts

CELL = (481, 31)  # a cell of the real L2B: latitude 17.55, selected wind 10.35 m/s


def _edit(src: Path, dst: Path, name: str, index: tuple, raw_value) -> Path:
    """Copy ``src`` to ``dst`` and store ``raw_value`` (packed units) at ``name[index]``."""
    shutil.copy(src, dst)
    with netCDF4.Dataset(dst, "r+") as nc:
        var = nc[name]
        var.set_auto_maskandscale(False)
        var[index] = raw_value
    return dst


@pytest.mark.shared_data
def test_real_files_have_nothing_masked(scat_l2b_path: Path, ascat_l2_path: Path) -> None:
    for ds in (io.open_l2b(scat_l2b_path), io.open_knmi_l2(ascat_l2_path)):
        assert masked_counts(ds) == {}
        assert MASKED_ATTR not in ds.attrs and "flag_out_of_range" not in ds


@pytest.mark.shared_data
def test_flipped_latitude_is_masked_and_counted(scat_l2b_path: Path, tmp_path: Path) -> None:
    good = io.open_l2b(scat_l2b_path)
    assert good["wvc_lat"].values[CELL] == 17.55
    bad = _edit(scat_l2b_path, tmp_path / "flip.nc", "wvc_lat", CELL, -13349)  # 17.55 -> -133.49
    ds = io.open_l2b(bad)
    assert masked_counts(ds) == {"wvc_lat": 1}
    assert ds.attrs[MASKED_ATTR] == "wvc_lat: 1"
    assert np.isnan(ds["wvc_lat"].values[CELL]) and np.isnan(ds["wvc_lon"].values[CELL])
    assert ds["flag_out_of_range"].values.sum() == 1 and ds["flag_out_of_range"].values[CELL]
    summary = io.l2b_summary(ds)  # what `scat info` reports
    assert summary["lat_range"][0] >= -90.0
    # every other value reads exactly as before
    lat = ds["wvc_lat"].values.copy()
    lat[CELL] = good["wvc_lat"].values[CELL]
    np.testing.assert_array_equal(lat, good["wvc_lat"].values)
    np.testing.assert_array_equal(ds["wind_speed"].values, good["wind_speed"].values)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("wind_speed_selection", -500, "wind_speed_selection"),  # -5 m/s
        ("wind_speed_selection", 30000, "wind_speed_selection"),  # 300 m/s
        ("wvc_lat", 20000, "wvc_lat"),  # latitude 200
        ("model_dir", 3700, "model_dir"),  # 370 deg
    ],
)
def test_impossible_values_are_masked(
    scat_l2b_path: Path, tmp_path: Path, name: str, raw: int, expected: str
) -> None:
    ds = io.open_l2b(_edit(scat_l2b_path, tmp_path / "bad.nc", name, CELL, raw))
    assert masked_counts(ds) == {expected: 1}
    assert np.isnan(ds[name].values[CELL])


@pytest.mark.shared_data
def test_wvc_selection_9_is_masked_to_no_selection(scat_l2b_path: Path, tmp_path: Path) -> None:
    ds = io.open_l2b(_edit(scat_l2b_path, tmp_path / "sel.nc", "wvc_selection", CELL, 9))
    assert masked_counts(ds) == {"wvc_selection": 1}
    assert ds["wvc_selection"].values[CELL] == 0 and ds["flag_out_of_range"].values[CELL]


@pytest.mark.shared_data
@pytest.mark.parametrize("scale", [0.0, np.nan])
def test_impossible_scale_factor_is_refused(
    scat_l2b_path: Path, tmp_path: Path, scale: float
) -> None:
    dst = tmp_path / "scale.nc"
    shutil.copy(scat_l2b_path, dst)
    with netCDF4.Dataset(dst, "r+") as nc:
        nc["wind_speed_selection"].scale_factor = scale
    with pytest.raises(InputError, match="impossible scale_factor") as err:
        io.open_l2b(dst)
    assert err.value.path == str(dst) and err.value.variable == "wind_speed_selection"
    with pytest.raises(InputError) as err:
        io.read_l2b_background(dst)
    assert err.value.path == str(dst) and err.value.variable == "wind_speed_selection"


@pytest.mark.shared_data
def test_all_fill_latitudes_are_refused(scat_l2b_path: Path, tmp_path: Path) -> None:
    bad = _edit(scat_l2b_path, tmp_path / "fill.nc", "wvc_lat", slice(None), -32768)
    with pytest.raises(InputError, match="no valid value") as err:
        io.open_l2b(bad)
    assert err.value.path == str(bad) and err.value.variable == "wvc_lat"


@pytest.mark.shared_data
def test_row_times_out_of_order_or_before_launch_are_refused(
    scat_l2b_path: Path, tmp_path: Path
) -> None:
    early = np.array(list("2021-08-01T02:00:00Z"), "S1")
    bad = _edit(scat_l2b_path, tmp_path / "order.nc", "row_time", (800, slice(None)), early)
    with pytest.raises(InputError, match="1 step\\(s\\) backwards") as err:
        io.open_l2b(bad)
    assert err.value.path == str(bad) and err.value.variable == "row_time"
    old = np.array(list("2017-08-01T03:10:11Z"), "S1")
    bad = _edit(scat_l2b_path, tmp_path / "old.nc", "row_time", (0, slice(None)), old)
    with pytest.raises(InputError, match="outside the valid range") as err:
        io.open_l2b(bad)
    assert err.value.variable == "row_time"


@pytest.mark.shared_data
def test_ascat_1963_start_time_is_refused(ascat_l2_path: Path, tmp_path: Path) -> None:
    days = (np.datetime64("1963-01-01") - np.datetime64("1990-01-01")).astype(int)
    seconds_1963 = int(days) * 86400
    bad = _edit(ascat_l2_path, tmp_path / "ascat.nc", "time", (0, slice(None)), seconds_1963)
    with pytest.raises(InputError, match="outside the valid range") as err:
        io.open_knmi_l2(bad)
    assert err.value.path == str(bad) and err.value.variable == "row_time"
    assert "1963-01-01" in str(err.value)


@pytest.mark.shared_data
def test_ascat_speed_outside_declared_range_is_masked(ascat_l2_path: Path, tmp_path: Path) -> None:
    bad = _edit(ascat_l2_path, tmp_path / "ascat.nc", "wind_speed", (10, 40), 6000)  # 60 m/s
    ds = io.open_knmi_l2(bad)
    assert masked_counts(ds) == {"wind_speed_selection": 1}
    assert np.isnan(ds["wind_speed_selection"].values[10, 40])


# ------------------------------------------------------------------ L1B and the processor


@pytest.fixture(scope="module")
def l1b():
    return simulate_orbit_segment(6, "synoptic", seed=3)


def test_all_negative_sigma0_is_refused(l1b) -> None:
    bad = l1b.copy(deep=True)
    bad["sigma0"] = -abs(bad["sigma0"])
    with pytest.raises(InputError, match="no valid sigma0") as err:
        validate_l1b_inputs(bad, "x_L1B.nc")
    assert err.value.variable == "sigma0" and err.value.path == "x_L1B.nc"


def test_sigma0_in_db_is_refused(l1b) -> None:
    bad = l1b.copy(deep=True)
    bad["sigma0"] = 10 * np.log10(bad["sigma0"].clip(1e-6))
    with pytest.raises(InputError, match="dB instead of linear"):
        validate_l1b_inputs(bad)


def test_incidence_200_is_refused_by_reader_and_processor(l1b, tmp_path: Path) -> None:
    bad = l1b.copy(deep=True)
    bad["incidence"].values[1, 2, 0] = 200.0
    with pytest.raises(InputError, match="1 value\\(s\\) outside") as err:
        validate_l1b_inputs(bad)
    assert err.value.variable == "incidence"
    path = io.write_l1b(bad, tmp_path / "bad_L1B.nc")
    with pytest.raises(InputError) as err:
        io.open_l1b(path)
    assert err.value.path == str(path) and err.value.variable == "incidence"


def test_clean_l1b_reads_unchanged(l1b, tmp_path: Path) -> None:
    back = io.open_l1b(io.write_l1b(l1b, tmp_path / "ok_L1B.nc"))
    assert masked_counts(back) == {}
    assert validate_l1b_inputs(l1b) is l1b


def test_negative_kp_views_are_masked(l1b) -> None:
    bad = l1b.copy(deep=True)
    bad["kp"].values[0, 0, :2] = -1.0
    out = validate_l1b_inputs(bad)
    assert masked_counts(out) == {"kp": 2}
    assert np.isnan(out["kp"].values[0, 0, :2]).all()


def test_byte_flips_in_compressed_l1b_give_input_errors(l1b, tmp_path: Path) -> None:
    """Flipped bytes in a deflated NetCDF-4 L1B: InputError naming the file, never a traceback."""
    src = io.write_l1b(l1b, tmp_path / "src_L1B.nc")
    data = src.read_bytes()
    outcomes = []
    for i, offset in enumerate(np.linspace(len(data) * 0.3, len(data) - 64, 25).astype(int)):
        flipped = bytearray(data)
        flipped[offset] ^= 0xFF
        path = tmp_path / f"flip{i}_L1B.nc"
        path.write_bytes(bytes(flipped))
        try:
            io.open_l1b(path)
            outcomes.append("read")
        except InputError as err:
            assert err.path == str(path)
            outcomes.append("error")
    assert "error" in outcomes  # the library errors ("NetCDF: HDF error") are InputErrors


def test_simulator_parameters_are_checked() -> None:
    with pytest.raises(ConfigError, match="start_lat"):
        simulate_orbit_segment(3, "synoptic", start_lat=200.0)
    with pytest.raises(ConfigError, match="n_rows"):
        simulate_orbit_segment(0, "synoptic")
    ones = np.ones((2, 42))
    with pytest.raises(InputError, match="outside") as err:
        check_simulation_inputs(-5 * ones, ones, ones, ones)
    assert err.value.variable == "truth_speed"
    with pytest.raises(InputError) as err:
        check_simulation_inputs(ones, ones, 200 * ones, ones)
    assert err.value.variable == "wvc_lat"
    with pytest.raises(ConfigError, match="rotation_phase_deg"):
        check_simulation_inputs(ones, ones, ones, ones, rotation_phase_deg=np.nan)
