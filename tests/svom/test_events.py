import numpy as np
import pytest
import xarray as xr
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.io import read_events, write_events
from fcspace.svom.events import (
    LAYOUTS,
    check_events,
    gti_dataset,
    gti_table,
    mjdref_from_header,
    relative_times,
    time_header,
)
from fcspace.svom.events_fits import read_event_list, write_event_list
from fcspace.svom.time import FERMI_MJDREF_TT, SVOM_MJDREF_TT


def _ecl(t, met0=100.0, exposure=10.0):
    n = len(t)
    ev = ("event",)
    return xr.Dataset(
        {"time": (ev, np.asarray(t, float)), "y": (ev, np.zeros(n, np.int16)),
         "z": (ev, np.ones(n, np.int16)), "energy": (ev, np.full(n, 10.0, np.float32))},
        attrs={"met_start": met0, "exposure": exposure, "mjdref_tt": SVOM_MJDREF_TT},
    )  # fmt: skip


def test_check_events_names_the_first_problem():
    with pytest.raises(InputError) as err:
        check_events(_ecl([101.0]).drop_vars("y"))
    assert err.value.variable == "y"
    with pytest.raises(InputError, match="empty"):
        check_events(_ecl([]), nonempty=True)
    with pytest.raises(InputError, match="sorted"):
        check_events(_ecl([102.0, 101.0]), timed=True)
    with pytest.raises(InputError, match="exposure"):
        check_events(_ecl([101.0], exposure=0.0), timed=True)
    check_events(_ecl([101.0, 102.0]), nonempty=True, timed=True)
    with pytest.raises(InputError):
        check_events(_ecl([101.0]), LAYOUTS["GRM"])


def test_times_and_gtis():
    ds = _ecl([100.5, 101.0])
    np.testing.assert_array_equal(relative_times(ds), [0.5, 1.0])
    np.testing.assert_array_equal(gti_table(ds), [[100.0, 110.0]])
    ds = ds.assign(gti_dataset([[100.0, 104.0], [105.0, 110.0]]))
    np.testing.assert_array_equal(gti_table(ds), [[100.0, 104.0], [105.0, 110.0]])


def test_time_keywords():
    keys = dict((k, v) for k, v, _ in time_header(FERMI_MJDREF_TT, 1.0, 2.0))
    assert keys["MJDREFI"] == 51910 and keys["TIMESYS"] == "TT"
    assert mjdref_from_header(keys, 0.0) == pytest.approx(FERMI_MJDREF_TT, abs=1e-12)
    assert mjdref_from_header({"MJDREF": 3.5}, 0.0) == 3.5
    assert mjdref_from_header({}, 7.0) == 7.0


def test_eclairs_fits_round_trip_keeps_absolute_met_and_gtis(tmp_path):
    ds = _ecl([2.5e8 + 0.25, 2.5e8 + 3.0], met0=2.5e8)
    ds = ds.assign(gti_dataset([[2.5e8, 2.5e8 + 4.0], [2.5e8 + 5.0, 2.5e8 + 10.0]]))
    back = read_events(write_events(ds, tmp_path / "ev.fits"))
    np.testing.assert_array_equal(back.time.values, ds.time.values)
    np.testing.assert_array_equal(gti_table(back), gti_table(ds))
    assert back.attrs["met_start"] == 2.5e8 and back.attrs["exposure"] == 10.0


def _grm(t):
    n = len(t)
    ev = ("event",)
    ds = xr.Dataset(
        {"time": (ev, np.asarray(t, float)), "detector": (ev, np.arange(n, dtype=np.int16) % 3),
         "channel": (ev, np.full(n, 1, np.int16)), "energy": (ev, np.full(n, 30.0, np.float32)),
         "e_min": ("pha_channel", [10.0, 20.0]), "e_max": ("pha_channel", [20.0, 40.0]),
         "detector_name": ("det", ["GRD1", "GRD2", "GRD3"])},
        attrs={"mjdref_tt": SVOM_MJDREF_TT, "instrument": "GRM", "mission": "SVOM",
               "attitude_ra": 10.0, "attitude_dec": -20.0, "attitude_roll": 5.0},
    )  # fmt: skip
    return ds.assign(gti_dataset([[t[0] - 1.0, t[-1] + 1.0]]))


@pytest.mark.parametrize("instrument", ["ECLAIRs", "GRM"])
def test_one_writer_one_reader_for_both_instruments(tmp_path, instrument):
    ds = _ecl([100.5, 101.0, 104.0]) if instrument == "ECLAIRs" else _grm([3e8, 3e8 + 2.5])
    ds.attrs |= {"instrument": instrument, "attitude_ra": 10.0, "attitude_dec": -20.0}
    path = write_event_list(ds, tmp_path / "ev.fits")
    back = read_event_list(path)
    assert back.attrs["instrument"] == instrument
    for v in LAYOUTS[instrument]:
        np.testing.assert_array_equal(back[v].values, ds[v].values)
        assert back[v].dtype == ds[v].dtype
    np.testing.assert_array_equal(gti_table(back), gti_table(ds))
    assert back.attrs["mjdref_tt"] == pytest.approx(SVOM_MJDREF_TT, abs=1e-12)
    assert (back.attrs["attitude_ra"], back.attrs["attitude_dec"]) == (10.0, -20.0)
    with fits.open(path) as h:
        hdr = h["EVENTS"].header
        assert hdr["INSTRUME"] == instrument and hdr["TIMESYS"] == "TT"
        assert hdr["RA_PNT"] == 10.0 and hdr["MJDREFI"] == 57754
        assert hdr["TSTART"] <= ds.time.values[0] and hdr["TSTOP"] >= ds.time.values[-1]
        assert h["EVENTS"].columns["ENERGY"].unit == "keV"
        assert all(hdu.verify_checksum() == 1 for hdu in h)
    if instrument == "GRM":
        np.testing.assert_array_equal(back["e_max"].values, [20.0, 40.0])
        assert "met_start" not in back.attrs
    else:
        assert back.attrs["met_start"] == 100.0 and back.attrs["exposure"] == 10.0


def test_writer_refuses_bad_lists_and_leaves_nothing(tmp_path):
    with pytest.raises(InputError, match="sorted"):
        write_event_list(_grm([3.0, 2.0]), tmp_path / "a.fits")
    with pytest.raises(InputError, match="layout"):
        write_event_list(_grm([1.0]), tmp_path / "b.fits", instrument="XRT")
    with pytest.raises(InputError):
        write_event_list(_grm([1.0]).drop_vars("channel"), tmp_path / "c.fits")
    assert list(tmp_path.iterdir()) == []


def test_corrupted_checksum_is_refused(tmp_path):
    path = write_event_list(_grm([3e8, 3e8 + 1.0, 3e8 + 2.0]), tmp_path / "ev.fits")
    raw = bytearray(path.read_bytes())
    with fits.open(path) as h:
        offset = h.fileinfo(1)["datLoc"]
    raw[offset + 3] ^= 0x01  # one bit of the first TIME
    bad = tmp_path / "bad.fits"
    bad.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="checksum") as err:
        read_event_list(bad)
    assert err.value.path == str(bad)


def test_truncated_missing_and_foreign_files(tmp_path):
    path = write_event_list(_grm(list(3e8 + np.arange(2000.0))), tmp_path / "ev.fits")
    cut = tmp_path / "cut.fits"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError) as err:
        read_event_list(cut)
    assert err.value.path == str(cut)
    with pytest.raises(InputError, match="not found"):
        read_event_list(tmp_path / "nope.fits")
    junk = tmp_path / "junk.fits"
    junk.write_bytes(b"not a fits file" * 100)
    with pytest.raises(InputError, match="junk.fits"):
        read_event_list(junk)
    empty = tmp_path / "empty.fits"
    fits.PrimaryHDU().writeto(empty)
    with pytest.raises(InputError, match="EVENTS"):
        read_event_list(empty)


def _table(path, time, instrument="GRM", drop=None):
    cols = {"TIME": ("D", time), "DETECTOR": ("I", [0] * len(time)),
            "PHA": ("I", [1] * len(time)), "ENERGY": ("E", [20.0] * len(time))}  # fmt: skip
    c = [fits.Column(k, f, array=np.asarray(v)) for k, (f, v) in cols.items() if k != drop]
    hdu = fits.BinTableHDU.from_columns(c, name="EVENTS")
    hdu.header["INSTRUME"] = instrument
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path)
    return path


def test_reader_checks_columns_and_times(tmp_path):
    with pytest.raises(InputError, match="PHA") as err:
        read_event_list(_table(tmp_path / "a.fits", [1.0], drop="PHA"))
    assert err.value.variable == "PHA"
    with pytest.raises(InputError, match="sorted"):
        read_event_list(_table(tmp_path / "b.fits", [2.0, 1.0]))
    with pytest.raises(InputError, match="non-finite"):
        read_event_list(_table(tmp_path / "c.fits", [1.0, np.nan]))
    with pytest.raises(InputError, match="layout"):
        read_event_list(_table(tmp_path / "d.fits", [1.0], instrument="XRT"))
    ds = read_event_list(_table(tmp_path / "e.fits", [1.0, 2.0], instrument="XRT"), "GRM")
    np.testing.assert_array_equal(gti_table(ds), [[0.0, 0.0]])  # no GTI, no TSTART/TSTOP
