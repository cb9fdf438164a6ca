"""Results for people and for scripts: strict JSON (NaN → null) and rich tables."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np


def jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays and non-finite floats into strict-JSON Python objects."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def dumps(obj: Any) -> str:
    """Strict JSON text (no NaN/Infinity tokens), keys in insertion order."""
    return json.dumps(jsonable(obj), indent=2, allow_nan=False)


def print_table(title: str, rows: Mapping[str, Any]) -> None:
    """Print a two-column table (name, value) on the terminal with rich."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    for key, value in rows.items():
        text = f"{value:.3f}" if isinstance(value, float) else str(value)
        table.add_row(str(key), text)
    Console().print(table)
