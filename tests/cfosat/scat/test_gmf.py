"""Tests of the tabulated GMF (fcspace.cfosat.scat.gmf)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.cfosat.scat.gmf import GmfTable, fold_rel_dir, load_table, sigma0
from fcspace.core.errors import ConfigError, InputError

RAW = {
    ("nscat4ds", "VV"): "nscat4ds_250_73_51_vv.dat_little_endian",
    ("nscat4ds", "HH"): "nscat4ds_250_73_51_hh.dat_little_endian",
    ("cmod7", "VV"): "cmod7_vv.dat_little_endian",
}


def db(x):
    return 10.0 * np.log10(x)


@pytest.mark.shared_data
@pytest.mark.parametrize(("model", "pol"), list(RAW))
def test_package_table_equals_raw_file(gmf_dir, model, pol):
    path = gmf_dir / RAW[(model, pol)]
    head = np.fromfile(path, dtype="<i4", count=1)[0]
    assert head == 250 * 73 * 51 * 4
    raw = np.fromfile(path, dtype="<f4", offset=4, count=250 * 73 * 51).reshape(
        (250, 73, 51), order="F"
    )
    table = load_table(model, pol)
    np.testing.assert_array_equal(table.values, raw)
    # a few nodes through the public function, (speed, rel_dir, incidence) -> raw[i, j, k]
    i, j, k = np.array([0, 49, 249, 120]), np.array([0, 36, 72, 13]), np.array([0, 20, 50, 7])
    got = sigma0(0.2 * (i + 1), 2.5 * j, 16.0 + k, pol=pol, model=model)
    np.testing.assert_allclose(got, raw[i, j, k], rtol=1e-6)


def test_origin_spot_values():
    got = db(sigma0(10.0, [0.0, 90.0, 180.0], 36.0))
    np.testing.assert_allclose(got, [-10.50, -15.70, -11.51], atol=0.006)


def test_table_axes_and_cache():
    t = load_table("nscat4ds", "vv")
    assert isinstance(t, GmfTable)
    assert t is load_table("NSCAT4DS", "VV")
    assert t.values.shape == (250, 73, 51)
    assert t.values.dtype == np.float32 and not t.values.flags.writeable
    np.testing.assert_allclose(t.speed[[0, -1]], [0.2, 50.0])
    np.testing.assert_allclose(t.rel_dir[[0, -1]], [0.0, 180.0])
    np.testing.assert_allclose(t.incidence[[0, -1]], [16.0, 66.0])


@pytest.mark.parametrize(("model", "pol"), list(RAW))
def test_exact_at_grid_nodes(model, pol):
    t = load_table(model, pol)
    rng = np.random.default_rng(1)
    i, j, k = (rng.integers(0, n, 500) for n in t.values.shape)
    got = sigma0(t.speed[i], t.rel_dir[j], t.incidence[k], pol=pol, model=model)
    np.testing.assert_allclose(got, t.values[i, j, k], rtol=1e-6)


def test_trilinear_between_nodes():
    t = load_table("nscat4ds", "VV")
    rng = np.random.default_rng(2)
    i = rng.integers(0, 249, 200)
    j = rng.integers(0, 72, 200)
    k = rng.integers(0, 50, 200)
    a, b, c = rng.random((3, 200))
    v = t.values.astype(float)
    expect = np.zeros(200)
    for di, wi in ((0, 1 - a), (1, a)):
        for dj, wj in ((0, 1 - b), (1, b)):
            for dk, wk in ((0, 1 - c), (1, c)):
                expect += wi * wj * wk * v[i + di, j + dj, k + dk]
    got = sigma0(0.2 * (i + 1 + a), 2.5 * (j + b), 16.0 + k + c)
    np.testing.assert_allclose(got, expect, rtol=1e-9)


def test_linear_in_each_axis_midpoint():
    t = load_table("nscat4ds", "HH")
    mid = sigma0(10.1, 2.5, 30.0, pol="HH")
    assert mid == pytest.approx(0.5 * (t.values[49, 1, 14] + t.values[50, 1, 14]), rel=1e-6)


def test_calm_goes_linearly_to_zero():
    s02 = sigma0(0.2, 40.0, 40.0)
    got = sigma0([0.0, 0.05, 0.1], 40.0, 40.0)
    np.testing.assert_allclose(got, [0.0, 0.25 * s02, 0.5 * s02], rtol=1e-12)


@pytest.mark.parametrize("inc", [30.0, 40.0, 50.0])
@pytest.mark.parametrize("speed", [5.0, 10.0, 15.0])
def test_physical_azimuth_shape(speed, inc):
    up, cross, down = sigma0(speed, [0.0, 90.0, 180.0], inc)
    assert up > down > cross


@pytest.mark.parametrize(("model", "pol"), list(RAW))
@pytest.mark.parametrize("inc", [25.0, 36.0, 45.0, 55.0])
def test_monotone_in_speed(model, pol, inc):
    v = np.arange(2.0, 25.01, 0.2)
    for rd in (0.0, 45.0, 90.0, 180.0):
        s = sigma0(v, rd, inc, pol=pol, model=model)
        assert np.all(np.diff(s) > 0)


def test_hh_below_vv_at_high_incidence():
    v, r, t = np.meshgrid([4.0, 8.0, 12.0, 20.0], [0.0, 90.0, 180.0], [45.0, 50.0, 55.0, 60.0])
    assert np.all(sigma0(v, r, t, pol="HH") < sigma0(v, r, t, pol="VV"))


@settings(max_examples=60, deadline=None)
@given(
    speed=st.floats(0.0, 50.0),
    rel=st.floats(-720.0, 720.0),
    inc=st.floats(16.0, 66.0),
    pol=st.sampled_from(["VV", "HH"]),
)
def test_symmetry_of_relative_direction(speed, rel, inc, pol):
    a = sigma0(speed, rel, inc, pol=pol)
    b = sigma0(speed, 360.0 - rel, inc, pol=pol)
    c = sigma0(speed, -rel, inc, pol=pol)
    assert a == pytest.approx(b, rel=1e-9, abs=1e-15)
    assert a == pytest.approx(c, rel=1e-9, abs=1e-15)
    assert 0.0 <= fold_rel_dir(rel) <= 180.0


def test_broadcasting_shape():
    out = sigma0(np.linspace(1, 20, 5)[:, None, None], np.arange(0, 360, 45)[None, :, None], 40)
    assert out.shape == (5, 8, 1)


@pytest.mark.parametrize(
    ("kwargs", "variable", "hint"),
    [
        ({"speed": 50.5, "rel_dir": 0.0, "incidence": 40.0}, "speed", "[0, 50]"),
        ({"speed": -0.1, "rel_dir": 0.0, "incidence": 40.0}, "speed", "[0, 50]"),
        ({"speed": 5.0, "rel_dir": 0.0, "incidence": 15.0}, "incidence", "[16, 66]"),
        ({"speed": 5.0, "rel_dir": 0.0, "incidence": [40.0, 70.0]}, "incidence", "[16, 66]"),
        ({"speed": 5.0, "rel_dir": np.inf, "incidence": 40.0}, "rel_dir", "finite"),
    ],
)
def test_out_of_range_raises(kwargs, variable, hint):
    with pytest.raises(InputError, match=variable) as info:
        sigma0(**kwargs)
    assert info.value.variable == variable
    assert hint in str(info.value)


def test_unknown_model_or_pol():
    with pytest.raises(ConfigError, match="HH"):
        sigma0(5.0, 0.0, 40.0, pol="HH", model="cmod7")
    with pytest.raises(ConfigError, match="unknown"):
        load_table("cmod5", "VV")


def test_nan_propagates():
    out = sigma0([np.nan, 5.0, 5.0, 5.0], [0.0, np.nan, 0.0, 0.0], [40.0, 40.0, np.nan, 40.0])
    assert np.isnan(out[:3]).all() and np.isfinite(out[3])


def test_cmod7_vv_spot_values_differ_from_ku():
    c = db(sigma0(10.0, [0.0, 90.0], 36.0, model="cmod7"))
    k = db(sigma0(10.0, [0.0, 90.0], 36.0))
    assert np.all(np.isfinite(c)) and c[0] > c[1]
    assert not np.allclose(c, k, atol=0.1)
