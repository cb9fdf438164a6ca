"""ECLAIRs in the mission layout ECL-EVT-CAL: round trip, same triggers, bad files."""

import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.io import pi_channels, read_events, write_events
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Grb, Pulse
from fcspace.svom.eclairs.trigger import run_triggers
from fcspace.svom.eclairs.trigger_config import TriggerConfig
from fcspace.svom.frames import Attitude
from fcspace.svom.time import SVOM_MJDREF_TT

ATT = Attitude(150.0, -30.0, 20.0)


@pytest.fixture(scope="module")
def burst():
    grb = Grb(theta_deg=12.0, phi_deg=40.0, peak_flux=2.0, t0=75.0,
              pulses=(Pulse(t_peak=1.0, rise=0.3, decay=2.0),))  # fmt: skip
    return simulate_grb(grb, 110.0, 11, met_start=2.5e8)


@pytest.fixture(scope="module")
def files(burst, tmp_path_factory):
    d = tmp_path_factory.mktemp("ecl")
    return write_events(burst, d / "today.fits"), write_events(burst, d / "l1.fits", "ECL-EVT-CAL")


def test_mission_header_and_columns(files):
    with fits.open(files[1]) as h:
        p = h[0].header
        assert (p["ORIGIN"], p["TELESCOP"], p["INSTRUME"], p["CARD"]) == (
            "FSC",
            "SVOM",
            "ECL",
            "ECL-EVT-CAL",
        )
        assert p["TIMESYS"] == "TT" and p["TIMEUNIT"] == "s" and p["MJDREFI"] == 57754
        # MJDREFF puts the epoch at 2017-01-01T00:00:00 UTC in TT (ASSUMPTION, time.py)
        assert p["MJDREFI"] + p["MJDREFF"] == pytest.approx(SVOM_MJDREF_TT, abs=1e-12)
        assert p["MJDREFF"] * 86400.0 == pytest.approx(69.184, abs=1e-6)
        names = h["EVENTS"].columns.names
        assert {"TIME", "JDET", "IDET", "PHA", "PI", "FLAG"} <= set(names)
        assert {"GTI", "EBOUNDS", "PIXSTAT"} <= {x.name for x in h}
        eb = h["EBOUNDS"].data
        np.testing.assert_allclose(eb["E_MAX"] - eb["E_MIN"], ECLAIRS.pi_step_kev, atol=1e-5)


def test_round_trip_maps_pixels_and_pi(burst, files):
    back = read_events(files[1])
    assert back.attrs["card"] == "ECL-EVT-CAL" and back.attrs["instrument"] == "ECLAIRs"
    np.testing.assert_array_equal(back.time.values, burst.time.values)
    for v in ("y", "z", "truth_is_source", "truth_component", "pixel_status"):
        np.testing.assert_array_equal(back[v].values, burst[v].values)
    # energy is the PI channel centre: within half a channel of the simulated energy
    err = np.abs(back.energy.values - burst.energy.values)
    assert err.max() <= 0.5 * ECLAIRS.pi_step_kev + 1e-4
    np.testing.assert_array_equal(back.channel.values, pi_channels(burst)[0])
    for k in ("met_start", "exposure", "truth_theta_deg", "truth_n_source"):
        assert back.attrs[k] == pytest.approx(burst.attrs[k])
    np.testing.assert_array_equal(back.gti_start.values, burst.gti_start.values)


def test_band_membership_is_kept(burst, files):
    back = read_events(files[1])
    cfg = TriggerConfig()
    edges = np.unique(np.ravel(cfg.crt_bands_kev + cfg.imt_bands_kev))
    np.testing.assert_array_equal(
        np.searchsorted(edges, back.energy.values, "right"),
        np.searchsorted(edges, burst.energy.values, "right"),
    )


def test_same_triggers_as_todays_layout(files):
    today = [t.to_dict() for t in run_triggers(read_events(files[0]), attitude=ATT)]
    mission = [t.to_dict() for t in run_triggers(read_events(files[1]), attitude=ATT)]
    assert len(today) >= 1 and len(mission) == len(today)
    for a, b in zip(today, mission, strict=True):
        assert a["time"] == b["time"] and a["trigger_type"] == b["trigger_type"]
        for k in ("met", "snr", "theta_deg", "phi_deg", "ra", "dec"):
            assert b[k] == pytest.approx(a[k], rel=1e-9, abs=1e-9), k


def _edit(src, dst, fn):
    with fits.open(src) as h:
        hdus = fits.HDUList([x.copy() for x in h])
    fn(hdus)
    hdus.writeto(dst, checksum=True)
    return dst


def test_bad_files_name_the_file(files, tmp_path):
    src = files[1]
    cases = {
        "wrong_card.fits": lambda h: h[0].header.__setitem__("CARD", "MXT-EVT-CAL"),
        "no_ebounds.fits": lambda h: h.pop(h.index_of("EBOUNDS")),
        "no_events.fits": lambda h: h.pop(h.index_of("EVENTS")),
    }
    for name, fn in cases.items():
        with pytest.raises(InputError, match=name):
            read_events(_edit(src, tmp_path / name, fn))
    raw = src.read_bytes()
    (tmp_path / "trunc.fits").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="trunc.fits"):
        read_events(tmp_path / "trunc.fits")
    data = bytearray(raw)
    with fits.open(src) as h:
        off = h.fileinfo(1)["datLoc"] + 3
    data[off] ^= 0xFF
    (tmp_path / "flip.fits").write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum.*flip.fits|flip.fits.*checksum"):
        read_events(tmp_path / "flip.fits")


def test_unknown_layout_refused(burst, tmp_path):
    with pytest.raises(InputError, match="layout"):
        write_events(burst, tmp_path / "x.fits", "ECL-EVT-RAW")


def test_gti_product_replaces_the_list_gtis(burst, files, tmp_path):
    from fcspace.svom.l1_fits import read_gti_file, write_gti_file

    t0 = burst.attrs["met_start"]
    gti = [[t0, t0 + 50.0], [t0 + 60.0, t0 + 110.0]]
    path = write_gti_file(tmp_path / "ecl_gti.fits", gti)
    with fits.open(path) as h:
        assert h[0].header["CARD"] == "ECL-GTI" and h[0].header["INSTRUME"] == "ECL"
    np.testing.assert_array_equal(read_gti_file(path), gti)
    back = read_events(files[1], gti_file=path)
    np.testing.assert_array_equal(back.gti_start.values, [t0, t0 + 60.0])
    with pytest.raises(InputError, match="CARD") as err:
        read_gti_file(files[1])
    assert "l1.fits" in str(err.value)
    with pytest.raises(InputError, match="STOP"):
        write_gti_file(tmp_path / "bad.fits", [[2.0, 1.0]])


def test_attitude_file_gives_the_pointing_of_the_triggers(burst, files, tmp_path):
    from fcspace.svom.attitude_io import quaternion_from_pointing, write_attitude

    t0 = burst.attrs["met_start"]
    q = quaternion_from_pointing([ATT.ra] * 2, [ATT.dec] * 2, [ATT.roll] * 2)
    att = write_attitude(tmp_path / "svom_att_241201_00_v00.fits", [t0 - 60.0, t0 + 600.0], q)
    back = read_events(files[1], attitude_file=att)
    assert back.attrs["attitude_ra"] == pytest.approx(ATT.ra, abs=1e-6)
    assert back.attrs["attitude_roll"] == pytest.approx(ATT.roll, abs=1e-6)
    pointing = (back.attrs["attitude_ra"], back.attrs["attitude_dec"], back.attrs["attitude_roll"])
    a = run_triggers(back, attitude=pointing)[0]
    b = run_triggers(back, attitude=ATT)[0]
    assert a.ra == pytest.approx(b.ra, abs=1e-6) and a.dec == pytest.approx(b.dec, abs=1e-6)
