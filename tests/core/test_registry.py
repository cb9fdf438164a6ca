"""The mission registry: missions found lazily, generic layers that import no mission."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

import fcspace
from fcspace.core import registry
from fcspace.core.errors import ConfigError
from fcspace.core.registry import FileSection, ImageGroup, Mission, ReportHooks

SRC = Path(fcspace.__file__).parent
MISSION_PACKAGES = ("cfosat", "svom", "dorn", "sco", "watercycle")
# The generic layers: they may import fcspace.core and each other's generic parts, no mission.
GENERIC = [
    *sorted((SRC / "core").glob("*.py")),
    SRC / "batch.py",
    SRC / "batch_cli.py",
    SRC / "demo.py",
    SRC / "report_cli.py",
    SRC / "cli.py",
    *sorted((SRC / "report").glob("*.py")),
]


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("path", GENERIC, ids=lambda p: p.relative_to(SRC).as_posix())
def test_generic_layers_import_no_mission(path: Path) -> None:
    banned = tuple(f"fcspace.{p}" for p in MISSION_PACKAGES)
    bad = [m for m in _imports(path) if m.startswith(banned)]
    assert bad == [], f"{path.name} imports {bad}"


def test_demo_and_report_do_not_import_each_other() -> None:
    demo = _imports(SRC / "demo.py")
    assert not any(m.startswith("fcspace.report") for m in demo)
    for path in (SRC / "report").glob("*.py"):
        assert not any(m.startswith("fcspace.demo") for m in _imports(path)), path.name


def test_missions_in_order_and_their_hooks() -> None:
    names = [m.name for m in registry.missions()]
    assert names == ["scat", "swim", "svom", "dorn", "water", "sco"]
    assert all(isinstance(m, Mission) for m in registry.missions())
    assert [key for key, _ in registry.demo_sections()] == ["scat", "swim", "svom", "dorn", "water"]
    subcommands = [name for name, _, _ in registry.commands()]
    assert subcommands == ["scat", "swim", "eclairs", "grm", "alert", "dorn", "water", "sco"]
    assert registry.batch_task_names() == ["scat", "swim"]
    hooks = dict(registry.report_hooks())
    assert hooks["svom"].section_title == "SVOM: ECLAIRs and GRM"
    assert hooks["sco"].file_sections[0].images == "sco"


def test_every_registered_target_resolves() -> None:
    for _, target, _ in registry.commands():
        assert registry.load(target) is not None
    for _, module in registry.demo_sections():
        mod = registry.load(f"{module}:run").__module__
        assert mod == module
    for name in registry.batch_task_names():
        assert registry.batch_task(name).name == name
    for _, hooks in registry.report_hooks():
        for section in hooks.file_sections:
            assert callable(registry.load(section.summary))


def test_load_refuses_bad_targets() -> None:
    with pytest.raises(ConfigError, match="module:attr"):
        registry.load("fcspace.core.registry")
    with pytest.raises(ConfigError, match="no attribute"):
        registry.load("fcspace.core.registry:nothing_here")
    with pytest.raises(ConfigError, match="unknown batch task 'sar'"):
        registry.batch_task("sar")


def test_a_new_mission_is_one_module_and_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fcspace_test_mission")
    module.MISSION = Mission(  # type: ignore[attr-defined]
        name="water",
        title="a water-cycle radiometer",
        commands={"water": ("fcspace.report_cli:app", "Water cycle.")},
        batch_tasks={"water": "fcspace_test_mission:TASK"},
        report=ReportHooks(
            section_title="Water cycle",
            image_groups=(ImageGroup("water", "Water cycle", ("water_",)),),
            file_sections=(FileSection("tb", "Brightness", "fcspace_test_mission:numbers"),),
        ),
    )
    module.TASK = object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fcspace_test_mission", module)
    found = registry.missions((*fcspace.MISSIONS, "fcspace_test_mission"))
    assert found[-1].name == "water" and found[:-1] == registry.missions()
    assert found[-1].batch_tasks["water"] == "fcspace_test_mission:TASK"
    assert registry.load("fcspace_test_mission:TASK") is module.TASK  # type: ignore[attr-defined]


def test_a_module_without_a_mission_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fcspace_not_a_mission")
    module.MISSION = {"name": "x"}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fcspace_not_a_mission", module)
    with pytest.raises(ConfigError, match="is not a fcspace.core.registry.Mission"):
        registry.missions(("fcspace_not_a_mission",))
