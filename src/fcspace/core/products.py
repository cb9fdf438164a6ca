"""Writing products safely and describing them: atomic writes, CF global attributes, history.

A product is written under a temporary name in its destination folder and renamed into place
only once complete, so that a crash, a full disk or a bad value never leaves a file that looks
finished (rename is atomic within one file system, POSIX rename(2)).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fcspace import __version__

if TYPE_CHECKING:  # only annotations: the writers need no xarray import of their own
    import xarray as xr

CF_CONVENTIONS = "CF-1.8, ACDD-1.3"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` only if the block succeeds.

    On any exception the temporary file is removed and ``path`` is left untouched (an existing
    file there is kept as it was).
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; products get the usual mode
    try:
        yield tmp
        _fsync(tmp)  # the data reach the disk before the name says the product is complete
        os.replace(tmp, final)
        _fsync(final.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's) data to disk; a no-op where the OS does not allow it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once: os.umask is process-wide and not thread-safe to query later


def write_atomic(path: str | os.PathLike[str], writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(temporary_path)`` and move the result to ``path`` once it returns."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_netcdf(
    ds: xr.Dataset,
    path: str | os.PathLike[str],
    encoding: Mapping[str, Mapping[str, Any]] | None = None,
    format: str = "NETCDF4",
) -> Path:
    """Write ``ds`` to NetCDF atomically (temporary name, then rename)."""
    return write_atomic(
        path, lambda tmp: ds.to_netcdf(tmp, format=format, encoding=dict(encoding or {}))
    )


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with a trailing Z (seconds precision)."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def history_line(action: str) -> str:
    """One provenance line: timestamp, fcspace version and what was done."""
    return f"{utc_now()} fcspace {__version__}: {action}"


def add_history(ds: xr.Dataset, action: str) -> xr.Dataset:
    """Return ``ds`` with ``action`` appended to its CF ``history`` attribute (newest last)."""
    old = ds.attrs.get("history", "")
    old = "" if old.strip().lower() in ("", "none", "n/a") else f"{old}\n"
    out = ds.copy()
    out.attrs["history"] = old + history_line(action)
    return out


def cf_global_attrs(title: str, source: str, **extra: Any) -> dict[str, Any]:
    """CF/ACDD global attributes that every fcspace product carries."""
    attrs: dict[str, Any] = {
        "Conventions": CF_CONVENTIONS,
        "title": title,
        "institution": "fcspace (CNES-CNSA science ground segment, open source)",
        "source": source,
        "references": "https://github.com/fcspace/fcspace",
        "date_created": utc_now(),
        "fcspace_version": __version__,
        "history": history_line(f"created: {title}"),
    }
    attrs.update(extra)
    return attrs
