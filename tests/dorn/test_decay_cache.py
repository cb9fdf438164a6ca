"""fcspace.dorn.decay: the cached chain (per nuclide tuple and table) and the compiled solver."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fcspace.dorn import decay
from fcspace.dorn.nuclides import NUCLIDES

TIMES = np.geomspace(1.0, 1e7, 13)


def test_scalar_calls_equal_the_array_call():
    arr = decay.activities({"Rn-222": 2.0}, TIMES)
    for k, t in enumerate(TIMES):
        one = decay.activities({"Rn-222": 2.0}, float(t))
        assert set(one) == set(arr)
        for name, value in one.items():
            assert isinstance(value, float)
            assert value == pytest.approx(arr[name][k], rel=1e-15, abs=0.0)


def test_cache_follows_a_changed_table():
    decay.activities({"Rn-222": 1.0}, 3600.0)  # cached for NUCLIDES
    table = dict(NUCLIDES)
    table["Pb-214"] = dataclasses.replace(NUCLIDES["Pb-214"], half_life_s=60.0)
    a = decay.activities({"Rn-222": 1.0}, 3600.0, table)
    b = decay.activities({"Rn-222": 1.0}, 3600.0)
    # a 1 min Pb-214 follows its parents within minutes: near equilibrium after 1 h
    assert b["Pb-214"] < 0.8 * a["Pb-214"] and a["Pb-214"] > 0.95 * a["Rn-222"]
    table["Pb-214"] = NUCLIDES["Pb-214"]  # same object again: same result as NUCLIDES
    c = decay.activities({"Rn-222": 1.0}, 3600.0, table)
    assert c == b


def test_one_member_bateman_closed_form():
    # two-member chain Rn-222 -> Po-218 (Bateman 1910): N2 = N1(0) l1 / (l2 - l1) (e1 - e2)
    l1, l2 = NUCLIDES["Rn-222"].decay_constant, NUCLIDES["Po-218"].decay_constant
    n = decay.atoms({"Rn-222": 1e6}, TIMES)
    ref = 1e6 * l1 / (l2 - l1) * (np.exp(-l1 * TIMES) - np.exp(-l2 * TIMES))
    np.testing.assert_allclose(n["Po-218"], ref, rtol=1e-12)


def test_cache_is_bounded():
    for name in list(NUCLIDES)[:80]:
        if not NUCLIDES[name].stable:
            decay.atoms({name: 1.0}, 1.0)
    assert len(decay._CHAINS) <= decay._CHAIN_CACHE_SIZE
