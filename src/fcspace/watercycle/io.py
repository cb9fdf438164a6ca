"""Every water-cycle file access: the real SMOS and SMAP products, and the mission's own products.

Readers of real products (variable tables in :mod:`fcspace.watercycle.product_specs`):

- :func:`open_smap_l2b_sss`: JPL SMAP L2B sea-surface salinity (HDF5, read with h5py);
- :func:`open_smos_l2_sm`: ESA SMOS L2 soil moisture, NetCDF conversion;
- :func:`open_smap_l4_sm`: SMAP L4_SM analysis update on the 9 km EASE-Grid 2.0 (HDF5), with
  latitude and longitude from the inverse EASE-Grid 2.0 projection (:func:`ease2_inverse`).

Each keeps the product's variable names, turns fills of floating-point variables into NaN
(integer flags and counts stay integers: 0 is a meaningful flag word), checks the units the file
states against its table and loads everything into memory (the files are a few MB). A missing,
non-HDF5/NetCDF or truncated file (``fcspace.core.netcdf.check_file``: HDF5 superblock
end-of-file address), or a missing variable, raises :class:`~fcspace.core.errors.InputError`
naming the file and the variable.

Writers of the mission's products: :func:`write_water_product` (CF NetCDF-4, atomic) and
:func:`open_water_product`; geophysics out of range (negative salinity, soil moisture above one
or above the porosity, TB outside 0-350 K) raises InputError naming the variable, before any
byte is written.

References
----------
- The HDF Group, *HDF5 File Format Specification* v3, section II.A (superblock).
- Brodzik, Billingsley, Haran, Raup, Savoie (2012), EASE-Grid 2.0: incremental but significant
  improvements for Earth-gridded data sets, *ISPRS Int. J. Geo-Inf.* 1, 32-45
  (doi:10.3390/ijgi1010032); EPSG:6933.
- Snyder (1987), *Map Projections - A Working Manual*, USGS Prof. Paper 1395: cylindrical
  equal-area on the ellipsoid, eqs. 3-12, 3-18, 10-15 and 10-16 (pp. 81, 16, 89).
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
from fcspace.core.netcdf import PathLike, check_file, fill_mask, open_raw, unpack_float
from fcspace.watercycle.product_specs import (
    SMAP_L2B_SSS,
    SMAP_L4_SM,
    SMOS_L2_SM,
    WATER_PRODUCT_LIMITS,
    ProductSpec,
    Var,
)

__all__ = [
    "EASE2_A_M",
    "EASE2_E",
    "EASE2_STANDARD_PARALLEL_DEG",
    "ease2_forward",
    "check_water_product",
    "ease2_inverse",
    "open_smap_l2b_sss",
    "open_smap_l4_sm",
    "open_smos_l2_sm",
    "open_water_product",
    "write_water_product",
]

#: WGS84 semi-major axis (m) and eccentricity (1/f = 298.257223563), the ellipsoid of
#: EASE-Grid 2.0 (Brodzik et al. 2012, section 3; EPSG:6933); also stated by the L4 file.
EASE2_A_M = 6378137.0
EASE2_E = float(np.sqrt(2.0 / 298.257223563 - (1.0 / 298.257223563) ** 2))
#: Standard parallel of the global EASE-Grid 2.0 cylindrical projection (Brodzik et al. 2012).
EASE2_STANDARD_PARALLEL_DEG = 30.0

#: SMOS times count from 2000-01-01T00:00:00 UTC (ESA Earth Explorer "UTC_Type": days, seconds,
#: microseconds since that date; checked on the shared file: Days = 8491 on 2023-04-01).
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
    except (OSError, KeyError, ValueError, TypeError) as err:
        raise InputError(f"unreadable HDF5 content ({type(err).__name__}: {err})", p) from err
    finally:
        f.close()


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


def _h5_variable(f: Any, var: Var, path: PathLike) -> xr.DataArray | None:
    """One HDF5 variable as a DataArray after its table entry (None: optional and absent)."""
    if var.name not in f:
        if var.required:
            raise InputError(f"no variable {var.name!r} ({_spec_of(var)})", path, var.name)
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
    return xr.DataArray(_decoded(raw, var), dims=var.dims, attrs=attrs)


def _spec_of(var: Var) -> str:
    for spec in (SMAP_L2B_SSS, SMOS_L2_SM, SMAP_L4_SM):
        if var in spec.variables:
            return spec.product
    return "unknown product"


def _h5_dataset(f: Any, spec: ProductSpec, path: PathLike) -> dict[str, xr.DataArray]:
    """Every variable of ``spec`` found in ``f``, by its short name (last part of the path)."""
    out = {}
    for var in spec.variables:
        da = _h5_variable(f, var, path)
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
        in other units (naming the variable).
    """
    with _h5(path) as f:
        arrays = _h5_dataset(f, SMAP_L2B_SSS, path)
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        time = _l2b_row_times(f, arrays["row_time"].values, path)
    ds = xr.Dataset(arrays, attrs=attrs)
    ds = ds.set_coords(["lat", "lon"]).assign_coords(time=("along_track", time))
    ds["time"].attrs["long_name"] = "approximate observation time of each row (UTC)"
    return ds


# --------------------------------------------------------------------------------------------
# SMOS L2 SM (NetCDF conversion)
# --------------------------------------------------------------------------------------------


def _smos_decode(raw: xr.Dataset) -> dict[str, xr.DataArray]:
    """Every variable: floats with ``_FillValue`` → NaN, packed integers unpacked, others kept."""
    out = {}
    for name, da in raw.data_vars.items():
        keep = {k: v for k, v in da.attrs.items() if k not in ("_FillValue", "scale_factor")}
        keep.pop("scale_offset", None)
        keep.pop("_Unsigned", None)  # the stored type is already unsigned (NetCDF-4)
        if "scale_factor" in da.attrs:
            values = unpack_float(da)  # Chi_2, Chi_2_P, RFI_Prob, X_Swath: fill → NaN
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
    time (a real SMOS day 0, 2000-01-01, predates the mission's launch in 2009).
    """
    d = np.asarray(days, dtype=np.int64)
    ns = (d * 86400 + np.asarray(seconds, np.int64)) * 1_000_000_000 + np.asarray(
        micro, np.int64
    ) * 1000
    t = SMOS_EPOCH + ns.astype("timedelta64[ns]")
    return np.where(d > 0, t, np.datetime64("NaT", "ns"))


def open_smos_l2_sm(path: PathLike) -> xr.Dataset:
    """An ESA SMOS L2 soil-moisture user product (NetCDF conversion), in memory.

    Every variable keeps the product's name (``Soil_Moisture``, ``Optical_Thickness_Nad``,
    ``TB_ASL_Theta_B_H``, ...) and its dimension ``n_grid_points``. Floating-point ``_FillValue``
    (-999) becomes NaN; packed integers (``Chi_2``, ``RFI_Prob``, ...) are unpacked to float
    with their fill as NaN; flag words and counts stay integers (their ``_FillValue`` 0 is a
    genuine "no flag", kept as ``fill_value_in_file``). ``Days``, ``Seconds`` and
    ``Microseconds`` (since 2000-01-01T00:00:00 UTC) become one ``time`` coordinate
    (datetime64[ns], NaT where Days is filled); ``Latitude``/``Longitude`` are coordinates.

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file; a variable of
        :data:`~fcspace.watercycle.product_specs.SMOS_L2_SM` missing, not on
        ``n_grid_points`` or in other units.
    """
    p, raw = open_raw(path)
    for var in SMOS_L2_SM.variables:
        if var.name not in raw.variables:
            raise InputError(f"no variable {var.name!r} ({SMOS_L2_SM.product})", p, var.name)
        da = raw[var.name]
        if da.dims != var.dims:
            raise InputError(f"dims {da.dims}, expected {var.dims}", p, var.name)
        _check_units(da.attrs.get("units"), var, p)
    arrays = _smos_decode(raw)
    for var in SMOS_L2_SM.variables:
        if var.valid is not None:
            arrays[var.name].attrs.update(valid_min=var.valid[0], valid_max=var.valid[1])
    time = _smos_time(*(raw[n].values for n in ("Days", "Seconds", "Microseconds")))
    for name in ("Days", "Seconds", "Microseconds"):
        del arrays[name]
    ds = xr.Dataset(arrays, attrs=dict(raw.attrs)).set_coords(["Latitude", "Longitude"])
    ds = ds.assign_coords(time=("n_grid_points", time))
    ds["time"].attrs["long_name"] = "UTC time of the grid point (from Days/Seconds/Microseconds)"
    return ds


# --------------------------------------------------------------------------------------------
# EASE-Grid 2.0 (global cylindrical equal-area on WGS84) and the SMAP L4_SM reader
# --------------------------------------------------------------------------------------------


def _q(sin_phi: np.ndarray, e: float) -> np.ndarray:
    """Snyder (1987) eq. 3-12: q(φ) of the authalic latitude, from sin φ."""
    es = e * sin_phi
    return (1 - e**2) * (sin_phi / (1 - es**2) - np.log((1 - es) / (1 + es)) / (2 * e))


def _k0(e: float, standard_parallel_deg: float) -> float:
    """Snyder (1987) eq. 10-13: scale along the standard parallel, cos φs / √(1 - e² sin² φs)."""
    phs = np.radians(standard_parallel_deg)
    return float(np.cos(phs) / np.sqrt(1 - (e * np.sin(phs)) ** 2))


def ease2_forward(
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    a: float = EASE2_A_M,
    e: float = EASE2_E,
    standard_parallel_deg: float = EASE2_STANDARD_PARALLEL_DEG,
) -> tuple[np.ndarray, np.ndarray]:
    """EASE-Grid 2.0 global map coordinates (m) of latitude/longitude (degrees).

    Cylindrical equal-area on the ellipsoid, Snyder (1987) eqs. 10-15, 10-16:
    ``x = a k0 λ``, ``y = a q(φ) / (2 k0)`` with ``k0`` from eq. 10-13 (Brodzik et al. 2012).
    """
    k0 = _k0(e, standard_parallel_deg)
    lam = np.radians(np.asarray(lon_deg, dtype=np.float64))
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    return a * k0 * lam, a * _q(np.sin(phi), e) / (2 * k0)


def ease2_inverse(
    x_m: np.ndarray,
    y_m: np.ndarray,
    a: float = EASE2_A_M,
    e: float = EASE2_E,
    standard_parallel_deg: float = EASE2_STANDARD_PARALLEL_DEG,
) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (degrees) of EASE-Grid 2.0 global map coordinates (m).

    The authalic latitude β = asin(2 y k0 / (a q_p)) (Snyder 1987 eqs. 3-11, 10-17 rearranged)
    gives φ by the series of eq. 3-18 (terms to e⁶), then two Newton steps on q(φ) = 2 y k0 / a
    (dq/dφ = 2 (1 - e²) cos φ / (1 - e² sin² φ)², eq. 3-16 in derivative form) bring the
    round trip with :func:`ease2_forward` to rounding level. λ = x / (a k0).
    """
    k0 = _k0(e, standard_parallel_deg)
    q_target = 2 * k0 * np.asarray(y_m, dtype=np.float64) / a
    qp = _q(np.float64(1.0), e)
    beta = np.arcsin(np.clip(q_target / qp, -1.0, 1.0))
    e2, e4, e6 = e**2, e**4, e**6
    phi = (
        beta
        + (e2 / 3 + 31 * e4 / 180 + 517 * e6 / 5040) * np.sin(2 * beta)
        + (23 * e4 / 360 + 251 * e6 / 3780) * np.sin(4 * beta)
        + (761 * e6 / 45360) * np.sin(6 * beta)
    )
    for _ in range(2):
        s, c = np.sin(phi), np.cos(phi)
        dq = 2 * (1 - e2) * c / (1 - e2 * s**2) ** 2
        step = np.where(np.abs(c) > 1e-12, (q_target - _q(s, e)) / np.where(dq == 0, 1, dq), 0.0)
        phi = phi + step
    lon = np.degrees(np.asarray(x_m, dtype=np.float64) / (a * k0))
    return np.degrees(phi), lon


def _l4_time(f: Any, seconds: np.ndarray) -> np.ndarray:
    """Nominal UTC time of an L4_SM granule from its ``time`` (seconds, "J2000").

    The file states ``seconds since 2000-01-01 11:58:55.816`` (J2000 = 12:00:00 TT in UTC), but
    its values count from 2000-01-01T12:00:00 without leap seconds: 633,495,600 s is exactly the
    granule's nominal 2020-01-28T15:00:00Z, the middle of its ``Metadata/Extent`` range
    (13:30-16:30 Z). ASSUMPTION: that counting (GMAO's), checked by a test on the shared file.
    """
    epoch = np.datetime64("2000-01-01T12:00:00", "ns")
    return epoch + np.round(np.asarray(seconds) * 1e9).astype("int64").astype("timedelta64[ns]")


def _ease2_params(f: Any) -> tuple[float, float, float]:
    """(a, e, standard parallel) from the file's ``projection_information``, else EPSG:6933."""
    if "projection_information" not in f:
        return EASE2_A_M, EASE2_E, EASE2_STANDARD_PARALLEL_DEG
    at = f["projection_information"].attrs
    a = float(np.asarray(at.get("semi_major_axis", EASE2_A_M)))
    inv_f = float(np.asarray(at.get("inverse_flattening", 298.257223563)))
    phs = float(np.asarray(at.get("standard_parallel", EASE2_STANDARD_PARALLEL_DEG)))
    flat = 1.0 / inv_f
    return a, float(np.sqrt(2 * flat - flat**2)), phs


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
        other units (naming the variable).
    """
    with _h5(path) as f:
        arrays = _h5_dataset(f, SMAP_L4_SM, path)
        a, e, phs = _ease2_params(f)
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        time = _l4_time(f, arrays.pop("time").values)
    x, y = arrays.pop("x"), arrays.pop("y")
    lat, _ = ease2_inverse(np.zeros(y.size), y.values, a, e, phs)
    _, lon = ease2_inverse(x.values, np.zeros(x.size), a, e, phs)
    ds = xr.Dataset(arrays, attrs=attrs)
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


def _check_range(
    name: str, values: np.ndarray, low: float, high: float, what: str, path: Any
) -> None:
    bad = np.isinf(values) | (values < low) | (values > high)
    if np.any(bad):
        worst = values[bad].flat[0]
        raise InputError(
            f"{int(bad.sum())} value(s) outside {what} range [{low}, {high}] (e.g. {worst})",
            path,
            name,
        )


def check_water_product(ds: xr.Dataset, path: PathLike | None = None) -> None:
    """Refuse out-of-range geophysics in a water-cycle product (InputError naming the variable).

    Ranges: :data:`~fcspace.watercycle.product_specs.WATER_PRODUCT_LIMITS` (salinity ≥ 0,
    0 ≤ soil moisture ≤ 1, 0 ≤ TB ≤ 350 K); soil moisture also ≤ ``porosity`` where the product
    carries one. NaN (missing) is allowed; ±inf is not.
    """
    if not ds.data_vars:
        raise InputError("a water-cycle product needs at least one data variable", path)
    for name, da in ds.variables.items():
        if da.dtype.kind not in "fiu":
            continue
        values = np.asarray(da.values, dtype=np.float64)
        values = values[~np.isnan(values)]
        for limit in WATER_PRODUCT_LIMITS:
            if limit.concerns(str(name), da.attrs.get("standard_name")):
                _check_range(str(name), values, limit.low, limit.high, limit.what, path)
                if limit.low == 0.0 and limit.high == 1.0 and "porosity" in ds.variables:
                    excess = (da - ds["porosity"]).values
                    if np.any(excess > 0):
                        raise InputError(
                            f"soil moisture above the porosity at {int((excess > 0).sum())} "
                            f"point(s) (by up to {float(np.nanmax(excess)):.4g} m3/m3)",
                            path,
                            str(name),
                        )


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

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file, not a CF product, or out-of-range geophysics.
    """
    p = check_file(path)
    try:
        ds = xr.load_dataset(p, engine="netcdf4")
    except (OSError, RuntimeError, ValueError, KeyError) as err:
        raise InputError(f"not a readable NetCDF file ({type(err).__name__}: {err})", p) from err
    if "CF" not in str(ds.attrs.get("Conventions", "")):
        raise InputError("not a CF product (no 'Conventions' attribute naming CF)", p)
    check_water_product(ds, p)
    return ds
