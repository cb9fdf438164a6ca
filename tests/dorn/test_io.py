"""DORN readers and writers: round trips, layout detection, bad files named in the error."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.dorn import io
from fcspace.dorn.day import DayConfig, simulate_day
from fcspace.dorn.invert import fit_day


@pytest.fixture(scope="module")
def day() -> tuple[xr.Dataset, xr.Dataset]:
    spectra = simulate_day(DayConfig(n_spectra=2, live_time_h=1.0), 0)
    return spectra, fit_day(spectra)


@pytest.fixture(scope="module")
def files(day, tmp_path_factory):
    d = tmp_path_factory.mktemp("dorn_io")
    spectra, fits = day
    return io.write_spectra(spectra, d / "spectra.nc"), io.write_fits(fits, d / "fits.nc")


def test_spectra_round_trip(day, files) -> None:
    back = io.open_spectra(files[0])
    np.testing.assert_array_equal(back["counts"].values, day[0]["counts"].values)
    np.testing.assert_array_equal(back["local_time"].values, day[0]["local_time"].values)
    assert back.attrs["site"] == day[0].attrs["site"]
    assert back["counts"].encoding.get("zlib") is True  # counts are stored compressed


def test_fits_round_trip(day, files) -> None:
    back = io.open_fits(files[1])
    np.testing.assert_array_equal(back["activity"].values, day[1]["activity"].values)
    np.testing.assert_array_equal(back["covariance"].values, day[1]["covariance"].values)


def test_open_dorn_detects_the_layout(files) -> None:
    assert "counts" in io.open_dorn(files[0]) and "activity" not in io.open_dorn(files[0])
    assert "activity" in io.open_dorn(files[1])


def test_wrong_layout_names_the_file(files) -> None:
    with pytest.raises(InputError, match=r"fits\.nc.*not DORN spectra.*'counts'"):
        io.open_spectra(files[1])
    with pytest.raises(InputError, match=r"spectra\.nc.*not DORN fits.*'activity'"):
        io.open_fits(files[0])


def test_bad_files_name_the_file(files, tmp_path) -> None:
    missing = tmp_path / "missing.nc"
    with pytest.raises(InputError, match="missing.nc: no such file"):
        io.open_dorn(missing)
    junk = tmp_path / "junk.nc"
    junk.write_text("not netcdf")
    with pytest.raises(InputError, match="junk.nc: not a NetCDF file"):
        io.open_spectra(junk)
    cut = tmp_path / "cut.nc"
    cut.write_bytes(files[0].read_bytes()[:2000])
    with pytest.raises(InputError, match="cut.nc"):
        io.open_spectra(cut)
    other = tmp_path / "other.nc"
    xr.Dataset({"x": ("n", [1.0, 2.0])}).to_netcdf(other)
    with pytest.raises(InputError, match="other.nc: not a DORN file"):
        io.open_dorn(other)


def test_counts_with_wrong_dims_refused(day, tmp_path) -> None:
    bad = day[0].assign(counts=day[0]["counts"].transpose("time", "view", "channel"))
    path = io.write_spectra(bad, tmp_path / "t.nc")
    with pytest.raises(InputError, match="variable 'counts'"):
        io.open_spectra(path)


def test_writers_refuse_the_other_layout_and_leave_nothing(day, tmp_path) -> None:
    with pytest.raises(InputError, match="not DORN spectra"):
        io.write_spectra(day[1], tmp_path / "s.nc")
    with pytest.raises(InputError, match="not DORN fits"):
        io.write_fits(day[0], tmp_path / "f.nc")
    assert list(tmp_path.iterdir()) == []
