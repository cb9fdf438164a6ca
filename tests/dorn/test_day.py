from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.dorn import exosphere
from fcspace.dorn.day import DayConfig, simulate_day, site_response
from fcspace.dorn.io import write_spectra


def test_site_response_is_unit_flux_and_physical() -> None:
    r = site_response(8.5)
    assert r.exhalation.mean() == pytest.approx(1.0, rel=1e-9)
    night = (r.local_time < 5.5) | (r.local_time > 21.0)
    noon = np.abs(r.local_time - 12.0) < 1.0
    assert r.column[night].max() < 1e-3 * r.column[noon].mean()  # radon frozen at night
    assert r.surface[noon].max() < 1e-6 * r.surface[night].mean()
    # activity of the sky Rn line is lambda * column
    assert r.activity[0, 0] == pytest.approx(2.0982e-6 * r.column, rel=1e-3)


def test_reduced_exosphere_matches_monte_carlo() -> None:
    """Calibration check: daytime column within 15 % of the Monte Carlo 5-deg band."""
    r = site_response(8.5)
    weights = r.exhalation.reshape(24, -1).mean(axis=1)
    cfg = exosphere.ExosphereConfig(n_atoms=6000, seed=3, source_flux_m2_s=1.0)
    mc = exosphere.lander_view(exosphere.simulate(cfg, source_local_time_weights=weights)).values
    day = slice(7, 17)
    ratio = mc[day].sum() / r.column.reshape(24, -1).mean(axis=1)[day].sum()
    assert ratio == pytest.approx(1.0, abs=0.15)


def test_simulate_day_layout_and_truth(tmp_path) -> None:
    cfg = DayConfig(n_spectra=6, live_time_h=2.0, flux_m2_s=200.0)
    ds = simulate_day(cfg, 1)
    assert ds["counts"].dims == ("view", "time", "channel")
    assert ds["counts"].shape == (2, 6, 1100)
    assert float(ds["truth_flux"]) == 200.0
    assert np.all(np.isfinite(ds["temperature_c"])) and ds["temperature_c"].max() <= 60.0
    sky_rn = ds["truth_activity"].sel(view="sky", line="Rn-222").values
    assert sky_rn[2] > 100.0 and sky_rn[0] < 1.0  # noon-ish vs night
    assert (
        ds["counts"].sel(view="sky").isel(time=2).sum()
        > ds["counts"].sel(view="sky").isel(time=0).sum()
    )
    path = write_spectra(ds, tmp_path / "day.nc")
    back = xr.load_dataset(path)
    np.testing.assert_array_equal(back["counts"].values, ds["counts"].values)
    assert [p.name for p in tmp_path.iterdir()] == ["day.nc"]  # no temporary left behind
    again = simulate_day(cfg, 1)
    np.testing.assert_array_equal(again["counts"].values, ds["counts"].values)


@pytest.mark.parametrize(
    "change",
    [{"flux_m2_s": float("nan")}, {"q_kcal_mol": 30.0}, {"n_spectra": 1}, {"live_time_h": -1}],
)
def test_bad_config_raises(change) -> None:
    with pytest.raises(InputError):
        simulate_day(replace(DayConfig(), **change), 0)
