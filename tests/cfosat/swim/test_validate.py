"""SWIM validation scores: axial differences, partition matching, truth requirements."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from fcspace.cfosat.swim import validate as val
from fcspace.core.errors import InputError


def test_axial_diff_wraps_modulo_180():
    np.testing.assert_allclose(
        val.axial_diff([10, 175, 90, 0], [170, 5, 270, 90]), [20, -10, 0, -90]
    )


def test_peak_scores_on_known_errors():
    s = val.peak_scores(
        [2.0, 3.0], [110.0, 200.0], [5.0, 178.0], [2.0, 2.0], [100.0, 200.0], [0.0, 2.0]
    )
    assert s["n"] == 2
    assert s["swh_bias"] == pytest.approx(0.5) and s["swh_rmse"] == pytest.approx(np.sqrt(0.5))
    assert s["peak_wavelength_rel_error"] == pytest.approx(0.05)  # median of 0.1 and 0
    assert s["peak_dir_error_deg"] == pytest.approx(4.5)  # median of 5 and |-4|
    empty = val.peak_scores([np.nan], [1.0], [1.0], [1.0], [1.0], [1.0])
    assert empty["n"] == 0 and np.isnan(empty["peak_dir_error_deg"])


def test_match_partitions_uses_axial_wave_vectors():
    # partitions: a 300 m swell at 20 deg, a 100 m wind sea at 100 deg, none
    part = np.array([[2.0, 5.0, np.nan], [300.0, 100.0, np.nan], [20.0, 100.0, np.nan]])
    # truth: wind sea seen at 280 (== 100 mod 180), swell at 200 (== 20)
    truth = np.array([[5.5, 2.2], [105.0, 310.0], [280.0, 200.0]])
    m = val.match_partitions(part, truth)
    np.testing.assert_allclose(m[:, 0], part[:, 1])
    np.testing.assert_allclose(m[:, 1], part[:, 0])
    none = val.match_partitions(np.full((3, 3), np.nan), truth)
    assert np.isnan(none).all()


def _perfect(n_box: int = 3) -> xr.Dataset:
    """A product equal to its truth: every score is zero."""
    rng = np.random.default_rng(0)
    wave = np.stack(
        [
            rng.uniform(1, 5, (2, n_box)),
            rng.uniform(50, 400, (2, n_box)),
            rng.uniform(0, 180, (2, n_box)),
        ]
    )
    part = np.stack([wave, wave * 1.5, np.full_like(wave, np.nan)], axis=1)  # (3, 3, 2, n)
    swh = rng.uniform(1, 8, n_box)
    return xr.Dataset(
        {
            "beam_incidence": ("n_beam_l2", [10.0]),
            "nadir_swh_box": ("n_box", swh),
            "truth_swh_box": ("n_box", swh),
            "wave_param": (("nparam", "n_posneg", "n_box", "n_beam_l2"), wave[..., None]),
            "wave_param_part": (
                ("nparam", "npartitions", "n_posneg", "n_box", "n_beam_l2"),
                part[..., None],
            ),
            "wave_param_combined": (("nparam", "n_posneg", "n_box"), wave),
            "wave_param_part_combined": (("nparam", "npartitions", "n_posneg", "n_box"), part),
            "truth_wave_param": (("nparam", "n_posneg", "n_box"), wave),
            "truth_wave_param_system": (("nparam", "n_system", "n_posneg", "n_box"), part[:, :2]),
        }
    )


def test_perfect_product_scores_zero():
    s = val.validate_against_truth(_perfect())
    for key in (
        "swh_bias",
        "swh_rmse",
        "peak_wavelength_rel_error",
        "peak_dir_error_deg",
        "nadir_swh_bias",
        "nadir_swh_rmse",
    ):
        assert s[key] == pytest.approx(0.0, abs=1e-12), key
    assert s["n"] == 6 and s["nadir_n"] == 3
    assert s["systems"]["swell"]["n"] == 6
    assert s["systems"]["swell"]["peak_wavelength_rel_error"] == pytest.approx(0.0, abs=1e-12)
    assert s["beams"]["10"]["n"] == 6
    beam = val.validate_against_truth(_perfect(), spectrum="10")
    assert beam["spectrum"] == "10" and beam["swh_rmse"] == pytest.approx(0.0, abs=1e-12)


def test_missing_truth_or_beam_is_an_input_error():
    with pytest.raises(InputError, match="truth_swh_box"):
        val.validate_against_truth(_perfect().drop_vars("truth_swh_box"))
    with pytest.raises(InputError, match="no beam 6"):
        val.validate_against_truth(_perfect(), spectrum="6")
