"""GRM HEALPix sky maps: credible regions (analytic), closed loops, FITS and the peer, notice."""

import json
from pathlib import Path

import astropy.units as u
import numpy as np
import pytest
from astropy.io import fits
from astropy_healpix import HEALPix
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fcspace.core.errors import InputError
from fcspace.svom.alerts import read_voevent
from fcspace.svom.frames import Attitude, instrument_to_radec
from fcspace.svom.grm.cli import app
from fcspace.svom.grm.instrument import GRM
from fcspace.svom.grm.localize import localize_counts
from fcspace.svom.grm.notice import grm_alert, write_localization
from fcspace.svom.grm.quicklook import plot_skymap
from fcspace.svom.grm.skymap import (
    SPHERE_DEG2,
    GrmSkyMap,
    choose_nside,
    credible_area_deg2,
    credible_levels,
    equal_area_radius_deg,
    localize_skymap,
    searched_level,
)
from fcspace.svom.grm.skymap_fits import read_skymap, write_skymap

ATT = Attitude(ra=210.0, dec=-35.0, roll=75.0)


def _fisher_map(nside: int, kappa: float, ra: float, dec: float) -> np.ndarray:
    """Von Mises-Fisher density exp(kappa cos psi) about (ra, dec), per NESTED pixel."""
    hp = HEALPix(nside=nside, order="nested", frame="icrs")
    lon, lat = hp.healpix_to_lonlat(np.arange(hp.npix))
    c = np.sin(lat.rad) * np.sin(np.deg2rad(dec)) + np.cos(lat.rad) * np.cos(
        np.deg2rad(dec)
    ) * np.cos(lon.rad - np.deg2rad(ra))
    p = np.exp(kappa * (c - 1.0))
    return p / p.sum()


def _fisher_area(kappa: float, level: float) -> float:
    """Exact area (deg^2) of the level region of a Fisher density: cap of 1-cos r below."""
    one_minus_cos = -np.log(1.0 - level * (1.0 - np.exp(-2.0 * kappa))) / kappa
    return 2.0 * np.pi * one_minus_cos * np.rad2deg(1.0) ** 2


@pytest.mark.parametrize(("kappa", "level"), [(50.0, 0.9), (50.0, 0.5), (400.0, 0.9)])
def test_credible_area_of_fisher_density_is_exact_cap(kappa, level):
    prob = _fisher_map(128, kappa, 40.0, 20.0)
    area = credible_area_deg2(prob, level)
    assert area == pytest.approx(_fisher_area(kappa, level), rel=0.03)


def test_searched_level_centre_and_antipode():
    prob = _fisher_map(64, 100.0, 40.0, 20.0)
    assert searched_level(prob, 64, 40.0, 20.0) < 0.01
    assert searched_level(prob, 64, 220.0, -20.0) > 0.999


@given(st.lists(st.floats(0.0, 1.0), min_size=48, max_size=48).filter(lambda v: sum(v) > 0))
@settings(max_examples=50, deadline=None)
def test_credible_levels_properties(values):
    p = np.asarray(values) / np.sum(values)
    lv = credible_levels(p)
    assert lv.max() == pytest.approx(1.0)
    # a more probable pixel is never in a later (larger) credible level (ties in any order)
    order = np.lexsort((lv, -p))
    assert np.all(np.diff(lv[order]) >= -1e-12)
    a50, a90 = credible_area_deg2(p, 0.5), credible_area_deg2(p, 0.9)
    assert 0 < a50 <= a90 <= SPHERE_DEG2


def test_choose_nside_and_equal_area_radius():
    assert choose_nside(20.0) == 16 and choose_nside(0.01) == 256
    assert choose_nside(4.0) == 64  # 0.92 deg pixels <= 1 deg
    with pytest.raises(InputError):
        choose_nside(0.0)
    assert equal_area_radius_deg(SPHERE_DEG2 / 2) == pytest.approx(90.0)
    r = 5.0
    area = 2 * np.pi * (1 - np.cos(np.deg2rad(r))) * np.rad2deg(1.0) ** 2
    assert equal_area_radius_deg(area) == pytest.approx(r)


@pytest.mark.parametrize(("theta", "phi"), [(10.0, 30.0), (25.0, 200.0)])
def test_noiseless_map_peaks_at_truth_and_agrees_with_grid_fit(theta, phi):
    # errors of 8000 background counts: a region of many pixels, the truth at its centre
    net = 1e4 * GRM.detector_response(theta, phi)
    sky = localize_skymap(net, np.sqrt(net + 8000.0), ATT, nside=128, systematic_frac=0.0)
    assert sky.prob.sum() == pytest.approx(1.0) and not sky.attitude_assumed
    ra, dec = instrument_to_radec(theta, phi, ATT.ra, ATT.dec, ATT.roll)
    pix = HEALPix(nside=128, order="nested").lonlat_to_healpix(ra * u.deg, dec * u.deg)
    assert sky.prob[pix] >= 0.9 * sky.prob.max()  # truth at the peak, to a pixel's offset
    assert sky.searched_level(float(ra), float(dec)) < 0.5
    fit = localize_counts(net, np.sqrt(net + 8000.0), systematic_frac=0.0)
    ra_fit, dec_fit = instrument_to_radec(fit["theta_deg"], fit["phi_deg"], *vars(ATT).values())
    pra, pdec = sky.peak_radec
    sep = np.rad2deg(np.arccos(np.clip(
        np.sin(np.deg2rad(pdec)) * np.sin(np.deg2rad(dec_fit)) + np.cos(np.deg2rad(pdec))
        * np.cos(np.deg2rad(dec_fit)) * np.cos(np.deg2rad(pra - ra_fit)), -1, 1)))  # fmt: skip
    assert sep < 1.5  # one grid cell of the 1-degree fit


def test_coverage_of_gaussian_counts_closed_loop():
    """Counts drawn from the model with Gaussian errors: 90 % regions hold the truth ~90 %."""
    rng = np.random.default_rng(7)
    hits, n = [], 150
    for _ in range(n):
        th = np.rad2deg(np.arccos(rng.uniform(np.cos(np.deg2rad(50.0)), 1.0)))
        ph = rng.uniform(0.0, 360.0)
        sigma = np.full(3, 150.0)
        net = 3000.0 * GRM.detector_response(th, ph) + sigma * rng.normal(size=3)
        sky = localize_skymap(net, sigma, ATT, nside=64, systematic_frac=0.0)
        ra, dec = instrument_to_radec(th, ph, ATT.ra, ATT.dec, ATT.roll)
        hits.append(sky.searched_level(float(ra), float(dec)) <= 0.9)
    # binomial sigma at n = 150 is 2.4 %; allow ~2.5 sigma
    assert 0.84 <= np.mean(hits) <= 0.96


def test_bad_counts_and_nside():
    with pytest.raises(InputError):
        localize_skymap([1.0, np.nan, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(InputError):
        localize_skymap([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], nside=48)
    with pytest.raises(InputError):
        credible_area_deg2(np.ones(12) / 12, 1.0)


@pytest.fixture(scope="module")
def sky():
    net = 5e3 * GRM.detector_response(20.0, 100.0)
    return localize_skymap(net, np.sqrt(net + 8000.0), ATT, object_name="sb25010101",
                           date_obs="2025-01-01T00:01:00.352")  # fmt: skip


def test_fits_round_trip_and_peer(sky, tmp_path):
    path = write_skymap(sky, tmp_path / "m.fits")
    back = read_skymap(path)
    assert np.array_equal(back.prob, sky.prob) and back.nside == sky.nside
    assert back.attitude == ATT and back.object == "sb25010101"
    peer = HEALPix.from_header(str(path))  # the peer reads our header
    assert peer.nside == sky.nside and peer.order == "nested" and peer.frame.name == "icrs"
    hdr = fits.getheader(path, 1)
    for key, value in {"PIXTYPE": "HEALPIX", "ORDERING": "NESTED", "COORDSYS": "C",
                       "INDXSCHM": "IMPLICIT", "TTYPE1": "PROB", "TUNIT1": "pix-1"}.items():
        assert hdr[key] == value  # fmt: skip
    assert hdr["AREA90"] == pytest.approx(sky.area_deg2(0.9))
    assert hdr["MJD-OBS"] == pytest.approx(60676.0 + 60.352 / 86400, abs=1e-8)
    # the peer's pixel of the peak direction is ours
    ra, dec = sky.peak_radec
    assert int(peer.lonlat_to_healpix(ra * u.deg, dec * u.deg)) == int(np.argmax(back.prob))


def _rewrite(src, dst, key, value):
    with fits.open(src) as hdul:
        if key == "PROB":
            hdul[1].data["PROB"][0] = value
        else:
            hdul[1].header[key] = value
        hdul.writeto(dst, checksum=True)


@pytest.mark.parametrize(("key", "value"), [("ORDERING", "RING"), ("COORDSYS", "G"),
                                            ("NSIDE", 8), ("PROB", np.nan)])  # fmt: skip
def test_bad_map_files(sky, tmp_path, key, value):
    good = write_skymap(sky, tmp_path / "good.fits")
    bad = tmp_path / "bad.fits"
    _rewrite(good, bad, key, value)
    with pytest.raises(InputError, match="bad.fits"):
        read_skymap(bad)


def test_missing_and_non_map_files(sky, tmp_path):
    with pytest.raises(InputError):
        read_skymap(tmp_path / "none.fits")
    fits.HDUList([fits.PrimaryHDU()]).writeto(tmp_path / "empty.fits")
    with pytest.raises(InputError, match="PROBABILITY"):
        read_skymap(tmp_path / "empty.fits")
    with pytest.raises(InputError):
        write_skymap(GrmSkyMap(prob=np.ones(10), nside=1), tmp_path / "x.fits")


def test_notice_states_the_map_area(sky, tmp_path):
    trig = {"time": "2025-01-01T00:01:00.352Z", "snr": 9.5, "timescale_s": 1.024,
            "band_kev": [50.0, 300.0], "detectors": ["GRD1", "GRD3"]}  # fmt: skip
    paths = write_localization(sky, grm_alert(sky, trig), tmp_path / "sb25010101_grm")
    assert {p.rsplit(".", 1)[0] for p in paths.values()} == {str(tmp_path / "sb25010101_grm")}
    alert = read_voevent(paths["notice"])
    cap = 2 * np.pi * (1 - np.cos(np.deg2rad(alert.err_radius_deg))) * np.rad2deg(1.0) ** 2
    assert cap == pytest.approx(read_skymap(paths["skymap"]).area_deg2(0.9), rel=1e-6)
    assert (alert.ra, alert.dec) == pytest.approx(sky.peak_radec, abs=1e-4)
    assert b"Triggered_GRDs\" value=\"101\"" in Path(paths["notice"]).read_bytes()


def test_quicklook_png(sky, tmp_path):
    out = plot_skymap(sky, tmp_path / "q.png", truth_radec=(10.0, -5.0), n_lon=180)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_localize_skymap_and_quicklook(tmp_path):
    runner = CliRunner()
    sim = tmp_path / "sim.nc"
    res = runner.invoke(app, ["simulate", "-o", str(sim), "--duration", "50", "--grb-at", "25",
                              "--peak-flux", "15", "--seed", "3", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["localize", str(sim), "--skymap", str(tmp_path / "m"), "--json"])
    assert res.exit_code == 0, res.output
    m = json.loads(res.output)["triggers"][0]["skymap"]
    from fcspace.svom.grm.io import read_events
    from fcspace.svom.grm.notice import event_attitude

    assert m["attitude_assumed"] is (event_attitude(read_events(sim)) is None)
    for key, ext in (("notice", ".xml"), ("skymap", ".fits"), ("quicklook", ".png")):
        assert m[key] == str(tmp_path / "m" / f"sim_grm_1{ext}") and Path(m[key]).is_file()
    res = runner.invoke(app, ["skymap", m["skymap"], "-o", str(tmp_path / "q.png"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["area90_deg2"] == pytest.approx(m["area90_deg2"])
    res = runner.invoke(app, ["skymap", str(sim), "-o", str(tmp_path / "x.png")])
    assert res.exit_code != 0


def test_trigger_map_uses_event_attitude_and_contains_truth():
    from fcspace.svom.grm.notice import skymap_of_trigger, truth_radec
    from fcspace.svom.grm.simulate import GrbTruth, simulate_events
    from fcspace.svom.grm.trigger import run_trigger

    ds = simulate_events(45.0, GrbTruth(t0_met=25.0, theta_deg=30.0, phi_deg=250.0), 11)
    ds.attrs.update(attitude_ra=ATT.ra, attitude_dec=ATT.dec, attitude_roll=ATT.roll)
    trig = run_trigger(ds)
    sky = skymap_of_trigger(ds, trig[0], instrument=GRM)
    assert sky.attitude == ATT and not sky.attitude_assumed
    assert sky.date_obs == trig[0]["time"].rstrip("Z")
    assert sky.searched_level(*truth_radec(ds, ATT)) <= 0.9
