import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.earth_background import (
    albedo_intensity,
    background_rates,
    quadrant_totals,
    sky_coefficients,
    sky_response,
)
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Background, Grb, cxb_intensity
from fcspace.svom.eclairs.trigger_config import TriggerConfig

EDGES = TriggerConfig().energy_edges()
SKY_ONLY = Background(instrumental_rate=0.0, noisy_rate=0.0)
GOOD = np.zeros((80, 80), np.int8)


@pytest.fixture(scope="module")
def resp():
    return sky_response(EDGES, n_grid=24)


def _sky(resp, nadir, radius=67.7):
    return background_rates(resp, sky_coefficients(resp, nadir, radius), GOOD, EDGES, SKY_ONLY)


def test_open_sky_matches_photon_simulation(resp):
    """The cell-integrated CXB equals the ray-traced photon CXB of the simulator."""
    ds = simulate_grb(Grb(peak_flux=0.0), 30.0, 4, background=SKY_ONLY, pixel_status=GOOD)
    sim = np.histogram(ds["energy"].values, EDGES)[0] / 30.0
    model = _sky(resp, None).sum(axis=(1, 2))
    assert model.sum() == pytest.approx(sim.sum(), rel=0.02)
    np.testing.assert_allclose(model, sim, rtol=0.06)  # true vs measured energy at the edges
    # the aperture flux is brightest at the centre of the detector, symmetric in quadrants
    q = quadrant_totals(_sky(resp, None))
    np.testing.assert_allclose(q.sum(axis=1), q.sum() / 4, rtol=0.01)


def test_earth_on_one_side_darkens_the_opposite_half(resp):
    # Earth centred 60 deg off axis towards +Y: pixels at y < 40 look towards +Y
    nadir = [np.sin(np.radians(60.0)), 0.0, np.cos(np.radians(60.0))]
    open_sky, earth = _sky(resp, None), _sky(resp, nadir)
    q0, q1 = quadrant_totals(open_sky).sum(axis=1), quadrant_totals(earth).sum(axis=1)
    assert q1[0] + q1[1] < 0.75 * (q1[2] + q1[3])  # y- quadrants lose more
    assert (q1 < q0).all()
    assert earth[:2].sum() < 0.7 * open_sky[:2].sum()  # 4-8 keV: the CXB is hidden


def test_full_occultation_leaves_the_albedo(resp):
    earth = _sky(resp, [0.0, 0.0, 1.0], radius=89.0).sum(axis=(1, 2))
    open_sky = _sky(resp, None).sum(axis=(1, 2))
    ratio = earth / open_sky
    expect = []
    for lo, hi in zip(EDGES[:-1], EDGES[1:], strict=True):
        e = np.geomspace(lo, hi, 200)
        expect.append(np.trapezoid(albedo_intensity(e), e) / np.trapezoid(cxb_intensity(e), e))
    assert ratio[0] < 0.01 and ratio[-1] > 0.3  # albedo negligible at 4 keV, CXB-like at 100
    np.testing.assert_allclose(ratio, expect, rtol=0.3)  # same response: ratio of the spectra


def test_instrumental_and_dead_pixels(resp):
    status = GOOD.copy()
    status[3, 5], status[70, 70] = 1, 2
    r = background_rates(resp, sky_coefficients(resp, None, 67.7), status, EDGES, Background())
    assert r[:, 3, 5].sum() == 0.0
    flat = Background(cxb_scale=0.0)
    inst = r - _sky(resp, None) * (status != 1)
    assert inst[:, 10, 10].sum() * 6400 == pytest.approx(1900 * 116 / 146, rel=1e-6)
    assert inst[:2, 70, 70].sum() - inst[:2, 10, 10].sum() == pytest.approx(flat.noisy_rate)


def test_bad_edges_raise():
    with pytest.raises(InputError, match="edges"):
        sky_response([4.0, 4.0, 8.0])
