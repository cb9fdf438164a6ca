from __future__ import annotations

import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.dorn.decay import activities
from fcspace.dorn.detector import LINES, acceptance_m2
from fcspace.dorn.instrument import DORN
from fcspace.dorn.spectrum import alpha_line, expected_counts, simulate_spectrum

SOURCES = {"Rn-222": 300.0, "Po-218": 250.0, "Po-214": 200.0, "Po-210": 150.0}


def test_layout_and_truth() -> None:
    ds = simulate_spectrum(SOURCES, 3600.0, 20.0, np.random.default_rng(0))
    assert ds.sizes == {
        "channel": DORN.n_channels,
        "edge": DORN.n_channels + 1,
        "line": len(LINES),
        "component": 2,
    }
    assert ds.counts.dtype.kind == "i" and int(ds.counts.min()) >= 0
    assert ds.truth_activity.sel(line="Rn-222") == 300.0
    assert ds.truth_activity.sel(line="Po-209") == DORN.source_activity_bq
    assert ds.truth_gain == 1.0
    # Rn-222 line: activity x acceptance x time x intensity
    expected = 300.0 * acceptance_m2() * 3600.0 * 0.9992
    assert float(ds.truth_expected_counts.sel(line="Rn-222")) == pytest.approx(expected, rel=1e-3)
    assert callable(alpha_line)


def test_seeded_reproducible_and_poisson() -> None:
    a = simulate_spectrum(SOURCES, 3600.0, 0.0, 42)
    b = simulate_spectrum(SOURCES, 3600.0, 0.0, 42)
    assert np.array_equal(a.counts, b.counts)
    sums = [int(simulate_spectrum(SOURCES, 3600.0, 0.0, s).counts.sum()) for s in range(30)]
    mu = expected_counts(a.truth_activity.values, 3600.0, float(a.truth_gain), 0.0)
    total = float(mu.sum())
    assert total > float(a.truth_expected_counts.sum())  # lines plus background
    assert np.mean(sums) == pytest.approx(total, rel=0.05)
    assert np.var(sums) == pytest.approx(np.mean(sums), rel=0.6)


def test_gain_drift_moves_peaks() -> None:
    cold = simulate_spectrum({"Po-210": 5000.0}, 3600.0, -40.0, 1)
    hot = simulate_spectrum({"Po-210": 5000.0}, 3600.0, 60.0, 1)
    window = (cold.energy > 5000) & (cold.energy < 5600)

    def centroid(ds):
        return float((ds.energy * ds.counts)[window].sum() / ds.counts[window].sum())

    shift = centroid(cold) - centroid(hot)
    assert shift == pytest.approx(5290 * 100 * 1.5e-4, rel=0.2)


def test_accepts_decay_output() -> None:
    a = activities({"Rn-222": 100.0}, 3 * 3600.0)  # includes Pb-214, Bi-214 (no lines)
    ds = simulate_spectrum(a, 3600.0, 20.0, 0)
    assert float(ds.truth_activity.sel(line="Po-214")) == pytest.approx(a["Po-214"])


@pytest.mark.parametrize(
    "sources, live, temp",
    [
        ({"Xx-1": 1.0}, 1.0, 0.0),
        ({"Rn-222": -1.0}, 1.0, 0.0),
        ({"Rn-222": np.nan}, 1.0, 0.0),
        (SOURCES, 0.0, 0.0),
        (SOURCES, 1.0, 80.0),
    ],
)
def test_bad_input(sources: dict, live: float, temp: float) -> None:
    with pytest.raises(InputError):
        simulate_spectrum(sources, live, temp, 0)
