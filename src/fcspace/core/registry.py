"""What each mission registers (CLI, batch tasks, demo and report sections), found lazily.

The generic layers (:mod:`fcspace.cli`, :mod:`fcspace.batch`, :mod:`fcspace.demo`,
:mod:`fcspace.report`) know no mission: they ask this module. Each mission package holds one
``mission.py`` defining ``MISSION = Mission(...)``; :data:`fcspace.MISSIONS` lists those modules,
one line per mission, in the order the CLI, the demo and the report show them. This module imports
no mission statically: :func:`missions` imports each ``mission.py`` on first use (cached), and
every other reference is a dotted ``"module:attr"`` string resolved by :func:`load` when used.

Adding a mission: one folder with its ``mission.py``, plus its line in ``fcspace.MISSIONS``
(CONTRIBUTING.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fcspace.core.errors import ConfigError

__all__ = [
    "BatchTask",
    "FileSection",
    "ImageGroup",
    "Mission",
    "ProductReader",
    "ReportHooks",
    "batch_task",
    "batch_task_names",
    "commands",
    "demo_sections",
    "load",
    "missions",
    "product_readers",
    "report_hooks",
]


@dataclass(frozen=True)
class ImageGroup:
    """A group of quicklook PNGs in the report, recognised by file name.

    Attributes
    ----------
    key
        Group key (``scat``, ``gbm``...).
    heading
        Heading of the group in the report.
    prefixes
        Lower-case file-name prefixes of the group's PNGs (``("scat_",)``).
    stem_pattern
        Regular expression searched in the lower-case stem of PNGs no prefix claimed
        (``r"_trend$"``), or None.
    folder_pattern
        Regular expression searched in the lower-case names of the folders holding such a PNG
        (below the report's folder), or None.
    """

    key: str
    heading: str
    prefixes: tuple[str, ...] = ()
    stem_pattern: str | None = None
    folder_pattern: str | None = None


@dataclass(frozen=True)
class FileSection:
    """A report section of numbers a mission reads from each of its product files.

    Attributes
    ----------
    ident, title
        HTML id and heading of the section (``indicators``, ``Climate indicators``).
    summary
        ``"module:attr"`` of ``summary(path) -> dict | None``: the numbers of one file, None
        when the file is not of this kind.
    suffixes
        File suffixes offered to ``summary``.
    images
        Key of an :class:`ImageGroup` shown in this section instead of under the quicklooks.
    """

    ident: str
    title: str
    summary: str
    suffixes: tuple[str, ...] = (".nc", ".nc4")
    images: str | None = None


@dataclass(frozen=True)
class ReportHooks:
    """What a mission adds to the HTML report (:mod:`fcspace.report`).

    Attributes
    ----------
    section_title
        Heading of the mission's part of ``report.json`` (the part keyed by the mission name);
        None: the name in capitals.
    image_groups
        Its quicklook groups, in page order.
    file_sections
        Its per-file sections.
    """

    section_title: str | None = None
    image_groups: tuple[ImageGroup, ...] = ()
    file_sections: tuple[FileSection, ...] = ()


@dataclass(frozen=True)
class BatchTask:
    """A one-file task of the batch runner (:mod:`fcspace.batch`), as a mission registers it.

    Attributes
    ----------
    name
        Registry name (``fcspace batch NAME``).
    process
        ``process(input_path, output_path)``: read the input, write the product at
        ``output_path`` atomically, raise on a bad input. It runs on a dask worker: a
        module-level function (picklable). Its return value is not used.
    output_name
        File name of the product of an input path (in the batch output folder).
    description
        One line for the progress bar (and the help when ``help`` is empty).
    help
        One line for ``fcspace batch NAME --help``.
    """

    name: str
    process: Callable[[Path, Path], Any]
    output_name: Callable[[Path], str]
    description: str = ""
    help: str = ""


@dataclass(frozen=True)
class ProductReader:
    """A product a mission reads, and how to recognise a file of it from its header.

    Used by the xarray backend (``xr.open_dataset(path, engine="fcspace")``,
    :mod:`fcspace.core.xarray_backend`) to pick the reader of a file from its content.

    Attributes
    ----------
    name
        Product name (``scat_l2b``), stored in the opened dataset's ``encoding``.
    open
        ``"module:attr"`` of ``open(path) -> xarray.Dataset`` (the mission's ``open_*``).
    matches
        ``matches(header) -> bool`` on a :class:`fcspace.core.xarray_backend.FileHeader`
        (variable and dimension names, global attributes): a plain function that imports
        nothing heavy. Readers are tried in mission order, then in declaration order: put the
        most specific first.
    """

    name: str
    open: str
    matches: Callable[[Any], bool]


@dataclass(frozen=True)
class Mission:
    """One mission (or instrument) as the generic layers see it.

    Attributes
    ----------
    name
        Short name; also the key of its part of the demo's ``report.json``.
    title
        One line naming it.
    commands
        Subcommand of ``fcspace`` → (``"module:attr"`` of a typer app, help line).
    demo
        Dotted module with ``run``, ``markdown`` and ``summary`` (:mod:`fcspace.demo`), or None.
    batch_tasks
        Task name (``fcspace batch NAME``) → ``"module:attr"`` of a :class:`BatchTask`.
    report
        Its report hooks.
    readers
        The products it reads, for the xarray backend (:class:`ProductReader`).
    """

    name: str
    title: str
    commands: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    demo: str | None = None
    batch_tasks: Mapping[str, str] = field(default_factory=dict)
    report: ReportHooks = field(default_factory=ReportHooks)
    readers: tuple[ProductReader, ...] = ()


def load(target: str) -> Any:
    """The object named by ``"package.module:attr"`` (the module is imported if needed).

    Raises
    ------
    ConfigError
        ``target`` is not of the form ``module:attr``, or the module has no such attribute.
    """
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigError(f"expected 'module:attr', got {target!r}")
    obj: Any = importlib.import_module(module_name)
    try:
        for part in attr.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        raise ConfigError(f"{module_name} has no attribute {attr!r}") from None
    return obj


@cache
def _missions(modules: tuple[str, ...]) -> tuple[Mission, ...]:
    found = []
    for name in modules:
        mission = load(f"{name}:MISSION")
        if not isinstance(mission, Mission):
            raise ConfigError(f"{name}.MISSION is not a fcspace.core.registry.Mission")
        found.append(mission)
    return tuple(found)


def missions(modules: tuple[str, ...] | None = None) -> tuple[Mission, ...]:
    """The registered missions, in order (imported once; default: :data:`fcspace.MISSIONS`)."""
    if modules is None:
        from fcspace import MISSIONS

        modules = tuple(MISSIONS)
    return _missions(tuple(modules))


def commands() -> list[tuple[str, str, str]]:
    """``(subcommand, "module:attr" of its typer app, help line)`` of every mission, in order."""
    return [(name, app, text) for m in missions() for name, (app, text) in m.commands.items()]


def demo_sections() -> tuple[tuple[str, str], ...]:
    """``(report key, demo module)`` of the missions that have a demo, in the order they run."""
    return tuple((m.name, m.demo) for m in missions() if m.demo is not None)


def batch_task_names() -> list[str]:
    """Names of the registered batch tasks, sorted."""
    return sorted(name for m in missions() for name in m.batch_tasks)


def batch_task(name: str) -> BatchTask:
    """The batch task registered as ``name`` (its module imported now).

    Raises
    ------
    ConfigError
        No mission registers a task of that name, or what it registers is not a
        :class:`BatchTask`.
    """
    for m in missions():
        if name in m.batch_tasks:
            task = load(m.batch_tasks[name])
            if not isinstance(task, BatchTask):
                raise ConfigError(f"batch task {name!r} is not a fcspace.core.registry.BatchTask")
            return task
    known = ", ".join(batch_task_names())
    raise ConfigError(f"unknown batch task {name!r} (known: {known})")


def report_hooks() -> tuple[tuple[str, ReportHooks], ...]:
    """``(mission name, its report hooks)`` of every mission, in order."""
    return tuple((m.name, m.report) for m in missions())


def product_readers() -> tuple[ProductReader, ...]:
    """Every mission's product readers, in mission then declaration order."""
    return tuple(r for m in missions() for r in m.readers)
