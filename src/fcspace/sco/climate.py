"""The known climate of the SCO archive simulator: zonal means, seasons, trend, weather noise.

The climate (:class:`Climate`, every number a field of the dataclass) holds zonal climatologies
of wind speed and significant wave height shaped after the QuikSCAT and altimeter climatologies
(westerlies 10-11 m/s, trades ~8 m/s, doldrums ~5 m/s; Southern Ocean SWH ~4.5 m, tropics ~2 m;
e.g. Young 1999, *Wind Generated Ocean Waves*, ch. 9; Risien & Chelton 2008, JPO 38, 2379), a
seasonal cycle peaking in each hemisphere's winter, a prescribed linear trend, and weather
noise: each observation is ``mean * exp(sigma e - sigma^2 / 2)`` (log-normal, so the expected
value is exactly the climatological mean), ``e = rho f_day + sqrt(1 - rho^2) w`` with ``w``
white and ``f_day`` a daily large-scale random field (random-phase plane waves on the sphere,
correlation length ``weather_length_m``; Evensen 2003, Ocean Dynamics 53, 343, for random
fields from random phases). Directions get Gaussian noise. Retrieval errors are multiplicative
log-normal too, so every expected value stays analytic (:meth:`Climate.expected`), which is
what L3 means are checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fcspace.cfosat.platform import CFOSAT

__all__ = ["SECONDS_PER_YEAR", "Climate", "lognormal"]

SECONDS_PER_YEAR = 365.2425 * 86400.0  # Gregorian mean year


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
        kappa = CFOSAT.earth_radius_m / self.weather_length_m * rng.uniform(0.5, 1.5, m)
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


def lognormal(sigma: float, e: np.ndarray) -> np.ndarray:
    """Multiplicative noise of mean 1: exp(sigma e - sigma^2 / 2), e standard normal."""
    return np.exp(sigma * e - sigma**2 / 2.0)
