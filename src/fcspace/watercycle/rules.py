"""What the water-cycle readers accept: validation rules per product, declared as data.

One :class:`~fcspace.core.validation.ProductRules` per product read by
:mod:`fcspace.watercycle.io`, applied with :func:`fcspace.core.validation.apply_rules` after
decoding. A range declared by the file itself (``valid_min``/``valid_max``: SMAP L2B and L4 declare
them on most variables) replaces the physical one below; the SMOS UDP declares none, so its
ranges are the physics or the product's layout. A value outside its range is masked (NaN for
floats, the file's fill for integers), counted in ``fcspace_masked_out_of_range`` and marked in
the boolean ``flag_out_of_range`` of the cell (added only when something is masked: a clean file
reads exactly as before). What means the file is not what it claims is refused with
:class:`~fcspace.core.errors.InputError` naming file, variable and count: coordinates of a grid
(EASE-Grid x/y, the L4 time), the geometry of a visibility product (platform position, heading,
baselines, snapshot times), a declared range that is inverted or not a number.

Sources of the ranges
---------------------
- Positions on the Earth: latitude [-90, 90], longitude [-180, 360] (CF 1.8, 4.1-4.2).
- Brightness temperatures: 0-350 K (ESA SO-TN-IDR-GS-0006, the SMOS L2 TB range; the SMAP L2B
  declares 0-340 K); surface temperature 180-350 K (the range SMAP L4_SM declares for
  ``surface_temp_analysis``); soil moisture 0-1 m3/m3 (a volume fraction; SMAP L4 declares 0-0.9);
  salinity 0-50 psu (UNESCO 1981; above any open-ocean value); wind 0-100 m/s (Hurricane Patricia
  2015, 96 m/s, NHC report); altitude -500-9000 m (Dead Sea shore -430 m, Everest 8849 m).
- SMOS times: launch 2009-11-02 (ESA) to one year after now; Days count from 2000-01-01 (MJD2000,
  ESA EE CFI), Seconds of day 0-86400 (86400: a leap second), Microseconds 0-999999.
- SMOS counts of views (M_AVA0, N_RFI_X, ...): at most 1000. A grid point crosses the SMOS field
  of view (under 1,400 km along track, Kerr et al. 2010, Proc. IEEE 98(5)) in under 210 s at
  6.8 km/s, with a snapshot every 1.2 s giving at most 4 TBs in full polarisation: under 700.
  X_Swath (distance to the sub-satellite track) within +-1000 km, beyond the field of view.
- SMOS flag words: no bit above the highest that the product defines (Confidence_Flags bit 8,
  Processing_Flags bit 3, DGG_Current_Flags bit 4, Science_Flags 30 bits: SO-TN-IDR-GS-0006;
  the file's own ``flag_masks`` of Science_Flags are stored as int16 and cannot hold them).
- SMOS L-MEB fit parameters (dielectric constants, roughness, optical thickness, albedos, TTH,
  RTT) are free parameters of the retrieval and leave the physical range (Dielect_Const_MD_RE up
  to 167 in the shared file, against 88 for pure water at L-band): they are bounded only at a
  magnitude of 1000 that no retrieval reaches, which catches damaged storage; uncertainties
  (DQX) are non-negative.
- ASSUMPTION (no documented range at hand): SMOS decision-tree branches S_Tree_1/S_Tree_2 and
  the quality index GQX within 0-100 (the shared file: up to 17, 42 and 2); SMAP L2B footprint
  counts n_{v,h}_{fore,aft} within 0-200 (the shared file: up to 20).
- EASE-Grid 2.0 global extent: |x| <= 17,367,530.45 m, |y| <= 7,314,540.83 m (Brodzik et al.
  2012, ISPRS Int. J. Geo-Inf. 1, 32-45). SMAP launch 2015-01-31 (NASA).
- Visibilities: |V| <= max |T_B - T_receiver| <= 400 K for the normalised visibility (Corbella
  et al. 2004, IEEE TGRS 42(11), eq. 1); bounded at 1000 K to leave room for receiver noise.
  Baselines under 1000 wavelengths (210 m at L-band; MIRAS: 35). Director cosines within +-2
  (the fundamental hexagon of a spacing >= 0.5 wavelength, McMullan et al. 2008).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike
from fcspace.core.validation import (
    MASKED_ATTR,
    NOW_PLUS_ONE_YEAR,
    ProductRules,
    VariableRule,
    apply_rules,
    file_valid_range,
)
from fcspace.watercycle.product_specs import (
    _SMOS_FLOATS,
    _SMOS_INTEGERS,
    SMAP_L2B_SSS,
    ProductSpec,
)

__all__ = [
    "OUT_OF_RANGE_FLAG",
    "SMAP_L2B_SSS_RULES",
    "SMAP_L4_SM_RULES",
    "SMAP_L4_TIME_RULES",
    "SMOS_L2_SM_RULES",
    "WATER_PRODUCT_KINDS",
    "check_declared_ranges",
    "validated_arrays",
    "water_product_rules",
    "with_integer_fills",
]

#: Boolean variable marking the cells where a value was masked (as the SCAT readers do).
OUT_OF_RANGE_FLAG = "flag_out_of_range"

SMOS_LAUNCH = "2009-11-02"
SMOS_LAUNCH_DAY = 3593  # days from 2000-01-01 to 2009-11-02
SMAP_LAUNCH = "2015-01-31"
#: A magnitude no retrieved parameter of the L-MEB fit reaches (catches damaged storage only).
FIT_BOUND = 1000.0
MAX_VIEWS = 1000
#: A packed probability reaches 255 x scale_factor, and the float32 scale 1/255 of Chi_2_P makes
#: that 1.00000006 (2,247 points of the shared file): 1 plus that rounding.
PROBABILITY_MAX = 1.000001

_G = ("n_grid_points",)


def _r(name: str, lo: Any, hi: Any, **kw: Any) -> VariableRule:
    return VariableRule(name, lo, hi, **kw)


def _smos_rules() -> tuple[VariableRule, ...]:
    fit = [n for n, _ in _SMOS_FLOATS if not n.endswith("_DQX") and n != "AFP"]
    dqx = [n for n, _ in _SMOS_FLOATS if n.endswith("_DQX")]
    counts = [n for n in _SMOS_INTEGERS if n.startswith(("N_", "M_AVA"))]
    flags = {"Science_Flags": 2**30 - 1, "Confidence_Flags": 511, "Processing_Flags": 15,
             "DGG_Current_Flags": 31}  # fmt: skip
    return (
        _r(
            "Latitude",
            -90.0,
            90.0,
            dims=_G,
            required=True,
            refuse_all_fill=True,
            also_mask=("Longitude",),
        ),
        _r(
            "Longitude",
            -180.0,
            180.0,
            dims=_G,
            required=True,
            refuse_all_fill=True,
            also_mask=("Latitude",),
        ),
        _r("Grid_Point_ID", 1, 9262145, fill=0),  # the ISEA 4H9 DGG numbering of SMOS
        _r("Days", SMOS_LAUNCH_DAY, SMOS_LAUNCH_DAY + 73049, fill=0, also_mask=("time",)),
        _r("Seconds", 0, 86400, fill=0, also_mask=("time",)),
        _r("Microseconds", 0, 999999, fill=0, also_mask=("time",)),
        _r("time", SMOS_LAUNCH, NOW_PLUS_ONE_YEAR),
        _r("Soil_Moisture", 0.0, 1.0),
        _r("Soil_Moisture_DQX", 0.0, 1.0),
        *(_r(f"TB_{a}_Theta_B_{p}", 0.0, 350.0) for a in ("ASL", "TOA") for p in "HV"),
        _r("Surface_Temperature", 180.0, 350.0),
        _r("Optical_Thickness_Nad", -FIT_BOUND, FIT_BOUND),
        *(_r(n, -FIT_BOUND, FIT_BOUND) for n in fit),
        *(_r(n, 0.0, FIT_BOUND) for n in dqx),
        _r("AFP", 0.0, 1000.0),
        _r("Altitude", -500.0, 9000.0),
        _r("X_Swath", -1000.0, 1000.0),
        _r("Chi_2", 0.0, None),
        _r("Chi_2_P", 0.0, PROBABILITY_MAX),
        _r("RFI_Prob", 0.0, PROBABILITY_MAX),
        *(_r(n, 0, MAX_VIEWS, fill=0) for n in counts),
        *(_r(n, 0, 100, fill=0) for n in ("S_Tree_1", "S_Tree_2", "GQX")),
        *(_r(n, 0, hi, fill=0) for n, hi in flags.items()),
    )


#: ESA SMOS L2 SM UDP (no declared ranges in the file).
SMOS_L2_SM_RULES = ProductRules("ESA SMOS L2 SM UDP (NetCDF)", _smos_rules(), OUT_OF_RANGE_FLAG, _G)

_XA = ("cross_track", "along_track")


def _smap_l2b_rules() -> tuple[VariableRule, ...]:
    special = {"lat", "lon", "row_time"}
    floats = tuple(
        _r(v.name, *v.valid)
        for v in SMAP_L2B_SSS.variables
        if v.valid is not None and v.name not in special
    )
    return (
        _r("lat", -90.0, 90.0, dims=_XA, required=True, refuse_all_fill=True,
           also_mask=("lon",)),
        _r("lon", -180.0, 360.0, dims=_XA, required=True, refuse_all_fill=True,
           also_mask=("lat",)),
        _r("row_time", 0.0, 86400.0, dims=("along_track",), required=True, refuse_all_fill=True),
        *floats,
        _r("quality_flag", 0, 511, fill=65535),  # highest defined bit: QUAL_FLAG_ICE 256
        *(_r(f"n_{p}_{k}", 0, 200, fill=0) for p in "vh" for k in ("fore", "aft")),
        _r("num_ambiguities", 1, 4, fill=0),
    )  # fmt: skip


#: JPL SMAP L2B SSS (ranges declared by the file replace these).
SMAP_L2B_SSS_RULES = ProductRules("JPL SMAP L2B SSS", _smap_l2b_rules(), OUT_OF_RANGE_FLAG, _XA)

_YX = ("y", "x")
#: SMAP L4_SM analysis update: the grid is refused when off EASE-Grid 2.0, values are masked.
SMAP_L4_SM_RULES = ProductRules(
    "SMAP L4_SM analysis update (SPL4SMAU)",
    (
        _r("x", -17367530.45, 17367530.45, action="refuse", required=True),
        _r("y", -7314540.83, 7314540.83, action="refuse", required=True),
        _r("sm_surface_analysis", 0.0, 1.0),
        _r("sm_profile_analysis", 0.0, 1.0),
        _r("surface_temp_analysis", 180.0, 350.0),
        _r("cell_column", 0, 3855, fill=4294967294),
    ),
    OUT_OF_RANGE_FLAG,
    _YX,
)
#: The granule's time (datetime64, after conversion): within the mission, else refused.
SMAP_L4_TIME_RULES = ProductRules(
    "SMAP L4_SM time",
    (_r("time", SMAP_LAUNCH, NOW_PLUS_ONE_YEAR, action="refuse", refuse_all_fill=True),),
)


def with_integer_fills(
    rules: ProductRules, kinds: Mapping[str, str], spec: ProductSpec
) -> ProductRules:
    """``rules`` where an integer variable ruled without a fill takes the product's fill.

    ``kinds`` gives the dtype kind of each variable read: a variable the product packs (and the
    rules treat as a float) may be found stored as plain integers.
    """
    fills = {v.name.rsplit("/", 1)[-1]: v.fill for v in spec.variables}
    new = tuple(
        replace(r, fill=fills[r.name])
        if r.fill is None and kinds.get(r.name, "f") in "iu" and fills.get(r.name) is not None
        else r
        for r in rules.rules
    )
    return replace(rules, rules=new)


def check_declared_ranges(attrs: Mapping[str, Mapping[str, Any]], path: Any) -> None:
    """Refuse a declared range that is not a number or is inverted (``valid_min > valid_max``).

    Raises
    ------
    InputError
        Naming the file and the variable: the file is not what it claims.
    """
    for name, var_attrs in attrs.items():
        lo, hi = file_valid_range(var_attrs)
        if isinstance(lo, str) or isinstance(hi, str):
            raise InputError(f"declared valid range ({lo!r}, {hi!r}) is not a number", path, name)
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"declared valid range inverted (min {lo} > max {hi})", path, name)


def validated_arrays(
    arrays: dict[str, xr.DataArray], rules: ProductRules, spec: ProductSpec, path: PathLike
) -> tuple[dict[str, xr.DataArray], dict[str, str]]:
    """Decoded ``arrays`` of a ``spec`` product checked against ``rules``; masked, counted.

    Ranges declared by the file (kept by the reader in each array's ``encoding["declared"]``)
    replace the rules' own; integers ruled without a fill take the product's fill.

    Returns the variables (with ``flag_out_of_range`` when a value was masked) and the global
    attribute that records the counts (none for a clean file).

    Raises
    ------
    InputError
        A declared range inverted or not a number; a refused value (naming file and variable).
    """
    declared = {k: da.encoding.pop("declared", {}) for k, da in arrays.items()}
    check_declared_ranges(declared, path)
    rules = with_integer_fills(rules, {k: da.dtype.kind for k, da in arrays.items()}, spec)
    checked = apply_rules(xr.Dataset(arrays), rules.with_file_ranges(declared), path)
    if MASKED_ATTR not in checked.attrs:
        return arrays, {}
    names = [k for k in (*arrays, rules.flag_variable) if k in checked.variables]
    out = {k: xr.DataArray(checked[k].values, dims=checked[k].dims, attrs=checked[k].attrs)
           for k in names}  # fmt: skip
    return out, {MASKED_ATTR: checked.attrs[MASKED_ATTR]}


# --------------------------------------------------------------------------------------------
# The mission's own products (fcspace.watercycle.io.write_water_product)
# --------------------------------------------------------------------------------------------

_VIS_GEOMETRY = ("platform_lat", "platform_lon", "heading", "u", "v", "time_offset")

#: Variables each product that fcspace writes must hold, by its ``title`` (simulate_pass,
#: image_snapshots, retrieve_pass); products of other titles are checked by name only.
WATER_PRODUCT_KINDS: dict[str, tuple[str, ...]] = {
    "fcspace water-cycle simulated visibilities": (
        "vis_real", "vis_imag", *_VIS_GEOMETRY, "polarization", "lat", "lon"),
    "fcspace water-cycle TB images": (
        "reconstructed_tb", "alias_free", "extended_alias_free", "xi", "eta", "polarization"),
    "fcspace water-cycle L2 (soil moisture, optical depth, salinity)": (
        "soil_moisture", "soil_moisture_sigma", "optical_depth", "optical_depth_sigma", "chi2",
        "sss", "sss_sigma", "n_looks", "flags", "mean_incidence", "lat", "lon"),
}  # fmt: skip
#: Dimensions of ``flag_out_of_range`` by kind (a masked value flags its snapshot or its cell).
_FLAG_DIMS = {
    "fcspace water-cycle simulated visibilities": ("snapshot",),
    "fcspace water-cycle TB images": ("snapshot", "polarization"),
    "fcspace water-cycle L2 (soil moisture, optical depth, salinity)": ("lat", "lon"),
}

_REFUSED = (
    _r("lat", -90.0, 90.0, action="refuse", refuse_all_fill=True),
    _r("lon", -180.0, 360.0, action="refuse", refuse_all_fill=True),
    _r("platform_lat", -90.0, 90.0, action="refuse"),
    _r("platform_lon", -180.0, 360.0, action="refuse"),
    _r("heading", -360.0, 360.0, action="refuse"),
    _r("time_offset", 0.0, None, action="refuse", monotonic=True),
    _r("u", -1000.0, 1000.0, action="refuse"),
    _r("v", -1000.0, 1000.0, action="refuse"),
    _r("xi", -2.0, 2.0, action="refuse"),
    _r("eta", -2.0, 2.0, action="refuse"),
    _r("alias_free", 0, 1, action="refuse"),
    _r("extended_alias_free", 0, 1, action="refuse"),
    _r("n_looks", 0, MAX_VIEWS, action="refuse"),
    _r("flags", 0, 31, action="refuse"),  # land sea too_few_looks not_converged coast
)
_MASKED = (
    _r("vis_real", -1000.0, 1000.0),
    _r("vis_imag", -1000.0, 1000.0),
    _r("reconstructed_tb", -1000.0, 1000.0),  # images ring past 0-350 K near the limb
    _r("soil_moisture", 0.0, 1.0),
    _r("soil_moisture_sigma", 0.0, 1.0),
    _r("optical_depth", -FIT_BOUND, FIT_BOUND),
    _r("optical_depth_sigma", 0.0, FIT_BOUND),
    _r("chi2", 0.0, None),
    _r("sss", 0.0, 50.0),
    _r("sss_sigma", 0.0, FIT_BOUND),
    _r("mean_incidence", 0.0, 90.0),
    _r("truth_soil_moisture", 0.0, 1.0),
    _r("truth_optical_depth", 0.0, FIT_BOUND),
    _r("truth_temperature", 180.0, 350.0),
    _r("truth_land", 0.0, 1.0),
    _r("truth_sss", 0.0, 50.0),
    _r("truth_sst", 180.0, 350.0),
    _r("truth_wind", 0.0, 100.0),
)


def water_product_rules(title: str) -> ProductRules:
    """The rules of a water-cycle product with this ``title`` (required variables by kind).

    Floating-point values out of range are masked and counted; integers (flags, looks, masks)
    and the geometry are refused. A value that is NaN in a float (a missing value) passes.
    """
    required = set(WATER_PRODUCT_KINDS.get(title, ()))
    rules = tuple(
        VariableRule(r.name, r.lo, r.hi, action=r.action, refuse_all_fill=r.refuse_all_fill,
                     monotonic=r.monotonic, required=r.name in required)
        for r in (*_REFUSED, *_MASKED)
    )  # fmt: skip
    known = {r.name for r in rules}
    extra = tuple(VariableRule(n, required=True) for n in sorted(required - known))
    dims = _FLAG_DIMS.get(title, ())
    return ProductRules(f"fcspace water product ({title or 'untitled'})", rules + extra,
                        OUT_OF_RANGE_FLAG if dims else None, dims)  # fmt: skip
