"""SWIM wave parameters: compiled one-pass kernel vs the NumPy formulas, symmetry, wavespectra."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import spectra, truth
from fcspace.core.errors import InputError

K, PHI = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG


def _product(pp: np.ndarray) -> xr.Dataset:
    return xr.Dataset(
        {"pp_mean": (("n_box", "nk", "n_phi"), pp), "k_spectra": ("nk", K),
         "phi_vector": ("n_phi", PHI)}
    )  # fmt: skip


def _reference(pp: np.ndarray) -> tuple[np.ndarray, ...]:
    """Hs, peak wavelength and direction written out with NumPy, one spectrum at a time."""
    hs, wl, dr = (np.full(len(pp), np.nan) for _ in range(3))
    dk = np.gradient(K)
    for s, sp in enumerate(pp):
        if not np.all(np.isfinite(sp)):
            continue
        hs[s] = 4.0 * np.sqrt(np.sum(sp / K[:, None] * dk[:, None]) * 2 * np.pi / PHI.size)
        i, j = np.unravel_index(np.argmax(sp), sp.shape)
        rows = np.arange(max(i - 2, 0), min(i + 2, K.size - 1) + 1)
        cols = (j + np.arange(-2, 3)) % PHI.size
        w = sp[np.ix_(rows, cols)]
        if w.sum() > 0:
            wl[s] = 2 * np.pi / (np.sum(w * K[rows, None]) / w.sum())
            a = np.deg2rad(2 * PHI[cols])
            dr[s] = np.rad2deg(np.arctan2(np.sum(w * np.sin(a)), np.sum(w * np.cos(a)))) / 2 % 180
    return hs, wl, dr


def _random_stack(n: int, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pp = rng.gamma(0.7, 1.0, (n, K.size, PHI.size)) * rng.uniform(0.1, 10.0, (n, 1, 1))
    pp[: n // 2] = 0.5 * (pp[: n // 2] + np.roll(pp[: n // 2], 12, axis=-1))
    pp[3, 4, 5] = np.nan  # incomplete
    pp[6] = 0.0  # no energy
    return pp


def test_kernel_matches_numpy_formulas():
    pp = _random_stack(400)
    wp = spectra.wave_params(_product(pp))
    hs, wl, dr = _reference(pp)
    np.testing.assert_allclose(wp.hs, hs, rtol=1e-12)
    np.testing.assert_allclose(wp.peak_wavelength, wl, rtol=1e-12)
    np.testing.assert_allclose(wp.peak_direction, dr, rtol=0, atol=1e-9)
    assert wp.spectrum_complete.values.tolist() == [i != 3 for i in range(400)]
    assert wp.direction_ambiguous.values[:200].all() and not wp.direction_ambiguous[200:].any()
    assert np.isnan(wp.peak_wavelength[6]) and wp.hs[6] == 0.0


def test_peak_kernel_keeps_leading_dims_and_nan_as_zero():
    pp = _random_stack(12).reshape(3, 4, K.size, PHI.size)
    wl, dr = spectra.peak_kernel(pp, K, PHI)
    assert wl.shape == dr.shape == (3, 4)
    ref = _reference(np.nan_to_num(pp.reshape(12, K.size, PHI.size)))
    np.testing.assert_allclose(wl.ravel(), ref[1], rtol=1e-12)


def test_symmetric_argument_skips_the_test():
    pp = _random_stack(20)
    tested = spectra.wave_params(_product(pp)).direction_ambiguous.values
    assert tested.any() and not tested.all()
    for stated in (True, False):
        wp = spectra.wave_params(_product(pp), symmetric=stated)
        assert (wp.direction_ambiguous.values == stated).all()
        np.testing.assert_array_equal(wp.hs, spectra.wave_params(_product(pp)).hs)


def test_negative_density_refused_whatever_symmetric():
    pp = _random_stack(8)
    pp[2, 1, 1] = -1e-3
    for stated in (None, True):
        with pytest.raises(InputError):
            spectra.wave_params(_product(pp), symmetric=stated)


def test_hs_identical_to_wavespectra_and_dpm_meaningless():
    pytest.importorskip("wavespectra")
    pp = np.stack(
        [truth.wave_system_kphi(h, w, d, gamma=3.3, s=20.0) * K[:, None]
         for h, w, d in [(1.0, 120.0, 30.0), (2.5, 300.0, 250.0)]]
    )  # fmt: skip
    pp = 0.5 * (pp + np.roll(pp, 12, axis=-1))  # SWIM: 180 deg ambiguous
    ds = _product(pp)
    efth = spectra.to_wavespectra(ds)
    wp = spectra.wave_params(ds, symmetric=True)
    np.testing.assert_allclose(efth.spec.hs(tail=False), wp.hs, rtol=1e-10)
    # the vector sum behind dpm vanishes at the peak frequency: dpm is the angle of round-off
    at_peak = efth.isel(freq=efth.spec.oned().argmax("freq"))
    th = np.deg2rad(at_peak["dir"])
    length = np.hypot((at_peak * np.cos(th)).sum("dir"), (at_peak * np.sin(th)).sum("dir"))
    assert float((length / at_peak.sum("dir")).max()) < 1e-12
    # our axial direction is the system's own, modulo 180
    err = np.abs((wp.peak_direction.values - [30.0, 250.0 % 180] + 90) % 180 - 90)
    assert np.all(err < 3.0)
