"""SWIM L2P / full L2 readers and writer: real-file facts, round trips, bad inputs."""

from __future__ import annotations

from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import io
from fcspace.cfosat.swim import product_specs as ps
from fcspace.core.errors import InputError
from fcspace.testing.data import shared_file

SHARED_DATA = shared_file()
L2P = SHARED_DATA / "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc"
T0 = 699211833.0  # 2022-02-26T17:30:33Z in seconds since 2000-01-01
FLOAT_ENC = {"_FillValue": ps.FILL_FLOAT}
INT_ENC = {"_FillValue": ps.FILL_INT8}


@pytest.fixture(scope="module")
def l2p_path() -> Path:
    if not L2P.exists():
        pytest.skip(f"real data not available: {L2P} (../shared/data is absent on this machine)")
    return L2P


@pytest.fixture(scope="module")
def l2p(l2p_path: Path) -> xr.Dataset:
    return io.open_l2p(l2p_path)


# --------------------------------------------------------------------------------------------
# Synthetic files
# --------------------------------------------------------------------------------------------

NK, NBOX = 4, 3


def _raw_l2p(seed: int = 0) -> xr.Dataset:
    """A tiny L2P box file's raw variables (names, dims and attributes of the real product)."""
    rng = np.random.default_rng(seed)
    half = rng.uniform(0.001, 0.01, (NK, 12, 2, NBOX)).astype(np.float32)
    box, side = ("n_box",), ("n_posneg", "n_box")
    t_units = {"units": "seconds since 2000-01-01 00:00:00.0", "calendar": "gregorian"}
    mask = rng.integers(0, 2, (NK, 12, 3, 2, NBOX)).astype(np.int8)
    data = {
        "time_nadir_l2": (box, T0 + np.array([0.0, 11.0, 22.5]), t_units),
        "time_spec_l2": (side, T0 + np.array([[0.0, 11, 22], [1, 12, 23]]), t_units),
        "lat_nadir_l2": (box, np.array([10.0, 10.6, 11.2], np.float32)),
        "lon_nadir_l2": (box, np.array([20.0, 19.9, 19.8], np.float32)),
        "lat_spec_l2": (side, np.full((2, NBOX), 10.5, np.float32)),
        "lon_spec_l2": (side, np.full((2, NBOX), 19.5, np.float32)),
        "k_spectra": (("nk",), np.geomspace(0.0126, 0.28, NK).astype(np.float32)),
        "phi_vector": (("n_phi",), np.arange(7.5, 360, 15, dtype=np.float32)),
        "phi_orbit_box": (box, np.full(NBOX, 6.08, np.float32), {"units": "radians"}),
        "nadir_swh_box": (box, np.array([2.0, 3.0, np.nan], np.float32)),
        "flag_valid_swh_box": (box, np.array([0, 1, 1], np.int8)),
        "nadir_wind_box": (box, np.array([5.0, 6.0, 7.0], np.float32)),
        "flag_valid_wind_box": (box, np.array([0, 0, 0], np.int8)),
        "swh_ecmwf": (side, np.full((2, NBOX), 2.5, np.float32)),
        "u10_ecmwf": (side, np.full((2, NBOX), 3.0, np.float32)),
        "v10_ecmwf": (side, np.full((2, NBOX), -4.0, np.float32)),
        "pp_mean": (("nk", "n_phi", *side), np.concatenate([half, half], axis=1)),
        "flag_valid_pp_mean": (("nk", "n_phi", *side), np.zeros((NK, 24, 2, NBOX), np.int8)),
        "wave_param": (("nparam", *side), rng.uniform(1, 200, (3, 2, NBOX)).astype(np.float32)),
        "wave_param_part": (
            ("nparam", "npartitions", *side),
            rng.uniform(1, 200, (3, 3, 2, NBOX)).astype(np.float32),
        ),
        "mask_spectrum": (
            ("nk", "n_phi", "npartitions", *side),
            np.concatenate([mask, -mask], axis=1),
        ),
        "number_of_partitions": (side, np.array([[0, 1, 2], [3, 1, 0]], np.int8)),
    }
    ds = xr.Dataset({k: xr.DataArray(v[1], dims=v[0], attrs=dict(v[2:][0]) if len(v) > 2 else {})
                     for k, v in data.items()})  # fmt: skip
    ds.attrs.update(platform="CFOSAT", sensor="SWIM", wave_spectra_beam="10")
    return ds


def _write_raw(ds: xr.Dataset, path: Path) -> Path:
    enc = {}
    for name, da in ds.data_vars.items():
        if da.dtype.kind == "f" and not str(name).startswith("time_"):
            enc[name] = FLOAT_ENC
        elif da.dtype == np.int8:
            enc[name] = INT_ENC
        else:
            enc[name] = {"_FillValue": None}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF4", encoding=enc)
    return path


@pytest.fixture
def l2p_file(tmp_path: Path) -> Path:
    return _write_raw(_raw_l2p(), tmp_path / "l2p.nc")


def _with_beams(ds: xr.Dataset, rng: np.random.Generator) -> xr.Dataset:
    """An in-memory full-L2 Dataset: 3 beams, p_combined, nadir at 3 rates, truth."""
    beam_vars = [n for n in ds.data_vars if "n_beam_l2" in ds[n].dims and n != "beam_incidence"]
    out = ds.drop_vars(beam_vars + ["beam_incidence"])
    for name in beam_vars:
        out[name] = xr.concat([ds[name]] * 3, dim="n_beam_l2").transpose(*ds[name].dims)
    out["beam_incidence"] = xr.DataArray([6.0, 8.0, 10.0], dims="n_beam_l2")
    out["p_combined"] = ds["pp_mean"].isel(n_beam_l2=0) * 1.5
    out["wave_param_combined"] = ds["wave_param"].isel(n_beam_l2=0) + 0.25
    t0 = np.datetime64("2022-02-26T17:30:33.123456", "ns")
    for rate, n in (("native", 7), ("1hz", 5)):
        t = t0 + np.arange(n) * np.timedelta64(200_001, "us")
        out[f"time_nadir_{rate}"] = xr.DataArray(t, dims=f"n_nadir_{rate}")
        out[f"lat_nadir_{rate}"] = xr.DataArray(np.linspace(10, 11, n), dims=f"n_nadir_{rate}")
        out[f"lon_nadir_{rate}"] = xr.DataArray(np.linspace(20, 19, n), dims=f"n_nadir_{rate}")
        swh = rng.uniform(0.5, 4, n).astype(np.float32).astype(np.float64)
        flag = (np.arange(n) % 3 == 0).astype(np.int8)
        out[f"nadir_swh_{rate}"] = xr.DataArray(np.where(flag, np.nan, swh), dims=f"n_nadir_{rate}")
        out[f"flag_valid_swh_{rate}"] = xr.DataArray(flag, dims=f"n_nadir_{rate}")
        out[f"flag_valid_time_nadir_{rate}"] = xr.zeros_like(out[f"flag_valid_swh_{rate}"])
    truth = rng.uniform(0, 0.01, ds["pp_mean"].isel(n_beam_l2=0).shape).astype(np.float32)
    out["truth_pp_mean"] = xr.DataArray(
        truth.astype(np.float64), dims=("nk", "n_phi", *("n_posneg", "n_box"))
    )
    out["truth_hs"] = xr.DataArray(np.array([1.0, 2.0, 3.0]), dims="n_box", attrs={"units": "m"})
    return out


def _assert_same(a: xr.Dataset, b: xr.Dataset) -> None:
    """Same variables and values: exact for times and integers, float32 precision for floats."""
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].transpose(*b[name].dims), b[name]
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x.values, y.values, rtol=2e-7, atol=0, err_msg=name)
        else:
            np.testing.assert_array_equal(x.values, y.values, err_msg=name)


# --------------------------------------------------------------------------------------------
# The real L2P box product
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_l2p_summary_facts(l2p: xr.Dataset) -> None:
    s = io.l2_summary(l2p)
    assert s["n_box"] == 110 and s["cells"] == 220 and s["beams"] == [10.0]
    assert s["boxes_with_valid_nadir_swh"] == 40
    assert s["nadir_swh"]["mean"] == pytest.approx(3.46, abs=0.005)
    assert s["nadir_swh"]["min"] == pytest.approx(0.42, abs=0.005)
    assert s["nadir_swh"]["max"] == pytest.approx(8.35, abs=0.005)
    assert s["cells_with_wave_param"] == [44]
    assert s["cells_with_valid_spectrum"] == [42]  # 2 spectra flagged invalid in every bin
    assert s["time_start"] == "2022-02-26T17:30:31Z" and s["time_end"].startswith("2022-02-26T17:4")
    assert -90 <= s["lat_range"][0] < s["lat_range"][1] <= 90


@pytest.mark.shared_data
def test_real_l2p_44_cells_with_spectrum_and_wave_param(l2p_path: Path, l2p: xr.Dataset) -> None:
    with netCDF4.Dataset(l2p_path) as nc:
        nc.set_auto_mask(False)
        pp, wp = nc["pp_mean"][:], nc["wave_param"][:]
    full = (pp < 1e36).all(axis=(0, 1)) & (wp < 1e36).all(axis=0)
    assert full.sum() == 44
    mem = np.isfinite(l2p["wave_param"]).all("nparam").isel(n_beam_l2=0)
    np.testing.assert_array_equal(mem.transpose("n_posneg", "n_box").values, full)
    flagged = (l2p["flag_valid_pp_mean"] == 1).all(("nk", "n_phi")).isel(n_beam_l2=0)
    assert int((mem & flagged).sum()) == 2  # carry wave_param, pp_mean flagged invalid


@pytest.mark.shared_data
def test_real_l2p_hs_from_spectrum_matches_wave_param(l2p: xr.Dataset) -> None:
    pp, k = l2p["pp_mean"].isel(n_beam_l2=0), l2p["k_spectra"]
    dk = xr.DataArray(np.gradient(k.values), dims="nk")
    hs = 4 * np.sqrt((pp / k * dk * np.radians(15.0)).sum(("nk", "n_phi"), skipna=False))
    ref = l2p["wave_param"].isel(nparam=0, n_beam_l2=0)
    ok = np.isfinite(hs)
    assert int(ok.sum()) == 42
    np.testing.assert_allclose(hs.values[ok.values], ref.values[ok.values], rtol=1e-5)


@pytest.mark.shared_data
def test_real_l2p_corrupt_time_box_is_nat(l2p: xr.Dataset) -> None:
    assert np.isnat(l2p["time_nadir_l2"].values[0])
    assert l2p["flag_valid_time_nadir_l2"].values[0] == 1
    assert l2p["flag_valid_time_nadir_l2"].values[1:].sum() == 0
    assert np.isnan(l2p["lat_nadir_l2"].values[0])
    assert not np.isnat(l2p["time_spec_l2"].values).any()
    assert l2p["time_nadir_l2"].dtype == np.dtype("datetime64[ns]")


@pytest.mark.shared_data
def test_real_l2p_conventions(l2p: xr.Dataset) -> None:
    assert l2p.sizes["n_phi"] == 24 and l2p.sizes["n_beam_l2"] == 1
    np.testing.assert_allclose(l2p["phi_vector"], np.arange(7.5, 360, 15))
    orbit = l2p["phi_orbit_box"].values
    assert l2p["phi_orbit_box"].attrs["units"] == "degree"
    assert 332 < np.nanmin(orbit) and np.nanmax(orbit) < 349  # ascending NNW track heading
    swh, flag = l2p["nadir_swh_box"], l2p["flag_valid_swh_box"]
    assert np.isnan(swh.values[flag.values == 1]).all()
    assert np.isfinite(swh.values[flag.values == 0]).all()
    assert l2p["pp_mean"].attrs["units"] == "m2 rad-1"


@pytest.mark.shared_data
def test_real_l2p_to_full_l2_round_trip(l2p_path: Path, l2p: xr.Dataset, tmp_path: Path) -> None:
    out = io.write_l2(l2p, tmp_path / "swim_l2.nc")
    with netCDF4.Dataset(out) as nc:
        assert nc.dimensions["n_phi"].size == 12 and nc.dimensions["n_tim"].size == 2
        assert nc["pp_mean"].dimensions[-1] == "n_beam_l2"
        assert nc.getncattr("Conventions").startswith("CF-1.8")
    back = io.open_l2(out)
    _assert_same(l2p, back)
    _assert_same(l2p, io.open_swim(out))
    _assert_same(l2p, io.open_swim(l2p_path))


# --------------------------------------------------------------------------------------------
# Synthetic files
# --------------------------------------------------------------------------------------------


def test_synthetic_l2p_decoding(l2p_file: Path) -> None:
    ds = io.open_l2p(l2p_file)
    np.testing.assert_array_equal(
        ds["time_nadir_l2"].values,
        np.array(["2022-02-26T17:30:33", "2022-02-26T17:30:44", "2022-02-26T17:30:55.5"],
                 dtype="datetime64[ns]"),
    )  # fmt: skip
    np.testing.assert_allclose(ds["nadir_swh_box"].values, [2.0, np.nan, np.nan])
    np.testing.assert_array_equal(ds["flag_valid_swh_box"].values, [0, 1, 1])
    np.testing.assert_allclose(ds["phi_orbit_box"].values, np.degrees(np.float32(6.08)))
    assert ds["pp_mean"].dims == ps.LAYOUT["pp_mean"].dims
    assert ds["number_of_partitions"].dtype == np.int8


def test_pp_mean_flag_masks_bins(tmp_path: Path) -> None:
    raw = _raw_l2p()
    raw["flag_valid_pp_mean"][:, :, 1, 2] = 1
    ds = io.open_l2p(_write_raw(raw, tmp_path / "f.nc"))
    pp = ds["pp_mean"].isel(n_beam_l2=0)
    assert bool(np.isnan(pp.isel(n_posneg=1, n_box=2)).all())
    assert int(np.isnan(pp).sum()) == NK * 24
    assert io.l2_summary(ds)["cells_with_valid_spectrum"] == [2 * NBOX - 1]


@pytest.mark.parametrize(
    ("seconds", "lat", "why"),
    [(2431566847.0, 10.0, "2077"), (T0, np.nan, "no position"), (5.0e8, 10.0, "2015")],
)
def test_implausible_time_is_nat(tmp_path: Path, seconds: float, lat: float, why: str) -> None:
    raw = _raw_l2p()
    raw["time_nadir_l2"][1] = seconds
    raw["lat_nadir_l2"][1] = lat
    ds = io.open_l2p(_write_raw(raw, tmp_path / "t.nc"))
    assert np.isnat(ds["time_nadir_l2"].values[1]), why
    np.testing.assert_array_equal(ds["flag_valid_time_nadir_l2"].values, [0, 1, 0])


def test_plausible_times_bounds() -> None:
    t = np.array(["2018-10-28", "2018-10-30", "2030-01-01", "NaT"], dtype="datetime64[ns]")
    now = np.datetime64("2029-06-01", "ns")
    ok = io.plausible_times(t, np.zeros(4), np.zeros(4), now=now)
    np.testing.assert_array_equal(ok, [False, True, True, False])
    ok = io.plausible_times(t, np.zeros(4), np.zeros(4), now=np.datetime64("2028-06-01"))
    assert not ok[2]


def test_geophysical_fill_everywhere_reads_as_nan(tmp_path: Path) -> None:
    raw = _raw_l2p()
    raw["nadir_swh_box"][:] = np.nan
    raw["pp_mean"][:] = np.nan
    ds = io.open_l2p(_write_raw(raw, tmp_path / "empty.nc"))
    s = io.l2_summary(ds)
    assert s["boxes_with_valid_nadir_swh"] == 0 and s["nadir_swh"]["mean"] is None
    assert s["cells_with_valid_spectrum"] == [0]


def test_full_l2_round_trip(l2p_file: Path, tmp_path: Path) -> None:
    ds = _with_beams(io.open_l2p(l2p_file), np.random.default_rng(3))
    path = io.write_l2(ds, tmp_path / "full.nc")
    back = io.open_swim(path)
    _assert_same(ds, back)
    assert back["time_nadir_native"].values[1] == np.datetime64("2022-02-26T17:30:33.323457")
    assert back["truth_pp_mean"].dims == ("nk", "n_phi", "n_posneg", "n_box")
    with netCDF4.Dataset(path) as nc:
        assert nc["truth_pp_mean"].dimensions[1] == "n_phi_full"
        assert nc["pp_mean"].shape == (NK, 12, 2, NBOX, 3)
        # the CNES L2 layout (issue 15): 1 Hz time in float seconds, native on n_mcycles
        assert nc["time_nadir_1Hz"].shape == (5,)
        assert nc["time_nadir_1Hz"].units == "seconds since 2009-01-01 00:00:00"
        assert nc["time_nadir_native"].dimensions == ("n_mcycles", "n_tim")
        assert nc["time_l2"].dimensions == ("n_posneg", "n_box", "n_tim")
        assert nc.getncattr(ps.LAYOUT_ATTR) == "cnes_l2"
        assert "write_l2" in nc.getncattr("history")


def test_previous_full_l2_layout_still_reads(l2p_file: Path, tmp_path: Path) -> None:
    """Files of fcspace's previous layout (in-memory names, n_tim times) read as before."""
    from fcspace.cfosat.swim.layout import encode_l2
    from fcspace.core.products import write_netcdf

    ds = _with_beams(io.open_l2p(l2p_file), np.random.default_rng(3))
    stored, encoding = encode_l2(ds, tmp_path / "old.nc")
    path = write_netcdf(stored, tmp_path / "old.nc", encoding=encoding, format="NETCDF4")
    with netCDF4.Dataset(path) as nc:
        assert nc["time_nadir_1hz"].shape == (5, 2)
        assert nc.getncattr(ps.LAYOUT_ATTR) == "full_l2"
    _assert_same(ds, io.open_l2(path))
    _assert_same(io.open_swim(path), io.open_swim(io.write_l2(ds, tmp_path / "new.nc")))


def test_half_plane_stores_mean_of_both_halves(l2p_file: Path, tmp_path: Path) -> None:
    ds = io.open_l2p(l2p_file)
    pp = ds["pp_mean"].values.copy()
    pp[:, 12:] *= 3.0  # not symmetric: the file keeps the mean, the reader re-expands it
    ds["pp_mean"] = ds["pp_mean"].copy(data=pp)
    back = io.open_l2(io.write_l2(ds, tmp_path / "h.nc"))
    expected = (pp[:, :12] + pp[:, 12:]) / 2
    np.testing.assert_allclose(back["pp_mean"].values[:, :12], expected, rtol=2e-7)
    np.testing.assert_allclose(back["pp_mean"].values[:, 12:], expected, rtol=2e-7)


# --------------------------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------------------------


def _raises(path: Path, *words: str) -> None:
    with pytest.raises(InputError) as err:
        io.open_swim(path)
    assert path.name in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    _raises(tmp_path / "absent.nc", "no such file")


def test_not_netcdf(tmp_path: Path) -> None:
    path = tmp_path / "text.nc"
    path.write_text("not a netcdf file\n" * 10)
    _raises(path, "not a NetCDF file")


def test_truncated(l2p_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.nc"
    data = l2p_file.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _raises(path, "truncated")


@pytest.mark.parametrize("name", sorted(ps.REQUIRED))
def test_missing_required_variable(tmp_path: Path, name: str) -> None:
    _raises(_write_raw(_raw_l2p().drop_vars(name), tmp_path / "m.nc"), repr(name), "missing")


def test_wrong_dims(tmp_path: Path) -> None:
    raw = _raw_l2p()
    raw["nadir_swh_box"] = xr.DataArray(np.ones((2, NBOX), np.float32), dims=("n_posneg", "n_box"))
    _raises(_write_raw(raw, tmp_path / "d.nc"), "'nadir_swh_box'", "dimensions")


def test_half_plane_l2p_is_refused(tmp_path: Path) -> None:
    raw = _raw_l2p().isel(n_phi=slice(0, 12))
    _raises(_write_raw(raw, tmp_path / "p.nc"), "variable '", "n_phi has 12 values")


@pytest.mark.parametrize("name", ["lat_nadir_l2", "lon_spec_l2", "time_nadir_l2"])
def test_geolocation_fill_everywhere(tmp_path: Path, name: str) -> None:
    raw = _raw_l2p()
    raw[name][:] = np.nan
    _raises(_write_raw(raw, tmp_path / "g.nc"), repr(name), "fill value everywhere")


def test_axis_with_a_fill(tmp_path: Path) -> None:
    raw = _raw_l2p()
    raw["k_spectra"][2] = np.nan
    _raises(_write_raw(raw, tmp_path / "k.nc"), "'k_spectra'", "every value must be valid")


def test_bad_time_units(tmp_path: Path) -> None:
    raw = _raw_l2p()
    raw["time_nadir_l2"].attrs["units"] = "days since 2000-01-01"
    _raises(_write_raw(raw, tmp_path / "u.nc"), "'time_nadir_l2'", "time units")


def test_write_refuses_bad_dataset_and_leaves_nothing(l2p_file: Path, tmp_path: Path) -> None:
    ds = io.open_l2p(l2p_file)
    out = tmp_path / "out"
    cases = {
        "pp_mean": ds.drop_vars("pp_mean"),
        "phi_vector": ds.isel(n_phi=slice(0, 12)),
        "nadir_swh_box": ds.assign(nadir_swh_box=ds["swh_ecmwf"]),
        "label": ds.assign(label=xr.DataArray(np.array(["a", "b", "c"]), dims="n_box")),
    }
    for name, bad in cases.items():
        with pytest.raises(InputError, match=repr(name)):
            io.write_l2(bad, out / "l2.nc")
    assert not out.exists() or list(out.iterdir()) == []


def test_write_failure_keeps_no_partial_file(
    l2p_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = io.open_l2p(l2p_file)
    original = xr.Dataset.to_netcdf

    def half_written(self: xr.Dataset, path: Path, *args: object, **kwargs: object) -> None:
        original(self, path, *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", half_written)
    with pytest.raises(OSError, match="disk full"):
        io.write_l2(ds, tmp_path / "l2.nc")
    assert list(tmp_path.iterdir()) == [l2p_file]


def test_hdf5_min_size(l2p_file: Path, tmp_path: Path) -> None:
    size = io.hdf5_min_size(l2p_file)
    assert size == l2p_file.stat().st_size
    text = tmp_path / "x.txt"
    text.write_text("hello")
    assert io.hdf5_min_size(text) is None
