from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from fcspace.core.errors import InputError
from fcspace.dorn.detector import (
    LINES,
    acceptance_m2,
    alpha_line,
    alpha_line_cdf,
    background_rates,
    dead_layer_exit_energy,
    line_responses,
    stopping_power_si,
)
from fcspace.dorn.instrument import DORN, DornInstrument

shape = st.tuples(
    st.floats(3.0, 40.0), st.floats(1.0, 50.0), st.floats(20.0, 200.0), st.floats(0.0, 1.0)
)


@settings(max_examples=30)
@given(shape)
def test_alpha_line_unit_area_and_cdf(p: tuple[float, float, float, float]) -> None:
    sigma, tau1, tau2, eta = p
    area, _ = quad(
        lambda x: alpha_line(np.array([x]), 5000.0, *p)[0],
        5000 - 60 * tau2,
        5000 + 20 * sigma,
        points=[5000.0],
        limit=400,
    )
    assert area == pytest.approx(1.0, abs=1e-6)
    x = np.linspace(5000 - 10 * tau2, 5000 + 8 * sigma, 200)
    cdf = alpha_line_cdf(x, 5000.0, *p)
    assert np.all(np.diff(cdf) >= -1e-15) and cdf[-1] == pytest.approx(1.0, abs=1e-9)
    # the CDF is the integral of the density
    lower = 5000.0 - 60 * tau2
    for xk in (5000.0 - 2 * tau2, 5000.0 - sigma, 5000.0 + sigma):
        num, _ = quad(lambda e: alpha_line(np.array([e]), 5000.0, *p)[0], lower, xk, limit=400)
        assert alpha_line_cdf(np.array([xk]), 5000.0, *p)[0] == pytest.approx(num, abs=1e-7)


def test_alpha_line_tail_is_on_the_left_and_no_overflow() -> None:
    x = np.array([4000.0, 4900.0, 5100.0, 6000.0, -1e6, 1e6])
    f = alpha_line(x, 5000.0, 12.0, 10.0, 60.0, 0.8)
    assert f[1] > f[2] * 10 and f[0] > f[3]
    assert np.all(np.isfinite(f)) and np.all(f >= 0)
    with pytest.raises(InputError):
        alpha_line(x, 5000.0, 0.0, 10.0, 60.0, 0.8)


def test_stopping_power_against_astar() -> None:
    # ASTAR (ICRU 49) electronic stopping of Si: ~ 6.2e2 MeV cm2/g at 5.5 MeV and
    # ~ 4.4e2 at 10 MeV (within a few per cent of Bethe with I = 173 eV)
    s = stopping_power_si([5500.0, 10000.0]) / (2.329 * 1e3 * 1e-4)
    assert s[0] == pytest.approx(620.0, rel=0.06)
    assert s[1] == pytest.approx(420.0, rel=0.08)
    assert np.all(np.diff(stopping_power_si(np.linspace(2000, 12000, 20))) < 0)


def test_dead_layer_loss_grows_with_angle() -> None:
    e = dead_layer_exit_energy(5489.48, np.array([1.0, 0.7, 0.5]), 0.05)
    loss = 5489.48 - e
    assert 5 < loss[0] < 10  # ~140 keV/um x 0.05 um
    assert loss[2] == pytest.approx(2 * loss[0], rel=1e-3)


def test_acceptance_half_space() -> None:
    # uncollimated: sigma A / 2 ; the default 60 deg cone keeps half of that
    wide = DornInstrument(collimator_half_angle_deg=90.0)
    assert acceptance_m2(wide) == pytest.approx(wide.detector_area_m2 / 2)
    assert acceptance_m2(DORN) == pytest.approx(DORN.detector_area_m2 / 4)


def test_acceptance_monte_carlo() -> None:
    # isotropic emitters uniform in a slab above a disc detector: the fraction that hits it
    # counted within 60 deg of the normal (the slab is wide enough there)
    rng = np.random.default_rng(3)
    n, radius, half_width, height = 2_000_000, 1.0, 20.0, 5.0
    xy = rng.uniform(-half_width, half_width, (n, 2))
    z = rng.uniform(0.1, height, n)
    mu = rng.uniform(-1, 1, n)  # direction cosine to the vertical
    phi = rng.uniform(0, 2 * np.pi, n)
    down = mu < 0
    t = z[down] / -mu[down]
    s = np.sqrt(1 - mu[down] ** 2)
    x = xy[down, 0] + t * s * np.cos(phi[down])
    y = xy[down, 1] + t * s * np.sin(phi[down])
    inside = (x**2 + y**2 < radius**2) & (-mu[down] >= 0.5)
    column = n / (2 * half_width) ** 2  # emitters per unit area
    expected = column * np.pi * radius**2 * (1 - 0.5) / 2
    assert inside.sum() == pytest.approx(expected, rel=0.1)
    # uniform in cos(theta): as many hits in [0.5, 0.75] as in [0.75, 1]
    steep = np.sum(inside & (-mu[down] >= 0.75))
    assert steep / inside.sum() == pytest.approx(0.5, abs=0.06)


def test_line_responses_normalisation_and_gradient() -> None:
    r = line_responses(1.0, 0.0)
    acc = acceptance_m2()
    po210 = LINES.index("Po-210")
    assert r.rate[po210].sum() == pytest.approx(acc, rel=1e-6)  # whole peak inside 1-12 MeV
    assert r.rate[LINES.index("Bi-212")].sum() == pytest.approx(acc * 0.3488, rel=1e-4)
    peak = DORN.channel_edges_kev[np.argmax(r.rate[po210])]
    assert 5270 < peak < 5310
    h = 1e-6
    num = (line_responses(1.0 + h, 0.0).rate - line_responses(1.0 - h, 0.0).rate) / (2 * h)
    assert np.allclose(num, r.d_gain, atol=1e-6 * np.abs(r.d_gain).max())
    num = (line_responses(1.0, 0.01).rate - line_responses(1.0, -0.01).rate) / 0.02
    assert np.allclose(num, r.d_offset, atol=1e-5 * np.abs(r.d_offset).max())


def test_background_rates() -> None:
    b = background_rates()
    assert b.shape == (3, DORN.n_channels) and np.all(b >= 0)
    assert b[2].sum() == pytest.approx(
        b[1].sum() * DORN.veto_efficiency / (1 - DORN.veto_efficiency)
    )
    assert np.all(np.diff(b[0]) < 0)
