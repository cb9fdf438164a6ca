"""Issue 14: ECLAIRs event lists, L1 files, attitude/orbit files and sky images are checked.

Every bad file is a good one with one mutation, rewritten with valid checksums, so the check
that catches it is the type/range check of the reader; the error names file and keyword/column.
"""

import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.attitude_io import (
    pointing_attrs,
    quaternion_from_pointing,
    read_attitude,
    read_orbit,
    write_attitude,
    write_orbit,
)
from fcspace.svom.eclairs.imaging import SkyImage
from fcspace.svom.eclairs.io import read_events, read_sky_image, write_events, write_sky_image
from fcspace.svom.eclairs.simulate import Grb, simulate_grb
from fcspace.svom.fits_checks import TIME_TOLERANCE_S


@pytest.fixture(scope="module")
def events():
    return simulate_grb(Grb(peak_flux=5.0, t0=5.0), 10.0, 3)


@pytest.fixture(params=["ECL-EVT-CAL", "fcspace"])
def good(request, events, tmp_path):
    return write_events(events, tmp_path / f"good_{request.param}.fits", layout=request.param)


def _mutate(src, dst, edit):
    with fits.open(src) as hdul:
        hdul = fits.HDUList([h.copy() for h in hdul])
    edit(hdul)
    hdul.writeto(dst, checksum=True)
    return dst


def _refused(reader, path, variable, *words):
    with pytest.raises(InputError) as err:
        reader(path)
    assert err.value.path == str(path) and str(path) in str(err.value)
    assert err.value.variable == variable
    for word in words:
        assert word in str(err.value)
    return err.value


def test_good_lists_read_identically(good, events):
    back = read_events(good)
    np.testing.assert_array_equal(back.time.values, events.time.values)
    np.testing.assert_array_equal(back.y.values, events.y.values)
    assert back.attrs["exposure"] == events.attrs["exposure"]


def test_events_past_tstop_are_refused_not_zero_triggers(good, tmp_path):
    # the issue: events past TSTOP gave 0 triggers and exit 0; now the file is refused
    def edit(hdul):
        for hdu in hdul:
            if "TSTOP" in hdu.header:
                hdu.header["TSTOP"] = hdu.header["TSTART"] + 2.0

    bad = _mutate(good, tmp_path / "past.fits", edit)
    err = _refused(read_events, bad, "TIME", "after TSTOP", "[TSTART, TSTOP]")
    tstop = fits.getval(bad, "TSTOP", 1) + TIME_TOLERANCE_S
    n_past = int(np.count_nonzero(read_events(good).time.values > tstop))
    assert n_past > 1000
    assert f"{n_past} after TSTOP" in str(err)


@pytest.mark.parametrize("key", ["TSTART", "RA_PNT", "MJDREFI"])
def test_non_numeric_keywords(good, tmp_path, key):
    def edit(hdul):
        for hdu in hdul[:2]:
            hdu.header[key] = "abc"

    bad = _mutate(good, tmp_path / "abc.fits", edit)
    _refused(read_events, bad, key, key, "'abc'", "not a number")


def test_pointing_outside_the_sky(good, tmp_path):
    def edit(hdul):
        for hdu in hdul[:2]:
            hdu.header["DEC_PNT"] = 200.0

    bad = _mutate(good, tmp_path / "dec.fits", edit)
    _refused(read_events, bad, "DEC_PNT", "DEC_PNT = 200.0 outside [-90.0, 90.0]")


def test_events_as_an_image(good, tmp_path):
    def image(hdul):
        hdul[1] = fits.ImageHDU(np.zeros((2, 2)), name="EVENTS")

    bad = _mutate(good, tmp_path / "image.fits", image)
    _refused(read_events, bad, "EVENTS", "EVENTS is a ImageHDU, expected a binary table")


def test_pixel_index_outside_the_detector(tmp_path, events):
    good = write_events(events, tmp_path / "l1.fits")

    def edit(hdul):
        idet = np.array(hdul["EVENTS"].data["IDET"])
        idet[:4] = 80
        hdul["EVENTS"].data["IDET"] = idet

    bad = _mutate(good, tmp_path / "idet.fits", edit)
    _refused(read_events, bad, "IDET", "EVENTS column IDET: 4 of", "[0, 79]")


def test_pi_outside_ebounds_and_inverted_ebounds(tmp_path, events):
    good = write_events(events, tmp_path / "l1.fits")

    def pi(hdul):
        col = np.array(hdul["EVENTS"].data["PI"])
        col[0] = 10_000
        hdul["EVENTS"].data["PI"] = col

    _refused(read_events, _mutate(good, tmp_path / "pi.fits", pi), "PI", "EVENTS column PI")

    def inverted(hdul):
        eb = hdul["EBOUNDS"].data
        eb["E_MIN"], eb["E_MAX"] = np.array(eb["E_MAX"]), np.array(eb["E_MIN"])

    bad = _mutate(good, tmp_path / "eb.fits", inverted)
    _refused(read_events, bad, "E_MAX", "EBOUNDS", "E_MAX <= E_MIN")


# ------------------------------------------------------------------------- attitude, orbit
def test_quaternion_norm_checked(tmp_path):
    t = np.arange(5.0) * 10.0
    q = quaternion_from_pointing(np.full(5, 10.0), np.full(5, 20.0), np.full(5, 30.0))
    good = write_attitude(tmp_path / "att.fits", t, q)
    assert read_attitude(good).sizes["time"] == 5

    def edit(hdul):
        hdul["QUATERNION"].data["Q4"] = 2.0 * np.array(hdul["QUATERNION"].data["Q4"])

    bad = _mutate(good, tmp_path / "att_bad.fits", edit)
    _refused(read_attitude, bad, "quaternion norm", "QUATERNION column quaternion norm: 5 of")

    def backwards(hdul):
        hdul["QUATERNION"].data["TIME"] = np.array(hdul["QUATERNION"].data["TIME"])[::-1]

    def late(hdul):
        t = np.array(hdul["QUATERNION"].data["TIME"])
        t[-1] = hdul[0].header["TSTOP"] + 1000.0
        hdul["QUATERNION"].data["TIME"] = t

    bad = _mutate(good, tmp_path / "att_late.fits", late)
    _refused(read_attitude, bad, "TIME", "QUATERNION column TIME: 1 of 5", "after TSTOP")

    bad = _mutate(good, tmp_path / "att_back.fits", backwards)
    _refused(read_attitude, bad, "TIME", "do not increase")
    with pytest.raises(InputError, match="outside the attitude samples") as err:
        pointing_attrs(good, 1.0e4)  # the time error names the attitude file too
    assert err.value.path == str(good)


def test_orbit_inside_the_earth_is_refused(tmp_path):
    t = np.arange(4.0) * 60.0
    pos = np.tile([7000.0, 0.0, 0.0], (4, 1))
    vel = np.tile([0.0, 7.5, 0.0], (4, 1))
    good = write_orbit(tmp_path / "orb.fits", t, pos, vel)
    np.testing.assert_array_equal(read_orbit(good).position.values, pos)

    def edit(hdul):
        hdul["ORBIT"].data["X"] = np.array([7000.0, 70.0, 7000.0, 7000.0])

    bad = _mutate(good, tmp_path / "orb_bad.fits", edit)
    _refused(read_orbit, bad, "X, Y, Z distance (km)", "ORBIT", "1 of 4")


# ------------------------------------------------------------------------------ sky image
def _sky():
    rng = np.random.default_rng(0)
    maps = [rng.normal(size=(9, 9)) for _ in range(4)]
    return SkyImage(maps[0], np.abs(maps[1]) + 1, maps[2], np.abs(maps[3]), 4e-3, 0.46, 4.0,
                    100.0, (4.0, 120.0))  # fmt: skip


def test_sky_image_checks(tmp_path):
    good = write_sky_image(_sky(), tmp_path / "sky.fits")
    back = read_sky_image(good)
    np.testing.assert_allclose(back.snr, _sky().snr.astype(np.float32))
    assert back.band_kev == (4.0, 120.0)

    def pitch(hdul):
        hdul[0].header["PIXPITCH"] = "abc"

    bad = _mutate(good, tmp_path / "pitch.fits", pitch)
    _refused(read_sky_image, bad, "PIXPITCH", "PRIMARY keyword PIXPITCH = 'abc'")

    raw = bytearray(good.read_bytes())
    raw[-100] ^= 0x10  # a byte of the CODING map
    flipped = tmp_path / "flipped.fits"
    flipped.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="checksum verification failed") as err:
        read_sky_image(flipped)
    assert err.value.path == str(flipped)


def test_pixstat_of_the_wrong_shape_and_a_table_in_its_place(good, tmp_path):
    def small(hdul):
        if "PIXSTAT" in hdul:
            del hdul["PIXSTAT"]
        hdul.append(fits.ImageHDU(np.zeros((4, 4), np.uint8), name="PIXSTAT"))

    bad = _mutate(good, tmp_path / "pixstat.fits", small)
    _refused(read_events, bad, "PIXSTAT", "PIXSTAT of shape (4, 4), expected 80 x 80")

    def table(hdul):
        if "PIXSTAT" in hdul:
            del hdul["PIXSTAT"]
        col = fits.Column("X", "E", array=np.zeros(3))
        hdul.append(fits.BinTableHDU.from_columns([col], name="PIXSTAT"))

    bad = _mutate(good, tmp_path / "pixstat_table.fits", table)
    _refused(read_events, bad, "PIXSTAT", "PIXSTAT is not an image extension")


def test_empty_span_is_refused(good, tmp_path):
    def edit(hdul):
        for hdu in hdul:
            if "TSTOP" in hdu.header:
                hdu.header["TSTOP"] = hdu.header["TSTART"]
        for hdu in hdul:
            if hdu.name == "EVENTS":
                hdu.data = hdu.data[:0]

    bad = _mutate(good, tmp_path / "empty.fits", edit)
    _refused(read_events, bad, "TSTOP", "TSTOP - TSTART must be > 0")
