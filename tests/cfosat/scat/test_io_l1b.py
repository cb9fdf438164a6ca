"""L1B files: round trip, and every kind of bad input refused with file and variable named."""

import numpy as np
import pytest

from fcspace.cfosat.scat.io import open_l1b, write_l1b
from fcspace.cfosat.scat.process import process_file
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.core.errors import InputError


@pytest.fixture(scope="module")
def l1b():
    return simulate_orbit_segment(12, scene="synoptic", seed=7)


def test_round_trip_keeps_views_and_truth(l1b, tmp_path):
    back = open_l1b(write_l1b(l1b, tmp_path / "l1b.nc"))
    np.testing.assert_allclose(back["sigma0"].values, l1b["sigma0"].values, rtol=1e-6)
    np.testing.assert_array_equal(back["polarisation"].values, l1b["polarisation"].values)
    np.testing.assert_array_equal(back["row_time"].values, l1b["row_time"].values)
    np.testing.assert_allclose(back["truth_dir"].values, l1b["truth_dir"].values, atol=1e-4)
    assert back["model_dir"].attrs["standard_name"] == "wind_to_direction"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.nc: no such file"):
        open_l1b(tmp_path / "nope.nc")


def test_not_netcdf(tmp_path):
    bad = tmp_path / "bad.nc"
    bad.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(InputError, match="bad.nc"):
        open_l1b(bad)


@pytest.mark.parametrize("name", ["sigma0", "azimuth", "wvc_lat"])
def test_missing_variable_named(l1b, tmp_path, name):
    path = tmp_path / "l1b.nc"
    l1b.drop_vars(name).to_netcdf(path)
    with pytest.raises(InputError, match=f"variable '{name}'") as err:
        open_l1b(path)
    assert err.value.path == str(path)


def test_wrong_dimensions(l1b, tmp_path):
    path = tmp_path / "l1b.nc"
    l1b.assign(kp=l1b["kp"].transpose("numviews", "numrows", "numcells")).to_netcdf(path)
    with pytest.raises(InputError, match="variable 'kp'.*expected"):
        open_l1b(path)


def test_all_nan_sigma0_and_no_partial_product(l1b, tmp_path):
    path = tmp_path / "l1b.nc"
    l1b.assign(sigma0=l1b["sigma0"] * np.nan).to_netcdf(path)
    out = tmp_path / "l2b.nc"
    with pytest.raises(InputError, match="variable 'sigma0': all sigma0 values are NaN"):
        process_file((path, out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l1b.nc"]


def test_truncated_l1b_refused(l1b, tmp_path):
    path = write_l1b(l1b, tmp_path / "l1b.nc")
    data = path.read_bytes()
    cut = tmp_path / "cut.nc"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.nc"):
        open_l1b(cut)
