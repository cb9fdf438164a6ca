import numpy as np
import pytest

from fcspace.cfosat.swim import truth

K, PHI = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG


@pytest.mark.parametrize("gamma,s", [(1.0, 4.0), (3.3, 10.0), (10.0, 40.0)])
def test_systems_integrate_to_their_hs(gamma, s):
    F = truth.wave_system_kphi(2.5, 200.0, 45.0, gamma=gamma, s=s)
    assert F.shape == (32, 24) and np.all(F >= 0)
    assert truth.significant_wave_height(F, K, PHI) == pytest.approx(2.5, rel=1e-12)
    pp = truth.slope_spectrum(F, K)
    hs_l2p = 4 * np.sqrt(np.sum(pp / K[:, None] * np.gradient(K)[:, None]) * np.deg2rad(15))
    assert hs_l2p == pytest.approx(2.5, rel=1e-12)


def test_frequency_spectrum_and_spreading_normalised():
    f = np.geomspace(0.01, 2.0, 20000)
    E = truth.jonswap_frequency(f, 3.0, 0.1)
    assert 4 * np.sqrt(np.trapezoid(E, f)) == pytest.approx(3.0, rel=2e-3)
    assert f[np.argmax(E)] == pytest.approx(0.1, rel=1e-2)
    phi = np.linspace(0, 2 * np.pi, 3601)
    assert np.trapezoid(truth.cos2s_spreading(phi, 1.0, 12.0), phi) == pytest.approx(1, rel=1e-6)


def test_peak_where_asked_and_dispersion():
    F = truth.wave_system_kphi(2.0, 2 * np.pi / K[12], 97.5, gamma=10.0, s=40.0)
    i, j = np.unravel_index(np.argmax(F), F.shape)
    assert i == 12 and PHI[j] == 97.5
    assert truth.frequency_from_k(2 * np.pi / 156.0) == pytest.approx(0.1, rel=1e-3)


def test_bimodal_energy_adds():
    a = {"hs": 2.0, "peak_wavelength": 300.0, "direction_deg": 10.0, "gamma": 7.0, "s": 30.0}
    b = {"hs": 1.5, "peak_wavelength": 100.0, "direction_deg": 100.0}
    F = truth.bimodal_kphi([a, b])
    assert truth.significant_wave_height(F, K, PHI) == pytest.approx(2.5, rel=1e-9)


def test_pierson_moskowitz_is_jonswap_with_unit_gamma_and_holds_its_energy():
    from fcspace.cfosat.swim.truth import jonswap_frequency, pierson_moskowitz_frequency

    f = np.linspace(0.02, 1.0, 4000)
    pm = pierson_moskowitz_frequency(f, 3.0, 0.1)
    np.testing.assert_allclose(pm, jonswap_frequency(f, 3.0, 0.1, gamma=1.0))
    hs = 4.0 * np.sqrt(np.trapezoid(pm, f))
    assert abs(hs - 3.0) / 3.0 < 0.02
    assert f[np.argmax(pm)] == pytest.approx(0.1, abs=0.002)
