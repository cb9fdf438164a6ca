from __future__ import annotations

import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.dorn.detector import LINES
from fcspace.dorn.fit import fit_spectrum
from fcspace.dorn.spectrum import REFERENCE_LIVE_TIME_S, REFERENCE_SOURCES, simulate_spectrum

SOURCES = REFERENCE_SOURCES
LIVE = REFERENCE_LIVE_TIME_S


def test_single_fit_recovers_truth_and_calibration() -> None:
    ds = simulate_spectrum(SOURCES, LIVE, -30.0, np.random.default_rng(5))
    res = fit_spectrum(ds)
    assert res.attrs["converged"]
    pull = (res.activity - ds.truth_activity) / res.activity_sigma
    assert np.all(np.abs(pull) < 4)
    assert abs(float(res.gain - ds.truth_gain)) < 4 * float(res.gain_sigma)
    assert float(res.temperature_c_from_gain) == pytest.approx(-30.0, abs=3.0)
    assert np.all(res.detection_limit > res.decision_threshold)
    assert np.all(res.detection_limit < 0.5 * ds.truth_activity)  # Bi-212 sits under Po-218
    # deviance of a correct model ~ number of channels with counts (loose)
    assert res.attrs["deviance"] < 2000


def test_detection_limit_of_absent_line() -> None:
    src = dict(SOURCES, **{"Rn-220": 0.0})
    res = fit_spectrum(simulate_spectrum(src, LIVE, 10.0, 11))
    line = res.sel(line="Rn-220")
    assert abs(float(line.activity)) < 4 * float(line.activity_sigma)
    assert 0 < float(line.detection_limit) < 20.0


def test_coverage_100_spectra() -> None:
    # ~100-spectrum version of benchmarks/dorn_fit.py: 68 % intervals hold the truth
    rng = np.random.default_rng(2024)
    pulls = []
    for _ in range(100):
        ds = simulate_spectrum(SOURCES, LIVE, float(rng.uniform(-40, 60)), rng)
        res = fit_spectrum(ds)
        pulls.append(((res.activity - ds.truth_activity) / res.activity_sigma).values)
    pulls = np.array(pulls)
    cover = np.mean(np.abs(pulls) <= 1, axis=0)
    # binomial sd at n=100 is 0.047: accept 0.68 +- 3 sd per line, and the pooled mean tight
    assert np.all((cover > 0.53) & (cover < 0.83)), dict(zip(LINES, cover, strict=True))
    assert 0.64 < cover.mean() < 0.72
    assert np.all(np.abs(pulls.mean(axis=0)) < 0.35)


def test_bad_spectra() -> None:
    ds = simulate_spectrum(SOURCES, 3600.0, 0.0, 0)
    with pytest.raises(InputError):
        fit_spectrum(ds.isel(channel=slice(0, 100)))
    bad = ds.copy(deep=True)
    bad["counts"][5] = -1
    with pytest.raises(InputError):
        fit_spectrum(bad)
    with pytest.raises(InputError):
        fit_spectrum(ds.drop_vars("counts"))
    nolive = ds.copy()
    nolive.attrs = {}
    with pytest.raises(InputError):
        fit_spectrum(nolive)


def test_fit_offset_when_asked() -> None:
    ds = simulate_spectrum(SOURCES, LIVE, 40.0, 3)
    res = fit_spectrum(ds, fit_offset=True)
    assert res.attrs["converged"] and "offset" in res.parameter.values
    assert abs(float(res.offset) - float(ds.truth_offset)) < 4 * float(res.offset_sigma)
    assert abs(float(res.gain - ds.truth_gain)) < 4 * float(res.gain_sigma)
