"""Issue 14: impossible SWIM values are masked, flagged and counted, or refused naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import netCDF4
import numpy as np
import pytest

from fcspace.cfosat.swim import io
from fcspace.core.errors import InputError
from fcspace.core.validation import MASKED_ATTR, masked_counts
from fcspace.testing import require_shared

L2P = "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc"


def _edit(dst: Path, name: str, index, value, attr: str | None = None) -> Path:
    shutil.copy(require_shared(L2P), dst)
    with netCDF4.Dataset(dst, "r+") as nc:
        if attr:
            nc[name].setncattr(attr, value)
        else:
            nc[name].set_auto_maskandscale(False)
            nc[name][index] = value
    return dst


@pytest.mark.shared_data
def test_real_l2p_has_nothing_masked() -> None:
    ds = io.open_l2p(require_shared(L2P))
    assert masked_counts(ds) == {} and MASKED_ATTR not in ds.attrs


@pytest.mark.shared_data
def test_negative_swh_is_masked_flagged_and_counted(tmp_path: Path) -> None:
    good = io.open_l2p(require_shared(L2P))
    box = int(np.flatnonzero(np.isfinite(good["nadir_swh_box"].values))[0])
    ds = io.open_l2p(_edit(tmp_path / "swh.nc", "nadir_swh_box", box, -3.0))
    assert masked_counts(ds) == {"nadir_swh_box": 1}
    assert np.isnan(ds["nadir_swh_box"].values[box])
    assert ds["flag_valid_swh_box"].values[box] == 1 and good["flag_valid_swh_box"].values[box] == 0
    assert io.l2_summary(ds)["boxes_with_valid_nadir_swh"] == 39
    assert io.l2_summary(ds)["nadir_swh"]["min"] >= 0


@pytest.mark.shared_data
def test_latitude_200_is_masked_with_its_longitude(tmp_path: Path) -> None:
    ds = io.open_l2p(_edit(tmp_path / "lat.nc", "lat_spec_l2", (0, 5), 200.0))
    assert masked_counts(ds) == {"lat_spec_l2": 1}
    assert np.isnan(ds["lon_spec_l2"].values[0, 5])


@pytest.mark.shared_data
def test_wave_number_axis_out_of_range_is_refused(tmp_path: Path) -> None:
    bad = _edit(tmp_path / "k.nc", "k_spectra", 3, -1.0)
    with pytest.raises(InputError, match="not what it claims") as err:
        io.open_l2p(bad)
    assert err.value.path == str(bad) and err.value.variable == "k_spectra"
