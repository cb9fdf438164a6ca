"""Layout assertions: every problem listed, optional variables only checked when present."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import product_specs as ps
from fcspace.testing import (
    Expected,
    assert_layout,
    assert_scat_l2b_layout,
    assert_swim_l2_layout,
    scat_l2b_layout,
    swim_l2_layout,
)
from fcspace.testing.data import require_shared

SPEC = {
    "speed": Expected(("row", "cell"), "m s-1", "wind_speed"),
    "quality": {"dims": ("row", "cell"), "required": False},
}


def _ds(**attrs) -> xr.Dataset:
    return xr.Dataset({"speed": (("row", "cell"), np.ones((2, 3)), attrs)})


def test_matching_dataset_passes() -> None:
    assert_layout(_ds(units="m s-1", standard_name="wind_speed"), SPEC)


def test_every_problem_is_listed() -> None:
    ds = _ds(units="knots").transpose("cell", "row")
    ds["quality"] = ("row", [0, 1])
    with pytest.raises(AssertionError) as err:
        assert_layout(ds, SPEC | {"direction": Expected()})
    text = str(err.value)
    assert "'speed': dims ('cell', 'row'), expected ('row', 'cell')" in text
    assert "'speed': units 'knots', expected 'm s-1'" in text
    assert "'speed': standard_name None, expected 'wind_speed'" in text
    assert "'quality': dims ('row',)" in text
    assert "'direction': missing" in text


def test_product_tables_come_from_the_specs() -> None:
    scat = scat_l2b_layout()
    assert scat["wvc_lat"] == Expected(("numrows", "numcells"), "degrees_north", "latitude")
    assert scat["row_time"].dims == ("numrows",) and scat["row_time"].required
    assert not scat["model_speed"].required
    swim = swim_l2_layout()
    assert set(swim) == set(ps.FCSPACE_L2.variables)
    assert swim["beam_incidence"].required
    assert "beam_incidence" not in swim_l2_layout(ps.AVISO_L2P)  # full L2 only


def test_scat_assertion_lists_missing_variables() -> None:
    with pytest.raises(AssertionError, match="'wvc_lat': missing"):
        assert_scat_l2b_layout(xr.Dataset())


@pytest.mark.shared_data
def test_real_l2p_has_the_aviso_layout() -> None:
    from fcspace.cfosat.swim.io import open_l2p

    path = require_shared(
        "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc"
    )
    assert_swim_l2_layout(open_l2p(path), ps.AVISO_L2P)
