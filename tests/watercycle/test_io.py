"""Readers of the real SMOS/SMAP files and the water-cycle product writer (fcspace.watercycle.io).

Facts checked against ../shared/data/watercycle/ORIGIN.md (measured there with netCDF4/h5py);
bad-input cases on tiny synthetic files written into tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.testing import require_shared
from fcspace.watercycle import ease2, io
from fcspace.watercycle.product_specs import SMAP_L2B_SSS, SMOS_L2_SM

L2B = "watercycle/smap_l2b_sss/not_empty_smap.h5"
SMOS = "watercycle/smos_l2_sm/SM_OPER_MIR_SMUDP2_20230401T150613_20230401T155931_700_001_1.nc"
L4 = "watercycle/smap_l4_sm/SMAP_L4_SM_aup_input.h5"


# --------------------------------------------------------------------------------------------
# SMAP L2B SSS
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_smap_l2b_facts_of_origin() -> None:
    ds = io.open_smap_l2b_sss(require_shared(L2B))
    assert ds.sizes == {"cross_track": 76, "along_track": 2, "ambiguity": 4}
    cells = ds["smap_sss"].notnull()
    assert int(cells.sum()) == 86
    on = ds.where(cells)
    assert float(on["smap_sss"].mean()) == pytest.approx(36.59, abs=0.005)
    assert float(on["smap_sss"].min()) == pytest.approx(32.52, abs=0.005)
    assert float(on["anc_sss"].mean()) == pytest.approx(33.84, abs=0.005)
    assert float(on["anc_sst"].mean()) == pytest.approx(278.86, abs=0.005)
    assert float(on["anc_spd"].mean()) == pytest.approx(16.8, abs=0.05)
    assert float(on["tb_v_fore"].mean()) == pytest.approx(117.62, abs=0.005)
    assert float(on["tb_h_fore"].mean()) == pytest.approx(78.47, abs=0.005)
    assert float(on["inc_fore"].mean()) == pytest.approx(40.09, abs=0.005)
    nedt = on["nedt_v_fore"]
    assert float(nedt.min()) == pytest.approx(0.18, abs=0.005)
    assert float(nedt.max()) == pytest.approx(0.64, abs=0.005)
    # fill -9999 is NaN, never a value; units and names as in the file
    assert not (ds["tb_v_fore"] == -9999).any()
    assert ds["anc_sst"].attrs["units"] == "Degrees kelvin"
    assert ds["lat"].dims == ("cross_track", "along_track")
    lat = on["lat"].values
    assert np.nanmin(lat) > -50.5 and np.nanmax(lat) < -47.5  # Southern Ocean, 50-48 S
    assert ds["quality_flag"].dtype == np.uint16
    # time: revolution 865 starts 2015-090 (31 March) 16:31:44; rows a few minutes later
    t = ds["time"].values
    assert t.dtype == np.dtype("datetime64[ns]")
    assert np.all(t >= np.datetime64("2015-03-31T16:31:44"))
    assert np.all(t < np.datetime64("2015-03-31T18:10:11"))
    assert ds.attrs["REV_START_YEAR"] == 2015 and ds.attrs["TB_CRID"] == "R13080"


def _tiny_l2b(path: Path, drop: str | None = None, units: dict[str, str] | None = None) -> Path:
    """A 3 x 2 L2B-like HDF5 file after the SMAP_L2B_SSS table (fill in one cell)."""
    units = units or {}
    with h5py.File(path, "w") as f:
        f.attrs["REV_START_YEAR"] = np.array([2015], np.int32)
        f.attrs["REV_START_DAY_OF_YEAR"] = np.array([365], np.int32)
        f.attrs["REV_START_TIME"] = np.bytes_("2015-365T23:50:00.000")
        for var in SMAP_L2B_SSS.variables:
            if var.name == drop:
                continue
            shape = {"cross_track": 3, "along_track": 2, "ambiguity": 4}
            dims = tuple(shape[d] for d in var.dims)
            if var.name == "row_time":
                data = np.array([86390.0, 5.0], np.float32)  # crosses midnight
            elif var.fill == -9999.0:
                data = np.full(dims, 20.0, np.float32)
                data[0, 0, ...] = -9999.0
            else:
                data = np.ones(dims, np.uint16 if var.name == "quality_flag" else np.uint8)
            d = f.create_dataset(var.name, data=data)
            if var.units is not None:
                d.attrs["units"] = np.bytes_(units.get(var.name, var.units))
    return path


def test_smap_l2b_tiny_file_fill_and_midnight(tmp_path: Path) -> None:
    ds = io.open_smap_l2b_sss(_tiny_l2b(tmp_path / "l2b.h5"))
    assert np.isnan(ds["tb_v_fore"].values[0, 0])
    assert ds["tb_v_fore"].values[1, 1] == 20.0
    t = ds["time"].values
    assert t[0] == np.datetime64("2015-12-31T23:59:50", "ns")
    assert t[1] == np.datetime64("2016-01-01T00:00:05", "ns")  # the row after midnight


def test_smap_l2b_missing_variable_is_named(tmp_path: Path) -> None:
    path = _tiny_l2b(tmp_path / "l2b.h5", drop="anc_sst")
    with pytest.raises(InputError, match="anc_sst") as err:
        io.open_smap_l2b_sss(path)
    assert err.value.variable == "anc_sst" and err.value.path == str(path)


def test_smap_l2b_other_units_refused(tmp_path: Path) -> None:
    path = _tiny_l2b(tmp_path / "l2b.h5", units={"anc_sst": "Degrees celsius"})
    with pytest.raises(InputError, match="units") as err:
        io.open_smap_l2b_sss(path)
    assert err.value.variable == "anc_sst"


def _truncate(src: Path, dst: Path, keep: float = 0.6) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


@pytest.mark.parametrize("opener", ["open_smap_l2b_sss", "open_smap_l4_sm", "open_smos_l2_sm"])
def test_every_reader_refuses_missing_not_hdf5_and_truncated(tmp_path: Path, opener: str) -> None:
    read = getattr(io, opener)
    with pytest.raises(InputError, match="no such file") as err:
        read(tmp_path / "absent.h5")
    assert err.value.path == str(tmp_path / "absent.h5")
    text = tmp_path / "text.h5"
    text.write_text("not a product\n")
    with pytest.raises(InputError, match="not a NetCDF"):
        read(text)
    full = _tiny_l2b(tmp_path / "l2b.h5")
    cut = _truncate(full, tmp_path / "cut.h5")
    with pytest.raises(InputError, match="truncated") as err:
        read(cut)
    assert err.value.path == str(cut)


def test_byte_flip_in_superblock_is_refused(tmp_path: Path) -> None:
    full = _tiny_l2b(tmp_path / "l2b.h5")
    data = bytearray(full.read_bytes())
    data[1] ^= 0xFF  # the HDF5 signature
    bad = tmp_path / "flip.h5"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a NetCDF"):
        io.open_smap_l2b_sss(bad)
    data = bytearray(full.read_bytes())
    assert data[8] == 0  # superblock version 0: end-of-file address at bytes 40-47
    data[43] ^= 0x01  # the address grows by 16 MiB: the file now looks cut
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="truncated"):
        io.open_smap_l2b_sss(bad)


# --------------------------------------------------------------------------------------------
# SMOS L2 SM
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_smos_l2_facts_of_origin() -> None:
    ds = io.open_smos_l2_sm(require_shared(SMOS))
    assert ds.sizes == {"n_grid_points": 42949}
    sm = ds["Soil_Moisture"]
    assert int(((sm >= 0) & (sm <= 1)).sum()) == 192 == int(sm.notnull().sum())
    assert float(sm.mean()) == pytest.approx(0.0556, abs=5e-5)
    assert float(sm.max()) == pytest.approx(0.1406, abs=5e-5)
    tau = ds["Optical_Thickness_Nad"]
    assert int(tau.notnull().sum()) == 1436
    assert float(tau.mean()) == pytest.approx(0.316, abs=5e-4)
    tbh, tbv = ds["TB_ASL_Theta_B_H"], ds["TB_ASL_Theta_B_V"]
    assert int(tbh.notnull().sum()) == 31976
    assert float(tbh.mean()) == pytest.approx(167.7, abs=0.05)
    assert float(tbh.min()) == pytest.approx(77.1, abs=0.05)
    assert float(tbv.max()) == pytest.approx(268.3, abs=0.05)
    assert float(tbv.mean()) == pytest.approx(199.7, abs=0.05)
    assert float(ds["Latitude"].min()) == pytest.approx(-87.04, abs=0.005)
    assert float(ds["Latitude"].max()) == pytest.approx(82.84, abs=0.005)
    # one time from Days/Seconds/Microseconds since 2000-01-01 UTC, inside the validity period
    assert "Days" not in ds and ds["time"].dtype == np.dtype("datetime64[ns]")
    t = ds["time"].values
    ok = ~np.isnat(t)
    assert ok.sum() > 30000
    assert t[ok].min() >= np.datetime64("2023-04-01T15:06:13")  # FH:Validity_Start
    assert t[ok].max() <= np.datetime64("2023-04-01T15:59:31")  # FH:Validity_Stop
    # flags stay integers (0 = no flag), packed integers are unpacked
    assert ds["Science_Flags"].dtype == np.uint32
    assert ds["Chi_2"].dtype == np.float64 and float(ds["Chi_2"].max()) <= 53.0 + 1e-5


def test_smos_time_epoch_and_fill() -> None:
    t = io._smos_time(np.array([0, 1, 8491]), np.array([0, 0, 54000]), np.array([5, 0, 250]))
    assert np.isnat(t[0])  # Days filled
    assert t[1] == np.datetime64("2000-01-02T00:00:00", "ns")
    assert t[2] == np.datetime64("2023-04-01T15:00:00.000250", "ns")


def _tiny_smos(path: Path, drop: str | None = None) -> Path:
    import netCDF4

    with netCDF4.Dataset(path, "w") as nc:
        nc.createDimension("n_grid_points", 4)
        for var in SMOS_L2_SM.variables:
            if var.name == drop or not var.required:  # the required ones, as before
                continue
            if var.fill == -999.0:
                v = nc.createVariable(var.name, "f4", var.dims, fill_value=-999.0)
                v[:] = np.array([0.2, -999.0, 0.3, 0.1])
            else:
                v = nc.createVariable(var.name, "u4", var.dims, fill_value=0)
                v[:] = np.array([8491, 0, 8491, 8491]) if var.name == "Days" else np.arange(4)
            if var.units is not None:
                v.units = var.units
    return path


def test_smos_tiny_file_and_missing_variable(tmp_path: Path) -> None:
    ds = io.open_smos_l2_sm(_tiny_smos(tmp_path / "smos.nc"))
    assert np.isnan(ds["Soil_Moisture"].values[1])
    assert ds["Soil_Moisture"].values[0] == pytest.approx(0.2)
    assert np.isnat(ds["time"].values[1]) and not np.isnat(ds["time"].values[2])
    path = _tiny_smos(tmp_path / "smos_no_sm.nc", drop="Soil_Moisture")
    with pytest.raises(InputError, match="Soil_Moisture") as err:
        io.open_smos_l2_sm(path)
    assert err.value.variable == "Soil_Moisture" and err.value.path == str(path)
    cut = _truncate(_tiny_smos(tmp_path / "smos2.nc"), tmp_path / "smos_cut.nc")
    with pytest.raises(InputError, match="truncated"):
        io.open_smos_l2_sm(cut)


# --------------------------------------------------------------------------------------------
# SMAP L4 SM and the EASE-Grid 2.0 projection
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_smap_l4_facts_of_origin() -> None:
    ds = io.open_smap_l4_sm(require_shared(L4))
    assert ds.sizes == {"y": 508, "x": 1123}
    sm = ds["sm_surface_analysis"]
    assert int(sm.notnull().sum()) == 246473
    assert float(sm.mean()) == pytest.approx(0.2591, abs=5e-5)
    assert float(sm.min()) == pytest.approx(0.0268, abs=5e-5)
    assert float(sm.max()) == pytest.approx(0.7951, abs=5e-5)
    ts = ds["surface_temp_analysis"]
    assert float(ts.mean()) == pytest.approx(263.9, abs=0.05)
    assert float(ts.min()) == pytest.approx(224.7, abs=0.05)
    assert ds["time"].values == np.datetime64("2020-01-28T15:00:00", "ns")
    # the window's Metadata/Extent: the outer edges of the first row and column
    half = 0.5 * float(ds["x"][1] - ds["x"][0])
    north, _ = ease2.ease2_inverse(np.zeros(1), np.array([float(ds["y"][0]) + half]))
    _, west = ease2.ease2_inverse(np.array([float(ds["x"][0]) - half]), np.zeros(1))
    assert north[0] == pytest.approx(71.36766, abs=1e-5)  # northBoundLatitude
    assert west[0] == pytest.approx(-171.8776, abs=1e-4)  # westBoundLongitude
    assert ds["lat"].dims == ("y",) and ds["lon"].dims == ("x",)
    # 9 km grid: 9008.05 m cells (NSIDC EASE-Grid 2.0 grid definitions, Table "9 km")
    assert half * 2 == pytest.approx(9008.05, abs=0.01)


def test_smap_l4_missing_variable(tmp_path: Path) -> None:
    path = tmp_path / "l4.h5"
    with h5py.File(path, "w") as f:
        for name, units in (("x", "m"), ("y", "m")):
            f.create_dataset(name, data=np.arange(3.0)).attrs["units"] = np.bytes_(units)
        t = f.create_dataset("time", data=np.array([633495600.0]))
        t.attrs["units"] = np.bytes_("seconds since 2000-01-01 11:58:55.816")
        g = f.create_group("Analysis_Data")
        d = g.create_dataset("sm_surface_analysis", data=np.full((3, 3), 0.2, np.float32))
        d.attrs["units"] = np.bytes_("m3 m-3")
    with pytest.raises(InputError, match="sm_profile_analysis") as err:
        io.open_smap_l4_sm(path)
    assert err.value.variable == "Analysis_Data/sm_profile_analysis"


# --------------------------------------------------------------------------------------------
# The mission's products
# --------------------------------------------------------------------------------------------


def _product() -> xr.Dataset:
    n = 5
    return xr.Dataset(
        {
            "sss": ("cell", np.linspace(30.0, 38.0, n), {"standard_name": "sea_water_salinity"}),
            "soil_moisture": ("cell", np.array([0.05, 0.2, np.nan, 0.3, 0.4])),
            "porosity": ("cell", np.full(n, 0.45)),
            "tb_h": ("cell", np.linspace(80.0, 280.0, n), {"units": "K"}),
            "tb_h_error": ("cell", np.array([-1.0, 0.5, 0.0, -2.0, 1.0]), {"units": "K"}),
        },
        coords={"lat": ("cell", np.linspace(-10, 10, n)), "lon": ("cell", np.zeros(n))},
        attrs={"title": "test product"},
    )


def test_water_product_round_trip(tmp_path: Path) -> None:
    ds = _product()
    path = io.write_water_product(ds, tmp_path / "l2.nc")
    back = io.open_water_product(path)
    for name in ds.variables:
        np.testing.assert_array_equal(back[name].values, ds[name].values)
    assert "CF-1.8" in back.attrs["Conventions"]
    assert "write_water_product" in back.attrs["history"]
    assert back.attrs["title"] == "test product"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("name", "index", "value", "match"),
    [
        ("sss", 1, -0.1, "salinity"),
        ("soil_moisture", 0, 1.2, "soil moisture"),
        ("soil_moisture", 3, 0.46, "porosity"),
        ("tb_h", 2, 351.0, "brightness temperature"),
        ("tb_h", 0, np.inf, "brightness temperature"),
    ],
)
def test_water_product_out_of_range_writes_nothing(
    tmp_path: Path, name: str, index: int, value: float, match: str
) -> None:
    ds = _product()
    ds[name].values[index] = value
    path = tmp_path / "l2.nc"
    with pytest.raises(InputError, match=match) as err:
        io.write_water_product(ds, path)
    assert err.value.variable == name
    assert not path.exists() and not list(tmp_path.iterdir())


def test_water_product_keeps_an_existing_file_on_failure(tmp_path: Path) -> None:
    path = io.write_water_product(_product(), tmp_path / "l2.nc")
    before = path.read_bytes()
    bad = _product()
    bad["sss"].values[0] = -5.0
    with pytest.raises(InputError):
        io.write_water_product(bad, path)
    assert path.read_bytes() == before


def test_open_water_product_refuses_bad_files(tmp_path: Path) -> None:
    path = io.write_water_product(_product(), tmp_path / "l2.nc")
    cut = _truncate(path, tmp_path / "cut.nc", keep=0.5)
    with pytest.raises(InputError, match="truncated"):
        io.open_water_product(cut)
    plain = tmp_path / "plain.nc"
    xr.Dataset({"a": ("n", np.zeros(2))}).to_netcdf(plain)
    with pytest.raises(InputError, match="CF"):
        io.open_water_product(plain)
    with pytest.raises(InputError, match="data variable"):
        io.write_water_product(xr.Dataset(), tmp_path / "empty.nc")


@pytest.mark.shared_data
def test_each_reader_refuses_the_other_products() -> None:
    l2b, smos, l4 = (require_shared(p) for p in (L2B, SMOS, L4))
    for read, wrong, missing in (
        (io.open_smap_l2b_sss, smos, "row_time"),
        (io.open_smap_l2b_sss, l4, "row_time"),
        (io.open_smos_l2_sm, l2b, "Grid_Point_ID"),
        (io.open_smap_l4_sm, smos, "x"),
    ):
        with pytest.raises(InputError) as err:
            read(wrong)
        assert err.value.path == str(wrong) and err.value.variable == missing


@pytest.mark.shared_data
def test_real_scene_round_trips_as_a_water_product(tmp_path: Path) -> None:
    scene = io.open_smap_l4_sm(require_shared(L4)).isel(y=slice(200, 260), x=slice(500, 580))
    back = io.open_water_product(io.write_water_product(scene, tmp_path / "scene.nc"))
    np.testing.assert_array_equal(back["sm_surface_analysis"], scene["sm_surface_analysis"])
    np.testing.assert_allclose(back["lat"], scene["lat"], rtol=0, atol=0)
    assert back["time"].values == scene["time"].values
    wet = scene.copy(deep=True)
    wet["sm_surface_analysis"][0, 0] = 1.5
    with pytest.raises(InputError) as err:
        io.write_water_product(wet, tmp_path / "wet.nc")
    assert err.value.variable == "sm_surface_analysis"
