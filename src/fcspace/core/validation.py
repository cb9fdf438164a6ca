"""Validation of what readers read and what processors accept, declared as data.

A product's rules are a :class:`ProductRules`: one :class:`VariableRule` per variable (its
physical range, from the product's own ``valid_min``/``valid_max`` when the file declares them,
else the physics; the value that stands for "missing" in memory; its required dimensions; and
whether a value outside the range is *masked and counted* or means the file is *not what it
claims* and is refused). :func:`apply_rules` applies them to a decoded dataset:

- ``action="mask"``: out-of-range values become the fill (NaN, NaT or the integer fill), the count
  goes to the variable's attribute ``fcspace_masked_out_of_range`` and to the dataset's
  ``fcspace_masked_out_of_range`` summary, and, where the product has flagged cells
  (:attr:`ProductRules.flag_variable`), the cells are flagged in one boolean variable. Nothing is
  added when nothing is masked, so a clean file reads exactly as before.
- ``action="refuse"``: :class:`~fcspace.core.errors.InputError` naming the file, the variable and
  the count. Also refused: a missing required variable, wrong dimensions, an all-fill variable
  where values are required (coordinates), times not in order where the format promises order.

:func:`check_packing` refuses impossible CF packing attributes (``scale_factor`` 0, NaN or
infinite; ``add_offset`` not finite) on a raw dataset, :func:`file_valid_range` reads a
variable's declared range (unpacked when stored in packed units, CF 8.1), and
:func:`check_range` checks a scalar parameter of a simulator or processor.

References
----------
- CF Conventions 1.8, section 2.5.1 (``_FillValue``, ``valid_min``, ``valid_max``,
  ``valid_range``: values outside the valid range are missing) and section 8.1 (packed data:
  ``valid_*`` in the type of the packed data are in packed units).
- NetCDF Users Guide, "Attribute Conventions" (valid_min / valid_max / valid_range).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from fcspace.core.errors import ConfigError, InputError

__all__ = [
    "NOW_PLUS_ONE_YEAR",
    "MASKED_ATTR",
    "ProductRules",
    "VariableRule",
    "apply_rules",
    "check_monotonic",
    "check_packing",
    "check_packing_attrs",
    "check_range",
    "file_valid_range",
    "masked_counts",
]

#: ``hi`` of a time rule that stands for "one year after now" (evaluated when the rule is applied).
NOW_PLUS_ONE_YEAR = "now+1y"

#: Attribute (on a variable: an int; on the dataset: a summary string) counting masked values.
MASKED_ATTR = "fcspace_masked_out_of_range"

_ACTIONS = ("mask", "refuse")


@dataclass(frozen=True)
class VariableRule:
    """What a variable may hold.

    Attributes
    ----------
    name
        Variable name in the dataset the rule is applied to.
    lo, hi
        Physical range, inclusive; None for no bound. For datetime64 variables: ISO 8601 strings
        (or :data:`NOW_PLUS_ONE_YEAR` for ``hi``). Replaced by the file's own ``valid_min`` /
        ``valid_max`` when :meth:`ProductRules.with_file_ranges` finds them.
    fill
        In-memory value that stands for "missing" (ignored by the checks, written where a value
        is masked); None means NaN for floats and NaT for times. Integer variables need one to be
        masked.
    dims
        Required dimensions (exactly, in order); None for any.
    action
        ``"mask"`` (mask and count) or ``"refuse"`` (InputError: the file is not what it claims).
    required
        Refuse a dataset without the variable.
    refuse_all_fill
        Refuse a variable of which no value is valid (e.g. all-fill coordinates).
    monotonic
        Values must not decrease along the first dimension (fills ignored); refused otherwise.
    also_mask
        Other variables masked at the same cells (e.g. longitude where latitude is impossible).
    use_file_range
        Take the range from the file's ``valid_min``/``valid_max`` when it declares one.
    """

    name: str
    lo: float | str | None = None
    hi: float | str | None = None
    fill: float | int | None = None
    dims: tuple[str, ...] | None = None
    action: str = "mask"
    required: bool = False
    refuse_all_fill: bool = False
    monotonic: bool = False
    also_mask: tuple[str, ...] = ()
    use_file_range: bool = True

    def __post_init__(self) -> None:
        """Refuse an unknown action."""
        if self.action not in _ACTIONS:
            raise ConfigError(f"rule {self.name!r}: action {self.action!r}, expected {_ACTIONS}")


@dataclass(frozen=True)
class ProductRules:
    """The rules of one product.

    Attributes
    ----------
    product
        Product name (for messages).
    rules
        One rule per variable.
    flag_variable
        Name of a boolean variable that marks the cells where any value was masked, where the
        product has flagged cells (None: counts only).
    flag_dims
        Dimensions of that variable; a masked variable with more dimensions flags a cell where
        any of its values along the extra dimensions was masked.
    """

    product: str
    rules: tuple[VariableRule, ...]
    flag_variable: str | None = None
    flag_dims: tuple[str, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> VariableRule:
        """The rule of variable ``name``."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        """Variable names with a rule."""
        return tuple(r.name for r in self.rules)

    def subset(self, names: Iterable[str]) -> ProductRules:
        """The rules of ``names`` only (for a reader that reads a few variables)."""
        keep = set(names)
        return replace(self, rules=tuple(r for r in self.rules if r.name in keep))

    def with_file_ranges(self, attrs: Mapping[str, Mapping[str, Any]]) -> ProductRules:
        """The rules with ``lo``/``hi`` from each variable's declared ``valid_*`` attributes.

        ``attrs`` maps a rule's variable name to the file attributes of the variable it was
        decoded from. A declared bound replaces the physical one only where it is finite.
        """
        new = []
        for rule in self.rules:
            lo, hi = (None, None)
            if rule.use_file_range and rule.name in attrs:
                lo, hi = file_valid_range(attrs[rule.name])
            new.append(
                replace(rule, lo=rule.lo if lo is None else lo, hi=rule.hi if hi is None else hi)
            )
        return replace(self, rules=tuple(new))


# --------------------------------------------------------------------------------------------
# Declared ranges and packing
# --------------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    arr = np.asarray(value)
    if arr.dtype.kind in "SU" or arr.dtype == object:
        v = arr.ravel()[0] if arr.size else ""
        return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
    return arr.ravel()[0] if arr.size else None


def _unpack_bound(value: Any, attrs: Mapping[str, Any]) -> float | str | None:
    """One declared bound in physical units (CF 8.1: integer bounds of packed data are packed)."""
    v = _scalar(value)
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    x = float(v)
    if not math.isfinite(x):
        return None
    if np.asarray(value).dtype.kind in "iu" and ("scale_factor" in attrs or "add_offset" in attrs):
        from fcspace.core.netcdf import packing_attr  # float32 0.01 read as the decimal 0.01

        x = x * packing_attr(attrs.get("scale_factor", 1.0)) + packing_attr(
            attrs.get("add_offset", 0.0)
        )
    return x


def file_valid_range(attrs: Mapping[str, Any]) -> tuple[float | str | None, float | str | None]:
    """``(lo, hi)`` declared by ``valid_min``/``valid_max`` or ``valid_range`` (CF 2.5.1).

    Integer bounds of a packed variable (one with ``scale_factor``/``add_offset``) are in packed
    units and are unpacked (CF 8.1); string bounds (e.g. ISO times) are returned as strings.
    Missing or non-finite bounds are None.
    """
    lo = hi = None
    if "valid_range" in attrs:
        vr = np.asarray(attrs["valid_range"]).ravel()
        if vr.size == 2:
            lo, hi = _unpack_bound(vr[:1], attrs), _unpack_bound(vr[1:], attrs)
    if "valid_min" in attrs:
        lo = _unpack_bound(attrs["valid_min"], attrs)
    if "valid_max" in attrs:
        hi = _unpack_bound(attrs["valid_max"], attrs)
    return lo, hi


def check_packing(ds: Any, path: Any = None) -> None:
    """Refuse impossible CF packing attributes on the raw (not unpacked) variables of ``ds``.

    ``scale_factor`` must be finite and non-zero, ``add_offset`` finite (CF 8.1: the physical
    value is ``packed * scale_factor + add_offset``; a zero scale maps every value to the offset).

    Raises
    ------
    InputError
        Naming the file and the variable.
    """
    check_packing_attrs({str(k): v.attrs for k, v in ds.variables.items()}, path)


def check_packing_attrs(attrs: Mapping[str, Mapping[str, Any]], path: Any = None) -> None:
    """:func:`check_packing` on attributes per variable (e.g. xarray's decoded ``encoding``)."""
    for name, var_attrs in attrs.items():
        for attr, bad in (("scale_factor", _bad_scale), ("add_offset", _bad_offset)):
            if attr in var_attrs:
                value = np.asarray(var_attrs[attr])
                if bad(value):
                    raise InputError(
                        f"impossible {attr} {value.tolist()!r} (must be a finite number"
                        f"{', not 0' if attr == 'scale_factor' else ''})",
                        path,
                        str(name),
                    )


def _bad_offset(value: np.ndarray) -> bool:
    try:
        x = value.astype(np.float64).ravel()
    except (TypeError, ValueError):
        return True
    return x.size != 1 or not np.isfinite(x[0])


def _bad_scale(value: np.ndarray) -> bool:
    return _bad_offset(value) or float(value.astype(np.float64).ravel()[0]) == 0


# --------------------------------------------------------------------------------------------
# Applying rules
# --------------------------------------------------------------------------------------------


def _time_bound(value: float | str | None, now: np.datetime64) -> np.datetime64 | None:
    if value is None:
        return None
    if value == NOW_PLUS_ONE_YEAR:
        return now + np.timedelta64(366, "D")
    text = str(value).rstrip("Z")
    try:
        return np.datetime64(text, "ns")
    except ValueError:
        return None  # a declared bound that is not a time: no bound


def _valid_and_bounds(values: np.ndarray, rule: VariableRule) -> tuple[np.ndarray, Any, Any]:
    """Mask of the non-fill values, and the bounds in the values' own type."""
    if values.dtype.kind == "M":
        now = np.datetime64("now", "ns")
        return ~np.isnat(values), _time_bound(rule.lo, now), _time_bound(rule.hi, now)
    lo = None if rule.lo is None or isinstance(rule.lo, str) else float(rule.lo)
    hi = None if rule.hi is None or isinstance(rule.hi, str) else float(rule.hi)
    if values.dtype.kind == "f":
        valid = ~np.isnan(values)
        if rule.fill is not None and not (isinstance(rule.fill, float) and math.isnan(rule.fill)):
            valid &= values != rule.fill
        return valid, lo, hi
    if values.dtype.kind in "iub":
        valid = np.ones(values.shape, bool) if rule.fill is None else values != rule.fill
        return valid, lo, hi
    return np.zeros(values.shape, bool), None, None  # strings, objects: no range


def _outside(values: np.ndarray, rule: VariableRule) -> tuple[np.ndarray, np.ndarray]:
    """(valid, out-of-range) masks of ``values`` under ``rule``; infinities count as outside."""
    valid, lo, hi = _valid_and_bounds(values, rule)
    bad = np.zeros(values.shape, bool)
    with np.errstate(invalid="ignore"):
        if values.dtype.kind == "f":
            bad |= valid & ~np.isfinite(values)
        if lo is not None:
            bad |= valid & (values < lo)
        if hi is not None:
            bad |= valid & (values > hi)
    return valid, bad


def _fill_value(values: np.ndarray, rule: VariableRule, path: Any) -> Any:
    if rule.fill is not None:
        return rule.fill
    if values.dtype.kind == "f":
        return np.nan
    if values.dtype.kind == "M":
        return np.datetime64("NaT")
    raise InputError("out-of-range integers but the rule has no fill value", path, rule.name)


def _example(values: np.ndarray, bad: np.ndarray) -> str:
    return str(v) if (v := values[bad].ravel()[0]).dtype.kind == "M" else f"{float(v):.6g}"


def _check_structure(ds: Any, rule: VariableRule, path: Any) -> bool:
    """Refuse a missing required variable or wrong dims; False when the variable is absent."""
    if rule.name not in ds.variables:
        if rule.required:
            raise InputError("missing variable required by the product", path, rule.name)
        return False
    dims = tuple(ds[rule.name].dims)
    if rule.dims is not None and dims != tuple(rule.dims):
        raise InputError(f"dims {dims}, expected {tuple(rule.dims)}", path, rule.name)
    return True


def _check_one(values: np.ndarray, rule: VariableRule, path: Any) -> np.ndarray:
    """Refusals of one variable; returns its out-of-range mask (to be masked)."""
    valid, bad = _outside(values, rule)
    if rule.refuse_all_fill and values.size and not (valid & ~bad).any():
        raise InputError(
            f"no valid value in {values.size} (all fill or out of range)", path, rule.name
        )
    n = int(bad.sum())
    if n and rule.action == "refuse":
        raise InputError(
            f"{n} value(s) outside the valid range [{rule.lo}, {rule.hi}] (e.g. "
            f"{_example(values, bad)}): the file is not what it claims",
            path,
            rule.name,
        )
    if rule.monotonic:
        check_monotonic(np.where(bad, _fill_value(values, rule, path), values), rule.name, path)
    return bad


def apply_rules(ds: Any, rules: ProductRules, path: Any = None) -> Any:
    """Check ``ds`` (an xarray Dataset, values decoded) against ``rules``; mask and count.

    Parameters
    ----------
    ds
        Decoded dataset (floats with NaN fills, datetime64 times, integer fills as in memory).
    rules
        The product's rules (see :meth:`ProductRules.with_file_ranges` for declared ranges).
    path
        The file the dataset was read from, for error messages.

    Returns
    -------
    xarray.Dataset
        ``ds`` itself when nothing was masked; otherwise a copy where out-of-range values are the
        fill, each masked variable carries ``fcspace_masked_out_of_range`` (its count), the
        dataset carries the same attribute ("name: count, ..."), and the product's flag variable
        (if any) marks the cells.

    Raises
    ------
    InputError
        Naming file, variable and count: a refused out-of-range value, a missing required
        variable, wrong dimensions, an all-fill variable that must hold values, times out of
        order.
    """
    masks: dict[str, np.ndarray] = {}
    for rule in rules.rules:
        if not _check_structure(ds, rule, path):
            continue
        bad = _check_one(np.asarray(ds[rule.name].values), rule, path)
        if bad.any():
            masks[rule.name] = bad
    if not masks:
        return ds
    return _masked(ds, rules, masks, path)


def _masked(ds: Any, rules: ProductRules, masks: dict[str, np.ndarray], path: Any) -> Any:
    """Copy of ``ds`` with the masks applied, counted and flagged."""
    out = ds.copy()
    for name, bad in masks.items():
        rule = rules[name]
        for target in (name, *rule.also_mask):
            if target not in out.variables or out[target].shape != bad.shape:
                continue
            values = np.array(out[target].values)
            target_rule = rules[target] if target in rules.names() else replace(rule, fill=None)
            values[bad] = _fill_value(values, target_rule, path)
            out[target] = out[target].copy(data=values)
        out[name].attrs[MASKED_ATTR] = int(bad.sum())
    out.attrs[MASKED_ATTR] = ", ".join(f"{k}: {int(v.sum())}" for k, v in masks.items())
    if rules.flag_variable:
        _flag(out, rules, masks)
    return out


def _flag(out: Any, rules: ProductRules, masks: dict[str, np.ndarray]) -> None:
    """OR each mask (reduced over trailing dims) into the product's boolean flag variable."""
    dims = tuple(rules.flag_dims)
    if not dims or any(d not in out.sizes for d in dims):
        return
    flag = np.zeros([out.sizes[d] for d in dims], bool)
    for name, bad in masks.items():
        if tuple(out[name].dims[: len(dims)]) == dims:
            flag |= bad.reshape(*flag.shape, -1).any(axis=-1)
    out[rules.flag_variable] = (
        dims,
        flag,
        {"long_name": "a value of this cell was outside its valid range and was masked"},
    )


def masked_counts(ds: Any) -> dict[str, int]:
    """Number of masked values per variable, as recorded by :func:`apply_rules`."""
    return {
        str(k): int(v.attrs[MASKED_ATTR]) for k, v in ds.variables.items() if MASKED_ATTR in v.attrs
    }


def check_monotonic(values: Iterable[Any], name: str, path: Any = None) -> None:
    """Refuse values (times) that decrease along the first axis; fills (NaN, NaT) are skipped.

    Raises
    ------
    InputError
        Naming the file, the variable and the first place where the order breaks.
    """
    v = np.asarray(values)
    if v.ndim > 1:
        v = v.reshape(v.shape[0], -1)
        first = np.argmax(~_missing(v), axis=1)  # first valid value of each row
        v = v[np.arange(v.shape[0]), first]
    v = v[~_missing(v)]
    steps = np.diff(v)
    back = np.flatnonzero(steps < steps.dtype.type(0)) if steps.size else np.array([], int)
    if back.size:
        i = int(back[0])
        raise InputError(
            f"{back.size} step(s) backwards in a sequence that the format keeps in order "
            f"(value {i + 1}: {v[i + 1]} after {v[i]})",
            path,
            name,
        )


def _missing(v: np.ndarray) -> np.ndarray:
    kind = v.dtype.kind
    return np.isnat(v) if kind == "M" else np.isnan(v) if kind == "f" else np.zeros(v.shape, bool)


def check_range(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    error: type[Exception] = ConfigError,
    path: Any = None,
) -> float:
    """A scalar parameter as a float, refused unless finite and in ``[lo, hi]``.

    For the parameters that simulators and processors accept (``error=ConfigError``, the
    default) or a value read from a file header (``error=InputError``; ``path`` names the file).

    Raises
    ------
    ConfigError or InputError
        Naming the parameter, the value and the range.
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if math.isfinite(x) and (lo is None or x >= lo) and (hi is None or x <= hi):
        return x
    where = f"[{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}]"
    message = f"{name} = {value!r} is not a finite number in {where}"
    if issubclass(error, InputError):
        raise error(message, path, name)
    raise error(message)
