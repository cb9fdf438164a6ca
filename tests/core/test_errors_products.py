import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import FcspaceError, InputError
from fcspace.core.products import add_history, atomic_path, cf_global_attrs, write_netcdf


def test_input_error_names_file_and_variable():
    err = InputError("expected 3 dims", path="/x/a.nc", variable="sigma0")
    assert isinstance(err, ValueError) and isinstance(err, FcspaceError)
    assert str(err) == "/x/a.nc: variable 'sigma0': expected 3 dims"
    assert err.path == "/x/a.nc" and err.variable == "sigma0"


def test_atomic_path_renames_on_success(tmp_path):
    dest = tmp_path / "sub" / "out.txt"
    with atomic_path(dest) as tmp:
        tmp.write_text("done")
        assert not dest.exists()
    assert dest.read_text() == "done"
    assert list(dest.parent.iterdir()) == [dest]


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    dest = tmp_path / "out.nc"
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_keeps_old_file_on_failure(tmp_path):
    dest = tmp_path / "out.nc"
    dest.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_text("new")
        raise RuntimeError("boom")
    assert dest.read_text() == "old"
    assert list(tmp_path.iterdir()) == [dest]


def test_write_netcdf_round_trip_with_cf_attrs(tmp_path):
    ds = xr.Dataset({"a": ("x", np.arange(3.0))}, attrs=cf_global_attrs("t", "unit test"))
    ds = add_history(ds, "second step")
    path = write_netcdf(ds, tmp_path / "a.nc")
    with xr.open_dataset(path) as back:
        np.testing.assert_array_equal(back["a"].values, [0, 1, 2])
        assert back.attrs["Conventions"].startswith("CF-1.8")
        lines = back.attrs["history"].splitlines()
        assert len(lines) == 2 and lines[1].endswith("second step")
