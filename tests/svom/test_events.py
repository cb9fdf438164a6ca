import numpy as np
import pytest
import xarray as xr

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
