import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import modulation as mod
from fcspace.cfosat.swim import spectra, truth
from fcspace.core.errors import InputError
from fcspace.testing.data import shared_file

K, PHI = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG
SHARED = shared_file()
L2P = SHARED / "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc"


def _product(pp: np.ndarray) -> xr.Dataset:
    """Synthetic product (n_box, nk, n_phi) -> dims in a non-L2P order on purpose."""
    return xr.Dataset(
        {
            "pp_mean": (("n_box", "nk", "n_phi"), pp),
            "k_spectra": ("nk", K),
            "phi_vector": ("n_phi", PHI),
        }
    )


def _dir_err(a, b):
    return np.abs((np.asarray(a) - np.asarray(b) + 90.0) % 180.0 - 90.0)


@pytest.fixture(scope="module")
def l2p() -> xr.Dataset:
    if not L2P.exists():
        pytest.skip(f"real data not available: {L2P}")
    with xr.open_dataset(L2P, decode_times=False) as ds:
        ds = ds[["pp_mean", "k_spectra", "phi_vector", "wave_param"]].load()
    return ds.where(ds < 1e30)


def test_wave_params_synthetic():
    F = np.stack(
        [
            truth.wave_system_kphi(h, w, d, gamma=10.0, s=40.0)
            for h, w, d in [(1.0, 150.0, 20.0), (3.0, 300.0, 200.0)]
        ]
    )
    wp = spectra.wave_params(_product(F * K[None, :, None]))
    np.testing.assert_allclose(wp.hs, [1.0, 3.0], rtol=1e-9)
    np.testing.assert_allclose(wp.peak_wavelength, [150.0, 300.0], rtol=0.08)
    assert np.all(_dir_err(wp.peak_direction, [20.0, 20.0]) < 3.0)
    assert wp.hs.dims == ("n_box",) and not wp.direction_ambiguous.any()


def test_wave_params_real_file_swh_matches_every_cell(l2p):
    wp = spectra.wave_params(l2p)
    ref = l2p.wave_param.isel(nparam=0)
    valid = np.isfinite(ref) & wp.spectrum_complete
    assert int(valid.sum()) == 44
    rel = np.abs(wp.hs / ref - 1).where(valid)
    assert float(rel.max()) < 1e-6
    # peak: same frame as phi_vector, centroid near the 2-D maximum (differences documented)
    wl_rel = np.abs(wp.peak_wavelength / l2p.wave_param.isel(nparam=1) - 1).where(valid)
    derr = xr.DataArray(_dir_err(wp.peak_direction, l2p.wave_param.isel(nparam=2))).where(valid)
    assert float(wl_rel.median()) < 0.1 and float(derr.median()) < 5.0
    assert bool(wp.direction_ambiguous.where(valid, True).all())


def test_to_wavespectra_conserves_energy_and_matches():
    F = np.stack(
        [
            truth.wave_system_kphi(2.0, 250.0, 60.0, gamma=7.0, s=30.0),
            truth.bimodal_kphi(
                [
                    {
                        "hs": 2.0,
                        "peak_wavelength": 300.0,
                        "direction_deg": 30.0,
                        "gamma": 7.0,
                        "s": 30.0,
                    },
                    {"hs": 1.0, "peak_wavelength": 90.0, "direction_deg": 150.0},
                ]
            ),
        ]
    )
    ds = _product(F * K[None, :, None])
    efth = spectra.to_wavespectra(ds)
    assert efth.dims == ("n_box", "freq", "dir")
    e_ws = (efth * efth.spec.df * efth.spec.dd).sum(["freq", "dir"])
    e_kp = (F * np.gradient(K)[None, :, None]).sum((1, 2)) * np.deg2rad(15)
    np.testing.assert_allclose(e_ws, e_kp, rtol=1e-10)
    ours = spectra.wave_params(ds)
    np.testing.assert_allclose(efth.spec.hs(tail=False), ours.hs, rtol=0.01)
    np.testing.assert_allclose(efth.spec.hs(), ours.hs, rtol=0.01)
    # peak period <-> peak wavelength by deep-water dispersion (one frequency bin = 5 %)
    lam_tp = truth.G * efth.spec.tp(smooth=False) ** 2 / (2 * np.pi)
    np.testing.assert_allclose(
        lam_tp,
        [
            2 * np.pi / K[np.argmin(abs(K - 2 * np.pi / 250))],
            2 * np.pi / K[np.argmin(abs(K - 2 * np.pi / 300))],
        ],
        rtol=0.11,
    )
    # wavespectra dpm is "coming from"; ours is "towards", modulo 180
    assert _dir_err(efth.spec.dpm()[0], 60.0 + 180.0) < 10.0


def test_to_wavespectra_partitioning_runs():
    F = truth.bimodal_kphi(
        [
            {"hs": 2.0, "peak_wavelength": 300.0, "direction_deg": 30.0, "gamma": 7.0, "s": 30.0},
            {"hs": 1.5, "peak_wavelength": 90.0, "direction_deg": 120.0},
        ]
    )
    efth = spectra.to_wavespectra(_product(F[None] * K[None, :, None]))
    parts = efth.spec.partition.ptm3(parts=3)
    hs_parts = parts.spec.hs(tail=False).isel(n_box=0).values
    ours = spectra.partition_kernel(F * K[:, None], K, PHI)[1]
    # wavespectra sees the non-folded truth: its two largest systems match ours
    np.testing.assert_allclose(np.sort(hs_parts)[::-1][:2], ours[:2], rtol=0.1)


def test_partition_bimodal_50_cases():
    rng = np.random.default_rng(11)
    n, hits = 50, 0
    cases = []
    for _ in range(n):
        d1 = rng.uniform(0, 180)
        d2 = d1 + rng.choice([-1, 1]) * rng.uniform(45, 90)
        s = [(rng.uniform(200, 450), d1), (rng.uniform(70, 140), d2)]
        cases.append(
            (
                truth.bimodal_kphi(
                    [
                        {
                            "hs": rng.uniform(1, 3),
                            "peak_wavelength": s[0][0],
                            "direction_deg": s[0][1],
                            "gamma": 7.0,
                            "s": 30.0,
                        },
                        {
                            "hs": rng.uniform(1, 2.5),
                            "peak_wavelength": s[1][0],
                            "direction_deg": s[1][1],
                        },
                    ]
                ),
                s,
            )
        )
    F = np.stack([c[0] for c in cases])
    hs = np.array([truth.significant_wave_height(f, K, PHI) for f in F])
    out = mod.simulate_and_invert(F, K, hs, np.full(n, 0.045), rng)["combined"]
    for spec, (_, s) in zip(out, cases, strict=True):
        mask, _, wl, dr = spectra.partition_kernel(spec, K, PHI)
        assert set(np.unique(mask)) <= {-1, 0, 1}
        np.testing.assert_array_equal(mask, -np.roll(mask, 12, axis=1))
        hits += any(
            all(
                abs(wl[o] / t[0] - 1) <= 0.25 and _dir_err(dr[o], t[1]) <= 25
                for o, t in zip(order, s, strict=True)
            )
            for order in ((0, 1), (1, 0))
        )
    assert hits / n >= 0.9


def test_partition_dataset_wrapper_and_mirror_mask():
    F = truth.wave_system_kphi(2.0, 250.0, 40.0, gamma=7.0, s=30.0)
    part = spectra.partition(_product((F * K[:, None])[None]))
    assert part.mask_spectrum.dims == ("n_box", "nk", "n_phi", "npartitions")
    assert int(part.number_of_partitions[0]) == 1
    assert float(part.hs[0, 0]) == pytest.approx(2.0, rel=1e-6)
    m = part.mask_spectrum[0, :, :, 0].values
    j = np.argmax((F * K[:, None]).max(0))
    assert (m[:, j] == 1).any() and (m[:, (j + 12) % 24] == -1).any()


@pytest.mark.parametrize("bad", ["negative", "k_order"])
def test_bad_input_raises(bad):
    pp = truth.slope_spectrum(truth.wave_system_kphi(2.0, 250.0, 40.0), K)[None]
    ds = _product(pp)
    if bad == "negative":
        ds["pp_mean"][0, 3, 3] = -1.0
    else:
        ds["k_spectra"] = ("nk", K[::-1])
    with pytest.raises(InputError):
        spectra.wave_params(ds)
    with pytest.raises(InputError):
        spectra.to_wavespectra(ds)


def test_nan_cells_are_masked_with_flag():
    pp = np.stack([truth.slope_spectrum(truth.wave_system_kphi(2.0, 250.0, 40.0), K)] * 2)
    pp[1, 5, 5] = np.nan
    wp = spectra.wave_params(_product(pp))
    assert wp.spectrum_complete.values.tolist() == [True, False]
    assert np.isfinite(wp.hs[0]) and np.isnan(wp.hs[1]) and np.isnan(wp.peak_wavelength[1])
