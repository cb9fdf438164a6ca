"""The front door (issue 10): every package re-exports its public names, lazily, and docs/api.md
lists them."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _api_doc_tool():
    """tools/make_api_doc.py as a module (tools/ is not a package)."""
    path = ROOT / "tools" / "make_api_doc.py"
    spec = importlib.util.spec_from_file_location("make_api_doc", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PACKAGE_NAMES = [package for package, _, _ in _api_doc_tool().PACKAGES]
HEAVY = ("xarray", "numba", "astropy", "matplotlib")


@pytest.mark.parametrize("package", PACKAGE_NAMES)
def test_every_public_name_resolves(package: str) -> None:
    mod = importlib.import_module(package)
    names = list(mod.__all__)
    assert names, f"{package} exports nothing"
    assert len(names) == len(set(names)), f"{package}.__all__ repeats a name"
    for name in names:
        obj = getattr(mod, name)
        assert obj is not None, f"{package}.{name}"
        if inspect.ismodule(obj):
            assert obj.__name__.startswith(package), (package, name, obj.__name__)
        assert name in dir(mod), f"{package}.{name} missing from dir()"


@pytest.mark.parametrize("package", PACKAGE_NAMES)
def test_unknown_name_raises_attribute_error(package: str) -> None:
    mod = importlib.import_module(package)
    with pytest.raises(AttributeError, match=package.replace(".", r"\.")):
        mod.no_such_name  # noqa: B018


def test_readme_style() -> None:
    from fcspace.cfosat import scat

    assert callable(scat.open_l2b)
    assert scat.open_l2b is importlib.import_module("fcspace.cfosat.scat.io").open_l2b
    assert callable(scat.gmf.sigma0)
    assert scat.sigma0 is scat.gmf.sigma0
    assert inspect.ismodule(scat.io)

    import fcspace

    assert fcspace.cfosat.swim.open_swim is fcspace.cfosat.swim.io.open_swim
    assert fcspace.dorn.DORN is importlib.import_module("fcspace.dorn.instrument").DORN
    assert fcspace.svom.eclairs.ECLAIRS.__class__.__name__ == "EclairsInstrument"


def test_missions_listed() -> None:
    import fcspace

    assert {"cfosat", "svom", "dorn", "sco"} <= set(fcspace.__all__)
    for module in fcspace.MISSIONS:
        assert importlib.import_module(module).MISSION is not None


def test_cli_start_up_imports_no_heavy_library() -> None:
    code = (
        "import sys, fcspace.cli; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "", f"fcspace.cli imports {out.stdout.strip()}"


def test_api_doc_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "tools/make_api_doc.py", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
