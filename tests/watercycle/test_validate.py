import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.watercycle.retrieve import FLAGS
from fcspace.watercycle.validate import validate_product


def _product(offset: float) -> xr.Dataset:
    dims = ("lat", "lon")
    land = np.zeros((4, 4), bool)
    land[:, 2:] = True
    truth = np.full((4, 4), 0.2)
    flags = np.where(land, FLAGS["land"], FLAGS["sea"]).astype(np.int16)
    return xr.Dataset({
        "soil_moisture": (dims, np.where(land, truth + offset, np.nan)),
        "truth_soil_moisture": (dims, truth),
        "optical_depth": (dims, np.where(land, 0.1, np.nan)),
        "truth_optical_depth": (dims, np.full((4, 4), 0.1)),
        "sss": (dims, np.where(land, np.nan, 35.0 - offset)),
        "truth_sss": (dims, np.full((4, 4), 35.0)),
        "flags": (dims, flags),
    })  # fmt: skip


def test_constant_offset_gives_bias_and_rmse():
    s = validate_product(_product(0.01))
    assert s["soil_moisture"]["open"]["n"] == 8
    assert s["soil_moisture"]["open"]["bias"] == pytest.approx(0.01)
    assert s["soil_moisture"]["open"]["rmse"] == pytest.approx(0.01)
    assert s["sss"]["open"]["bias"] == pytest.approx(-0.01)
    assert s["optical_depth"]["open"]["rmse"] == pytest.approx(0.0)
    assert s["sss"]["coast"]["n"] == 0


def test_missing_variable_is_named():
    with pytest.raises(InputError) as err:
        validate_product(_product(0.0).drop_vars("truth_sss"))
    assert err.value.variable == "truth_sss"
