"""Read and write scatterometer L2 wind products in the fcspace in-memory layout.

Readers: :func:`open_l2b` (NSOAS CFOSat SCAT L2B and fcspace's own L2B) and
:func:`open_knmi_l2` (KNMI / OSI SAF ASCAT L2). Both return the layout of
``docs/scat_layout.md``: dims ``numrows``, ``numcells`` (and ``numambigs`` for L2B), floats
unpacked to float64 with NaN for fills, ``row_time`` as datetime64[ns] (NaT for fills),
longitudes in [-180, 180), every direction in the oceanographic "to" convention (CF
``wind_to_direction``), ``wvc_quality`` as an int32 bit field plus one boolean ``flag_<name>``
variable per bit. Writer: :func:`write_l2b` (CF NetCDF-4 with the NSOAS names and packing).
The product variants are data, in :mod:`fcspace.cfosat.scat.product_specs`; the decoding of
stored variables is in :mod:`fcspace.cfosat.scat.l2b_decode`, the quality flags and the
summary of the in-memory layout in :mod:`fcspace.cfosat.scat.l2b_layout` (re-exported here).

Integer conventions: ``num_ambigs`` and ``wvc_selection`` are int8, 0 where the file has a fill
(``wvc_selection`` is 1-based, 0 = no selection); ``wvc_quality`` is int32 with
:data:`~fcspace.cfosat.scat.product_specs.QUALITY_MISSING` (-2**31) for a fill, which decodes to
every flag False.

References
----------
- NetCDF classic and 64-bit offset format specification, Unidata, NetCDF Users Guide,
  "File Format Specifications" (CDF-1, CDF-2) and the CDF-5 specification (PnetCDF).
- CF Conventions 1.8: sections 3.5 (flags), 4.4 (time), 8.1 (packed data).
- NSOAS CFOSat SCAT L2B product (orbit 15259) and KNMI ASCAT L2 product (orbit 13795),
  described in ``../shared/data/cfosat/ORIGIN.md``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import xarray as xr

from fcspace.cfosat.scat import product_specs as ps
from fcspace.cfosat.scat.input_checks import L1B_RULES, validate_l1b_inputs
from fcspace.cfosat.scat.l2b_decode import (
    decode_extra,
    decode_variable,
    direction_offset,
    parse_time_strings,
    source_variable,
)
from fcspace.cfosat.scat.l2b_encode import check_l2b_layout, encode_variable, l2b_global_attrs
from fcspace.cfosat.scat.l2b_layout import (
    decode_quality_flags,
    l2b_summary,
    quality_attrs,
    quality_flag_table,
)
from fcspace.cfosat.scat.scenes import truth_from_background
from fcspace.cfosat.scat.swath_checks import apply_swath_rules, check_ambiguity_count
from fcspace.core.errors import InputError
from fcspace.core.netcdf import (
    PathLike,
    check_file,
    classic_min_size,
    open_raw,
    read_guard,
    variable_names,
    wrap_longitude,
)
from fcspace.core.products import add_history, write_netcdf
from fcspace.core.validation import MASKED_ATTR, apply_rules, check_packing, check_packing_attrs

__all__ = [
    "CELL_VARIABLES",
    "VIEW_DIMS",
    "VIEW_VARIABLES",
    "check_l1b",
    "open_l1b",
    "open_product",
    "write_l1b",
    "read_l2b_background",
    "classic_min_size",
    "decode_quality_flags",
    "l2b_summary",
    "open_knmi_l2",
    "open_l2b",
    "quality_flag_table",
    "wrap_longitude",
    "write_l2b",
]


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def _read(path: PathLike, spec: ps.ProductSpec) -> xr.Dataset:
    """Read ``path`` with the product table ``spec`` into the fcspace layout."""
    p, raw = open_raw(path)
    check_packing(raw, p)
    raw = raw.rename_dims({k: v for k, v in spec.dim_renames.items() if k in raw.dims})
    sources = {name: source_variable(raw, vs, p) for name, vs in spec.variables.items()}
    out = {
        name: decode_variable(da, spec.variables[name], p)
        for name, da in sources.items()
        if da is not None
    }
    extras = {
        k: raw[k]
        for k in spec.extras
        if k in raw.data_vars and set(raw[k].dims) <= {ps.ROW, ps.CELL, ps.AMBIG}
    }
    out.update({k: decode_extra(v) for k, v in extras.items()})
    out, checked = _validated(out, {**sources, **extras}, spec, p)
    for name, da in sources.items():
        vs = spec.variables[name]
        if da is not None and vs.direction is not None:
            offset = direction_offset(vs, dict(da.attrs), dict(raw.attrs), out)
            out[name] = ((out[name] + offset) % 360.0).assign_attrs(vs.attrs)
    out["wvc_lon"] = out["wvc_lon"].copy(data=wrap_longitude(out["wvc_lon"].values))
    if "wvc_quality" in out:
        out["wvc_quality"].attrs.update(quality_attrs(dict(sources["wvc_quality"].attrs)))
    # the product's variables and the flag of masked cells, then the extras (as before)
    order = [k for k in out if k not in extras] + [k for k in out if k in extras]
    ds = xr.Dataset({k: out[k] for k in order}, attrs={**raw.attrs, **checked})
    ds.attrs[ps.CONVENTION_ATTR] = "to"
    ds = ds.merge(decode_quality_flags(ds)) if "wvc_quality" in ds else ds
    return add_history(ds, f"read {p.name} as {spec.name} (directions in 'to' convention)")


def _validated(
    out: dict[str, xr.DataArray],
    sources: dict[str, xr.DataArray | None],
    spec: ps.ProductSpec,
    path: Path,
) -> tuple[dict[str, xr.DataArray], dict[str, str]]:
    """Decoded variables checked against the product's rules, out-of-range values masked.

    Ranges come from the file's own ``valid_min``/``valid_max`` where declared (range rules,
    :data:`~fcspace.cfosat.scat.product_specs.RULES`); then the swath's consistency
    (:data:`~fcspace.cfosat.scat.product_specs.SWATH`: ambiguity counts refused when they
    contradict the file, positions off the grid and row times off the cadence masked).

    Returns the variables (with ``flag_out_of_range`` when a cell was masked) and the global
    attributes that record the counts (none for a clean file).
    """
    declared = {name: dict(da.attrs) for name, da in sources.items() if da is not None}
    swath = ps.SWATH[spec.name]
    decoded = xr.Dataset(out)
    check_ambiguity_count(decoded, swath, path)
    rules = ps.RULES[spec.name]
    checked = apply_rules(decoded, rules.with_file_ranges(declared), path)
    checked = apply_swath_rules(checked, swath, path, rules.flag_variable)
    attrs = {MASKED_ATTR: checked.attrs[MASKED_ATTR]} if MASKED_ATTR in checked.attrs else {}
    return {str(k): v for k, v in checked.data_vars.items()}, attrs


def open_l2b(path: PathLike) -> xr.Dataset:
    """Open a CFOSat SCAT L2B file (NSOAS product or fcspace's own) in the fcspace layout.

    Parameters
    ----------
    path
        NSOAS CFOSat SCAT L2B (NetCDF-3 classic; dims numrows x numcells x numambigs, char
        ``row_time``, int16 packed) or an L2B written by :func:`write_l2b` (NetCDF-4).

    Returns
    -------
    xarray.Dataset
        The L2B layout of ``docs/scat_layout.md``, in memory. Per-ambiguity ``wind_dir`` is
        brought to the "to" convention: the NSOAS v3.3 product stores it 180 deg from
        ``wind_dir_selection`` and ``model_dir`` (detected from the data; fcspace files declare
        their convention in the global attribute ``fcspace_wind_direction_convention``).
        ``model_dir`` is "to" in the NSOAS file: over the North-East Pacific trades
        (10-20 N, 150-120 W) its circular mean is 233 deg, a wind blowing towards the SW.
        fcspace's own variables (``ambiguity_prob``, ``normalised_mle``, ``num_views``,
        ``land_fraction``, ``truth_speed``, ``truth_dir``:
        :data:`~fcspace.cfosat.scat.product_specs.FCSPACE_L2B_EXTRAS`) are unpacked
        generically; other variables of the file are not read. Values are checked against
        :data:`~fcspace.cfosat.scat.product_specs.NSOAS_L2B_RULES` and
        :data:`~fcspace.cfosat.scat.product_specs.NSOAS_L2B_SWATH`: out-of-range values,
        positions off the swath grid and row times off the scan cadence are masked, counted
        (``fcspace_masked_out_of_range``) and flagged (``flag_out_of_range``).

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file; missing required variable; wrong dimensions;
        row times outside the mission; ``num_ambigs`` that contradicts the ambiguities stored.
    """
    return _read(path, ps.NSOAS_L2B)


def open_knmi_l2(path: PathLike) -> xr.Dataset:
    """Open a KNMI / OSI SAF scatterometer L2 wind product (e.g. ASCAT 25 km) in the L2B layout.

    Mapping: ``lat``/``lon`` -> ``wvc_lat``/``wvc_lon`` (lon to [-180, 180)), ``time`` (per cell)
    -> ``row_time`` (per row), ``wind_speed``/``wind_dir`` -> ``wind_speed_selection``/
    ``wind_dir_selection``, ``wvc_quality_flag`` -> ``wvc_quality`` (+ ``flag_*``), ``NUMROWS``/
    ``NUMCELLS`` -> ``numrows``/``numcells``; ``model_speed``, ``model_dir``, ``bs_distance``,
    ``ice_prob``, ``ice_age``, ``wvc_index`` keep their names. The file holds no ambiguities:
    there is no ``numambigs`` dimension and no ``wind_speed``/``wind_dir``/``num_ambigs``.
    Directions are not changed: the KNMI product is already in the "to" convention (its
    directions carry standard_name ``wind_to_direction`` and its global comment reads "All wind
    directions in oceanographic convention (0 deg. flowing North)").

    Source: KNMI, ASCAT Wind Product User Manual (OSI SAF), and the real file described in
    ``../shared/data/cfosat/ORIGIN.md``.
    """
    return _read(path, ps.KNMI_L2)


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def write_l2b(ds: xr.Dataset, path: PathLike) -> Path:
    """Write an L2B Dataset as fcspace's CF NetCDF-4 L2B, atomically.

    NSOAS variable names, dimensions, units and packing (int16 with ``scale_factor`` and
    ``_FillValue``, :data:`~fcspace.cfosat.scat.product_specs.PACKING`); ``ambiguity_prob`` as
    int16 (scale 1e-4); other floats (``normalised_mle``, ``truth_*``) as float32; ``row_time``
    as int64 nanoseconds since 1970 (CF 4.4; the one departure from the NSOAS char array);
    ``flag_*`` variables are not written (they are decoded from ``wvc_quality`` on reading).
    Directions are written in the "to" convention and the file says so in the global
    attribute ``fcspace_wind_direction_convention = "to"``.

    Returns
    -------
    pathlib.Path
        ``path``. Nothing is left at ``path`` if writing fails.

    Raises
    ------
    InputError
        A required variable is missing, has the wrong dimensions, or holds values that the
        packing cannot represent.
    """
    p = Path(path)
    check_l2b_layout(ds, p)
    variables, encoding = {}, {}
    for name, da in ds.data_vars.items():
        if str(name).startswith("flag_"):
            continue
        variables[name], encoding[name] = encode_variable(da, str(name), p)
    out = xr.Dataset(variables, attrs=l2b_global_attrs(ds))
    out = add_history(out, f"write_l2b {p.name}")
    for name in ("wvc_quality",):
        if name in out:
            out[name].attrs.update(quality_attrs(dict(ds[name].attrs)))
            out[name].attrs.pop("missing_value")
    return write_netcdf(out, p, encoding=encoding, format="NETCDF4")


def read_l2b_background(path: PathLike, rows: slice | None = None) -> dict[str, np.ndarray]:
    """Read the model background wind and WVC positions of a real NSOAS SCAT L2B file.

    ``model_speed`` / ``model_dir`` of the file are the NWP wind in the "to" convention
    (degrees); gaps (NaN) are filled from the nearest WVC so that the field can serve as a
    truth. Returns ``wvc_lat``, ``wvc_lon``, ``row_time`` (datetime64[ns]), ``model_speed``,
    ``model_dir``. Checked as :func:`open_l2b` checks them (range rules, then positions off the
    swath grid and row times off the cadence masked); a background with no valid value is
    refused, naming the file and the variable.
    """
    names = ("wvc_lat", "wvc_lon", "row_time", "model_speed", "model_dir")
    p = check_file(path)
    with read_guard(p, "an L2B background"), xr.open_dataset(p) as ds:
        check_packing_attrs({str(k): v.encoding for k, v in ds.variables.items()}, p)
        sub = ds[list(names)].isel(numrows=rows or slice(None)).load()
    out = {name: sub[name].values for name in names}
    out["row_time"] = _parse_row_time(out["row_time"], p)
    rules = ps.NSOAS_L2B_RULES.subset(names)  # a background without any value is refused
    rules = replace(rules, rules=tuple(
        replace(r, refuse_all_fill=True) if r.name.startswith("model_") else r for r in rules.rules
    ))  # fmt: skip
    checked = apply_rules(
        xr.Dataset({k: (sub[k].dims if k != "row_time" else (ps.ROW,), out[k]) for k in names}),
        rules,
        p,
    )
    checked = apply_swath_rules(checked, ps.NSOAS_L2B_SWATH, p)
    out = {name: checked[name].values for name in names}
    out["model_speed"], out["model_dir"] = truth_from_background(
        out["model_speed"], out["model_dir"], p
    )
    return out


def _parse_row_time(raw: np.ndarray, path: PathLike) -> np.ndarray:
    """Row times as datetime64[ns] from the L2B's 'YYYY-MM-DDThh:mm:ssZ' byte strings."""
    if np.issubdtype(raw.dtype, np.datetime64):
        return raw.astype("datetime64[ns]")
    return parse_time_strings(raw, Path(path))


# --------------------------------------------------------------------------------------------
# fcspace L1B (sigma0 views per wind vector cell; layout of docs/scat_layout.md)
# --------------------------------------------------------------------------------------------

VIEW_VARIABLES = ("sigma0", "kp", "azimuth", "incidence", "polarisation", "look")
CELL_VARIABLES = ("wvc_lat", "wvc_lon")
VIEW_DIMS = ("numrows", "numcells", "numviews")

_ATTRS = {
    "sigma0": {"units": "1", "long_name": "normalised radar cross-section (linear)"},
    "kp": {"units": "1", "long_name": "normalised standard deviation of sigma0 (Kp)"},
    "azimuth": {"units": "degree", "long_name": "look azimuth, radar to cell, clockwise from N"},
    "incidence": {"units": "degree", "long_name": "incidence angle"},
    "polarisation": {"flag_values": [0, 1], "flag_meanings": "VV HH", "_FillValue": -1},
    "look": {"flag_values": [0, 1], "flag_meanings": "fore aft", "_FillValue": -1},
    "wvc_lat": {"units": "degrees_north", "standard_name": "latitude"},
    "wvc_lon": {"units": "degrees_east", "standard_name": "longitude"},
    "model_speed": {"units": "m s-1", "standard_name": "wind_speed"},
    "model_dir": {"units": "degree", "standard_name": "wind_to_direction"},
    "truth_speed": {"units": "m s-1", "standard_name": "wind_speed"},
    "truth_dir": {"units": "degree", "standard_name": "wind_to_direction"},
}


def write_l1b(ds: xr.Dataset, path: PathLike) -> Path:
    """Write an L1B Dataset to CF NetCDF-4 atomically (temporary name, then rename)."""
    check_l1b(ds, path)
    out = add_history(ds, f"written as L1B {Path(path).name}")
    encoding = {}
    for name, var in out.data_vars.items():
        attrs = dict(_ATTRS.get(name, {}))
        fill = attrs.pop("_FillValue", None)
        var.attrs.update(attrs)
        enc: dict = {"zlib": True, "complevel": 4}
        if var.dtype.kind == "f":
            enc["dtype"] = "float32"
        if fill is not None:
            enc["_FillValue"] = np.int8(fill)
        encoding[name] = enc
    return write_netcdf(out, path, encoding=encoding)


def open_l1b(path: PathLike) -> xr.Dataset:
    """Open an fcspace SCAT L1B file, check it, and return it loaded in memory (float64).

    Checked against :data:`~fcspace.cfosat.scat.input_checks.L1B_RULES` (out-of-range views
    masked and counted; incidence outside 0-90 deg, no positive sigma0, all-fill positions or
    polarisations, row times before the CFOSat launch or out of order refused with InputError),
    then :data:`~fcspace.cfosat.scat.product_specs.L1B_SWATH` (positions off the swath grid and
    row times off the cadence masked and counted, :mod:`~fcspace.cfosat.scat.swath_checks`).
    """
    p = check_file(path)
    with read_guard(p, "an L1B NetCDF file"), xr.open_dataset(p, mask_and_scale=True) as raw:
        check_packing(raw, p)
        ds = raw.load()
    for name in ("polarisation", "look"):
        if name in ds:
            ds[name] = ds[name].fillna(-1).astype(np.int8)
    for name, var in ds.data_vars.items():
        if var.dtype.kind == "f":
            ds[name] = var.astype(np.float64)
    ds.encoding["source"] = str(p)
    check_l1b(ds, p)
    return apply_swath_rules(validate_l1b_inputs(ds, p, L1B_RULES), ps.L1B_SWATH, p,
                             L1B_RULES.flag_variable)  # fmt: skip


def check_l1b(ds: xr.Dataset, path: PathLike | None = None) -> None:
    """Raise :class:`InputError` unless ``ds`` has the L1B variables, dims and some sigma0."""
    for name in VIEW_VARIABLES + CELL_VARIABLES:
        if name not in ds:
            raise InputError("missing variable required in an L1B file", path, name)
    for name in VIEW_VARIABLES:
        if ds[name].dims != VIEW_DIMS:
            raise InputError(f"dims {ds[name].dims}, expected {VIEW_DIMS}", path, name)
    for name in CELL_VARIABLES:
        if ds[name].dims != VIEW_DIMS[:2]:
            raise InputError(f"dims {ds[name].dims}, expected {VIEW_DIMS[:2]}", path, name)
    if not np.isfinite(ds["sigma0"].values).any():
        raise InputError("all sigma0 values are NaN: nothing to invert", path, "sigma0")


# --------------------------------------------------------------------------------------------
# Any SCAT file: the reader chosen from the variables the file holds
# --------------------------------------------------------------------------------------------


def open_product(path: PathLike) -> xr.Dataset:
    """Open an L1B, L2B or KNMI L2 file; unreadable files get the L2B reader's clear error."""
    names = variable_names(path)
    if names is not None and "sigma0" in names:
        return open_l1b(path)
    if names is not None and "wvc_quality_flag" in names and "wvc_selection" not in names:
        return open_knmi_l2(path)
    return open_l2b(path)
