"""The documentation site (issue 15): nav, figures, commands shown, API pages, strict build."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import typer
import yaml
from typer.testing import CliRunner

from fcspace.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in _nav_files(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in _nav_files(value)]
    return []


def _config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text())


def test_every_nav_page_exists_and_every_page_is_in_the_nav() -> None:
    nav = _nav_files(_config()["nav"])
    assert len(nav) == len(set(nav)), "a page appears twice in the nav"
    missing = [f for f in nav if not (DOCS / f).is_file()]
    assert missing == []
    listed = {DOCS / f for f in nav}
    assert [p for p in PAGES if p not in listed] == []
    for name in ("swim", "eclairs", "grm", "alerts", "dorn", "sco", "scat", "watercycle"):
        assert f"{name}.md" in nav, name  # one physics page per instrument
    assert "api.md" in nav and any(f.startswith("reference/") for f in nav)


def test_every_figure_referenced_exists() -> None:
    seen = 0
    for page in PAGES:
        for target in IMAGE.findall(page.read_text()):
            assert not target.startswith(("http:", "https:")), (page, target)
            assert (page.parent / target).resolve().is_file(), (page.name, target)
            seen += 1
    assert seen >= 16  # the quicklooks of `make demo` shown on the instrument pages


def test_docs_figures_are_all_present_and_small() -> None:
    figures = _tool("docs_figures")
    assert figures.problems() == []
    shown = {t for p in PAGES for t in IMAGE.findall(p.read_text())}
    assert {f"figures/{name}" for name in figures.FIGURES} <= shown  # none copied for nothing


def test_docs_figures_refresh_downscales(tmp_path: Path) -> None:
    from PIL import Image

    figures = _tool("docs_figures")
    demo, out = tmp_path / "demo", tmp_path / "out"
    demo.mkdir()
    with pytest.raises(FileNotFoundError, match="missing quicklooks"):
        figures.refresh(demo, out)
    rng = np.random.default_rng(0)
    for i, name in enumerate(figures.FIGURES):
        width = 1500 if i == 0 else 300
        pixels = rng.integers(0, 255, (width // 2, width, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(demo / name)
    sizes = figures.refresh(demo, out)
    assert set(sizes) == set(figures.FIGURES)
    with Image.open(out / figures.FIGURES[0]) as big, Image.open(out / figures.FIGURES[1]) as small:
        assert big.size == (figures.MAX_WIDTH, figures.MAX_WIDTH // 2)
        assert small.size == (300, 150)  # never enlarged
        assert big.mode == "P"


def test_api_pages_cover_every_module() -> None:
    ref = _tool("docs_reference")
    text, orphans = ref.pages(ref.modules())
    assert orphans == []
    documented = {m for t in text.values() for m in re.findall(r"^::: (\S+)$", t, re.M)}
    assert documented == set(ref.modules())
    assert "fcspace.cfosat.swim.modulation" in documented
    assert not any(m.endswith("cli") for m in documented)
    for slug, page in text.items():
        assert (DOCS / "reference" / f"{slug}.md").read_text() == page, slug


def _commands() -> list[tuple[str, list[str]]]:
    """Every ``fcspace ...`` line of every fenced code block (continuations joined)."""
    found = []
    for page in PAGES:
        for block in FENCE.findall(page.read_text()):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.strip().removeprefix("$ ")
                if line.startswith("fcspace "):
                    found.append((page.name, shlex.split(line, comments=True)[1:]))
    return found


def _is_group(command: object) -> bool:
    # typer >= 0.22 ships its own click; duck typing works with either
    return hasattr(command, "list_commands") and hasattr(command, "get_command")


def _resolve(words: list[str]) -> tuple[list[str], object]:
    """The subcommand path named by the leading words, and the command it reaches."""
    command = typer.main.get_command(app)
    path: list[str] = []
    for word in words:
        if not _is_group(command) or word.startswith("-"):
            break
        sub = command.get_command(command.context_class(command), word)
        if sub is None:
            break
        command, path = sub, [*path, word]
    return path, command


def test_every_command_shown_in_the_docs_is_real() -> None:
    commands = _commands()
    assert len(commands) >= 25
    groups = {words[0] for _page, words in commands}
    assert {"swim", "eclairs", "grm", "alert", "dorn", "sco"} <= groups
    runner = CliRunner()
    checked: set[tuple[str, ...]] = set()
    for page, words in commands:
        path, command = _resolve(words)
        assert path and not _is_group(command), (page, words)
        names = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        used = {w.split("=")[0] for w in words if w.startswith("--")}
        assert used <= names, (page, words, used - names)
        if tuple(path) not in checked:
            result = runner.invoke(app, [*path, "--help"])
            assert result.exit_code == 0, (page, path, result.output)
            checked.add(tuple(path))


def test_mkdocs_build_is_strict_and_clean(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr
    site = tmp_path / "site"
    swim = (site / "swim.html").read_text()
    assert 'class="arithmatex"' in swim and "figures/swim_sim_storm_spectrum.png" in swim
    assert "$$" not in swim  # every display equation was converted
    api = (site / "reference" / "dorn.html").read_text()
    assert "fcspace.dorn.decay" in api and "Bateman" in api  # rendered from the docstrings
