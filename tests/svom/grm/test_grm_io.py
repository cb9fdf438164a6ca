import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.grm.io import read_events, read_gbm_tte, write_events
from fcspace.svom.grm.simulate import simulate_events
from fcspace.svom.time import FERMI_MJDREF_TT, iso_to_met, met_to_iso


def met_to_utc(met, precision=3):
    return met_to_iso(met, FERMI_MJDREF_TT, precision, zulu=True)


def utc_to_met(utc):
    return iso_to_met(utc, FERMI_MJDREF_TT)

TRIGTIME = 332916465.760476


def test_met_to_utc_grb110721a():
    # GCN Circular 12187: GBM triggered at 04:47:43.75 UT on 2011-07-21 (trigger 332916465)
    assert met_to_utc(TRIGTIME) == "2011-07-21T04:47:43.760Z"
    assert met_to_utc(TRIGTIME, precision=6) == "2011-07-21T04:47:43.760476Z"


def test_met_epoch_and_leap_seconds():
    assert utc_to_met("2001-01-01T00:00:00Z") == pytest.approx(0.0, abs=1e-6)
    # the leap second at the end of 2008 is counted by MET
    dt = utc_to_met("2009-01-01T00:00:00") - utc_to_met("2008-12-31T23:59:59")
    assert dt == pytest.approx(2.0, abs=1e-6)


def test_met_utc_round_trip():
    met = np.array([0.0, 1.5e8, TRIGTIME, 7.0e8])
    back = utc_to_met(met_to_utc(met, precision=6))
    np.testing.assert_allclose(back, met, atol=2e-6)


def test_bad_utc_string():
    with pytest.raises(InputError, match="ISO-8601"):
        utc_to_met("yesterday")


def _tte(path, drop_hdu=None, drop_col=None, n=200):
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(-10, 10, n))
    hdus = [fits.PrimaryHDU()]
    hdus[0].header["TRIGTIME"] = TRIGTIME
    hdus[0].header["MJDREFI"] = 51910
    hdus[0].header["MJDREFF"] = 7.428703703703703e-4
    hdus[0].header["DETNAM"] = "NAI_00"
    e = np.geomspace(8, 1000, 9)
    eb = [
        fits.Column("CHANNEL", "I", array=np.arange(8)),
        fits.Column("E_MIN", "E", array=e[:-1]),
        fits.Column("E_MAX", "E", array=e[1:]),
    ]
    ev = [
        fits.Column("TIME", "D", array=TRIGTIME + t, bzero=TRIGTIME),
        fits.Column("PHA", "I", array=rng.integers(0, 8, n)),
    ]
    gti = [
        fits.Column("START", "D", array=[TRIGTIME - 10]),
        fits.Column("STOP", "D", array=[TRIGTIME + 10]),
    ]
    for name, cols in (("EBOUNDS", eb), ("EVENTS", ev), ("GTI", gti)):
        if name == drop_hdu:
            continue
        cols = [c for c in cols if c.name != drop_col]
        hdus.append(fits.BinTableHDU.from_columns(cols, name=name))
    fits.HDUList(hdus).writeto(path)
    return path


def test_read_synthetic_tte(tmp_path):
    ds = read_gbm_tte(_tte(tmp_path / "tte.fit"))
    assert ds.sizes["event"] == 200 and ds.sizes["pha_channel"] == 8
    assert abs(ds["time"].values.mean() - TRIGTIME) < 10  # TZERO applied: MET
    assert ds.attrs["trigtime"] == TRIGTIME
    assert ds.attrs["mjdref_tt"] == pytest.approx(FERMI_MJDREF_TT)
    assert list(ds["detector_name"].values) == ["NAI_00"]
    assert np.all((ds.energy >= 8) & (ds.energy <= 1000))
    assert ds["gti_start"].values[0] == pytest.approx(TRIGTIME - 10)


@pytest.mark.parametrize(
    ("hdu", "col", "match"),
    [
        ("EVENTS", None, "no EVENTS"),
        ("EBOUNDS", None, "no EBOUNDS"),
        (None, "PHA", "no column 'PHA'"),
        (None, "E_MIN", "no column 'E_MIN'"),
    ],
)
def test_missing_hdu_or_column(tmp_path, hdu, col, match):
    path = _tte(tmp_path / "bad.fit", drop_hdu=hdu, drop_col=col)
    with pytest.raises(InputError, match=match) as err:
        read_gbm_tte(path)
    assert "bad.fit" in str(err.value)


def test_truncated_fits(tmp_path):
    good = _tte(tmp_path / "good.fit", n=5000)
    cut = tmp_path / "cut.fit"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError, match="cut.fit"):
        read_gbm_tte(cut)


def test_not_fits_and_missing(tmp_path):
    junk = tmp_path / "junk.fit"
    junk.write_text("hello")
    with pytest.raises(InputError, match="junk.fit"):
        read_events(junk)
    with pytest.raises(InputError, match="not found"):
        read_events(tmp_path / "nope.fit")
    with pytest.raises(InputError, match="not readable|not a readable"):
        read_gbm_tte(junk)


def test_netcdf_round_trip(tmp_path):
    ds = simulate_events(5.0, None, rng=1)
    path = write_events(ds, tmp_path / "ev.nc")
    back = read_events(path)
    np.testing.assert_array_equal(back["time"].values, ds["time"].values)
    np.testing.assert_array_equal(back["detector"].values, ds["detector"].values)
    assert list(back["detector_name"].values) == ["GRD1", "GRD2", "GRD3"]
    assert back.attrs["mjdref_tt"] == ds.attrs["mjdref_tt"]
    assert not list(tmp_path.glob(".*part"))


def test_fits_round_trip_keeps_the_layout(tmp_path):
    ds = simulate_events(5.0, None, rng=1)
    back = read_events(write_events(ds, tmp_path / "ev.fits"))
    for v in ("time", "detector", "channel", "energy", "e_min", "e_max", "gti_start",
              "truth_is_grb"):  # fmt: skip
        np.testing.assert_array_equal(back[v].values, ds[v].values)
        assert back[v].dtype == ds[v].dtype
    assert list(back["detector_name"].values) == ["GRD1", "GRD2", "GRD3"]
    for k in ("mjdref_tt", "instrument", "mission", "timesys", "source_file", "truth_grb"):
        assert back.attrs[k] == ds.attrs[k]
    assert np.isnan(back.attrs["trigtime"])
    with fits.open(tmp_path / "ev.fits") as h:
        assert h["EVENTS"].header["EVLAYOUT"] == "GRM" and "CHECKSUM" in h["EVENTS"].header
    assert not list(tmp_path.glob(".*part"))


def test_trigger_and_localisation_identical_from_fits_and_netcdf(tmp_path):
    from fcspace.svom.grm.localize import localize_trigger
    from fcspace.svom.grm.simulate import GrbTruth
    from fcspace.svom.grm.trigger import run_trigger

    ds = simulate_events(45.0, GrbTruth(t0_met=25.0, theta_deg=30.0, phi_deg=100.0), rng=7)
    results = []
    for name in ("ev.fits", "ev.nc"):
        back = read_events(write_events(ds, tmp_path / name))
        trig = run_trigger(back)
        assert trig
        results.append((trig, localize_trigger(back, trig[0])))
    assert results[0] == results[1]
    assert results[0][0] == run_trigger(ds)
