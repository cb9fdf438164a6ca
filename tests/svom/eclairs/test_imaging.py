import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.imaging import (
    SkyDecoder,
    fit_background,
    shadowgram,
    sky_image,
)
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.io import read_sky_image, write_sky_image
from fcspace.svom.eclairs.localize import localize
from fcspace.svom.eclairs.mask import make_mask, mask_cells, point_source_shadow
from fcspace.svom.eclairs.quicklook import plot_sky_image
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb

MASK = make_mask()


def _events(y, z, t, e):
    ev = ("event",)
    return xr.Dataset(
        {
            "time": (ev, np.asarray(t, float)),
            "y": (ev, np.asarray(y, np.int16)),
            "z": (ev, np.asarray(z, np.int16)),
            "energy": (ev, np.asarray(e, np.float32)),
        },
        attrs={"met_start": 0.0, "exposure": 10.0},
    )


def test_shadowgram_selects_time_and_band():
    ds = _events([0, 0, 5, 79, 79], [0, 0, 7, 79, 3], [0.5, 1.5, 2.0, 3.0, 9.0],
                 [10.0, 10.0, 200.0, 50.0, 3.0])  # fmt: skip
    d = shadowgram(ds)
    assert d.shape == (80, 80)
    assert d[0, 0] == 2 and d[79, 79] == 1 and d.sum() == 3  # 200 and 3 keV are out of band
    assert shadowgram(ds, t_start=1.0, t_stop=3.0).sum() == 1  # [1, 3): only t = 1.5
    assert shadowgram(ds, band_kev=(40.0, 60.0))[79, 79] == 1


def test_shadowgram_bad_input():
    with pytest.raises(InputError):
        shadowgram(_events([], [], [], []))
    with pytest.raises(InputError):
        shadowgram(xr.Dataset({"y": ("event", [1])}))
    with pytest.raises(InputError):
        shadowgram(_events([80], [1], [1.0], [10.0]))
    ds = _events([1], [1], [1.0], [10.0])
    with pytest.raises(InputError):
        shadowgram(ds, band_kev=(50.0, 10.0))
    with pytest.raises(InputError):
        shadowgram(ds, t_start=5.0, t_stop=1.0)


def test_fit_background_recovers_quadratic_without_dead_pixels():
    y, z = np.meshgrid(np.arange(80.0), np.arange(80.0), indexing="ij")
    truth = 5.0 + 0.02 * y - 0.03 * z + 1e-3 * y * y + 5e-4 * z * z - 2e-4 * y * z
    data = truth.copy()
    w = np.ones((80, 80))
    dead = np.random.default_rng(0).choice(6400, 30, replace=False)
    w.reshape(-1)[dead] = 0.0
    data.reshape(-1)[dead] = 1e6  # garbage on excluded pixels must not matter
    np.testing.assert_allclose(fit_background(data, w), truth, rtol=1e-9)
    noisy = np.random.default_rng(1).poisson(truth * 200) / 200.0
    np.testing.assert_allclose(fit_background(noisy), truth, rtol=0.01)


def test_fit_background_bad_input():
    with pytest.raises(InputError):
        fit_background(np.ones((80, 79)))
    with pytest.raises(InputError):
        fit_background(np.ones((80, 80)), np.zeros((80, 80)))
    with pytest.raises(InputError):
        fit_background(np.full((80, 80), np.nan))


def test_sky_grid_geometry():
    a, u = mask_cells(MASK)
    assert a.shape == u.shape == (122, 122)
    assert a.sum() / u.sum() == pytest.approx(0.4, rel=0.02)  # open fraction is kept
    sky = sky_image(np.ones((80, 80)))
    assert sky.shape == (80 + 122 - 1,) * 2
    assert sky.pixel_deg == pytest.approx(ECLAIRS.sky_pixel_deg)
    assert sky.direction(100, 100)[0] == pytest.approx(0.0)
    r, c = sky.pixel(33.0, 250.0)
    t, p = sky.direction(r, c)
    assert (float(t), float(p)) == pytest.approx((33.0, 250.0))
    # the fully coded field has coding 1, the edge of the grid is (almost) uncoded
    assert sky.coding[100, 100] == pytest.approx(1.0)
    assert sky.coding[0, 0] < 0.01 and np.isnan(sky.snr[0, 0])


def test_fft_equals_direct_correlation():
    rng = np.random.default_rng(3)
    d = rng.poisson(4.0, (80, 80)).astype(float)
    a, u = mask_cells(MASK)
    dec = SkyDecoder(MASK, dtype=np.float64)
    sky = dec(d)
    w = np.ones((80, 80))
    for row, col in [(100, 100), (60, 140), (170, 30), (15, 190)]:
        k0 = row - 100 + 21
        k1 = col - 100 + 21

        def corr(g, img, k0=k0, k1=k1):
            big = np.zeros((300, 300))
            big[100:222, 100:222] = g
            return np.sum(img * big[100 + k0 : 180 + k0, 100 + k1 : 180 + k1])

        ca, cu, wa, wu = corr(a, d), corr(u, d), corr(a, w), corr(u, w)
        bal = wa / (wu - wa)
        s = (1 + bal) * ca - bal * cu
        var = corr((1 + bal) ** 2 * a * a - 2 * bal * (1 + bal) * a + bal**2 * u, d)
        assert sky.snr[row, col] == pytest.approx(s / np.sqrt(var), rel=1e-6, abs=1e-9)


def test_point_source_intensity_and_position():
    shadow = point_source_shadow(25.0, 130.0, MASK)
    assert 0.0 <= shadow.min() and shadow.max() <= 1.0
    counts = 50.0 * shadow + 3.0  # noise-free source of 50 counts per open pixel + flat bkg
    sky = sky_image(counts, mask=MASK)
    r, c = np.unravel_index(np.nanargmax(sky.snr), sky.shape)
    r0, c0 = sky.pixel(25.0, 130.0)
    assert abs(r - r0) <= 0.5 and abs(c - c0) <= 0.5
    loc = localize(sky)
    assert loc.intensity == pytest.approx(50.0, rel=0.05)  # PSF-fit amplitude
    assert abs(loc.row - r0) < 0.05 and abs(loc.col - c0) < 0.05


@pytest.mark.parametrize("seed", [1, 2])
def test_background_only_snr_is_standard_normal(seed):
    ds = simulate_grb(Grb(peak_flux=0.0), exposure=2.0, rng=seed, mask=MASK)
    status = ds["pixel_status"].values
    d = shadowgram(ds)
    sky = sky_image(d, fit_background(d, (status == 0).astype(float)), MASK,
                    pixel_status=status)  # fmt: skip
    s = sky.snr[(sky.coding > 0.05) & np.isfinite(sky.snr)]
    assert s.size > 30000
    assert abs(s.mean()) < 0.03
    assert s.std() == pytest.approx(1.0, abs=0.03)


def test_flat_poisson_snr_statistics():
    # one map has ~3 % sampling scatter in its std (pixels are correlated): pool 6 maps
    rng = np.random.default_rng(5)
    maps = []
    for _ in range(6):
        d = rng.poisson(5.0, (80, 80)).astype(float)
        sky = sky_image(d, np.full((80, 80), 5.0))
        maps.append(sky.snr[(sky.coding > 0.05) & np.isfinite(sky.snr)])
    s = np.concatenate(maps)
    assert abs(s.mean()) < 0.03 and s.std() == pytest.approx(1.0, abs=0.03)


def test_sky_image_bad_input():
    with pytest.raises(InputError):
        sky_image(np.ones((80, 81)))
    with pytest.raises(InputError):
        sky_image(np.ones((80, 80)), background=np.ones((10, 10)))
    with pytest.raises(InputError):
        sky_image(-np.ones((80, 80)))
    with pytest.raises(InputError):
        sky_image(np.ones((80, 80)), pixel_status=np.zeros((3, 3)))


def test_fits_round_trip_and_plot(tmp_path):
    counts = np.random.default_rng(2).poisson(40.0 * point_source_shadow(10.0, 45.0) + 2.0)
    sky = sky_image(counts.astype(float), mask=MASK, exposure_s=4.0, band_kev=(4.0, 120.0))
    path = write_sky_image(sky, tmp_path / "sky.fits")
    back = read_sky_image(path)
    for name in ("snr", "counts", "variance", "coding"):
        np.testing.assert_allclose(getattr(back, name), getattr(sky, name), rtol=1e-6)
    assert back.exposure_s == 4.0 and back.band_kev == (4.0, 120.0)
    assert back.centre == sky.centre and back.pitch_m == sky.pitch_m
    from astropy.io import fits

    h = fits.getheader(path)
    assert h["CTYPE1"] == "ZTAN" and h["CDELT2"] == pytest.approx(np.degrees(0.0045 / 0.46))
    png = plot_sky_image(sky, tmp_path / "sky.png", loc=localize(sky))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError):
        read_sky_image(tmp_path / "missing.fits")
