"""Each fake product is written by the real writer and read back by the real reader."""

from __future__ import annotations

import numpy as np
import pytest

from fcspace.testing import (
    NAMES,
    assert_dorn_layout,
    assert_events_layout,
    assert_scat_l2b_layout,
    assert_swim_l2_layout,
    fake_dorn_spectra,
    fake_products,
)


@pytest.fixture(scope="module")
def fakes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fakes")
    return folder, fake_products(folder, seed=1)


def test_every_fake_is_written_once_under_its_name(fakes) -> None:
    folder, paths = fakes
    assert set(paths) == set(NAMES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES.values())  # no leftovers


def test_scat_l2b_reads_back(fakes) -> None:
    from fcspace.cfosat.scat.io import open_l2b

    ds = open_l2b(fakes[1]["scat_l2b"])
    assert_scat_l2b_layout(ds)
    assert ds.sizes["numrows"] == 8 and np.isfinite(ds["wind_speed_selection"]).any()


def test_swim_l2_reads_back(fakes) -> None:
    from fcspace.cfosat.swim.io import open_l2, open_swim

    ds = open_l2(fakes[1]["swim_l2"])
    assert_swim_l2_layout(ds)
    assert ds.sizes["n_box"] == 2 and "pp_mean" in open_swim(fakes[1]["swim_l2"])


def test_l3_grid_reads_back(fakes) -> None:
    from fcspace.cfosat.grid import open_l3

    ds = open_l3(fakes[1]["l3_grid"])
    assert ds.sizes["lat"] == 36 and ds.sizes["lon"] == 72  # 5 degree grid
    assert int(ds["wind_count"].sum()) > 0


def test_dorn_files_read_back(fakes) -> None:
    from fcspace.dorn.io import open_dorn

    spectra, fits = open_dorn(fakes[1]["dorn_spectra"]), open_dorn(fakes[1]["dorn_fits"])
    assert_dorn_layout(spectra)
    assert_dorn_layout(fits)
    assert spectra["counts"].shape[:2] == (2, 2) and bool(fits["converged"].all())


def test_event_lists_read_back(fakes) -> None:
    from fcspace.svom.eclairs.io import read_events as read_eclairs
    from fcspace.svom.grm.io import read_events as read_grm

    eclairs, grm = read_eclairs(fakes[1]["eclairs_events"]), read_grm(fakes[1]["grm_events"])
    assert_events_layout(eclairs, "ECLAIRs")
    assert_events_layout(grm, "GRM")
    assert eclairs.sizes["event"] > 0 and grm.sizes["event"] > 0


def test_fakes_are_reproducible(tmp_path) -> None:
    a = fake_dorn_spectra(tmp_path / "a.nc", seed=4)
    b = fake_dorn_spectra(tmp_path / "b.nc", seed=4)
    from fcspace.dorn.io import open_spectra

    np.testing.assert_array_equal(open_spectra(a)["counts"], open_spectra(b)["counts"])
