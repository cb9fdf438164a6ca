"""EASE-Grid 2.0 global projection (fcspace.watercycle.ease2): published corner, round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.watercycle import ease2


def test_ease2_corner_of_the_global_grid() -> None:
    # Upper-left outer corner of the global EASE-Grid 2.0 (x, y) = (-17367530.445161372,
    # 7314540.830638504) m is (85.044566407, -180) deg: NSIDC smapease2inverse documentation
    # ("smapease2inverse(-0.5, -0.5, 'M01') returns lat = 85.044566407398861, lon = 180").
    lat, lon = ease2.ease2_inverse(np.array([-17367530.445161372]), np.array([7314540.830638504]))
    assert lat[0] == pytest.approx(85.044566407398861, abs=1e-8)
    assert lon[0] == pytest.approx(-180.0, abs=1e-8)
    lat0, lon0 = ease2.ease2_inverse(np.zeros(1), np.zeros(1))
    assert lat0[0] == 0.0 and lon0[0] == 0.0


def test_ease2_round_trip_to_1e9_degree() -> None:
    lat = np.linspace(-85.0445, 85.0445, 20001)
    lon = np.linspace(-180.0, 180.0, 20001)
    x, y = ease2.ease2_forward(lat, lon)
    lat2, lon2 = ease2.ease2_inverse(x, y)
    assert np.max(np.abs(lat2 - lat)) < 1e-9
    assert np.max(np.abs(lon2 - lon)) < 1e-9


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-85.04, 85.04, allow_nan=False),
    lon=st.floats(-180.0, 180.0, allow_nan=False),
)
def test_ease2_round_trip_property(lat: float, lon: float) -> None:
    x, y = ease2.ease2_forward(np.array([lat]), np.array([lon]))
    lat2, lon2 = ease2.ease2_inverse(x, y)
    assert abs(lat2[0] - lat) < 1e-9 and abs(lon2[0] - lon) < 1e-9
    # equal area: |y| grows with |lat|, |x| with |lon|, and never beyond the grid's extent
    assert abs(y[0]) <= 7314540.830638504 * (1 + 1e-12)
    assert abs(x[0]) <= 17367530.445161372 * (1 + 1e-12)


def test_parameters_from_cf_attributes() -> None:
    a, e, phs = ease2.ease2_parameters({})
    assert (a, e, phs) == (ease2.EASE2_A_M, ease2.EASE2_E, 30.0)
    assert e == pytest.approx(0.0818191908426, abs=1e-12)  # WGS84 first eccentricity
    a2, e2, phs2 = ease2.ease2_parameters(
        {"semi_major_axis": 6371228.0, "inverse_flattening": 1e300, "standard_parallel": 30.0}
    )
    assert a2 == 6371228.0 and e2 < 1e-100 and phs2 == 30.0
