import numpy as np
import pytest

from fcspace.cfosat.swim import modulation as mod
from fcspace.cfosat.swim import spectra, truth
from fcspace.core.errors import InputError

K, PHI = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG


def _dir_err(a, b):
    return np.abs((np.asarray(a) - np.asarray(b) + 90.0) % 180.0 - 90.0)


def test_forward_model_form():
    F = truth.wave_system_kphi(2.0, 250.0, 30.0, gamma=7.0, s=30.0)
    look, mss = mod.beam_look(10.0), 0.04
    pm = mod.modulation_spectrum(F, K, look, mss)
    th = np.deg2rad(10.0)
    dlns = 4 * np.tan(th) - 2 * np.tan(th) / (mss * np.cos(th) ** 2)
    c = np.sqrt(2 * np.pi) / 18e3 * (1 / np.tan(th) - dlns) ** 2
    sym = 0.5 * (F + np.roll(F, 12, axis=1))
    np.testing.assert_allclose(pm, c * K[:, None] * sym, rtol=1e-12)
    np.testing.assert_allclose(pm, np.roll(pm, 12, axis=1))  # 180 deg ambiguity


def test_looks_and_bad_beam():
    assert 1.0 < mod.looks_per_bin(10.0) < 3.0
    assert 6.5e3 < mod.orbital_ground_speed() < 7.5e3
    with pytest.raises(InputError):
        mod.beam_look(4.0)


def test_noise_free_closed_loop_exact():
    F = truth.wave_system_kphi(2.0, 250.0, 30.0, gamma=7.0, s=30.0)
    look, mss = mod.beam_look(8.0), 0.04
    pm = mod.modulation_spectrum(F, K, look, mss) + look.speckle_density
    pp = mod.normalise_to_nadir(mod.invert_periodograms(pm, look, mss), K, 2.0)
    np.testing.assert_allclose(pp, mod.fold(truth.slope_spectrum(F, K)), rtol=1e-10, atol=1e-14)


def test_noisy_closed_loop_single_swells():
    rng = np.random.default_rng(7)
    wl, dr = rng.uniform(100, 500, 40), rng.uniform(0, 360, 40)
    F = np.stack(
        [truth.wave_system_kphi(2.0, w, d, gamma=7.0, s=30.0) for w, d in zip(wl, dr, strict=True)]
    )
    out = mod.simulate_and_invert(F, K, np.full(40, 2.0), np.full(40, 0.04), rng)
    pw, pd = spectra.peak_kernel(out["combined"], K, PHI)
    assert np.all(np.abs(pw / wl - 1) <= 0.10)
    assert np.all(_dir_err(pd, dr) <= 15.0)
    np.testing.assert_allclose(spectra.hs_kernel(out["combined"], K), 2.0, rtol=1e-9)
    assert set(out) == {8.0, 10.0, "combined"}


def test_simulation_seeded():
    F = truth.wave_system_kphi(2.0, 250.0, 30.0)[None]
    a = mod.simulate_periodograms(F, K, mod.beam_look(6.0), 0.04, 3)
    b = mod.simulate_periodograms(F, K, mod.beam_look(6.0), 0.04, 3)
    np.testing.assert_array_equal(a, b)
    assert np.all(a > 0)
