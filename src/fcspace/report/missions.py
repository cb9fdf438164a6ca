"""What the missions registered for the report: section titles, quicklook groups, headlines.

Everything here comes from :mod:`fcspace.core.registry` (each mission's ``mission.py``); no
mission is named. Missions are asked lazily, on first use.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fcspace.core.registry import FileSection, ImageGroup, demo_sections, load, report_hooks
from fcspace.core.report import jsonable
from fcspace.report.tables import is_leaf

_LOG = logging.getLogger(__name__)

#: The group of PNGs that no mission claims.
OTHER = ImageGroup("other", "Other")


@cache
def image_groups() -> tuple[ImageGroup, ...]:
    """The quicklook groups the missions register, in page order, then :data:`OTHER`."""
    return (*(g for _, hooks in report_hooks() for g in hooks.image_groups), OTHER)


@cache
def section_titles() -> dict[str, str]:
    """Heading of each mission's part of report.json, by mission name."""
    return {name: h.section_title for name, h in report_hooks() if h.section_title is not None}


def section_title(key: str) -> str:
    """Heading of the report.json part ``key`` (unknown parts: the key in capitals)."""
    return section_titles().get(key, key.upper())


@cache
def file_sections() -> tuple[FileSection, ...]:
    """The per-file sections the missions register, in order."""
    return tuple(s for _, hooks in report_hooks() for s in hooks.file_sections)


def image_group(path: Path, directory: Path | None = None) -> str:
    """Key of the quicklook group of a PNG (see :func:`image_groups`), by file-name prefix.

    A PNG that no prefix claims goes to the first group whose ``stem_pattern`` matches its stem
    or whose ``folder_pattern`` matches the name of a folder holding it below ``directory``
    (indicator maps such as ``wind_speed_trend.png`` go to the SCO group), else ``other``.
    """
    name = path.name.lower()
    groups = image_groups()
    for group in groups:
        if group.prefixes and name.startswith(group.prefixes):
            return group.key
    parents = path.parent.relative_to(directory).parts if directory else ()
    for group in groups:
        if _by_pattern(group, path.stem.lower(), [p.lower() for p in parents]):
            return group.key
    return OTHER.key


def _by_pattern(group: ImageGroup, stem: str, folders: list[str]) -> bool:
    if group.stem_pattern and re.search(group.stem_pattern, stem):
        return True
    return bool(group.folder_pattern) and any(re.search(group.folder_pattern, f) for f in folders)


def headline_figures(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Headline figures per mission: each demo module's ``summary`` on its report.json part.

    Sections whose module is unknown or whose ``summary`` fails on this content get their
    top-level numbers instead (a ``headline`` mapping in the section is used when present).
    """
    modules = dict(demo_sections())
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
    summary = importlib.import_module(module_name).summary
    try:
        figures = jsonable(summary(part))
    except Exception as err:  # the section's shape changed: its tables still show everything
        # one line, no traceback: a report of a damaged folder is a successful run
        _LOG.warning("summary() of %s failed (%s: %s); showing the section's own numbers",
                     module_name, type(err).__name__, err)  # fmt: skip
        return None
    return {str(k): v for k, v in figures.items() if is_leaf(v)} if figures else None


def _fallback_headline(part: Mapping[str, Any], limit: int = 8) -> dict[str, Any]:
    """Numbers at the first two levels of a section (``outer inner`` names)."""
    out: dict[str, Any] = {}
    for key, value in part.items():
        children = value.items() if isinstance(value, Mapping) else [("", value)]
        for sub, leaf in children:
            if isinstance(leaf, (int, float)) and not isinstance(leaf, bool):
                out[f"{key} {sub}".strip()] = leaf
    return dict(list(out.items())[:limit])


def file_numbers(
    section: FileSection, products: list[Path], directory: Path
) -> dict[str, dict[str, Any]]:
    """The numbers ``section.summary`` gives for each product it knows, by relative path.

    A summary that fails on a file's content is logged and that file left out.
    """
    summary = load(section.summary)
    found: dict[str, dict[str, Any]] = {}
    for path in products:
        if path.suffix not in section.suffixes:
            continue
        try:
            numbers = summary(path)
        except Exception as err:  # a file whose content the hook does not know: not fatal
            _LOG.warning("%s failed on %s (%s: %s)", section.summary, path,
                         type(err).__name__, err)  # fmt: skip
            continue
        if numbers:
            found[path.relative_to(directory).as_posix()] = numbers
    return found
