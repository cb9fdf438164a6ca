"""Read and write CFOSat SWIM L2 wave products in the fcspace in-memory layout.

Readers: :func:`open_l2p` (CNES/AVISO SWIM L2P box product), :func:`open_l2` (the full L2, in
the CNES layout or fcspace's previous one) and :func:`open_swim` (detects which). All three
return the one layout of ``docs/swim_layout.md``: the product's names and dims, ``n_phi`` = 24
full-circle spectra, every beam variable on ``n_beam_l2``, times as datetime64[ns] (NaT for
fills and implausible times, recorded in ``flag_valid_time_*``), fills as NaN, ``flag_valid_*``
applied (values flagged invalid set to NaN, the flag kept), angles in degrees clockwise from
north. Writer: :func:`write_l2` (CF NetCDF-4 full L2 in the CNES layout, written atomically).
Summary: :func:`l2_summary`. The layouts are data, in :mod:`fcspace.cfosat.swim.product_specs`;
the in-memory conversion (no file access) is :mod:`fcspace.cfosat.swim.layout`. The simulated
L1 of :mod:`fcspace.cfosat.swim.simulate` is written by :func:`write_l1` and read by
:func:`open_l1`.

Policy on fills: geolocation (``time_*``, ``lat_*``, ``lon_*`` at box rate) that is fill
everywhere, or an axis (``k_spectra``, ``phi_vector``, ``beam_incidence``) with any fill, is an
:class:`~fcspace.core.errors.InputError`: such a file cannot be placed in space or time.
Geophysical variables (``nadir_swh_box``, ``pp_mean``, ...) that are fill everywhere are
legitimate (land, ice, a short file): they read as NaN, without warning, and
:func:`l2_summary` counts zero valid values.

References
----------
- AVISO/CNES, *CFOSat SWIM L2P product user manual* (box product: names, units, flags, fills,
  time since 2000-01-01).
- CNES, *CFOSat SWIM L2 product specification* (CF-GSFR-SP-804-CNES: half-plane ``pp_mean``
  on ``n_beam_l2``, ``p_combined``, nadir rates, (seconds, microseconds) since 2009-01-01).
- The HDF Group, *HDF5 File Format Specification*, section II.A (superblock, end-of-file
  address), used to detect truncated NetCDF-4 files.
- CF Conventions 1.8.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import cnes_l2, modulation, nadir
from fcspace.cfosat.swim import product_specs as ps
from fcspace.cfosat.swim.layout import decode_l2, encode_l2, plausible_times
from fcspace.core.errors import InputError
from fcspace.core.netcdf import (
    PathLike,
    check_file,
    hdf5_min_size,
    iso_utc,
    open_raw,
    read_guard,
    value_range,
)
from fcspace.core.products import add_history, write_netcdf
from fcspace.core.validation import apply_rules, check_packing

__all__ = [
    "L1_DIMS",
    "LAND_FRACTION_LIMIT",
    "check_l1",
    "hdf5_min_size",
    "l2_summary",
    "open_l1",
    "open_l2",
    "open_l2p",
    "open_swim",
    "plausible_times",
    "write_l1",
    "write_l2",
]

# --------------------------------------------------------------------------------------------
# Opening a file safely
# --------------------------------------------------------------------------------------------


def open_l2p(path: PathLike) -> xr.Dataset:
    """Open a CNES/AVISO CFOSat SWIM L2P box product in the fcspace SWIM layout.

    Parameters
    ----------
    path
        SWIM L2P box file (NetCDF-4; dims ``n_box``, ``n_posneg``, ``nk``, ``n_phi`` = 24,
        ``nparam``, ``npartitions``), after the AVISO/CNES *CFOSat SWIM L2P product user
        manual*.

    Returns
    -------
    xarray.Dataset
        The layout of ``docs/swim_layout.md``: names kept; ``time_nadir_l2`` and
        ``time_spec_l2`` (seconds since 2000-01-01) as datetime64[ns] rounded to 1 us, NaT
        where implausible (:func:`plausible_times`) with ``flag_valid_time_*`` = 1; fills
        (9.96921e36) as NaN; ``nadir_swh_box``, ``nadir_wind_box`` and ``pp_mean`` NaN where
        their ``flag_valid_*`` is 1; ``phi_orbit_box`` in degrees; beam variables on
        ``n_beam_l2`` of length 1 (``beam_incidence`` = 10 from ``wave_spectra_beam``).
        File variables outside the layout are not read (the real product has none).

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file; missing required variable; wrong dimensions;
        geolocation fill everywhere or an axis with fills (the message names file and
        variable).
    """
    p, raw = open_raw(path)
    return decode_l2(p, raw, ps.AVISO_L2P)


def open_l2(path: PathLike) -> xr.Dataset:
    """Open a full SWIM L2 (CNES layout, or fcspace's previous one) in the fcspace SWIM layout.

    Two file layouts are read (``docs/swim_layout.md``): the L2 that CNES distributes
    (``CFO_OP05_SWI_L2_____F_*.nc``; real names such as ``nadir_swh_1Hz``, ``lat_l2anad_0``,
    ``time_l2``, dims ``n_mcycles`` / ``n_nad_1Hz``; written by :func:`write_l2`), renamed by
    :mod:`fcspace.cfosat.swim.cnes_l2`, and fcspace's previous full L2 (in-memory names, every
    time on ``n_tim``). The half-plane spectra (``n_phi`` = 12, 0-180 degree) are expanded to
    the full circle by the SWIM symmetry F(k, phi + 180) = F(k, phi) (``mask_spectrum``:
    M(phi + 180) = -M(phi)); (seconds, microseconds) since 2009-01-01 on ``n_tim`` and float
    seconds (``time_nadir_1Hz``) become datetime64[ns]; ``truth_*`` spectra on ``n_phi_full``
    come back on ``n_phi``. Layout of the CNES *CFOSat SWIM L2 product specification*.

    Raises
    ------
    InputError
        As :func:`open_l2p`, and for ``n_phi`` not 12 or ``n_tim`` not 2.
    """
    p, raw = open_raw(path)
    return _decode_full(p, raw)


def _decode_full(p: Path, raw: xr.Dataset) -> xr.Dataset:
    """A full L2's raw variables (either layout) decoded into the in-memory layout."""
    if cnes_l2.is_cnes(raw):
        return decode_l2(p, cnes_l2.from_cnes(raw, p), ps.CNES_L2)
    return decode_l2(p, raw, ps.FCSPACE_L2)


def open_swim(path: PathLike) -> xr.Dataset:
    """Open a SWIM L2P box or full L2 file, detecting the layout from its content.

    A file with ``n_tim``, ``n_beam_l2`` or a CNES L2 name or dim (``n_mcycles``,
    ``n_nad_1Hz``, ``time_l2``, ...) is read as a full L2 (:func:`open_l2`), any other as
    the L2P box product (:func:`open_l2p`).
    """
    p, raw = open_raw(path)
    if ps.TIM in raw.dims or ps.BEAM in raw.dims or cnes_l2.is_cnes(raw):
        return _decode_full(p, raw)
    return decode_l2(p, raw, ps.AVISO_L2P)


# --------------------------------------------------------------------------------------------
# Writing the full L2 layout
# --------------------------------------------------------------------------------------------


def write_l2(ds: xr.Dataset, path: PathLike) -> Path:
    """Write an in-memory SWIM Dataset as a CF NetCDF-4 full L2 in the CNES layout, atomically.

    The file carries the names, dims and time encodings of the L2 that CNES distributes
    (``docs/swim_layout.md``; :mod:`fcspace.cfosat.swim.cnes_l2`): nadir native rate on
    ``n_mcycles`` (``lat_l2anad_0``, ``lon_l2anad_0``, ``time_nadir_native``,
    ``nadir_swh_native``, ``nadir_swh_native_validity``, ``nadir_wind_native``), 1 Hz on
    ``n_nad_1Hz`` (``time_nadir_1Hz`` in float seconds since 2009-01-01, ``nadir_swh_1Hz``,
    ``nadir_swh_1Hz_std``, ``nadir_swh_1Hz_used_native``, ``flag_valid_swh_1Hz``,
    ``nadir_wind_1Hz``, ``flag_valid_wind_1Hz``), box times ``time_l2`` and
    ``time_nadir_l2`` as int64 (seconds, microseconds) since 2009-01-01 on ``n_tim`` (floored
    to 1 us; NaT as -2**63), ``pp_mean``, ``flag_valid_pp_mean``, ``mask`` and ``p_combined``
    on the half plane ``n_phi`` = 12 (the mean of F(phi) and F(phi + 180), equal to F(phi)
    for SWIM spectra; a flag is invalid where either half is; the mask keeps the first
    half), beam variables on ``n_beam_l2``, floats as float32 with ``_FillValue`` 9.96921e36,
    int8 flags with -127. ``truth_*`` and other extra variables are written as they are
    (floats as float32), full-circle directions on ``n_phi_full``. ``flag_valid_time_*``
    are not written (re-derived on reading).

    Returns
    -------
    pathlib.Path
        ``path``. Nothing is left at ``path`` if writing fails.

    Raises
    ------
    InputError
        A required variable is missing, a variable has the wrong dimensions, ``n_phi`` is not
        24, or an extra variable is not numeric.
    """
    p = Path(path)
    stored, encoding = cnes_l2.to_cnes(*encode_l2(ds, p))
    out = add_history(stored, f"write_l2 {p.name}")
    return write_netcdf(out, p, encoding=encoding, format="NETCDF4")


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def _stats(values: np.ndarray) -> dict[str, float | None]:
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not v.size:
        return {"mean": None, "min": None, "max": None}
    return {"mean": float(v.mean()), "min": float(v.min()), "max": float(v.max())}


def l2_summary(ds: xr.Dataset) -> dict[str, Any]:
    """Plain-Python summary of an in-memory SWIM Dataset, for ``fcspace swim info --json``.

    Keys: ``n_box``, ``cells`` (n_posneg x n_box), ``beams`` (incidence, degree),
    ``boxes_with_valid_nadir_swh`` and ``nadir_swh`` ({mean, min, max} in m, after
    ``flag_valid_swh_box``), ``cells_with_wave_param`` and ``cells_with_valid_spectrum``
    (per beam: every ``wave_param`` finite; every ``pp_mean`` bin finite after
    ``flag_valid_pp_mean``), ``time_start``/``time_end`` (ISO 8601 UTC over the valid box and
    spectrum times), ``lat_range``/``lon_range`` ([min, max] in degrees, nadir and spectra).
    """
    swh = np.asarray(ds["nadir_swh_box"].values, dtype=np.float64)
    wave = np.isfinite(ds["wave_param"]).all(ps.PARAM).sum((ps.SIDE, ps.BOX))
    spec = np.isfinite(ds["pp_mean"]).all((ps.K, ps.PHI)).sum((ps.SIDE, ps.BOX))
    times = np.concatenate(
        [np.ravel(ds[n].values).astype("datetime64[ns]") for n in ("time_nadir_l2", "time_spec_l2")]
    )
    times = times[~np.isnat(times)]
    lats = np.concatenate([np.ravel(ds[n].values) for n in ("lat_nadir_l2", "lat_spec_l2")])
    lons = np.concatenate([np.ravel(ds[n].values) for n in ("lon_nadir_l2", "lon_spec_l2")])
    return {
        "n_box": int(ds.sizes[ps.BOX]),
        "cells": int(ds.sizes[ps.SIDE] * ds.sizes[ps.BOX]),
        "beams": [float(b) for b in ds["beam_incidence"].values],
        "boxes_with_valid_nadir_swh": int(np.isfinite(swh).sum()),
        "nadir_swh": _stats(swh),
        "cells_with_wave_param": [int(n) for n in wave.values],
        "cells_with_valid_spectrum": [int(n) for n in spec.values],
        "time_start": iso_utc(times.min()) if times.size else None,
        "time_end": iso_utc(times.max()) if times.size else None,
        "lat_range": value_range(lats),
        "lon_range": value_range(lons),
    }


# --------------------------------------------------------------------------------------------
# The simulated L1 (layout: fcspace.cfosat.swim.simulate)
# --------------------------------------------------------------------------------------------

#: Dims of the simulated SWIM L1 variables (layout in :mod:`fcspace.cfosat.swim.simulate`).
L1_DIMS = {
    "waveform": ("n_nadir_native", "n_gates"),
    "time_nadir_native": ("n_nadir_native",),
    "lat_nadir_native": ("n_nadir_native",),
    "lon_nadir_native": ("n_nadir_native",),
    "time_nadir_l2": ("n_box",),
    "lat_nadir_l2": ("n_box",),
    "lon_nadir_l2": ("n_box",),
    "phi_orbit_box": ("n_box",),
    "time_spec_l2": ("n_posneg", "n_box"),
    "lat_spec_l2": ("n_posneg", "n_box"),
    "lon_spec_l2": ("n_posneg", "n_box"),
    "k_spectra": ("nk",),
    "phi_vector": ("n_phi",),
    "beam_incidence": ("n_beam_l2",),
    "periodogram": ("nk", "n_phi", "n_posneg", "n_box", "n_beam_l2"),
    "mss": ("n_posneg", "n_box"),
}


#: An L1 sample (native footprint, box side) whose optional ``land_fraction_native`` /
#: ``land_fraction_box`` exceeds this has no ocean signal: any land, as in the SCAT simulator
#: (an assumption on the exact limit; the real L2 flags land through its surface-type flags).
LAND_FRACTION_LIMIT = 0.0
_LAND_OF = {"waveform": "land_fraction_native", "periodogram": "land_fraction_box"}


def _all_land(ds: xr.Dataset, name: str) -> bool:
    """True when the L1 says every sample of ``name`` is over land (NaN there is legitimate)."""
    frac = _LAND_OF[name]
    return frac in ds and bool((np.asarray(ds[frac].values) > LAND_FRACTION_LIMIT).all())


def check_l1(ds: xr.Dataset, path: PathLike | None = None) -> None:
    """Raise :class:`InputError` unless ``ds`` has the L1 variables and dims and usable data.

    Waveforms or periodograms that are NaN everywhere are refused, unless the L1's land
    fraction puts every sample over land (a pass over land is processed, all flagged).
    """
    for name, dims in L1_DIMS.items():
        if name not in ds:
            raise InputError("missing variable required in a SWIM L1 file", path, name)
        if ds[name].dims != dims:
            raise InputError(f"dims {ds[name].dims}, expected {dims}", path, name)
    if ds.sizes["n_gates"] < nadir.MIN_GATES:
        raise InputError(f"waveforms need >= {nadir.MIN_GATES} gates", path, "waveform")
    for name in ("waveform", "periodogram"):
        if not np.isfinite(ds[name].values).any() and not _all_land(ds, name):
            raise InputError("all values are NaN: nothing to process", path, name)
    for name in ("time_nadir_native", "time_nadir_l2"):
        if np.isnat(np.asarray(ds[name].values, "datetime64[ns]")).all():
            raise InputError("no valid time (all NaT)", path, name)
    beams = set(np.asarray(ds["beam_incidence"].values, float).tolist())
    if not beams <= set(modulation.SPECKLE_DENSITY):
        raise InputError(f"beams {sorted(beams)} not among {sorted(modulation.SPECKLE_DENSITY)}",
                         path, "beam_incidence")  # fmt: skip


def write_l1(ds: xr.Dataset, path: PathLike) -> Path:
    """Write a SWIM L1 Dataset to CF NetCDF-4 atomically (float32, deflate; times in us)."""
    check_l1(ds, path)
    out = add_history(ds, f"written as SWIM L1 {Path(path).name}")
    encoding: dict[str, dict] = {}
    for name, var in out.data_vars.items():
        enc: dict = {"zlib": True, "complevel": 4}
        if var.dtype.kind == "f":
            enc["dtype"] = "float32"
        if var.dtype.kind == "M":
            enc |= {"units": "microseconds since 2009-01-01", "dtype": "int64"}
        encoding[str(name)] = enc
    return write_netcdf(out, path, encoding=encoding, format="NETCDF4")


def open_l1(path: PathLike) -> xr.Dataset:
    """Open a SWIM L1 file, check it, and return it in memory (floats as float64).

    Values are checked against :data:`~fcspace.cfosat.swim.product_specs.SWIM_L1_RULES`:
    implausible times become NaT, positions, powers and fractions out of range NaN (counted
    in ``fcspace_masked_out_of_range``), axes out of range are refused.

    Raises
    ------
    InputError
        Missing, non-NetCDF or truncated file, missing variable, wrong dims, no data, an axis
        out of range.
    """
    p = check_file(path)
    with read_guard(p, "a SWIM L1 NetCDF file"), xr.open_dataset(p) as raw:
        check_packing(raw, p)
        ds = raw.load()
    for name, var in ds.data_vars.items():
        if var.dtype.kind == "f":
            ds[name] = var.astype(np.float64)
    check_l1(ds, p)
    ds = apply_rules(ds, ps.SWIM_L1_RULES, p)
    ds.encoding["source"] = str(p)
    check_l1(ds, p)
    return ds
