"""Open any SCAT file that fcspace knows, choosing the reader from the variables it holds.

fcspace L1B (``sigma0`` views), NSOAS/fcspace L2B (``wvc_selection``) and KNMI/OSI SAF L2
(``wvc_quality_flag``) all come back in the layouts of ``docs/scat_layout.md``.
"""

from __future__ import annotations

import os

import xarray as xr

from fcspace.cfosat.scat.io import open_knmi_l2, open_l2b
from fcspace.cfosat.scat.l1b_io import open_l1b


def _variable_names(path: str | os.PathLike[str]) -> set[str] | None:
    """Variable names of a NetCDF file, or None if the library cannot open it."""
    import netCDF4

    try:
        with netCDF4.Dataset(path) as nc:
            return set(nc.variables)
    except (OSError, ValueError):
        return None


def open_product(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open an L1B, L2B or KNMI L2 file; unreadable files get the L2B reader's clear error."""
    names = _variable_names(path)
    if names is not None and "sigma0" in names:
        return open_l1b(path)
    if names is not None and "wvc_quality_flag" in names and "wvc_selection" not in names:
        return open_knmi_l2(path)
    return open_l2b(path)
