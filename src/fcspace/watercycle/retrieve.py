"""Water-cycle ground processing: visibilities -> TB images -> multi-angle TBs -> SM, tau, SSS.

1. Image each snapshot and polarisation (:func:`fcspace.watercycle.imaging.reconstruct`, fast
   path, Blackman window) after removing a reference scene whose visibilities are known
   exactly: the uniform sky on the sky and one constant Earth brightness on the Earth disc,
   the constant taken from the zero baseline. The difference has no Earth-sky step and no sky
   alias, so the extended alias-free field of view is usable (the "artificial scene"
   subtraction of Camps et al. 2008, IEEE TGRS 46(1), 146-158, recalled not re-read; Kerr et
   al. 2010 for the extended AF-FOV), and the model errors of the fast path act only on the
   small difference (the idea of the flat-target transformation, Martín-Neira et al. 2008).
2. For each ground cell and snapshot, its director cosines through the orbit
   (:func:`fcspace.watercycle.geometry.director_cosines`); inside the extended AF-FOV, the
   image is interpolated there (bilinear in the hexagonal lattice coordinates, where the image
   is periodic) with the incidence angle and the per-pixel sensitivity (Camps et al. 1998).
3. Land cells: (SM, tau) by :func:`fcspace.watercycle.land_retrieval.retrieve_soil_moisture`
   (multi-angular maximum likelihood, Kerr et al. 2012); sea cells: SSS by
   :func:`fcspace.watercycle.ocean.retrieve_sss` per look, combined with inverse-variance
   weights. Auxiliary data (land mask, surface temperature, SST, wind) come from the scene as
   SMOS L2 takes them from ECMWF (ASSUMPTION: perfectly known).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.watercycle.geometry import (
    alias_free_fov,
    director_cosines,
    earth_disc,
    hex_grid,
    incidence_angle,
)
from fcspace.watercycle.instrument import InterferometricArray
from fcspace.watercycle.simulate import SKY_TB_K, array_by_name

__all__ = ["FLAGS", "image_snapshots", "look_tbs", "retrieve_pass", "snapshot_image"]

#: Bits of the ``flags`` variable of the L2 product.
FLAGS = {"land": 1, "sea": 2, "too_few_looks": 4, "not_converged": 8, "coast": 16}
MIN_LOOKS = 2  # fewest looks (per polarisation) for a retrieval
COAST_CELLS = 3  # cells within this distance of the other surface type are flagged "coast"
#: ASSUMPTION: looks above this incidence (deg) are not used. Measured on a uniform sea: the
#: apodised image departs from the surface TB by > 2 K beyond ~57 deg, where TB_V bends
#: sharply towards the Brewster angle and the limb (the PSF averages a curved function).
MAX_INCIDENCE_DEG = 55.0
#: ASSUMPTION: pixels within this many pixels of the extended AF-FOV edge are not used (the
#: apodised PSF reaches across the edge, where Earth aliases begin; measured: up to 5 K there).
FOV_MARGIN_PIXELS = 2


@lru_cache(maxsize=4)
def _reference(array: InterferometricArray) -> tuple:
    """Noise-free visibilities of the sky-only scene and of a unit Earth disc; Earth masks."""
    from fcspace.watercycle.interferometry import visibilities

    grid = hex_grid(array)
    earth = earth_disc(grid.disc_xi, grid.disc_eta, array)
    v_zero = visibilities(np.zeros(earth.shape), array, noise=False)
    v_sky = visibilities(np.where(earth, 0.0, SKY_TB_K), array, noise=False)
    g_earth = visibilities(earth.astype(float), array, noise=False) - v_zero
    inside = grid.xi**2 + grid.eta**2 < 1.0
    earth_grid = np.zeros(inside.shape, bool)
    earth_grid[inside] = earth_disc(grid.xi[inside], grid.eta[inside], array)
    return v_sky, g_earth, earth_grid, inside


def snapshot_image(vis: np.ndarray, array: InterferometricArray) -> np.ndarray:
    """TB image (K) on the (M, M) period grid of one snapshot; NaN off the Earth disc.

    The reference scene (module docstring, step 1) is subtracted, the difference
    reconstructed (:func:`fcspace.watercycle.imaging.reconstruct`, fast path, Blackman), and
    the reference added back.
    """
    from fcspace.watercycle.imaging import reconstruct

    v_sky, g_earth, earth_grid, _ = _reference(array)
    zero = int(np.flatnonzero(np.all(array.baseline_indices == 0, axis=1))[0])
    level = float((vis[zero] - v_sky[zero]).real / g_earth[zero].real)
    diff = reconstruct(vis - v_sky - level * g_earth, array)
    image = diff - array.receiver_physical_temperature_k + level
    return np.where(earth_grid, image, np.nan)


def _vis(ds: xr.Dataset) -> np.ndarray:
    for name in ("vis_real", "vis_imag", "platform_lat", "platform_lon", "heading"):
        if name not in ds:
            raise InputError(f"visibility dataset lacks {name!r}", variable=name)
    return ds["vis_real"].values + 1j * ds["vis_imag"].values


def image_snapshots(ds: xr.Dataset) -> xr.Dataset:
    """TB images of every snapshot and polarisation of a :func:`simulate_pass` Dataset.

    Returns
    -------
    xarray.Dataset
        ``reconstructed_tb`` (K) on ``(snapshot, polarization, i, j)``, NaN off the Earth disc,
        with ``xi``, ``eta`` (2-D) and the ``alias_free`` / ``extended_alias_free`` masks on
        ``(i, j)``. Not named ``tb_*``: noise and the ringing of the Earth-limb step can leave
        the 0-350 K range of a physical TB near the limb, and an image is not a geophysical TB.
    """
    array = array_by_name(str(ds.attrs.get("array", "")))
    vis = _vis(ds)
    images = np.array([[snapshot_image(v, array) for v in snap] for snap in vis])
    grid = hex_grid(array)
    af, eaf = alias_free_fov(array, grid)
    return xr.Dataset(
        {"reconstructed_tb": (("snapshot", "polarization", "i", "j"), images,
                      {"units": "K", "long_name": "reconstructed brightness temperature"}),
         "alias_free": (("i", "j"), af.astype(np.int8)),
         "extended_alias_free": (("i", "j"), eaf.astype(np.int8)),
         "xi": (("i", "j"), grid.xi), "eta": (("i", "j"), grid.eta)},
        coords={"polarization": ds["polarization"].values},
        attrs={"title": "fcspace water-cycle TB images", "array": array.name},
    )  # fmt: skip


def _bilinear(image: np.ndarray, l1: np.ndarray, l2: np.ndarray) -> np.ndarray:
    """Periodic bilinear interpolation at fractional lattice indices (l = index - M/2)."""
    m = image.shape[0]
    a, b = l1 + m // 2, l2 + m // 2
    i0, j0 = np.floor(a).astype(int), np.floor(b).astype(int)
    fa, fb = a - i0, b - j0
    out = np.zeros(l1.shape)
    for di, dj, w in ((0, 0, (1 - fa) * (1 - fb)), (1, 0, fa * (1 - fb)),
                      (0, 1, (1 - fa) * fb), (1, 1, fa * fb)):  # fmt: skip
        out += w * image[(i0 + di) % m, (j0 + dj) % m]
    return out


def look_tbs(ds: xr.Dataset, images: xr.Dataset) -> dict[str, np.ndarray]:
    """TB_H, TB_V, incidence and sigma of every ground cell in every snapshot (NaN: unseen).

    Returns
    -------
    dict
        ``tb_h``, ``tb_v``, ``incidence``, ``sigma`` of shape ``(n_lat, n_lon, n_snapshots)``.
    """
    from fcspace.watercycle.imaging import radiometric_sensitivity

    array = array_by_name(str(ds.attrs.get("array", "")))
    grid = hex_grid(array)
    from scipy.ndimage import binary_erosion

    eaf = binary_erosion(images["extended_alias_free"].values.astype(bool),
                         iterations=FOV_MARGIN_PIXELS, border_value=1)  # fmt: skip
    lat2, lon2 = np.meshgrid(ds["lat"].values, ds["lon"].values, indexing="ij")
    n = ds.sizes["snapshot"]
    out = {k: np.full((*lat2.shape, n), np.nan) for k in ("tb_h", "tb_v", "incidence", "sigma")}
    inv = np.linalg.inv(grid.reciprocal)
    step = np.max(np.hypot(*grid.reciprocal.T)) / grid.size
    vis0 = _vis(ds)[:, :, int(np.flatnonzero(np.all(array.baseline_indices == 0, 1))[0])]
    for k in range(n):
        xi, eta = director_cosines(lat2, lon2, float(ds["platform_lat"][k]),
                                   float(ds["platform_lon"][k]), float(ds["heading"][k]), array)
        ok = np.isfinite(xi)
        lat_idx = grid.size * (np.stack([xi[ok], eta[ok]], -1) @ inv)
        l1, l2 = lat_idx[:, 0], lat_idx[:, 1]
        near = (np.rint(l1).astype(int) + grid.size // 2) % grid.size, \
               (np.rint(l2).astype(int) + grid.size // 2) % grid.size  # fmt: skip
        # the point itself, not one of its aliases, must lie on its pixel of the hexagon
        same = np.hypot(grid.xi[near] - xi[ok], grid.eta[near] - eta[ok]) < step
        use = eaf[near] & same
        inc = np.full(l1.shape, np.inf)
        inc[use] = incidence_angle(xi[ok][use], eta[ok][use], array)
        seen = inc <= MAX_INCIDENCE_DEG
        cells = tuple(c[seen] for c in np.nonzero(ok))
        for p, key in enumerate(("tb_h", "tb_v")):
            img = images["reconstructed_tb"].values[k, p]
            out[key][(*cells, k)] = _bilinear(img, l1[seen], l2[seen])
        out["incidence"][(*cells, k)] = inc[seen]
        t_a = float(np.mean(vis0[k].real)) + array.receiver_physical_temperature_k
        sens = radiometric_sensitivity(array, t_a)
        out["sigma"][(*cells, k)] = _bilinear(sens, l1[seen], l2[seen])
    return out


def _coast(land: np.ndarray) -> np.ndarray:
    from scipy.ndimage import binary_dilation

    size = 2 * COAST_CELLS + 1
    st = np.ones((size, size), bool)
    return binary_dilation(land, st) & binary_dilation(~land, st)


def _retrieve_land(looks: dict, land: np.ndarray, temperature: np.ndarray, land_params) -> dict:
    from fcspace.watercycle.land_retrieval import retrieve_soil_moisture

    n_ok = np.sum(np.isfinite(looks["tb_h"]), axis=-1)
    use = land & (n_ok >= MIN_LOOKS)
    out = {k: np.full(land.shape, np.nan) for k in
           ("soil_moisture", "soil_moisture_sigma", "optical_depth", "optical_depth_sigma",
            "chi2")}  # fmt: skip
    out["converged"] = np.zeros(land.shape, bool)
    if not use.any():
        return out
    sigma = np.where(np.isfinite(looks["sigma"][use]), looks["sigma"][use], 1.0)
    res = retrieve_soil_moisture(looks["tb_h"][use], looks["tb_v"][use],
                                 looks["incidence"][use], temperature[use], land_params,
                                 sigma_k=sigma)  # fmt: skip
    names = {"soil_moisture": "soil_moisture", "soil_moisture_sigma": "soil_moisture_sigma",
             "optical_depth": "tau_nadir", "optical_depth_sigma": "tau_nadir_sigma",
             "chi2": "chi2", "converged": "converged"}  # fmt: skip
    for mine, theirs in names.items():
        out[mine][use] = res[theirs].values
    return out


def _retrieve_sea(looks: dict, sea: np.ndarray, sst: np.ndarray, wind: np.ndarray) -> dict:
    from fcspace.watercycle.ocean import retrieve_sss

    sss = np.full(sea.shape, np.nan)
    sss_sigma = np.full(sea.shape, np.nan)
    ok = sea[..., None] & np.isfinite(looks["tb_h"]) & np.isfinite(looks["tb_v"])
    ok &= (looks["tb_h"] > 0) & (looks["tb_v"] < 340)
    if not ok.any():
        return {"sss": sss, "sss_sigma": sss_sigma}
    cell = np.broadcast_to(np.arange(sea.size).reshape(sea.shape)[..., None], ok.shape)[ok]
    s, sig = retrieve_sss(looks["tb_v"][ok], looks["tb_h"][ok], looks["incidence"][ok],
                          np.broadcast_to(sst[..., None], ok.shape)[ok],
                          np.broadcast_to(wind[..., None], ok.shape)[ok],
                          nedt_k=looks["sigma"][ok])  # fmt: skip
    w = 1.0 / sig**2
    wsum = np.bincount(cell, w, sea.size)
    n = np.bincount(cell, None, sea.size)
    good = n >= MIN_LOOKS
    sss.ravel()[good] = (np.bincount(cell, w * s, sea.size) / np.where(good, wsum, 1))[good]
    sss_sigma.ravel()[good] = (1.0 / np.sqrt(np.where(good, wsum, 1)))[good]
    return {"sss": sss, "sss_sigma": sss_sigma}


def _flags(land: np.ndarray, n_looks: np.ndarray, converged: np.ndarray) -> np.ndarray:
    f = np.where(land, FLAGS["land"], FLAGS["sea"])
    f |= np.where(n_looks < MIN_LOOKS, FLAGS["too_few_looks"], 0)
    f |= np.where(land & (n_looks >= MIN_LOOKS) & ~converged, FLAGS["not_converged"], 0)
    f |= np.where(_coast(land), FLAGS["coast"], 0)
    return f.astype(np.int16)


def retrieve_pass(ds: xr.Dataset, land_params=None) -> xr.Dataset:
    """L2-like product (CF) of a pass of visibilities: soil moisture, tau and SSS per cell.

    Parameters
    ----------
    ds
        Visibilities on the scene grid (:func:`fcspace.watercycle.simulate.simulate_pass`);
        the auxiliary ``truth_land``, ``truth_temperature``, ``truth_sst``, ``truth_wind``.
    land_params
        :class:`fcspace.watercycle.land.LandParams` of the retrieval (default L-MEB).

    Returns
    -------
    xarray.Dataset
        On ``(lat, lon)``: ``soil_moisture``, ``soil_moisture_sigma`` (m3 m-3),
        ``optical_depth``, ``optical_depth_sigma``, ``sss``, ``sss_sigma``, ``chi2``,
        ``n_looks``, ``flags`` (:data:`FLAGS`), ``mean_incidence``; the truth is carried.
    """
    for name in ("truth_land", "truth_temperature", "truth_sst", "truth_wind"):
        if name not in ds:
            raise InputError(f"visibility dataset lacks auxiliary {name!r}", variable=name)
    looks = look_tbs(ds, image_snapshots(ds))
    land = ds["truth_land"].values.astype(bool)
    res = _retrieve_land(looks, land, ds["truth_temperature"].values, land_params)
    res |= _retrieve_sea(looks, ~land, ds["truth_sst"].values, ds["truth_wind"].values)
    n_looks = np.sum(np.isfinite(looks["tb_h"]), axis=-1)
    flags = _flags(land, n_looks, res.pop("converged"))
    inc_sum = np.nansum(looks["incidence"], axis=-1)
    mean_inc = np.where(n_looks > 0, inc_sum / np.maximum(n_looks, 1), np.nan)
    return _product(ds, res, n_looks, flags, mean_inc)


_ATTRS = {
    "soil_moisture": {"units": "m3 m-3",
                      "standard_name": "volume_fraction_of_condensed_water_in_soil"},
    "soil_moisture_sigma": {"units": "m3 m-3", "long_name": "1-sigma of soil_moisture"},
    "optical_depth": {"units": "1", "long_name": "nadir vegetation optical depth"},
    "optical_depth_sigma": {"units": "1", "long_name": "1-sigma of optical_depth"},
    "sss": {"units": "1e-3", "standard_name": "sea_surface_salinity"},
    "sss_sigma": {"units": "1e-3", "long_name": "1-sigma of sss"},
    "chi2": {"units": "1", "long_name": "cost at the soil-moisture minimum"},
}  # fmt: skip


def _product(ds, res, n_looks, flags, mean_inc) -> xr.Dataset:
    dims = ("lat", "lon")
    data = {k: (dims, v, _ATTRS[k]) for k, v in res.items()}
    data["n_looks"] = (dims, n_looks.astype(np.int16), {"units": "1"})
    data["flags"] = (dims, flags, {"flag_masks": np.array(list(FLAGS.values()), np.int16),
                                   "flag_meanings": " ".join(FLAGS)})  # fmt: skip
    data["mean_incidence"] = (dims, mean_inc, {"units": "degree"})
    truth = {k: ds[k] for k in ds.data_vars if str(k).startswith("truth_")}
    out = xr.Dataset(data, coords={"lat": ds["lat"], "lon": ds["lon"]})
    out = out.assign(truth)
    out.attrs = {"title": "fcspace water-cycle L2 (soil moisture, optical depth, salinity)",
                 "array": ds.attrs.get("array", ""), "n_snapshots": int(ds.sizes["snapshot"])}
    return out
