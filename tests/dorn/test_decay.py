from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.dorn.decay import activities, atoms, chain
from fcspace.dorn.nuclides import NUCLIDES, Nuclide
from fcspace.testing.peers import radioactivedecay_table

rd = pytest.importorskip("radioactivedecay")

YEAR = 365.2422 * 86400.0
SERIES = ("U-238", "U-235", "Th-232")
# times 1 s ... 1e9 years
TIMES = np.geomspace(1.0, 1e9 * YEAR, 25)


def rd_table(parent: str) -> dict[str, Nuclide]:
    """The chain of ``parent`` with radioactivedecay's (ICRP-107) data, as our table rows."""
    return radioactivedecay_table(parent)


@pytest.mark.parametrize("parent", SERIES)
def test_matches_radioactivedecay_float(parent: str) -> None:
    # radioactivedecay's float64 solver is itself good to ~2e-7 on activities near 1e-9 Bq
    # (its cancellation), so activities below 1e-12 of the initial 1 Bq are "negligible":
    # |ours - rd| <= 1e-6 |rd| + 1e-12 Bq.
    table = rd_table(parent)
    ours = activities({parent: 1.0}, TIMES, table=table)
    for k, t in enumerate(TIMES):
        ref = rd.Inventory({parent: 1.0}, "Bq").decay(float(t), "s").activities("Bq")
        assert set(ref) == set(ours)
        for name, value in ref.items():
            assert abs(ours[name][k] - value) <= 1e-6 * abs(value) + 1e-12, (name, t)


@pytest.mark.parametrize("t_years", [1.0 / YEAR, 1e9])
def test_matches_radioactivedecay_high_precision(t_years: float) -> None:
    # against SymPy-exact Bateman (InventoryHP): every activity above 1e-30 Bq to 1e-10
    table = rd_table("U-238")
    ours = activities({"U-238": 1.0}, t_years * YEAR, table=table)
    ref = rd.InventoryHP({"U-238": 1.0}, "Bq").decay(t_years * YEAR, "s").activities("Bq")
    big = {k: v for k, v in ref.items() if v > 1e-30}
    assert len(big) >= 5
    for name, value in big.items():
        assert ours[name] == pytest.approx(value, rel=1e-10), name


def test_own_table_close_to_icrp107() -> None:
    # our NuDat table against radioactivedecay's ICRP-107 data, main chain members only
    t = 1e6 * YEAR
    ours = activities({"U-238": 1.0}, t)
    ref = rd.Inventory({"U-238": 1.0}, "Bq").decay(t, "s").activities("Bq")
    for name in ("U-234", "Ra-226", "Rn-222", "Po-218", "Po-214", "Po-210"):
        assert ours[name] == pytest.approx(ref[name], rel=1e-3)


def test_chain_contents_and_order() -> None:
    names = chain(["Th-232"])
    assert names[0] == "Th-232" and names[-1] == "Pb-208"
    assert {"Po-212", "Tl-208", "Bi-212"} <= set(names)
    for i, name in enumerate(names):  # parents before daughters
        for b in NUCLIDES[name].branches:
            assert names.index(b.daughter) > i
    assert {"At-218", "Rn-218", "Tl-210", "Hg-206", "Tl-206", "Pa-234"} <= set(chain(["U-238"]))


def test_single_nuclide_and_scalar() -> None:
    a = activities({"Rn-222": 10.0}, 3.8235 * 86400.0)
    assert isinstance(a["Rn-222"], float)
    assert a["Rn-222"] == pytest.approx(5.0, rel=1e-12)
    assert a["Pb-206"] == 0.0
    t = np.array([[0.0, 1.0], [10.0, 100.0]])
    assert activities({"Po-212": 1.0}, t)["Po-212"].shape == (2, 2)


def test_po214_in_equilibrium_with_bi214() -> None:
    a = activities({"Rn-222": 1.0}, 3 * 3600.0)
    ratio = a["Po-214"] / a["Bi-214"]
    # Po-214 (164 us) follows Bi-214 within lambda_Bi/lambda_Po ~ 1e-7: A_Po = b A_Bi
    assert ratio == pytest.approx(0.99979, rel=1e-6)


@pytest.mark.parametrize(
    "initial, t",
    [
        ({"Xx-999": 1.0}, 1.0),
        ({"Rn-222": -1.0}, 1.0),
        ({"Rn-222": float("nan")}, 1.0),
        ({"Rn-222": 1.0}, -1.0),
        ({"Rn-222": 1.0}, [1.0, float("nan")]),
        ({"Pb-206": 1.0}, 1.0),
        ({}, 1.0),
    ],
)
def test_bad_input(initial: dict[str, float], t: object) -> None:
    with pytest.raises(InputError):
        activities(initial, t)


RADIOACTIVE = sorted(n for n, v in NUCLIDES.items() if not v.stable)
log_times = st.floats(min_value=0.0, max_value=math.log10(1e9 * YEAR))


@settings(max_examples=40)
@given(
    st.dictionaries(st.sampled_from(RADIOACTIVE), st.floats(0.0, 1e6), min_size=1, max_size=4),
    st.lists(log_times, min_size=1, max_size=5),
)
def test_non_negative(initial: dict[str, float], log_t: list[float]) -> None:
    a = activities(initial, 10.0 ** np.array(log_t))
    assert all(np.all(v >= 0) and np.all(np.isfinite(v)) for v in a.values())


@settings(max_examples=40)
@given(st.sampled_from(["U-238", "U-235", "Th-232", "Rn-222", "Po-209"]), log_times)
def test_atoms_conserved(parent: str, log_t: float) -> None:
    # a closed chain keeps its atoms (stable end products included)
    n = atoms({parent: 1e20}, 10.0**log_t)
    assert sum(n.values()) == pytest.approx(1e20, rel=1e-12)


@settings(max_examples=25)
@given(st.floats(200.0, 1e4))
def test_secular_equilibrium_th232(t_years: float) -> None:
    # after >30 Ra-228 half-lives every member carries the parent activity times its
    # branching: A_n / A_1 = prod b_i lambda_i / (lambda_i - lambda_1) (lambda_1 -> 0)
    a = activities({"Th-232": 1.0}, t_years * YEAR)
    parent = a["Th-232"]
    for name in ("Ra-228", "Th-228", "Ra-224", "Rn-220", "Po-216", "Pb-212", "Bi-212"):
        assert a[name] / parent == pytest.approx(1.0, rel=1e-8), name
    assert a["Po-212"] / parent == pytest.approx(0.6406, rel=1e-8)
    assert a["Tl-208"] / parent == pytest.approx(0.3594, rel=1e-8)
