"""The hypothesis strategies draw values inside the physical and instrument ranges."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.svom.eclairs.instrument import ECLAIRS
from fcspace.svom.events import LAYOUTS, check_events
from fcspace.svom.grm.instrument import GRM
from fcspace.testing import (
    assert_events_layout,
    event_lists,
    sky_positions,
    wave_spectra,
    winds,
)


@given(winds())
def test_winds_in_range(wind) -> None:
    speed, direction = wind
    assert speed.shape == direction.shape and speed.size >= 1
    assert np.all((speed >= 0) & (speed <= 50))
    assert np.all((direction >= 0) & (direction < 360))


@given(wave_spectra())
def test_wave_spectra_positive_on_valid_grids(spectrum) -> None:
    k, phi, energy = spectrum
    assert np.all(np.diff(k) > 0)
    assert k.min() >= CFOSAT_SWIM.k_spectra.min() and k.max() <= CFOSAT_SWIM.k_spectra.max()
    np.testing.assert_allclose(np.diff(phi), 360.0 / phi.size)
    assert 0 <= phi[0] < 360.0 / phi.size and phi[-1] < 360
    assert energy.shape == (k.size, phi.size)
    assert np.all(np.isfinite(energy) & (energy > 0))


@given(sky_positions())
def test_sky_positions_on_the_sphere(pos) -> None:
    ra, dec = pos
    assert np.all((ra >= 0) & (ra < 360))
    assert np.all((dec >= -90) & (dec <= 90))


@settings(max_examples=30)
@given(event_lists("ECLAIRs"))
def test_eclairs_event_lists_in_range(ev) -> None:
    assert_events_layout(ev, "ECLAIRs")
    check_events(ev, LAYOUTS["ECLAIRs"], timed=True)
    t0, t1 = ev["gti_start"].item(), ev["gti_stop"].item()
    assert np.all((ev["time"] >= t0) & (ev["time"] <= t1))
    for axis in ("y", "z"):
        assert np.all((ev[axis] >= 0) & (ev[axis] < ECLAIRS.n_pixels))
    energy = ev["energy"].values
    assert np.all((energy >= ECLAIRS.energy_min_kev) & (energy <= ECLAIRS.energy_max_kev))


@settings(max_examples=30)
@given(event_lists("GRM"))
def test_grm_event_lists_channels_match_energies(ev) -> None:
    assert_events_layout(ev, "GRM")
    check_events(ev, LAYOUTS["GRM"], timed=True)
    assert np.all((ev["detector"] >= 0) & (ev["detector"] < GRM.n_detectors))
    edges = GRM.channel_edges_kev
    ch, energy = ev["channel"].values, ev["energy"].values
    assert np.all((ch >= 0) & (ch < GRM.n_channels))
    assert np.all((energy >= edges[ch] * (1 - 1e-6)) & (energy <= edges[ch + 1] * (1 + 1e-6)))
