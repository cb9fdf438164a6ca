"""Tests of the CFOSat SCAT L2B / KNMI L2 readers, the L2B writer and the summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.scat import io, l2b_decode
from fcspace.cfosat.scat.product_specs import CONVENTION_ATTR, QUALITY_MISSING
from fcspace.core.errors import InputError

NSOAS_COMMENT = (
    "others:Default;16:More than two beams are available;32:One beam is missing;"
    "32768:over land;16384:over ice"
)


# ------------------------------------------------------------------ synthetic files


def _write_classic(
    path: Path,
    n_rows: int = 3,
    n_cells: int = 4,
    n_amb: int = 4,
    drop: str | None = None,
    bad_dims: str | None = None,
) -> Path:
    """A tiny NSOAS-like NETCDF3_CLASSIC L2B: known values, NSOAS packing and quirks.

    ``drop`` leaves a variable out; ``bad_dims`` writes a variable on the wrong dimensions
    (a 2-D cell variable transposed, a 3-D ambiguity variable as 2-D).
    """
    with netCDF4.Dataset(path, "w", format="NETCDF3_CLASSIC") as nc:
        nc.createDimension("numrows", n_rows)
        nc.createDimension("numcells", n_cells)
        nc.createDimension("numambigs", n_amb)
        nc.createDimension("numtime", 20)
        _fill_classic(nc, (n_rows, n_cells), drop, bad_dims)
    return path


def _packed(nc, name, dims, dtype, scale, values, fill=-32768, bad=False):
    if bad:
        dims, values = (dims[1], dims[0]), values.T if values.ndim == 2 else values[..., 0].T
    v = nc.createVariable(name, dtype, dims, fill_value=fill)
    v.set_auto_maskandscale(False)
    v.scale_factor = np.float32(scale)
    v[:] = values
    return v


def _fill_classic(nc, shape, drop, bad_dims):
    cell, amb = ("numrows", "numcells"), ("numrows", "numcells", "numambigs")
    sel = np.ones(shape, np.int8)
    sel[0, 0] = -128  # no selection
    num = np.full(shape, 2, np.int8)
    num[0, 0] = 0
    speed = np.full(shape, 750, np.int16)  # 7.5 m/s
    speed[0, 0] = -32768
    sel_dir = np.full(shape, 900, np.int16)  # 90 deg "to"
    sel_dir[0, 0] = -32768
    amb_dir = np.full((*shape, nc.dimensions["numambigs"].size), -32768, np.int16)
    amb_dir[..., 0] = 2700  # stored 180 deg off: 270 "from" = 90 "to"
    amb_dir[..., 1] = 900
    amb_dir[0, 0] = -32768
    amb_speed = np.where(amb_dir == -32768, -32768, 750).astype(np.int16)
    lon = np.tile(np.array([17990, -17992, 0, 100])[: shape[1]], (shape[0], 1))
    variables = {
        "wvc_lat": ("i2", cell, 0.01, np.full(shape, 4512)),
        "wvc_lon": ("i2", cell, 0.01, lon),
        "wind_speed_selection": ("i2", cell, 0.01, speed),
        "wind_dir_selection": ("i2", cell, 0.1, sel_dir),
        "model_speed": ("i2", cell, 0.01, speed),
        "model_dir": ("i2", cell, 0.1, np.full(shape, 3600)),
        "wind_speed": ("i2", amb, 0.01, amb_speed),
        "wind_dir": ("i2", amb, 0.1, amb_dir),
    }
    for name, (dtype, dims, scale, values) in variables.items():
        if name != drop:
            _packed(nc, name, dims, dtype, scale, values, bad=name == bad_dims)
    for name, values in (("wvc_selection", sel), ("num_ambigs", num)):
        if name != drop:
            _packed(nc, name, cell, "i1", 1.0, values, fill=-128)
    q = nc.createVariable("wvc_quality", "i4", cell, fill_value=np.int32(-(2**31)))
    q.set_auto_maskandscale(False)
    q.comment = NSOAS_COMMENT
    qual = np.full(shape, 16 | 32768, np.int32)
    qual[0, 1] = -(2**31)
    q[:] = qual
    if drop != "row_time":
        t = nc.createVariable("row_time", "S1", ("numrows", "numtime"))
        n = nc.dimensions["numrows"].size
        times = [f"2021-08-01T03:10:{11 + 4 * i:02d}Z" for i in range(n)]
        times[-1] = "0000-00-00T00:00:00Z"
        t[:] = np.array([list(s) for s in times], dtype="S1")


@pytest.fixture
def classic(tmp_path: Path) -> Path:
    return _write_classic(tmp_path / "tiny_l2b.nc")


# ------------------------------------------------------------------ synthetic: reading


def test_synthetic_values(classic: Path) -> None:
    ds = io.open_l2b(classic)
    assert ds.sizes == {"numrows": 3, "numcells": 4, "numambigs": 4}
    assert ds.wvc_lat.dtype == np.float64
    np.testing.assert_array_equal(ds.wvc_lat.values, 45.12)
    assert np.isnan(ds.wind_speed_selection[0, 0]) and ds.wind_speed_selection[1, 1] == 7.5
    # -180..180, 179.9 kept, model_dir 360 -> 0
    np.testing.assert_array_equal(ds.wvc_lon[0].values, [179.9, -179.92, 0.0, 1.0])
    np.testing.assert_array_equal(ds.model_dir.values, 0.0)
    # per-ambiguity wind_dir stored 180 off: flipped to "to"
    np.testing.assert_allclose(ds.wind_dir[1, 1, :2].values, [90.0, 270.0])
    assert np.isnan(ds.wind_dir[1, 1, 2])
    assert ds.wind_dir.attrs["standard_name"] == "wind_to_direction"
    assert ds.attrs[CONVENTION_ATTR] == "to"
    # integers
    assert ds.wvc_selection.dtype == np.int8 and ds.wvc_selection[0, 0] == 0
    assert ds.num_ambigs[0, 0] == 0 and ds.num_ambigs[1, 1] == 2
    # time: char array, year-0000 fill -> NaT
    assert ds.row_time.dtype == np.dtype("datetime64[ns]")
    assert ds.row_time[1].values == np.datetime64("2021-08-01T03:10:15", "ns")
    assert np.isnat(ds.row_time[-1].values)


def test_synthetic_flags(classic: Path) -> None:
    ds = io.open_l2b(classic)
    q = ds.wvc_quality
    assert list(q.attrs["flag_masks"]) == [16, 32, 32768, 16384]
    assert q.attrs["flag_meanings"] == "more_than_two_beams one_beam_missing land ice"
    assert bool(ds.flag_land[1, 1]) and bool(ds.flag_more_than_two_beams[1, 1])
    assert not bool(ds.flag_ice[1, 1]) and not bool(ds.flag_one_beam_missing[1, 1])
    assert q[0, 1] == QUALITY_MISSING and not bool(ds.flag_land[0, 1])
    assert ds.flag_land.attrs["long_name"] == "over land"


def test_flag_table_sources() -> None:
    cf = io.quality_flag_table(
        {"flag_masks": [64, 32768], "flag_meanings": "distance_to_gmf_too_large some_land"}
    )
    assert [name for _, name, _ in cf] == ["distance_too_large", "land"]
    unknown = io.quality_flag_table({"comment": "8:Strange thing"})
    assert unknown == [(8, "strange_thing", "Strange thing")]
    default = io.quality_flag_table({})
    assert (32768, "land", "land") in default


# ------------------------------------------------------------------ errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as err:
        io.open_l2b(tmp_path / "absent.nc")
    assert err.value.path == str(tmp_path / "absent.nc")


def test_not_netcdf(tmp_path: Path) -> None:
    bad = tmp_path / "random.nc"
    bad.write_bytes(np.random.default_rng(1).bytes(4096))
    with pytest.raises(InputError, match="not a NetCDF file"):
        io.open_l2b(bad)


def test_hdf5_signature_but_garbage(tmp_path: Path) -> None:
    bad = tmp_path / "fake.nc"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    with pytest.raises(InputError, match="cannot be read as NetCDF"):
        io.open_l2b(bad)


@pytest.mark.parametrize(
    ("units", "per_unit", "epoch"),
    [
        ("seconds since 1990-01-01 00:00:00", 10**9, "1990-01-01T00:00:00"),
        ("nanoseconds since 1970-01-01T00:00:00Z", 1, "1970-01-01T00:00:00"),
        ("days since 2000-01-01", 86400 * 10**9, "2000-01-01"),
        ("hour since 2000-01-01 12:00 UTC", 3600 * 10**9, "2000-01-01T12:00"),
    ],
)
def test_time_units(units: str, per_unit: int, epoch: str) -> None:
    assert l2b_decode._time_unit(units, Path("x.nc")) == (per_unit, np.datetime64(epoch, "ns"))


@pytest.mark.parametrize("units", ["", "seconds", "fortnights since 2000-01-01", "s since x"])
def test_bad_time_units(units: str) -> None:
    with pytest.raises(InputError, match="row_time"):
        l2b_decode._time_unit(units, Path("x.nc"))


def test_wrap_longitude() -> None:
    np.testing.assert_array_equal(
        io.wrap_longitude(np.array([0.0, 179.9, 180.0, 190.0, 359.5, -180.0, -190.0])),
        [0.0, 179.9, -180.0, -170.0, -0.5, -180.0, 170.0],
    )


@pytest.mark.parametrize("keep", [0.99, 0.5, 0.01])
def test_truncated_classic(classic: Path, keep: float) -> None:
    data = classic.read_bytes()
    expected = io.classic_min_size(classic)
    assert expected <= len(data)
    cut = classic.with_name("cut.nc")
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError, match="truncated") as err:
        io.open_l2b(cut)
    assert "cut.nc" in str(err.value)


def test_truncated_message_sizes(classic: Path) -> None:
    data = classic.read_bytes()
    cut = classic.with_name("cut.nc")
    cut.write_bytes(data[:-1])
    expected = io.classic_min_size(classic)
    with pytest.raises(
        InputError, match=f"expected at least {expected} bytes, found {len(data) - 1}"
    ):
        io.open_l2b(cut)


@pytest.mark.parametrize("fmt", ["NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF3_64BIT_DATA"])
def test_classic_record_variable(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "rec.nc"
    with netCDF4.Dataset(path, "w", format=fmt) as nc:
        nc.title = "attribute to skip"
        nc.createDimension("t", None)
        nc.createDimension("x", 3)
        nc.createVariable("a", "f8", ("t", "x"))[:] = np.ones((5, 3))
        nc.createVariable("b", "i2", ("t",))[:] = np.arange(5)
        nc.createVariable("c", "i4", ("x",))[:] = [1, 2, 3]
    size, expected = path.stat().st_size, io.classic_min_size(path)
    assert 0 <= size - expected < 4  # the library pads the last record to 4 bytes
    path.write_bytes(path.read_bytes()[: expected - 1])
    with pytest.raises(InputError, match="truncated"):
        io.open_l2b(path)


def test_truncated_netcdf4(tmp_path: Path, classic: Path) -> None:
    out = io.write_l2b(io.open_l2b(classic), tmp_path / "own.nc")
    data = out.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated NetCDF-4 file|cannot be read as NetCDF"):
        io.open_l2b(out)


@pytest.mark.parametrize("name", ["wind_dir", "wvc_selection", "row_time"])
def test_missing_variable(tmp_path: Path, name: str) -> None:
    path = _write_classic(tmp_path / "drop.nc", drop=name)
    with pytest.raises(InputError, match="required variable is missing") as err:
        io.open_l2b(path)
    assert err.value.variable == name


@pytest.mark.parametrize("name", ["wind_dir", "wvc_lat"])
def test_wrong_dims(tmp_path: Path, name: str) -> None:
    path = _write_classic(tmp_path / "dims.nc", bad_dims=name)
    with pytest.raises(InputError, match=r"expected \('numrows', 'numcells'") as err:
        io.open_l2b(path)
    assert err.value.variable == name


# ------------------------------------------------------------------ writer


def _synthetic_l2b(rng: np.random.Generator, n_rows: int = 5, n_cells: int = 6) -> xr.Dataset:
    cell, amb = ("numrows", "numcells"), ("numrows", "numcells", "numambigs")
    speed = np.round(rng.uniform(0, 25, (n_rows, n_cells, 4)), 2)
    direction = np.round(rng.uniform(0, 359.9, (n_rows, n_cells, 4)), 1)
    speed[0, 0], direction[0, 0] = np.nan, np.nan
    speed[1, 1, 2:], direction[1, 1, 2:] = np.nan, np.nan
    num = np.isfinite(speed).sum(-1).astype(np.int8)
    sel = np.where(num > 0, 1, 0).astype(np.int8)
    start = np.datetime64("2021-08-01T03:10:11.123456789", "ns")
    times = start + np.arange(n_rows) * np.timedelta64(4, "s")
    times[-1] = np.datetime64("NaT")
    return xr.Dataset(
        {
            "wvc_lat": (cell, np.round(rng.uniform(-80, 80, (n_rows, n_cells)), 2)),
            "wvc_lon": (cell, np.round(rng.uniform(-180, 179.99, (n_rows, n_cells)), 2)),
            "row_time": ("numrows", times),
            "wind_speed": (amb, speed, {"standard_name": "wind_speed"}),
            "wind_dir": (amb, direction, {"standard_name": "wind_to_direction"}),
            "max_likelihood_est": (amb, np.round(rng.uniform(0, 30, speed.shape), 2)),
            "num_ambigs": (cell, num),
            "wvc_selection": (cell, sel),
            "wind_speed_selection": (cell, np.where(sel > 0, speed[..., 0], np.nan)),
            "wind_dir_selection": (
                cell,
                np.where(sel > 0, direction[..., 0], np.nan),
                {"standard_name": "wind_to_direction"},
            ),
            "model_speed": (cell, np.round(rng.uniform(0, 20, (n_rows, n_cells)), 2)),
            "model_dir": (cell, np.round(rng.uniform(0, 359.9, (n_rows, n_cells)), 1)),
            "wvc_quality": (
                cell,
                rng.choice([0, 16, 32768, 16 | 16384], (n_rows, n_cells)).astype(np.int32),
            ),
            "ambiguity_prob": (amb, np.round(rng.dirichlet(np.ones(4), (n_rows, n_cells)), 4)),
            "normalised_mle": (amb, rng.normal(size=speed.shape).astype(np.float32)),
            "truth_speed": (cell, rng.uniform(0, 20, (n_rows, n_cells))),
            "truth_dir": (
                cell,
                rng.uniform(0, 360, (n_rows, n_cells)),
                {"standard_name": "wind_to_direction"},
            ),
        }
    )


def test_roundtrip_synthetic(tmp_path: Path) -> None:
    ds = _synthetic_l2b(np.random.default_rng(42))
    out = io.write_l2b(ds, tmp_path / "l2b.nc")
    with netCDF4.Dataset(out) as nc:
        assert nc.data_model == "NETCDF4"
        assert nc.variables["wind_speed"].dtype == np.int16
        assert nc.getncattr(CONVENTION_ATTR) == "to"
        assert "write_l2b l2b.nc" in nc.history
    back = io.open_l2b(out)
    for name in (
        "wvc_lat",
        "wvc_lon",
        "wind_speed",
        "wind_speed_selection",
        "model_speed",
        "max_likelihood_est",
    ):
        np.testing.assert_allclose(back[name], ds[name], atol=0.005 + 1e-9, err_msg=name)
    for name in ("wind_dir", "wind_dir_selection", "model_dir"):
        np.testing.assert_allclose(back[name], ds[name], atol=0.05 + 1e-9, err_msg=name)
    for name in ("num_ambigs", "wvc_selection", "wvc_quality", "row_time"):
        np.testing.assert_array_equal(back[name], ds[name], err_msg=name)
    np.testing.assert_allclose(back.ambiguity_prob, ds.ambiguity_prob, atol=5e-5)
    np.testing.assert_allclose(back.normalised_mle, ds.normalised_mle, rtol=1e-6)
    np.testing.assert_allclose(back.truth_dir, ds.truth_dir, rtol=1e-6)
    np.testing.assert_array_equal(back.flag_land, (ds.wvc_quality.values & 32768) != 0)
    assert back.wind_dir.attrs["standard_name"] == "wind_to_direction"


def test_write_missing_variable_leaves_nothing(tmp_path: Path) -> None:
    ds = _synthetic_l2b(np.random.default_rng(0)).drop_vars("wind_dir")
    dest = tmp_path / "out.nc"
    with pytest.raises(InputError, match="required variable is missing") as err:
        io.write_l2b(ds, dest)
    assert err.value.variable == "wind_dir"
    assert list(tmp_path.iterdir()) == []


def test_write_unpackable_leaves_nothing(tmp_path: Path) -> None:
    ds = _synthetic_l2b(np.random.default_rng(0))
    ds["wind_speed"][0, 1, 0] = 1e6
    dest = tmp_path / "out.nc"
    with pytest.raises(InputError, match="packable range") as err:
        io.write_l2b(ds, dest)
    assert err.value.variable == "wind_speed"
    assert list(tmp_path.iterdir()) == []


def test_huge_mle_saturates_at_packing_limit(tmp_path: Path) -> None:
    ds = _synthetic_l2b(np.random.default_rng(0))
    ds["max_likelihood_est"][0, 1, 0] = 1e6
    back = io.open_l2b(io.write_l2b(ds, tmp_path / "out.nc"))
    assert back["max_likelihood_est"].values[0, 1, 0] == pytest.approx(327.67)


def test_write_wrong_dims(tmp_path: Path) -> None:
    ds = _synthetic_l2b(np.random.default_rng(0))
    ds["wind_dir"] = ds.wind_dir.transpose("numambigs", "numrows", "numcells")
    with pytest.raises(InputError, match="expected") as err:
        io.write_l2b(ds, tmp_path / "out.nc")
    assert err.value.variable == "wind_dir"


def test_written_file_not_flipped(tmp_path: Path, classic: Path) -> None:
    ds = io.open_l2b(classic)
    back = io.open_l2b(io.write_l2b(ds, tmp_path / "own.nc"))
    np.testing.assert_allclose(back.wind_dir, ds.wind_dir)
    np.testing.assert_array_equal(back.row_time, ds.row_time)


def test_summary_synthetic(classic: Path) -> None:
    s = io.l2b_summary(io.open_l2b(classic))
    assert s["cells_with_selected_wind"] == 11
    assert s["mean_selected_speed"] == pytest.approx(7.5)
    assert s["num_ambigs_histogram"] == {0: 1, 2: 11}
    assert s["time_start"] == "2021-08-01T03:10:11Z" and s["time_end"] == "2021-08-01T03:10:15Z"
    assert s["lon_range"] == [-179.92, 179.9]
    json.dumps(s)


# ------------------------------------------------------------------ real files


@pytest.fixture
def scat_l2b(scat_l2b_path: Path) -> xr.Dataset:
    return _real_cache(scat_l2b_path)


_CACHE: dict[Path, xr.Dataset] = {}


def _real_cache(path: Path) -> xr.Dataset:
    if path not in _CACHE:
        _CACHE[path] = io.open_l2b(path)
    return _CACHE[path]


@pytest.mark.shared_data
def test_real_l2b_facts(scat_l2b: xr.Dataset) -> None:
    s = io.l2b_summary(scat_l2b)
    assert s["cells_with_selected_wind"] == 35132
    assert s["mean_selected_speed"] == pytest.approx(8.76, abs=0.005)
    assert s["num_ambigs_histogram"] == {0: 33076, 1: 335, 2: 17079, 3: 9688, 4: 8030}
    assert s["time_start"] == "2021-08-01T03:10:11Z" and s["time_end"] == "2021-08-01T04:45:32Z"
    assert -180 <= s["lon_range"][0] and s["lon_range"][1] < 180
    assert scat_l2b.sizes == {"numrows": 1624, "numcells": 42, "numambigs": 4}
    assert np.isnat(scat_l2b.row_time[-1].values)  # the last row is all fill


@pytest.mark.shared_data
def test_real_l2b_directions(scat_l2b: xr.Dataset, scat_l2b_path: Path) -> None:
    with netCDF4.Dataset(scat_l2b_path) as nc:  # the file's quirk, on the stored integers
        nc.set_auto_maskandscale(False)
        sel = nc["wvc_selection"][:].astype(int)
        ok = sel >= 1
        stored = np.take_along_axis(nc["wind_dir"][:], np.where(ok, sel - 1, 0)[..., None], -1)
        diff = (stored[..., 0].astype(int) - nc["wind_dir_selection"][:]) % 3600
    assert ok.sum() == 35132 and np.all(diff[ok] == 1800)
    # after reading: the selected ambiguity equals the selection in every cell
    picked = scat_l2b.wind_dir.values[ok, sel[ok] - 1]
    d = (picked - scat_l2b.wind_dir_selection.values[ok] + 180) % 360 - 180
    assert np.abs(d).max() < 1e-9
    for name in ("wind_dir", "wind_dir_selection", "model_dir"):
        v = scat_l2b[name].values
        assert np.nanmin(v) >= 0 and np.nanmax(v) < 360
        assert scat_l2b[name].attrs["standard_name"] == "wind_to_direction"


@pytest.mark.shared_data
def test_real_l2b_model_dir_is_to(scat_l2b: xr.Dataset) -> None:
    # North-East Pacific trades blow from the NE, i.e. towards the SW (~225 deg "to")
    lat, lon = scat_l2b.wvc_lat, scat_l2b.wvc_lon
    box = (lat > 10) & (lat < 20) & (lon > -150) & (lon < -120) & np.isfinite(scat_l2b.model_dir)
    rad = np.radians(scat_l2b.model_dir.values[box.values])
    mean = np.degrees(np.arctan2(np.sin(rad).mean(), np.cos(rad).mean())) % 360
    assert box.sum() > 1000 and 210 < mean < 250


@pytest.mark.shared_data
def test_real_l2b_flags(scat_l2b: xr.Dataset) -> None:
    q = scat_l2b.wvc_quality
    assert 32768 in list(q.attrs["flag_masks"]) and "land" in q.attrs["flag_meanings"].split()
    assert int(scat_l2b.flag_land.sum()) == int(((q.values & 32768) != 0).sum()) == 27099
    assert int(scat_l2b.flag_ice.sum()) == 7364
    assert scat_l2b.flag_land.dtype == bool


@pytest.mark.shared_data
def test_real_l2b_roundtrip(scat_l2b: xr.Dataset, tmp_path: Path) -> None:
    back = io.open_l2b(io.write_l2b(scat_l2b, tmp_path / "l2b.nc"))
    assert set(back.data_vars) == set(scat_l2b.data_vars)
    for name in scat_l2b.data_vars:
        xr.testing.assert_identical(back[name], scat_l2b[name])


@pytest.mark.shared_data
def test_real_l2b_truncated(scat_l2b_path: Path, tmp_path: Path) -> None:
    cut = tmp_path / scat_l2b_path.name
    with scat_l2b_path.open("rb") as src, cut.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    size = cut.stat().st_size
    assert io.classic_min_size(cut) == size == 3450616
    with cut.open("r+b") as f:
        f.truncate(size - 1000)
    with pytest.raises(InputError, match=f"expected at least {size} bytes"):
        io.open_l2b(cut)


@pytest.mark.shared_data
def test_real_knmi(ascat_l2_path: Path) -> None:
    ds = io.open_knmi_l2(ascat_l2_path)
    assert ds.sizes == {"numrows": 1632, "numcells": 42}
    assert "numambigs" not in ds.dims
    for name in (
        "wvc_lat",
        "wvc_lon",
        "row_time",
        "wind_speed_selection",
        "wind_dir_selection",
        "model_speed",
        "model_dir",
        "wvc_quality",
        "flag_land",
    ):
        assert name in ds, name
    assert ds.wvc_lon.min() >= -180 and ds.wvc_lon.max() < 180
    assert ds.wind_dir_selection.attrs["standard_name"] == "wind_to_direction"
    with netCDF4.Dataset(ascat_l2_path) as nc:  # "to" already: directions unchanged
        raw = nc["wind_dir"][:].filled(np.nan)
    np.testing.assert_allclose(ds.wind_dir_selection, raw % 360, atol=1e-4)
    s = io.l2b_summary(ds)
    assert s["cells_with_selected_wind"] == 30996
    assert s["num_ambigs_histogram"] is None
    assert s["time_start"] == "2021-07-05T00:06:00Z"
    assert int(ds.flag_land.sum()) == int(((ds.wvc_quality.values & 32768) != 0).sum())
    assert ds.flag_land.attrs["long_name"] == "some_portion_of_wvc_is_over_land"
    assert ds.row_time.dtype == np.dtype("datetime64[ns]") and ds.wvc_index.dtype == np.int16
