"""Issue 14: DORN products are checked against their rules; every error names the file.

A bad file is a good one with one variable changed, rewritten by the fcspace writer (so the file
is well-formed NetCDF and only the rules can catch it).
"""

import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.dorn.day import DayConfig, simulate_day
from fcspace.dorn.invert import fit_day, invert_day
from fcspace.dorn.io import (
    ACTIVITY_MIN_PULL,
    open_dorn,
    open_fits,
    open_spectra,
    write_fits,
    write_spectra,
)
from fcspace.testing.fakes import fake_dorn_fits, fake_dorn_spectra


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dorn")
    return fake_dorn_spectra(folder / "day.nc"), fake_dorn_fits(folder / "fits.nc")


def _write_changed(src, dst, opener, writer, var, change):
    ds = opener(src)
    values = np.array(ds[var].values, dtype=float if var != "counts" else ds[var].dtype)
    ds[var] = (ds[var].dims, change(values), ds[var].attrs)
    return writer(ds, dst)


def _refused(call, path, variable, *words):
    with pytest.raises(InputError) as err:
        call(path)
    assert err.value.path == str(path) and str(path) in str(err.value)
    assert err.value.variable == variable
    for word in words:
        assert word in str(err.value)


def test_good_files_read_as_written(files):
    spectra, fits = files
    day = open_spectra(spectra)
    assert open_dorn(spectra).identical(day)
    assert int(day["counts"].sum()) > 0 and open_fits(fits).identical(open_dorn(fits))


def _negate_counts(v):
    v[0, 0, 500] = -3
    return v


def _first_nan(v):
    v[0] = np.nan
    return v


def _bump_one_edge(v):
    v[10] += 1.0  # one edge moved by 1 keV: still increasing, no longer the instrument's
    return v


@pytest.mark.parametrize(
    ("var", "change", "words"),
    [("counts", _negate_counts, "1 value(s) outside the valid range [0, 1000000000000.0]"),
     ("temperature_c", lambda v: v + 200.0, "2 value(s) outside the valid range [-40.0, 60.0]"),
     ("temperature_c", _first_nan, "1 of 2 values not finite"),
     ("local_time", lambda v: v + 30.0, "outside the valid range [0.0, 24.0]"),
     ("live_time_s", lambda v: 0.0 * v, "outside the valid range [0.001, 3000000.0]"),
     ("n_units", lambda v: v - 5, "outside the valid range [1, 64]"),
     ("counts_vetoed", lambda v: v + 2**62, "outside the valid range [0, 1000000000000.0]"),
     ("energy_edges", _bump_one_edge, "2 channels not of the common width 10 keV")],
)  # fmt: skip
def test_bad_spectra_are_refused_naming_file_and_variable(files, tmp_path, var, change, words):
    bad = _write_changed(files[0], tmp_path / f"bad_{var}.nc", open_spectra, write_spectra,
                         var, change)  # fmt: skip
    _refused(open_spectra, bad, var, words)
    _refused(open_dorn, bad, var, words)


def test_negated_activities_are_refused_not_a_negative_flux(files, tmp_path):
    # the issue: negated activities gave LinAlgError; here they gave a flux of -180 silently
    bad = _write_changed(files[1], tmp_path / "negated.nc", open_fits, write_fits, "activity",
                         lambda v: -v)  # fmt: skip
    _refused(open_fits, bad, "activity", f"below {ACTIVITY_MIN_PULL:g} sigma", "negated")
    raw = xr.load_dataset(bad)  # read around the checks: the inversion refuses and names it
    _refused(lambda p: invert_day(raw), bad, "activity", "below -5 sigma")


def test_negated_exposure_is_an_input_error_not_linalg(files, tmp_path):
    bad = _write_changed(files[1], tmp_path / "exposure.nc", open_fits, write_fits,
                         "exposure_s", lambda v: -v)  # fmt: skip
    _refused(open_fits, bad, "exposure_s", "4 value(s) outside the valid range")
    raw = xr.load_dataset(bad)
    _refused(lambda p: invert_day(raw), bad, "exposure_s", "finite and > 0")


def test_gain_and_covariance_rules(files, tmp_path):
    bad = _write_changed(files[1], tmp_path / "gain.nc", open_fits, write_fits, "gain",
                         lambda v: 10 * v)  # fmt: skip
    _refused(open_fits, bad, "gain", "outside the valid range [0.5, 2.0]")
    bad = _write_changed(files[1], tmp_path / "cov.nc", open_fits, write_fits, "covariance",
                         lambda v: v * np.inf)  # fmt: skip
    _refused(open_fits, bad, "covariance", "values not finite")


def test_processing_errors_name_the_file(files, tmp_path):
    # a spectra file whose channel count is not the instrument's: fit_day's own check
    day = open_spectra(files[0]).isel(channel=slice(0, 100))
    path = write_spectra(day, tmp_path / "short.nc")
    _refused(lambda p: fit_day(open_spectra(p)), path, "counts", "expected 1100 channels")


def test_day_config_parameters_are_checked():
    for field, value in (("n_grid", 0), ("regolith_steps", 10**9), ("leak_rate_s", np.nan),
                         ("photoionisation_rate_s", -1.0)):  # fmt: skip
        with pytest.raises(InputError) as err:
            simulate_day(DayConfig(**{field: value}))
        assert err.value.variable == field and "is not a finite number in" in str(err.value)


def test_written_products_carry_checksums_and_a_flipped_byte_is_refused(files, tmp_path):
    # Fletcher-32 on every numeric array: a flip in the data fails to read, naming the file
    import netCDF4

    with netCDF4.Dataset(files[0]) as nc:
        assert nc["counts"].filters()["fletcher32"] and nc["live_time_s"].filters()["fletcher32"]
    raw = files[0].read_bytes()
    outcomes = {"refused": 0, "identical": 0, "changed": 0}
    good = open_spectra(files[0])
    for k, offset in enumerate(range(4096, len(raw) - 64, max(1, (len(raw) - 4160) // 40))):
        bad = tmp_path / f"flip_{k}.nc"
        flipped = bytearray(raw)
        flipped[offset] ^= 0x10
        bad.write_bytes(bytes(flipped))
        try:
            ds = open_spectra(bad)
        except InputError as err:
            assert err.path == str(bad)
            outcomes["refused"] += 1
            continue
        outcomes["identical" if ds.identical(good) else "changed"] += 1
    assert outcomes["changed"] == 0 and outcomes["refused"] > 0, outcomes


def test_fit_spectrum_attributes_are_checked():
    from fcspace.dorn.fit import fit_spectrum

    one = xr.Dataset({"counts": ("channel", np.ones(1100))}, attrs={"live_time_s": 3600.0})
    for attrs, variable in (({"temperature_c": "abc"}, "temperature_c"),
                            ({"temperature_c": np.nan}, "temperature_c"),
                            ({"temperature_c": 300.0}, "temperature_c"),
                            ({"live_time_s": "abc"}, "live_time_s")):  # fmt: skip
        bad = one.copy()
        bad.attrs = one.attrs | attrs
        with pytest.raises(InputError) as err:
            fit_spectrum(bad)
        assert err.value.variable == variable
