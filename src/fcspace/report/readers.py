"""What the report reads from an output folder: files, report.json, manifests, product lines.

Every reader is defensive: a file that cannot be read gives the reason, never an exception.
"""

from __future__ import annotations

import csv
import json
import math
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Suffixes listed as products (``report.json`` and manifests excepted).
PRODUCT_SUFFIXES = (".nc", ".nc4", ".fits", ".fit", ".fits.gz", ".xml", ".json")


# --------------------------------------------------------------------------------- files


def walk(directory: Path) -> list[Path]:
    """Every file under ``directory`` (sorted), hidden files and folders left out."""
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(root) / n for n in sorted(names) if not n.startswith(".")]
    return files


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
        data = json.loads(path.read_text(encoding="utf-8"))
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
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        summary.error = f"{type(err).__name__}: {err}"
        return summary
    if path.suffix == ".csv":
        records = [dict(row) for row in csv.DictReader(text.splitlines())]
    else:
        records = []
        for line in filter(str.strip, text.splitlines()):
            try:
                rec = json.loads(line)
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
    data = json.loads(path.read_text(encoding="utf-8"))
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
