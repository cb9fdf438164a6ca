"""Land/sea mask and coastlines (fcspace.core.landmask) against known geography."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.landmask import coastline_grid, draw_coastlines, is_land, land_fraction
from fcspace.core.plots import new_figure

PLACES = [  # (lat, lon, land?)
    (48.85, 2.35, True),  # Paris
    (35.68, 139.70, True),  # Tokyo
    (-33.87, 151.0, True),  # Sydney (inland suburbs)
    (-80.0, 30.0, True),  # Antarctic plateau
    (40.0, -30.0, False),  # mid-Atlantic
    (0.0, -140.0, False),  # equatorial Pacific
    (-40.0, 80.0, False),  # southern Indian Ocean
    (35.0, 18.0, False),  # Ionian Sea (Mediterranean)
    (42.0, 50.0, True),  # Caspian Sea: an ocean mask counts inland seas and lakes as land
]


@pytest.mark.parametrize(("lat", "lon", "land"), PLACES)
def test_known_places(lat: float, lon: float, land: bool) -> None:
    assert bool(is_land(lat, lon)) is land
    assert bool(is_land(lat, lon % 360.0)) is land  # either longitude convention


def test_land_covers_29_percent_of_the_earth() -> None:
    # 29.2 % of the Earth's surface is land (e.g. CIA World Factbook, "World: Geography");
    # an equal-area sample of the table must agree to half a percent
    rng = np.random.default_rng(0)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, 2_000_000)))
    lon = rng.uniform(-180.0, 180.0, lat.size)
    assert is_land(lat, lon).mean() == pytest.approx(0.292, abs=0.005)


def test_nan_positions_and_bad_latitudes() -> None:
    frac = land_fraction([np.nan, 10.0], [0.0, np.nan])
    assert np.isnan(frac).all()
    assert not is_land(np.nan, 0.0)
    with pytest.raises(ValueError, match="latitude"):
        land_fraction(91.0, 0.0)


@settings(max_examples=50, deadline=None)
@given(st.floats(-90, 90), st.floats(-720, 720))
def test_fraction_in_unit_interval_and_periodic(lat: float, lon: float) -> None:
    f = land_fraction(lat, lon)
    assert 0.0 <= f <= 1.0
    assert land_fraction(lat, lon + 360.0) == f


def test_coastline_drawn_where_the_coast_is() -> None:
    # the Bay of Biscay: the French Atlantic coast runs near 1.2-1.5 deg W at 44-46 deg N
    lon, lat, frac = coastline_grid((-6.0, 2.0), (43.0, 48.0))
    row = frac[np.argmin(np.abs(lat - 45.0))]
    crossing = lon[np.flatnonzero(np.diff((row >= 0.5).astype(int)) == 1)]
    assert crossing.size and np.min(np.abs(crossing + 1.2)) < 0.4
    fig, ax = new_figure()
    ax.set_xlim(-6, 2)
    ax.set_ylim(43, 48)
    cs = draw_coastlines(ax)
    assert cs is not None and sum(len(p) for p in cs.allsegs[0]) > 50
    assert ax.get_xlim() == (-6.0, 2.0)  # the map keeps its extent


def test_open_ocean_has_no_coastline() -> None:
    fig, ax = new_figure()
    ax.set_xlim(-130, -120)  # South Pacific, 2000 km from the nearest island
    ax.set_ylim(-45, -35)
    cs = draw_coastlines(ax)
    assert not any(len(seg) for seg in cs.allsegs[0])
