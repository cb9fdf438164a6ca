"""The water-cycle readers check what they read (issue 14): fcspace.watercycle.rules.

Each bad-value case edits a copy of a real file (or of a simulated product) with netCDF4/h5py the
way the fuzz suite does, then checks the reader masks and counts the value, or refuses the file
naming it and the variable; the real files read with nothing masked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import h5py
import netCDF4
import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import unpack_float
from fcspace.core.validation import MASKED_ATTR, masked_counts
from fcspace.testing import require_shared
from fcspace.watercycle import io
from fcspace.watercycle.product_specs import SMOS_L2_SM
from fcspace.watercycle.rules import OUT_OF_RANGE_FLAG, SMOS_L2_SM_RULES, water_product_rules

L2B = "watercycle/smap_l2b_sss/not_empty_smap.h5"
SMOS = "watercycle/smos_l2_sm/SM_OPER_MIR_SMUDP2_20230401T150613_20230401T155931_700_001_1.nc"
L4 = "watercycle/smap_l4_sm/SMAP_L4_SM_aup_input.h5"


def _copy(rel: str, tmp_path: Path) -> Path:
    out = tmp_path / Path(rel).name
    shutil.copyfile(require_shared(rel), out)
    return out


def _nc_edit(path: Path, name: str, func) -> None:
    with netCDF4.Dataset(path, "r+") as nc:
        nc.set_auto_maskandscale(False)
        func(nc.variables[name])


def _set(values: list | np.ndarray, idx: list[int]):
    def edit(var) -> None:
        raw = np.array(var[...])
        raw.reshape(-1)[idx] = np.asarray(values, dtype=raw.dtype)  # flat indices
        var[...] = raw

    return edit


# --------------------------------------------------------------------------------------------
# Real files: nothing masked, every variable of the SMOS table read
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("rel", "reader"),
    [(SMOS, io.open_smos_l2_sm), (L2B, io.open_smap_l2b_sss), (L4, io.open_smap_l4_sm)],
)
def test_real_files_have_nothing_masked(rel: str, reader) -> None:
    ds = reader(require_shared(rel))
    assert masked_counts(ds) == {}
    assert MASKED_ATTR not in ds.attrs and OUT_OF_RANGE_FLAG not in ds


@pytest.mark.shared_data
def test_smos_table_is_the_whole_product() -> None:
    with netCDF4.Dataset(require_shared(SMOS)) as nc:
        assert set(nc.variables) == set(SMOS_L2_SM.names())
    ds = io.open_smos_l2_sm(require_shared(SMOS))
    assert len(ds.variables) == 72 - 3 + 1  # Days, Seconds, Microseconds → time
    # every variable of the product has a rule
    assert set(SMOS_L2_SM.names()) <= set(SMOS_L2_SM_RULES.names())


# --------------------------------------------------------------------------------------------
# SMOS L2 SM
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_smos_impossible_values_masked_counted_flagged(tmp_path: Path) -> None:
    clean = io.open_smos_l2_sm(require_shared(SMOS))
    path = _copy(SMOS, tmp_path)
    _nc_edit(path, "X_Swath", _set([32766, 32766], [10, 20]))  # 1050 km off the track
    _nc_edit(path, "HR_Cur_DQX", _set([-1e30], [30]))
    _nc_edit(path, "TTH_DQX", _set([np.inf], [40]))
    _nc_edit(path, "N_ADF_Error", _set([65534], [50]))
    ds = io.open_smos_l2_sm(path)
    assert masked_counts(ds) == {"X_Swath": 2, "HR_Cur_DQX": 1, "TTH_DQX": 1, "N_ADF_Error": 1}
    assert np.isnan(ds["X_Swath"].values[[10, 20]]).all() and np.isnan(ds["HR_Cur_DQX"][30])
    assert ds["N_ADF_Error"].values[50] == 0  # the file's integer fill
    assert np.flatnonzero(ds[OUT_OF_RANGE_FLAG].values).tolist() == [10, 20, 30, 40, 50]
    for name in ("X_Swath", "HR_Cur_DQX", "N_ADF_Error"):  # nothing else changed
        keep = ~ds[OUT_OF_RANGE_FLAG].values
        np.testing.assert_array_equal(ds[name].values[keep], clean[name].values[keep])


@pytest.mark.shared_data
def test_smos_time_out_of_the_mission_is_nat(tmp_path: Path) -> None:
    path = _copy(SMOS, tmp_path)
    _nc_edit(path, "Days", _set([2**31 - 2, 1000], [100, 101]))  # far future; before launch
    ds = io.open_smos_l2_sm(path)
    assert np.isnat(ds["time"].values[[100, 101]]).all()
    assert "Days: 2" in ds.attrs[MASKED_ATTR]
    assert not np.isnat(ds["time"].values[102])


@pytest.mark.shared_data
@pytest.mark.parametrize(("value", "match"), [(0.0, "scale_factor"), ("abc", "scale_factor")])
def test_smos_impossible_packing_refused(tmp_path: Path, value: object, match: str) -> None:
    path = _copy(SMOS, tmp_path)
    _nc_edit(path, "Chi_2", lambda var: var.setncattr("scale_factor", value))
    with pytest.raises(InputError, match=match) as err:
        io.open_smos_l2_sm(path)
    assert err.value.variable == "Chi_2" and err.value.path == str(path)


@pytest.mark.shared_data
def test_smos_optional_variable_removed_is_left_out(tmp_path: Path) -> None:
    clean = io.open_smos_l2_sm(require_shared(SMOS))
    path = _copy(SMOS, tmp_path)
    with netCDF4.Dataset(path, "r+") as nc:
        nc.renameVariable("N_Sun_Glint_Area", "N_Sun_Glint_Area_gone")
    ds = io.open_smos_l2_sm(path)
    xr.testing.assert_identical(ds, clean.drop_vars("N_Sun_Glint_Area"))


@pytest.mark.shared_data
def test_smos_latitude_removed_or_all_fill_refused(tmp_path: Path) -> None:
    path = _copy(SMOS, tmp_path)
    with netCDF4.Dataset(path, "r+") as nc:
        nc.renameVariable("Latitude", "Latitude_gone")
    with pytest.raises(InputError, match="Latitude"):
        io.open_smos_l2_sm(path)
    path = _copy(SMOS, tmp_path / "..")
    _nc_edit(path, "Longitude", lambda var: var.__setitem__(..., -999.0))
    with pytest.raises(InputError, match="no valid value") as err:
        io.open_smos_l2_sm(path)
    assert err.value.variable == "Longitude"


def test_unpack_float_names_file_variable_attribute() -> None:
    da = xr.DataArray(np.arange(3, dtype="u1"), dims="n", name="RFI_Prob")
    da.attrs.update(scale_factor=np.float64(0.005), add_offset="x")
    with pytest.raises(InputError, match="'add_offset' = 'x' is not a number") as err:
        unpack_float(da, "f.nc")
    assert err.value.variable == "RFI_Prob" and err.value.path == "f.nc"


# --------------------------------------------------------------------------------------------
# SMAP L2B SSS and L4 SM (HDF5): the file's declared ranges
# --------------------------------------------------------------------------------------------


def _h5_edit(path: Path, name: str, values: list, idx: tuple) -> None:
    with h5py.File(path, "r+") as f:
        raw = f[name][()]
        raw[idx] = values
        f[name][...] = raw


@pytest.mark.shared_data
def test_smap_l2b_declared_ranges_mask(tmp_path: Path) -> None:
    path = _copy(L2B, tmp_path)
    _h5_edit(path, "smap_high_spd", [1e30], (np.array([40]), np.array([0])))
    _h5_edit(path, "anc_swh", [-1e30], (np.array([41]), np.array([1])))
    _h5_edit(path, "lon", [np.inf], (np.array([42]), np.array([0])))
    ds = io.open_smap_l2b_sss(path)
    assert masked_counts(ds) == {"smap_high_spd": 1, "anc_swh": 1, "lon": 1}
    assert np.isnan(ds["smap_high_spd"].values[40, 0]) and np.isnan(ds["anc_swh"][41, 1])
    assert np.isnan(ds["lat"].values[42, 0]) and np.isnan(ds["lon"].values[42, 0])
    assert int(ds[OUT_OF_RANGE_FLAG].sum()) == 3


@pytest.mark.shared_data
@pytest.mark.parametrize("bad", ["swap", "text"])
def test_smap_l2b_bad_declared_range_refused(tmp_path: Path, bad: str) -> None:
    path = _copy(L2B, tmp_path)
    with h5py.File(path, "r+") as f:
        attrs = f["anc_sss"].attrs
        if bad == "swap":
            lo, hi = attrs["valid_min"], attrs["valid_max"]
            attrs["valid_min"], attrs["valid_max"] = hi, lo
        else:
            attrs["valid_max"] = "abc"
    with pytest.raises(InputError, match="declared valid range") as err:
        io.open_smap_l2b_sss(path)
    assert err.value.variable == "anc_sss"


@pytest.mark.shared_data
def test_smap_l4_masks_values_refuses_grid_and_time(tmp_path: Path) -> None:
    path = _copy(L4, tmp_path)
    _h5_edit(path, "cell_column", [4294967293], (np.array([5]), np.array([7])))
    _h5_edit(path, "Analysis_Data/surface_temp_analysis", [-1e30], (np.array([300]),
                                                                   np.array([600])))  # fmt: skip
    ds = io.open_smap_l4_sm(path)
    assert masked_counts(ds) == {"cell_column": 1, "surface_temp_analysis": 1}
    assert ds["cell_column"].values[5, 7] == 4294967294  # the file's fill
    assert np.isnan(ds["surface_temp_analysis"].values[300, 600])
    for name, value in (("x", 1e30), ("time", 1e30), ("time", 1e8)):  # 1e8 s: 2003
        bad = _copy(L4, tmp_path / "..")
        _h5_edit(bad, name, [value], (np.array([0]),))
        with pytest.raises(InputError) as err:
            io.open_smap_l4_sm(bad)
        assert err.value.variable == name and err.value.path == str(bad)


# --------------------------------------------------------------------------------------------
# The mission's own products
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vis_and_l2(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from typer.testing import CliRunner

    from fcspace.watercycle.cli import app

    d = tmp_path_factory.mktemp("water")
    vis, l2 = d / "vis.nc", d / "l2.nc"
    for args in (["simulate", "-o", str(vis), "--snapshots", "2", "--size", "8"],
                 ["retrieve", str(vis), "-o", str(l2)]):  # fmt: skip
        assert CliRunner().invoke(app, args).exit_code == 0
    return vis, l2


def _nc_copy(src: Path, tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    shutil.copyfile(src, out)
    return out


def test_water_product_geometry_refused(vis_and_l2, tmp_path: Path) -> None:
    vis, l2 = vis_and_l2
    for src, name, value in ((vis, "heading", 1e30), (vis, "u", np.inf), (l2, "lat", 1e30),
                             (l2, "lon", -1e30), (l2, "flags", 32766)):  # fmt: skip
        path = _nc_copy(src, tmp_path, f"{name}.nc")
        _nc_edit(path, name, _set([value], [0]))
        with pytest.raises(InputError, match="outside the valid range") as err:
            io.open_water_product(path)
        assert err.value.variable == name and err.value.path == str(path)


def test_water_product_values_masked_and_flagged(vis_and_l2, tmp_path: Path) -> None:
    vis, l2 = vis_and_l2
    path = _nc_copy(vis, tmp_path, "vis.nc")
    with netCDF4.Dataset(path, "r+") as nc:
        raw = nc["vis_real"][...]
        raw[0, 1, 5] = -1e30
        nc["vis_real"][...] = raw
    ds = io.open_water_product(path)
    assert masked_counts(ds) == {"vis_real": 1} and np.isnan(ds["vis_real"].values[0, 1, 5])
    assert ds[OUT_OF_RANGE_FLAG].dims == ("snapshot",) and bool(ds[OUT_OF_RANGE_FLAG][0])
    path = _nc_copy(l2, tmp_path, "l2.nc")
    _nc_edit(path, "sss_sigma", _set([np.inf], [3]))
    ds = io.open_water_product(path)
    assert masked_counts(ds) == {"sss_sigma": 1}
    assert int(ds[OUT_OF_RANGE_FLAG].sum()) == 1


def test_water_product_required_variables(vis_and_l2, tmp_path: Path) -> None:
    vis, l2 = vis_and_l2
    for src, name in ((l2, "lat"), (vis, "time_offset"), (l2, "sss_sigma")):
        path = _nc_copy(src, tmp_path, f"no_{name}.nc")
        with netCDF4.Dataset(path, "r+") as nc:
            nc.renameVariable(name, name + "_gone")
        with pytest.raises(InputError, match="missing variable") as err:
            io.open_water_product(path)
        assert err.value.variable == name
    rules = water_product_rules("another title")  # products of other kinds: checked by name
    assert not any(r.required for r in rules.rules) and rules.flag_variable is None


@pytest.mark.shared_data
def test_info_on_a_damaged_attribute_refuses_without_crashing(tmp_path: Path) -> None:
    """Byte 3573 (0-based) of the SMOS UDP set to 0xFF damages an attribute header; a second open
    of that file in the same process crashed netCDF-C (double free) before ``file_facts`` stopped
    at the first library error. Run in a child process so that a crash fails the test."""
    import subprocess
    import sys

    path = _copy(SMOS, tmp_path)
    data = bytearray(path.read_bytes())
    data[3573] = 0xFF
    path.write_bytes(bytes(data))
    code = (
        "import sys\nfrom fcspace.core.errors import InputError\n"
        "from fcspace.watercycle.fileinfo import file_facts\n"
        "try:\n    file_facts(sys.argv[1])\nexcept InputError as err:\n    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr[-300:]
    assert str(path) in out.stdout and "unreadable HDF5 content" in out.stdout
