"""SWIM L1 → L2 chain: closed loop against truth, layout, flags, one-file task."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import process
from fcspace.cfosat.swim import product_specs as ps
from fcspace.cfosat.swim.io import open_l2, write_l1, write_l2
from fcspace.cfosat.swim.simulate import simulate_orbit_segment
from fcspace.cfosat.swim.validate import validate_against_truth
from fcspace.core.errors import InputError

N_BOX = 12


@pytest.fixture(scope="module")
def l1() -> xr.Dataset:
    return simulate_orbit_segment(N_BOX, seed=20260226)


@pytest.fixture(scope="module")
def l2(l1) -> xr.Dataset:
    return process.l1_to_l2(l1)


@pytest.fixture(scope="module")
def scores(l2, tmp_path_factory) -> dict:
    path = write_l2(l2, tmp_path_factory.mktemp("l2") / "l2.nc")
    return validate_against_truth(open_l2(path))  # through the file, as the CLI does


def test_closed_loop_nadir_swh(scores):
    assert scores["nadir_n"] == N_BOX
    assert scores["nadir_swh_rmse"] < 0.10
    assert abs(scores["nadir_swh_bias"]) < 0.05
    assert scores["nadir_1hz_swh_rmse"] < 0.25
    assert scores["nadir_wind_rmse"] < 0.5


def test_closed_loop_swell_peak(scores):
    swell = scores["systems"]["swell"]
    assert swell["n"] == 2 * N_BOX
    assert swell["peak_wavelength_rel_error"] < 0.10
    assert swell["peak_dir_error_deg"] < 15.0
    assert swell["swh_rmse"] < 0.5


def test_closed_loop_spectra(scores):
    assert scores["n"] == 2 * N_BOX
    assert scores["swh_rmse"] < 0.5  # normalised with the nadir SWH, boxes 45 km off track
    assert scores["peak_wavelength_rel_error"] < 0.10
    assert scores["peak_dir_error_deg"] < 15.0
    assert scores["systems"]["wind_sea"]["peak_dir_error_deg"] < 15.0
    assert set(scores["beams"]) == {"6", "8", "10"}


def test_l2_follows_the_layout(l2):
    for name in ps.FCSPACE_L2.required:
        assert name in l2, name
    for name in [n for n in l2.data_vars if n in ps.LAYOUT]:
        assert l2[name].dims == ps.LAYOUT[name].dims, name
    assert l2.sizes[ps.PHI] == 24 and l2.sizes[ps.PART] == 3
    # spectra are normalised to the box nadir SWH (L2P rule)
    hs = l2["wave_param"].isel(nparam=0)
    np.testing.assert_allclose(hs, l2["nadir_swh_box"].broadcast_like(hs), rtol=1e-9)
    # symmetric (180 deg ambiguous) spectra, partitions and their parameters
    pp = l2["pp_mean"].values
    np.testing.assert_allclose(pp, np.roll(pp, 12, axis=1), rtol=1e-12)
    assert (l2["number_of_partitions_combined"].values >= 2).all()
    assert set(np.unique(l2["mask_spectrum"].values)) <= {-1, 0, 1}
    assert "truth_pp_mean" in l2 and "truth_swh_1hz" in l2
    assert l2.attrs["processing_level"] == "L2"


def test_round_trip_through_write_l2(l2, tmp_path):
    back = open_l2(write_l2(l2, tmp_path / "l2.nc"))
    np.testing.assert_allclose(back["p_combined"], l2["p_combined"], rtol=1e-5)
    np.testing.assert_allclose(back["truth_pp_mean"], l2["truth_pp_mean"], rtol=1e-5)
    assert back["nadir_swh_native"].size == l2["nadir_swh_native"].size


def test_boxes_tile_the_track(l1):
    box = process.box_of_waveforms(l1)
    assert (box >= 0).all()
    assert np.all(np.diff(box) >= 0) and set(box) == set(range(N_BOX))
    counts = np.bincount(box)
    assert counts.min() >= 50


def test_bad_waveforms_flag_the_box_and_its_spectra(l1):
    bad = l1.copy(deep=True)
    box = process.box_of_waveforms(bad)
    wf = bad["waveform"].values
    wf[box == 0] = np.nan
    l2 = process.l1_to_l2(bad)
    assert l2["flag_valid_swh_box"].values[0] == 1 and np.isnan(l2["nadir_swh_box"].values[0])
    assert np.isnan(l2["pp_mean"].isel(n_box=0)).all()
    assert (l2["flag_valid_pp_mean"].isel(n_box=0) == 1).all()
    assert (l2["number_of_partitions"].isel(n_box=0) == -1).all()
    assert np.isnan(l2["wave_param_combined"].isel(n_box=0)).all()
    assert (l2["flag_valid_swh_box"].values[1:] == 0).all()


def test_unknown_retracker_and_incomplete_l1(l1):
    with pytest.raises(InputError, match="method"):
        process.l1_to_l2(l1, method="ocean")
    with pytest.raises(InputError, match="mss"):
        process.l1_to_l2(l1.drop_vars("mss"))


def test_process_file_writes_one_product(l1, tmp_path):
    src = write_l1(l1, tmp_path / "SWIM_L1_test.nc")
    res = process.process_file((src, tmp_path / "out" / "SWIM_L2_test.nc"))
    assert res["output"].endswith("SWIM_L2_test.nc") and res["n_box"] == N_BOX
    assert res["beams"] == [6.0, 8.0, 10.0] and res["boxes_with_valid_nadir_swh"] == N_BOX
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["SWIM_L2_test.nc"]
