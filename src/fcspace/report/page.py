"""The report page: its CSS, its assembly from the folder's files, and writing it."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from fcspace import __version__
from fcspace.core.errors import InputError
from fcspace.core.products import utc_now, write_atomic
from fcspace.report.missions import file_numbers, file_sections, image_group
from fcspace.report.readers import (
    is_manifest,
    is_product,
    load_report_json,
    read_manifest,
    walk,
)
from fcspace.report.sections import (
    MAX_SUMMARIES,
    Section,
    figure,
    file_section,
    gallery_section,
    manifest_section,
    mission_sections,
    overview,
    products_section,
    raw_section,
    skipped_section,
    toc,
)
from fcspace.report.tables import esc

#: Default file name of the page, in the folder it describes.
REPORT_NAME = "report.html"


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


def build_html(
    directory: str | os.PathLike[str],
    title: str | None = None,
    skipped: list[tuple[Path, str]] | None = None,
) -> str:
    """The HTML page (text) describing the output folder ``directory``.

    Entries that are not regular files (FIFOs, devices...) are never opened: they are listed
    in a "Skipped" section and, when ``skipped`` is given, appended to it with the reason.
    """
    directory = Path(directory)
    not_read: list[tuple[Path, str]] = []
    files = [p for p in walk(directory, not_read) if p.name != REPORT_NAME]
    if skipped is not None:
        skipped += not_read
    report, problem = load_report_json(directory)
    manifests = [read_manifest(p) for p in files if is_manifest(p)]
    products = [p for p in files if is_product(p)]
    pngs = [p for p in files if p.suffix.lower() == ".png"]
    groups: dict[str, list[Path]] = {}
    for p in pngs:
        groups.setdefault(image_group(p, directory), []).append(p)
    candidates = [
        overview(report, manifests, len(pngs), len(products)),
        manifest_section(manifests, directory),
        *mission_sections(report or {}),
        *_file_sections(products[:MAX_SUMMARIES], groups, directory),
        gallery_section(groups, directory, {s.images for s in file_sections() if s.images}),
        products_section(products, directory),
        skipped_section(not_read, directory),
        raw_section(report, problem),
    ]
    sections = [s for s in candidates if s is not None]
    return _page(title or f"fcspace report: {directory.resolve().name}", directory, sections)


def _file_sections(
    products: list[Path], groups: Mapping[str, list[Path]], directory: Path
) -> list[Section | None]:
    """The missions' per-file sections (SCO: climate indicators), each with its maps."""
    out = []
    for spec in file_sections():
        images = "".join(figure(p, directory) for p in groups.get(spec.images or "", []))
        images = f'<div class="gallery">{images}</div>' if images else ""
        out.append(file_section(spec, file_numbers(spec, products, directory), images))
    return out


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
        toc(sections),
        "<main>",
        *(s.html() for s in sections),
        "</main>",
        f"<footer>fcspace {esc(__version__)}, {esc(made)}. Self-contained page: figures are "
        "embedded, nothing is fetched.</footer>",
        "</body>",
        "</html>",
        "",
    ])  # fmt: skip


def files_read(directory: str | os.PathLike[str]) -> list[Path]:
    """The files of ``directory`` that the report opens: report.json, manifests, products, PNGs.

    An earlier ``report.html`` (anywhere below) is not read; nor is any other file.
    """
    return [p for p in walk(Path(directory)) if p.name != REPORT_NAME
            and (p.name == "report.json" or is_manifest(p) or is_product(p)
                 or p.suffix.lower() == ".png")]  # fmt: skip


def write_report(
    directory: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    skipped: list[tuple[Path, str]] | None = None,
) -> Path:
    """Write the self-contained HTML report of an output folder; return its path.

    Parameters
    ----------
    directory
        Output folder of a run (``fcspace demo``, ``fcspace batch``, SCO indicators, ...).
    out
        Where to write the page; default ``directory / "report.html"``. Written atomically,
        and never over a file the report reads (:func:`files_read`): ``--out DIR/report.json``
        is refused, the default ``DIR/report.html`` is not read and is replaced.
    skipped
        If given, the folder's entries that were not read (FIFOs, devices, broken links) are
        appended to it as ``(path, reason)``.

    Returns
    -------
    Path
        The page written.

    Raises
    ------
    InputError
        ``directory`` is not a folder; ``out`` is a file the report reads, a folder, or in a
        place that cannot be written (checked before anything is read).
    """
    from fcspace.core.outputs import check_outputs

    folder = Path(directory)
    if not folder.is_dir():
        raise InputError("not a folder (expected the output folder of a run)", folder)
    target = Path(out) if out is not None else folder / REPORT_NAME
    check_outputs(files_read(folder), [target])
    text = build_html(folder, skipped=skipped)
    return write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))
