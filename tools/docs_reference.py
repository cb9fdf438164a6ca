"""Write docs/reference/*.md: one API page per package, rendered by mkdocstrings from docstrings.

Usage::

    python tools/docs_reference.py [--check]

Every module under ``src/fcspace`` (package ``__init__`` files and command-line modules
excepted: ``fcspace <group> <command> --help`` documents the commands) is listed, as a
``::: module`` block, on the page of the first entry of :data:`PAGES` whose package holds it
(the most specific package wins). Modules are found by walking the source tree, so nothing is
imported. ``--check`` exits 1 when a page is missing or out of date, or when a module has no
page (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
OUT = ROOT / "docs" / "reference"

#: (page slug, title, packages or modules it documents, one introductory line).
PAGES = (
    ("core", "Core (mission-neutral)",
     ("fcspace.core", "fcspace.demo", "fcspace.batch", "fcspace.report"),
     "The generic layers (they import no mission): errors, geodesy, orbit, NetCDF guards, "
     "products and manifests, validation rules, the mission registry, parallel runs, batch "
     "processing, the HTML report."),
    ("cfosat", "CFOSat platform and L3 grids", ("fcspace.cfosat",),
     "The CFOSat orbit and ground track shared by SCAT, SWIM and the SCO archive; the L3 "
     "gridder."),
    ("scat", "CFOSat SCAT", ("fcspace.cfosat.scat",),
     "Physics: [SCAT](../scat.md); layouts: [SCAT layout](../scat_layout.md)."),
    ("swim", "CFOSat SWIM", ("fcspace.cfosat.swim",),
     "Physics: [SWIM](../swim.md); layouts: [SWIM layout](../swim_layout.md)."),
    ("svom", "SVOM core (time, frames, orbit, events, L1 files)", ("fcspace.svom",),
     "Shared by ECLAIRs, GRM and the alerts: mission time, frames, orbit and attitude, event "
     "lists, the mission L1 files."),
    ("eclairs", "SVOM ECLAIRs", ("fcspace.svom.eclairs",),
     "Physics: [ECLAIRs](../eclairs.md); layouts: [ECLAIRs layout](../eclairs_layout.md)."),
    ("grm", "SVOM GRM", ("fcspace.svom.grm",), "Physics: [GRM](../grm.md)."),
    ("alerts", "SVOM alerts", ("fcspace.svom.alerts",),
     "Conventions: [SVOM alerts](../alerts.md)."),
    ("dorn", "Chang'e-6 DORN", ("fcspace.dorn",), "Physics: [DORN](../dorn.md)."),
    ("sco", "Space Climate Observatory", ("fcspace.sco",), "Methods: [SCO](../sco.md)."),
    ("watercycle", "Water-cycle mission", ("fcspace.watercycle",),
     "Physics: [Water cycle](../watercycle.md)."),
    ("testing", "Test helpers (fcspace.testing)", ("fcspace.testing",),
     "Fakes written by the real writers, layout assertions, hypothesis strategies, a counting "
     "dask scheduler."),
)

HEADER = (
    "Generated from the docstrings (mkdocstrings, numpy style) by `tools/docs_reference.py`.",
    "The one-line index of every public name is [the API index](../api.md). Command-line",
    "modules are not listed here: `fcspace <group> <command> --help` documents every command.",
)


def modules(src: Path = SRC) -> list[str]:
    """Dotted names of every documented module (no ``__init__``, no command-line module)."""
    names = []
    for path in sorted((src / "fcspace").rglob("*.py")):
        if path.stem == "__init__" or path.stem.endswith("cli"):
            continue
        names.append(".".join(path.relative_to(src).with_suffix("").parts))
    return names


def _owner(module: str) -> str | None:
    """The slug of the page whose package holds ``module`` most specifically."""
    best, depth = None, -1
    for slug, _title, packages, _intro in PAGES:
        for package in packages:
            inside = module == package or module.startswith(package + ".")
            if inside and package.count(".") > depth:
                best, depth = slug, package.count(".")
    return best


def pages(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Markdown of every page, and the modules no page holds."""
    listed: dict[str, list[str]] = {slug: [] for slug, *_ in PAGES}
    orphans = []
    for name in names:
        slug = _owner(name)
        (listed[slug] if slug else orphans).append(name)
    text = {}
    for slug, title, _packages, intro in PAGES:
        lines = [f"# API: {title}", "", intro, "", *HEADER, ""]
        for name in listed[slug]:
            lines += [f"::: {name}", ""]
        text[slug] = "\n".join(lines)
    return text, orphans


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is stale")
    args = parser.parse_args(argv)
    text, orphans = pages(modules())
    stale = [s for s, t in text.items() if not (OUT / f"{s}.md").is_file()
             or (OUT / f"{s}.md").read_text() != t]
    for name in orphans:
        sys.stderr.write(f"no API page holds {name}: add its package to PAGES\n")
    if args.check:
        for slug in stale:
            sys.stderr.write(f"docs/reference/{slug}.md is stale: run tools/docs_reference.py\n")
        return 1 if stale or orphans else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for slug in stale:
        (OUT / f"{slug}.md").write_text(text[slug])
    sys.stdout.write(f"{len(text)} pages, {len(stale)} rewritten\n")
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main())
