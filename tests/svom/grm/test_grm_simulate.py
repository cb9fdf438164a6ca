import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.grm.instrument import GRM
from fcspace.svom.grm.simulate import GrbTruth, band_spectrum, fred_pulse, simulate_events


def test_band_spectrum_continuous_and_peaks_at_epeak():
    alpha, beta, ep = -1.0, -2.3, 250.0
    e_break = (alpha - beta) * ep / (2 + alpha)
    lo, hi = band_spectrum([e_break * (1 - 1e-9), e_break * (1 + 1e-9)], alpha, beta, ep)
    assert lo == pytest.approx(hi, rel=1e-6)
    e = np.geomspace(10, 5000, 20001)
    nufnu = e**2 * band_spectrum(e, alpha, beta, ep)
    assert e[np.argmax(nufnu)] == pytest.approx(ep, rel=0.01)
    assert band_spectrum(100.0, alpha, beta, ep) == pytest.approx(np.exp(-100 / ep))


def test_band_spectrum_rejects_bad_indices():
    with pytest.raises(InputError):
        band_spectrum(100.0, -1.0, -0.5, 200.0)


def test_fred_pulse_peak():
    tr, td = 0.5, 3.0
    assert fred_pulse(np.sqrt(tr * td), 0.0, tr, td) == pytest.approx(1.0)
    assert fred_pulse(-1.0, 0.0, tr, td) == 0.0
    grb = GrbTruth(pulses=((0.0, 0.2, 1.0, 1.0), (3.0, 0.2, 1.0, 0.5)))
    t = np.linspace(0, grb.duration_s, 50001)
    assert grb.light_curve(t).max() == pytest.approx(1.0, rel=1e-4)


def test_background_rate_and_reproducible():
    a = simulate_events(20.0, None, rng=3)
    b = simulate_events(20.0, None, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a["time"].values, b["time"].values)
    rates = np.bincount(a["detector"].values, minlength=3) / 20.0
    lo = GRM.background_rate_cps * (1 - GRM.background_modulation) * 0.9
    hi = GRM.background_rate_cps * (1 + GRM.background_modulation) * 1.1
    assert np.all((rates > lo) & (rates < hi))
    assert a.attrs["truth_grb"] == 0
    assert np.all(np.diff(a["time"].values) >= 0)
    assert a["energy"].min() >= 15.0 and a["energy"].max() < 5000.0


def test_burst_counts_follow_response_and_truth():
    grb = GrbTruth(t0_met=5.0, theta_deg=30.0, phi_deg=0.0, peak_flux=50.0)
    ds = simulate_events(30.0, grb, rng=4)
    src = ds["truth_is_grb"].values == 1
    n = np.bincount(ds["detector"].values[src], minlength=3)
    resp = GRM.detector_response(30.0, 0.0)
    np.testing.assert_allclose(n / n.sum(), resp / resp.sum(), atol=0.01)
    assert ds.attrs["truth_theta_deg"] == 30.0 and ds.attrs["truth_peak_flux"] == 50.0
    assert ds["time"].values[src].min() >= 5.0
    assert ds.attrs["truth_peak_time_met"] == pytest.approx(5.0 + np.sqrt(0.5 * 3.0), abs=1e-3)


def test_bad_duration():
    with pytest.raises(InputError):
        simulate_events(0.0)
