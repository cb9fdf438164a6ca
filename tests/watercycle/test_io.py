"""Readers of the real SMOS/SMAP files and the water-cycle product writer (fcspace.watercycle.io).

Facts checked against ../shared/data/watercycle/ORIGIN.md (measured there with netCDF4/h5py);
bad-input cases on tiny synthetic files written into tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.testing import require_shared
from fcspace.watercycle import io
from fcspace.watercycle.product_specs import SMAP_L2B_SSS

L2B = "watercycle/smap_l2b_sss/not_empty_smap.h5"
SMOS = "watercycle/smos_l2_sm/SM_OPER_MIR_SMUDP2_20230401T150613_20230401T155931_700_001_1.nc"
L4 = "watercycle/smap_l4_sm/SMAP_L4_SM_aup_input.h5"


# --------------------------------------------------------------------------------------------
# SMAP L2B SSS
# --------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_smap_l2b_facts_of_origin() -> None:
    ds = io.open_smap_l2b_sss(require_shared(L2B))
    assert ds.sizes == {"cross_track": 76, "along_track": 2, "ambiguity": 4}
    cells = ds["smap_sss"].notnull()
    assert int(cells.sum()) == 86
    on = ds.where(cells)
    assert float(on["smap_sss"].mean()) == pytest.approx(36.59, abs=0.005)
    assert float(on["smap_sss"].min()) == pytest.approx(32.52, abs=0.005)
    assert float(on["anc_sss"].mean()) == pytest.approx(33.84, abs=0.005)
    assert float(on["anc_sst"].mean()) == pytest.approx(278.86, abs=0.005)
    assert float(on["anc_spd"].mean()) == pytest.approx(16.8, abs=0.05)
    assert float(on["tb_v_fore"].mean()) == pytest.approx(117.62, abs=0.005)
    assert float(on["tb_h_fore"].mean()) == pytest.approx(78.47, abs=0.005)
    assert float(on["inc_fore"].mean()) == pytest.approx(40.09, abs=0.005)
    nedt = on["nedt_v_fore"]
    assert float(nedt.min()) == pytest.approx(0.18, abs=0.005)
    assert float(nedt.max()) == pytest.approx(0.64, abs=0.005)
    # fill -9999 is NaN, never a value; units and names as in the file
    assert not (ds["tb_v_fore"] == -9999).any()
    assert ds["anc_sst"].attrs["units"] == "Degrees kelvin"
    assert ds["lat"].dims == ("cross_track", "along_track")
    lat = on["lat"].values
    assert np.nanmin(lat) > -50.5 and np.nanmax(lat) < -47.5  # Southern Ocean, 50-48 S
    assert ds["quality_flag"].dtype == np.uint16
    # time: revolution 865 starts 2015-090 (31 March) 16:31:44; rows a few minutes later
    t = ds["time"].values
    assert t.dtype == np.dtype("datetime64[ns]")
    assert np.all(t >= np.datetime64("2015-03-31T16:31:44"))
    assert np.all(t < np.datetime64("2015-03-31T18:10:11"))
    assert ds.attrs["REV_START_YEAR"] == 2015 and ds.attrs["TB_CRID"] == "R13080"


def _tiny_l2b(path: Path, drop: str | None = None, units: dict[str, str] | None = None) -> Path:
    """A 3 x 2 L2B-like HDF5 file after the SMAP_L2B_SSS table (fill in one cell)."""
    units = units or {}
    with h5py.File(path, "w") as f:
        f.attrs["REV_START_YEAR"] = np.array([2015], np.int32)
        f.attrs["REV_START_DAY_OF_YEAR"] = np.array([365], np.int32)
        f.attrs["REV_START_TIME"] = np.bytes_("2015-365T23:50:00.000")
        for var in SMAP_L2B_SSS.variables:
            if var.name == drop:
                continue
            shape = {"cross_track": 3, "along_track": 2, "ambiguity": 4}
            dims = tuple(shape[d] for d in var.dims)
            if var.name == "row_time":
                data = np.array([86390.0, 5.0], np.float32)  # crosses midnight
            elif var.fill == -9999.0:
                data = np.full(dims, 20.0, np.float32)
                data[0, 0, ...] = -9999.0
            else:
                data = np.ones(dims, np.uint16 if var.name == "quality_flag" else np.uint8)
            d = f.create_dataset(var.name, data=data)
            if var.units is not None:
                d.attrs["units"] = np.bytes_(units.get(var.name, var.units))
    return path


def test_smap_l2b_tiny_file_fill_and_midnight(tmp_path: Path) -> None:
    ds = io.open_smap_l2b_sss(_tiny_l2b(tmp_path / "l2b.h5"))
    assert np.isnan(ds["tb_v_fore"].values[0, 0])
    assert ds["tb_v_fore"].values[1, 1] == 20.0
    t = ds["time"].values
    assert t[0] == np.datetime64("2015-12-31T23:59:50", "ns")
    assert t[1] == np.datetime64("2016-01-01T00:00:05", "ns")  # the row after midnight


def test_smap_l2b_missing_variable_is_named(tmp_path: Path) -> None:
    path = _tiny_l2b(tmp_path / "l2b.h5", drop="anc_sst")
    with pytest.raises(InputError, match="anc_sst") as err:
        io.open_smap_l2b_sss(path)
    assert err.value.variable == "anc_sst" and err.value.path == str(path)


def test_smap_l2b_other_units_refused(tmp_path: Path) -> None:
    path = _tiny_l2b(tmp_path / "l2b.h5", units={"anc_sst": "Degrees celsius"})
    with pytest.raises(InputError, match="units") as err:
        io.open_smap_l2b_sss(path)
    assert err.value.variable == "anc_sst"


def _truncate(src: Path, dst: Path, keep: float = 0.6) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


@pytest.mark.parametrize("opener", ["open_smap_l2b_sss", "open_smap_l4_sm", "open_smos_l2_sm"])
def test_every_reader_refuses_missing_not_hdf5_and_truncated(tmp_path: Path, opener: str) -> None:
    read = getattr(io, opener)
    with pytest.raises(InputError, match="no such file") as err:
        read(tmp_path / "absent.h5")
    assert err.value.path == str(tmp_path / "absent.h5")
    text = tmp_path / "text.h5"
    text.write_text("not a product\n")
    with pytest.raises(InputError, match="not a NetCDF"):
        read(text)
    full = _tiny_l2b(tmp_path / "l2b.h5")
    cut = _truncate(full, tmp_path / "cut.h5")
    with pytest.raises(InputError, match="truncated") as err:
        read(cut)
    assert err.value.path == str(cut)


def test_byte_flip_in_superblock_is_refused(tmp_path: Path) -> None:
    full = _tiny_l2b(tmp_path / "l2b.h5")
    data = bytearray(full.read_bytes())
    data[1] ^= 0xFF  # the HDF5 signature
    bad = tmp_path / "flip.h5"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a NetCDF"):
        io.open_smap_l2b_sss(bad)
    data = bytearray(full.read_bytes())
    assert data[8] == 0  # superblock version 0: end-of-file address at bytes 40-47
    data[43] ^= 0x01  # the address grows by 16 MiB: the file now looks cut
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="truncated"):
        io.open_smap_l2b_sss(bad)
