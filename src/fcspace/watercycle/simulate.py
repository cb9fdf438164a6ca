"""Water-cycle L-band simulator: a lat/lon geophysical scene to snapshots of visibilities.

scene (land: soil moisture, optical depth, temperature; sea: SSS, SST, wind)
  -> surface TB_H, TB_V per (xi, eta) pixel of the instrument's hexagonal grid, through the
     orbit and attitude (:mod:`fcspace.watercycle.geometry`) and the land / ocean emission
     models (:func:`fcspace.watercycle.land.land_tb`, :func:`fcspace.watercycle.ocean.ocean_tb`)
  -> visibilities with the receivers' thermal noise
     (:func:`fcspace.watercycle.interferometry.visibilities`, Corbella et al. 2004).

The truth travels in the Dataset (``truth_*`` variables on the scene's ``lat, lon``), so
:mod:`fcspace.watercycle.validate` is one call.

ASSUMPTIONS (stated, not modelled):
- polarisation: each snapshot measures the ground H and V brightness directly, both at the
  same instant (full-pol MIRAS measures in the antenna frame; the geometric and Faraday
  rotations to the ground frame, Kerr et al. 2010, are not simulated);
- the scene extends its edge values over the rest of the visible Earth (nearest cell);
- the sky seen by the array has a uniform brightness :data:`SKY_TB_K`;
- incidence angles near the limb are clipped to :data:`LIMB_INCIDENCE_DEG` before the surface
  models (those pixels lie far outside any field of view that is retrieved);
- circular orbit over a non-rotating spherical Earth, constant heading along a great circle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from fcspace.core import orbit
from fcspace.core.errors import InputError
from fcspace.core.geodesy import destination_point
from fcspace.watercycle.geometry import earth_disc, ground_point, hex_grid, incidence_angle
from fcspace.watercycle.instrument import HR_CONCEPT, MIRAS, InterferometricArray

__all__ = [
    "ARRAYS",
    "SKY_TB_K",
    "Orbit",
    "array_by_name",
    "check_scene",
    "disc_scene_tb",
    "ground_speed_m_s",
    "scene_from_smap_l4",
    "simulate_pass",
    "simulate_snapshot",
    "surface_tb",
    "synthetic_scene",
]

#: ASSUMPTION: sky brightness at 1.4 GHz: 2.725 K cosmic background (Fixsen 2009, ApJ 707,
#: 916) plus ~1 K of galactic emission away from the galactic plane (Le Vine & Abraham 2004,
#: IEEE TGRS 42(9), 2004; the value is recalled, not re-read), uniform over the sky.
SKY_TB_K = 3.7
#: ASSUMPTION: incidence (deg) at which limb pixels are evaluated; kept below the land model's
#: 89.9 deg bound.
LIMB_INCIDENCE_DEG = 89.0

ARRAYS = {"MIRAS": MIRAS, "HR": HR_CONCEPT}
_SCENE_VARS = ("soil_moisture", "optical_depth", "temperature", "land", "sss", "sst", "wind")


def array_by_name(name: str) -> InterferometricArray:
    """The array ``"MIRAS"`` or ``"HR"`` (also accepts the arrays' full names)."""
    for key, arr in ARRAYS.items():
        if name in (key, arr.name):
            return arr
    raise InputError(f"unknown array {name!r}: one of {sorted(ARRAYS)}", variable="array")


def ground_speed_m_s(array: InterferometricArray) -> float:
    """Sub-satellite speed of a circular orbit, sqrt(GM / r) R / r with r = R + h (m/s)."""
    return orbit.ground_speed_m_s(array.altitude_m, array.earth_radius_m)


@dataclass(frozen=True)
class Orbit:
    """Platform track: start point, heading (deg, clockwise from north), snapshot stride.

    Snapshot k is at ``k * stride * array.snapshot_time_s * ground_speed`` along the great
    circle from (lat0, lon0). A stride above 1 skips snapshots (keeps each k-th of them).
    """

    lat0_deg: float
    lon0_deg: float
    heading_deg: float = 0.0
    stride: int = 1

    def positions(self, n: int, array: InterferometricArray) -> tuple[np.ndarray, np.ndarray]:
        """Platform latitude and longitude (deg) of ``n`` snapshots."""
        dist = np.arange(n) * self.stride * array.snapshot_time_s * ground_speed_m_s(array)
        return destination_point(self.lat0_deg, self.lon0_deg, self.heading_deg, dist,
                                 array.earth_radius_m)  # fmt: skip


def check_scene(scene: xr.Dataset) -> None:
    """Raise :class:`InputError` naming the variable when the scene is incomplete or invalid.

    Land cells (``land`` true) need finite soil moisture in [0, 1], optical depth >= 0 and
    temperature in (0, 400) K; sea cells need SSS >= 0, SST in (0, 400) K and wind >= 0.
    """
    for name in _SCENE_VARS:
        if name not in scene:
            raise InputError(f"scene lacks {name!r}", variable=name)
    land = scene["land"].values.astype(bool)
    limits = {"soil_moisture": (land, 0, 1), "optical_depth": (land, 0, np.inf),
              "temperature": (land, 1, 400), "sss": (~land, 0, 50), "sst": (~land, 250, 320),
              "wind": (~land, 0, 50)}  # fmt: skip
    for name, (where, low, high) in limits.items():
        v = scene[name].values[where]
        if np.any(~np.isfinite(v)) or np.any(v < low) or np.any(v > high):
            raise InputError(f"{name} must be finite in [{low}, {high}] on its cells",
                             variable=name)  # fmt: skip


def _cell_index(scene: xr.Dataset, lat: np.ndarray, lon: np.ndarray) -> tuple:
    """Nearest scene cell of each point, clipped to the scene's edges (ASSUMPTION above)."""
    out = []
    for coord, val in (("lat", lat), ("lon", lon)):
        c = scene[coord].values
        order = 1 if c[-1] >= c[0] else -1
        idx = np.searchsorted(c[::order], val)
        idx = np.clip(idx, 1, c.size - 1)
        left = c[::order][idx - 1]
        right = c[::order][np.minimum(idx, c.size - 1)]
        idx = np.where(np.abs(val - left) <= np.abs(val - right), idx - 1, idx)
        out.append(idx if order == 1 else c.size - 1 - idx)
    return tuple(out)


def surface_tb(scene: xr.Dataset, lat: np.ndarray, lon: np.ndarray, incidence_deg: np.ndarray,
               land_params=None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """TB_H, TB_V (K) of the scene cells under ground points seen at ``incidence_deg``.

    Land cells by :func:`fcspace.watercycle.land.land_tb` (L-MEB, Wigneron et al. 2007), sea
    cells by :func:`fcspace.watercycle.ocean.ocean_tb` (Fresnel + wind roughness).
    """
    from fcspace.watercycle.land import land_tb
    from fcspace.watercycle.ocean import ocean_tb

    iy, ix = _cell_index(scene, lat, lon)
    inc = np.minimum(incidence_deg, LIMB_INCIDENCE_DEG)
    land = scene["land"].values.astype(bool)[iy, ix]
    tb_h, tb_v = np.empty(lat.shape), np.empty(lat.shape)
    pick = {k: scene[k].values[iy, ix] for k in _SCENE_VARS}
    if land.any():
        tb_h[land], tb_v[land] = land_tb(pick["soil_moisture"][land], pick["optical_depth"][land],
                                         pick["temperature"][land], inc[land], land_params)
    sea = ~land
    if sea.any():
        tb_h[sea], tb_v[sea] = ocean_tb(pick["sss"][sea], pick["sst"][sea], pick["wind"][sea],
                                        inc[sea])  # fmt: skip
    return tb_h, tb_v


def disc_scene_tb(scene: xr.Dataset, array: InterferometricArray, platform_lat: float,
                  platform_lon: float, heading_deg: float,
                  land_params=None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """TB_H, TB_V (K) of every point of the visible (xi, eta) disc of ``hex_grid(array)``.

    Earth points carry the surface TB of the scene cell they look at; sky points
    :data:`SKY_TB_K`. The disc holds the aliases: it is the input of
    :func:`fcspace.watercycle.interferometry.visibilities`.
    """
    grid = hex_grid(array)
    xi, eta = grid.disc_xi, grid.disc_eta
    earth = earth_disc(xi, eta, array)
    lat, lon = ground_point(xi[earth], eta[earth], platform_lat, platform_lon, heading_deg, array)
    inc = incidence_angle(xi[earth], eta[earth], array)
    ok = np.isfinite(lat) & np.isfinite(inc)
    tb_h = np.full(xi.shape, SKY_TB_K)
    tb_v = np.full(xi.shape, SKY_TB_K)
    where = np.flatnonzero(earth)[ok]
    tb_h[where], tb_v[where] = surface_tb(scene, lat[ok], lon[ok], inc[ok], land_params)
    return tb_h, tb_v


def _truth(scene: xr.Dataset) -> dict:
    return {f"truth_{k}": (("lat", "lon"), scene[k].values.astype(float), scene[k].attrs)
            for k in _SCENE_VARS}  # fmt: skip


def simulate_pass(scene: xr.Dataset, orbit: Orbit, n_snapshots: int,
                  array: InterferometricArray = MIRAS, rng: np.random.Generator | int | None = 0,
                  noise: bool = True, land_params=None) -> xr.Dataset:  # fmt: skip
    """Snapshots of H and V visibilities along a track over ``scene`` (L1a-like Dataset).

    Parameters
    ----------
    scene
        Geophysical scene on ``lat, lon`` (:func:`synthetic_scene`, :func:`scene_from_smap_l4`).
    orbit
        The platform track; consecutive snapshots see each ground point at other incidences,
        which the multi-angle retrieval needs.
    n_snapshots
        Number of snapshots.
    array
        The interferometer (:data:`~fcspace.watercycle.instrument.MIRAS` or ``HR_CONCEPT``).
    rng
        Generator or seed of the thermal noise (runs are reproducible).
    noise
        Add the receivers' thermal noise.
    land_params
        :class:`fcspace.watercycle.land.LandParams` of the forward model (default L-MEB).

    Returns
    -------
    xarray.Dataset
        ``vis_real``, ``vis_imag`` (K) on ``(snapshot, polarization, baseline)``; ``u``, ``v``
        (wavelengths) on ``baseline``; ``platform_lat``, ``platform_lon``, ``heading`` on
        ``snapshot``; the ``truth_*`` scene on ``(lat, lon)``; ``array`` in the attributes.
    """
    from fcspace.watercycle.interferometry import visibilities

    check_scene(scene)
    if n_snapshots < 1:
        raise InputError("need at least one snapshot", variable="n_snapshots")
    gen = np.random.default_rng(rng)
    plat, plon = orbit.positions(n_snapshots, array)
    vis = np.empty((n_snapshots, 2, array.n_visibilities), complex)
    for k in range(n_snapshots):
        tbs = disc_scene_tb(scene, array, plat[k], plon[k], orbit.heading_deg, land_params)
        for p, tb in enumerate(tbs):
            vis[k, p] = visibilities(tb, array, rng=gen, noise=noise)
    uv = array.baselines_uv
    ds = xr.Dataset(
        {"vis_real": (("snapshot", "polarization", "baseline"), vis.real, {"units": "K"}),
         "vis_imag": (("snapshot", "polarization", "baseline"), vis.imag, {"units": "K"}),
         "platform_lat": ("snapshot", plat, {"units": "degrees_north"}),
         "platform_lon": ("snapshot", plon, {"units": "degrees_east"}),
         "heading": ("snapshot", np.full(n_snapshots, orbit.heading_deg), {"units": "degree"}),
         "u": ("baseline", uv[:, 0], {"units": "1", "long_name": "baseline u (wavelengths)"}),
         "v": ("baseline", uv[:, 1], {"units": "1", "long_name": "baseline v (wavelengths)"}),
         **_truth(scene)},
        coords={"polarization": ["H", "V"], "lat": scene["lat"].values,
                "lon": scene["lon"].values,
                "time_offset": ("snapshot", np.arange(n_snapshots) * orbit.stride
                                * array.snapshot_time_s, {"units": "s"})},
        attrs={"title": "fcspace water-cycle simulated visibilities", "array": array.name,
               "noise": int(noise), "sky_tb_k": SKY_TB_K, "orbit_stride": orbit.stride},
    )  # fmt: skip
    return ds


def simulate_snapshot(scene: xr.Dataset, array: InterferometricArray = MIRAS,
                      rng: np.random.Generator | int | None = 0, orbit: Orbit | None = None,
                      noise: bool = True) -> xr.Dataset:  # fmt: skip
    """One snapshot (H and V) with the platform over the scene centre heading north.

    See :func:`simulate_pass` for the layout (one ``snapshot``).
    """
    if orbit is None:
        lat0 = float(scene["lat"].mean()) - _boresight_offset_deg(array)
        orbit = Orbit(lat0, float(scene["lon"].mean()))
    return simulate_pass(scene, orbit, 1, array, rng, noise)


def _boresight_offset_deg(array: InterferometricArray) -> float:
    """Ground arc (deg) from nadir to the boresight point (the antenna looks forward)."""
    lat, _ = ground_point(0.0, 0.0, 0.0, 0.0, 0.0, array)
    return float(lat)


def _scene(lat, lon, fields: dict, title: str) -> xr.Dataset:
    units = {"soil_moisture": "m3 m-3", "optical_depth": "1", "temperature": "K", "land": "1",
             "sss": "1e-3", "sst": "K", "wind": "m s-1"}  # fmt: skip
    data = {k: (("lat", "lon"), np.asarray(v), {"units": units[k]}) for k, v in fields.items()}
    return xr.Dataset(data, coords={"lat": ("lat", lat, {"units": "degrees_north"}),
                                    "lon": ("lon", lon, {"units": "degrees_east"})},
                      attrs={"title": title})  # fmt: skip


def synthetic_scene(seed: int = 0, n: int = 48, cell_deg: float = 0.25,
                    centre: tuple[float, float] = (45.0, 0.0)) -> xr.Dataset:  # fmt: skip
    """A built-in coast: sea in the west third, land with smooth random fields elsewhere.

    Land soil moisture 0.05-0.40 m3/m3, optical depth 0.05-0.5, temperature 285-300 K; sea SSS
    33-37 psu, SST 285-290 K, wind 3-9 m/s; fields smoothed over ~2 cells (Gaussian). ``n x n``
    cells of ``cell_deg`` around ``centre`` (lat, lon).
    """
    from scipy.ndimage import gaussian_filter

    gen = np.random.default_rng(seed)
    lat = centre[0] + (np.arange(n) - (n - 1) / 2) * cell_deg
    lon = centre[1] + (np.arange(n) - (n - 1) / 2) * cell_deg

    def field(low: float, high: float) -> np.ndarray:
        f = gaussian_filter(gen.standard_normal((n, n)), 2.0, mode="wrap")
        f = (f - f.min()) / (np.ptp(f) or 1.0)
        return low + (high - low) * f

    land = np.broadcast_to(np.arange(n) >= n // 3, (n, n)).astype(np.int8)
    fields = {"soil_moisture": field(0.05, 0.40), "optical_depth": field(0.05, 0.5),
              "temperature": field(285.0, 300.0), "land": land, "sss": field(33.0, 37.0),
              "sst": field(285.0, 290.0), "wind": field(3.0, 9.0)}  # fmt: skip
    return _scene(lat, lon, fields, "fcspace synthetic water-cycle scene")


def scene_from_smap_l4(ds: xr.Dataset, rows: slice = slice(300, 364),
                       cols: slice = slice(640, 704), optical_depth: float = 0.1,
                       porosity: float = 0.5) -> xr.Dataset:  # fmt: skip
    """The real SMAP L4_SM analysis (:func:`fcspace.watercycle.io.open_smap_l4_sm`) as a scene.

    ``sm_surface_analysis`` and ``surface_temp_analysis`` on a sub-window of the 9 km EASE-Grid
    2.0 (default: 64 x 64 cells of the south-western US, all land on the shared granule),
    re-labelled on its lat/lon axes (the grid is cylindrical). ASSUMPTIONS: a uniform
    vegetation optical depth ``optical_depth`` (L4 carries none); missing cells filled with
    the window median; soil moisture above ``porosity`` clipped to it (the emission model's
    bound).
    """
    win = ds.isel(y=rows, x=cols)
    sm = win["sm_surface_analysis"].values.astype(float)
    t = win["surface_temp_analysis"].values.astype(float)
    if not np.isfinite(sm).any() or not np.isfinite(t).any():
        raise InputError("the window holds no valid soil moisture", variable="sm_surface_analysis")
    sm = np.clip(np.where(np.isfinite(sm), sm, np.nanmedian(sm)), 0.0, porosity)
    t = np.where(np.isfinite(t), t, np.nanmedian(t))
    shape = sm.shape
    lat = win["lat"].values[::-1]  # ascending latitude
    fields = {"soil_moisture": sm[::-1], "optical_depth": np.full(shape, optical_depth),
              "temperature": t[::-1], "land": np.ones(shape, np.int8),
              "sss": np.full(shape, 35.0), "sst": np.full(shape, 288.0),
              "wind": np.full(shape, 5.0)}  # fmt: skip
    return _scene(lat, win["lon"].values, fields, "SMAP L4_SM analysis window (GMAO)")
