"""Archive simulator: N days of CFOSat SCAT L2B and SWIM L2 files from a known climate.

The files are real fcspace products (:func:`fcspace.cfosat.scat.io.write_l2b`,
:func:`fcspace.cfosat.swim.io.write_l2`) that :func:`~fcspace.cfosat.scat.io.open_l2b` and
:func:`~fcspace.cfosat.swim.io.open_swim` read, sampled with the orbit's real pattern:

- **Orbit**: circular sun-synchronous orbit of :data:`~fcspace.cfosat.scat.instrument.CFOSAT_SCAT`
  (519 km, 97.46 deg, period T = 94.8 min, i.e. 15.2 revolutions a day). Revolution ``j`` starts
  at its ascending node at ``t_j = j T`` after the archive epoch; its node longitude drifts by
  ``-(omega_E - Omega_dot) t_j`` (Earth rotation minus the sun-synchronous nodal precession
  ``Omega_dot = 2 pi / 365.2422 d``; Vallado 2013, *Fundamentals of Astrodynamics*, sect. 9.6 and
  11.4). One file per instrument per revolution, ascending and descending halves included.
- **SCAT**: the 42 x 25 km wind vector cells of the 1000 km swath from
  :func:`fcspace.cfosat.scat.simulate.swath_lat_lon` (rows every 25 km along track).
- **SWIM**: nadir boxes every antenna rotation (10.7 s, about 75 km, as the 11 s spacing of the
  real L2P file) with one spectrum box on each side of the track, 43 km from nadir (measured on
  the real L2P file of ``../shared/data/cfosat/ORIGIN.md``); one spectral beam (10 deg).

Reduced sampling for tests and benchmarks (documented in the files' global attributes):
``orbits_per_day`` keeps that many revolutions a day, evenly spread over the day's 15;
``row_step`` keeps one SCAT row in ``row_step`` (cells keep their 25 km size, rows are farther
apart); ``box_step`` keeps one SWIM box in ``box_step``; ``day_step`` simulates one day in
``day_step``. The planet is all ocean (no land or ice mask).

Climate (:class:`Climate`, every number a field of the dataclass): zonal climatologies of wind
speed and significant wave height shaped after the QuikSCAT and altimeter climatologies
(westerlies 10-11 m/s, trades ~8 m/s, doldrums ~5 m/s; Southern Ocean SWH ~4.5 m, tropics
~2 m; e.g. Young 1999, *Wind Generated Ocean Waves*, ch. 9; Risien & Chelton 2008, JPO 38,
2379), a seasonal cycle peaking in each hemisphere's winter, a prescribed linear trend, and
weather noise: each observation is ``mean * exp(sigma e - sigma^2 / 2)`` (log-normal, so the
expected value is exactly the climatological mean), ``e = rho f_day + sqrt(1 - rho^2) w`` with
``w`` white and ``f_day`` a daily large-scale random field (random-phase plane waves on the
sphere, correlation length ``weather_length_m``; Evensen 2003, Ocean Dynamics 53, 343, for
random fields from random phases). Directions get Gaussian noise. Retrieval errors are
multiplicative log-normal too, so every expected value stays analytic
(:meth:`Climate.expected`), which is what L3 means are checked against.

Truth travels with the data: ``truth_speed``/``truth_dir`` (SCAT) and ``truth_nadir_swh_box``/
``truth_swh`` (SWIM) are the realised weather before retrieval errors; the climate parameters
are written to ``archive.json`` beside the files.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat.instrument import CFOSAT_SCAT, ScatInstrument, ground_track_heading
from fcspace.cfosat.scat.simulate import swath_lat_lon
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.cfosat.swim.spectra import wave_params
from fcspace.cfosat.swim.truth import wave_system_kphi
from fcspace.core.errors import ConfigError
from fcspace.core.products import write_atomic

__all__ = [
    "ArchiveConfig",
    "Climate",
    "orbit_starts",
    "scat_orbit",
    "simulate_archive",
    "swim_orbit",
]

SECONDS_PER_YEAR = 365.2425 * 86400.0  # Gregorian mean year
SIDEREAL_NODAL_RATE = 2.0 * np.pi / (365.2422 * 86400.0)  # rad/s, sun-synchronous precession
SWIM_BOX_OFFSET_M = 43.0e3  # spectrum box centre from nadir, measured on the real L2P file
SWIM_BEAM_DEG = 10.0  # the spectral beam written (the L2P beam)
N_AMBIGS = 4


@dataclass(frozen=True)
class Climate:
    """A known climate of winds and waves: zonal means, seasonal cycle, trend, weather noise.

    Times are measured from ``epoch`` in years of 365.2425 days. Latitudes in degrees.
    Expected values (the truth fields of the archive) come from :meth:`expected`.
    """

    epoch: str = "2021-01-01"
    # --- wind speed (m/s): zonal profile, seasonal cycle, trend, weather ---
    wind_base: float = 6.0  # m/s everywhere
    wind_westerlies: float = 4.5  # m/s added at |lat| = 50 (Gaussian of 12 deg)
    wind_trades: float = 2.0  # m/s added at |lat| = 15 (Gaussian of 8 deg)
    wind_doldrums: float = -1.5  # m/s added at the equator (Gaussian of 5 deg)
    wind_seasonal: float = 1.5  # m/s, times sin(lat): + in local winter
    wind_trend: float = 0.0  # m/s per year, everywhere
    wind_weather_sigma: float = 0.35  # log-normal sigma of the weather
    wind_dir_sigma_deg: float = 30.0  # Gaussian direction noise of the weather
    # --- significant wave height (m) ---
    swh_base: float = 1.6
    swh_south: float = 2.8  # m added at 52 S (Gaussian of 14 deg)
    swh_north: float = 1.4  # m added at 52 N
    swh_seasonal: float = 0.6  # m, times sin(lat)
    swh_trend: float = 0.0  # m per year
    swh_weather_sigma: float = 0.3
    # --- peak wavelength (m) and direction ---
    wavelength_base: float = 140.0
    wavelength_high_lat: float = 80.0  # m added at |lat| = 60 ((lat/60)^2 law)
    wavelength_weather_sigma: float = 0.25
    wave_dir_sigma_deg: float = 20.0
    # --- weather structure ---
    weather_rho: float = 0.8  # share (correlation) of the daily large-scale field
    weather_length_m: float = 1500.0e3
    weather_modes: int = 24
    # --- retrieval errors (log-normal sigmas and direction noise) ---
    scat_speed_error: float = 0.08
    scat_dir_error_deg: float = 15.0
    nadir_swh_error: float = 0.05
    spectra_swh_error: float = 0.08

    def years(self, time: np.ndarray) -> np.ndarray:
        """Time since ``epoch`` in years (365.2425 d)."""
        t = np.asarray(time, dtype="datetime64[ns]") - np.datetime64(self.epoch, "ns")
        return t.astype(np.float64) / 1e9 / SECONDS_PER_YEAR

    def _seasonal(self, lat: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Cos of the annual phase (1 on 15 January) times sin(lat): + in local winter."""
        day = (np.asarray(time, "datetime64[ns]") - np.datetime64("1970-01-15", "ns")).astype(
            np.float64
        ) / 86400e9
        return np.sin(np.radians(lat)) * np.cos(2.0 * np.pi * day / 365.2425)

    def wind_speed(self, lat: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Expected wind speed (m/s) at latitudes and times."""
        a = np.abs(lat)
        zonal = (
            self.wind_base
            + self.wind_westerlies * np.exp(-(((a - 50.0) / 12.0) ** 2))
            + self.wind_trades * np.exp(-(((a - 15.0) / 8.0) ** 2))
            + self.wind_doldrums * np.exp(-((lat / 5.0) ** 2))
        )
        return (
            zonal
            + self.wind_seasonal * self._seasonal(lat, time)
            + self.wind_trend * (self.years(time))
        )

    def wind_dir(self, lat: np.ndarray) -> np.ndarray:
        """Climatological wind direction ("to", degrees clockwise from north).

        Trade winds blow towards the west and the equator, westerlies towards the east,
        polar easterlies towards the west.
        """
        east = -np.cos(np.pi * np.asarray(lat) / 60.0)
        north = -0.5 * np.sin(np.pi * np.asarray(lat) / 30.0) * (np.abs(lat) < 30.0)
        return np.degrees(np.arctan2(east, north)) % 360.0

    def swh(self, lat: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Expected significant wave height (m)."""
        zonal = (
            self.swh_base
            + self.swh_south * np.exp(-(((lat + 52.0) / 14.0) ** 2))
            + self.swh_north * np.exp(-(((lat - 52.0) / 14.0) ** 2))
        )
        return (
            zonal
            + self.swh_seasonal * self._seasonal(lat, time)
            + self.swh_trend * (self.years(time))
        )

    def peak_wavelength(self, lat: np.ndarray) -> np.ndarray:
        """Expected peak wavelength (m) of the truth spectra."""
        return self.wavelength_base + self.wavelength_high_lat * np.minimum(
            (np.asarray(lat) / 60.0) ** 2, 1.5
        )

    def expected(self, lat: np.ndarray, time: np.ndarray) -> dict[str, np.ndarray]:
        """Truth fields: expected values of the observed L2 quantities.

        ``wind_speed`` and ``swh``/``nadir_swh`` are exact expected values (the log-normal
        noises have mean 1). The wind components are ``E[s] E[sin d]`` with
        ``E[sin(d0 + e)] = sin(d0) exp(-sigma^2 / 2)`` for Gaussian ``e`` (weather and
        retrieval direction noises add in variance).
        """
        lat = np.asarray(lat, dtype=float)
        speed = self.wind_speed(lat, time)
        d0 = np.radians(self.wind_dir(lat))
        sig = np.radians(np.hypot(self.wind_dir_sigma_deg, self.scat_dir_error_deg))
        damp = np.exp(-(sig**2) / 2.0)
        swh = self.swh(lat, time)
        return {
            "wind_speed": speed,
            "eastward_wind": speed * np.sin(d0) * damp,
            "northward_wind": speed * np.cos(d0) * damp,
            "nadir_swh": swh,
            "swh": swh,
        }

    # ------------------------------------------------------------------ weather noise
    def _large_scale(
        self, lat: np.ndarray, lon: np.ndarray, day: int, seed: int, field: int
    ) -> np.ndarray:
        """Daily large-scale random field of unit variance (random-phase plane waves)."""
        rng = np.random.default_rng([seed, 7919, day, field])
        m = self.weather_modes
        n = rng.normal(size=(m, 3))
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        kappa = CFOSAT_SCAT.earth_radius_m / self.weather_length_m * rng.uniform(0.5, 1.5, m)
        phase = rng.uniform(0.0, 2.0 * np.pi, m)
        la, lo = np.radians(lat), np.radians(lon)
        xyz = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)
        arg = (xyz @ (n * kappa[:, None]).T) + phase
        return np.sqrt(2.0 / m) * np.cos(arg).sum(axis=-1)

    def weather(
        self,
        lat: np.ndarray,
        lon: np.ndarray,
        day: int,
        seed: int,
        field: int,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Standard normal weather noise: ``rho f_day + sqrt(1 - rho^2) w``."""
        big = self._large_scale(lat, lon, day, seed, field)
        rho = self.weather_rho
        return rho * big + np.sqrt(1.0 - rho**2) * rng.standard_normal(np.shape(lat))


def _lognormal(sigma: float, e: np.ndarray) -> np.ndarray:
    """Multiplicative noise of mean 1: exp(sigma e - sigma^2 / 2), e standard normal."""
    return np.exp(sigma * e - sigma**2 / 2.0)


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
    cfg: ArchiveConfig, inst: ScatInstrument = CFOSAT_SCAT
) -> Iterator[tuple[int, float, float]]:
    """(revolution number, start in s from ``cfg.start``, node longitude) of kept revolutions.

    Revolution ``j`` starts at its ascending node at ``j T``; node longitude
    ``-(omega_E - Omega_dot) j T`` (degrees, wrapped), Omega_dot the sun-synchronous precession.
    """
    period = inst.orbit_period_s
    drift = inst.earth_rotation_rad_s - SIDEREAL_NODAL_RATE
    for day in range(0, cfg.days, cfg.day_step):
        first = int(np.ceil(day * 86400.0 / period))
        last = int(np.ceil((day + 1) * 86400.0 / period))
        revs = np.arange(first, last)
        if cfg.orbits_per_day is not None and cfg.orbits_per_day < revs.size:
            pick = np.round(np.linspace(0, revs.size - 1, cfg.orbits_per_day)).astype(int)
            revs = revs[np.unique(pick)]
        for j in revs:
            t0 = j * period
            lon = (np.degrees(-drift * t0) + 180.0) % 360.0 - 180.0
            yield int(j), float(t0), float(lon)


def _offset(lat: np.ndarray, lon: np.ndarray, bearing: np.ndarray, dist_m: float) -> tuple:
    """Point at ``dist_m`` along the great circle of ``bearing`` (deg); spherical Earth.

    Direct problem on the sphere (e.g. Snyder 1987, USGS PP 1395, eqs. 5-5, 5-6).
    """
    p, lam, b = np.radians(lat), np.radians(lon), np.radians(bearing)
    d = dist_m / CFOSAT_SCAT.earth_radius_m
    p2 = np.arcsin(np.sin(p) * np.cos(d) + np.cos(p) * np.sin(d) * np.cos(b))
    lam2 = lam + np.arctan2(np.sin(b) * np.sin(d) * np.cos(p), np.cos(d) - np.sin(p) * np.sin(p2))
    return np.degrees(p2), (np.degrees(lam2) + 180.0) % 360.0 - 180.0


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
    true_speed = climate.wind_speed(lat, times) * _lognormal(climate.wind_weather_sigma, e)
    true_dir = climate.wind_dir(lat) + climate.wind_dir_sigma_deg * rng.standard_normal(lat.shape)
    speed = true_speed * _lognormal(climate.scat_speed_error, rng.standard_normal(lat.shape))
    direc = (true_dir + climate.scat_dir_error_deg * rng.standard_normal(lat.shape)) % 360.0
    return _l2b_dataset(lat, lon, row_time, speed, direc, true_speed, true_dir % 360.0)


def _l2b_dataset(
    lat: np.ndarray,
    lon: np.ndarray,
    row_time: np.ndarray,
    speed: np.ndarray,
    direc: np.ndarray,
    true_speed: np.ndarray,
    true_dir: np.ndarray,
) -> xr.Dataset:
    """Assemble the L2B Dataset (NSOAS names; attributes from the product table)."""
    from fcspace.cfosat.scat import product_specs as ps

    spd, drc, mle = _ambiguities(speed, direc)
    cell, amb = ps.CELL_DIMS, ps.AMBIG_DIMS
    shape = lat.shape
    data = {
        "wvc_lat": (cell, lat),
        "wvc_lon": (cell, lon),
        "row_time": ((ps.ROW,), row_time),
        "wind_speed_selection": (cell, speed),
        "wind_dir_selection": (cell, direc),
        "wvc_selection": (cell, np.ones(shape, np.int8)),
        "num_ambigs": (cell, np.full(shape, N_AMBIGS, np.int8)),
        "wind_speed": (amb, spd),
        "wind_dir": (amb, drc),
        "max_likelihood_est": (amb, mle),
        "model_speed": (cell, true_speed),
        "model_dir": (cell, true_dir),
        "wvc_quality": (cell, np.zeros(shape, np.int32)),
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
    spacing = CFOSAT_SWIM.rotation_period_s * CFOSAT_SCAT.ground_speed_m_s
    nadir_inst = dataclasses.replace(CFOSAT_SCAT, wvc_size_m=spacing, n_cells=1)
    n_box = int(np.ceil(CFOSAT_SCAT.orbit_period_s / CFOSAT_SWIM.rotation_period_s))
    lat, lon, t = swath_lat_lon(n_box, 0.0, node_lon, True, nadir_inst)
    keep = slice(None, None, cfg.box_step)
    lat, lon, t = lat[keep, 0], lon[keep, 0], t[keep]
    u = 2.0 * np.pi * t / CFOSAT_SCAT.orbit_period_s
    heading = ground_track_heading(lat, np.cos(u) > 0)
    sides = [_offset(lat, lon, heading + b, SWIM_BOX_OFFSET_M) for b in (-90.0, 90.0)]
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
    true_nad = climate.swh(tr["lat"], tr["time"]) * _lognormal(climate.swh_weather_sigma, e_nad)
    nadir = true_nad * _lognormal(climate.nadir_swh_error, rng.standard_normal(n))
    tspec = np.broadcast_to(tr["time"], (2, n))
    e_sp = climate.weather(tr["lat_spec"], tr["lon_spec"], day, cfg.seed, 1, rng)
    true_hs = climate.swh(tr["lat_spec"], tspec) * _lognormal(climate.swh_weather_sigma, e_sp)
    hs = true_hs * _lognormal(climate.spectra_swh_error, rng.standard_normal((2, n)))
    wl = climate.peak_wavelength(tr["lat_spec"]) * _lognormal(
        climate.wavelength_weather_sigma, rng.standard_normal((2, n))
    )
    wdir = climate.wind_dir(tr["lat_spec"]) + climate.wave_dir_sigma_deg * rng.standard_normal(
        (2, n)
    )
    pp = _shapes().spectra(hs, wl, wdir)  # (side, box, nk, phi)
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
        "flag_valid_swh_box": ((ps.BOX,), np.zeros(n, np.int8)),
        "pp_mean": (ps.LAYOUT["pp_mean"].dims, pp5),
        "flag_valid_pp_mean": (ps.LAYOUT["pp_mean"].dims, np.zeros(pp5.shape, np.int8)),
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


def _file_name(kind: str, start: str, t0_s: float, rev: int) -> str:
    stamp = np.datetime64(start, "s") + np.timedelta64(int(t0_s), "s")
    text = str(stamp).replace("-", "").replace(":", "")
    tag = {"scat": "SCAT_L2B", "swim": "SWIM_L2"}[kind]
    return f"CFOSAT_{tag}_{text}_{rev:05d}.nc"


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
    out_dir: str | Path, cfg: ArchiveConfig, climate: Climate | None = None
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

    Returns
    -------
    list of pathlib.Path
        The files written, in time order (SCAT before SWIM for each revolution).
    """
    from fcspace.cfosat.scat.io import write_l2b
    from fcspace.cfosat.swim.io import write_l2

    climate = climate or Climate(epoch=cfg.start)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers = {"scat": (scat_orbit, write_l2b), "swim": (swim_orbit, write_l2)}
    paths = []
    for rev, t0, node in orbit_starts(cfg):
        for kind in cfg.instruments:
            make, write = writers[kind]
            ds = _attrs(make(rev, t0, node, cfg, climate), cfg, rev)
            paths.append(write(ds, out / _file_name(kind, cfg.start, t0, rev)))
    meta = {"climate": dataclasses.asdict(climate), "config": dataclasses.asdict(cfg)}
    write_atomic(out / "archive.json", lambda p: p.write_text(json.dumps(meta, indent=2)))
    return paths


def read_climate(archive_dir: str | Path) -> Climate:
    """The :class:`Climate` of an archive written by :func:`simulate_archive`."""
    meta = json.loads((Path(archive_dir) / "archive.json").read_text())
    return Climate(**meta["climate"])
