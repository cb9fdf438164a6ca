"""Facts of any file the water-cycle package reads (``fcspace water info``).

The kind is found by trying each reader of :mod:`fcspace.watercycle.io` in turn (each refuses
the others' files naming what is missing), so the facts are those of the decoded Dataset. A file
that the NetCDF library finds damaged (``RuntimeError: NetCDF: HDF error``, ``AttributeError:
NetCDF: Can't open HDF5 attribute``) is refused at once: the other readers would open it again,
and a second open of a file whose attribute failed to read crashes the netCDF-C / HDF5 library
(double free, observed with a flipped header byte of the SMOS UDP).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError
from fcspace.core.netcdf import PathLike, check_file

__all__ = ["file_facts"]


def _readers() -> tuple:
    from fcspace.watercycle import io

    return (("SMAP L2B SSS", io.open_smap_l2b_sss), ("SMAP L4 SM", io.open_smap_l4_sm),
            ("SMOS L2 SM", io.open_smos_l2_sm),
            ("fcspace water product", io.open_water_product))  # fmt: skip


def _variable_facts(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    facts = {}
    for name, da in ds.data_vars.items():
        if da.dtype.kind not in "fiu":
            continue
        v = np.asarray(da.values, dtype=float)
        ok = np.isfinite(v)
        row: dict[str, Any] = {"valid": int(ok.sum()), "units": str(da.attrs.get("units", ""))}
        if ok.any():
            row |= {"min": float(v[ok].min()), "mean": float(v[ok].mean()),
                    "max": float(v[ok].max())}  # fmt: skip
        facts[str(name)] = row
    return facts


def _damaged(err: InputError) -> bool:
    """Whether the NetCDF library itself failed on the file's content (not a format mismatch)."""
    return isinstance(err.__cause__, (AttributeError, RuntimeError))


def file_facts(path: PathLike) -> dict[str, Any]:
    """Kind, dimensions and per-variable valid count / range of a water-cycle input file.

    Raises
    ------
    InputError
        No reader accepts the file (the message lists each reader's reason).
    """
    p = check_file(path)
    reasons = []
    for kind, reader in _readers():
        try:
            ds = reader(p)
        except InputError as err:
            if _damaged(err):
                raise
            reasons.append(f"{kind}: {err}")
            continue
        return {"file": str(p), "kind": kind, "dims": {str(k): int(v) for k, v in ds.sizes.items()},
                "variables": _variable_facts(ds)}  # fmt: skip
    raise InputError("no water-cycle reader accepts it (" + "; ".join(reasons) + ")", p)
