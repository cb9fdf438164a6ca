"""Snow water equivalent from X/Ka brightness temperatures: SMRT forward runs, fit, retrieval.

SMRT (a test extra) is the forward model and the oracle. Runs are cached inside
fcspace.watercycle.snow for the whole module, so every SMRT case runs once.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcspace.core.errors import InputError
from fcspace.watercycle import snow
from fcspace.watercycle.instrument import SNOW_CHANNELS

pytest.importorskip("smrt")

SWE_GRID = np.linspace(0.0, 250.0, 26)  # the tool's training grid
REFIT_RADII = np.array([0.45e-3, 0.6e-3])  # two nodes of the stored table


@pytest.fixture(scope="module")
def refit() -> dict[str, snow.SweCoefficients]:
    """Cubic law refitted by SMRT on three of the stored nodes, both polarisations."""
    return {p: snow.fit_swe_coefficients(REFIT_RADII, p, SWE_GRID, 3) for p in ("V", "H")}


@pytest.fixture(scope="module")
def closed_loop() -> dict[str, np.ndarray]:
    """Random SWE in 0-250 mm and grain radius in the table range, forward by SMRT (V)."""
    rng = np.random.default_rng(20261202)
    swe = rng.uniform(0.0, 250.0, 40)
    radius = rng.uniform(0.3e-3, 0.6e-3, 40)
    tb = snow.snowpack_tb(swe, radius, polarization="V")
    return {"swe": swe, "radius": radius, "x": tb["X"], "ka": tb["Ka"]}


def test_stored_table_matches_a_refit_with_smrt(refit):
    """Same law within 0.5 mm over the differences met in 0-250 mm (identical if same SMRT)."""
    for pol, table in refit.items():
        stored = snow.load_swe_coefficients(pol)
        versions = (stored.settings["smrt_version"], table.settings["smrt_version"])
        assert stored.settings["incidence_deg"] == SNOW_CHANNELS[0].incidence_deg
        diff = np.linspace(0.0, 40.0, 41)
        for radius, coefs in zip(table.grain_radius_m, table.coefficients, strict=True):
            ours = snow.retrieve_swe(diff, 0.0, radius, coefficients=table)
            theirs = np.polynomial.polynomial.polyval(diff, coefs)
            assert np.allclose(ours, np.maximum(theirs, 0.0))
            stored_swe = snow.retrieve_swe(diff, 0.0, radius, pol)
            assert np.max(np.abs(stored_swe - ours)) < 0.5, versions


def test_closed_loop_rmse_within_10_mm(closed_loop):
    est = snow.retrieve_swe(closed_loop["x"], closed_loop["ka"], closed_loop["radius"])
    rmse = float(np.sqrt(np.mean((est - closed_loop["swe"]) ** 2)))
    # measured 3.6 mm (V, 55 deg, 40 random cases, seed 20261202); the issue asks <= 10 mm
    assert rmse <= 10.0, rmse
    assert rmse <= 5.0, rmse  # the figure reported; a regression guard


def test_noise_follows_the_propagated_nedt(closed_loop):
    """With the instrument NEdT on each channel the error grows as |dSWE/dD| sqrt(2) NEdT."""
    nedt = SNOW_CHANNELS[0].nedt_k
    assert SNOW_CHANNELS[1].nedt_k == nedt
    rng = np.random.default_rng(7)
    x = closed_loop["x"] + rng.normal(0.0, nedt, (200, 40))
    ka = closed_loop["ka"] + rng.normal(0.0, nedt, (200, 40))
    est = snow.retrieve_swe(x, ka, closed_loop["radius"])
    clean = snow.retrieve_swe(closed_loop["x"], closed_loop["ka"], closed_loop["radius"])
    step = 1e-3
    slope = (snow.retrieve_swe(closed_loop["x"] + step, closed_loop["ka"],
                               closed_loop["radius"]) - clean) / step
    predicted = np.sqrt(np.mean(slope[clean > 20.0] ** 2)) * np.sqrt(2.0) * nedt
    measured = np.std(est - clean, axis=0)[clean > 20.0]  # away from the clip at 0
    assert np.sqrt(np.mean(measured**2)) == pytest.approx(predicted, rel=0.1)


def test_chang_linear_form_is_not_enough_but_the_cubic_is(refit):
    linear = snow.fit_swe_coefficients(REFIT_RADII, "V", SWE_GRID, 1)  # cached runs
    assert linear.fit_rmse_mm[-1] > 20.0  # saturation at Ka bends the law (r = 0.6 mm)
    assert np.all(refit["V"].fit_rmse_mm < 8.0)
    assert np.all(refit["H"].fit_rmse_mm < 8.0)


def test_difference_grows_with_swe_sign_and_monotonicity():
    """SWE up -> TB_Ka - TB_X more negative (Chang 1987), strictly, over 10-250 mm."""
    for pol in ("V", "H"):
        tb = snow.snowpack_tb(SWE_GRID, 0.45e-3, polarization=pol)
        diff = tb["X"] - tb["Ka"]
        assert np.all(diff[1:] > 0.0)
        assert np.all(np.diff(diff[1:]) > 0.0)
        assert np.all(np.diff(tb["Ka"][1:]) < 0.0)  # Ka cools as scattering grows


def test_large_grains_saturate_inside_the_range():
    """At r = 1 mm the X-Ka difference peaks near 190 mm (V, 55 deg): no retrieval beyond."""
    swe = np.arange(0.0, 301.0, 25.0)
    tb = snow.snowpack_tb(swe, 1.0e-3, polarization="V")
    diff = tb["X"] - tb["Ka"]
    peak = swe[np.argmax(diff)]
    assert 150.0 <= peak <= 250.0, peak
    assert diff[-1] < diff.max()


def test_bare_soil_is_the_fresnel_emission():
    """SWE = 0: TB = T (1 - |R|^2) of the flat soil (Fresnel), both channels and polarisations.

    Within 0.25 K: SMRT's dort works on 16 stream angles and interpolates to the incidence, and
    uses Planck's law, not Rayleigh-Jeans (measured: -0.11 K at V, -0.11/+0.06 K at H).
    """
    eps = snow.SOIL_PERMITTIVITY
    theta = np.deg2rad(snow.DEFAULT_INCIDENCE_DEG)
    cos_t = np.cos(theta)
    root = np.sqrt(eps - np.sin(theta) ** 2)
    fresnel = {"V": (eps * cos_t - root) / (eps * cos_t + root),
               "H": (cos_t - root) / (cos_t + root)}
    for pol, r in fresnel.items():
        tb = snow.snowpack_tb(0.0, 0.4e-3, 300.0, 265.0, polarization=pol)
        expected = 265.0 * (1.0 - abs(r) ** 2)
        for name in ("X", "Ka"):
            assert float(tb[name]) == pytest.approx(expected, abs=0.25)


@pytest.mark.parametrize(
    ("kwargs", "variable"),
    [
        ({"swe_mm": -1.0}, "swe_mm"),
        ({"swe_mm": np.nan}, "swe_mm"),
        ({"grain_radius_m": 0.0}, "grain_radius_m"),
        ({"grain_radius_m": -1e-4}, "grain_radius_m"),
        ({"temperature_k": 275.0}, "temperature_k"),
        ({"density_kg_m3": np.nan}, "density_kg_m3"),
        ({"incidence_deg": 95.0}, "incidence_deg"),
        ({"polarization": "R"}, "polarization"),
        ({"channels": ("C",)}, "channels"),
    ],
)
def test_forward_rejects_bad_input(kwargs, variable):
    args = {"swe_mm": 100.0, "grain_radius_m": 0.4e-3} | kwargs
    with pytest.raises(InputError) as info:
        snow.snowpack_tb(**args)
    assert info.value.variable == variable


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        ((np.nan, 240.0, 0.4e-3), "tb_x"),
        ((250.0, np.nan, 0.4e-3), "tb_ka"),
        ((250.0, 240.0, 0.0), "grain_radius_m"),
        ((250.0, 240.0, np.nan), "grain_radius_m"),
        ((250.0, 240.0, 1.0e-3), "grain_radius_m"),  # outside the fitted table
        ((-5.0, 240.0, 0.4e-3), "tb_x"),
    ],
)
def test_retrieval_rejects_bad_input(args, variable):
    with pytest.raises(InputError) as info:
        snow.retrieve_swe(*args)
    assert info.value.variable == variable


def test_missing_tb_gives_nan_only_when_allowed():
    out = snow.retrieve_swe([250.0, np.nan], [230.0, 230.0], 0.4e-3, allow_missing=True)
    assert np.isnan(out[1]) and np.isfinite(out[0]) and out[0] > 0.0


def test_coefficients_round_trip():
    table = snow.load_swe_coefficients("H")
    again = snow.SweCoefficients.from_dict(table.to_dict())
    assert np.array_equal(again.coefficients, table.coefficients)
    assert again.polarization == "H" and again.settings == table.settings


radius_st = st.floats(0.3e-3, 0.6e-3)
diff_st = st.floats(0.0, 60.0)


@settings(max_examples=60, deadline=None)
@given(diffs=st.lists(diff_st, min_size=1, max_size=8), radius=radius_st)
def test_vectorised_equals_elementwise_and_is_non_negative(diffs, radius):
    d = np.asarray(diffs)
    vec = snow.retrieve_swe(200.0 + d, 200.0, radius)
    one = [float(snow.retrieve_swe(200.0 + x, 200.0, radius)) for x in d]
    assert np.allclose(vec, one)
    assert np.all(vec >= 0.0)


@settings(max_examples=60, deadline=None)
@given(diff=diff_st, radius=radius_st)
def test_interpolation_between_nodes_is_bracketed(diff, radius):
    """Linear in the coefficients: the SWE at r lies between the SWE at the bracketing nodes."""
    nodes = snow.load_swe_coefficients("V").grain_radius_m
    i = int(np.clip(np.searchsorted(nodes, radius) - 1, 0, nodes.size - 2))
    lo, hi = (float(snow.retrieve_swe(200.0 + diff, 200.0, nodes[j])) for j in (i, i + 1))
    mid = float(snow.retrieve_swe(200.0 + diff, 200.0, radius))
    assert min(lo, hi) - 1e-9 <= mid <= max(lo, hi) + 1e-9
