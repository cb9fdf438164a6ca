import numpy as np
import pytest
from astropy.io import fits

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.eclairs.io import read_events, write_events
from fcspace.svom.eclairs.simulate import simulate_grb
from fcspace.svom.eclairs.sources import Background, Grb


@pytest.fixture(scope="module")
def events():
    bg = Background(instrumental_rate=200.0, cxb_scale=0.1)
    return simulate_grb(
        Grb(theta_deg=5.0, peak_flux=2.0, t0=1.0), 5.0, 8, background=bg, met_start=2.5e8
    )


def test_round_trip(events, tmp_path):
    path = write_events(events, tmp_path / "ev.fits", "fcspace")  # today's layout: exact energies
    back = read_events(path)
    assert back.sizes["event"] == events.sizes["event"] > 0
    np.testing.assert_allclose(back.time, events.time, atol=1e-7)
    for v in ("y", "z", "energy", "truth_is_source", "truth_component", "pixel_status"):
        np.testing.assert_array_equal(back[v].values, events[v].values)
        assert back[v].dtype == events[v].dtype
    for k in ("met_start", "exposure", "truth_theta_deg", "truth_t0", "truth_n_source"):
        assert back.attrs[k] == pytest.approx(events.attrs[k])
    assert back.attrs["mjdref_tt"] == pytest.approx(ECLAIRS.met_epoch_mjd_tt, abs=1e-12)
    assert back.attrs["telescope"] == "SVOM" and back.attrs["instrument"] == "ECLAIRs"


def test_header_conventions(events, tmp_path):
    path = write_events(events, tmp_path / "ev.fits", "fcspace")
    with fits.open(path) as h:
        hdr = h["EVENTS"].header
        assert hdr["TELESCOP"] == "SVOM" and hdr["INSTRUME"] == "ECLAIRs"
        assert hdr["TIMESYS"] == "TT" and hdr["MJDREFI"] == 57754
        assert hdr["TSTART"] == 2.5e8 and hdr["TSTOP"] == 2.5e8 + 5.0
        assert h["EVENTS"].columns["ENERGY"].unit == "keV"
        assert h["EVENTS"].columns["TIME"].unit == "s"
        assert h["EVENTS"].data["TIME"].min() >= 2.5e8
        assert hdr["TRTHETA"] == 5.0


def test_default_is_the_mission_layout(events, tmp_path):
    path = write_events(events, tmp_path / "ev.fits")
    with fits.open(path) as h:
        assert h[0].header["CARD"] == "ECL-EVT-CAL" and "PI" in h["EVENTS"].columns.names
    back = read_events(path)
    np.testing.assert_array_equal(back.y.values, events.y.values)
    assert np.abs(back.energy.values - events.energy.values).max() <= 0.5 * ECLAIRS.pi_step_kev


def test_no_partial_file_on_failure(events, tmp_path):
    bad = events.drop_vars("energy")
    with pytest.raises(InputError, match="energy"):
        write_events(bad, tmp_path / "x.fits")
    assert list(tmp_path.iterdir()) == []


def _write_table(path, **cols):
    c = [fits.Column(k, f, array=np.asarray(v)) for k, (f, v) in cols.items()]
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(c, name="EVENTS")]).writeto(path)


def test_missing_column(tmp_path):
    p = tmp_path / "a.fits"
    _write_table(p, TIME=("D", [1.0]), Y=("I", [1]), Z=("I", [1]))
    with pytest.raises(InputError, match="ENERGY") as err:
        read_events(p)
    assert err.value.variable == "ENERGY" and err.value.path == str(p)


@pytest.mark.parametrize(("col", "y", "e"), [("Y", 80, 10.0), ("ENERGY", 3, 200.0)])
def test_out_of_range(tmp_path, col, y, e):
    p = tmp_path / "b.fits"
    _write_table(p, TIME=("D", [1.0]), Y=("I", [y]), Z=("I", [1]), ENERGY=("E", [e]))
    with pytest.raises(InputError) as err:
        read_events(p)
    assert err.value.variable == col


def test_no_events_extension(tmp_path):
    p = tmp_path / "c.fits"
    fits.PrimaryHDU().writeto(p)
    with pytest.raises(InputError, match="EVENTS"):
        read_events(p)


def test_truncated_and_missing(events, tmp_path):
    path = write_events(events, tmp_path / "ev.fits")
    raw = path.read_bytes()
    cut = tmp_path / "cut.fits"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as err:
        read_events(cut)
    assert err.value.path == str(cut)
    with pytest.raises(InputError):
        read_events(tmp_path / "nope.fits")
    junk = tmp_path / "junk.fits"
    junk.write_bytes(b"not a fits file at all" * 10)
    with pytest.raises(InputError):
        read_events(junk)
