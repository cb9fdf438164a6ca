"""Public test helpers for fcspace and for code built on it.

- :mod:`~fcspace.testing.data`: where the real instrument files live (``../shared/data`` or
  ``$FCSPACE_SHARED_DATA``), with a pytest skip when they are absent.
- :mod:`~fcspace.testing.fakes`: small synthetic products of every layout, made by the
  simulators and written by the public writers.
- :mod:`~fcspace.testing.assertions`: layout assertions built from the product specifications.
- :mod:`~fcspace.testing.strategies`: hypothesis strategies for winds, wave spectra, sky
  positions and SVOM event lists (needs the ``test`` extra).
- :mod:`~fcspace.testing.dask`: a counting dask scheduler (:func:`assert_computes`).

Importing this package imports neither hypothesis, pytest, dask nor any mission package.
"""

from fcspace.testing.assertions import (
    Expected,
    assert_dorn_layout,
    assert_events_layout,
    assert_layout,
    assert_scat_l2b_layout,
    assert_swim_l2_layout,
    scat_l2b_layout,
    swim_l2_layout,
)
from fcspace.testing.dask import ComputeCounter, assert_computes, count_computes
from fcspace.testing.data import ENV_VAR, require_shared, shared_data_dir, shared_file
from fcspace.testing.fakes import (
    NAMES,
    fake_dorn_fits,
    fake_dorn_spectra,
    fake_eclairs_events,
    fake_grm_events,
    fake_l3_grid,
    fake_products,
    fake_scat_l2b,
    fake_swim_l2,
)
from fcspace.testing.strategies import event_lists, sky_positions, wave_spectra, winds

__all__ = [
    "ENV_VAR",
    "NAMES",
    "ComputeCounter",
    "Expected",
    "assert_computes",
    "assert_dorn_layout",
    "assert_events_layout",
    "assert_layout",
    "assert_scat_l2b_layout",
    "assert_swim_l2_layout",
    "count_computes",
    "event_lists",
    "fake_dorn_fits",
    "fake_dorn_spectra",
    "fake_eclairs_events",
    "fake_grm_events",
    "fake_l3_grid",
    "fake_products",
    "fake_scat_l2b",
    "fake_swim_l2",
    "require_shared",
    "scat_l2b_layout",
    "shared_data_dir",
    "shared_file",
    "sky_positions",
    "swim_l2_layout",
    "wave_spectra",
    "winds",
]
