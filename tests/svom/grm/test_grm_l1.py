"""GRM in the mission layout (hourly svom_grm_evt files): round trip, same triggers, bad files."""

import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.grm.io import read_events, write_events
from fcspace.svom.grm.simulate import GrbTruth, simulate_events
from fcspace.svom.grm.trigger import run_trigger
from fcspace.svom.l1_fits import read_l1_events
from fcspace.svom.l1_layouts import grm_hourly_name, parse_hourly_name
from fcspace.svom.time import met_to_iso

GRB = GrbTruth(t0_met=40.0, theta_deg=25.0, phi_deg=100.0, peak_flux=20.0)


@pytest.fixture(scope="module")
def burst():
    return simulate_events(70.0, GRB, rng=11)


@pytest.fixture(scope="module")
def files(burst, tmp_path_factory):
    d = tmp_path_factory.mktemp("grm")
    name = grm_hourly_name(met_to_iso(float(burst.gti_start[0])), version=1)
    return write_events(burst, d / "today.fits"), write_events(burst, d / name)


def test_hourly_name_round_trip():
    name = grm_hourly_name("2025-03-11T07:26:09.5Z", version=3)
    assert name == "svom_grm_evt_250311_07_v03.fits"
    assert parse_hourly_name(name) == ("grm_evt", "2025-03-11T07:00:00", 3)
    assert parse_hourly_name("svom_att_250311_07_v00.fits")[0] == "att"
    assert parse_hourly_name("glg_tte_n6_bn110721200_v00.fit") is None
    with pytest.raises(InputError):
        grm_hourly_name("2025-03-11T07:26:09", version=100)


def test_mission_file_structure(files):
    assert files[1].name == "svom_grm_evt_170101_00_v01.fits"
    with fits.open(files[1]) as h:
        assert [x.name for x in h[1:]] == ["EVENTS01", "EVENTS02", "EVENTS03", "GTI", "EBOUNDS"]
        assert (h[0].header["CARD"], h[0].header["INSTRUME"]) == ("GRM-EVT", "GRM")
        assert h[0].header["MJDREFI"] == 57754 and h[0].header["TIMESYS"] == "TT"
        cols = set(h["EVENTS02"].columns.names)
        assert {"TIME", "PI", "GAIN_TYPE", "DEAD_TIME", "EVT_TYPE", "ANTI_COIN", "FLAG"} <= cols
        assert h["EVENTS02"].header["DETNAM"] == "GRD2"


def test_round_trip(burst, files):
    back = read_events(files[1])
    np.testing.assert_array_equal(back.time.values, burst.time.values)
    for v in ("detector", "channel", "truth_is_grb"):
        np.testing.assert_array_equal(back[v].values, burst[v].values)
    np.testing.assert_allclose(back.e_min.values, burst.e_min.values)
    centre = 0.5 * (burst.e_min.values + burst.e_max.values)[burst.channel.values]
    np.testing.assert_allclose(back.energy.values, centre, rtol=1e-6)
    assert list(back.detector_name.values) == ["GRD1", "GRD2", "GRD3"]
    for k in ("truth_theta_deg", "truth_t0_met", "truth_peak_flux"):
        assert back.attrs[k] == pytest.approx(burst.attrs[k])
    assert back.attrs["mjdref_tt"] == pytest.approx(burst.attrs["mjdref_tt"], abs=1e-12)


def test_same_trigger_as_todays_layout(files):
    (a,) = run_trigger(read_events(files[0]))
    (b,) = run_trigger(read_events(files[1]))
    for k in ("time", "met", "window_start_met", "timescale_s", "band_kev", "detectors",
              "counts", "peak_met", "peak_timescale_s", "peak_band_kev"):  # fmt: skip
        assert a[k] == b[k], k
    # energies read back as channel centres move a few events across band edges: SNR ~0.5 %
    assert b["snr"] == pytest.approx(a["snr"], rel=0.02)
    assert b["peak_snr"] == pytest.approx(a["peak_snr"], rel=0.02)


def _edit(src, dst, fn):
    with fits.open(src) as h:
        hdus = fits.HDUList([x.copy() for x in h])
    fn(hdus)
    hdus.writeto(dst, checksum=True)
    return dst


def test_bad_files_name_the_file(files, tmp_path):
    src = files[1]
    cases = {
        "svom_grm_evt_170101_00_v02.fits": (lambda h: h.pop(h.index_of("EVENTS02")), "EVENTS02"),
        "svom_grm_evt_170101_00_v03.fits": (lambda h: h.pop(h.index_of("GTI")), "GTI"),
        "svom_grm_evt_170101_00_v04.fits": (
            lambda h: h[0].header.__setitem__("CARD", "ECL-EVT-CAL"), "expected"),
    }  # fmt: skip
    for name, (fn, what) in cases.items():
        with pytest.raises(InputError, match=what) as err:
            read_l1_events(_edit(src, tmp_path / name, fn), "GRM-EVT")
        assert name in str(err.value)
    raw = src.read_bytes()
    (tmp_path / "trunc.fits").write_bytes(raw[: len(raw) // 3])
    with pytest.raises(InputError, match="trunc.fits"):
        read_events(tmp_path / "trunc.fits")
    data = bytearray(raw)
    with fits.open(src) as h:
        off = h.fileinfo(2)["datLoc"] + 5
    data[off] ^= 0x55
    (tmp_path / "flip.fits").write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum") as err:
        read_events(tmp_path / "flip.fits")
    assert "flip.fits" in str(err.value)


def test_unknown_layout_and_bad_detector(burst, tmp_path):
    with pytest.raises(InputError, match="layout"):
        write_events(burst, tmp_path / "x.fits", layout="GRM-RAW")
    bad = burst.assign(detector=("event", np.full(burst.sizes["event"], 5, np.int16)))
    with pytest.raises(InputError, match="detector"):
        write_events(bad, tmp_path / "svom_grm_evt_170101_00_v00.fits")
    assert not (tmp_path / "svom_grm_evt_170101_00_v00.fits").exists()
