"""One self-contained HTML page from an output folder: ``fcspace report DIR``.

:func:`write_report` reads what a run left in ``DIR`` (the demo's ``report.json``, batch
manifests ``manifest*.jsonl`` / ``manifest*.csv``, quicklook PNGs, products) and writes
``DIR/report.html``: headline figures first, then what ran (counts done / failed / skipped,
total time, the failures with their messages), one section per mission with its validation
tables, the missions' per-file sections (the climate indicators: global numbers and maps), the
quicklooks of every instrument and the list of products with a one-line summary each.

The page needs nothing but itself: CSS inline, figures embedded as ``data:image/png;base64``
URIs, no script, no font, no external link; every text taken from the files is escaped. Check
its rendering with a headless Chromium (docs/report.md). Folders and files whose names start
with a dot are ignored. Every reader is defensive: a file that cannot be read is listed with
the reason, never fatal.

The report names no mission: section headings, quicklook groups, headline figures and per-file
sections are what each mission registers (:mod:`fcspace.core.registry`). Modules:
:mod:`~fcspace.report.page` (assembly, writing), :mod:`~fcspace.report.sections`,
:mod:`~fcspace.report.tables` (HTML tables), :mod:`~fcspace.report.readers` (files, manifests),
:mod:`~fcspace.report.missions` (what the missions registered).
"""

from __future__ import annotations

from typing import Any

from fcspace.report.missions import headline_figures, image_group, image_groups, section_titles
from fcspace.report.page import REPORT_NAME, build_html, write_report
from fcspace.report.readers import ManifestSummary, product_line, read_manifest

__all__ = [
    "IMAGE_GROUPS",
    "REPORT_NAME",
    "SECTION_TITLES",
    "ManifestSummary",
    "build_html",
    "headline_figures",
    "image_group",
    "product_line",
    "read_manifest",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """``IMAGE_GROUPS`` and ``SECTION_TITLES``: what the missions register, asked on first use."""
    if name == "IMAGE_GROUPS":
        return image_groups()
    if name == "SECTION_TITLES":
        return section_titles()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
