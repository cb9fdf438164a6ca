"""Layout assertions: a Dataset has the variables, dims, units and standard names it promises.

:func:`assert_layout` checks a Dataset against a table of :class:`Expected` variables; the
product-specific ones build that table from the product specifications the readers and
writers use themselves (`fcspace.cfosat.scat.product_specs`,
`fcspace.cfosat.swim.product_specs`, `fcspace.svom.events`, `fcspace.dorn.io`), so a test
compares a product with the same data that defines it, not with a copy. Each failure names
the variable and what was expected; all problems are listed at once.

Sources
-------
- CF Conventions 1.8: ``units`` (section 3.1) and ``standard_name`` (section 3.3).
- The layout pages ``docs/scat_layout.md`` and ``docs/swim_layout.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xarray as xr

__all__ = [
    "Expected",
    "assert_dorn_layout",
    "assert_events_layout",
    "assert_layout",
    "assert_scat_l2b_layout",
    "assert_swim_l2_layout",
    "scat_l2b_layout",
    "swim_l2_layout",
]


@dataclass(frozen=True)
class Expected:
    """What one variable of a layout must be.

    Attributes
    ----------
    dims
        Dimensions in order (None: not checked).
    units, standard_name
        CF attributes (None: not checked).
    required
        Whether the variable must be present; optional ones are checked when present.
    """

    dims: tuple[str, ...] | None = None
    units: str | None = None
    standard_name: str | None = None
    required: bool = True


def _problems(ds: xr.Dataset, name: str, exp: Expected) -> list[str]:
    """What is wrong with variable ``name`` of ``ds`` (empty: nothing)."""
    if name not in ds.variables:
        return [f"{name!r}: missing"] if exp.required else []
    da, out = ds[name], []
    if exp.dims is not None and tuple(da.dims) != tuple(exp.dims):
        out.append(f"{name!r}: dims {tuple(da.dims)}, expected {tuple(exp.dims)}")
    for attr in ("units", "standard_name"):
        want = getattr(exp, attr)
        if want is not None and da.attrs.get(attr) != want:
            out.append(f"{name!r}: {attr} {da.attrs.get(attr)!r}, expected {want!r}")
    return out


def assert_layout(ds: xr.Dataset, spec: Mapping[str, Expected | Mapping[str, Any]]) -> None:
    """Assert that ``ds`` matches ``spec`` (variable name -> :class:`Expected` or its fields).

    Raises
    ------
    AssertionError
        Listing every missing required variable and every wrong dims, units or standard name.
    """
    problems = []
    for name, exp in spec.items():
        exp = exp if isinstance(exp, Expected) else Expected(**exp)
        problems += _problems(ds, name, exp)
    if problems:
        raise AssertionError("layout mismatch:\n  " + "\n  ".join(problems))


def scat_l2b_layout() -> dict[str, Expected]:
    """The in-memory SCAT L2B layout, from `fcspace.cfosat.scat.product_specs.NSOAS_L2B`."""
    from fcspace.cfosat.scat import product_specs as ps

    return {
        name: Expected(
            (ps.ROW,) if vs.kind == "time" else vs.dims,
            vs.attrs.get("units"),
            vs.attrs.get("standard_name"),
            vs.required,
        )
        for name, vs in ps.NSOAS_L2B.variables.items()
    }


def swim_l2_layout(product: Any = None) -> dict[str, Expected]:
    """The in-memory SWIM layout of a file layout (default: fcspace's full L2).

    ``product`` is a `fcspace.cfosat.swim.product_specs.ProductSpec` (``FCSPACE_L2`` or
    ``AVISO_L2P``); in memory both have the dims of ``LAYOUT``.
    """
    from fcspace.cfosat.swim import product_specs as ps

    product = product or ps.FCSPACE_L2
    return {
        name: Expected(
            ps.LAYOUT[name].dims,
            ps.LAYOUT[name].attrs.get("units"),
            ps.LAYOUT[name].attrs.get("standard_name"),
            name in product.required,
        )
        for name in sorted(product.variables)
    }


def assert_scat_l2b_layout(ds: xr.Dataset) -> None:
    """Assert the SCAT L2B layout (:func:`scat_l2b_layout`) and the "to" direction convention."""
    from fcspace.cfosat.scat import product_specs as ps

    assert_layout(ds, scat_l2b_layout())
    if ds.attrs.get(ps.CONVENTION_ATTR) != "to":
        raise AssertionError(f"attribute {ps.CONVENTION_ATTR!r} is not 'to'")


def assert_swim_l2_layout(ds: xr.Dataset, product: Any = None) -> None:
    """Assert the SWIM in-memory layout (:func:`swim_l2_layout`): ``n_phi`` is the full circle."""
    from fcspace.cfosat.swim import product_specs as ps

    assert_layout(ds, swim_l2_layout(product))
    if ps.PHI in ds.dims and ds.sizes[ps.PHI] != ps.N_PHI_FULL:
        n = ds.sizes[ps.PHI]
        raise AssertionError(f"{ps.PHI} has {n} directions, expected {ps.N_PHI_FULL}")


def assert_events_layout(ds: xr.Dataset, instrument: str) -> None:
    """Assert an SVOM event list of ``ECLAIRs`` or ``GRM`` (`fcspace.svom.events.LAYOUTS`).

    Every event variable on ``event``, times in seconds, sorted and finite.
    """
    import numpy as np

    from fcspace.svom.events import LAYOUTS

    assert_layout(ds, {name: Expected(("event",)) for name in LAYOUTS[instrument]})
    t = np.asarray(ds["time"].values, dtype=float)
    if not (np.all(np.isfinite(t)) and np.all(np.diff(t) >= 0)):
        raise AssertionError("event times must be finite and sorted")


def assert_dorn_layout(ds: xr.Dataset) -> None:
    """Assert a DORN day of spectra or of fits (`fcspace.dorn.io`), detected from ``counts``."""
    from fcspace.dorn import io

    if "counts" in ds.variables:
        names = io.SPECTRA_VARIABLES
        assert_layout(ds, {"counts": Expected(("view", "time", "channel"))})
    else:
        names = io.FITS_VARIABLES
        assert_layout(ds, {"activity": Expected(("view", "time", "line"))})
    assert_layout(ds, {name: Expected() for name in names})
