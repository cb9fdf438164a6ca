import numpy as np
import pytest

from fcspace.watercycle.instrument import MIRAS
from fcspace.watercycle.retrieve import image_snapshots, look_tbs, retrieve_pass
from fcspace.watercycle.simulate import (
    Orbit,
    simulate_pass,
    simulate_snapshot,
    surface_tb,
    synthetic_scene,
)
from fcspace.watercycle.validate import validate_product


def test_uniform_sea_looks_match_surface_model():
    """Noise-free uniform sea: the imaged TB at each ground cell is the surface TB."""
    scene = synthetic_scene(0, n=40)
    scene["land"][:] = 0
    ds = simulate_snapshot(scene, MIRAS, noise=False)
    looks = look_tbs(ds, image_snapshots(ds))
    ok = np.isfinite(looks["tb_h"][..., 0])
    assert ok.sum() > 300
    lat2, lon2 = np.meshgrid(ds["lat"].values, ds["lon"].values, indexing="ij")
    th, tv = surface_tb(scene, lat2[ok], lon2[ok], looks["incidence"][..., 0][ok])
    # measured: rms 0.08 K (the limb ringing and the EAF-FOV edge excluded)
    assert np.sqrt(np.mean((looks["tb_h"][..., 0][ok] - th) ** 2)) < 0.3
    assert np.sqrt(np.mean((looks["tb_v"][..., 0][ok] - tv) ** 2)) < 0.3


@pytest.fixture(scope="module")
def noise_free_l2():
    scene = synthetic_scene(0, n=24)
    ds = simulate_pass(scene, Orbit(float(scene["lat"].min()) - 6, 0.0, 0.0, 10), 12,
                       noise=False)  # fmt: skip
    return retrieve_pass(ds)


def test_noise_free_pass_retrieves_the_scene(noise_free_l2):
    scores = validate_product(noise_free_l2)
    # residual: the ~40 km apodised footprint over a scene varying on ~50 km (measured on
    # the 48-cell scene: SM 0.007 m3/m3, SSS 0.28 psu)
    assert scores["soil_moisture"]["open"]["rmse"] < 0.015
    assert scores["sss"]["open"]["rmse"] < 0.6
    assert scores["soil_moisture"]["open"]["n"] > 100


def test_product_layout(noise_free_l2):
    l2 = noise_free_l2
    for name in ("soil_moisture", "soil_moisture_sigma", "optical_depth", "sss", "sss_sigma",
                 "chi2", "n_looks", "flags", "truth_soil_moisture"):  # fmt: skip
        assert name in l2
    assert l2["soil_moisture"].attrs["units"] == "m3 m-3"
    land = l2["truth_land"].values.astype(bool)
    assert np.all(np.isnan(l2["sss"].values[land]))
    assert np.all(np.isnan(l2["soil_moisture"].values[~land]))
