"""xarray backend: ``xr.open_dataset(path, engine="fcspace")`` opens any product fcspace reads.

The product is recognised from the file's content, not its name: the header (variable and
dimension names of every group, global attributes) is read once with netCDF4 and offered to
each mission's :class:`fcspace.core.registry.ProductReader` in turn; the first that matches
opens the file with the mission's own ``open_*`` function, so the dataset is the same, variable
for variable and attribute for attribute, as that function gives (xarray's backend protocol,
https://docs.xarray.dev/en/stable/internals/how-to-add-new-backend.html). The reader's
checks (ranges, fill, integrity) apply unchanged. The product name is kept in
``ds.encoding["fcspace_product"]``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xarray.backends import BackendEntrypoint

from fcspace.core.errors import InputError

__all__ = ["FcspaceBackendEntrypoint", "FileHeader", "detect_product", "read_header"]

SUFFIXES = (".nc", ".nc4", ".h5", ".hdf5", ".he5", ".cdf")


@dataclass(frozen=True)
class FileHeader:
    """What product detection may look at: names and global attributes, no data.

    ``variables`` and ``dims`` hold the names of every group (``group/name`` for nested ones,
    and the bare name too); ``attrs`` the root group's attributes.
    """

    path: Path
    variables: frozenset[str]
    dims: frozenset[str]
    attrs: dict[str, Any] = field(default_factory=dict)
    groups: frozenset[str] = frozenset()

    def has(self, *names: str) -> bool:
        """True when every name is a variable of the file."""
        return all(n in self.variables for n in names)

    def has_dims(self, *names: str) -> bool:
        """True when every name is a dimension of the file."""
        return all(n in self.dims for n in names)


def read_header(path: str | os.PathLike[str]) -> FileHeader:
    """Header of a NetCDF-3/4 or HDF5 file; InputError naming the file if it is neither."""
    import netCDF4

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path=p)
    variables: set[str] = set()
    dims: set[str] = set()
    groups: set[str] = set()
    try:
        with netCDF4.Dataset(p) as nc:
            attrs = {k: nc.getncattr(k) for k in nc.ncattrs()}
            stack = [("", nc)]
            while stack:
                prefix, grp = stack.pop()
                for name in grp.variables:
                    variables.update((name, prefix + name))
                for name in grp.dimensions:
                    dims.update((name, prefix + name))
                for name, sub in grp.groups.items():
                    groups.add(prefix + name)
                    stack.append((f"{prefix}{name}/", sub))
    except OSError as err:
        raise InputError(f"not a NetCDF or HDF5 file ({err})", path=p) from None
    return FileHeader(p, frozenset(variables), frozenset(dims), attrs, frozenset(groups))


def detect_product(path: str | os.PathLike[str]) -> Any:
    """The :class:`~fcspace.core.registry.ProductReader` of a file, from its header."""
    from fcspace.core.registry import product_readers

    header = read_header(path)
    for reader in product_readers():
        if reader.matches(header):
            return reader
    raise InputError("not a product that fcspace reads (no registered reader matches its "
                     "variables)", path=header.path)  # fmt: skip


class FcspaceBackendEntrypoint(BackendEntrypoint):
    """``engine="fcspace"``: the mission reader chosen from the file's content."""

    description = "Open CFOSat, SVOM GRM, DORN, water-cycle and SCO products as fcspace does"
    url = "https://github.com/fcspace/fcspace"
    open_dataset_parameters = ("filename_or_obj", "drop_variables")

    def open_dataset(  # type: ignore[override]
        self, filename_or_obj: Any, *, drop_variables: Any = None
    ) -> Any:
        """Open ``filename_or_obj`` (a path) with the reader its content calls for."""
        from fcspace.core.registry import load

        if not isinstance(filename_or_obj, (str, os.PathLike)):
            raise InputError("engine='fcspace' opens files by path")
        reader = detect_product(filename_or_obj)
        ds = load(reader.open)(filename_or_obj)
        if drop_variables is not None:
            names = [drop_variables] if isinstance(drop_variables, str) else drop_variables
            ds = ds.drop_vars(names, errors="ignore")
        ds.encoding["fcspace_product"] = reader.name
        ds.encoding.setdefault("source", str(filename_or_obj))
        return ds

    def guess_can_open(self, filename_or_obj: Any) -> bool:
        """Only files whose header a registered reader recognises (never raises)."""
        if not isinstance(filename_or_obj, (str, os.PathLike)):
            return False
        if Path(filename_or_obj).suffix.lower() not in SUFFIXES:
            return False
        try:
            detect_product(filename_or_obj)
        except InputError:
            return False
        return True
