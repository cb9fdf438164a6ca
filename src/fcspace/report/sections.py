"""The sections of the report page: overview, batch manifests, missions, files, quicklooks."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fcspace.core.registry import FileSection
from fcspace.report.missions import headline_figures, image_groups, section_title
from fcspace.report.readers import (
    ManifestSummary,
    as_number,
    human,
    product_line,
    read_regular,
)
from fcspace.report.tables import esc, grid_table, is_leaf, kv_table, render_tree

#: PNGs larger than this are listed, not embedded (keeps the page openable).
MAX_IMAGE_BYTES = 16 * 1024 * 1024
#: At most this many NetCDF/FITS files are opened for their one-line summary.
MAX_SUMMARIES = 200
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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


def figure(path: Path, directory: Path) -> str:
    """A PNG embedded as a ``data:`` URI with its caption (or why it is not shown)."""
    rel = esc(path.relative_to(directory).as_posix())
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return f'<p class="muted">{rel}: {human(size)}, too large to embed.</p>'
        data = read_regular(path, MAX_IMAGE_BYTES)
    except OSError as err:
        return f'<p class="bad">{rel}: not readable ({esc(err)}).</p>'
    if not data.startswith(PNG_SIGNATURE):
        return f'<p class="bad">{rel}: not a PNG file.</p>'
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return f'<figure><img src="{uri}" alt="{rel}"><figcaption>{rel}</figcaption></figure>'


def overview(
    report: Mapping[str, Any] | None,
    manifests: Sequence[ManifestSummary],
    n_images: int,
    n_products: int,
) -> Section:
    """Counts of products, quicklooks and batch records, then each mission's headline figures."""
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
            title = section_title(key)
            body.append(f'<div class="card"><h3>{esc(title)}</h3>{kv_table(figures)}</div>')
        body.append("</div>")
    about = {str(k): v for k, v in (report or {}).items() if is_leaf(v)}
    if about:
        body += ["<h3>Run</h3>", kv_table(about)]
    return Section("overview", "Headline figures", "".join(body))


def manifest_section(manifests: Sequence[ManifestSummary], directory: Path) -> Section | None:
    """What ran: one row per manifest, then the failures."""
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
            "seconds": as_number(r.get("seconds")), "manifest": m.path.name,
        }) for i, (m, r) in enumerate(failures)], first="#"))  # fmt: skip
    else:
        body.append('<p class="muted">No failure.</p>')
    return Section("batch", "What ran: batch manifests", "".join(body))


def mission_sections(report: Mapping[str, Any]) -> list[Section]:
    """One section per mission's part of report.json (its tables)."""
    sections = []
    for key, part in report.items():
        if isinstance(part, Mapping) and part:
            title = section_title(str(key))
            sections.append(Section(f"mission-{_slug(str(key))}", title, render_tree(part)))
    return sections


def file_section(
    section: FileSection, numbers: Mapping[str, dict[str, Any]], images: str
) -> Section | None:
    """A mission's per-file section: each file's numbers, then its maps (``images``: HTML)."""
    if not numbers and not images:
        return None
    body = []
    for rel, values in numbers.items():
        body.append(f"<h3>{esc(rel)}</h3>")
        leaves = {k: v for k, v in values.items() if is_leaf(v)}
        body.append(kv_table(leaves) if leaves else "")
        rows = [(k, v) for k, v in values.items() if isinstance(v, Mapping)]
        body.append(grid_table(rows, first="variable") if rows else "")
    if images:
        body += ["<h3>Maps</h3>", images]
    return Section(section.ident, section.title, "".join(body))


def gallery_section(
    groups: Mapping[str, list[Path]], directory: Path, elsewhere: Collection[str] = ()
) -> Section | None:
    """The quicklooks, one gallery per group (those shown ``elsewhere`` left out)."""
    body, children = [], []
    for group in image_groups():
        key, title = group.key, group.heading
        paths = groups.get(key)
        if key in elsewhere or not paths:
            continue
        ident = f"quicklooks-{key}"
        figures = "".join(figure(p, directory) for p in paths)
        body.append(f'<h3 id="{ident}">{esc(title)}</h3><div class="gallery">{figures}</div>')
        children.append((ident, title))
    if not body:
        return None
    return Section("quicklooks", "Quicklooks", "".join(body), children)


def products_section(products: Sequence[Path], directory: Path) -> Section | None:
    """The products with their size and a one-line summary each."""
    if not products:
        return None
    rows = []
    for i, path in enumerate(products):
        line = product_line(path) if i < MAX_SUMMARIES else ""
        try:
            size = human(path.stat().st_size)
        except OSError:
            size = "—"
        rows.append((path.relative_to(directory).as_posix(), {"size": size, "summary": line}))
    return Section(
        "products", f"Products ({len(products)})", grid_table(rows, "file", raw_names=True)
    )


def skipped_section(skipped: Sequence[tuple[Path, str]], directory: Path) -> Section | None:
    """The entries of the folder that were not read (FIFOs, devices, broken links), and why."""
    if not skipped:
        return None
    rows = [(p.relative_to(directory).as_posix(), {"reason": why}) for p, why in skipped]
    return Section("skipped", f"Skipped ({len(skipped)})", grid_table(rows, "entry", True))


def raw_section(report: Mapping[str, Any] | None, problem: str | None) -> Section | None:
    """report.json as text (folded), or why it could not be read."""
    if problem:
        return Section("report-json", "report.json", f'<p class="bad">{esc(problem)}</p>')
    if not report:
        return None
    text = esc(json.dumps(report, indent=2, ensure_ascii=False))
    body = f"<details><summary>Every figure of the run (report.json)</summary><pre>{text}</pre>"
    return Section("report-json", "report.json", body + "</details>")


def toc(sections: Sequence[Section]) -> str:
    """The table of contents."""
    items = []
    for s in sections:
        sub = "".join(f'<li><a href="#{esc(i)}">{esc(t)}</a></li>' for i, t in s.children)
        sub = f"<ul>{sub}</ul>" if sub else ""
        items.append(f'<li><a href="#{esc(s.ident)}">{esc(s.title)}</a>{sub}</li>')
    return f"<nav><b>Contents</b><ul>{''.join(items)}</ul></nav>"
