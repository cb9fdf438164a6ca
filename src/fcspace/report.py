"""One self-contained HTML page from an output folder: ``fcspace report DIR``.

:func:`write_report` reads what a run left in ``DIR`` (the demo's ``report.json``, batch
manifests ``manifest*.jsonl`` / ``manifest*.csv``, quicklook PNGs, products) and writes
``DIR/report.html``: headline figures first, then what ran (counts done / failed / skipped,
total time, the failures with their messages), one section per mission with its validation
tables, the climate indicators (global numbers and maps), the quicklooks of every instrument
and the list of products with a one-line summary each.

The page needs nothing but itself: CSS inline, figures embedded as ``data:image/png;base64``
URIs, no script, no font, no external link; every text taken from the files is escaped. Check
its rendering with a headless Chromium (docs/report.md). Folders and files whose names start
with a dot are ignored. Every reader is defensive: a file that cannot be read is listed with
the reason, never fatal.
"""

from __future__ import annotations

import base64
import csv
import html
import importlib
import json
import logging
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fcspace import __version__
from fcspace.core.errors import InputError
from fcspace.core.products import utc_now, write_atomic
from fcspace.core.report import jsonable

_LOG = logging.getLogger(__name__)

__all__ = [
    "IMAGE_GROUPS",
    "REPORT_NAME",
    "ManifestSummary",
    "build_html",
    "image_group",
    "read_manifest",
    "write_report",
]

#: Default file name of the page, in the folder it describes.
REPORT_NAME = "report.html"
#: Suffixes listed as products (``report.json`` and manifests excepted).
PRODUCT_SUFFIXES = (".nc", ".nc4", ".fits", ".fit", ".fits.gz", ".xml", ".json")
#: PNGs larger than this are listed, not embedded (keeps the page openable).
MAX_IMAGE_BYTES = 16 * 1024 * 1024
#: At most this many NetCDF/FITS files are opened for their one-line summary.
MAX_SUMMARIES = 200
MAX_TABLE_ROWS = 200
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: (key, heading, file-name prefixes) of the quicklook groups, in page order.
IMAGE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("scat", "CFOSat SCAT", ("scat_",)),
    ("ascat", "MetOp ASCAT (KNMI L2, reference)", ("ascat_",)),
    ("swim", "CFOSat SWIM", ("swim_",)),
    ("eclairs", "SVOM ECLAIRs", ("eclairs_",)),
    ("grm", "SVOM GRM", ("grm_",)),
    ("gbm", "Fermi GBM (reference)", ("gbm_",)),
    ("dorn", "DORN", ("dorn_",)),
    ("sco", "Space Climate Observatory: L3 grids and indicators", ("sco_", "l3_", "indicator")),
    ("other", "Other", ()),
)
#: Stems of indicator maps without an ``sco_`` prefix (``wind_speed_trend.png``, ...).
INDICATOR_STEM = re.compile(r"_(trend|p\d+|exceedance|climatology|anomal\w*|percentile\w*)$")
#: Headings of the report.json sections (others: the key in capitals).
SECTION_TITLES = {
    "scat": "CFOSat SCAT",
    "swim": "CFOSat SWIM",
    "svom": "SVOM: ECLAIRs and GRM",
    "dorn": "DORN",
    "sco": "Space Climate Observatory",
}

CSS = """
:root{--fg:#1d2430;--muted:#5b6676;--line:#d7dce3;--bg:#ffffff;--alt:#f4f6f9;--acc:#1f5fa8;
--bad:#b3261e;--ok:#1e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:var(--fg);background:var(--bg)}
header{padding:20px 32px;background:#0f2a4a;color:#fff}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:2px 0;color:#cfd8e3;font-size:13px}
nav{padding:12px 32px;background:var(--alt);border-bottom:1px solid var(--line);font-size:14px}
nav ul{margin:4px 0;padding-left:20px}
nav>ul>li{display:inline-block;margin-right:18px;vertical-align:top}
nav li ul{padding-left:14px;font-size:13px}
nav a,main a{color:var(--acc);text-decoration:none}
main{padding:8px 32px 40px;max-width:1500px}
section{margin-top:28px}
h2{border-bottom:2px solid var(--acc);padding-bottom:4px;font-size:20px}
h3{font-size:17px;margin:20px 0 8px}
h4,h5,h6{font-size:15px;margin:14px 0 6px;color:var(--muted)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13.5px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--alt);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:nth-child(even) td{background:#fafbfc}
.blocks{display:flex;flex-wrap:wrap;gap:0 28px;align-items:flex-start}
.block{min-width:0;max-width:100%}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:var(--alt)}
.card h3{margin:0 0 6px;font-size:15px}
.count{display:inline-block;margin-right:18px;font-size:14px}
.count b{font-size:22px;display:block}
.failed b,.bad{color:var(--bad)}
.done b{color:var(--ok)}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:14px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px;background:#fff}
figure img{max-width:100%;height:auto;display:block;margin:auto}
figcaption{font-size:12.5px;color:var(--muted);margin-top:4px;word-break:break-all}
pre{background:var(--alt);padding:10px;overflow:auto;font-size:12px;max-height:600px}
.muted{color:var(--muted)}
footer{padding:16px 32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
"""


def esc(value: Any) -> str:
    """HTML-escaped text of ``value`` (quotes included)."""
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------------- values


def fmt(value: Any) -> str:
    """Short human text of a value: floats to 4 significant digits, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else str(value)
        return f"{value:.1f}" if 1e4 <= abs(value) < 1e12 else f"{value:.4g}"
    if isinstance(value, (list, tuple)) and all(_is_scalar(v) for v in value):
        head = ", ".join(fmt(v) for v in value[:12])
        return f"[{head}{f', … ({len(value)} items)' if len(value) > 12 else ''}]"
    if isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 240 else text[:240] + "…"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _is_leaf(value: Any) -> bool:
    """A value that fits in one table cell: a scalar or a list of scalars."""
    if isinstance(value, (list, tuple)):
        return all(_is_scalar(v) for v in value)
    return _is_scalar(value)


def _label(key: Any) -> str:
    return str(key).replace("_", " ")


def _cell(value: Any) -> str:
    css = ' class="num"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return f"<td{css}>{esc(fmt(value))}</td>"


def _flatten_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One level of nested dicts of leaves becomes ``"outer inner"`` columns."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping) and all(_is_leaf(v) for v in value.values()):
            flat |= {f"{key} {k}": v for k, v in value.items()}
        else:
            flat[str(key)] = value
    return flat


# --------------------------------------------------------------------------------- tables


def kv_table(items: Mapping[str, Any], head: tuple[str, str] | None = None) -> str:
    """Two-column table: name, value."""
    rows = "".join(f"<tr><th>{esc(_label(k))}</th>{_cell(v)}</tr>" for k, v in items.items())
    thead = f"<tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>" if head else ""
    return f'<div class="scroll"><table>{thead}{rows}</table></div>'


def grid_table(
    rows: Sequence[tuple[str, Mapping[str, Any]]], first: str = "", raw_names: bool = False
) -> str:
    """Table with one row per ``(name, mapping)``; columns are the union of the keys.

    Row names are shown as labels (underscores as spaces) unless ``raw_names`` (file names).
    """
    flat = [(name, _flatten_row(row)) for name, row in rows[:MAX_TABLE_ROWS]]
    columns: list[str] = []
    for _, row in flat:
        columns += [k for k in row if k not in columns]
    head = "".join(f"<th>{esc(_label(c))}</th>" for c in columns)
    body = []
    for name, row in flat:
        cells = "".join(_cell(row.get(c)) if c in row else "<td></td>" for c in columns)
        shown = name if raw_names else _label(name)
        body.append(f"<tr><th>{esc(shown)}</th>{cells}</tr>")
    more = len(rows) - len(flat)
    note = f'<p class="muted">… {more} more rows not shown.</p>' if more > 0 else ""
    table = f"<table><tr><th>{esc(first)}</th>{head}</tr>{''.join(body)}</table>"
    return f'<div class="scroll">{table}</div>{note}'


def _is_records(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def _is_matrix(value: Any) -> bool:
    """A dict of dicts whose rows (one nesting level flattened) are all leaves."""
    if not isinstance(value, Mapping) or not value:
        return False
    if not all(isinstance(v, Mapping) and v for v in value.values()):
        return False
    return all(all(_is_leaf(c) for c in _flatten_row(v).values()) for v in value.values())


def render_tree(obj: Mapping[str, Any], level: int = 3) -> str:
    """Tables of a nested mapping: its leaves in one table, then a heading per nested part.

    Below the top level (``level`` > 3) the parts are laid side by side (wrapping).
    """
    leaves = {str(k): v for k, v in obj.items() if _is_leaf(v)}
    parts = [kv_table(leaves)] if leaves else []
    for key, value in obj.items():
        if str(key) not in leaves:
            h = min(level, 6)
            parts.append(f"<h{h}>{esc(_label(key))}</h{h}>{_render_nested(value, level + 1)}")
    if level <= 3:
        return "".join(parts)
    return (
        '<div class="blocks">' + "".join(f'<div class="block">{p}</div>' for p in parts) + "</div>"
    )


def _render_nested(value: Any, level: int) -> str:
    if _is_records(value):
        return grid_table([(str(i + 1), v) for i, v in enumerate(value)], first="#")
    if _is_matrix(value):
        return grid_table([(str(k), v) for k, v in value.items()])
    if isinstance(value, Mapping):
        return render_tree(value, level)
    return f"<p>{esc(fmt(value))}</p>"


# --------------------------------------------------------------------------------- files


def _walk(directory: Path) -> list[Path]:
    """Every file under ``directory`` (sorted), hidden files and folders left out."""
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(root) / n for n in sorted(names) if not n.startswith(".")]
    return files


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover


def _is_manifest(path: Path) -> bool:
    return path.name.startswith("manifest") and path.suffix in (".jsonl", ".csv")


def _is_product(path: Path) -> bool:
    name = path.name.lower()
    if name == "report.json" or _is_manifest(path):
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
        return sum(_number(rec.get("seconds")) or 0.0 for rec in self.records)

    def tasks(self) -> list[str]:
        """The distinct task names, in order of appearance."""
        return list(dict.fromkeys(str(r["task"]) for r in self.records if r.get("task")))

    def failures(self) -> list[dict[str, Any]]:
        """The records whose status is ``failed``."""
        return [r for r in self.records if str(r.get("status", "")).lower() == "failed"]


def _number(value: Any) -> float | None:
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


def indicator_numbers(path: Path) -> dict[str, Any] | None:
    """Global numbers of a Space Climate Observatory indicator file, None if it is not one.

    Uses :func:`fcspace.sco.indicators.summary` (area-weighted means, trend, percentiles,
    exceedance); None on any failure.
    """
    try:
        import xarray as xr

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with xr.open_dataset(path) as ds:
                is_indicator = any(str(n).endswith("_trend") for n in ds.data_vars) or (
                    "indicator" in str(ds.attrs.get("title", "")).lower()
                )
                if not is_indicator:
                    return None
                from fcspace.sco.indicators import summary

                numbers = jsonable(summary(ds))
    except Exception:  # not an indicator file, or a layout summary() does not know
        _LOG.info("no indicator summary for %s", path, exc_info=True)
        return None
    return numbers if isinstance(numbers, dict) else None


# --------------------------------------------------------------------------------- images


def image_group(path: Path, directory: Path | None = None) -> str:
    """Key of the quicklook group of a PNG (see :data:`IMAGE_GROUPS`), by file-name prefix.

    Indicator maps without a prefix (``wind_speed_trend.png``, ``nadir_swh_p90.png``) and PNGs
    in a folder whose name mentions ``sco``, ``l3`` or ``indicator`` go to ``sco``.
    """
    name = path.name.lower()
    for key, _, prefixes in IMAGE_GROUPS:
        if prefixes and name.startswith(prefixes):
            return key
    parents = path.parent.relative_to(directory).parts if directory else ()
    folder_hint = any(re.search(r"sco|l3|indicator", p.lower()) for p in parents)
    if INDICATOR_STEM.search(path.stem.lower()) or folder_hint:
        return "sco"
    return "other"


def _figure(path: Path, directory: Path) -> str:
    rel = esc(path.relative_to(directory).as_posix())
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return f'<p class="muted">{rel}: {_human(size)}, too large to embed.</p>'
        data = path.read_bytes()
    except OSError as err:
        return f'<p class="bad">{rel}: not readable ({esc(err)}).</p>'
    if not data.startswith(PNG_SIGNATURE):
        return f'<p class="bad">{rel}: not a PNG file.</p>'
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return f'<figure><img src="{uri}" alt="{rel}"><figcaption>{rel}</figcaption></figure>'


# ---------------------------------------------------------------------------------- page


@dataclass
class Section:
    """One ``<section>`` of the page and its entry in the table of contents."""

    ident: str
    title: str
    body: str
    children: list[tuple[str, str]] = field(default_factory=list)

    def html(self) -> str:
        """The section's HTML."""
        return f'<section id="{esc(self.ident)}"><h2>{esc(self.title)}</h2>{self.body}</section>'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def headline_figures(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Headline figures per mission: each demo module's ``summary`` on its report.json part.

    Sections whose module is unknown or whose ``summary`` fails on this content get their
    top-level numbers instead (a ``headline`` mapping in the section is used when present).
    """
    try:
        from fcspace.demo import SECTIONS
    except Exception:  # the report must not depend on the demo importing
        _LOG.warning("demo sections unavailable; headline figures fall back", exc_info=True)
        SECTIONS = ()
    modules = dict(SECTIONS)
    out: dict[str, dict[str, Any]] = {}
    for key, part in report.items():
        if not isinstance(part, Mapping):
            continue
        figures = _module_summary(modules.get(key), part) or _fallback_headline(part)
        if figures:
            out[str(key)] = figures
    return out


def _module_summary(module_name: str | None, part: Mapping[str, Any]) -> dict[str, Any] | None:
    if isinstance(part.get("headline"), Mapping):
        return dict(part["headline"])
    if module_name is None:
        return None
    try:
        figures = jsonable(importlib.import_module(module_name).summary(part))
    except Exception:  # the section's shape changed: its tables still show everything
        _LOG.warning("summary() of %s failed; showing the section's own numbers", module_name,
                     exc_info=True)  # fmt: skip
        return None
    return {str(k): v for k, v in figures.items() if _is_leaf(v)} if figures else None


def _fallback_headline(part: Mapping[str, Any], limit: int = 8) -> dict[str, Any]:
    """Numbers at the first two levels of a section (``outer inner`` names)."""
    out: dict[str, Any] = {}
    for key, value in part.items():
        children = value.items() if isinstance(value, Mapping) else [("", value)]
        for sub, leaf in children:
            if isinstance(leaf, (int, float)) and not isinstance(leaf, bool):
                out[f"{key} {sub}".strip()] = leaf
    return dict(list(out.items())[:limit])


def _overview(
    report: Mapping[str, Any] | None,
    manifests: Sequence[ManifestSummary],
    n_images: int,
    n_products: int,
) -> Section:
    counts = {"products": n_products, "quicklooks": n_images}
    for m in manifests:
        for status, n in m.counts().items():
            counts[f"batch {status}"] = counts.get(f"batch {status}", 0) + n
    body = ['<div class="cards" style="margin-bottom:12px"><div class="card">']
    body += [
        f'<span class="count {esc(k.split()[-1])}"><b>{v}</b>{esc(k)}</span>'
        for k, v in counts.items()
    ]
    body.append("</div></div>")
    heads = headline_figures(report or {})
    if heads:
        body.append('<div class="cards">')
        for key, figures in heads.items():
            title = SECTION_TITLES.get(key, key.upper())
            body.append(f'<div class="card"><h3>{esc(title)}</h3>{kv_table(figures)}</div>')
        body.append("</div>")
    about = {str(k): v for k, v in (report or {}).items() if _is_leaf(v)}
    if about:
        body += ["<h3>Run</h3>", kv_table(about)]
    return Section("overview", "Headline figures", "".join(body))


def _manifest_section(manifests: Sequence[ManifestSummary], directory: Path) -> Section | None:
    if not manifests:
        return None
    rows = []
    for m in manifests:
        row: dict[str, Any] = {"tasks": ", ".join(m.tasks()) or "—", "inputs": len(m.records)}
        row |= m.counts()
        row["total time (s)"] = round(m.seconds(), 3)
        if m.bad_lines:
            row["unparsed lines"] = m.bad_lines
        if m.error:
            row["error"] = m.error
        rows.append((m.path.relative_to(directory).as_posix(), row))
    body = [grid_table(rows, "manifest", raw_names=True)]
    failures = [(m, r) for m in manifests for r in m.failures()]
    if failures:
        body.append(f'<h3 class="bad">Failures ({len(failures)})</h3>')
        body.append(grid_table([(str(i + 1), {
            "task": r.get("task"), "input": r.get("input"), "error": r.get("error"),
            "seconds": _number(r.get("seconds")), "manifest": m.path.name,
        }) for i, (m, r) in enumerate(failures)], first="#"))  # fmt: skip
    else:
        body.append('<p class="muted">No failure.</p>')
    return Section("batch", "What ran: batch manifests", "".join(body))


def _mission_sections(report: Mapping[str, Any]) -> list[Section]:
    sections = []
    for key, part in report.items():
        if isinstance(part, Mapping) and part:
            title = SECTION_TITLES.get(str(key), str(key).upper())
            sections.append(Section(f"mission-{_slug(str(key))}", title, render_tree(part)))
    return sections


def _indicator_section(indicators: Mapping[str, dict[str, Any]], images: str) -> Section | None:
    if not indicators and not images:
        return None
    body = []
    for rel, numbers in indicators.items():
        body.append(f"<h3>{esc(rel)}</h3>")
        leaves = {k: v for k, v in numbers.items() if _is_leaf(v)}
        body.append(kv_table(leaves) if leaves else "")
        rows = [(k, v) for k, v in numbers.items() if isinstance(v, Mapping)]
        body.append(grid_table(rows, first="variable") if rows else "")
    if images:
        body += ["<h3>Maps</h3>", images]
    return Section("indicators", "Climate indicators", "".join(body))


def _gallery_section(groups: Mapping[str, list[Path]], directory: Path) -> Section | None:
    body, children = [], []
    for key, title, _ in IMAGE_GROUPS:
        paths = groups.get(key)
        if key == "sco" or not paths:
            continue
        ident = f"quicklooks-{key}"
        figures = "".join(_figure(p, directory) for p in paths)
        body.append(f'<h3 id="{ident}">{esc(title)}</h3><div class="gallery">{figures}</div>')
        children.append((ident, title))
    if not body:
        return None
    return Section("quicklooks", "Quicklooks", "".join(body), children)


def _products_section(products: Sequence[Path], directory: Path) -> Section | None:
    if not products:
        return None
    rows = []
    for i, path in enumerate(products):
        line = product_line(path) if i < MAX_SUMMARIES else ""
        try:
            size = _human(path.stat().st_size)
        except OSError:
            size = "—"
        rows.append((path.relative_to(directory).as_posix(), {"size": size, "summary": line}))
    return Section(
        "products", f"Products ({len(products)})", grid_table(rows, "file", raw_names=True)
    )


def _raw_section(report: Mapping[str, Any] | None, problem: str | None) -> Section | None:
    if problem:
        return Section("report-json", "report.json", f'<p class="bad">{esc(problem)}</p>')
    if not report:
        return None
    text = esc(json.dumps(report, indent=2, ensure_ascii=False))
    body = f"<details><summary>Every figure of the run (report.json)</summary><pre>{text}</pre>"
    return Section("report-json", "report.json", body + "</details>")


def _toc(sections: Sequence[Section]) -> str:
    items = []
    for s in sections:
        sub = "".join(f'<li><a href="#{esc(i)}">{esc(t)}</a></li>' for i, t in s.children)
        sub = f"<ul>{sub}</ul>" if sub else ""
        items.append(f'<li><a href="#{esc(s.ident)}">{esc(s.title)}</a>{sub}</li>')
    return f"<nav><b>Contents</b><ul>{''.join(items)}</ul></nav>"


def build_html(directory: str | os.PathLike[str], title: str | None = None) -> str:
    """The HTML page (text) describing the output folder ``directory``."""
    directory = Path(directory)
    files = [p for p in _walk(directory) if p.name != REPORT_NAME]
    report, problem = load_report_json(directory)
    manifests = [read_manifest(p) for p in files if _is_manifest(p)]
    products = [p for p in files if _is_product(p)]
    pngs = [p for p in files if p.suffix.lower() == ".png"]
    groups: dict[str, list[Path]] = {}
    for p in pngs:
        groups.setdefault(image_group(p, directory), []).append(p)
    indicators = {}
    for p in products[:MAX_SUMMARIES]:
        if p.suffix in (".nc", ".nc4") and (numbers := indicator_numbers(p)):
            indicators[p.relative_to(directory).as_posix()] = numbers
    sco_images = "".join(_figure(p, directory) for p in groups.get("sco", []))
    sco_images = f'<div class="gallery">{sco_images}</div>' if sco_images else ""
    candidates = [
        _overview(report, manifests, len(pngs), len(products)),
        _manifest_section(manifests, directory),
        *_mission_sections(report or {}),
        _indicator_section(indicators, sco_images),
        _gallery_section(groups, directory),
        _products_section(products, directory),
        _raw_section(report, problem),
    ]
    sections = [s for s in candidates if s is not None]
    return _page(title or f"fcspace report: {directory.resolve().name}", directory, sections)


def _page(title: str, directory: Path, sections: Sequence[Section]) -> str:
    made = utc_now()
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head>",
        "<body>",
        f"<header><h1>{esc(title)}</h1>",
        f"<p>Generated {esc(made)} by fcspace {esc(__version__)}</p>",
        f"<p>Folder: {esc(directory.resolve())}</p></header>",
        _toc(sections),
        "<main>",
        *(s.html() for s in sections),
        "</main>",
        f"<footer>fcspace {esc(__version__)}, {esc(made)}. Self-contained page: figures are "
        "embedded, nothing is fetched.</footer>",
        "</body>",
        "</html>",
        "",
    ])  # fmt: skip


def write_report(
    directory: str | os.PathLike[str], out: str | os.PathLike[str] | None = None
) -> Path:
    """Write the self-contained HTML report of an output folder; return its path.

    Parameters
    ----------
    directory
        Output folder of a run (``fcspace demo``, ``fcspace batch``, SCO indicators, ...).
    out
        Where to write the page; default ``directory / "report.html"``. Written atomically.

    Returns
    -------
    Path
        The page written.

    Raises
    ------
    InputError
        ``directory`` is not a folder.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError("not a folder (expected the output folder of a run)", folder)
    text = build_html(folder)
    target = Path(out) if out is not None else folder / REPORT_NAME
    return write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))
