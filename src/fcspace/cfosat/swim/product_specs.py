"""SWIM L2 product layouts, described as data (one table for memory, one spec per file layout).

The readers of :mod:`fcspace.cfosat.swim.io` hold no product branch: :data:`LAYOUT` describes
every in-memory variable (``docs/swim_layout.md``) and a :class:`ProductSpec` says how a file
layout stores it (size of ``n_phi``, beam dimension, time encoding, required variables). The
idea of describing product variants as data comes from satpy's reader configuration files.

Sources
-------
- AVISO/CNES, *CFOSat SWIM L2P product user manual* (box product): variable names, units,
  ``flag_valid_*`` meanings (0 = valid, 1 = invalid), fill value 9.96921e36 and the time
  origin 2000-01-01, as in the real file of ``../shared/data/cfosat/ORIGIN.md``.
- CNES, *CFOSat SWIM L2 product specification* (CF-GSFR-SP-804-CNES, cited by the file's
  ``references``): ``pp_mean`` on 12 half-plane directions and ``n_beam_l2`` beams,
  ``p_combined``, ``wave_param_combined``, nadir at native / 1 Hz / box rates, time as
  (seconds, microseconds) since 2009-01-01 on ``n_tim``.
- CF conventions 1.8 (units, ``status_flag``, ``flag_values``/``flag_meanings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fcspace.core.validation import NOW_PLUS_ONE_YEAR, ProductRules, VariableRule

#: Float fill value of the SWIM products (the NetCDF default float fill).
FILL_FLOAT = np.float32(9.96921e36)
#: int8 fill value of the SWIM products.
FILL_INT8 = np.int8(-127)
#: int64 fill of fcspace's two-column times.
FILL_TIME = np.iinfo(np.int64).min

#: Time origins: L2P (seconds since 2000-01-01) and full L2 ((s, us) since 2009-01-01).
EPOCH_L2P = np.datetime64("2000-01-01T00:00:00", "ns")
EPOCH_L2 = np.datetime64("2009-01-01T00:00:00", "ns")
#: CFOSat launch date: no SWIM measurement is older (times before it are corrupt).
MISSION_START = np.datetime64("2018-10-29T00:00:00", "ns")

N_PHI_FULL = 24
N_PHI_HALF = 12
BEAM, PHI, PHI_FULL, TIM = "n_beam_l2", "n_phi", "n_phi_full", "n_tim"
BOX, SIDE, K, PARAM, PART = "n_box", "n_posneg", "nk", "nparam", "npartitions"
NATIVE, ONE_HZ = "n_nadir_native", "n_nadir_1hz"

#: Global attribute of fcspace's full L2 files.
LAYOUT_ATTR = "fcspace_swim_layout"


@dataclass(frozen=True)
class SwimVar:
    """One in-memory variable of the SWIM layout.

    Attributes
    ----------
    dims
        In-memory dimensions (``n_phi`` = 24, beam variables on ``n_beam_l2``).
    attrs
        CF attributes of the in-memory variable.
    kind
        ``"float"`` (float64, fill to NaN, radians to degrees), ``"time"`` (datetime64[ns], NaT),
        ``"flag"`` (int8 ``flag_valid_*``, 0 = valid, fill to 1) or ``"int"`` (int8, fill to
        ``missing``).
    flag
        The ``flag_valid_*`` variable whose non-zero values mask this one to NaN.
    coverage
        ``"any"``: at least one valid value is required; ``"all"``: every value must be valid;
        None: no check (geophysical values may all be missing).
    position
        Times: the (lat, lon) variables; a time with a missing position is implausible.
    odd
        Direction symmetry: False: F(phi + 180) = F(phi); True: M(phi + 180) = -M(phi).
    missing
        Integer kinds: in-memory value of a fill.
    """

    dims: tuple[str, ...]
    attrs: dict[str, Any] = field(default_factory=dict)
    kind: str = "float"
    flag: str | None = None
    coverage: str | None = None
    position: tuple[str, str] | None = None
    odd: bool = False
    missing: int = 0


def _a(standard_name: str | None, units: str | None, long_name: str, **more: Any) -> dict:
    attrs: dict[str, Any] = {"long_name": long_name}
    if units is not None:
        attrs["units"] = units
    if standard_name:
        attrs["standard_name"] = standard_name
    attrs.update(more)
    return attrs


_FLAG = {"flag_values": np.array([0, 1], dtype=np.int8), "flag_meanings": "valid invalid"}
_DIR = "clockwise from geographic north; SWIM spectra are 180 degree ambiguous"
_PARAMS = "rows: 0 significant wave height (m), 1 peak wavelength (m), 2 peak direction (degree, "
_PARAMS += _DIR + ")"
_SPEC = (K, PHI, SIDE, BOX, BEAM)
_HS_NOTE = "Hs = 4 sqrt(sum(pp_mean / k * dk * dphi)) over the 24 directions, dphi in radians"


def _lat(where: str) -> dict:
    return _a("latitude", "degrees_north", f"mean latitude of {where}")


def _lon(where: str) -> dict:
    return _a("longitude", "degrees_east", f"mean longitude of {where}")


def _time(where: str, position: tuple[str, str], dims: tuple[str, ...]) -> SwimVar:
    attrs = _a("time", None, f"mean time of {where} (UTC)", axis="T")
    return SwimVar(dims, attrs, "time", coverage="any", position=position)


def _nadir(rate: str, dim: str) -> dict[str, SwimVar]:
    """Time, position, SWH and its flag of the nadir beam at one rate (full L2 only)."""
    flag = f"flag_valid_swh_{rate}"
    return {
        f"time_nadir_{rate}": _time(
            f"nadir {rate} sample", (f"lat_nadir_{rate}", f"lon_nadir_{rate}"), (dim,)
        ),
        f"lat_nadir_{rate}": SwimVar((dim,), _lat(f"nadir {rate} sample")),
        f"lon_nadir_{rate}": SwimVar((dim,), _lon(f"nadir {rate} sample")),
        f"nadir_swh_{rate}": SwimVar(
            (dim,), _a("sea_surface_wave_significant_height", "m", f"nadir SWH, {rate}"), flag=flag
        ),
        flag: SwimVar(
            (dim,), _a("status_flag", None, f"quality of nadir SWH, {rate}", **_FLAG), "flag"
        ),
        f"nadir_wind_{rate}": SwimVar(
            (dim,), _a("wind_speed", "m s-1", f"nadir wind speed, {rate}"),
            flag=f"flag_valid_wind_{rate}",
        ),
        f"flag_valid_wind_{rate}": SwimVar(
            (dim,), _a("status_flag", None, f"quality of nadir wind speed, {rate}", **_FLAG),
            "flag",
        ),
    }  # fmt: skip


def _box_corners() -> dict[str, SwimVar]:
    """Centre and latitude / longitude bounds of each L2 box (one per side; full L2 only)."""
    where = "L2 box (one each side of the track)"
    out = {"lat_l2": SwimVar((SIDE, BOX), _lat(f"{where}, at mid-range")),
           "lon_l2": SwimVar((SIDE, BOX), _lon(f"{where}, at mid-range"))}  # fmt: skip
    for bound in ("min", "max"):
        out[f"{bound}_lat_l2"] = SwimVar(
            (SIDE, BOX), _a("latitude", "degrees_north", f"{bound}imum latitude of the {where}")
        )
        out[f"{bound}_lon_l2"] = SwimVar(
            (SIDE, BOX), _a("longitude", "degrees_east", f"{bound}imum longitude of the {where}")
        )
    return out


#: Every in-memory variable (``docs/swim_layout.md``).
LAYOUT: dict[str, SwimVar] = {
    "time_nadir_l2": _time("box area", ("lat_nadir_l2", "lon_nadir_l2"), (BOX,)),
    "time_spec_l2": _time("2D spectrum coverage area", ("lat_spec_l2", "lon_spec_l2"), (SIDE, BOX)),
    "lat_nadir_l2": SwimVar((BOX,), _lat("nadir beam in each box"), coverage="any"),
    "lon_nadir_l2": SwimVar((BOX,), _lon("nadir beam in each box"), coverage="any"),
    "lat_spec_l2": SwimVar((SIDE, BOX), _lat("2D spectrum coverage area"), coverage="any"),
    "lon_spec_l2": SwimVar((SIDE, BOX), _lon("2D spectrum coverage area"), coverage="any"),
    "k_spectra": SwimVar((K,), _a(None, "m-1", "wave number (bin centre)"), coverage="all"),
    "phi_vector": SwimVar(
        (PHI,), _a(None, "degree", "wave direction (bin centre), " + _DIR), coverage="all"
    ),
    "beam_incidence": SwimVar(
        (BEAM,), _a(None, "degree", "incidence angle of the spectral beam"), coverage="all"
    ),
    "phi_orbit_box": SwimVar(
        (BOX,), _a("platform_course", "degree", "track heading, clockwise from north")
    ),
    "nadir_swh_box": SwimVar(
        (BOX,),
        _a("sea_surface_wave_significant_height", "m", "nadir SWH averaged by box"),
        flag="flag_valid_swh_box",
    ),
    "flag_valid_swh_box": SwimVar(
        (BOX,), _a("status_flag", None, "quality flag on nadir_swh_box", **_FLAG), "flag"
    ),
    "nadir_wind_box": SwimVar(
        (BOX,),
        _a("wind_speed", "m s-1", "nadir wind speed averaged by box"),
        flag="flag_valid_wind_box",
    ),
    "flag_valid_wind_box": SwimVar(
        (BOX,), _a("status_flag", None, "quality flag on nadir_wind_box", **_FLAG), "flag"
    ),
    "swh_ecmwf": SwimVar(
        (SIDE, BOX), _a("sea_surface_wave_significant_height", "m", "SWH from ECMWF")
    ),
    "u10_ecmwf": SwimVar((SIDE, BOX), _a("eastward_wind", "m s-1", "10 m u wind from ECMWF")),
    "v10_ecmwf": SwimVar((SIDE, BOX), _a("northward_wind", "m s-1", "10 m v wind from ECMWF")),
    "pp_mean": SwimVar(
        _SPEC,
        _a(None, "m2 rad-1", "best 2D mean slope spectrum", comment=_HS_NOTE),
        flag="flag_valid_pp_mean",
    ),
    "flag_valid_pp_mean": SwimVar(
        _SPEC,
        _a("status_flag", None, "validation flag of pp_mean (all criteria)", **_FLAG),
        "flag",
    ),
    "wave_param": SwimVar(
        (PARAM, SIDE, BOX, BEAM),
        _a(None, None, "wave parameters of the whole spectrum", comment=_PARAMS),
    ),
    "wave_param_part": SwimVar(
        (PARAM, PART, SIDE, BOX, BEAM),
        _a(None, None, "wave parameters of the partitions", comment=_PARAMS),
    ),
    "mask_spectrum": SwimVar(
        (K, PHI, PART, SIDE, BOX, BEAM),
        _a(None, "1", "partition mask of pp_mean (1 partition, -1 its symmetric, 0 outside)"),
        "int",
        odd=True,
    ),
    "number_of_partitions": SwimVar(
        (SIDE, BOX, BEAM),
        _a(None, "1", "number of partitions on pp_mean (-1: missing)"),
        "int",
        missing=-1,
    ),
    "p_combined": SwimVar(
        (K, PHI, SIDE, BOX), _a(None, "m2 rad-1", "2D slope spectrum, all beams combined")
    ),
    "wave_param_combined": SwimVar(
        (PARAM, SIDE, BOX), _a(None, None, "wave parameters of p_combined", comment=_PARAMS)
    ),
    **_nadir("native", NATIVE),
    **_nadir("1hz", ONE_HZ),
    "nadir_swh_1hz_std": SwimVar(
        (ONE_HZ,), _a(None, "m", "standard deviation of the native SWH in the 1 Hz average"),
        flag="flag_valid_swh_1hz",
    ),
    "nadir_swh_1hz_used_native": SwimVar(
        (ONE_HZ,), _a(None, "1", "native SWH values kept in the 1 Hz average (-1: missing)"),
        "int",
        missing=-1,
    ),
    **_box_corners(),
}

#: Variables every SWIM file must hold (either layout).
REQUIRED = frozenset(
    {
        "time_nadir_l2", "time_spec_l2", "lat_nadir_l2", "lon_nadir_l2", "lat_spec_l2",
        "lon_spec_l2", "k_spectra", "phi_vector", "nadir_swh_box", "flag_valid_swh_box",
        "pp_mean", "flag_valid_pp_mean", "wave_param",
    }
)  # fmt: skip

#: Variables of the full L2 only.
L2_ONLY = frozenset(
    {"beam_incidence", "p_combined", "wave_param_combined", *_box_corners()}
    | {name for name, v in LAYOUT.items() if NATIVE in v.dims or ONE_HZ in v.dims}
)


def _group(dim: str) -> frozenset[str]:
    return frozenset(name for name, v in LAYOUT.items() if dim in v.dims)


_RATES = {rate: (_group(dim), frozenset(f"{q}_nadir_{rate}" for q in ("time", "lat", "lon")))
          for rate, dim in (("native", NATIVE), ("1hz", ONE_HZ))}  # fmt: skip
#: Variables that come in groups: a file holding any member of a group must hold the group's
#: positions and times (a nadir rate, or box bounds, that cannot be placed is refused).
GROUPS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    *_RATES.values(),
    (frozenset(_box_corners()), frozenset(_box_corners())),
)


def required_with(names: Iterable[str]) -> frozenset[str]:
    """Positions and times that ``names`` (a file's variables) require (:data:`GROUPS`)."""
    present = set(names)
    return frozenset().union(*(need for members, need in GROUPS if members & present))


@dataclass(frozen=True)
class ProductSpec:
    """A file layout: how the :data:`LAYOUT` variables are stored.

    Attributes
    ----------
    name
        Human-readable product name (used in messages and history).
    n_phi
        Size of ``n_phi`` in the file: 24 (full circle) or 12 (half plane, 0-180 degree).
    beam_dim
        Whether beam variables carry ``n_beam_l2`` in the file.
    time_columns
        Times as (seconds, microseconds) on ``n_tim`` (full L2) rather than float seconds.
    epoch
        Time origin.
    required
        Variables the file must hold; optional ones are the rest of ``variables``.
    variables
        The :data:`LAYOUT` variables this layout may hold.
    """

    name: str
    n_phi: int
    beam_dim: bool
    time_columns: bool
    epoch: np.datetime64
    required: frozenset[str]
    variables: frozenset[str]

    def file_dims(self, name: str) -> tuple[str, ...]:
        """Dimensions of ``name`` in the file."""
        dims = LAYOUT[name].dims
        if not self.beam_dim and name != "beam_incidence":
            dims = tuple(d for d in dims if d != BEAM)
        if self.time_columns and LAYOUT[name].kind == "time":
            dims = (*dims, TIM)
        return dims


#: CNES/AVISO SWIM L2P box product (beam 10 degrees only).
AVISO_L2P = ProductSpec(
    "CNES/AVISO CFOSat SWIM L2P box",
    N_PHI_FULL,
    beam_dim=False,
    time_columns=False,
    epoch=EPOCH_L2P,
    required=REQUIRED,
    variables=frozenset(LAYOUT) - L2_ONLY,
)

#: fcspace's own full SWIM L2 (CFOSat SWIM L2 product specification layout).
FCSPACE_L2 = ProductSpec(
    "fcspace CFOSat SWIM L2",
    N_PHI_HALF,
    beam_dim=True,
    time_columns=True,
    epoch=EPOCH_L2,
    required=REQUIRED | {"beam_incidence"},
    variables=frozenset(LAYOUT),
)

#: The SWIM L2 that CNES distributes (``CFO_OP05_SWI_L2_____F_*.nc``, processor 5.1.2), as
#: written by fcspace since issue 15: stored names and dims differ from :data:`FCSPACE_L2`
#: (:mod:`fcspace.cfosat.swim.cnes_l2` renames them before decoding); ``flag_valid_pp_mean``
#: is optional (not confirmed in the real product by public code).
CNES_L2 = ProductSpec(
    "CNES CFOSat SWIM L2",
    N_PHI_HALF,
    beam_dim=True,
    time_columns=True,
    epoch=EPOCH_L2,
    required=(REQUIRED - {"flag_valid_pp_mean"}) | {"beam_incidence"},
    variables=frozenset(LAYOUT),
)


# --------------------------------------------------------------------------------------------
# Validation rules (fcspace.core.validation), on the in-memory names and dims. A range declared
# by the file (valid_min / valid_max) replaces the physical one; a masked value of a variable
# with a flag_valid_* sets that flag to 1 (invalid). Times: plausible_times (layout.py).
# --------------------------------------------------------------------------------------------


def _rule(name: str, lo: float | None, hi: float | None, **kw: Any) -> VariableRule:
    return VariableRule(name, lo, hi, dims=LAYOUT[name].dims, **kw)


#: Physical ranges: SWH 0-30 m and wind 0-75 m/s at nadir (the file declares 0-100), spectral
#: densities >= 0, positions on the Earth; axes out of range are refused (the file is not what
#: it claims). ``phi_orbit_box`` is converted from radians: the file's 0-7 rad is not used.
SWIM_RULES = ProductRules(
    "CFOSat SWIM L2/L2P",
    (
        *(_rule(f"lat_{w}", -90.0, 90.0, also_mask=(f"lon_{w}",))
          for w in ("nadir_l2", "spec_l2", "nadir_native", "nadir_1hz")),
        *(_rule(f"lon_{w}", -180.0, 360.0, also_mask=(f"lat_{w}",))
          for w in ("nadir_l2", "spec_l2", "nadir_native", "nadir_1hz")),
        _rule("k_spectra", 0.0, 10.0, action="refuse"),
        _rule("phi_vector", -360.0, 360.0, action="refuse"),
        _rule("beam_incidence", 0.0, 90.0, action="refuse", use_file_range=False),
        _rule("phi_orbit_box", -360.0, 360.0, use_file_range=False),
        *(_rule(f"nadir_swh_{r}", 0.0, 30.0) for r in ("box", "native", "1hz")),
        *(_rule(f"nadir_wind_{r}", 0.0, 75.0) for r in ("native", "1hz")),
        _rule("nadir_swh_1hz_std", 0.0, 30.0),
        _rule("lat_l2", -90.0, 90.0, also_mask=("lon_l2",)),
        _rule("lon_l2", -180.0, 360.0, also_mask=("lat_l2",)),
        *(_rule(f"{b}_lat_l2", -90.0, 90.0) for b in ("min", "max")),
        *(_rule(f"{b}_lon_l2", -180.0, 360.0) for b in ("min", "max")),
        _rule("nadir_wind_box", 0.0, 75.0),
        _rule("swh_ecmwf", 0.0, 30.0),
        _rule("u10_ecmwf", -100.0, 100.0),
        _rule("v10_ecmwf", -100.0, 100.0),
        _rule("pp_mean", 0.0, None),
        _rule("p_combined", 0.0, None),
        _rule("wave_param", None, None),
        _rule("wave_param_part", None, None),
        _rule("wave_param_combined", None, None),
    ),
)  # fmt: skip


def _l1(name: str, lo: float | str | None, hi: float | str | None, **kw: Any) -> VariableRule:
    return VariableRule(name, lo, hi, use_file_range=False, **kw)


_WHERE_L1 = ("nadir_native", "nadir_l2", "spec_l2")

#: The simulated SWIM L1 (:mod:`fcspace.cfosat.swim.simulate`, read by ``io.open_l1``): times
#: outside the mission life (2018-10-29 .. now + 1 year) become NaT; positions off the Earth,
#: headings beyond a turn, negative or infinite waveform / periodogram powers, mean-square
#: slopes and land fractions outside [0, 1] and truth values outside the L2 ranges are masked
#: and counted; axes out of range are refused. Upper bounds on powers: a calibrated waveform
#: sample is a linear sigma0 (Ku nadir sigma0 < 30 dB over the ocean; 1e4 = 40 dB is
#: impossible); a modulation periodogram bin (m) above 1 is ten times what the simulator's
#: 8 m storm gives.
SWIM_L1_RULES = ProductRules(
    "CFOSat SWIM L1 (simulated)",
    (
        *(_l1(f"time_{w}", "2018-10-29T00:00:00", NOW_PLUS_ONE_YEAR) for w in _WHERE_L1),
        *(_l1(f"lat_{w}", -90.0, 90.0, also_mask=(f"lon_{w}",)) for w in _WHERE_L1),
        *(_l1(f"lon_{w}", -180.0, 360.0, also_mask=(f"lat_{w}",)) for w in _WHERE_L1),
        _l1("phi_orbit_box", -360.0, 360.0),
        _l1("k_spectra", 0.0, 10.0, action="refuse"),
        _l1("phi_vector", -360.0, 360.0, action="refuse"),
        _l1("beam_incidence", 0.0, 90.0, action="refuse"),
        _l1("waveform", 0.0, 1.0e4),
        _l1("periodogram", 0.0, 1.0),
        _l1("mss", 0.0, 1.0),
        _l1("land_fraction_native", 0.0, 1.0),
        _l1("land_fraction_box", 0.0, 1.0),
        *(_l1(f"truth_swh_{r}", 0.0, 30.0) for r in ("native", "box")),
        *(_l1(f"truth_wind_{r}", 0.0, 75.0) for r in ("native", "box")),
        _l1("truth_pp_mean", 0.0, None),
    ),
)  # fmt: skip
