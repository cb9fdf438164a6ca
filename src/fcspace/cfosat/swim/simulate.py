"""Simulated CFOSat SWIM L1 data: an orbit segment through a storm with swell, with its truth.

The simulated L1 is the input of :func:`fcspace.cfosat.swim.process.l1_to_l2`; it is written
and read by :func:`fcspace.cfosat.swim.io.write_l1` and :func:`~fcspace.cfosat.swim.io.open_l1`.
It holds what the L2 processing of SWIM starts from (Hauser et al. 2017; 2021): the nadir
waveforms at the native rate along the ground track, and for each L2 box (one each side of
the track) the speckled modulation periodograms of the 6, 8 and 10 deg beams, averaged per
15 deg azimuth bin; plus the box geometry and the truth (``truth_*``) that validation
compares against.

L1 layout (an ``xarray.Dataset``; dims ``n_nadir_native``, ``n_gates``, ``n_box``,
``n_posneg`` = 2, ``nk`` = 32, ``n_phi`` = 24, ``n_beam_l2`` = 3, ``nparam`` = 3,
``n_system`` = 2); names of the box geometry and axes as in ``docs/swim_layout.md``:

- ``time_nadir_native``, ``lat_nadir_native``, ``lon_nadir_native`` (n_nadir_native): UTC
  (datetime64, 1 us) and degrees of each native nadir waveform (4.5 Hz).
- ``waveform`` (n_nadir_native, n_gates): multi-look nadir waveforms (power, 1).
- ``time_nadir_l2``, ``lat_nadir_l2``, ``lon_nadir_l2``, ``phi_orbit_box`` (n_box): box
  centre on the track and track heading (degree clockwise from north).
- ``time_spec_l2``, ``lat_spec_l2``, ``lon_spec_l2`` (n_posneg, n_box): box centres
  ``SPEC_CROSS_TRACK_M`` from the track; side 0 right of the track, 1 left (as the L2P).
- ``k_spectra`` (nk, m-1), ``phi_vector`` (n_phi, degree), ``beam_incidence`` (n_beam_l2,
  degree: 6, 8, 10).
- ``periodogram`` (nk, n_phi, n_posneg, n_box, n_beam_l2): speckled modulation periodograms
  (m) averaged per box and 15 deg azimuth bin.
- ``mss`` (n_posneg, n_box): ancillary Ku mean-square slope (enters the modulation transfer).
- ``truth_swh_native``, ``truth_wind_native`` (n_nadir_native): SWH (m) and wind (m/s) at
  nadir; ``truth_swh_box``, ``truth_wind_box`` (n_box): their box means.
- ``truth_pp_mean`` (nk, n_phi, n_posneg, n_box): slope spectrum ``k F`` (m2 rad-1) of the
  truth, full circle, not ambiguous, ``phi`` the direction waves travel to.
- ``truth_wave_param`` (nparam, n_posneg, n_box): Hs (m), peak wavelength (m), peak direction
  (degree, modulo 180) of ``truth_pp_mean``; ``truth_wave_param_system`` (nparam, n_system,
  n_posneg, n_box): the same per wave system (0 wind sea, 1 swell).

``waveform`` is calibrated so that the Brown amplitude ``A`` is the nadir sigma0 (linear);
its thermal noise floor is ``A / NADIR_SNR``. Peak parameters of the truth are computed with
the estimators of :mod:`fcspace.cfosat.swim.spectra` (peak centroid, direction modulo 180)
so that product and truth are compared on the same footing.

Sources
-------
- Hauser, D., et al. (2017). SWIM: the first spaceborne wave scatterometer. IEEE TGRS 55(5),
  3000-3014; Hauser, D., et al. (2021). IEEE TGRS 59(1), 5-26 (boxes of 70 km x 90 km each
  side of the track; nadir and off-nadir processing).
- Ground track and box positions: :mod:`fcspace.cfosat.platform` (Vallado 2013, sect. 11.4;
  great-circle destination point of :mod:`fcspace.core.geodesy`, Snyder 1987).
- Abdalla, S. (2012). Marine Geodesy 35(sup1), 276-298 (Ku nadir sigma0 - wind relation,
  inverted here to give the truth sigma0).
- Wave systems: :mod:`fcspace.cfosat.swim.truth` (JONSWAP, cos^2s); periodograms:
  :mod:`fcspace.cfosat.swim.modulation`; waveforms: :mod:`fcspace.cfosat.swim.nadir`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from fcspace.cfosat.platform import CFOSAT, cross_track_points, ground_track
from fcspace.cfosat.swim import modulation, nadir, spectra, truth
from fcspace.cfosat.swim.boxes import SPEC_CROSS_TRACK_M as _BOX_CENTRE_M
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.cfosat.swim.io import L1_DIMS, LAND_FRACTION_LIMIT
from fcspace.core.errors import InputError
from fcspace.core.products import add_history

__all__ = [
    "NADIR_SNR",
    "SPEC_CROSS_TRACK_M",
    "START_LAT",
    "START_LON",
    "StormSwell",
    "simulate_orbit_segment",
    "storm_swell_fields",
]

#: Cross-track distance of the box centres from the track (m): half of one side's 90 km swath
#: (``CFOSAT_SWIM.swath_width_m / 4``, :mod:`fcspace.cfosat.swim.boxes`); the real L2P file
#: measures 43 km.
SPEC_CROSS_TRACK_M = _BOX_CENTRE_M
#: Nadir signal-to-noise ratio and tracker epoch jitter (assumptions, see ``SwimInstrument``).
NADIR_SNR = CFOSAT_SWIM.nadir_snr
TRACKER_JITTER_GATES = CFOSAT_SWIM.tracker_jitter_gates
SPECTRAL_BEAMS = CFOSAT_SWIM.spectral_beams_deg
#: Default first nadir point: open South-East Pacific (a 40-box segment crosses no land).
START_LAT, START_LON = -50.0, -120.0


@dataclass(frozen=True)
class StormSwell:
    """Parametric scene: a storm wind sea crossed by a swell from a distant storm.

    All fields are functions of the along-track ``s`` and cross-track ``x`` distances (m;
    ``x`` > 0 right of the track). The storm is a Gaussian envelope ``g = exp(-r^2 / 2R^2)``
    centred at (``storm_along_m``, ``storm_cross_m``); wind speed and wind-sea Hs grow from
    their background to their maximum with ``g``. The wind-sea peak wavelength follows a
    constant steepness ``Hs / L_p`` (ASSUMPTION: 1/30, a young storm sea), clipped to the
    product grid; the wind sea travels with the wind, whose direction turns by
    ``wind_turn_deg`` across the storm. The swell (narrow JONSWAP, ``gamma`` 7, ``s`` 30;
    Hasselmann et al. 1973, Mitsuyasu et al. 1975) has a slowly varying Hs, a wavelength
    growing along track (dispersion from a distant source) and a direction turning slightly.
    Directions are where the waves travel to, clockwise from north. Numbers are a scene
    choice, not measurements.
    """

    storm_along_m: float | None = None  # None: the middle of the segment
    storm_cross_m: float = 60.0e3
    storm_radius_m: float = 250.0e3
    wind_background: float = 7.0  # m/s
    wind_max: float = 22.0  # m/s
    wind_dir_deg: float = 110.0  # towards, at the storm centre
    wind_turn_deg: float = 30.0
    windsea_hs_background: float = 1.5  # m
    windsea_hs_max: float = 7.6  # m (total Hs ~8 m with the swell)
    windsea_steepness: float = 1.0 / 30.0
    windsea_gamma: float = 3.3
    windsea_s: float = 8.0
    swell_hs: float = 2.5  # m
    swell_wavelength_m: tuple[float, float] = (300.0, 360.0)  # first, last box
    swell_dir_deg: tuple[float, float] = (195.0, 205.0)  # first, last box, towards
    swell_gamma: float = 7.0
    swell_s: float = 30.0


def storm_swell_fields(
    s: np.ndarray, x: np.ndarray, length_m: float, scene: StormSwell = StormSwell()
) -> dict[str, np.ndarray]:
    """Wind and wave-system parameters of :class:`StormSwell` at (``s``, ``x``) (m).

    Returns arrays (broadcast of ``s`` and ``x``): ``wind`` (m/s), ``wind_dir`` (deg, to),
    ``ws_hs``, ``ws_wavelength``, ``ws_dir``, ``sw_hs``, ``sw_wavelength``, ``sw_dir``.
    """
    s, x = np.broadcast_arrays(np.asarray(s, float), np.asarray(x, float))
    s0 = length_m / 2.0 if scene.storm_along_m is None else scene.storm_along_m
    r2 = (s - s0) ** 2 + (x - scene.storm_cross_m) ** 2
    g = np.exp(-0.5 * r2 / scene.storm_radius_m**2)
    frac = np.clip(s / max(length_m, 1.0), 0.0, 1.0)
    ws_hs = scene.windsea_hs_background + (scene.windsea_hs_max - scene.windsea_hs_background) * g
    k = CFOSAT_SWIM.k_spectra
    lo, hi = 2 * np.pi / k[-4], 2 * np.pi / k[6]  # keep the peak well inside the grid
    wind_dir = scene.wind_dir_deg + scene.wind_turn_deg * np.tanh((s - s0) / scene.storm_radius_m)
    return {
        "wind": scene.wind_background + (scene.wind_max - scene.wind_background) * g,
        "wind_dir": wind_dir % 360.0,
        "ws_hs": ws_hs,
        "ws_wavelength": np.clip(ws_hs / scene.windsea_steepness, lo, hi),
        "ws_dir": wind_dir % 360.0,
        "sw_hs": scene.swell_hs * (1.0 + 0.1 * np.sin(2.0 * np.pi * frac)),
        "sw_wavelength": np.interp(frac, [0.0, 1.0], scene.swell_wavelength_m),
        "sw_dir": np.interp(frac, [0.0, 1.0], scene.swell_dir_deg) % 360.0,
    }


def _sigma0_db(wind: np.ndarray) -> np.ndarray:
    """Nadir Ku sigma0 (dB) giving ``wind`` through Abdalla (2012), inverted on a table."""
    table = np.linspace(6.0, 16.0, 2001)
    u = nadir.nadir_wind_speed(table)  # decreasing in sigma0
    return np.interp(wind, u[::-1], table[::-1])


def _cell_spectra(f: dict[str, np.ndarray], scene: StormSwell) -> tuple[np.ndarray, np.ndarray]:
    """Truth elevation spectra per cell: total (..., nk, n_phi), per system (..., 2, nk, n_phi)."""
    shape = f["ws_hs"].shape
    out = np.zeros((*shape, 2, CFOSAT_SWIM.nk, CFOSAT_SWIM.n_phi))
    for idx in np.ndindex(shape):
        out[idx + (0,)] = truth.wave_system_kphi(
            f["ws_hs"][idx], f["ws_wavelength"][idx], f["ws_dir"][idx],
            gamma=scene.windsea_gamma, s=scene.windsea_s,
        )  # fmt: skip
        out[idx + (1,)] = truth.wave_system_kphi(
            f["sw_hs"][idx], f["sw_wavelength"][idx], f["sw_dir"][idx],
            gamma=scene.swell_gamma, s=scene.swell_s,
        )  # fmt: skip
    return out.sum(axis=-3), out


def _params(pp: np.ndarray) -> np.ndarray:
    """(Hs, peak wavelength, peak direction mod 180) of slope spectra (..., nk, n_phi) on axis 0."""
    k, phi = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG
    wl, direc = spectra.peak_kernel(pp, k, phi)
    return np.stack([spectra.hs_kernel(pp, k), wl, direc])


@dataclass(frozen=True)
class _Geometry:
    """Times (s), positions and headings of the native nadir samples and of the boxes."""

    t_native: np.ndarray
    lat_native: np.ndarray
    lon_native: np.ndarray
    box_of_native: np.ndarray
    t_box: np.ndarray
    lat_box: np.ndarray
    lon_box: np.ndarray
    heading_box: np.ndarray
    lat_spec: np.ndarray
    lon_spec: np.ndarray
    speed: float


def _geometry(n_boxes: int, start_lat: float, start_lon: float, ascending: bool) -> _Geometry:
    speed = CFOSAT.ground_speed_m_s
    box_s = CFOSAT_SWIM.box_size_m[1] / speed
    n_native = int(np.floor(n_boxes * box_s * CFOSAT_SWIM.nadir_native_rate_hz))
    t_native = np.arange(n_native) / CFOSAT_SWIM.nadir_native_rate_hz
    t_box = (np.arange(n_boxes) + 0.5) * box_s
    lat_n, lon_n, _ = ground_track(t_native, start_lat, start_lon, ascending)
    lat_b, lon_b, head = ground_track(t_box, start_lat, start_lon, ascending)
    sides = np.array([SPEC_CROSS_TRACK_M, -SPEC_CROSS_TRACK_M])[:, None]  # 0: right, 1: left
    lat_s, lon_s = cross_track_points(lat_b[None, :], lon_b[None, :], head[None, :], sides)
    box_of = np.minimum((t_native // box_s).astype(int), n_boxes - 1)
    return _Geometry(t_native, lat_n, lon_n, box_of, t_box, lat_b, lon_b, head, lat_s, lon_s,
                     speed)  # fmt: skip


def _land_fractions(geo: _Geometry, land: bool) -> tuple[np.ndarray, np.ndarray]:
    """Land fraction of each native nadir footprint and of each box side (zeros: no mask).

    :func:`fcspace.core.landmask.footprint_land_fraction` over the 18 km nadir footprint
    and over a 90 km square around each box centre (covers the 70 x 90 km box).
    """
    if not land:
        return np.zeros(geo.t_native.shape), np.zeros(geo.lat_spec.shape)
    from fcspace.core.landmask import footprint_land_fraction

    nat = footprint_land_fraction(geo.lat_native, geo.lon_native, CFOSAT_SWIM.footprint_m / 2)
    half_box = max(CFOSAT_SWIM.box_size_m) / 2.0
    return nat, footprint_land_fraction(geo.lat_spec, geo.lon_spec, half_box, n=7)


def _box_means(geo: _Geometry, values: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Mean of native values per box over the finite ones (NaN where a box has none)."""
    n_box = geo.t_box.size
    out = []
    for v in values:
        ok = np.isfinite(v)
        count = np.bincount(geo.box_of_native[ok], minlength=n_box)
        total = np.bincount(geo.box_of_native[ok], v[ok], n_box)
        out.append(np.where(count > 0, total / np.maximum(count, 1), np.nan))
    return out


def _nadir_part(
    geo: _Geometry, length: float, scene: StormSwell, rng: np.random.Generator,
    over_land: np.ndarray,
) -> dict[str, xr.DataArray]:  # fmt: skip
    """Native-rate waveforms and nadir truth (module docstring); no ocean echo over land."""
    f = storm_swell_fields(geo.t_native * geo.speed, np.zeros_like(geo.t_native), length, scene)
    swh = np.hypot(f["ws_hs"], f["sw_hs"])
    amp = 10.0 ** (_sigma0_db(f["wind"]) / 10.0)
    steps = rng.normal(0.0, TRACKER_JITTER_GATES / 4.0, swh.size)
    epoch = CFOSAT_SWIM.nominal_tracking_gate + np.clip(np.cumsum(steps), -3.0, 3.0)
    wf = nadir.simulate_waveforms(swh, epoch, amp, rng, noise=amp / NADIR_SNR)
    wf[over_land] = np.nan  # drawn first: the random stream of the ocean samples is unchanged
    swh, wind = np.where(over_land, np.nan, swh), np.where(over_land, np.nan, f["wind"])
    box_mean = _box_means(geo, (swh, wind))
    nat, box = ("n_nadir_native",), ("n_box",)
    return {
        "waveform": xr.DataArray(wf, dims=L1_DIMS["waveform"], attrs={
            "units": "1", "long_name": "nadir waveform, calibrated: Brown amplitude = sigma0; "
            "NaN over land (no ocean echo simulated)"}),
        "truth_swh_native": xr.DataArray(swh, dims=nat, attrs={"units": "m"}),
        "truth_wind_native": xr.DataArray(wind, dims=nat, attrs={"units": "m s-1"}),
        "truth_swh_box": xr.DataArray(box_mean[0], dims=box, attrs={"units": "m"}),
        "truth_wind_box": xr.DataArray(box_mean[1], dims=box, attrs={"units": "m s-1"}),
    }  # fmt: skip


def _spectral_part(
    geo: _Geometry, length: float, scene: StormSwell, rng: np.random.Generator,
    over_land: np.ndarray,
) -> dict[str, xr.DataArray]:  # fmt: skip
    """Truth spectra per (side, box) and the speckled periodograms of the 6/8/10 deg beams.

    Box sides over land (``over_land``, (n_posneg, n_box)) get no ocean wave spectrum: truth
    and periodograms NaN (drawn first, so the random stream of the ocean boxes is unchanged).
    """
    s = geo.t_box[None, :] * geo.speed + np.zeros((2, 1))
    x = np.array([SPEC_CROSS_TRACK_M, -SPEC_CROSS_TRACK_M])[:, None] + 0.0 * s
    f = storm_swell_fields(s, x, length, scene)
    F, systems = _cell_spectra(f, scene)  # (2, n_box, nk, n_phi), (2, n_box, 2, nk, n_phi)
    k = truth.PRODUCT_K
    mss = modulation.mss_cox_munk(f["wind"])
    per = [modulation.simulate_periodograms(F, k, modulation.beam_look(b), mss, rng)
           for b in SPECTRAL_BEAMS]  # fmt: skip
    pp = F * k[:, None]  # slope spectrum k F (truth.slope_spectrum), (2, n_box, nk, n_phi)
    par = _params(pp)  # (nparam, 2, n_box)
    par_sys = np.moveaxis(_params(systems * k[:, None]), 3, 1)  # (nparam, n_system, 2, n_box)
    for a in (*per, pp):
        a[over_land] = np.nan
    par[:, over_land] = np.nan
    par_sys[:, :, over_land] = np.nan
    spec, side_box = L1_DIMS["periodogram"], ("n_posneg", "n_box")
    comment = "rows: 0 Hs (m), 1 peak wavelength (m), 2 peak direction (deg, modulo 180)"
    return {
        "periodogram": xr.DataArray(np.stack(per, -1).transpose(2, 3, 0, 1, 4), dims=spec,
                                    attrs={"units": "m", "long_name": "modulation periodogram "
                                           "averaged per box and azimuth bin (with speckle)"}),
        "mss": xr.DataArray(mss, dims=side_box, attrs={"units": "1", "long_name":
                            "Ku-band mean-square slope (Cox & Munk 1954)"}),
        "truth_pp_mean": xr.DataArray(
            pp.transpose(2, 3, 0, 1), dims=("nk", "n_phi", *side_box), attrs={
                "units": "m2 rad-1", "long_name": "truth slope spectrum k F (not ambiguous)",
                "comment": "phi_vector is the direction waves travel to, clockwise from north"}),
        "truth_wave_param": xr.DataArray(par, dims=("nparam", *side_box),
                                         attrs={"comment": comment}),
        "truth_wave_param_system": xr.DataArray(
            par_sys, dims=("nparam", "n_system", *side_box),
            attrs={"comment": comment + "; systems: 0 wind sea, 1 swell"}),
    }  # fmt: skip


def _axes(geo: _Geometry, start: np.datetime64) -> dict[str, xr.DataArray]:
    """Times, positions and the k / phi / beam axes."""
    us = np.timedelta64(1, "us")  # microsecond times, as the full L2 stores them
    t_nat = (start + np.round(geo.t_native * 1e6).astype(np.int64) * us).astype("datetime64[ns]")
    t_box = (start + np.round(geo.t_box * 1e6).astype(np.int64) * us).astype("datetime64[ns]")
    deg_n, deg_e = {"units": "degrees_north"}, {"units": "degrees_east"}
    return {
        "time_nadir_native": xr.DataArray(t_nat, dims=L1_DIMS["time_nadir_native"]),
        "lat_nadir_native": xr.DataArray(geo.lat_native, dims=("n_nadir_native",), attrs=deg_n),
        "lon_nadir_native": xr.DataArray(geo.lon_native, dims=("n_nadir_native",), attrs=deg_e),
        "time_nadir_l2": xr.DataArray(t_box, dims=("n_box",)),
        "lat_nadir_l2": xr.DataArray(geo.lat_box, dims=("n_box",), attrs=deg_n),
        "lon_nadir_l2": xr.DataArray(geo.lon_box, dims=("n_box",), attrs=deg_e),
        "phi_orbit_box": xr.DataArray(geo.heading_box, dims=("n_box",), attrs={"units": "degree"}),
        "time_spec_l2": xr.DataArray(np.stack([t_box, t_box]), dims=("n_posneg", "n_box")),
        "lat_spec_l2": xr.DataArray(geo.lat_spec, dims=("n_posneg", "n_box"), attrs=deg_n),
        "lon_spec_l2": xr.DataArray(geo.lon_spec, dims=("n_posneg", "n_box"), attrs=deg_e),
        "k_spectra": xr.DataArray(truth.PRODUCT_K, dims=("nk",), attrs={"units": "m-1"}),
        "phi_vector": xr.DataArray(
            truth.PRODUCT_PHI_DEG, dims=("n_phi",), attrs={"units": "degree"}
        ),  # fmt: skip
        "beam_incidence": xr.DataArray(
            np.array(SPECTRAL_BEAMS), dims=("n_beam_l2",), attrs={"units": "degree"}
        ),  # fmt: skip
    }


def simulate_orbit_segment(
    n_boxes: int = 40,
    scene: str = "storm_swell",
    seed: int | np.random.Generator | None = 0,
    *,
    start_lat: float = START_LAT,
    start_lon: float = START_LON,
    ascending: bool = True,
    start_time: np.datetime64 | str = "2022-02-26T17:30:00",
    land: bool = True,
    **scene_kwargs: float,
) -> xr.Dataset:
    """Simulate the SWIM L1 of an orbit segment of ``n_boxes`` L2 boxes (module docstring).

    Parameters
    ----------
    n_boxes
        Boxes along track (90 km each, ``CFOSAT_SWIM.box_size_m``), two per position.
    scene
        ``"storm_swell"`` (:class:`StormSwell`; ``scene_kwargs`` override its fields).
    seed
        Seed or Generator: waveform speckle, tracker jitter and periodogram speckle.
    start_lat, start_lon, ascending, start_time
        First nadir point and time of the segment (ground track:
        :func:`fcspace.cfosat.platform.ground_track`); the default start is in the open
        South-East Pacific (a segment of up to 100 boxes, 9,000 km, crosses no land).
    land
        Apply the land/sea mask (:func:`fcspace.core.landmask.footprint_land_fraction`):
        native nadir footprints with any land get no ocean waveform (NaN) and no truth SWH
        or wind; box sides with any land get no wave spectrum (periodograms and truth NaN).
        The L1 carries ``land_fraction_native`` (n_nadir_native) and ``land_fraction_box``
        (n_posneg, n_box) so that the processor flags them invalid, as the real L2 does.

    Returns
    -------
    xarray.Dataset
        The L1 layout of the module docstring, with ``truth_*``.

    Raises
    ------
    InputError
        Unknown scene or field, fewer than 2 boxes.
    """
    if scene != "storm_swell":
        raise InputError(f"unknown scene {scene!r}, expected 'storm_swell'", variable="scene")
    if n_boxes < 2:
        raise InputError(f"need at least 2 boxes, got {n_boxes}", variable="n_boxes")
    try:
        sc = replace(StormSwell(), **scene_kwargs)
    except TypeError as err:
        raise InputError(f"bad scene parameter: {err}", variable="scene") from err
    rng = np.random.default_rng(seed)
    geo = _geometry(n_boxes, start_lat, start_lon, ascending)
    length = n_boxes * CFOSAT_SWIM.box_size_m[1]
    data = _axes(geo, np.datetime64(start_time, "ns"))
    land_nat, land_box = _land_fractions(geo, land)
    data |= _nadir_part(geo, length, sc, rng, land_nat > LAND_FRACTION_LIMIT)
    data |= _spectral_part(geo, length, sc, rng, land_box > LAND_FRACTION_LIMIT)
    frac = {"units": "1", "standard_name": "land_area_fraction"}
    data["land_fraction_native"] = xr.DataArray(land_nat, dims=("n_nadir_native",), attrs=frac | {
        "long_name": "land fraction of the nadir footprint (GLOBE mask)"})  # fmt: skip
    data["land_fraction_box"] = xr.DataArray(land_box, dims=("n_posneg", "n_box"), attrs=frac | {
        "long_name": "land fraction around the box centre (GLOBE mask)"})  # fmt: skip
    ds = xr.Dataset(data, attrs={
        "title": "fcspace simulated CFOSat SWIM L1 (nadir waveforms, periodograms, truth)",
        "platform": "CFOSAT", "sensor": "SWIM", "processing_level": "L1 (simulated)",
        "scene": scene, "seed": str(seed) if not isinstance(seed, np.random.Generator) else "rng",
    })  # fmt: skip
    return add_history(ds, f"simulate_orbit_segment({n_boxes}, scene={scene!r})")
