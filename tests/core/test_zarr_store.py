"""Zarr stores of gridded products: atomic writes, appends along time, refusals, roll-back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.zarr_store import append_zarr, is_zarr_store, open_zarr, write_zarr

DAYS = np.arange("2021-03-01", "2021-03-09", dtype="datetime64[D]").astype("datetime64[ns]")
RNG = np.random.default_rng(7)
FIELD = RNG.normal(8.0, 3.0, (DAYS.size, 6, 9)).astype(np.float32)
COUNT = RNG.integers(0, 20, (DAYS.size, 6, 9)).astype(np.int32)


def _days(i: int, j: int) -> xr.Dataset:
    return xr.Dataset(
        {"wind_speed": (("time", "lat", "lon"), FIELD[i:j], {"units": "m s-1"}),
         "wind_count": (("time", "lat", "lon"), COUNT[i:j])},
        coords={"time": DAYS[i:j], "lat": np.linspace(-50, 50, 6), "lon": np.arange(9.0) * 40},
        attrs={"title": "test grid"},
    )  # fmt: skip


def test_appends_equal_one_write(tmp_path: Path) -> None:
    store = tmp_path / "l3.zarr"
    for i in range(DAYS.size):
        append_zarr(_days(i, i + 1), store)
    assert is_zarr_store(store)
    back = open_zarr(store)
    assert back["wind_speed"].encoding["preferred_chunks"]["time"] == 1  # one step per chunk
    xr.testing.assert_identical(back.load(), _days(0, DAYS.size))
    whole = write_zarr(_days(0, DAYS.size), tmp_path / "whole.zarr")
    xr.testing.assert_identical(open_zarr(whole).load(), back.load())


def test_append_refuses_overlaps_and_mismatches(tmp_path: Path) -> None:
    store = write_zarr(_days(0, 4), tmp_path / "l3.zarr")
    with pytest.raises(InputError, match="l3.zarr.*follow the store's last"):
        append_zarr(_days(3, 5), store)
    with pytest.raises(InputError, match="variables differ"):
        append_zarr(_days(4, 5).drop_vars("wind_count"), store)
    moved = _days(4, 5).assign_coords(lat=np.linspace(-40, 60, 6))
    with pytest.raises(InputError, match="grid differs"):
        append_zarr(moved, store)
    assert open_zarr(store).sizes["time"] == 4  # nothing was written


def test_failed_append_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch) -> None:
    store = write_zarr(_days(0, 3), tmp_path / "l3.zarr")
    before = open_zarr(store).load()

    def broken(self, *args, **kwargs):  # the write dies after the store has grown
        import zarr

        group = zarr.open_group(str(store), mode="r+")
        group["wind_speed"].resize((5, 6, 9))
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_zarr", broken)
    with pytest.raises(OSError, match="disk full"):
        append_zarr(_days(3, 5), store)
    monkeypatch.undo()
    xr.testing.assert_identical(open_zarr(store).load(), before)


def test_write_replaces_only_a_store_and_only_when_complete(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"x")
    with pytest.raises(InputError, match="not a Zarr store"):
        write_zarr(_days(0, 2), folder)
    assert (folder / "a.png").exists()
    store = write_zarr(_days(0, 2), tmp_path / "l3.zarr")
    write_zarr(_days(2, 5), store)
    assert open_zarr(store).sizes["time"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l3.zarr", "photos"]  # no temporaries
    with pytest.raises(InputError, match="not a Zarr store"):
        open_zarr(folder)


def test_fill_missing_adds_the_store_variables_empty(tmp_path: Path) -> None:
    store = write_zarr(_days(0, 2), tmp_path / "l3.zarr")
    append_zarr(_days(2, 3).drop_vars("wind_count"), store, fill_missing=True)
    back = open_zarr(store).load()
    assert back.sizes["time"] == 3
    assert int(back["wind_count"].isel(time=2).sum()) == 0  # an absent count: zero, not junk
    xr.testing.assert_equal(back["wind_speed"].isel(time=2), _days(2, 3)["wind_speed"].isel(time=0))
    with pytest.raises(InputError, match="not in the store"):
        append_zarr(_days(3, 4).assign(extra=_days(3, 4)["wind_speed"]), store, fill_missing=True)
