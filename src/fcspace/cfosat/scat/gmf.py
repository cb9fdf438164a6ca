"""Scatterometer geophysical model functions (GMF): sigma0 from wind and geometry, by table.

The GMF gives the normalised radar cross-section ``sigma0`` (linear) of the sea surface for a
10-m neutral wind ``speed`` (m/s), the wind direction relative to the radar look
``rel_dir`` (degrees, 0 = upwind, i.e. the wind blows towards the radar, 180 = downwind) and
the ``incidence`` angle (degrees). fcspace ships two tabulated models (package data
``data/gmf_tables.npz``, see ``data/GMF_LICENSE.md``):

- ``"nscat4ds"``: Ku-band NSCAT-4DS, VV and HH (Wang, Stoffelen, Vogelzang, Portabella et
  al. 2017, "Ku-band sea surface radar backscatter at low winds and high incidence...",
  KNMI; the Ku-band GMF used for CFOSat SCAT);
- ``"cmod7"``: C-band CMOD7, VV only (Stoffelen, Verspeek, Vogelzang and Verhoef 2017,
  IEEE JSTARS 10(5), 2123-2134).

The tables are on a regular grid: speed 0.2..50 m/s step 0.2, relative direction 0..180
degrees step 2.5, incidence 16..66 degrees step 1. Between nodes :func:`sigma0` interpolates
trilinearly (linear in each axis, e.g. Press et al. 2007, Numerical Recipes 3rd ed., eq.
3.6.5 extended to three dimensions). The GMF is symmetric about the wind axis (a function of
the cosines of rel_dir, e.g. CMOD's harmonic form, Stoffelen & Anderson 1997, JGR 102(C3)),
so any relative direction is folded into [0, 180]: ``r -> r mod 360``, then ``360 - r`` above
180.

Below the first speed node (0 <= speed < 0.2 m/s) sigma0 goes linearly to zero at calm,
``sigma0(v) = sigma0(0.2) * v / 0.2``: continuous at 0.2 m/s, physically a flat sea returns
(almost) nothing to an oblique radar, and the inversion never needs the model below 0.2 m/s.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import ConfigError, InputError

#: (model, polarisation) pairs available in the package data.
MODELS: dict[str, tuple[str, ...]] = {"nscat4ds": ("VV", "HH"), "cmod7": ("VV",)}

_DATA_FILE = "gmf_tables.npz"


@dataclass(frozen=True, eq=False)
class GmfTable:
    """One GMF table on its regular grid (axes in m/s and degrees, values linear sigma0).

    Attributes
    ----------
    model, pol
        Model name (``"nscat4ds"``, ``"cmod7"``) and polarisation (``"VV"``, ``"HH"``).
    speed0, dspeed, rel_dir0, drel_dir, incidence0, dincidence
        First node and step of each axis.
    values
        Read-only float32 array, C-ordered, shape (n_speed, n_rel_dir, n_incidence).
    """

    model: str
    pol: str
    speed0: float
    dspeed: float
    rel_dir0: float
    drel_dir: float
    incidence0: float
    dincidence: float
    values: NDArray[np.float32]

    @property
    def speed(self) -> NDArray[np.float64]:
        """Speed axis, m/s."""
        return self.speed0 + self.dspeed * np.arange(self.values.shape[0])

    @property
    def rel_dir(self) -> NDArray[np.float64]:
        """Relative direction axis, degrees (0 = upwind)."""
        return self.rel_dir0 + self.drel_dir * np.arange(self.values.shape[1])

    @property
    def incidence(self) -> NDArray[np.float64]:
        """Incidence axis, degrees."""
        return self.incidence0 + self.dincidence * np.arange(self.values.shape[2])

    @property
    def speed_max(self) -> float:
        """Last speed node, m/s."""
        return self.speed0 + self.dspeed * (self.values.shape[0] - 1)

    @property
    def incidence_max(self) -> float:
        """Last incidence node, degrees."""
        return self.incidence0 + self.dincidence * (self.values.shape[2] - 1)


def _normalise(model: str, pol: str) -> tuple[str, str]:
    m, p = str(model).lower(), str(pol).upper()
    if m not in MODELS:
        raise ConfigError(f"unknown GMF model {model!r}; expected one of {sorted(MODELS)}")
    if p not in MODELS[m]:
        raise ConfigError(f"GMF model {m!r} has no {pol!r} table; available: {MODELS[m]}")
    return m, p


@functools.cache
def _archive() -> dict[str, NDArray]:
    ref = resources.files("fcspace.cfosat.scat").joinpath("data", _DATA_FILE)
    with resources.as_file(ref) as path, np.load(path) as npz:
        return {key: npz[key] for key in npz.files}


@functools.cache
def _load(model: str, pol: str) -> GmfTable:
    arc = _archive()
    values = np.ascontiguousarray(arc[f"{model}_{pol.lower()}"], dtype=np.float32)
    values.setflags(write=False)
    spd, rd, inc = arc["speed"], arc["rel_dir"], arc["incidence"]
    return GmfTable(
        model=model,
        pol=pol,
        speed0=float(spd[0]),
        dspeed=float(spd[1] - spd[0]),
        rel_dir0=float(rd[0]),
        drel_dir=float(rd[1] - rd[0]),
        incidence0=float(inc[0]),
        dincidence=float(inc[1] - inc[0]),
        values=values,
    )


def load_table(model: str = "nscat4ds", pol: str = "VV") -> GmfTable:
    """Return the (cached, read-only) GMF table of ``model`` at polarisation ``pol``.

    Parameters
    ----------
    model
        ``"nscat4ds"`` (Wang et al. 2017, KNMI) or ``"cmod7"`` (Stoffelen et al. 2017).
    pol
        ``"VV"`` or ``"HH"`` (case-insensitive); CMOD7 has VV only.

    Returns
    -------
    GmfTable
        Axes and the (speed, rel_dir, incidence) array of linear sigma0.

    Raises
    ------
    ConfigError
        For an unknown model or a polarisation the model lacks.
    """
    return _load(*_normalise(model, pol))


def fold_rel_dir(rel_dir: ArrayLike) -> NDArray[np.float64]:
    """Fold relative directions (degrees, any value) into [0, 180] using GMF symmetry."""
    r = np.mod(np.asarray(rel_dir, dtype=float), 360.0)
    return np.where(r > 180.0, 360.0 - r, r)


def _check_range(x: NDArray, lo: float, hi: float, name: str, unit: str) -> None:
    tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
    bad = (x < lo - tol) | (x > hi + tol)
    if np.any(bad):
        worst = x[bad].flat[0]
        raise InputError(
            f"{worst!r} {unit} is outside the GMF table; valid range is [{lo:g}, {hi:g}] {unit}",
            variable=name,
        )


def _axis_index(x: NDArray, x0: float, dx: float, n: int) -> tuple[NDArray, NDArray]:
    """Lower node index (clipped to [0, n-2]) and the weight of the upper node."""
    f = (x - x0) / dx
    i = np.clip(np.floor(np.nan_to_num(f)), 0, n - 2).astype(np.intp)
    return i, f - i


def _trilinear(table: GmfTable, v: NDArray, r: NDArray, t: NDArray) -> NDArray:
    """Trilinear interpolation on the table grid (v within [speed0, speed_max])."""
    ns, nd, ni = table.values.shape
    i, wi = _axis_index(v, table.speed0, table.dspeed, ns)
    j, wj = _axis_index(r, table.rel_dir0, table.drel_dir, nd)
    k, wk = _axis_index(t, table.incidence0, table.dincidence, ni)
    flat = table.values.ravel()
    base = (i * nd + j) * ni + k
    out = np.zeros(np.shape(v))
    for di, fi in ((0, 1.0 - wi), (1, wi)):
        for dj, fj in ((0, 1.0 - wj), (1, wj)):
            for dk, fk in ((0, 1.0 - wk), (1, wk)):
                out += fi * fj * fk * flat[base + (di * nd + dj) * ni + dk]
    return out


def sigma0(
    speed: ArrayLike,
    rel_dir: ArrayLike,
    incidence: ArrayLike,
    pol: str = "VV",
    model: str = "nscat4ds",
) -> NDArray[np.float64]:
    """Linear sigma0 from the GMF table, trilinearly interpolated, with NumPy broadcasting.

    Parameters
    ----------
    speed
        10-m neutral wind speed, m/s, in [0, 50]. Below 0.2 m/s (the first node) sigma0 goes
        linearly to 0 at calm (see the module docstring).
    rel_dir
        Wind direction relative to the radar look, degrees, 0 = upwind (wind blowing towards
        the radar); any finite value, folded into [0, 180] by symmetry.
    incidence
        Incidence angle, degrees, in [16, 66].
    pol
        ``"VV"`` or ``"HH"``.
    model
        ``"nscat4ds"`` (Wang et al. 2017) or ``"cmod7"`` (Stoffelen et al. 2017, VV only).

    Returns
    -------
    numpy.ndarray
        Linear sigma0, float64, of the broadcast shape; NaN wherever an input is NaN.

    Raises
    ------
    InputError
        Speed or incidence outside the table (naming the variable and the valid range), or an
        infinite relative direction.
    ConfigError
        Unknown model or polarisation.

    Notes
    -----
    Trilinear interpolation (linear in speed, relative direction and incidence in turn; e.g.
    Press et al. 2007, Numerical Recipes 3rd ed., sect. 3.6) reproduces the table exactly at
    its nodes.
    """
    table = load_table(model, pol)
    v, r, t = np.broadcast_arrays(
        np.asarray(speed, dtype=float),
        np.asarray(rel_dir, dtype=float),
        np.asarray(incidence, dtype=float),
    )
    _check_range(v, 0.0, table.speed_max, "speed", "m/s")
    _check_range(t, table.incidence0, table.incidence_max, "incidence", "degrees")
    if np.any(np.isinf(r)):
        raise InputError("relative direction must be finite (NaN for missing)", variable="rel_dir")
    calm = v < table.speed0
    out = _trilinear(table, np.maximum(v, table.speed0), fold_rel_dir(r), t)
    out = np.where(calm, out * v / table.speed0, out)
    nan = np.isnan(v) | np.isnan(r) | np.isnan(t)
    return np.where(nan, np.nan, out)
