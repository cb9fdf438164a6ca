from __future__ import annotations

import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.dorn.day import DayConfig, simulate_day
from fcspace.dorn.invert import fit_day, invert_day


@pytest.fixture(scope="module")
def day_fits():
    spectra = simulate_day(DayConfig(n_spectra=12, flux_m2_s=185.0, q_kcal_mol=8.5), 1)
    return spectra, fit_day(spectra)


def test_fit_day_layout(day_fits) -> None:
    spectra, fits = day_fits
    assert fits["activity"].dims == ("view", "time", "line")
    assert fits["covariance"].shape == (2, 12, 3, 3)
    assert float(fits["truth_flux"]) == 185.0
    noon = fits.sel(view="sky", line="Rn-222").isel(time=6)
    pull = (noon["activity"] - noon["truth_activity"]) / noon["activity_sigma"]
    assert abs(float(pull)) < 4


def test_every_3h_fit_converges_with_honest_sigma(day_fits) -> None:
    # 3 h spectra: weak lines fitted negative sit on the boundary mu -> 0; the fit must
    # still converge and their sigma must not collapse (it did: Bi-212 -3.5 +- 0.12)
    _, fits = day_fits
    assert int(fits["converged"].sum()) == fits["converged"].size
    sig = fits["activity_sigma"].values
    assert np.all(np.isfinite(sig)) and np.all(sig > 0)
    neg = fits["activity"].values < 0
    assert np.all(np.abs(fits["activity"].values[neg]) < 5 * sig[neg])


def test_closed_loop_recovers_flux_and_q(day_fits) -> None:
    _, fits = day_fits
    res = invert_day(fits)
    assert abs(float(res["pull_flux"])) < 2.0
    assert abs(float(res["pull_q"])) < 2.0
    assert 0 < float(res["flux_sigma"]) < 0.05 * 185.0
    assert 0 < float(res["q_sigma"]) < 0.2
    assert float(res["chi2"]) < 2.0 * float(res["ndof"])
    assert res.attrs["at_bound"] == 0


def test_bad_input_raises(day_fits) -> None:
    spectra, fits = day_fits
    nan_t = spectra.copy(deep=True)
    nan_t["temperature_c"][3] = np.nan
    with pytest.raises(InputError, match="temperature_c"):
        fit_day(nan_t)
    neg = spectra.isel(time=[0]).copy(deep=True)
    neg["counts"][0, 0, 500] = -1
    with pytest.raises(InputError, match="counts"):
        fit_day(neg)
    with pytest.raises(InputError, match="channels"):
        fit_day(spectra.isel(channel=slice(0, 1000)))
    bad = fits.copy(deep=True)
    bad["activity"][0, 0, 0] = np.nan
    with pytest.raises(InputError):
        invert_day(bad)
    with pytest.raises(InputError):
        invert_day(fits.drop_vars("activity"))
