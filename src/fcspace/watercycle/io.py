"""Every water-cycle file access: the real SMOS and SMAP products, and the mission's own products.

Readers of real products (variable tables in :mod:`fcspace.watercycle.product_specs`):

- :func:`open_smap_l2b_sss`: JPL SMAP L2B sea-surface salinity (HDF5, read with h5py);
- :func:`open_smos_l2_sm`: ESA SMOS L2 soil moisture, NetCDF conversion;
- :func:`open_smap_l4_sm`: SMAP L4_SM analysis update on the 9 km EASE-Grid 2.0 (HDF5), with
  latitude and longitude from the inverse EASE-Grid 2.0 projection
  (:func:`fcspace.watercycle.ease2.ease2_inverse`).

Each keeps the product's variable names, turns fills of floating-point variables into NaN
(integer flags and counts stay integers: 0 is a meaningful flag word), checks the units the file
states against its table and loads everything into memory (the files are a few MB). A missing,
non-HDF5/NetCDF or truncated file (``fcspace.core.netcdf.check_file``: HDF5 superblock
end-of-file address), or a missing variable, raises :class:`~fcspace.core.errors.InputError`
naming the file and the variable.

Every reader then checks what it read against its product's rules
(:mod:`fcspace.watercycle.rules`, applied by :func:`fcspace.core.validation.apply_rules`, with the
ranges the file declares where it declares them): a value out of range is masked (NaN, or the
integer fill), counted in ``fcspace_masked_out_of_range`` and marked in ``flag_out_of_range``;
impossible packing (``scale_factor`` 0 or not a number), an inverted or non-numeric declared
range, a grid or a geometry off its range, a time outside the mission are refused.

Writers of the mission's products: :func:`write_water_product` (CF NetCDF-4, atomic) and
:func:`open_water_product`; geophysics out of range (negative salinity, soil moisture above one
or above the porosity, TB outside 0-350 K) raises InputError naming the variable, before any
byte is written.

References
----------
- The HDF Group, *HDF5 File Format Specification* v3, section II.A (superblock).
- Brodzik et al. (2012), EASE-Grid 2.0, *ISPRS Int. J. Geo-Inf.* 1, 32-45 (:mod:`.ease2`).
- CF Conventions 1.8.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import (
    PathLike,
    check_file,
    fill_mask,
    open_raw,
    read_guard,
    unpack_float,
)
from fcspace.core.validation import apply_rules, check_packing
from fcspace.watercycle.ease2 import ease2_inverse, ease2_parameters
from fcspace.watercycle.product_specs import (
    SMAP_L2B_SSS,
    SMAP_L4_SM,
    SMOS_L2_SM,
    ProductSpec,
    Var,
    check_water_product,
)
from fcspace.watercycle.rules import (
    SMAP_L2B_SSS_RULES,
    SMAP_L4_SM_RULES,
    SMAP_L4_TIME_RULES,
    SMOS_L2_SM_RULES,
    validated_arrays,
    water_product_rules,
)

__all__ = [
    "open_smap_l2b_sss",
    "open_smap_l4_sm",
    "open_smos_l2_sm",
    "open_water_product",
    "write_water_product",
]


#: SMOS times count from 2000-01-01T00:00:00 UTC: the MJD2000 of the ESA Earth Explorer Mission
#: CFI (days, seconds, microseconds). Checked on the shared file: Days = 8491 is 2023-04-01, and
#: every time falls inside its FH:Validity_Period (15:06:13-15:59:31).
SMOS_EPOCH = np.datetime64("2000-01-01T00:00:00", "ns")


# --------------------------------------------------------------------------------------------
# HDF5 access (h5py)
# --------------------------------------------------------------------------------------------


@contextmanager
def _h5(path: PathLike) -> Iterator[Any]:
    """An open h5py file after the truncation check; any library error → InputError."""
    import h5py

    p = check_file(path)
    try:
        f = h5py.File(p, "r")
    except OSError as err:
        raise InputError(f"cannot be read as HDF5 ({err})", p) from err
    try:
        yield f
    except InputError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as err:
        raise InputError(f"unreadable HDF5 content ({type(err).__name__}: {err})", p) from err
    finally:
        f.close()


def _read_attributes(name: str, obj: Any) -> None:
    for key in obj.attrs.keys():
        obj.attrs[key]  # decoding it is the check


def _check_hdf5_attributes(path: Path) -> None:
    """Refuse a NetCDF-4 file whose attribute headers HDF5 cannot decode, before netCDF-C opens it.

    After failing on such an attribute (``NetCDF: Can't open HDF5 attribute``), netCDF-C leaves
    its HDF5 state damaged: a second open of the file in the same process crashed (double free;
    a flipped header byte of the SMOS UDP, fuzz ``flip_header_0``). h5py, with its own HDF5
    build, reads every attribute first and fails cleanly (about 35 ms on the SMOS UDP).
    """
    with path.open("rb") as fh:
        if fh.read(8) != b"\x89HDF\r\n\x1a\n":
            return  # classic NetCDF: no HDF5 attributes
    with _h5(path) as f:
        _read_attributes("/", f)
        f.visititems(_read_attributes)


def _text(value: Any) -> str:
    """An HDF5/NetCDF attribute as text (bytes decoded, one-element arrays unwrapped)."""
    arr = np.asarray(value)
    v = arr.ravel()[0] if arr.size == 1 else value
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _attr(value: Any) -> Any:
    """An HDF5 attribute for a Dataset: text decoded, one-element arrays as scalars."""
    arr = np.asarray(value)
    if arr.dtype.kind in "SUO":
        return _text(value) if arr.size == 1 else [_text(v) for v in arr.ravel()]
    return arr.ravel()[0].item() if arr.size == 1 else arr


def _check_units(found: str | None, var: Var, path: PathLike) -> None:
    if var.units is not None and found != var.units:
        raise InputError(
            f"units {found!r}, expected {var.units!r} (another product version?)", path, var.name
        )


def _decoded(raw: np.ndarray, var: Var) -> np.ndarray:
    """Floating-point values as float64 with fills → NaN; integers as stored."""
    if raw.dtype.kind != "f":
        return raw
    out = raw.astype(np.float64)
    if var.fill is not None:
        out[raw == var.fill] = np.nan
    return out


_DECLARED = ("valid_min", "valid_max", "valid_range")


def _h5_variable(f: Any, var: Var, product: str, path: PathLike) -> xr.DataArray | None:
    """One HDF5 variable as a DataArray after its table entry (None: optional and absent).

    The file's declared range (``valid_min``/``valid_max``) is kept in ``encoding["declared"]``
    for the validation rules.
    """
    if var.name not in f:
        if var.required:
            raise InputError(f"no variable {var.name!r} ({product})", path, var.name)
        return None
    dset = f[var.name]
    if dset.ndim != len(var.dims):
        raise InputError(f"{dset.ndim}-D, expected dims {var.dims}", path, var.name)
    try:
        raw = dset[()]
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the data ({err}); truncated?", path, var.name) from err
    units = _text(dset.attrs["units"]) if "units" in dset.attrs else None
    _check_units(units, var, path)
    attrs = {k: _text(dset.attrs[k]) for k in ("long_name",) if k in dset.attrs}
    if units is not None:
        attrs["units"] = units
    if var.valid is not None:
        attrs["valid_min"], attrs["valid_max"] = var.valid
    da = xr.DataArray(_decoded(raw, var), dims=var.dims, attrs=attrs)
    da.encoding["declared"] = {k: dset.attrs[k] for k in _DECLARED if k in dset.attrs}
    return da


def _h5_dataset(f: Any, spec: ProductSpec, path: PathLike) -> dict[str, xr.DataArray]:
    """Every variable of ``spec`` found in ``f``, by its short name (last part of the path)."""
    out = {}
    for var in spec.variables:
        da = _h5_variable(f, var, spec.product, path)
        if da is not None:
            out[var.name.rsplit("/", 1)[-1]] = da
    return out


# --------------------------------------------------------------------------------------------
# SMAP L2B SSS
# --------------------------------------------------------------------------------------------


def _l2b_row_times(f: Any, row_time: np.ndarray, path: PathLike) -> np.ndarray:
    """UTC time of each along-track row: revolution start day + ``row_time`` (s of day).

    ASSUMPTION: a row whose second of day is more than one hour before the revolution start
    second is on the next day (a revolution lasts 98 min, so it crosses midnight at most once).
    """
    try:
        year = int(np.asarray(f.attrs["REV_START_YEAR"]).ravel()[0])
        doy = int(np.asarray(f.attrs["REV_START_DAY_OF_YEAR"]).ravel()[0])
        start = _text(f.attrs["REV_START_TIME"])  # e.g. 2015-090T16:31:44.000
    except KeyError as err:
        raise InputError(f"no revolution start attribute {err}", path, "row_time") from err
    hh, mm, ss = start.split("T")[1].split(":")
    start_sod = int(hh) * 3600 + int(mm) * 60 + float(ss)
    day0 = np.datetime64(_dt.date(year, 1, 1), "ns") + np.timedelta64(doy - 1, "D")
    sod = np.asarray(row_time, dtype=np.float64)
    sod = np.where(sod < start_sod - 3600.0, sod + 86400.0, sod)
    times = day0 + np.round(sod * 1e6).astype("int64") * np.timedelta64(1000, "ns")
    return np.where(np.isfinite(sod), times, np.datetime64("NaT", "ns"))


def open_smap_l2b_sss(path: PathLike) -> xr.Dataset:
    """A JPL SMAP L2B sea-surface-salinity swath (HDF5), in memory.

    Variables keep the file's names (``tb_v_fore``, ``anc_sss``, ``smap_sss``, ...; table
    :data:`~fcspace.watercycle.product_specs.SMAP_L2B_SSS`), with the file's units and
    long names; the fill -9999 becomes NaN. The file has no dimension names: its 2-D arrays are
    ``(cross_track, along_track)`` (the first axis has the "Number of Cross Track Bins" cells,
    the second one ``row_time`` per row); the wind ambiguities add ``ambiguity``. ``lat`` and
    ``lon`` (degrees) are coordinates, and ``time`` (datetime64[ns], UTC, per along-track row)
    is the revolution start day plus ``row_time``. Global attributes are kept (text decoded).

    Raises
    ------
    InputError
        Missing, non-HDF5 or truncated file; a required variable missing, of another rank or
        in other units (naming the variable); a declared range inverted or not a number.
        Values outside their range (the file's ``valid_min``/``valid_max``, else
        :data:`~fcspace.watercycle.rules.SMAP_L2B_SSS_RULES`) are masked and counted.
    """
    with _h5(path) as f:
        arrays, masked = validated_arrays(
            _h5_dataset(f, SMAP_L2B_SSS, path), SMAP_L2B_SSS_RULES, SMAP_L2B_SSS, path
        )
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        time = _l2b_row_times(f, arrays["row_time"].values, path)
    ds = xr.Dataset(arrays, attrs={**attrs, **masked})
    ds = ds.set_coords(["lat", "lon"]).assign_coords(time=("along_track", time))
    ds["time"].attrs["long_name"] = "approximate observation time of each row (UTC)"
    return ds


# --------------------------------------------------------------------------------------------
# SMOS L2 SM (NetCDF conversion)
# --------------------------------------------------------------------------------------------


_PACKING = ("_FillValue", "scale_factor", "scale_offset", "_Unsigned")


def _smos_decode(raw: xr.Dataset, path: PathLike) -> dict[str, xr.DataArray]:
    """Every variable of the table: float fills → NaN, packed integers unpacked, others kept.

    A variable that is not in the table is not read.
    """
    out = {}
    for name in SMOS_L2_SM.names():
        if name not in raw.variables:
            continue
        da = raw[name]
        # _Unsigned is dropped: the NetCDF-4 stored type is already unsigned
        keep = {k: v for k, v in da.attrs.items() if k not in _PACKING}
        if "scale_factor" in da.attrs:
            values = unpack_float(da, path)  # Chi_2, Chi_2_P, RFI_Prob, X_Swath: fill → NaN
        elif da.dtype.kind == "f":
            values = np.where(fill_mask(da), np.nan, da.values.astype(np.float64))
        else:
            values = da.values
            if "_FillValue" in da.attrs:
                keep["fill_value_in_file"] = da.attrs["_FillValue"]
        out[str(name)] = xr.DataArray(values, dims=da.dims, attrs=keep)
    return out


def _smos_time(days: np.ndarray, seconds: np.ndarray, micro: np.ndarray) -> np.ndarray:
    """Days/Seconds/Microseconds since 2000-01-01 UTC → datetime64[ns]; Days = 0 (fill) → NaT.

    Seconds and Microseconds share the fill 0 with a genuine 0, so only Days marks a missing
    time (a real SMOS day 0, 2000-01-01, predates the mission's launch in 2009). Days beyond
    10**6 (year 4700) give NaT rather than an overflow (the rules refuse them anyway).
    """
    d, s, us = (np.asarray(v, dtype=np.int64) for v in (days, seconds, micro))
    ok = (d > 0) & (d < 10**6) & (s >= 0) & (s < 10**7) & (us >= 0) & (us < 10**10)
    d, s, us = (np.where(ok, v, 0) for v in (d, s, us))
    t = SMOS_EPOCH + ((d * 86400 + s) * 1_000_000 + us).astype("timedelta64[us]")
    return np.where(ok, t, np.datetime64("NaT", "ns"))


def open_smos_l2_sm(path: PathLike) -> xr.Dataset:
    """An ESA SMOS L2 soil-moisture user product (NetCDF conversion), in memory.

    Every variable keeps the product's name (``Soil_Moisture``, ``Optical_Thickness_Nad``,
    ``TB_ASL_Theta_B_H``, ...) and its dimension ``n_grid_points``. Floating-point ``_FillValue``
    (-999) becomes NaN; packed integers (``Chi_2``, ``RFI_Prob``, ...) are unpacked to float
    with their fill as NaN; flag words and counts stay integers (their ``_FillValue`` 0 is a
    genuine "no flag", kept as ``fill_value_in_file``). ``Days``, ``Seconds`` and
    ``Microseconds`` (since 2000-01-01T00:00:00 UTC) become one ``time`` coordinate
    (datetime64[ns], NaT where Days is filled); ``Latitude``/``Longitude`` are coordinates.
    Only the variables of the table are read (the optional ones when present). Values outside
    their range (:data:`~fcspace.watercycle.rules.SMOS_L2_SM_RULES`) are masked (NaN, the
    integer fill 0, NaT), counted in ``fcspace_masked_out_of_range`` and marked in
    ``flag_out_of_range``.

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file; a required variable of
        :data:`~fcspace.watercycle.product_specs.SMOS_L2_SM` missing, or any of its variables
        not on ``n_grid_points`` or in other units; ``scale_factor`` 0 or not a number;
        positions all fill or out of range.
    """
    _check_hdf5_attributes(check_file(path))
    p, raw = open_raw(path)
    check_packing(raw, p)
    for var in SMOS_L2_SM.variables:
        if var.name not in raw.variables:
            if not var.required:
                continue
            raise InputError(f"no variable {var.name!r} ({SMOS_L2_SM.product})", p, var.name)
        da = raw[var.name]
        if da.dims != var.dims:
            raise InputError(f"dims {da.dims}, expected {var.dims}", p, var.name)
        _check_units(da.attrs.get("units"), var, p)
    arrays = _smos_decode(raw, p)
    for var in SMOS_L2_SM.variables:
        if var.valid is not None:
            arrays[var.name].attrs.update(valid_min=var.valid[0], valid_max=var.valid[1])
    time = _smos_time(*(raw[n].values for n in ("Days", "Seconds", "Microseconds")))
    arrays["time"] = xr.DataArray(time, dims=("n_grid_points",))
    arrays, masked = validated_arrays(arrays, SMOS_L2_SM_RULES, SMOS_L2_SM, p)
    time = arrays.pop("time").values
    for name in ("Days", "Seconds", "Microseconds"):
        del arrays[name]
    ds = xr.Dataset(arrays, attrs={**raw.attrs, **masked}).set_coords(["Latitude", "Longitude"])
    ds = ds.assign_coords(time=("n_grid_points", time))
    ds["time"].attrs["long_name"] = "UTC time of the grid point (from Days/Seconds/Microseconds)"
    return ds


# --------------------------------------------------------------------------------------------
# SMAP L4_SM on the 9 km EASE-Grid 2.0
# --------------------------------------------------------------------------------------------


def _l4_time(seconds: np.ndarray) -> np.ndarray:
    """Nominal UTC time of an L4_SM granule from its ``time`` (seconds, "J2000").

    The file states ``seconds since 2000-01-01 11:58:55.816`` (J2000 = 12:00:00 TT in UTC), but
    its values count from 2000-01-01T12:00:00 without leap seconds: 633,495,600 s is exactly the
    granule's nominal 2020-01-28T15:00:00Z, the middle of its ``Metadata/Extent`` range
    (13:30-16:30 Z). ASSUMPTION: that counting (GMAO's), checked by a test on the shared file.
    """
    epoch = np.datetime64("2000-01-01T12:00:00", "ns")
    s = np.asarray(seconds, dtype=np.float64)
    ok = np.isfinite(s) & (np.abs(s) < 9e9)  # beyond 285 years: no datetime64[ns], NaT
    ns = np.round(np.where(ok, s, 0.0) * 1e9).astype("int64").astype("timedelta64[ns]")
    return np.where(ok, epoch + ns, np.datetime64("NaT", "ns"))


def open_smap_l4_sm(path: PathLike) -> xr.Dataset:
    """A SMAP L4_SM analysis-update granule on the 9 km EASE-Grid 2.0 (HDF5), in memory.

    ``sm_surface_analysis``, ``sm_profile_analysis`` (m3 m-3) and ``surface_temp_analysis`` (K)
    from ``Analysis_Data`` on dims ``(y, x)`` with the fill -9999 as NaN; ``x``, ``y`` (m, cell
    centres) as coordinates; ``lat`` (on ``y``) and ``lon`` (on ``x``) in degrees from
    :func:`ease2_inverse` (the projection is cylindrical: latitude depends on y only, longitude
    on x only; broadcast them for 2-D maps), with the ellipsoid and standard parallel that the
    file's ``projection_information`` states; ``time`` (scalar datetime64[ns], UTC, nominal).

    Raises
    ------
    InputError
        Missing, non-HDF5 or truncated file; a variable of
        :data:`~fcspace.watercycle.product_specs.SMAP_L4_SM` missing, of another rank or in
        other units (naming the variable); x or y off the EASE-Grid 2.0 extent, a time outside
        the mission, a declared range inverted or not a number. Values outside their range
        (the file's ``valid_min``/``valid_max``) are masked and counted.
    """
    with _h5(path) as f:
        arrays = _h5_dataset(f, SMAP_L4_SM, path)
        grid = f.get("projection_information")
        a, e, phs = ease2_parameters({} if grid is None else dict(grid.attrs))
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
    arrays, masked = validated_arrays(arrays, SMAP_L4_SM_RULES, SMAP_L4_SM, path)
    time = _l4_time(arrays.pop("time").values)
    apply_rules(xr.Dataset({"time": ("time", time)}), SMAP_L4_TIME_RULES, path)
    x, y = arrays.pop("x"), arrays.pop("y")
    lat, _ = ease2_inverse(np.zeros(y.size), y.values, a, e, phs)
    _, lon = ease2_inverse(x.values, np.zeros(x.size), a, e, phs)
    ds = xr.Dataset(arrays, attrs={**attrs, **masked})
    ds = ds.assign_coords(
        x=("x", x.values, x.attrs),
        y=("y", y.values, y.attrs),
        lat=("y", lat, {"units": "degrees_north", "standard_name": "latitude"}),
        lon=("x", lon, {"units": "degrees_east", "standard_name": "longitude"}),
        time=time.reshape(-1)[0],
    )
    ds.attrs["grid_mapping"] = "EASE-Grid 2.0 global (EPSG:6933), 9 km (Brodzik et al. 2012)"
    return ds


# --------------------------------------------------------------------------------------------
# The mission's own products (CF NetCDF-4)
# --------------------------------------------------------------------------------------------


def write_water_product(ds: xr.Dataset, path: PathLike) -> Path:
    """Write a water-cycle product as CF NetCDF-4, atomically (temporary name, then rename).

    The geophysics are checked first (:func:`check_water_product`): nothing is written when a
    value is out of range. CF/ACDD global attributes are added where ``Conventions`` is absent
    (``fcspace.core.products.cf_global_attrs``) and a history line is appended; floating-point
    variables are compressed (zlib level 4) with NaN as their fill.

    Raises
    ------
    InputError
        Out-of-range geophysics (naming the variable), or no data variable.
    """
    from fcspace.core.products import add_history, cf_global_attrs, write_netcdf

    check_water_product(ds, path)
    out = ds.copy()
    if "Conventions" not in out.attrs:
        title = str(out.attrs.get("title", "fcspace water-cycle product"))
        out.attrs = {**cf_global_attrs(title, "fcspace.watercycle"), **out.attrs}
    out = add_history(out, f"written by fcspace.watercycle.io.write_water_product to {path}")
    enc = {
        str(n): {"zlib": True, "complevel": 4}
        for n, v in out.variables.items()
        if v.dtype.kind == "f" and v.ndim > 0
    }
    return write_netcdf(out, path, encoding=enc)


def open_water_product(path: PathLike) -> xr.Dataset:
    """A water-cycle product written by :func:`write_water_product`, in memory.

    The product's rules (:func:`fcspace.watercycle.rules.water_product_rules`, by its title):
    a variable of its kind missing, its geometry, coordinates, flags or looks out of range are
    refused; other floating-point values out of range are masked (NaN) and counted.

    Raises
    ------
    InputError
        Missing, non-NetCDF, damaged or truncated file, not a CF product, out-of-range
        geophysics (salinity, soil moisture, TB), a required variable missing.
    """
    p = check_file(path)
    _check_hdf5_attributes(p)
    with read_guard(p):
        ds = xr.load_dataset(p, engine="netcdf4")
    if "CF" not in str(ds.attrs.get("Conventions", "")):
        raise InputError("not a CF product (no 'Conventions' attribute naming CF)", p)
    check_water_product(ds, p)
    return apply_rules(ds, water_product_rules(str(ds.attrs.get("title", ""))), p)
