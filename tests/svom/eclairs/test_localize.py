import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.imaging import (
    SkyImage,
    fit_background,
    shadowgram,
    sky_image,
)
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.localize import (
    Localisation,
    angular_distance_deg,
    crossmatch,
    err_radius_90,
    err_radius_detector,
    iros,
    localize,
    psf_profile,
    r90_notice,
)
from fcspace.svom.eclairs.mask import make_mask, point_source_shadow
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb, Pulse

MASK = make_mask()
PULSE = (Pulse(t_peak=0.5, rise=0.2, decay=0.4),)


def _image_burst(theta, phi, flux, seed, exposure=1.0):
    grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=flux, t0=0.0, pulses=PULSE)
    ds = simulate_grb(grb, exposure, seed, mask=MASK)
    status = ds["pixel_status"].values
    d = shadowgram(ds)
    bkg = fit_background(d, (status == 0).astype(float))
    return sky_image(d, bkg, MASK, pixel_status=status)


@pytest.mark.parametrize("theta,phi", [(0.0, 0.0), (8.0, 300.0), (30.0, 130.0)])
def test_bright_burst_localised_within_fraction_of_pixel(theta, phi):
    sky = _image_burst(theta, phi, 30.0, seed=4)
    loc = localize(sky)
    assert loc.snr > 30
    r0, c0 = sky.pixel(theta, phi)
    assert np.hypot(loc.row - r0, loc.col - c0) < 0.2  # sky pixels (0.56 deg on axis)
    off = angular_distance_deg(theta, phi, loc.theta_deg, loc.phi_deg)
    assert off < 0.1
    assert off < loc.err_radius_deg * 1.5


def test_psf_profile_shape():
    x = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
    t = psf_profile(x)
    assert t[2] == pytest.approx(1.0) and t[0] == 0.0 and t[-1] == 0.0
    assert t[1] == pytest.approx(t[3]) and 0.5 < t[1] < 0.8


def test_iros_finds_two_sources_of_different_strength():
    rng = np.random.default_rng(8)
    model = 4.0 + 25.0 * point_source_shadow(5.0, 60.0, MASK)
    model += 8.0 * point_source_shadow(22.0, 200.0, MASK)
    d = rng.poisson(model).astype(float)
    found = iros(d, mask=MASK, max_sources=4, snr_threshold=6.5)
    assert len(found) == 2
    assert found[0].snr > found[1].snr > 6.5
    for loc, (th, ph) in zip(found, [(5.0, 60.0), (22.0, 200.0)], strict=True):
        assert angular_distance_deg(th, ph, loc.theta_deg, loc.phi_deg) < 0.3


def test_calibration_quick_containment():
    # 50 photon-simulated bursts over the FoV with SNR 6.5-50: the calibrated r90 contains
    # the truth in ~90 % (binomial sd 4 %); the full >= 500-burst run is the benchmark script
    rng = np.random.default_rng(99)
    t_max = np.tan(np.radians(30.0))
    inside, n = 0, 0
    while n < 50:
        ty, tz = rng.uniform(-t_max, t_max, 2)
        th, ph = np.degrees(np.arctan(np.hypot(ty, tz))), np.degrees(np.arctan2(tz, ty)) % 360
        sky = _image_burst(th, ph, float(np.exp(rng.uniform(np.log(1.0), np.log(20.0)))), rng)
        loc = localize(sky)
        if not 6.5 <= loc.snr <= 50.0:
            continue
        n += 1
        inside += angular_distance_deg(th, ph, loc.theta_deg, loc.phi_deg) <= loc.err_radius_deg
    assert 0.78 <= inside / n <= 0.99


def test_error_radius_laws():
    assert r90_notice(8.0) * 60 == pytest.approx(np.hypot(77 / 8, 2), rel=1e-9)
    r = err_radius_90(np.array([6.5, 8.0, 20.0, 50.0]))
    assert np.all(np.diff(r) < 0)
    assert err_radius_90(8.0) * 60 < 16.0  # arcmin, on axis
    assert err_radius_90(8.0, 40.0) < err_radius_90(8.0, 0.0)  # finer plate scale off axis


def test_crossmatch():
    loc = Localisation(10.0, 45.0, 12.0, 0.5, 110.0, 110.0)
    cat = [("far", 30.0, 45.0), ("near", 10.2, 45.0), ("nearer", 10.0, 45.5)]
    hits = crossmatch(loc, cat)
    assert [h[0] for h in hits] == ["nearer", "near"]
    assert hits[1][1] == pytest.approx(0.2, abs=1e-9)
    assert crossmatch(loc, cat, radius_deg=25.0)[-1][0] == "far"
    assert crossmatch(loc, []) == []


def test_localize_rejects_empty_image():
    nan = np.full((201, 201), np.nan)
    sky = SkyImage(nan, nan, nan, np.zeros((201, 201)))
    with pytest.raises(InputError):
        localize(sky)


def test_direction_round_trip_with_instrument_shift():
    sky = sky_image(np.ones((80, 80)), mask=MASK)
    sy, sz = ECLAIRS.shadow_shift(17.0, 222.0)
    r, c = sky.pixel(17.0, 222.0)
    assert (r - sky.centre) * ECLAIRS.pixel_pitch_m == pytest.approx(float(sy))
    assert (c - sky.centre) * ECLAIRS.pixel_pitch_m == pytest.approx(float(sz))


def _burst_shadow(theta, phi, flux, seed):
    grb = Grb(theta_deg=theta, phi_deg=phi, peak_flux=flux, t0=0.0, pulses=PULSE)
    ds = simulate_grb(grb, 1.0, seed, mask=MASK)
    status = ds["pixel_status"].values
    d = shadowgram(ds)
    sky = sky_image(d, fit_background(d, (status == 0).astype(float)), MASK, pixel_status=status)
    return sky, d, status


@pytest.mark.parametrize("theta,phi", [(3.0, 20.0), (25.0, 250.0)])
def test_detector_plane_refinement(theta, phi):
    sky, d, status = _burst_shadow(theta, phi, 8.0, seed=12)
    loc = localize(sky, shadow=d, pixel_status=status, mask=MASK)
    assert loc.method == "detector" and loc.sigma_crb_deg > 0
    off = angular_distance_deg(theta, phi, loc.theta_deg, loc.phi_deg)
    assert off < 4.0 * loc.sigma_crb_deg  # a 4-sigma circle holds 99.97 % of a 2-D Gaussian
    assert loc.err_radius_deg >= ECLAIRS.detector_r90_factor * 0.8 * loc.sigma_crb_deg
    r, c = sky.pixel(loc.theta_deg, loc.phi_deg)
    assert (loc.row, loc.col) == pytest.approx((float(r), float(c)))


def test_covariance_weighted_sky_fit():
    sky, _, _ = _burst_shadow(6.0, 45.0, 20.0, seed=5)
    plain, cov = localize(sky), localize(sky, weighting="covariance")
    assert cov.method == "sky_cov" and plain.method == "sky" and cov.snr == plain.snr
    assert angular_distance_deg(6.0, 45.0, cov.theta_deg, cov.phi_deg) < 0.1
    with pytest.raises(InputError, match="weighting"):
        localize(sky, weighting="diagonal")


def test_err_radius_detector_law():
    s = np.array([0.01, 0.05, 0.1])
    r = err_radius_detector(s)
    assert np.all(np.diff(r) > 0)
    assert r[-1] == pytest.approx(np.hypot(ECLAIRS.detector_r90_factor * 0.1,
                                           ECLAIRS.detector_r90_sys_arcmin / 60.0))  # fmt: skip
