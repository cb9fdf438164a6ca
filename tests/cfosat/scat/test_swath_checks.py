"""Swath consistency of the SCAT readers (issue 14): positions, row times, cell numbers, counts.

Each check is shown on a damaged copy of a clean file (a made one, or the real file when
../shared is present) with the exact value changed and the exact cell masked or the refusal,
and on the clean file with nothing masked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.scat import io
from fcspace.cfosat.scat.product_specs import KNMI_L2_SWATH, NSOAS_L2B_SWATH
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.cfosat.scat.swath_checks import (
    apply_swath_rules,
    cell_index_outliers,
    position_outliers,
    row_time_outliers,
)
from fcspace.core.errors import InputError
from fcspace.core.validation import MASKED_ATTR, masked_counts
from fcspace.testing.data import require_shared
from fcspace.testing.fakes import fake_scat_l2b

L2B_REAL = "cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc"
ASCAT_REAL = "cfosat/ascat_l2/ascat_20210705_000600_metopc_13795_eps_o_250_3203_ovw.l2.nc"


@pytest.fixture(scope="module")
def l2b_fake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_scat_l2b(tmp_path_factory.mktemp("l2b") / "fake_L2B.nc")


@pytest.fixture(scope="module")
def l1b_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return io.write_l1b(simulate_orbit_segment(12, seed=1),
                        tmp_path_factory.mktemp("l1b") / "sim_L1B.nc")  # fmt: skip


def _copy(src: Path, tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


def _edit(path: Path, name: str, func) -> None:
    """Change the stored (packed) values of ``name`` in place with ``func(values) -> values``."""
    with netCDF4.Dataset(path, "r+") as nc:
        nc.set_auto_maskandscale(False)
        var = nc.variables[name]
        var[...] = func(np.array(var[...]))


# ------------------------------------------------------------------------ the functions


def test_position_outliers_finds_the_one_moved_cell() -> None:
    l1b = simulate_orbit_segment(30, seed=0)
    lat, lon = l1b.wvc_lat.values.copy(), l1b.wvc_lon.values.copy()
    assert not position_outliers(lat, lon, 1.0).any()  # a clean swath, even at 1 km
    lat[12, 20] += 0.55  # 61 km north: the real-file byte flip 29.71 -> 29.16, reversed
    lon[3, 0] += 0.2  # an edge cell (one-sided predictions only)
    bad = position_outliers(lat, lon, 10.0)
    assert sorted(map(tuple, np.argwhere(bad).tolist())) == [(3, 0), (12, 20)]


def test_position_outliers_ignore_positions_that_are_no_swath() -> None:
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(-80, 80, (5, 6)), rng.uniform(-180, 180, (5, 6))
    assert not position_outliers(lat, lon, 10.0).any()


def test_row_time_outliers() -> None:
    cadence = np.timedelta64(3_554_615_094, "ns")
    t = np.datetime64("2021-08-01T03:00:00", "ns") + np.arange(20) * cadence
    assert not row_time_outliers(t, 0.75).any()
    late = t.copy()
    late[0] += np.timedelta64(3200, "ms")  # the fuzz suite's time_far on an ns time
    late[7] += np.timedelta64(3200, "ms")
    assert np.flatnonzero(row_time_outliers(late, 0.75)).tolist() == [0, 7]
    rounded = t.astype("datetime64[s]").astype("datetime64[ns]")  # NSOAS: 1 s strings
    assert not row_time_outliers(rounded, 0.75).any()
    gap = t.copy()
    gap[10:] += np.timedelta64(600, "s")  # a gap between two runs of rows: no outlier
    assert not row_time_outliers(gap, 0.75).any()
    assert not row_time_outliers(t[:3] + np.array([0, 9, 1], "timedelta64[s]"), 0.75).any()


def test_cell_index_outliers_use_the_common_offset() -> None:
    idx = np.tile(np.arange(5, 47, dtype=np.int16), (4, 1))  # a subset: columns + 5
    idx[2, 3], idx[1, 1] = 228, -1
    assert np.argwhere(cell_index_outliers(idx, -1)).tolist() == [[2, 3]]


def test_apply_swath_rules_counts_and_flags() -> None:
    l1b = simulate_orbit_segment(10, seed=2)
    ds = l1b[["wvc_lat", "wvc_lon", "row_time"]].copy(deep=True)
    assert apply_swath_rules(ds, NSOAS_L2B_SWATH) is ds  # nothing to mask: the same object
    ds["wvc_lat"][4, 7] = 0.0
    ds["row_time"][6] = ds["row_time"].values[6] + np.timedelta64(3, "s")
    out = apply_swath_rules(ds, NSOAS_L2B_SWATH, flag_variable="flag_out_of_range")
    assert masked_counts(out) == {"wvc_lat": 1, "row_time": 1}
    assert np.isnan(out.wvc_lat[4, 7]) and np.isnan(out.wvc_lon[4, 7])
    assert np.isnat(out.row_time.values[6])
    assert np.argwhere(out.flag_out_of_range.values[:, 7]).ravel().tolist() == [4, 6]
    assert out.flag_out_of_range.values.sum() == 1 + out.sizes["numcells"]


# ------------------------------------------------------------------------ the readers


def test_clean_files_have_nothing_masked(l2b_fake: Path, l1b_file: Path) -> None:
    for ds in (io.open_l2b(l2b_fake), io.open_l1b(l1b_file)):
        assert MASKED_ATTR not in ds.attrs and masked_counts(ds) == {}
        assert "flag_out_of_range" not in ds


def test_real_files_read_with_nothing_masked() -> None:
    nsoas, knmi = io.open_l2b(require_shared(L2B_REAL)), io.open_knmi_l2(
        require_shared(ASCAT_REAL))  # fmt: skip
    for ds in (nsoas, knmi):
        assert masked_counts(ds) == {} and "flag_out_of_range" not in ds
    bg = io.read_l2b_background(require_shared(L2B_REAL))
    np.testing.assert_allclose(bg["wvc_lat"], nsoas.wvc_lat.values, atol=1e-5)  # same NaNs


def test_real_l2b_latitude_moved_in_range_is_masked(tmp_path: Path) -> None:
    path = _copy(require_shared(L2B_REAL), tmp_path)
    clean = io.open_l2b(path)
    _edit(path, "wvc_lat", lambda v: np.where(np.arange(v.size).reshape(v.shape) == 539 * 42 + 16,
                                              v - 55, v))  # fmt: skip
    ds = io.open_l2b(path)
    assert float(clean.wvc_lat[539, 16]) == pytest.approx(29.71)
    assert masked_counts(ds) == {"wvc_lat": 1}
    assert np.isnan(ds.wvc_lat[539, 16]) and np.isnan(ds.wvc_lon[539, 16])
    assert int(ds.flag_out_of_range.sum()) == 1
    keep = ~ds.flag_out_of_range.values
    assert np.array_equal(ds.wvc_lat.values[keep], clean.wvc_lat.values[keep], equal_nan=True)


def test_knmi_longitude_and_cell_number_flips_are_masked(tmp_path: Path) -> None:
    path = _copy(require_shared(ASCAT_REAL), tmp_path)
    clean = io.open_knmi_l2(path)
    with netCDF4.Dataset(path, "r+") as nc:
        nc.set_auto_maskandscale(False)
        lon = np.array(nc["lon"][...])
        lon[731, 17] -= 6400  # 0.064 deg, 6.8 km at 16 N (a byte flip of the fuzz suite)
        nc["lon"][...] = lon
        index = np.array(nc["wvc_index"][...])
        index[669, 26] = 228
        nc["wvc_index"][...] = index
    ds = io.open_knmi_l2(path)
    assert masked_counts(ds) == {"wvc_lat": 1, "wvc_index": 1}
    assert np.isnan(ds.wvc_lon[731, 17]) and int(ds.wvc_index[669, 26]) == -1
    assert int(clean.wvc_index[669, 26]) == 27


def test_knmi_all_fill_cell_numbers_refused(tmp_path: Path) -> None:
    path = _copy(require_shared(ASCAT_REAL), tmp_path)
    _edit(path, "wvc_index", lambda v: np.full_like(v, -32767))
    with pytest.raises(InputError, match="wvc_index") as err:
        io.open_knmi_l2(path)
    assert path.name in str(err.value)


def test_fill_only_num_ambigs_refused(l2b_fake: Path, tmp_path: Path) -> None:
    path = _copy(l2b_fake, tmp_path)
    _edit(path, "num_ambigs", lambda v: np.full_like(v, -128))
    with pytest.raises(InputError, match="num_ambigs.*contradicts itself") as err:
        io.open_l2b(path)
    assert path.name in str(err.value)


def test_time_a_century_late_refused_and_seconds_late_masked(
    l2b_fake: Path, tmp_path: Path
) -> None:
    """The range rule refuses a time 100 years late; a row 3.2 s late is off the cadence.

    The fuzz suite's ``time_far`` adds ``3.2e9`` in the variable's units and does not know
    "nanoseconds": on fcspace's int64 ns times it moves the row by 3.2 s, not 100 years.
    """
    far = _copy(l2b_fake, tmp_path)
    _edit(far, "row_time", lambda v: v + np.where(np.arange(v.size) == 3, 3_200_000_000 * 10**9, 0))
    with pytest.raises(InputError, match="row_time") as err:
        io.open_l2b(far)
    assert far.name in str(err.value)
    near = tmp_path / "near" / l2b_fake.name
    near.parent.mkdir()
    shutil.copyfile(l2b_fake, near)
    _edit(near, "row_time", lambda v: v + np.where(np.arange(v.size) == 0, 3_200_000_000, 0))
    ds = io.open_l2b(near)
    assert masked_counts(ds) == {"row_time": 1} and np.isnat(ds.row_time.values[0])
    assert ds.flag_out_of_range.values[0].all() and not ds.flag_out_of_range.values[1:].any()


def test_l1b_time_off_cadence_masked_fill_polarisation_refused(
    l1b_file: Path, tmp_path: Path
) -> None:
    path = _copy(l1b_file, tmp_path)
    _edit(path, "row_time", lambda v: v + np.where(np.arange(v.size) == 3, 3_200_000_000, 0))
    ds = io.open_l1b(path)
    assert masked_counts(ds) == {"row_time": 1} and np.isnat(ds.row_time.values[3])
    _edit(path, "polarisation", lambda v: np.full_like(v, -1))
    with pytest.raises(InputError, match="polarisation") as err:
        io.open_l1b(path)
    assert path.name in str(err.value)


def test_removed_optional_variable_is_left_out(l2b_fake: Path, tmp_path: Path) -> None:
    path = _copy(l2b_fake, tmp_path)
    with netCDF4.Dataset(path, "r+") as nc:
        nc.renameVariable("model_dir", "model_dir_gone")
    clean, ds = io.open_l2b(l2b_fake), io.open_l2b(path)
    assert set(ds.data_vars) == set(clean.data_vars) - {"model_dir"}
    xr.testing.assert_identical(ds.drop_attrs(), clean.drop_vars("model_dir").drop_attrs())


def test_infinite_normalised_mle_masked(l2b_fake: Path, tmp_path: Path) -> None:
    path = _copy(l2b_fake, tmp_path)
    _edit(path, "normalised_mle", lambda v: np.where(np.arange(v.size).reshape(v.shape) == 5,
                                                     np.inf, v))  # fmt: skip
    ds = io.open_l2b(path)
    assert masked_counts(ds) == {"normalised_mle": 1} and np.isnan(ds.normalised_mle.values[0, 5])


def test_background_names_the_file_and_masks_far_longitudes(tmp_path: Path) -> None:
    path = _copy(require_shared(L2B_REAL), tmp_path)
    _edit(path, "model_dir", lambda v: np.full_like(v, -32768))
    with pytest.raises(InputError, match="model_dir") as err:
        io.read_l2b_background(path)
    assert path.name in str(err.value)
    path = _copy(require_shared(L2B_REAL), tmp_path / "lon")
    clean = io.read_l2b_background(require_shared(L2B_REAL))
    _edit(path, "wvc_lon", lambda v: np.where(np.arange(v.size).reshape(v.shape) == 5310,
                                              32766, v))  # 327.66 deg: in [-180, 360]
    bg = io.read_l2b_background(path)
    assert np.isnan(bg["wvc_lon"][126, 18]) and np.isnan(bg["wvc_lat"][126, 18])
    changed = ~np.isclose(bg["wvc_lon"], clean["wvc_lon"], equal_nan=True)
    assert np.argwhere(changed).tolist() == [[126, 18]]


def test_knmi_swath_rules_are_data() -> None:
    assert KNMI_L2_SWATH.cell_index == ("wvc_index", -1)
    assert KNMI_L2_SWATH.position_tolerance_km < NSOAS_L2B_SWATH.position_tolerance_km
