import numpy as np
import pytest
from astropy.time import Time

from fcspace.core.errors import InputError
from fcspace.svom import time as svom_time
from fcspace.svom.time import (
    FERMI_MJDREF_TT,
    SVOM_MJDREF_TT,
    iso_to_met,
    met_to_iso,
    met_to_time,
    time_to_met,
)

GBM_TRIGTIME = 332916465.760476  # GRB 110721A, Fermi MET


def test_svom_epoch_is_2017_utc():
    assert met_to_iso(0.0) == "2017-01-01T00:00:00.000"
    assert met_to_iso(86400.5) == "2017-01-02T00:00:00.500"
    assert Time(SVOM_MJDREF_TT, format="mjd", scale="tt").utc.isot == "2017-01-01T00:00:00.000"


def test_svom_met_format_registered():
    cls = svom_time.TimeSVOMMET
    assert cls.name == "svom_met" and cls.epoch_scale == "tt"
    t = Time(10.0, format="svom_met")
    assert t.utc.isot == "2017-01-01T00:00:10.000"
    assert met_to_time(10.0).format == "svom_met"
    assert met_to_time(10.0).value == pytest.approx(10.0, abs=1e-6)


def test_fermi_epoch_grb110721a():
    # GCN Circular 12187: GBM triggered at 04:47:43.75 UT on 2011-07-21 (trigger 332916465)
    assert met_to_iso(GBM_TRIGTIME, FERMI_MJDREF_TT, zulu=True) == "2011-07-21T04:47:43.760Z"
    assert met_to_iso(GBM_TRIGTIME, FERMI_MJDREF_TT, 6) == "2011-07-21T04:47:43.760476"


def test_leap_second_counted():
    dt = iso_to_met("2009-01-01T00:00:00", FERMI_MJDREF_TT) - iso_to_met(
        "2008-12-31T23:59:59Z", FERMI_MJDREF_TT
    )
    assert dt == pytest.approx(2.0, abs=1e-6)


def test_round_trips():
    met = np.array([0.0, 1.5e7, 2.0e8])
    np.testing.assert_allclose(iso_to_met(met_to_iso(met, precision=6)), met, atol=2e-6)
    np.testing.assert_allclose(time_to_met(met_to_time(met)), met, atol=1e-6)
    assert isinstance(time_to_met(met_to_time(5.0)), float)
    assert isinstance(met_to_iso(met), list)


def test_bad_iso():
    with pytest.raises(InputError, match="ISO-8601"):
        iso_to_met("yesterday")
