"""HTML tables of the report: values as short text, mappings as tables, nested parts as headings."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Rows shown of a long table.
MAX_TABLE_ROWS = 200


def esc(value: Any) -> str:
    """HTML-escaped text of ``value`` (quotes included)."""
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------------- values


def fmt(value: Any) -> str:
    """Short human text of a value: floats to 4 significant digits, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else str(value)
        return f"{value:.1f}" if 1e4 <= abs(value) < 1e12 else f"{value:.4g}"
    if isinstance(value, (list, tuple)) and all(_is_scalar(v) for v in value):
        head = ", ".join(fmt(v) for v in value[:12])
        return f"[{head}{f', … ({len(value)} items)' if len(value) > 12 else ''}]"
    if isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 240 else text[:240] + "…"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def is_leaf(value: Any) -> bool:
    """A value that fits in one table cell: a scalar or a list of scalars."""
    if isinstance(value, (list, tuple)):
        return all(_is_scalar(v) for v in value)
    return _is_scalar(value)


def _label(key: Any) -> str:
    return str(key).replace("_", " ")


def _cell(value: Any) -> str:
    css = ' class="num"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return f"<td{css}>{esc(fmt(value))}</td>"


def _flatten_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One level of nested dicts of leaves becomes ``"outer inner"`` columns."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping) and all(is_leaf(v) for v in value.values()):
            flat |= {f"{key} {k}": v for k, v in value.items()}
        else:
            flat[str(key)] = value
    return flat


# --------------------------------------------------------------------------------- tables


def kv_table(items: Mapping[str, Any], head: tuple[str, str] | None = None) -> str:
    """Two-column table: name, value."""
    rows = "".join(f"<tr><th>{esc(_label(k))}</th>{_cell(v)}</tr>" for k, v in items.items())
    thead = f"<tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>" if head else ""
    return f'<div class="scroll"><table>{thead}{rows}</table></div>'


def grid_table(
    rows: Sequence[tuple[str, Mapping[str, Any]]], first: str = "", raw_names: bool = False
) -> str:
    """Table with one row per ``(name, mapping)``; columns are the union of the keys.

    Row names are shown as labels (underscores as spaces) unless ``raw_names`` (file names).
    """
    flat = [(name, _flatten_row(row)) for name, row in rows[:MAX_TABLE_ROWS]]
    columns: list[str] = []
    for _, row in flat:
        columns += [k for k in row if k not in columns]
    head = "".join(f"<th>{esc(_label(c))}</th>" for c in columns)
    body = []
    for name, row in flat:
        cells = "".join(_cell(row.get(c)) if c in row else "<td></td>" for c in columns)
        shown = name if raw_names else _label(name)
        body.append(f"<tr><th>{esc(shown)}</th>{cells}</tr>")
    more = len(rows) - len(flat)
    note = f'<p class="muted">… {more} more rows not shown.</p>' if more > 0 else ""
    table = f"<table><tr><th>{esc(first)}</th>{head}</tr>{''.join(body)}</table>"
    return f'<div class="scroll">{table}</div>{note}'


def _is_records(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def _is_matrix(value: Any) -> bool:
    """A dict of dicts whose rows (one nesting level flattened) are all leaves."""
    if not isinstance(value, Mapping) or not value:
        return False
    if not all(isinstance(v, Mapping) and v for v in value.values()):
        return False
    return all(all(is_leaf(c) for c in _flatten_row(v).values()) for v in value.values())


def render_tree(obj: Mapping[str, Any], level: int = 3) -> str:
    """Tables of a nested mapping: its leaves in one table, then a heading per nested part.

    Below the top level (``level`` > 3) the parts are laid side by side (wrapping).
    """
    leaves = {str(k): v for k, v in obj.items() if is_leaf(v)}
    parts = [kv_table(leaves)] if leaves else []
    for key, value in obj.items():
        if str(key) not in leaves:
            h = min(level, 6)
            parts.append(f"<h{h}>{esc(_label(key))}</h{h}>{_render_nested(value, level + 1)}")
    if level <= 3:
        return "".join(parts)
    return (
        '<div class="blocks">' + "".join(f'<div class="block">{p}</div>' for p in parts) + "</div>"
    )


def _render_nested(value: Any, level: int) -> str:
    if _is_records(value):
        return grid_table([(str(i + 1), v) for i, v in enumerate(value)], first="#")
    if _is_matrix(value):
        return grid_table([(str(k), v) for k, v in value.items()])
    if isinstance(value, Mapping):
        return render_tree(value, level)
    return f"<p>{esc(fmt(value))}</p>"
