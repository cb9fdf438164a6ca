"""SVOM attitude and orbit files: round trips, interpolation against analytic truth, bad files."""

import numpy as np
import pytest
import xarray as xr
from astropy.io import fits
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from fcspace.core.errors import InputError
from fcspace.core.geodesy import EARTH_MEAN_RADIUS_M
from fcspace.core.orbit import EARTH_GM_M3_S2
from fcspace.svom.attitude_io import (
    attitude_at,
    orbit_at,
    quaternion_from_pointing,
    read_attitude,
    read_orbit,
    write_attitude,
    write_orbit,
)
from fcspace.svom.frames import instrument_to_radec
from fcspace.svom.time import SVOM_MJDREF_TT


def _vec(ra, dec):
    a, d = np.radians(ra), np.radians(dec)
    return np.stack([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)], -1)


def _sep(ra1, dec1, ra2, dec2):
    """Angle (deg) between directions, accurate for tiny separations (chord formula)."""
    chord = np.linalg.norm(_vec(ra1, dec1) - _vec(ra2, dec2), axis=-1)
    return np.degrees(2.0 * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0)))


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 359.9), st.floats(-89.0, 89.0), st.floats(0, 359.9))
def test_quaternion_pointing_round_trip(ra, dec, roll):
    q = quaternion_from_pointing(ra, dec, roll)
    att = {"time": np.array([0.0, 1.0]), "quaternion": np.array([q, q])}
    ds = xr.Dataset(
        {"time": ("time", att["time"]), "quaternion": (("time", "q"), att["quaternion"])}
    )
    r, d, p = attitude_at(ds, 0.5)
    assert _sep(r[0], d[0], ra, dec) < 1e-6
    assert abs((p[0] - roll + 180.0) % 360.0 - 180.0) < 1e-6
    # +X of the quaternion frame is the (theta=90, phi=0) direction of fcspace.svom.frames
    x = quaternion_from_pointing(ra, dec, roll)
    vx = Rotation.from_quat(x).apply([1.0, 0.0, 0.0])
    rx, dx = instrument_to_radec(90.0, 0.0, ra, dec, roll)
    assert np.linalg.norm(vx - _vec(rx, dx)) < 1e-8


def test_attitude_file_round_trip_and_slerp(tmp_path):
    met = np.array([1.0e8, 1.0e8 + 60.0])
    q = quaternion_from_pointing([10.0, 10.0], [20.0, 20.0], [30.0, 90.0])
    path = write_attitude(tmp_path / "svom_att_200303_02_v00.fits", met, q)
    att = read_attitude(path)
    assert att.attrs["card"] == "SVO-ATT-CNV"
    assert att.attrs["mjdref_tt"] == pytest.approx(SVOM_MJDREF_TT, abs=1e-12)
    np.testing.assert_allclose(att.quaternion.values, q, atol=1e-12)
    ra, dec, roll = attitude_at(att, [met[0], met.mean(), met[1]])
    # a pure roll about the fixed boresight: slerp turns the roll at constant rate
    np.testing.assert_allclose(roll, [30.0, 60.0, 90.0], atol=1e-6)
    assert np.all(_sep(ra, dec, 10.0, 20.0) < 1e-7)
    with fits.open(path) as h:
        assert h[0].header["CARD"] == "SVO-ATT-CNV" and h[0].header["MJDREFI"] == 57754
        assert h["QUATERNION"].columns.names == ["TIME", "Q1", "Q2", "Q3", "Q4"]
    with pytest.raises(InputError, match="outside"):
        attitude_at(att, met[1] + 1.0)


def _circular(t, alt_km=625.0, inc_deg=30.0):
    a = EARTH_MEAN_RADIUS_M / 1e3 + alt_km
    w = np.sqrt(EARTH_GM_M3_S2 / 1e9 / a**3)
    ci, si = np.cos(np.radians(inc_deg)), np.sin(np.radians(inc_deg))
    c, s = np.cos(w * t), np.sin(w * t)
    pos = a * np.column_stack([c, s * ci, s * si])
    vel = a * w * np.column_stack([-s, c * ci, c * si])
    return pos, vel


def test_orbit_round_trip_and_hermite_interpolation(tmp_path):
    t = np.arange(0.0, 3600.0 + 1, 60.0)
    pos, vel = _circular(t)
    path = write_orbit(tmp_path / "svom_orb_170101_00_v00.fits", t, pos, vel)
    orb = read_orbit(path)
    np.testing.assert_array_equal(orb.position.values, pos)
    tq = t[:-1] + 30.0
    p, v = orbit_at(orb, tq)
    truth_p, truth_v = _circular(tq)
    assert np.max(np.linalg.norm(p - truth_p, axis=1)) < 1e-3  # < 1 m between 60 s samples
    assert np.max(np.linalg.norm(v - truth_v, axis=1)) < 1e-4  # < 0.1 m/s


def test_bad_files(tmp_path):
    t = np.array([0.0, 60.0])
    q = quaternion_from_pointing([0.0, 0.0], [0.0, 0.0], [0.0, 0.0])
    att = write_attitude(tmp_path / "att.fits", t, q)
    pos, vel = _circular(t)
    orb = write_orbit(tmp_path / "orb.fits", t, pos, vel)
    with pytest.raises(InputError, match="CARD") as err:
        read_orbit(att)
    assert "att.fits" in str(err.value)
    raw = orb.read_bytes()
    (tmp_path / "trunc.fits").write_bytes(raw[:3000])
    with pytest.raises(InputError, match="trunc.fits"):
        read_orbit(tmp_path / "trunc.fits")
    with fits.open(att) as h:
        hdus = fits.HDUList([h[0].copy(), fits.BinTableHDU(h[1].data.copy(), name="OTHER")])
    hdus.writeto(tmp_path / "noext.fits", checksum=True)
    with pytest.raises(InputError, match="QUATERNION"):
        read_attitude(tmp_path / "noext.fits")
    data = bytearray(att.read_bytes())
    with fits.open(att) as h:
        data[h.fileinfo(1)["datLoc"] + 9] ^= 0x21
    (tmp_path / "flip.fits").write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum"):
        read_attitude(tmp_path / "flip.fits")
    with pytest.raises(InputError, match="increase"):
        write_attitude(tmp_path / "x.fits", [1.0, 0.0], q)
    with pytest.raises(InputError, match="quaternion"):
        write_attitude(tmp_path / "x.fits", t, q[:, :3])
