"""SCAT simulator and processor over land: no ocean wind there, every land cell flagged."""

from __future__ import annotations

import numpy as np
import pytest

from fcspace.cfosat.scat.inversion import QUAL_LAND
from fcspace.cfosat.scat.io import open_l2b, write_l2b
from fcspace.cfosat.scat.process import l1b_to_l2b
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.core.landmask import is_land


@pytest.fixture(scope="module")
def coast():
    """An ascending segment from the Atlantic off Portugal over Iberia and France."""
    l1b = simulate_orbit_segment(120, "synoptic", seed=3, start_lat=36.0, start_lon=-8.0)
    return l1b, l1b_to_l2b(l1b)


def test_land_cells_have_no_wind_and_are_all_flagged(coast) -> None:
    l1b, l2b = coast
    land = l1b["land_fraction"].values > 0
    assert 500 < land.sum() < land.size - 500  # both land and sea in the segment
    assert np.isnan(l1b["sigma0"].values[land]).all()
    assert np.isnan(l1b["truth_speed"].values[land]).all()
    q = l2b["wvc_quality"].values
    spd = l2b["wind_speed_selection"].values
    assert np.isfinite(spd[land]).sum() == 0  # no wind over land
    assert ((q[land] & QUAL_LAND) > 0).all()  # every land cell flagged
    assert not ((q[~land] & QUAL_LAND) > 0).any()  # no sea cell flagged land
    assert np.isfinite(spd[~land]).mean() > 0.99  # the sea is retrieved


def test_cell_centres_on_land_are_land_cells(coast) -> None:
    l1b, _ = coast
    centre_on_land = is_land(l1b["wvc_lat"].values, l1b["wvc_lon"].values)
    assert (l1b["land_fraction"].values[centre_on_land] > 0).all()


def test_land_flag_survives_the_product(coast, tmp_path) -> None:
    _, l2b = coast
    back = open_l2b(write_l2b(l2b, tmp_path / "coast_L2B.nc"))
    assert "land" in back["wvc_quality"].attrs["flag_meanings"].split()
    np.testing.assert_array_equal(back["wvc_quality"].values, l2b["wvc_quality"].values)


def test_land_can_be_switched_off() -> None:
    l1b = simulate_orbit_segment(40, "synoptic", seed=3, start_lat=36.0, start_lon=-8.0, land=False)
    assert np.isfinite(l1b["truth_speed"].values).all()
    assert (l1b["land_fraction"].values == 0).all()
