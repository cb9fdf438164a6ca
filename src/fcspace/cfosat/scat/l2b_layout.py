"""The in-memory L2B layout: its quality flag bits, their decoding, and a plain summary.

``wvc_quality`` is an int32 bit field; each bit becomes a boolean ``flag_<name>`` variable
whose name is shared by the NSOAS and KNMI products when their meanings agree
(:data:`~fcspace.cfosat.scat.product_specs.QUALITY_BITS`). A missing quality
(:data:`~fcspace.cfosat.scat.product_specs.QUALITY_MISSING`, -2**31) decodes to every flag
False. No file access.

References
----------
- CF Conventions 1.8: section 3.5 (flags).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.scat import product_specs as ps
from fcspace.core.netcdf import iso_utc, value_range


def _snake(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _flag_name(mask: int, meaning: str) -> str:
    """Canonical short name of a bit (shared by NSOAS and KNMI) when the meaning agrees."""
    known = ps.QUALITY_BITS.get(mask)
    if known and known[1] in meaning.replace("_", " ").lower():
        return known[0]
    return _snake(meaning) or f"bit{mask}"


def _comment_bits(attrs: dict[str, Any]) -> dict[int, str]:
    """Bits of an NSOAS-style comment 'others:Default;16:More than two beams...;32:...'."""
    bits = {}
    for part in str(attrs.get("comment", "")).split(";"):
        key, sep, text = part.partition(":")
        if sep and key.strip().isdigit():
            bits[int(key)] = text.strip()
    return bits


def quality_flag_table(attrs: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(mask, short name, meaning) of each quality bit, from a variable's attributes.

    Bits are read, in this order, from CF ``flag_masks`` + ``flag_meanings`` (CF 3.5), from an
    NSOAS ``comment`` of the form ``'16:More than two beams are available;32:One beam is
    missing;...'`` (entries whose key is not an integer, such as ``others:Default``, are
    skipped), or, when neither is present, from
    :data:`~fcspace.cfosat.scat.product_specs.QUALITY_BITS`. The meaning is the comment's text
    when the comment describes the bit. Short names are the canonical ones shared by NSOAS and
    KNMI products when the file's meaning agrees, otherwise made from the file's text.
    """
    described = _comment_bits(attrs)
    if "flag_masks" in attrs and "flag_meanings" in attrs:
        masks = np.atleast_1d(attrs["flag_masks"]).astype(int).tolist()
        pairs = list(zip(masks, str(attrs["flag_meanings"]).split(), strict=False))
    elif described:
        pairs = list(described.items())
    else:
        pairs = [(m, name) for m, (name, _) in ps.QUALITY_BITS.items()]
    return [(m, _flag_name(m, text), described.get(m, text)) for m, text in pairs]


def decode_quality_flags(ds: xr.Dataset, variable: str = "wvc_quality") -> xr.Dataset:
    """Boolean ``flag_<name>`` variables, one per bit of ``ds[variable]``.

    The bits and their meanings come from :func:`quality_flag_table`. A missing quality
    (-2**31) has none of the bits set, so every flag is False there.
    """
    q = ds[variable]
    bits = np.asarray(q.values).astype(np.int64)
    flags = {
        f"flag_{name}": xr.DataArray(
            (bits & mask) != 0, dims=q.dims, attrs={"long_name": text, "flag_mask": mask}
        )
        for mask, name, text in quality_flag_table(dict(q.attrs))
    }
    return xr.Dataset(flags)


def quality_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """CF flag attributes (flag_masks, flag_meanings) for wvc_quality, plus a ``comment``.

    The comment keeps the file's own description of each bit: the NSOAS comment as it is, or
    one made in the same 'mask:meaning;...' form from the file's flag_meanings (KNMI).
    """
    table = quality_flag_table(attrs)
    return {
        "flag_masks": np.array([m for m, _, _ in table], dtype=np.int32),
        "flag_meanings": " ".join(name for _, name, _ in table),
        "missing_value": np.int32(ps.QUALITY_MISSING),
        "comment": attrs.get("comment") or ";".join(f"{m}:{text}" for m, _, text in table),
    }


def l2b_summary(ds: xr.Dataset) -> dict[str, Any]:
    """Plain-Python summary of an L2B (or KNMI L2) Dataset, for ``fcspace scat info --json``.

    Keys: ``numrows``, ``numcells``, ``cells``, ``cells_with_selected_wind`` (finite
    ``wind_speed_selection``), ``mean_selected_speed`` (m s-1), ``num_ambigs_histogram``
    ({number of ambiguities: cells}, None without ``num_ambigs``), ``time_start``,
    ``time_end`` (ISO 8601 UTC), ``lat_range``, ``lon_range`` ([min, max] in degrees).
    """
    speed = np.asarray(ds["wind_speed_selection"].values, dtype=np.float64)
    selected = np.isfinite(speed)
    times = np.asarray(ds["row_time"].values).astype("datetime64[ns]")
    times = times[~np.isnat(times)]
    hist = None
    if "num_ambigs" in ds:
        values, counts = np.unique(np.asarray(ds["num_ambigs"].values), return_counts=True)
        hist = {int(v): int(c) for v, c in zip(values, counts, strict=True)}
    return {
        "numrows": int(ds.sizes[ps.ROW]),
        "numcells": int(ds.sizes[ps.CELL]),
        "cells": int(speed.size),
        "cells_with_selected_wind": int(selected.sum()),
        "mean_selected_speed": float(speed[selected].mean()) if selected.any() else None,
        "num_ambigs_histogram": hist,
        "time_start": iso_utc(times.min()) if times.size else None,
        "time_end": iso_utc(times.max()) if times.size else None,
        "lat_range": value_range(ds["wvc_lat"].values),
        "lon_range": value_range(ds["wvc_lon"].values),
    }
