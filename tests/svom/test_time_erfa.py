"""MET -> UTC ISO through ERFA alone (no astropy.time): equal to astropy's ``Time.isot``."""

import numpy as np
import pytest
from astropy.time import Time

from fcspace.svom.time import FERMI_MJDREF_TT, SVOM_MJDREF_TT, met_to_iso, met_to_time, time_to_met


def _astropy_iso(met, mjdref, precision):
    t = met_to_time(met, mjdref).utc
    t.precision = precision
    return list(np.atleast_1d(t.isot))


@pytest.mark.parametrize("precision", [0, 3, 6])
@pytest.mark.parametrize(("mjdref", "lo", "hi"), [(FERMI_MJDREF_TT, 0.0, 8e8),
                                                  (SVOM_MJDREF_TT, -3e8, 3e8)])
def test_met_to_iso_equals_astropy_on_many_times(mjdref, lo, hi, precision):
    rng = np.random.default_rng(13)
    met = np.concatenate([rng.uniform(lo, hi, 3000), rng.integers(lo, hi, 300).astype(float),
                          [0.0, 0.0005, -0.0005, 0.9995, 86399.9996]])
    assert met_to_iso(met, mjdref, precision) == _astropy_iso(met, mjdref, precision)


@pytest.mark.parametrize("iso", ["2016-12-31T23:59:59.500", "2016-12-31T23:59:60.250",
                                 "2017-01-01T00:00:00.100", "2012-06-30T23:59:60.999",
                                 "2015-06-30T23:59:60.000"])
def test_leap_seconds_are_counted(iso):
    for mjdref in (FERMI_MJDREF_TT, SVOM_MJDREF_TT):
        met = time_to_met(Time(iso, scale="utc"), mjdref)
        assert met_to_iso(met, mjdref) == iso
        assert met_to_iso(np.array([met, met + 1.0]), mjdref)[0] == iso


def test_scalar_gives_str_array_gives_list_and_zulu():
    assert met_to_iso(332916465.775354, FERMI_MJDREF_TT, zulu=True) == "2011-07-21T04:47:43.775Z"
    out = met_to_iso(np.array([0.0, 1.5]), precision=1)
    assert out == ["2017-01-01T00:00:00.0", "2017-01-01T00:00:01.5"]
    assert met_to_iso(0.0, precision=0) == "2017-01-01T00:00:00"
