"""Tests of the SWIM instrument constants (fcspace.cfosat.swim.instrument)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fcspace.cfosat.swim.instrument import CFOSAT_SWIM, SwimInstrument


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CFOSAT_SWIM.rotation_rpm = 6.0  # type: ignore[misc]


def test_beams_and_radar() -> None:
    assert CFOSAT_SWIM.beam_incidence_deg == (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
    assert CFOSAT_SWIM.spectral_beams_deg == (6.0, 8.0, 10.0)
    assert CFOSAT_SWIM.gate_spacing_m == pytest.approx(0.4684, abs=1e-4)  # c / 2B
    assert CFOSAT_SWIM.rotation_period_s == pytest.approx(60.0 / 5.6)
    assert CFOSAT_SWIM.wavelength_m == pytest.approx(0.02208, abs=1e-5)


def test_l2p_grid_matches_product() -> None:
    k = CFOSAT_SWIM.k_spectra
    assert k.shape == (32,)
    assert k[0] == pytest.approx(0.012566, abs=1e-6)
    assert k[-1] == pytest.approx(0.278947, abs=1e-6)  # L2P k_spectra[-1] = 0.278947
    np.testing.assert_allclose(CFOSAT_SWIM.phi_deg[[0, -1]], [7.5, 352.5])
    assert CFOSAT_SWIM.box_size_m == (70.0e3, 90.0e3)


def test_beam_geometry() -> None:
    # 18 km footprint at 519 km <-> ~2 deg beam; 10 deg beam lands ~85 km from nadir
    foot = 2.0 * CFOSAT_SWIM.altitude_m * np.tan(np.radians(CFOSAT_SWIM.beamwidth_3db_deg / 2))
    assert foot == pytest.approx(CFOSAT_SWIM.footprint_m, rel=0.01)
    assert 80e3 < CFOSAT_SWIM.ground_range_m(10.0) < 95e3
    assert CFOSAT_SWIM.gamma == pytest.approx(2 / np.log(2) * np.sin(np.radians(1.0)) ** 2)
    assert SwimInstrument(nadir_native_rate_hz=4.5).waveforms_per_1hz in (4, 5)
