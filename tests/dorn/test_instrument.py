from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fcspace.dorn.instrument import DORN, DornInstrument


def test_published_numbers() -> None:
    assert DORN.n_detectors == 16 == 2 * DORN.n_units
    assert DORN.total_area_cm2 == 40.0
    assert DORN.n_sky_units + DORN.n_ground_units == DORN.n_units
    assert (DORN.energy_min_kev, DORN.energy_max_kev) == (1000.0, 12000.0)
    assert (DORN.temperature_min_c, DORN.temperature_max_c) == (-40.0, 60.0)


def test_derived_quantities() -> None:
    assert DORN.detector_area_m2 == pytest.approx(2.5e-4)
    edges = DORN.channel_edges_kev
    assert edges.size == DORN.n_channels + 1
    assert np.allclose(np.diff(edges), 10.0)
    assert DORN.sigma_kev * 2.3548 == pytest.approx(DORN.resolution_fwhm_kev, rel=1e-4)
    assert DORN.gain(DORN.reference_temperature_c) == 1.0
    assert DORN.gain(-40.0) > 1.0 > DORN.gain(60.0)  # negative coefficient
    assert DORN.cos_min == pytest.approx(0.5)


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DORN.n_channels = 10  # type: ignore[misc]
    assert DornInstrument(n_channels=550).channel_edges_kev.size == 551
