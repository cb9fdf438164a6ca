"""Lazy re-exports for package ``__init__`` modules: a name is imported when first used.

Every package ``__init__`` of fcspace re-exports its readers, writers, simulators and main entry
points (``from fcspace.cfosat import scat; scat.open_l2b(path)``). Eager re-exports would cost
every user of the ``fcspace`` program: ``fcspace --help`` imports each mission's ``mission.py``,
hence each mission package's ``__init__``, and an eager ``from .io import open_l2b`` there would
import xarray, numba and astropy before the help text is printed. The re-exports are therefore
resolved on first attribute access with a module-level ``__getattr__`` (PEP 562, "Module
__getattr__ and __dir__"), the pattern of the Scientific Python ecosystem's SPEC 1 ("Lazy
Loading of Submodules and Functions", https://scientific-python.org/specs/spec-0001/, the
``lazy_loader`` package), here without the extra dependency.

Usage, in a package ``__init__``::

    from fcspace.core.lazy import lazy_exports

    __getattr__, __dir__, __all__ = lazy_exports(
        __name__, {"open_l2b": "io", "sigma0": "gmf", "gmf": "gmf"}
    )

Each key is a public name, each value the submodule that defines it, as a dotted path relative
to the package. A name equal to its submodule path (``"gmf": "gmf"``) is the submodule itself:
Python's import system binds an imported submodule as an attribute of its package, so a public
name that equals a submodule name can only ever be that submodule.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing is not imported at run time: this module is on the start-up path
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Module ``__getattr__``, ``__dir__`` and ``__all__`` that import re-exports on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name → submodule that defines it, dotted and relative to ``package`` (``"io"``,
        ``"grid.io"``); a name equal to its submodule path is that submodule.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)`` to assign at the package's top level (PEP 562).
        ``__getattr__`` imports the submodule, stores the attribute in the package's globals
        (later accesses do not call it again) and raises :class:`AttributeError` naming the
        package for a name it does not export. ``__all__`` is the sorted public names.
    """
    table = dict(exports)

    def __getattr__(name: str) -> Any:  # noqa: N807 (PEP 562 name)
        try:
            path = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module = importlib.import_module(f"{package}.{path}")
        value = module if name == path else getattr(module, name)
        vars(sys.modules[package])[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807 (PEP 562 name)
        return sorted(set(vars(sys.modules[package])) | set(table))

    return __getattr__, __dir__, sorted(table)
