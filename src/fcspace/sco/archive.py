"""Archive simulator: N days of CFOSat SCAT L2B and SWIM L2 files from a known climate.

The files are real fcspace products (:func:`fcspace.cfosat.scat.io.write_l2b`,
:func:`fcspace.cfosat.swim.io.write_l2`) that :func:`~fcspace.cfosat.scat.io.open_l2b` and
:func:`~fcspace.cfosat.swim.io.open_swim` read, sampled with the orbit's real pattern:

- **Orbit**: the circular sun-synchronous orbit of the CFOSat platform,
  :data:`fcspace.cfosat.platform.CFOSAT` (period T of about 95 min, about 15 revolutions a
  day). Revolution ``j`` starts at its ascending node at ``t_j = j T`` after the archive epoch;
  its node longitude drifts by ``-(omega_E - Omega_dot) t_j`` (Earth rotation minus the
  sun-synchronous nodal precession; ``CfosatPlatform.node_longitude_deg``, Vallado 2013,
  sect. 9.6 and 11.4). One file per instrument per revolution, ascending and descending halves
  included.
- **SCAT**: the 42 x 25 km wind vector cells of the 1000 km swath from
  :func:`fcspace.cfosat.scat.simulate.swath_lat_lon` (rows every 25 km along track).
- **SWIM**: nadir boxes every antenna rotation (10.7 s, about 75 km, as the 11 s spacing of the
  real L2P file) on the platform's ground track (:func:`fcspace.cfosat.platform.ground_track`)
  with one spectrum box on each side of the track, 43 km from nadir (measured on the real L2P
  file of ``../shared/data/cfosat/ORIGIN.md``); one spectral beam (10 deg).

Reduced sampling for tests and benchmarks (documented in the files' global attributes):
``orbits_per_day`` keeps that many revolutions a day, evenly spread over the day's 15;
``row_step`` keeps one SCAT row in ``row_step`` (cells keep their 25 km size, rows are farther
apart); ``box_step`` keeps one SWIM box in ``box_step``; ``day_step`` simulates one day in
``day_step``. The planet is all ocean (no land or ice mask).

Climate: :class:`~fcspace.sco.climate.Climate` (zonal means, seasonal cycle, trend, weather
noise, all expected values analytic). File names, the writers and ``archive.json``:
:mod:`fcspace.sco.io`.

Truth travels with the data: ``truth_speed``/``truth_dir`` (SCAT) and ``truth_nadir_swh_box``/
``truth_swh`` (SWIM) are the realised weather before retrieval errors; the climate parameters
are written to ``archive.json`` beside the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.platform import CFOSAT, CfosatPlatform, cross_track_points, ground_track
from fcspace.cfosat.scat.instrument import CFOSAT_SCAT
from fcspace.cfosat.scat.product_specs import LAND_FRACTION_LIMIT as SCAT_LAND_LIMIT
from fcspace.cfosat.scat.simulate import swath_lat_lon
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.cfosat.swim.io import LAND_FRACTION_LIMIT as SWIM_LAND_LIMIT
from fcspace.cfosat.swim.spectra import wave_params
from fcspace.cfosat.swim.truth import wave_system_kphi
from fcspace.core.errors import ConfigError
from fcspace.sco.climate import Climate, lognormal
from fcspace.sco.io import archive_file_name, write_archive_meta, write_orbit_file

__all__ = [
    "ArchiveConfig",
    "orbit_starts",
    "scat_orbit",
    "simulate_archive",
    "swim_orbit",
]

SWIM_BOX_OFFSET_M = 43.0e3  # spectrum box centre from nadir, measured on the real L2P file
SWIM_BEAM_DEG = 10.0  # the spectral beam written (the L2P beam)
N_AMBIGS = 4


@dataclass(frozen=True)
class ArchiveConfig:
    """What to simulate: period, sampling reductions, seed (see the module docstring)."""

    days: int
    start: str = "2021-01-01"
    seed: int = 0
    orbits_per_day: int | None = None
    row_step: int = 1
    box_step: int = 1
    day_step: int = 1
    instruments: tuple[str, ...] = ("scat", "swim")

    def __post_init__(self) -> None:
        """Refuse settings that cannot make an archive."""
        steps = (self.row_step, self.box_step, self.day_step)
        if self.days < 1 or min(steps) < 1 or (self.orbits_per_day or 1) < 1:
            raise ConfigError("days, orbits_per_day and the steps must be >= 1")
        if not set(self.instruments) <= {"scat", "swim"} or not self.instruments:
            raise ConfigError(f"instruments must be among scat, swim: {self.instruments}")


def orbit_starts(
    cfg: ArchiveConfig, platform: CfosatPlatform = CFOSAT
) -> Iterator[tuple[int, float, float]]:
    """(revolution number, start in s from ``cfg.start``, node longitude) of kept revolutions.

    Revolution ``j`` starts at its ascending node at ``j T``; node longitude
    ``-(omega_E - Omega_dot) j T`` (degrees, wrapped), Omega_dot the sun-synchronous precession
    (:meth:`~fcspace.cfosat.platform.CfosatPlatform.node_longitude_deg`).
    """
    period = platform.orbit_period_s
    for day in range(0, cfg.days, cfg.day_step):
        first = int(np.ceil(day * 86400.0 / period))
        last = int(np.ceil((day + 1) * 86400.0 / period))
        revs = np.arange(first, last)
        if cfg.orbits_per_day is not None and cfg.orbits_per_day < revs.size:
            pick = np.round(np.linspace(0, revs.size - 1, cfg.orbits_per_day)).astype(int)
            revs = revs[np.unique(pick)]
        for j in revs:
            t0 = j * period
            yield int(j), float(t0), float(platform.node_longitude_deg(t0))


# ------------------------------------------------------------------------------------ SCAT


def _ambiguities(speed: np.ndarray, direc: np.ndarray) -> tuple[np.ndarray, ...]:
    """Four ambiguities, the selected one first: d, d + 180, d + 90, d - 90 (MLE increasing)."""
    offsets = np.array([0.0, 180.0, 90.0, -90.0])
    spd = speed[..., None] * np.array([1.0, 0.97, 0.9, 0.9])
    drc = (direc[..., None] + offsets) % 360.0
    mle = np.broadcast_to(np.array([0.5, 1.5, 4.0, 4.5]), spd.shape)
    return spd, drc, mle


def scat_orbit(
    rev: int, t0_s: float, node_lon: float, cfg: ArchiveConfig, climate: Climate
) -> xr.Dataset:
    """One SCAT revolution in the L2B layout (``docs/scat_layout.md``), with ``truth_*``."""
    inst = CFOSAT_SCAT
    n_rows = int(np.ceil(inst.orbit_period_s * inst.ground_speed_m_s / inst.wvc_size_m))
    lat, lon, t = swath_lat_lon(n_rows, start_lat=0.0, start_lon=node_lon, ascending=True)
    keep = slice(None, None, cfg.row_step)
    lat, lon, t = lat[keep], lon[keep], t[keep]
    start = np.datetime64(cfg.start, "ns")
    row_time = start + np.round((t0_s + t) * 1e9).astype("timedelta64[ns]")
    times = np.broadcast_to(row_time[:, None], lat.shape)
    rng = np.random.default_rng([cfg.seed, 1, rev])
    day = int((t0_s + t[0]) // 86400)
    e = climate.weather(lat, lon, day, cfg.seed, 0, rng)
    true_speed = climate.wind_speed(lat, times) * lognormal(climate.wind_weather_sigma, e)
    true_dir = climate.wind_dir(lat) + climate.wind_dir_sigma_deg * rng.standard_normal(lat.shape)
    speed = true_speed * lognormal(climate.scat_speed_error, rng.standard_normal(lat.shape))
    direc = (true_dir + climate.scat_dir_error_deg * rng.standard_normal(lat.shape)) % 360.0
    return _l2b_dataset(lat, lon, row_time, speed, direc, true_speed, true_dir % 360.0,
                        _land(lat, lon, 0.5 * inst.wvc_size_m, SCAT_LAND_LIMIT))  # fmt: skip


def _land(lat: np.ndarray, lon: np.ndarray, half_size_m: float, limit: float) -> np.ndarray:
    """Cells with land in their footprint (:mod:`fcspace.core.landmask`): no ocean retrieval.

    The footprints and limits are the instruments' own, as the SCAT and SWIM simulators use.
    """
    from fcspace.core.landmask import footprint_land_fraction

    return footprint_land_fraction(lat, lon, half_size_m) > limit


def _l2b_dataset(
    lat: np.ndarray,
    lon: np.ndarray,
    row_time: np.ndarray,
    speed: np.ndarray,
    direc: np.ndarray,
    true_speed: np.ndarray,
    true_dir: np.ndarray,
    land: np.ndarray | None = None,
) -> xr.Dataset:
    """Assemble the L2B Dataset (NSOAS names; attributes from the product table).

    ``land`` cells carry no wind (no ambiguity, no selection) and the land bit (32768) of
    ``wvc_quality``, as the NSOAS product flags them.
    """
    from fcspace.cfosat.scat import product_specs as ps

    land = np.zeros(lat.shape, bool) if land is None else land
    speed, direc = np.where(land, np.nan, speed), np.where(land, np.nan, direc)
    true_speed, true_dir = np.where(land, np.nan, true_speed), np.where(land, np.nan, true_dir)
    spd, drc, mle = _ambiguities(speed, direc)
    mle = np.where(land[..., None], np.nan, mle)
    cell, amb = ps.CELL_DIMS, ps.AMBIG_DIMS
    data = {
        "wvc_lat": (cell, lat),
        "wvc_lon": (cell, lon),
        "row_time": ((ps.ROW,), row_time),
        "wind_speed_selection": (cell, speed),
        "wind_dir_selection": (cell, direc),
        "wvc_selection": (cell, np.where(land, 0, 1).astype(np.int8)),
        "num_ambigs": (cell, np.where(land, 0, N_AMBIGS).astype(np.int8)),
        "wind_speed": (amb, spd),
        "wind_dir": (amb, drc),
        "max_likelihood_est": (amb, mle),
        "model_speed": (cell, true_speed),
        "model_dir": (cell, true_dir),
        "wvc_quality": (cell, np.where(land, ps.QUALITY_LAND, 0).astype(np.int32)),
        "truth_speed": (cell, true_speed.astype(np.float32)),
        "truth_dir": (cell, true_dir.astype(np.float32)),
    }
    ds = xr.Dataset({k: xr.DataArray(v, dims=d) for k, (d, v) in data.items()})
    for name, vs in ps.NSOAS_L2B.variables.items():
        if name in ds:
            ds[name].attrs.update(vs.attrs)
    ds["wvc_quality"].attrs["comment"] = "; ".join(
        f"{m}:{text}" for m, (_, text) in ps.QUALITY_BITS.items()
    )
    ds["truth_speed"].attrs.update(units="m s-1", long_name="true wind speed (simulation)")
    ds["truth_dir"].attrs.update(
        units="degree", standard_name="wind_to_direction", long_name="true wind direction"
    )
    return ds


# ------------------------------------------------------------------------------------ SWIM


@dataclass(frozen=True)
class _SpectralShapes:
    """Normalised k-spectra on the product grid for a table of peak wavelengths.

    ``wave_system_kphi`` (JONSWAP x cos^2s, :mod:`fcspace.cfosat.swim.truth`) is evaluated once
    per tabulated peak wavelength; a box's spectrum is then ``(Hs / 4)^2`` times the nearest
    table shape (in k) times a cos^2s spreading about its direction, renormalised on the grid.
    """

    wavelengths: np.ndarray
    k_shapes: np.ndarray  # (n_wavelengths, nk), sum(shape dk) = 1

    @classmethod
    def make(cls, n: int = 48) -> _SpectralShapes:
        wl = np.geomspace(40.0, 450.0, n)
        k = CFOSAT_SWIM.k_spectra
        dk = np.gradient(k)
        shapes = []
        for w in wl:
            f = wave_system_kphi(4.0, w, 0.0).sum(axis=1)
            shapes.append(f / np.sum(f * dk))
        return cls(wl, np.asarray(shapes))

    def spectra(self, hs: np.ndarray, wavelength: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """Slope spectra ``pp = k F`` (..., nk, n_phi) with Hs exact on the grid, symmetric."""
        k, phi = CFOSAT_SWIM.k_spectra, np.radians(CFOSAT_SWIM.phi_deg)
        idx = np.abs(np.log(wavelength[..., None] / self.wavelengths)).argmin(-1)
        fk = self.k_shapes[idx]  # (..., nk)
        rel = phi - np.radians(direction)[..., None]
        spread = np.cos(rel) ** 20  # cos^2s with s = 10, both senses (SWIM symmetry)
        spread /= spread.sum(-1, keepdims=True) * (2.0 * np.pi / phi.size)
        m0 = (hs / 4.0) ** 2
        return (m0[..., None, None] * fk[..., :, None] * spread[..., None, :]) * k[:, None]


_SHAPES: list[_SpectralShapes] = []


def _shapes() -> _SpectralShapes:
    if not _SHAPES:
        _SHAPES.append(_SpectralShapes.make())
    return _SHAPES[0]


def _swim_track(t0_s: float, node_lon: float, cfg: ArchiveConfig) -> dict[str, Any]:
    """Nadir boxes (every antenna rotation) of one revolution and the spectrum boxes."""
    spacing = CFOSAT_SWIM.rotation_period_s * CFOSAT.ground_speed_m_s
    n_box = int(np.ceil(CFOSAT.orbit_period_s / CFOSAT_SWIM.rotation_period_s))
    t = (np.arange(n_box) * spacing / CFOSAT.ground_speed_m_s)[:: cfg.box_step]
    lat, lon, heading = ground_track(t, 0.0, node_lon, True)
    sides = [
        cross_track_points(lat, lon, heading, d) for d in (-SWIM_BOX_OFFSET_M, SWIM_BOX_OFFSET_M)
    ]
    time = np.datetime64(cfg.start, "ns") + np.round((t0_s + t) * 1e9).astype("timedelta64[ns]")
    return {
        "lat": lat,
        "lon": lon,
        "time": time,
        "heading": heading,
        "lat_spec": np.stack([s[0] for s in sides]),
        "lon_spec": np.stack([s[1] for s in sides]),
    }


def swim_orbit(
    rev: int, t0_s: float, node_lon: float, cfg: ArchiveConfig, climate: Climate
) -> xr.Dataset:
    """One SWIM revolution in the full L2 layout (``docs/swim_layout.md``), one beam (10 deg)."""
    tr = _swim_track(t0_s, node_lon, cfg)
    rng = np.random.default_rng([cfg.seed, 2, rev])
    day = int(t0_s // 86400)
    n = tr["lat"].size
    e_nad = climate.weather(tr["lat"], tr["lon"], day, cfg.seed, 1, rng)
    true_nad = climate.swh(tr["lat"], tr["time"]) * lognormal(climate.swh_weather_sigma, e_nad)
    nadir = true_nad * lognormal(climate.nadir_swh_error, rng.standard_normal(n))
    tspec = np.broadcast_to(tr["time"], (2, n))
    e_sp = climate.weather(tr["lat_spec"], tr["lon_spec"], day, cfg.seed, 1, rng)
    true_hs = climate.swh(tr["lat_spec"], tspec) * lognormal(climate.swh_weather_sigma, e_sp)
    hs = true_hs * lognormal(climate.spectra_swh_error, rng.standard_normal((2, n)))
    wl = climate.peak_wavelength(tr["lat_spec"]) * lognormal(
        climate.wavelength_weather_sigma, rng.standard_normal((2, n))
    )
    wdir = climate.wind_dir(tr["lat_spec"]) + climate.wave_dir_sigma_deg * rng.standard_normal(
        (2, n)
    )
    pp = _shapes().spectra(hs, wl, wdir)  # (side, box, nk, phi)
    # no ocean waves over land: the nadir footprint and the spectrum boxes, as swim.simulate
    land_nad = _land(tr["lat"], tr["lon"], CFOSAT_SWIM.footprint_m / 2, SWIM_LAND_LIMIT)
    land_box = _land(tr["lat_spec"], tr["lon_spec"], max(CFOSAT_SWIM.box_size_m) / 2,
                     SWIM_LAND_LIMIT)  # fmt: skip
    nadir, true_nad = np.where(land_nad, np.nan, nadir), np.where(land_nad, np.nan, true_nad)
    pp[land_box] = np.nan
    true_hs = np.where(land_box, np.nan, true_hs)
    return _swim_dataset(tr, nadir, true_nad, pp, true_hs)


def _swim_dataset(
    tr: dict[str, np.ndarray],
    nadir: np.ndarray,
    true_nad: np.ndarray,
    pp: np.ndarray,
    true_hs: np.ndarray,
) -> xr.Dataset:
    """Assemble the SWIM full-L2 Dataset; wave_param from :func:`wave_params` of pp_mean."""
    from fcspace.cfosat.swim import product_specs as ps

    n = tr["lat"].size
    pp5 = np.moveaxis(pp, (0, 1), (2, 3))[..., None]  # (nk, phi, side, box, beam)
    side_box = (ps.SIDE, ps.BOX)
    data = {
        "time_nadir_l2": ((ps.BOX,), tr["time"]),
        "lat_nadir_l2": ((ps.BOX,), tr["lat"]),
        "lon_nadir_l2": ((ps.BOX,), tr["lon"]),
        "time_spec_l2": (side_box, np.broadcast_to(tr["time"], (2, n))),
        "lat_spec_l2": (side_box, tr["lat_spec"]),
        "lon_spec_l2": (side_box, tr["lon_spec"]),
        "k_spectra": ((ps.K,), CFOSAT_SWIM.k_spectra),
        "phi_vector": ((ps.PHI,), CFOSAT_SWIM.phi_deg),
        "beam_incidence": ((ps.BEAM,), np.array([SWIM_BEAM_DEG])),
        "phi_orbit_box": ((ps.BOX,), tr["heading"]),
        "nadir_swh_box": ((ps.BOX,), nadir),
        "flag_valid_swh_box": ((ps.BOX,), np.isnan(nadir).astype(np.int8)),  # 1: invalid
        "pp_mean": (ps.LAYOUT["pp_mean"].dims, pp5),
        "flag_valid_pp_mean": (ps.LAYOUT["pp_mean"].dims, np.isnan(pp5).astype(np.int8)),
        "truth_nadir_swh_box": ((ps.BOX,), true_nad.astype(np.float32)),
        "truth_swh": (side_box, true_hs.astype(np.float32)),
    }
    ds = xr.Dataset({k: xr.DataArray(v, dims=d) for k, (d, v) in data.items()})
    for name in ds.data_vars:
        if name in ps.LAYOUT:
            ds[name].attrs.update(ps.LAYOUT[str(name)].attrs)
    params = wave_params(ds)
    wp = xr.concat([params["hs"], params["peak_wavelength"], params["peak_direction"]], ps.PARAM)
    ds["wave_param"] = wp.transpose(*ps.LAYOUT["wave_param"].dims).assign_attrs(
        ps.LAYOUT["wave_param"].attrs
    )
    ds["truth_nadir_swh_box"].attrs.update(units="m", long_name="true SWH at nadir (simulation)")
    ds["truth_swh"].attrs.update(units="m", long_name="true SWH of the spectra (simulation)")
    return ds


# ------------------------------------------------------------------------------------ archive


def _attrs(ds: xr.Dataset, cfg: ArchiveConfig, rev: int) -> xr.Dataset:
    ds.attrs.update(
        fcspace_simulated="archive simulator fcspace.sco.archive",
        orbit_number=rev,
        simulation_seed=cfg.seed,
        simulation_sampling=(
            f"orbits_per_day={cfg.orbits_per_day or 'all'} row_step={cfg.row_step} "
            f"box_step={cfg.box_step} day_step={cfg.day_step}"
        ),
    )
    return ds


def simulate_archive(
    out_dir: str | Path,
    cfg: ArchiveConfig,
    climate: Climate | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[Path]:
    """Write an archive of SCAT L2B and SWIM L2 files, one per instrument and revolution.

    Parameters
    ----------
    out_dir
        Folder for the files (created); ``archive.json`` there holds the climate and config.
    cfg
        Period, reduced sampling and seed (:class:`ArchiveConfig`); runs are reproducible.
    climate
        The known climate (:class:`Climate`); its ``epoch`` defaults to ``cfg.start``.
    progress
        Called with the number of revolutions written after each one (a progress bar).

    Returns
    -------
    list of pathlib.Path
        The files written, in time order (SCAT before SWIM for each revolution).
    """
    climate = climate or Climate(epoch=cfg.start)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    makers = {"scat": scat_orbit, "swim": swim_orbit}
    paths = []
    for done, (rev, t0, node) in enumerate(orbit_starts(cfg)):
        for kind in cfg.instruments:
            ds = _attrs(makers[kind](rev, t0, node, cfg, climate), cfg, rev)
            paths.append(
                write_orbit_file(kind, ds, out / archive_file_name(kind, cfg.start, t0, rev))
            )
        if progress is not None:
            progress(done + 1)
    write_archive_meta(out, climate, cfg)
    return paths
