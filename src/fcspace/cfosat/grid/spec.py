"""The L3 grid, its periods and the quantities it holds: one job, the definitions.

:class:`GridSpec` (a regular global lat-lon grid and the cell of each point), the period of
each time (:func:`period_key`), and the families of gridded quantities with their CF
attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from fcspace.core.errors import ConfigError

#: Grid resolutions offered to users (degrees).
RESOLUTIONS = (0.25, 0.5, 1.0)
PASSES = ("ascending", "descending")
Period = Literal["daily", "monthly"]
PERIOD_UNIT = {"daily": "D", "monthly": "M"}

#: Families of quantities that share one count, and their plain (linear) variables.
#: The ``spectra`` family also carries the axial peak direction.
FAMILIES: dict[str, tuple[str, ...]] = {
    "wind": ("wind_speed", "eastward_wind", "northward_wind"),
    "nadir": ("nadir_swh",),
    "spectra": ("swh", "peak_wavelength"),
}
COUNT_NAME = {"wind": "wind_count", "nadir": "nadir_swh_count", "spectra": "spectra_count"}
AXIAL = "peak_direction"

#: CF attributes of the L3 variables (standard_name, units, long_name).
CF: dict[str, tuple[str | None, str, str]] = {
    "wind_speed": ("wind_speed", "m s-1", "mean 10 m wind speed (SCAT selected winds)"),
    "eastward_wind": ("eastward_wind", "m s-1", "mean eastward 10 m wind component"),
    "northward_wind": ("northward_wind", "m s-1", "mean northward 10 m wind component"),
    "nadir_swh": ("sea_surface_wave_significant_height", "m", "mean SWIM nadir SWH"),
    "swh": ("sea_surface_wave_significant_height", "m", "mean SWH of the SWIM spectra"),
    "peak_wavelength": (None, "m", "mean peak wavelength of the SWIM spectra"),
    AXIAL: (None, "degree", "mean peak direction of the SWIM spectra (axial, modulo 180)"),
}


#: Physical range of each L3 mean (and, from 0, of its standard deviation), inclusive; None for
#: no upper bound. Winds: 10 m winds stay below 100 m/s (the strongest observed sustained wind,
#: Hurricane Patricia 2015, 96 m/s, NHC report); waves: the highest significant wave heights
#: measured are about 20 m (Hanafin et al. 2012, BAMS 93(12), altimeter; WMO 2016 buoy record
#: 19 m), 30 m bounds them; 1500 m is the deep-water wavelength g T^2 / (2 pi) of a 31 s swell,
#: longer than any observed; peak directions are axial (0-180 deg).
L3_RANGES: dict[str, tuple[float, float | None]] = {
    "wind_speed": (0.0, 100.0),
    "eastward_wind": (-100.0, 100.0),
    "northward_wind": (-100.0, 100.0),
    "nadir_swh": (0.0, 30.0),
    "swh": (0.0, 30.0),
    "peak_wavelength": (0.0, 1500.0),
    AXIAL: (0.0, 180.0),
}


def l3_valid_range(name: str) -> tuple[float, float | None] | None:
    """Physical range of an L3 variable (``<var>`` or ``<var>_std``); None for others.

    A standard deviation lies in ``[0, hi - lo]`` of its variable's range (no upper bound for
    the circular spread of the peak direction).
    """
    if name in L3_RANGES:
        return L3_RANGES[name]
    base = name.removesuffix("_std")
    if base == name or base not in L3_RANGES:
        return None
    lo, hi = L3_RANGES[base]
    return (0.0, None if base == AXIAL or hi is None else hi - lo)


def family_variables(family: str) -> tuple[str, ...]:
    """Every L3 variable of a family: means, standard deviations and the count."""
    names = [*FAMILIES[family]] + ([AXIAL] if family == "spectra" else [])
    return (*names, *(f"{n}_std" for n in names), COUNT_NAME[family])


@dataclass(frozen=True)
class GridSpec:
    """A regular global latitude-longitude grid of ``res`` degrees.

    Cells are ``[-90 + i res, -90 + (i + 1) res)`` x ``[-180 + j res, ...)``; the flat cell
    number is ``i * nlon + j``. ``res`` must divide 180.
    """

    res: float

    def __post_init__(self) -> None:
        """Refuse a resolution that does not tile the globe."""
        n = 180.0 / self.res if self.res > 0 else 0.5
        if self.res <= 0 or abs(n - round(n)) > 1e-9:
            raise ConfigError(f"grid resolution {self.res} deg must be > 0 and divide 180")

    @property
    def nlat(self) -> int:
        """Number of latitude bands."""
        return int(round(180.0 / self.res))

    @property
    def nlon(self) -> int:
        """Number of longitude bands."""
        return 2 * self.nlat

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.nlat * self.nlon

    @property
    def lat(self) -> np.ndarray:
        """Cell-centre latitudes (degrees north)."""
        return -90.0 + self.res * (np.arange(self.nlat) + 0.5)

    @property
    def lon(self) -> np.ndarray:
        """Cell-centre longitudes (degrees east, -180..180)."""
        return -180.0 + self.res * (np.arange(self.nlon) + 0.5)

    def cell_index(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Flat cell number of each point; -1 where lat/lon is not finite or |lat| > 90."""
        lat, lon = np.asarray(lat, float), np.asarray(lon, float)
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0)
        i = np.clip(np.floor((np.where(ok, lat, 0.0) + 90.0) / self.res), 0, self.nlat - 1)
        j = np.floor(((np.where(ok, lon, 0.0) + 180.0) % 360.0) / self.res) % self.nlon
        return np.where(ok, i.astype(np.int64) * self.nlon + j.astype(np.int64), -1)


def period_key(time: np.ndarray, period: Period) -> np.ndarray:
    """Start of the period (``datetime64[D]`` or ``[M]``) of each time; NaT stays NaT."""
    if period not in PERIOD_UNIT:
        raise ConfigError(f"period must be 'daily' or 'monthly', not {period!r}")
    return np.asarray(time, dtype="datetime64[ns]").astype(f"datetime64[{PERIOD_UNIT[period]}]")
