"""``xr.open_dataset(path, engine="fcspace")`` equals the mission's own ``open_*`` on every file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.registry import load, product_readers
from fcspace.core.xarray_backend import FcspaceBackendEntrypoint, detect_product
from fcspace.testing.data import shared_file
from fcspace.testing.fakes import fake_products

#: every real NetCDF/HDF5 file of ../shared/data, with the product it must be detected as
REAL = {
    "cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc": "scat_l2b",
    "cfosat/ascat_l2/ascat_20210705_000600_metopc_13795_eps_o_250_3203_ovw.l2.nc": "knmi_l2",
    "cfosat/swim_l2p/CFO_OP05_SWI_L2PBOX_F_20220226T173014_20220226T174953.nc": "swim_l2",
    "watercycle/smos_l2_sm/SM_OPER_MIR_SMUDP2_20230401T150613_20230401T155931_700_001_1.nc":
        "smos_l2_sm",
    "watercycle/smap_l2b_sss/not_empty_smap.h5": "smap_l2b_sss",
    "watercycle/smap_l4_sm/SMAP_L4_SM_aup_input.h5": "smap_l4_sm",
}  # fmt: skip

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", re.M)


def _same(a: xr.Dataset, b: xr.Dataset) -> None:
    """Identical, except the time stamps of the ``history`` lines each read adds."""
    a, b = a.copy(), b.copy()
    ha, hb = a.attrs.pop("history", ""), b.attrs.pop("history", "")
    assert _STAMP.sub("", str(ha)) == _STAMP.sub("", str(hb))
    xr.testing.assert_identical(a, b)


def _check(path: Path, product: str) -> None:
    reader = detect_product(path)
    assert reader.name == product
    opened = xr.open_dataset(path, engine="fcspace")
    assert opened.encoding["fcspace_product"] == product
    _same(opened, load(reader.open)(path))


@pytest.mark.shared_data
@pytest.mark.parametrize("relpath", sorted(REAL))
def test_real_files_open_as_their_reader_does(relpath: str) -> None:
    _check(shared_file(relpath), REAL[relpath])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("products")
    out = fake_products(d)
    from fcspace.cfosat.scat.io import write_l1b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment

    out["scat_l1b"] = write_l1b(simulate_orbit_segment(4, "synoptic", seed=1), d / "s_L1B.nc")
    return out


@pytest.mark.parametrize(
    ("kind", "product"),
    [("scat_l2b", "scat_l2b"), ("scat_l1b", "scat_l1b"), ("swim_l2", "swim_l2"),
     ("dorn_spectra", "dorn"), ("dorn_fits", "dorn"), ("grm_events", "grm_events"),
     ("l3_grid", "l3_grid")],
)  # fmt: skip
def test_made_products_open_as_their_reader_does(made: dict, kind: str, product: str) -> None:
    if made[kind].suffix not in (".nc", ".nc4"):
        pytest.skip(f"{made[kind].name}: not a NetCDF product")
    _check(made[kind], product)


def test_every_registered_reader_is_importable() -> None:
    readers = product_readers()
    assert len({r.name for r in readers}) == len(readers) >= 12
    for r in readers:
        assert callable(load(r.open))


def test_unknown_and_non_netcdf_files_fail_clearly(tmp_path: Path) -> None:
    other = tmp_path / "other.nc"
    xr.Dataset({"x": ("t", [1.0, 2.0])}).to_netcdf(other)
    with pytest.raises(InputError, match=r"other\.nc.*not a product that fcspace reads"):
        xr.open_dataset(other, engine="fcspace")
    text = tmp_path / "notes.nc"
    text.write_text("not netcdf")
    with pytest.raises(InputError, match=r"notes\.nc.*not a NetCDF or HDF5 file"):
        xr.open_dataset(text, engine="fcspace")
    entry = FcspaceBackendEntrypoint()
    assert not entry.guess_can_open(other) and not entry.guess_can_open(text)
    assert not entry.guess_can_open(tmp_path / "missing.nc")


def test_drop_variables(made: dict) -> None:
    ds = xr.open_dataset(made["l3_grid"], engine="fcspace", drop_variables=["wind_speed"])
    assert "wind_speed" not in ds and "eastward_wind" in ds
