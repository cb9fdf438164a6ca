import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.engine import TriggerEngine
from fcspace.svom.eclairs.rates import (
    _significance,
    bin_light_curves,
    bin_quadrant_light_curves,
    rate_candidates,
)
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb, Pulse
from fcspace.svom.eclairs.trigger import run_triggers
from fcspace.svom.eclairs.trigger_config import TriggerConfig
from fcspace.svom.eclairs.zones import ALL_ZONES, check_zones, zone_light_curves, zone_masks
from fcspace.svom.events import relative_times

CFG = TriggerConfig()


def test_zone_masks_partition_the_plane():
    m = zone_masks(ALL_ZONES)
    assert m.shape == (9, 80, 80) and m[0].all()
    assert (m[1] ^ m[2]).all() and (m[3] ^ m[4]).all()  # halves: disjoint, cover
    assert (m[5:].sum(axis=0) == 1).all() and (m[5:].sum(axis=(1, 2)) == 1600).all()
    assert m[1][:40].all() and not m[1][40:].any()  # "y-" is y < 40
    assert m[3][:, :40].all() and not m[3][:, 40:].any()  # "z-" is z < 40


def test_bad_zone_names_raise():
    with pytest.raises(InputError, match="crt_zones"):
        check_zones(("whole", "left"))
    with pytest.raises(InputError):
        TriggerConfig(crt_zones=("q7",)).check()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 3000))
def test_quadrant_binning_matches_histograms(seed, n):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 1.0, n))
    e = rng.uniform(3.0, 150.0, n)
    y, z = rng.integers(0, 80, (2, n))
    q = bin_quadrant_light_curves(t, e, y, z, 100, CFG)
    np.testing.assert_array_equal(q.sum(axis=1), bin_light_curves(t, e, 100, CFG))
    lc = zone_light_curves(q, ALL_ZONES, CFG.band_slices())
    masks = zone_masks(ALL_ZONES)
    nb = len(CFG.crt_bands_kev)
    for iz in range(len(ALL_ZONES)):
        for ib, (lo, hi) in enumerate(CFG.crt_bands_kev):
            sel = masks[iz][y, z] & (e >= lo) & (e < hi)
            ref = np.bincount((t[sel] / CFG.base_bin_s).astype(int), minlength=100)
            np.testing.assert_array_equal(lc[iz * nb + ib], ref)


def test_significance_gaussian_limit_and_poisson_tail():
    # many counts: the signed likelihood ratio equals (N - B) / sqrt(B + var_B)
    assert _significance(10500.0, 10000.0, 0.0) == pytest.approx(5.0, rel=0.01)
    assert _significance(10500.0, 10000.0, 2500.0) == pytest.approx(500 / np.sqrt(12500), 0.01)
    assert _significance(9500.0, 10000.0, 0.0) == pytest.approx(-5.0, rel=0.01)
    # ~10 counts (a 10 ms window of a quadrant): tail probability close to the Gaussian one
    rng = np.random.default_rng(1)
    n = rng.poisson(10.0, 2_000_000).astype(float)
    s = np.array([_significance(k, 10.0, 0.0) for k in np.arange(60.0)])[n.astype(int)]
    z = (n - 10.0) / np.sqrt(10.0)
    gauss = 1.35e-3  # P(X >= 3) of a standard normal
    assert 0.3 * gauss < np.mean(s >= 3.0) < 2.0 * gauss
    assert np.mean(z >= 3.0) > 1.5 * np.mean(s >= 3.0)  # the Gaussian form has a heavier tail


def test_two_dimensional_counts_only_for_the_whole_plane():
    eng = TriggerEngine(lambda b0, b1, band: np.zeros((80, 80)), CFG)
    with pytest.raises(InputError, match="counts"):
        eng.process(np.zeros((10, CFG.energy_edges().size - 1), np.int32))
    whole = TriggerEngine(lambda b0, b1, band: np.zeros((80, 80)),
                          TriggerConfig(crt_zones=("whole",)))  # fmt: skip
    assert whole.process(np.ones((10, CFG.energy_edges().size - 1), np.int32)) == []


@pytest.fixture(scope="module")
def off_axis():
    # theta 38 deg along +Y: the mask shadow covers only the y < 40 side of the detector
    grb = Grb(theta_deg=38.0, phi_deg=0.0, peak_flux=3.0, t0=75.0,
              pulses=(Pulse(t_peak=1.0, rise=0.5, decay=3.0),))  # fmt: skip
    return simulate_grb(grb, 100.0, 21)


def test_off_axis_burst_excess_is_larger_in_its_lit_zone(off_axis):
    ds = off_axis
    n_bins = int(100.0 / CFG.base_bin_s)
    q = bin_quadrant_light_curves(relative_times(ds), ds["energy"].values, ds["y"].values,
                                  ds["z"].values, n_bins, CFG)  # fmt: skip
    lc = zone_light_curves(q, ALL_ZONES, CFG.band_slices())
    cand = rate_candidates(lc, 0, 0, CFG, threshold=3.0)
    nb = len(CFG.crt_bands_kev)
    best = {z: cand["snr"][cand["band"] // nb == i].max(initial=0) for i, z in enumerate(ALL_ZONES)}
    assert best["y-"] > 1.2 * best["whole"]  # lit half: same signal, half the background
    assert best["y+"] < 0.6 * best["y-"]  # the other half: background fluctuations only
    trig = [t for t in run_triggers(ds) if t.trigger_type == "CRT"]
    assert trig and trig[0].zone in ("y-", "q0", "q1")
    assert trig[0].to_dict()["zone"] == trig[0].zone
