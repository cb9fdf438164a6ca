"""The shape of the house (issue 10): module sizes, who imports whom, no import cycle.

Reads the source as text (``ast``); nothing is imported, so the checks are cheap and hold for
modules that would be expensive to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "fcspace"
MISSIONS = ("fcspace.cfosat", "fcspace.svom", "fcspace.dorn", "fcspace.sco", "fcspace.watercycle")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module imported by ``path`` (top level and inside functions)."""
    tree = ast.parse(path.read_text())
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    return {n for n in names if n.startswith("fcspace")}


SOURCES = sorted(SRC.rglob("*.py"))
MODULES = {_module_name(p): p for p in SOURCES}


def _resolve(name: str) -> str | None:
    """The fcspace module an imported name belongs to (``a.b.func`` → ``a.b``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {_resolve(n) for n in _imports(path)}
        graph[name] = {t for t in targets if t and t != name}
    return graph


def test_no_module_over_500_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in SOURCES
            if (n := len(p.read_text().splitlines())) > MAX_LINES}  # fmt: skip
    assert not long, f"modules over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("generic", ["core", "batch", "batch_cli", "report", "report_cli", "demo"])
def test_generic_layers_import_no_mission(generic: str) -> None:
    paths = [p for name, p in MODULES.items()
             if name == f"fcspace.{generic}" or name.startswith(f"fcspace.{generic}.")]  # fmt: skip
    assert paths, generic
    offenders = {p.name: sorted(n for n in _imports(p) if n.startswith(MISSIONS)) for p in paths}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"generic layer imports mission modules: {offenders}"


def test_swim_imports_nothing_from_scat() -> None:
    swim = [p for name, p in MODULES.items() if name.startswith("fcspace.cfosat.swim")]
    offenders = {p.name: sorted(n for n in _imports(p) if n.startswith("fcspace.cfosat.scat"))
                 for p in swim}  # fmt: skip
    assert not {k: v for k, v in offenders.items() if v}


def test_no_import_cycle() -> None:
    graph = _graph()
    # A package's __init__ that re-exports its children is not a cycle of jobs: drop the edges
    # from a package to its own children and from a child to its package.
    for name, targets in graph.items():
        graph[name] = {
            t for t in targets if not t.startswith(name + ".") and not name.startswith(t + ".")
        }
    colour: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        colour[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in colour:
                visit(nxt, [*stack, nxt])
        colour[node] = 2

    for node in sorted(graph):
        if node not in colour:
            visit(node, [node])
    assert not cycles, f"import cycles: {cycles[:5]}"
