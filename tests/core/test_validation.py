"""The generic validation layer: rules as data, masking and counting, refusals naming the file."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import ConfigError, InputError
from fcspace.core.validation import (
    MASKED_ATTR,
    NOW_PLUS_ONE_YEAR,
    ProductRules,
    VariableRule,
    apply_rules,
    check_monotonic,
    check_packing,
    check_range,
    file_valid_range,
    masked_counts,
)

DIMS = ("row", "cell")
RULES = ProductRules(
    "test product",
    (
        VariableRule("lat", -90, 90, dims=DIMS, required=True, refuse_all_fill=True,
                     also_mask=("lon",)),
        VariableRule("lon", -180, 360, dims=DIMS, required=True, refuse_all_fill=True),
        VariableRule("speed", 0, 50, dims=DIMS),
        VariableRule("sel", 1, 4, fill=0, dims=DIMS),
        VariableRule("time", "2018-10-29", NOW_PLUS_ONE_YEAR, dims=("row",), action="refuse",
                     monotonic=True),
    ),
    flag_variable="flag_out_of_range",
    flag_dims=DIMS,
)


def _ds(rows: int = 3, cells: int = 4) -> xr.Dataset:
    lat = np.linspace(-10, 10, rows * cells).reshape(rows, cells)
    return xr.Dataset(
        {
            "lat": (DIMS, lat),
            "lon": (DIMS, lat + 100.0),
            "speed": (DIMS, np.full((rows, cells), 7.0)),
            "sel": (DIMS, np.ones((rows, cells), np.int8)),
            "time": (("row",), np.datetime64("2021-08-01T03:00", "ns")
                     + np.arange(rows) * np.timedelta64(1, "s")),
        }
    )


def test_clean_dataset_is_returned_unchanged() -> None:
    ds = _ds()
    out = apply_rules(ds, RULES, "f.nc")
    assert out is ds
    assert MASKED_ATTR not in out.attrs and "flag_out_of_range" not in out
    assert masked_counts(out) == {}


def test_out_of_range_values_are_masked_counted_and_flagged() -> None:
    ds = _ds()
    ds["speed"].values[0, 1] = -5.0
    ds["speed"].values[2, 3] = 300.0
    ds["lat"].values[1, 2] = -133.49
    ds["sel"].values[0, 0] = 9
    out = apply_rules(ds, RULES, "f.nc")
    assert masked_counts(out) == {"speed": 2, "lat": 1, "sel": 1}
    assert np.isnan(out["speed"].values[0, 1]) and np.isnan(out["speed"].values[2, 3])
    assert np.isnan(out["lat"].values[1, 2]) and np.isnan(out["lon"].values[1, 2])
    assert out["sel"].values[0, 0] == 0 and out["sel"].dtype == np.int8
    assert out.attrs[MASKED_ATTR] == "lat: 1, speed: 2, sel: 1"
    assert out["flag_out_of_range"].values.sum() == 4
    assert out["flag_out_of_range"].values[1, 2]
    # the input is not modified
    assert ds["speed"].values[0, 1] == -5.0 and ds["lat"].values[1, 2] == -133.49
    # other values are untouched
    keep = ~out["flag_out_of_range"].values
    np.testing.assert_array_equal(out["speed"].values[keep], ds["speed"].values[keep])


def test_infinities_are_out_of_range() -> None:
    ds = _ds()
    ds["speed"].values[0, 0] = np.inf
    assert masked_counts(apply_rules(ds, RULES)) == {"speed": 1}


@pytest.mark.parametrize(
    ("time", "match"),
    [("1963-05-01", "1 value"), ("2200-01-01", "1 value"), ("2015-01-01", "outside the valid")],
)
def test_times_outside_the_mission_are_refused(time: str, match: str) -> None:
    ds = _ds()
    ds["time"].values[1] = np.datetime64(time, "ns")
    with pytest.raises(InputError, match=match) as err:
        apply_rules(ds, RULES, "/data/x.nc")
    assert err.value.path == "/data/x.nc" and err.value.variable == "time"
    assert str(err.value).startswith("/data/x.nc: variable 'time'")


def test_times_out_of_order_are_refused_fills_skipped() -> None:
    ds = _ds(rows=4)
    ds["time"].values[1] = np.datetime64("NaT")
    apply_rules(ds, RULES, "x.nc")  # NaT ignored
    ds["time"].values[3] = ds["time"].values[0] - np.timedelta64(1, "s")
    with pytest.raises(InputError, match="1 step\\(s\\) backwards") as err:
        apply_rules(ds, RULES, "x.nc")
    assert err.value.variable == "time"


def test_all_fill_coordinates_are_refused() -> None:
    ds = _ds()
    ds["lat"].values[:] = np.nan
    with pytest.raises(InputError, match="no valid value in 12") as err:
        apply_rules(ds, RULES, "x.nc")
    assert err.value.variable == "lat"
    ds = _ds()
    ds["lon"].values[:] = 1e6  # all out of range is as bad as all fill
    with pytest.raises(InputError, match="no valid value"):
        apply_rules(ds, RULES, "x.nc")


def test_missing_required_variable_and_wrong_dims() -> None:
    with pytest.raises(InputError, match="missing variable") as err:
        apply_rules(_ds().drop_vars("lon"), RULES, "x.nc")
    assert err.value.variable == "lon"
    ds = _ds()
    ds["speed"] = ds["speed"].transpose("cell", "row")
    with pytest.raises(InputError, match="dims") as err:
        apply_rules(ds, RULES, "x.nc")
    assert err.value.variable == "speed"
    assert apply_rules(_ds().drop_vars("speed"), RULES) is not None  # optional: absent is fine


def test_file_valid_range_unpacks_packed_bounds() -> None:
    nsoas = {"valid_min": np.int16(-9000), "valid_max": np.int16(9000),
             "scale_factor": np.float64(np.float32(0.01))}
    assert file_valid_range(nsoas) == (-90.0, 90.0)
    assert file_valid_range({"valid_range": np.array([0.0, 100.0], np.float32)}) == (0.0, 100.0)
    assert file_valid_range({"valid_min": "2000-01-01T00:00:00Z"}) == ("2000-01-01T00:00:00Z", None)
    assert file_valid_range({"valid_max": np.float32(np.nan)}) == (None, None)
    assert file_valid_range({}) == (None, None)


def test_with_file_ranges_replaces_the_physical_range() -> None:
    rules = RULES.with_file_ranges({"speed": {"valid_min": 0.0, "valid_max": 20.0}})
    assert (rules["speed"].lo, rules["speed"].hi) == (0.0, 20.0)
    assert rules["lat"].hi == 90
    ds = _ds()
    ds["speed"].values[0, 0] = 30.0
    assert masked_counts(apply_rules(ds, rules)) == {"speed": 1}
    assert masked_counts(apply_rules(ds, RULES)) == {}


@pytest.mark.parametrize("scale", [0.0, np.nan, np.inf, "abc"])
def test_impossible_scale_factor_is_refused(scale: object) -> None:
    raw = xr.Dataset({"wvc_lat": ("x", np.zeros(3, np.int16), {"scale_factor": scale})})
    with pytest.raises(InputError, match="impossible scale_factor") as err:
        check_packing(raw, "l2b.nc")
    assert err.value.path == "l2b.nc" and err.value.variable == "wvc_lat"


def test_valid_packing_passes() -> None:
    raw = xr.Dataset({"v": ("x", np.zeros(3, np.int16), {"scale_factor": 0.01, "add_offset": 0})})
    check_packing(raw, "ok.nc")
    raw["v"].attrs["add_offset"] = np.nan
    with pytest.raises(InputError, match="add_offset"):
        check_packing(raw, "ok.nc")


def test_check_range() -> None:
    assert check_range("incidence", 40, 0, 90) == 40.0
    for bad in (200, -1, np.nan, np.inf, "abc", None):
        with pytest.raises(ConfigError, match="incidence"):
            check_range("incidence", bad, 0, 90)
    with pytest.raises(InputError, match="f.fits: variable 'TSTART'") as err:
        check_range("TSTART", "abc", error=InputError, path="f.fits")
    assert err.value.path == "f.fits"


def test_check_monotonic_on_2d_rows() -> None:
    t = np.array([[0.0, 1.0], [np.nan, 2.0], [3.0, 4.0]])
    check_monotonic(t, "time", "f.nc")
    t[2, 0] = -1.0
    with pytest.raises(InputError, match="backwards"):
        check_monotonic(t, "time", "f.nc")


def test_bad_action_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        VariableRule("x", action="ignore")


_values = st.lists(
    st.one_of(st.floats(-1e3, 1e3), st.sampled_from([np.nan, np.inf, -np.inf])),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(_values, st.floats(-100, 0), st.floats(0, 100))
def test_masked_count_equals_number_out_of_range(values: list[float], lo: float, hi: float) -> None:
    v = np.array(values)
    ds = xr.Dataset({"x": (("n",), v)})
    rules = ProductRules("p", (VariableRule("x", lo, hi),))
    out = apply_rules(ds, rules)
    expected = int((~np.isnan(v) & ~((v >= lo) & (v <= hi))).sum())
    assert masked_counts(out).get("x", 0) == expected
    ok = (v >= lo) & (v <= hi)
    np.testing.assert_array_equal(out["x"].values[ok], v[ok])  # in-range data unchanged
    assert np.isnan(out["x"].values[~ok]).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-128, 127), min_size=1, max_size=60))
def test_integer_rule_masks_to_fill(values: list[int]) -> None:
    v = np.array(values, np.int8)
    out = apply_rules(
        xr.Dataset({"sel": (("n",), v)}),
        ProductRules("p", (VariableRule("sel", 1, 4, fill=0),)),
    )
    bad = (v != 0) & ((v < 1) | (v > 4))
    assert masked_counts(out).get("sel", 0) == int(bad.sum())
    np.testing.assert_array_equal(out["sel"].values, np.where(bad, 0, v))
    assert out["sel"].dtype == np.int8
