"""Issue 14: the GBM TTE and GRM readers refuse damaged or impossible files, naming what is wrong.

Each bad file is built from a good one (the real GBM TTE of GRB 110721A when ../shared is
present, else a synthetic TTE) by one mutation, written WITH valid checksums where the point is
that the range/type checks (not the checksum) must catch it.
"""

import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.grm.io import read_events, read_gbm_tte, write_events
from fcspace.svom.grm.simulate import simulate_events
from fcspace.testing.data import require_shared

GBM = "svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit"
TRIGTIME = 332916465.760476


def _synthetic(path, n=300):
    """A small GBM-like TTE with TSTART/TSTOP, EBOUNDS, EVENTS (TZERO = TRIGTIME) and GTI."""
    t = np.sort(np.random.default_rng(0).uniform(-10, 10, n))
    head = fits.Header()
    for key, value in (("TRIGTIME", TRIGTIME), ("MJDREFI", 51910), ("MJDREFF", 7.4287037e-4),
                       ("TSTART", TRIGTIME - 10.0), ("TSTOP", TRIGTIME + 10.0)):  # fmt: skip
        head[key] = value
    e = np.geomspace(8, 1000, 9)
    eb = fits.BinTableHDU.from_columns(
        [fits.Column("CHANNEL", "I", array=np.arange(8)),
         fits.Column("E_MIN", "E", array=e[:-1]), fits.Column("E_MAX", "E", array=e[1:])],
        name="EBOUNDS")  # fmt: skip
    ev = fits.BinTableHDU.from_columns(
        [fits.Column("TIME", "D", array=TRIGTIME + t, bzero=TRIGTIME),
         fits.Column("PHA", "I", array=np.arange(n) % 8)], name="EVENTS")  # fmt: skip
    gti = fits.BinTableHDU.from_columns(
        [fits.Column("START", "D", array=[TRIGTIME - 10.0]),
         fits.Column("STOP", "D", array=[TRIGTIME + 10.0])], name="GTI")  # fmt: skip
    for hdu in (ev, gti, eb):
        hdu.header["TSTART"], hdu.header["TSTOP"] = head["TSTART"], head["TSTOP"]
    fits.HDUList([fits.PrimaryHDU(header=head), eb, ev, gti]).writeto(path, checksum=True)
    return path


@pytest.fixture(params=["synthetic", "real"])
def tte(request, tmp_path):
    if request.param == "real":
        return require_shared(GBM)
    return _synthetic(tmp_path / "synthetic_tte.fit")


def _mutate(src, dst, edit):
    """Copy ``src`` to ``dst`` with ``edit(hdul)`` applied; checksums rewritten (valid)."""
    with fits.open(src) as hdul:
        hdul = fits.HDUList([h.copy() for h in hdul])
    edit(hdul)
    hdul.writeto(dst, checksum=True)
    return dst


def _refused(path, *, variable, words):
    with pytest.raises(InputError) as err:
        read_gbm_tte(path)
    text = str(err.value)
    assert str(path) in text and err.value.path == str(path)
    assert err.value.variable == variable
    for word in words:
        assert word in text
    with pytest.raises(InputError) as err2:  # the format-detecting reader says the same
        read_events(path)
    assert str(err2.value) == text


def test_real_gbm_file_reads_with_valid_checksums_and_unchanged():
    path = require_shared(GBM)
    with fits.open(path, checksum=True) as hdul:
        assert all("CHECKSUM" in h.header and h.verify_checksum() == 1 for h in hdul)
    ds = read_gbm_tte(path)
    assert ds.sizes["event"] == 284_600 and ds.sizes["pha_channel"] == 128
    assert ds.time.values[0] == 332916431.791354
    assert ds.time.values[-1] == pytest.approx(332916766.147572, abs=1e-6)
    assert int(ds.channel.values.astype(np.int64).sum()) == 12_879_441
    assert ds.attrs["trigtime"] == TRIGTIME


def test_byte_flip_with_checksums_is_refused(tmp_path):
    # the case: a flip in one TIME moved an event by 15,490 s, read as data
    src = require_shared(GBM)
    raw = bytearray(src.read_bytes())
    with fits.open(src) as hdul:
        offset = hdul.fileinfo(2)["datLoc"]  # EVENTS data
    raw[offset + 10 * 10 + 1] ^= 0x40  # second byte of the 11th TIME (10-byte rows)
    bad = tmp_path / "flipped.fit"
    bad.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="checksum verification failed") as err:
        read_gbm_tte(bad)
    assert "EVENTS" in str(err.value) and err.value.path == str(bad)


@pytest.mark.parametrize("key", ["TRIGTIME", "TSTART", "MJDREFF"])
def test_non_numeric_header_values(tte, tmp_path, key):
    def edit(hdul):
        hdul[0].header[key] = "abc"

    bad = _mutate(tte, tmp_path / f"bad_{key}.fit", edit)
    _refused(bad, variable=key, words=("PRIMARY", key, "'abc'", "not a number"))


def test_events_stored_as_an_image(tte, tmp_path):
    def edit(hdul):
        hdul[hdul.index_of("EVENTS")] = fits.ImageHDU(np.zeros((4, 4)), name="EVENTS")

    bad = _mutate(tte, tmp_path / "image.fit", edit)
    _refused(bad, variable="EVENTS", words=("EVENTS is a ImageHDU", "binary table"))


def test_missing_column(tte, tmp_path):
    def edit(hdul):
        eb = hdul["EBOUNDS"]
        kept = [c for c in eb.columns if c.name != "E_MAX"]
        hdul[hdul.index_of("EBOUNDS")] = fits.BinTableHDU.from_columns(
            [fits.Column(c.name, c.format, array=eb.data[c.name]) for c in kept],
            header=eb.header, name="EBOUNDS")  # fmt: skip

    bad = _mutate(tte, tmp_path / "no_emax.fit", edit)
    _refused(bad, variable="E_MAX", words=("EBOUNDS", "E_MAX"))


@pytest.mark.parametrize("value", [1e30, np.nan, -5.0e4])
def test_event_time_outside_the_span(tte, tmp_path, value):
    # 1e30 gave an OverflowError in the GRM trigger; NaN or a time before TSTART are damage too
    def edit(hdul):
        t = np.array(hdul["EVENTS"].data["TIME"])
        t[-1] = value if not np.isfinite(value) or value > 1e20 else t[0] + value
        hdul["EVENTS"].data["TIME"] = t

    bad = _mutate(tte, tmp_path / "time.fit", edit)
    _refused(bad, variable="TIME", words=("EVENTS column TIME", "1 of", "[TSTART, TSTOP]"))


@pytest.mark.parametrize("how", ["inverted", "nan", "descending"])
def test_bad_energy_bounds(tte, tmp_path, how):
    def edit(hdul):
        lo = np.array(hdul["EBOUNDS"].data["E_MIN"])
        hi = np.array(hdul["EBOUNDS"].data["E_MAX"])
        if how == "inverted":
            lo, hi = hi, lo
        elif how == "nan":
            hi[3] = np.nan
        else:
            lo, hi = lo[::-1].copy(), hi[::-1].copy()
        hdul["EBOUNDS"].data["E_MIN"], hdul["EBOUNDS"].data["E_MAX"] = lo, hi

    bad = _mutate(tte, tmp_path / f"ebounds_{how}.fit", edit)
    variable = {"inverted": "E_MAX", "nan": "E_MAX", "descending": "E_MIN"}[how]
    word = {"inverted": "E_MAX <= E_MIN", "nan": "1 of", "descending": "ascending"}[how]
    _refused(bad, variable=variable, words=("EBOUNDS", word))


def test_pha_outside_ebounds(tte, tmp_path):
    def edit(hdul):
        pha = np.array(hdul["EVENTS"].data["PHA"])
        pha[:3] = 999
        hdul["EVENTS"].data["PHA"] = pha

    bad = _mutate(tte, tmp_path / "pha.fit", edit)
    _refused(bad, variable="PHA", words=("EVENTS column PHA", "3 of", "999"))


def test_gti_stop_before_start(tte, tmp_path):
    def edit(hdul):
        start = np.array(hdul["GTI"].data["START"])
        hdul["GTI"].data["STOP"] = start - 1.0

    bad = _mutate(tte, tmp_path / "gti.fit", edit)
    _refused(bad, variable="STOP", words=("GTI", "STOP < START"))


def test_grm_fits_list_with_bad_detector_and_time_is_refused(tmp_path):
    ds = simulate_events(4.0, None, rng=2)
    good = write_events(ds, tmp_path / "grm.fits")
    np.testing.assert_array_equal(read_events(good)["time"].values, ds["time"].values)

    def detector(hdul):
        d = np.array(hdul["EVENTS"].data["DETECTOR"])
        d[0] = 7
        hdul["EVENTS"].data["DETECTOR"] = d

    bad = _mutate(good, tmp_path / "det.fits", detector)
    with pytest.raises(InputError, match="EVENTS column DETECTOR: 1 of") as err:
        read_events(bad)
    assert err.value.path == str(bad) and err.value.variable == "DETECTOR"

    def late(hdul):
        hdul["EVENTS"].header["TSTOP"] = float(hdul["EVENTS"].data["TIME"][-1]) - 1.0

    bad = _mutate(good, tmp_path / "late.fits", late)
    with pytest.raises(InputError, match="after TSTOP") as err:
        read_events(bad)
    assert err.value.path == str(bad) and err.value.variable == "TIME"


@pytest.mark.parametrize(
    ("var", "index", "value", "words"),
    [("time", -1, 1e30, "event list column time: 1 of"),  # the trigger's OverflowError
     ("detector", 0, 5, "event list column detector: 1 of"),
     ("channel", 0, -1, "event list column channel: 1 of"),
     ("e_max", 2, 1.0, "E_MAX <= E_MIN")],
)  # fmt: skip
def test_grm_netcdf_list_ranges(tmp_path, var, index, value, words):
    ds = simulate_events(3.0, None, rng=4)
    values = ds[var].values.copy()
    values[index] = value
    bad = write_events(ds.assign({var: (ds[var].dims, values)}), tmp_path / f"{var}.nc")
    with pytest.raises(InputError, match=words.replace("(", r"\(")) as err:
        read_events(bad)
    assert err.value.path == str(bad)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [("NSIDE", "abc", "PROBABILITY keyword NSIDE = 'abc' is not a number"),
     ("NSIDE", 3, "not a power of 2"),
     ("RA_PNT", "abc", "PROBABILITY keyword RA_PNT = 'abc'"),
     ("DEC_PNT", 200.0, "DEC_PNT = 200.0 outside")],
)  # fmt: skip
def test_skymap_header_checks(tmp_path, key, value, words):
    from fcspace.svom.frames import Attitude
    from fcspace.svom.grm.skymap import GrmSkyMap
    from fcspace.svom.grm.skymap_fits import read_skymap, write_skymap

    prob = np.full(12 * 4**2, 1.0 / (12 * 4**2))
    sky = GrmSkyMap(prob=prob, nside=4, object="GRB TEST", date_obs="2026-01-01T00:00:00",
                    attitude=Attitude(10.0, 20.0, 30.0), attitude_assumed=False)  # fmt: skip
    good = write_skymap(sky, tmp_path / "map.fits")
    np.testing.assert_array_equal(read_skymap(good).prob, prob)

    def edit(hdul):
        hdul["PROBABILITY"].header[key] = value

    bad = _mutate(good, tmp_path / "bad_map.fits", edit)
    with pytest.raises(InputError, match=words) as err:
        read_skymap(bad)
    assert err.value.path == str(bad) and err.value.variable == key


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.999])
def test_truncated_real_file(tmp_path, fraction):
    src = require_shared(GBM)
    raw = src.read_bytes()
    cut = tmp_path / "cut.fit"
    cut.write_bytes(raw[: int(len(raw) * fraction)])
    with pytest.raises(InputError, match="truncated") as err:
        read_gbm_tte(cut)
    assert err.value.path == str(cut)
