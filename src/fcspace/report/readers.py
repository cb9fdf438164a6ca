"""What the report reads from an output folder: files, report.json, manifests, product lines.

Every reader is defensive: a file that cannot be read gives the reason, never an exception.
Only regular files are read (:func:`walk` leaves out FIFOs, devices, sockets and links to
them, and :func:`read_regular` checks again on the open descriptor, opened non-blocking, so a
FIFO can never hang the report); JSON is read bounded in size (:data:`MAX_JSON_BYTES`) and in
nesting depth (:data:`MAX_JSON_DEPTH`, checked without recursion), since a deeply nested
document would otherwise exhaust Python's recursion limit in ``json.loads``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Suffixes listed as products (``report.json`` and manifests excepted).
PRODUCT_SUFFIXES = (".nc", ".nc4", ".fits", ".fit", ".fits.gz", ".xml", ".json")

#: Largest JSON file read (report.json, JSON products): 16 MiB.
MAX_JSON_BYTES = 16 * 2**20
#: Largest batch manifest read: 512 MiB (about a million records).
MAX_MANIFEST_BYTES = 512 * 2**20
#: Deepest nesting of arrays/objects accepted in a JSON document.
MAX_JSON_DEPTH = 64


# --------------------------------------------------------------------------------- files


def walk(directory: Path, skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Every regular file under ``directory`` (sorted), hidden files and folders left out.

    FIFOs, devices, sockets, broken links and links to anything but a regular file are left
    out (opening a FIFO blocks until a writer comes); with ``skipped`` given, each one is
    appended to it with the reason. Links to folders are not followed (``os.walk``).
    """
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(n for n in names if not n.startswith(".")):
            path = Path(root) / name
            reason = _not_regular(path)
            if reason is None:
                files.append(path)
            elif skipped is not None:
                skipped.append((path, reason))
    return files


def _not_regular(path: Path) -> str | None:
    """Why ``path`` is not a regular file (links followed), or None when it is one."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"not readable ({err.strerror or type(err).__name__})"
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "device"),
             (stat.S_ISBLK, "device"))  # fmt: skip
    kind = next((name for test, name in kinds if test(mode)), "not a file")
    return f"not a regular file ({kind}): skipped"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is opened non-blocking and checked on the open descriptor (``fstat``), so a FIFO
    or a device put in place after :func:`walk` is refused without blocking.

    Raises
    ------
    OSError
        Not a regular file, larger than ``limit``, or not readable.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        if info.st_size > limit:
            raise OSError(f"{path}: {human(info.st_size)}, larger than the {human(limit)} read")
        return handle.read(limit + 1)[:limit]


def json_depth_ok(text: str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON ``text`` nests arrays/objects at most ``max_depth`` deep.

    Strings are removed first (a bracket inside a string does not nest), then the running
    count of ``[{`` minus ``]}`` is scanned with ``re`` and ``itertools.accumulate``: no
    recursion, linear in the text.
    """
    import itertools
    import re

    if text.count("[") + text.count("{") <= max_depth:
        return True  # cannot nest deeper than it has brackets
    skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    steps = (1 if c in "[{" else -1 for c in re.findall(r"[\[\]{}]", skeleton))
    return max(itertools.accumulate(steps, initial=0)) <= max_depth


def load_json(path: Path, limit: int = MAX_JSON_BYTES) -> Any:
    """A JSON file read with :func:`read_regular` and checked by :func:`json_depth_ok`.

    Raises
    ------
    OSError
        See :func:`read_regular`.
    ValueError
        Not JSON (``json.JSONDecodeError``), not UTF-8, or nested too deep.
    """
    text = read_regular(path, limit).decode("utf-8")
    return loads_bounded(text)


def loads_bounded(text: str) -> Any:
    """``json.loads`` of ``text``, refusing nesting deeper than :data:`MAX_JSON_DEPTH`.

    Raises
    ------
    ValueError
        Not JSON, or nested too deep.
    """
    if not json_depth_ok(text):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(text)


def human(size: int) -> str:
    """File size in B, KiB, MiB or GiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover


def is_manifest(path: Path) -> bool:
    """Whether a file is a batch manifest (``manifest*.jsonl`` / ``manifest*.csv``)."""
    return path.name.startswith("manifest") and path.suffix in (".jsonl", ".csv")


def is_product(path: Path) -> bool:
    """Whether a file is listed as a product (by suffix; report.json and manifests not)."""
    name = path.name.lower()
    if name == "report.json" or is_manifest(path):
        return False
    return name.endswith(PRODUCT_SUFFIXES)


def load_report_json(directory: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The demo's ``report.json`` as a dict (or None) and the reason it could not be read."""
    path = directory / "report.json"
    if not path.is_file():
        return None, None
    try:
        data = load_json(path)
    except (OSError, ValueError) as err:
        return None, f"report.json not readable: {type(err).__name__}: {err}"
    if not isinstance(data, dict):
        return None, "report.json is not a JSON object"
    return data, None


# ------------------------------------------------------------------------------ manifests


@dataclass
class ManifestSummary:
    """What one batch manifest says ran.

    Attributes
    ----------
    path
        The manifest file.
    records
        The latest record of every input (dicts as read; JSON Lines or CSV).
    bad_lines
        Lines that did not parse (a batch cut short leaves one).
    error
        Why the file could not be read at all, else None.
    """

    path: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    bad_lines: int = 0
    error: str | None = None

    def counts(self) -> dict[str, int]:
        """Records per status (``done``, ``failed``, ``skipped`` first, then any other)."""
        out = {"done": 0, "failed": 0, "skipped": 0}
        for rec in self.records:
            status = str(rec.get("status") or "unknown").lower()
            out[status] = out.get(status, 0) + 1
        return out

    def seconds(self) -> float:
        """Sum of the records' ``seconds`` (those that are numbers)."""
        return sum(as_number(rec.get("seconds")) or 0.0 for rec in self.records)

    def tasks(self) -> list[str]:
        """The distinct task names, in order of appearance."""
        return list(dict.fromkeys(str(r["task"]) for r in self.records if r.get("task")))

    def failures(self) -> list[dict[str, Any]]:
        """The records whose status is ``failed``."""
        return [r for r in self.records if str(r.get("status", "")).lower() == "failed"]


def as_number(value: Any) -> float | None:
    """``value`` as a finite float, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _latest(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per input (the last one read); records without ``input`` are all kept."""
    keyed: dict[Any, dict[str, Any]] = {}
    for i, rec in enumerate(records):
        keyed.pop(key := rec.get("input") or ("#", i), None)
        keyed[key] = rec
    return list(keyed.values())


def read_manifest(path: str | os.PathLike[str]) -> ManifestSummary:
    """Read a manifest (JSON Lines, or CSV with a header); never raises on bad content."""
    path = Path(path)
    summary = ManifestSummary(path)
    try:
        text = read_regular(path, MAX_MANIFEST_BYTES).decode("utf-8", errors="replace")
    except OSError as err:
        summary.error = f"{type(err).__name__}: {err}"
        return summary
    if path.suffix == ".csv":
        records = [dict(row) for row in csv.DictReader(text.splitlines())]
    else:
        records = []
        for line in filter(str.strip, text.splitlines()):
            try:
                # the manifest writer writes valid UTF-8 (core/manifest.py): a byte that does
                # not decode (U+FFFD after decoding with "replace") is damage, not a record
                rec = None if "\ufffd" in line else loads_bounded(line)
            except ValueError:
                rec = None
            if isinstance(rec, dict):
                records.append(rec)
            else:
                summary.bad_lines += 1
    summary.records = _latest(records)
    return summary


# ------------------------------------------------------------------------------- products


def _quiet(reader: Callable[[Path], str]) -> Callable[[Path], str]:
    """Run a one-line summariser with warnings silenced and any failure turned into text."""

    def wrapped(path: Path) -> str:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return reader(path)
        except Exception as err:  # any unreadable product is reported, not fatal
            return f"not readable: {type(err).__name__}: {err}"

    return wrapped


def _dims(sizes: Mapping[Any, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "none"


@_quiet
def netcdf_line(path: Path) -> str:
    """``N variables; dims a=1, b=2; title`` of a NetCDF file (opened lazily)."""
    import xarray as xr

    with xr.open_dataset(path) as ds:
        title = ds.attrs.get("title")
        line = f"{len(ds.data_vars)} variables; dims {_dims(ds.sizes)}"
        return f"{line}; {title}" if title else line


@_quiet
def fits_line(path: Path) -> str:
    """``N HDUs: PRIMARY (PrimaryHDU), ...`` of a FITS file."""
    from astropy.io import fits

    with fits.open(path, memmap=False) as hdus:
        names = [f"{h.name} ({type(h).__name__})" for h in hdus]
    return f"{len(names)} HDUs: {', '.join(names)}"


@_quiet
def xml_line(path: Path) -> str:
    """Root element, and ``ivorn`` / ``role`` for a VOEvent."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    tag = root.tag.rsplit("}", 1)[-1]
    extra = [f"{k}={root.attrib[k]}" for k in ("role", "ivorn") if k in root.attrib]
    return " ".join([f"<{tag}>", *extra])


@_quiet
def json_line(path: Path) -> str:
    """Number of keys (object) or items (array) of a JSON file."""
    data = load_json(path)
    if isinstance(data, dict):
        keys = list(data)
        return f"JSON object, {len(keys)} keys: {', '.join(map(str, keys[:8]))}" + (
            ", …" if len(keys) > 8 else ""
        )
    return f"JSON {type(data).__name__}"


def product_line(path: Path) -> str:
    """One-line summary of a product by its suffix ('' for unknown kinds)."""
    name = path.name.lower()
    if name.endswith((".nc", ".nc4")):
        return netcdf_line(path)
    if name.endswith((".fits", ".fit", ".fits.gz")):
        return fits_line(path)
    if name.endswith(".xml"):
        return xml_line(path)
    if name.endswith(".json"):
        return json_line(path)
    return ""
