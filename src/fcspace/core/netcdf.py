"""Reading NetCDF products safely: truncation checks, raw access, unpacking, small helpers.

The NetCDF library reads a truncated classic file without complaint (missing bytes read as
zeros) and fails late, or not at all, on a cut NetCDF-4 file; these helpers refuse such files
up front from their own headers, and unpack CF-packed integers exactly.

References
----------
- NetCDF classic and 64-bit offset format specification, Unidata, NetCDF Users Guide,
  "File Format Specifications" (CDF-1, CDF-2) and the CDF-5 specification (PnetCDF).
- HDF5 File Format Specification version 3, section II.A (superblock).
- CF Conventions 1.8, section 8.1 (packed data).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import FcspaceError, InputError

PathLike = str | os.PathLike[str]

_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_NC_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 8}
class _Short(Exception):
    """The header buffer ended before the header did."""


@dataclass(frozen=True)
class _ClassicVar:
    nbytes: int  # bytes of one record (record variables) or of the whole variable
    is_record: bool
    begin: int


class _Header:
    """Cursor over a NetCDF classic header (CDF-1, CDF-2 or CDF-5), after the Unidata spec."""

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos, version = buf, 4, buf[3]
        self.big = version == 5  # CDF-5: 64-bit counts
        self.offset_size = 4 if version == 1 else 8

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            raise _Short
        self.pos += n
        return self.buf[self.pos - n : self.pos]

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def nonneg(self) -> int:
        return self.uint(8 if self.big else 4)

    def list_count(self) -> int:
        self.uint(4)  # tag (NC_DIMENSION, NC_ATTRIBUTE, NC_VARIABLE) or ZERO for ABSENT
        return self.nonneg()

    def name(self) -> str:
        n = self.nonneg()
        return self.take(-(-n // 4) * 4)[:n].decode("utf-8", "replace")

    def skip_attributes(self) -> None:
        for _ in range(self.list_count()):
            self.name()
            nc_type, count = self.uint(4), self.nonneg()
            self.take(-(-count * _NC_TYPE_SIZE.get(nc_type, 1) // 4) * 4)

    def dimensions(self) -> list[int]:
        out = []
        for _ in range(self.list_count()):
            self.name()
            out.append(self.nonneg())
        return out

    def variable(self, dim_lengths: list[int]) -> _ClassicVar:
        self.name()
        ids = [self.nonneg() for _ in range(self.nonneg())]
        self.skip_attributes()
        nc_type = self.uint(4)
        self.nonneg()  # vsize: recomputed below (it saturates for variables over 4 GiB)
        begin = self.uint(self.offset_size)
        lengths = [dim_lengths[i] for i in ids if i < len(dim_lengths)]
        is_record = bool(lengths) and lengths[0] == 0
        shape = lengths[1:] if is_record else lengths
        return _ClassicVar(
            int(np.prod(shape, dtype=np.int64)) * _NC_TYPE_SIZE.get(nc_type, 1), is_record, begin
        )


def _parse_classic(buf: bytes) -> int:
    """Minimum size in bytes of the classic file whose header starts ``buf``."""
    h = _Header(buf)
    numrecs = h.nonneg()
    streaming = numrecs == (2**64 - 1 if h.big else 2**32 - 1)
    dims = h.dimensions()
    h.skip_attributes()
    variables = [h.variable(dims) for _ in range(h.list_count())]
    return _data_end(variables, 0 if streaming else numrecs, h.pos)


def _data_end(variables: list[_ClassicVar], numrecs: int, header_end: int) -> int:
    """End of the last byte of data: non-record variables, then ``numrecs`` records."""
    records = [v for v in variables if v.is_record]
    recsize = sum(-(-v.nbytes // 4) * 4 for v in records)
    if len(records) == 1:  # a lone record variable is not padded (classic format spec)
        recsize = records[0].nbytes
    ends = [header_end]
    for v in variables:
        if not v.is_record:
            ends.append(v.begin + v.nbytes)
        elif numrecs > 0:
            ends.append(v.begin + (numrecs - 1) * recsize + v.nbytes)
    return max(ends)


def classic_min_size(path: PathLike) -> int:
    """Size in bytes that a complete NetCDF classic (CDF-1/2/5) file must at least have.

    The header (magic, numrecs, dimensions, global attributes, variables with their ``begin``
    offsets) is parsed after the NetCDF classic format specification; the minimum size is the
    largest ``begin`` + data size over the variables, record variables counted as
    ``begin + (numrecs - 1) * recsize + record size``. The NetCDF library reads a truncated
    classic file without complaint (missing bytes read as zeros), hence this check.

    Raises
    ------
    InputError
        The file is not a classic NetCDF file, or its header itself is cut.
    """
    p = Path(path)
    size, chunk = p.stat().st_size, 1 << 16
    with p.open("rb") as f:
        while True:
            f.seek(0)
            buf = f.read(chunk)
            if buf[:3] != b"CDF" or buf[3:4] not in (b"\x01", b"\x02", b"\x05"):
                raise InputError("not a NetCDF classic file (no 'CDF' magic)", p)
            try:
                return _parse_classic(buf)
            except _Short:
                if chunk >= size:
                    raise InputError(
                        f"truncated NetCDF file: the header does not fit in its {size} bytes", p
                    ) from None
                chunk *= 4


# --------------------------------------------------------------------------------------------
# Opening a file safely
# --------------------------------------------------------------------------------------------


def check_file(path: PathLike) -> Path:
    """Refuse a missing, non-NetCDF or truncated file (classic or NetCDF-4) with InputError."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file (FileNotFoundError)", p)
    with p.open("rb") as f:
        magic = f.read(8)
    if magic[:3] == b"CDF":
        expected, actual = classic_min_size(p), p.stat().st_size
        if actual < expected:
            raise InputError(
                f"truncated NetCDF file: expected at least {expected} bytes, found {actual}", p
            )
    elif magic == _HDF5_MAGIC:
        expected, actual = hdf5_min_size(p), p.stat().st_size
        if expected is not None and actual < expected:
            raise InputError(
                f"truncated NetCDF-4 file: expected {expected} bytes (HDF5 end-of-file "
                f"address), found {actual}",
                p,
            )
    else:
        raise InputError(
            f"not a NetCDF file: starts with {magic!r}, expected 'CDF\\x01', 'CDF\\x02', "
            "'CDF\\x05' (classic) or the HDF5 signature (NetCDF-4)",
            p,
        )
    return p


#: What the HDF5 / NetCDF libraries (netCDF4, h5netcdf, h5py) and xarray's decoders raise on a
#: damaged file, at open or later while reading values (a flipped byte in a compressed chunk fails
#: only when the chunk is read: ``RuntimeError: NetCDF: HDF error``; a damaged attribute header
#: gives ``AttributeError: NetCDF: Can't open HDF5 attribute``).
LIBRARY_ERRORS = (
    AttributeError,
    OSError,
    RuntimeError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    OverflowError,
    UnicodeDecodeError,
)


@contextmanager
def read_guard(path: PathLike, what: str = "NetCDF") -> Iterator[None]:
    """Turn a library error raised inside the block into an :class:`InputError` naming ``path``.

    Readers open *and load* (or compute what they return) inside the block: xarray reads
    lazily, so a damaged chunk fails at ``.values``, not at open. fcspace's own errors
    (:class:`~fcspace.core.errors.FcspaceError`) pass through unchanged.
    """
    try:
        yield
    except FcspaceError:
        raise
    except LIBRARY_ERRORS as err:
        raise InputError(
            f"cannot be read as {what} ({type(err).__name__}: {err})", Path(path)
        ) from err


def open_loaded(path: PathLike, **kwargs: Any) -> xr.Dataset:
    """``xarray.open_dataset(path, **kwargs)`` checked (:func:`check_file`), loaded, guarded."""
    p = check_file(path)
    with read_guard(p), xr.open_dataset(p, **kwargs) as ds:
        return ds.load()


def open_raw(path: PathLike) -> tuple[Path, xr.Dataset]:
    """The file's variables as stored (packed integers, fills, raw attributes), in memory."""
    p = check_file(path)
    with read_guard(p):
        with xr.open_dataset(
            p,
            engine="netcdf4",
            mask_and_scale=False,
            decode_times=False,
            decode_timedelta=False,
            decode_coords=False,
            cache=False,
        ) as raw:
            return p, raw.load()


def variable_names(path: PathLike) -> set[str] | None:
    """Variable names of a NetCDF file (header only), or None if the library cannot open it.

    For choosing a reader by content; the chosen reader then checks the file in full.
    """
    import netCDF4

    try:
        with netCDF4.Dataset(path) as nc:
            return set(nc.variables)
    except (OSError, RuntimeError, ValueError, KeyError):
        return None


def hdf5_min_size(path: PathLike) -> int | None:
    """Size a complete HDF5 (NetCDF-4) file must have: its superblock's end-of-file address.

    Reads the superblock at offset 0 (versions 0 to 3, HDF5 File Format Specification II.A).
    Returns None when the superblock cannot be parsed (the HDF5 library then decides).
    """
    with Path(path).open("rb") as f:
        head = f.read(96)
    if head[:8] != _HDF5_MAGIC or len(head) < 12:
        return None
    version = head[8]
    if version in (0, 1):
        size, start = head[13], 24 + (4 if version == 1 else 0)
        index = 2  # base, free-space, end-of-file
    elif version in (2, 3):
        size, start, index = head[9], 12, 2  # base, extension, end-of-file
    else:
        return None
    pos = start + index * size
    if size not in (2, 4, 8) or len(head) < pos + size:
        return None
    base = int.from_bytes(head[start : start + size], "little")
    return base + int.from_bytes(head[pos : pos + size], "little")


def packing_attr(
    value: Any,
    path: PathLike | None = None,
    variable: str | None = None,
    attr: str = "scale_factor",
) -> float:
    """A packing attribute as float; a float32 attribute is read as the decimal it stands for.

    NSOAS stores ``scale_factor`` as float32 0.01 (= 0.009999999776...). Multiplying in float64 by
    the decimal 0.01 gives 179.9 rather than 179.89999597, and packing back is exact.

    Raises
    ------
    InputError
        The attribute is not a number (e.g. the text ``'abc'``), naming ``path``, ``variable``
        and ``attr``.
    """
    try:
        x = float(np.asarray(value).ravel()[0])
    except (TypeError, ValueError, IndexError) as err:
        raise InputError(f"attribute {attr!r} = {value!r} is not a number", path, variable) from err
    x32 = np.float32(x)
    return float(str(x32)) if float(x32) == x else x


def fill_mask(da: xr.DataArray) -> np.ndarray:
    """True where the stored value is a fill (``_FillValue`` / ``missing_value``) or NaN."""
    raw = np.asarray(da.values)
    fills = [
        np.asarray(da.attrs[k]).ravel() for k in ("_FillValue", "missing_value") if k in da.attrs
    ]
    bad = np.isin(raw, np.concatenate(fills)) if fills else np.zeros(raw.shape, bool)
    if raw.dtype.kind == "f":
        bad |= np.isnan(raw)
    return bad


def unpack_float(da: xr.DataArray, path: PathLike | None = None) -> np.ndarray:
    """Stored values to float64 physical values: ``raw * scale_factor + add_offset``, NaN fills.

    A packing attribute that is not a number raises InputError naming ``path`` and the variable.
    """
    name = None if da.name is None else str(da.name)
    scale = packing_attr(da.attrs.get("scale_factor", 1.0), path, name, "scale_factor")
    inverse = round(1.0 / scale) if 0 < scale < 1 else 0
    out = np.asarray(da.values, dtype=np.float64)
    # dividing by 100 rather than multiplying by 0.01 gives the nearest double to the decimal
    out = out / inverse if abs(inverse * scale - 1.0) < 1e-12 else out * scale
    out += packing_attr(da.attrs.get("add_offset", 0.0), path, name, "add_offset")
    out[fill_mask(da)] = np.nan
    return out


def unpack_int(da: xr.DataArray, missing: int, dtype: str) -> np.ndarray:
    """Stored integers, fills replaced by ``missing``, as ``dtype``."""
    out = np.asarray(da.values).astype(np.int64)
    out[fill_mask(da)] = missing
    return out.astype(dtype)


def wrap_longitude(lon: np.ndarray) -> np.ndarray:
    """Longitudes in degrees to [-180, 180) (values already there are returned unchanged)."""
    lon = np.asarray(lon, dtype=np.float64)
    return np.where((lon < -180.0) | (lon >= 180.0), (lon + 180.0) % 360.0 - 180.0, lon)


def iso_utc(t: np.datetime64) -> str | None:
    """ISO 8601 UTC string with seconds and a trailing Z; None for NaT."""
    return None if np.isnat(t) else str(np.datetime_as_string(t, unit="s")) + "Z"


def value_range(values: np.ndarray) -> list[float | None]:
    """[min, max] of the finite values as floats; [None, None] if there is none."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    return [float(v.min()), float(v.max())] if v.size else [None, None]
