import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.mask import make_mask
from fcspace.svom.eclairs.simulate import expected_source_counts, simulate_grb
from fcspace.svom.eclairs.sources import (
    CXB_RATE,
    Background,
    Grb,
    Pulse,
    band_spectrum,
    cxb_intensity,
    light_curve,
    make_pixel_status,
)

NO_BG = Background(cxb_scale=0.0, instrumental_rate=0.0, dead_fraction=0.0, noisy_fraction=0.0)
GOOD = np.zeros((80, 80), np.int8)


def test_band_function_continuous_and_peak():
    a, b, ep = -1.0, -2.3, 100.0
    e0 = ep / (2 + a)
    eb = (a - b) * e0
    lo, hi = band_spectrum([eb * (1 - 1e-9), eb * (1 + 1e-9)], a, b, ep)
    assert lo == pytest.approx(hi, rel=1e-6)
    e = np.geomspace(10, 1000, 20001)
    assert e[np.argmax(e * e * band_spectrum(e, a, b, ep))] == pytest.approx(ep, rel=0.01)
    with pytest.raises(InputError):
        band_spectrum(e, -1.0, -0.5, 100.0)


def test_cxb_moretti_values():
    # dN/dE = C / ((E/Eb)^1.4 + (E/Eb)^2.88): at Eb it is C/2
    assert cxb_intensity(29.0) == pytest.approx(0.109 / 2)


def test_norris_pulse_shape():
    p = Pulse(t_peak=1.0, rise=0.2, decay=1.0, peakedness=2.0)
    assert light_curve(1.0, (p,)) == pytest.approx(1.0)
    assert light_curve(0.8, (p,)) == pytest.approx(np.exp(-1.0))
    assert light_curve(2.0, (p,)) == pytest.approx(np.exp(-1.0))


@pytest.mark.parametrize(("theta", "phi"), [(0.0, 0.0), (25.0, 30.0)])
def test_source_counts_match_quadrature(theta, phi):
    grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=3.0, t0=2.0)
    ds = simulate_grb(grb, 20.0, 11, background=NO_BG, pixel_status=GOOD)
    mu = expected_source_counts(grb, 20.0)
    n = ds.sizes["event"]
    assert n == ds.attrs["truth_n_source"] and ds.truth_is_source.all()
    assert abs(n - mu) < 4 * np.sqrt(mu)
    assert mu > 1000


def test_counts_vs_simple_estimate_on_axis():
    # flux x area x efficiency x open fraction (detector-averaged open fraction ~0.4)
    grb = Grb(peak_flux=3.0, alpha=-1.0, beta=-3.5, epeak_kev=40.0, t0=2.0)
    ds = simulate_grb(grb, 20.0, 2, background=NO_BG, pixel_status=GOOD)
    e = np.geomspace(15.0, 150.0, 4000)
    s = band_spectrum(e, grb.alpha, grb.beta, grb.epeak_kev)
    eff = np.trapezoid(s * ECLAIRS.detector_efficiency(e), e) / np.trapezoid(s, e)
    t = np.linspace(0, 20, 200001)
    fluence = 3.0 * np.trapezoid(light_curve(t - 2.0, grb.pulses), t)
    n15 = np.sum(ds.energy.values >= 15.0)
    rough = fluence * ECLAIRS.detector_area_cm2 * eff * 0.4
    assert n15 == pytest.approx(rough, rel=0.08)


def test_outside_fov_gives_no_source():
    ds = simulate_grb(Grb(theta_deg=60.0, peak_flux=50.0), 5.0, 1, background=NO_BG)
    assert ds.sizes["event"] == 0


def _pixel_open_fraction(mask, k=6):
    off = ((np.arange(k) + 0.5) / k - 0.5) * ECLAIRS.pixel_size_m
    pos = (ECLAIRS.pixel_centres_m()[:, None] + off).reshape(-1)
    idx = np.floor(pos / ECLAIRS.mask_element_m + 23).astype(int)
    grid = mask[idx[:, None], idx[None, :]].astype(float)
    return grid.reshape(80, k, 80, k).mean(axis=(1, 3))


def test_shadowgram_correlates_with_mask():
    grb = Grb(peak_flux=40.0, t0=1.0)
    ds = simulate_grb(grb, 10.0, 3, background=NO_BG, pixel_status=GOOD)
    img = np.zeros((80, 80))
    np.add.at(img, (ds.y.values, ds.z.values), 1)
    model = _pixel_open_fraction(make_mask())
    r = np.corrcoef(img.ravel(), model.ravel())[0, 1]
    assert r > 0.9
    # a different mask does not match
    other = _pixel_open_fraction(make_mask(7))
    assert np.corrcoef(img.ravel(), other.ravel())[0, 1] < 0.2


def test_background_rate_and_pattern():
    bg = Background(dead_fraction=0.0, noisy_fraction=0.0)
    ds = simulate_grb(Grb(peak_flux=0.0), 20.0, 5, background=bg)
    comp = ds.truth_component.values
    rate_cxb = np.sum(comp == 1) / 20.0
    rate_ins = np.sum(comp == 2) / 20.0
    assert rate_cxb == pytest.approx(CXB_RATE, rel=0.03)
    assert rate_ins == pytest.approx(bg.instrumental_rate, rel=0.05)
    assert ds.attrs["truth_background_rate"] == pytest.approx(CXB_RATE + bg.instrumental_rate)
    assert 4000 < ds.sizes["event"] / 20.0 < 6000
    img = np.zeros((80, 80))
    sel = comp == 1
    np.add.at(img, (ds.y.values[sel], ds.z.values[sel]), 1)
    centre = img[30:50, 30:50].mean()
    corner = np.mean([img[:10, :10].mean(), img[-10:, -10:].mean()])
    assert centre > 1.15 * corner


def test_dead_and_noisy_pixels():
    status = make_pixel_status(4, dead_fraction=0.01, noisy_fraction=0.005)
    assert np.sum(status == 1) == 64 and np.sum(status == 2) == 32
    np.testing.assert_array_equal(status, make_pixel_status(4, 0.01, 0.005))
    bg = Background(noisy_rate=50.0)
    ds = simulate_grb(Grb(peak_flux=5.0), 10.0, 6, background=bg, pixel_status=status)
    y, z = ds.y.values, ds.z.values
    assert not np.any(status[y, z] == 1)
    noisy = ds.truth_component.values == 3
    assert np.all(status[y[noisy], z[noisy]] == 2)
    assert noisy.sum() == pytest.approx(32 * 50.0 * 10.0, rel=0.05)
    np.testing.assert_array_equal(ds.pixel_status.values, status)


def test_layout_and_reproducibility():
    grb = Grb(theta_deg=10.0, phi_deg=200.0, peak_flux=5.0, t0=3.0)
    a = simulate_grb(grb, 10.0, 42, met_start=1.0e8)
    b = simulate_grb(grb, 10.0, np.random.default_rng(42), met_start=1.0e8)
    c = simulate_grb(grb, 10.0, 43, met_start=1.0e8)
    assert a.identical(b) or all(np.array_equal(a[v], b[v]) for v in a.data_vars)
    assert a.sizes["event"] != c.sizes["event"] or not np.array_equal(a.time, c.time)
    assert a.time.dtype == np.float64 and np.all(np.diff(a.time.values) >= 0)
    t = a.time.values - a.attrs["met_start"]  # times are absolute MET
    assert t.min() >= 0 and t.max() < 10.0
    np.testing.assert_array_equal(a.gti_start.values, [1.0e8])
    np.testing.assert_array_equal(a.gti_stop.values, [1.0e8 + 10.0])
    # quantised to 20 us, up to the float64 resolution of a MET of 1e8 s (1.5e-8 s)
    np.testing.assert_allclose(t / 20e-6, np.round(t / 20e-6), atol=1e-3)
    assert a.y.dtype == np.int16 and a.energy.dtype == np.float32
    assert a.energy.min() >= 4.0 and a.energy.max() < 150.0
    assert a.attrs["truth_theta_deg"] == 10.0 and a.attrs["met_start"] == 1.0e8
    src = t[a.truth_is_source.values]
    hist, edges = np.histogram(src, bins=20, range=(0, 10))
    assert edges[np.argmax(hist)] == pytest.approx(3.0 + 2.0, abs=1.0)


def test_bad_inputs():
    with pytest.raises(InputError):
        simulate_grb(Grb(), -1.0, 0)
    with pytest.raises(InputError):
        simulate_grb(Grb(), 1.0, 0, pixel_status=np.zeros((4, 4), np.int8))
    with pytest.raises(InputError):
        simulate_grb(Grb(pulses=()), 1.0, 0)
