"""Snow water equivalent from the X/Ka brightness-temperature difference, fitted on SMRT runs.

Forward model (by SMRT, [Picard2018]): one snow layer of density ``rho`` and depth
``d = SWE / rho`` (SWE in mm = kg m^-2), sticky-hard-sphere microstructure of radius ``r``
and stickiness 0.2, improved Born approximation (``iba``) for the scattering and absorption
and the discrete-ordinate solver (``dort``) for the radiative transfer, over a flat soil
half-space of fixed permittivity at the snow temperature (isothermal pack).

Retrieval: the spectral-gradient law of [Chang1987], who wrote the snow depth as
``SD = 1.59 (TB18H - TB37H)`` cm for SMMR (grain radius 0.3 mm, density 0.3 g cm^-3):
volume scattering by the grains cools the high frequency much more than the low one, so the
difference grows with the amount of snow. Adaptation (ASSUMPTION): the water-cycle channels
are X 10.65 GHz and Ka 36.5 GHz (``fcspace.watercycle.instrument.SNOW_CHANNELS``), not
18/37 GHz, and the coefficients are not Chang's but refitted on SMRT runs, per grain radius:
``SWE = c0 + c1 D + c2 D^2 + c3 D^3``, ``D = TB_X - TB_Ka``. The linear form (Chang's) cannot
reach 10 mm over 0-250 mm: at r = 0.5 mm (V) its fit residual is 22 mm, because the Ka
brightness saturates (the Ka layer becomes optically thick in scattering) and ``D`` grows
ever more slowly with SWE; the cubic reaches 4 mm (``tools/fit_snow_coefficients.py`` measures
both, per grain radius, and stores them in the table's diagnostics).
The table runs over grain radius; between nodes the coefficients are interpolated linearly
(the law is linear in them, so this is the linear interpolation of the retrieved SWE).
V polarisation is the default: at 55 deg it is near the Brewster angle of the soil and of the
snow surface, so the difference depends less on the soil and on the thin-layer reflections
than at H (SMRT treats layers thinner than a wavelength incoherently, which makes a small
H step between 0 and 1 mm of snow); H tables are fitted and stored as well.

Saturation (V, 55 deg, density 300 kg m^-3, 260 K; ``tools/fit_snow_coefficients.py``
diagnostics): the slope d(TB_X - TB_Ka)/dSWE falls below a tenth of its value for thin snow at
about 520, 360, 260 and 200 mm for r = 0.3, 0.4, 0.5 and 0.6 mm, so the table stops at
r = 0.6 mm; at r = 1 mm the difference peaks near 175-200 mm and then decreases (no unique
retrieval over 0-250 mm). Below r = 0.3 mm the X-Ka difference stays under ~10 K over 0-250 mm
(grains too small to scatter at Ka), so the table starts there.

Limits (measured, stated): the law holds at the density and temperature it was fitted for.
With sticky hard spheres the scattering of a given radius depends strongly on density: a pack
of 150 mm at r = 0.45 mm, 260 K, retrieves as 327 mm at 250 kg m^-3 and as 80 mm at
350 kg m^-3 (at 300 kg m^-3: 152 mm); the temperature matters less (141-158 mm over
250-270 K). Density (or a grain radius that absorbs it) must therefore be known as well.

Sources
-------
- [Chang1987] Chang, A. T. C., Foster, J. L., Hall, D. K. (1987). Nimbus-7 SMMR derived
  global snow cover parameters. Annals of Glaciology 9, 39-44.
- [Picard2018] Picard, G., Sandells, M., Loewe, H. (2018). SMRT: an active-passive microwave
  radiative transfer model for snow with multiple microstructure and scattering
  formulations (v1.0). Geosci. Model Dev. 11, 2763-2788.
- [Loewe2015] Loewe, H., Picard, G. (2015). Microwave scattering coefficient of snow in MEMLS
  and DMRT-ML revisited: the relevance of sticky hard spheres and tomography-based
  estimates of stickiness. The Cryosphere 9, 2101-2117.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.watercycle.instrument import SNOW_CHANNELS

__all__ = [
    "SweCoefficients",
    "fit_swe_coefficients",
    "load_swe_coefficients",
    "retrieve_swe",
    "snow_channel_frequencies",
    "snowpack_tb",
]

# --- model settings, each stated ---
REFERENCE_DENSITY_KG_M3 = 300.0  # [Chang1987] density 0.3 g cm^-3, used for the fitted table
REFERENCE_TEMPERATURE_K = 260.0  # ASSUMPTION: a cold dry winter pack (-13 C), isothermal
SOIL_PERMITTIVITY = complex(4.0, 0.5)  # ASSUMPTION, unsourced: frozen mineral soil, eps'+i eps''
STICKINESS = 0.2  # ASSUMPTION: the value of SMRT's own make_snowpack example; cf. [Loewe2015]
N_STREAMS = 16  # ASSUMPTION: dort streams; vs 32 streams TB differs by <= 0.35 K (measured)
DEFAULT_INCIDENCE_DEG = float(SNOW_CHANNELS[0].incidence_deg)  # the instrument's (ASSUMPTION)
_POLARIZATIONS = ("V", "H")
_CACHE: dict[tuple[float, ...], NDArray[np.float64]] = {}
_CACHE_MAX = 50_000


def snow_channel_frequencies() -> dict[str, float]:
    """Return the snow channels (``instrument.SNOW_CHANNELS``) as ``{name: frequency in Hz}``.

    X 10.65 GHz and Ka 36.5 GHz, an ASSUMPTION of issue 11 (WCOM heritage) stated there.
    """
    return {c.name: float(c.frequency_hz) for c in SNOW_CHANNELS}


def _check_finite(name: str, value: NDArray[np.float64]) -> None:
    if not np.all(np.isfinite(value)):
        raise InputError("must be finite (NaN or inf found)", variable=name)


def _check_inputs(swe, radius, density, temperature, incidence_deg) -> None:
    for name, value in (("swe_mm", swe), ("grain_radius_m", radius),
                        ("density_kg_m3", density), ("temperature_k", temperature),
                        ("incidence_deg", incidence_deg)):
        _check_finite(name, value)
    if np.any(swe < 0.0):
        raise InputError("snow water equivalent must be >= 0 mm", variable="swe_mm")
    if np.any(radius <= 0.0) or np.any(radius > 5e-3):
        raise InputError("grain radius must be in (0, 5e-3] m", variable="grain_radius_m")
    if np.any(density < 50.0) or np.any(density > 917.0):
        raise InputError("snow density must be in [50, 917] kg m^-3", variable="density_kg_m3")
    if np.any(temperature <= 0.0) or np.any(temperature > 273.15):
        raise InputError("dry snow needs 0 < T <= 273.15 K", variable="temperature_k")
    if np.any(incidence_deg < 0.0) or np.any(incidence_deg >= 90.0):
        raise InputError("incidence must be in [0, 90) degrees", variable="incidence_deg")


def _smrt_run(cases: list[tuple[float, ...]], freqs: tuple[float, ...],
              incidence_deg: float) -> NDArray[np.float64]:
    """Run SMRT once for many snowpacks; returns TB (K), shape (n_cases, n_freq, 2 [V, H])."""
    from smrt import make_model, make_snowpack, sensor_list
    from smrt.inputs.make_soil import make_soil_substrate

    sensor = sensor_list.passive(list(freqs), incidence_deg, list(_POLARIZATIONS))
    model = make_model("iba", "dort", rtsolver_options={"n_max_stream": N_STREAMS})
    packs = []
    for swe, radius, density, temperature in cases:
        soil = make_soil_substrate("flat", SOIL_PERMITTIVITY, temperature=temperature)
        packs.append(make_snowpack([swe / density], "sticky_hard_spheres", density=[density],
                                   radius=[radius], stickiness=STICKINESS,
                                   temperature=[temperature], substrate=soil))
    result = model.run(sensor, packs, parallel_computation="none")
    out = np.empty((len(cases), len(freqs), 2))
    for k, f in enumerate(freqs):
        out[:, k, 0] = np.ravel(result.TbV(frequency=f))
        out[:, k, 1] = np.ravel(result.TbH(frequency=f))
    return out


def _cached_tb(cases: list[tuple[float, ...]], freqs: tuple[float, ...],
               incidence_deg: float) -> NDArray[np.float64]:
    """TB for each case, running SMRT only on the cases not seen before in this process."""
    keys = [(*c, *freqs, incidence_deg) for c in cases]
    todo = sorted({k for k in keys if k not in _CACHE})
    if todo:
        if len(_CACHE) + len(todo) > _CACHE_MAX:
            _CACHE.clear()
        tb = _smrt_run([k[:4] for k in todo], freqs, incidence_deg)
        _CACHE.update(zip(todo, tb, strict=True))
    return np.stack([_CACHE[k] for k in keys])


def snowpack_tb(
    swe_mm: ArrayLike,
    grain_radius_m: ArrayLike,
    density_kg_m3: ArrayLike = REFERENCE_DENSITY_KG_M3,
    temperature_k: ArrayLike = REFERENCE_TEMPERATURE_K,
    channels: Sequence[str] | None = None,
    incidence_deg: float = DEFAULT_INCIDENCE_DEG,
    polarization: str = "V",
) -> dict[str, NDArray[np.float64]]:
    """Brightness temperature of a one-layer dry snowpack on frozen soil, by SMRT.

    The layer (depth ``SWE / rho``, sticky hard spheres of radius ``grain_radius_m``,
    stickiness ``STICKINESS``) lies on a flat soil half-space of permittivity
    ``SOIL_PERMITTIVITY`` at the snow temperature; SMRT ``iba`` + ``dort`` with ``N_STREAMS``
    streams ([Picard2018]); no atmosphere. ``swe_mm = 0`` is bare soil.

    Parameters
    ----------
    swe_mm
        Snow water equivalent in mm (kg m^-2), >= 0.
    grain_radius_m
        Sticky-hard-sphere radius in m.
    density_kg_m3
        Snow density in kg m^-3.
    temperature_k
        Snow (and soil) temperature in K, <= 273.15 (dry snow).
    channels
        Channel names from :func:`snow_channel_frequencies` (default: all, X and Ka).
    incidence_deg
        Incidence angle in degrees.
    polarization
        ``"V"`` or ``"H"``.

    Returns
    -------
    dict
        ``{channel: TB in K}``, each array of the broadcast shape of the inputs.

    Raises
    ------
    InputError
        NaN, negative SWE, non-positive grain radius, wet snow, unknown channel or polarisation.
    """
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                   (swe_mm, grain_radius_m, density_kg_m3, temperature_k)))
    _check_inputs(*arrays, np.asarray(incidence_deg, dtype=float))
    if polarization not in _POLARIZATIONS:
        raise InputError("polarization must be 'V' or 'H'", variable="polarization")
    table = snow_channel_frequencies()
    names = list(table) if channels is None else list(channels)
    unknown = [n for n in names if n not in table]
    if unknown:
        raise InputError(f"unknown channel(s) {unknown}; known: {list(table)}",
                         variable="channels")
    cases = list(zip(*(a.ravel().tolist() for a in arrays), strict=True))
    freqs = tuple(table[n] for n in names)
    tb = _cached_tb(cases, freqs, float(incidence_deg))[..., _POLARIZATIONS.index(polarization)]
    shape = arrays[0].shape
    return {n: tb[:, k].reshape(shape) for k, n in enumerate(names)}


@dataclass(frozen=True)
class SweCoefficients:
    """A table of the SWE law ``SWE = sum_k c_k D^k`` (mm, D = TB_X - TB_Ka in K) per grain radius.

    Attributes
    ----------
    grain_radius_m
        Table nodes, increasing, shape (n,).
    coefficients
        ``c_k`` lowest order first, shape (n, degree + 1).
    polarization
        ``"V"`` or ``"H"``.
    fit_rmse_mm
        Residual RMSE of each node's fit over its SMRT runs, shape (n,).
    settings
        The forward-model settings (density, temperature, incidence, SWE range, versions).
    """

    grain_radius_m: NDArray[np.float64]
    coefficients: NDArray[np.float64]
    polarization: str
    fit_rmse_mm: NDArray[np.float64]
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (lists of floats)."""
        return {"grain_radius_m": self.grain_radius_m.tolist(),
                "coefficients": self.coefficients.tolist(), "polarization": self.polarization,
                "fit_rmse_mm": self.fit_rmse_mm.tolist(), "settings": dict(self.settings)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SweCoefficients:
        """Inverse of :meth:`to_dict`."""
        return cls(np.asarray(d["grain_radius_m"], dtype=float),
                   np.asarray(d["coefficients"], dtype=float), str(d["polarization"]),
                   np.asarray(d["fit_rmse_mm"], dtype=float), dict(d.get("settings", {})))


def fit_swe_coefficients(
    grain_radius_m: ArrayLike,
    polarization: str = "V",
    swe_mm: ArrayLike | None = None,
    degree: int = 3,
    density_kg_m3: float = REFERENCE_DENSITY_KG_M3,
    temperature_k: float = REFERENCE_TEMPERATURE_K,
    incidence_deg: float = DEFAULT_INCIDENCE_DEG,
) -> SweCoefficients:
    """Fit the polynomial [Chang1987]-form law on SMRT runs, one fit per grain radius.

    For each radius, :func:`snowpack_tb` is run over ``swe_mm`` (default 0-250 mm every
    10 mm) and ``SWE = sum_k c_k (TB_X - TB_Ka)^k`` is fitted by least squares on SWE.

    Parameters
    ----------
    grain_radius_m
        Table nodes in m (sorted on output).
    polarization
        ``"V"`` or ``"H"``.
    swe_mm
        SWE values of the training runs in mm.
    degree
        Polynomial degree (1 is Chang's linear law).
    density_kg_m3, temperature_k, incidence_deg
        Forward-model settings, fixed for the whole table.

    Returns
    -------
    SweCoefficients
    """
    radius = np.sort(np.atleast_1d(np.asarray(grain_radius_m, dtype=float)))
    swe = np.linspace(0.0, 250.0, 26) if swe_mm is None else np.asarray(swe_mm, dtype=float)
    if degree < 1 or swe.size <= degree:
        raise InputError("need 1 <= degree < number of SWE runs", variable="degree")
    grid_swe, grid_r = np.meshgrid(swe, radius)
    tb = snowpack_tb(grid_swe, grid_r, density_kg_m3, temperature_k, ("X", "Ka"),
                     incidence_deg, polarization)
    diff = tb["X"] - tb["Ka"]
    coefs = np.empty((radius.size, degree + 1))
    rmse = np.empty(radius.size)
    for i in range(radius.size):
        coefs[i] = np.polynomial.polynomial.polyfit(diff[i], swe, degree)
        resid = np.polynomial.polynomial.polyval(diff[i], coefs[i]) - swe
        rmse[i] = float(np.sqrt(np.mean(resid**2)))
    settings = {"density_kg_m3": density_kg_m3, "temperature_k": temperature_k,
                "incidence_deg": incidence_deg, "swe_min_mm": float(swe.min()),
                "swe_max_mm": float(swe.max()), "degree": degree, **_model_settings()}
    return SweCoefficients(radius, coefs, polarization, rmse, settings)


def _model_settings() -> dict[str, Any]:
    from importlib.metadata import version

    return {"smrt_version": version("smrt"), "microstructure": "sticky_hard_spheres",
            "stickiness": STICKINESS, "emmodel": "iba", "rtsolver": "dort",
            "n_max_stream": N_STREAMS, "soil_permittivity": [SOIL_PERMITTIVITY.real,
                                                             SOIL_PERMITTIVITY.imag],
            "channels_hz": snow_channel_frequencies()}


@lru_cache(maxsize=4)
def load_swe_coefficients(polarization: str = "V") -> SweCoefficients:
    """Load the stored table (package data ``data/snow_coefficients.json``).

    Written by ``tools/fit_snow_coefficients.py`` with the SMRT version it records.
    """
    if polarization not in _POLARIZATIONS:
        raise InputError("polarization must be 'V' or 'H'", variable="polarization")
    text = resources.files("fcspace.watercycle").joinpath("data/snow_coefficients.json")
    doc = json.loads(text.read_text(encoding="utf-8"))
    return SweCoefficients.from_dict(doc["tables"][polarization])


def _interpolated_coefficients(table: SweCoefficients,
                               radius: NDArray[np.float64]) -> NDArray[np.float64]:
    """Coefficients at each radius, linear between the table nodes; shape radius.shape + (k,)."""
    nodes = table.grain_radius_m
    lo, hi = nodes[0], nodes[-1]
    if np.any(radius < lo * (1 - 1e-9)) or np.any(radius > hi * (1 + 1e-9)):
        raise InputError(f"grain radius outside the fitted table [{lo:.3g}, {hi:.3g}] m",
                         variable="grain_radius_m")
    return np.stack([np.interp(radius, nodes, table.coefficients[:, k])
                     for k in range(table.coefficients.shape[1])], axis=-1)


def retrieve_swe(
    tb_x: ArrayLike,
    tb_ka: ArrayLike,
    grain_radius_m: ArrayLike,
    polarization: str = "V",
    coefficients: SweCoefficients | None = None,
    allow_missing: bool = False,
) -> NDArray[np.float64]:
    """Snow water equivalent (mm) from X and Ka brightness temperatures, grain radius known.

    ``SWE = sum_k c_k(r) (TB_X - TB_Ka)^k``, the [Chang1987] spectral-gradient law with
    coefficients fitted on SMRT runs (see the module notes); vectorised, inputs broadcast.
    Results below 0 are set to 0 (no snow). Beyond the fitted range (``settings["swe_max_mm"]``,
    250 mm) the cubic extrapolates and nothing is guaranteed.

    Parameters
    ----------
    tb_x, tb_ka
        Brightness temperatures in K at X (10.65 GHz) and Ka (36.5 GHz), same polarisation.
    grain_radius_m
        Grain (sticky-hard-sphere) radius in m, inside the table's range.
    polarization
        Which stored table to use when ``coefficients`` is not given.
    coefficients
        A table from :func:`fit_swe_coefficients` (default: the stored one).
    allow_missing
        If True, NaN brightness temperatures give NaN SWE (missing data); else InputError.

    Returns
    -------
    numpy.ndarray
        SWE in mm, the broadcast shape of the inputs.
    """
    tx, tka, radius = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                            for v in (tb_x, tb_ka, grain_radius_m)))
    _check_finite("grain_radius_m", radius)
    if np.any(radius <= 0.0):
        raise InputError("grain radius must be > 0", variable="grain_radius_m")
    for name, tb in (("tb_x", tx), ("tb_ka", tka)):
        if not allow_missing:
            _check_finite(name, tb)
        if np.any((tb < 0.0) | (tb > 350.0)):
            raise InputError("brightness temperature must be in [0, 350] K", variable=name)
    table = load_swe_coefficients(polarization) if coefficients is None else coefficients
    coefs = _interpolated_coefficients(table, radius)
    diff = tx - tka
    swe = np.zeros_like(diff)
    for k in range(coefs.shape[-1] - 1, -1, -1):  # Horner
        swe = swe * diff + coefs[..., k]
    return np.where(np.isnan(diff), np.nan, np.maximum(swe, 0.0))
