"""What the Space Climate Observatory adds to the HTML report: the numbers of indicator files."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

from fcspace.core.report import jsonable

_LOG = logging.getLogger(__name__)


def indicator_numbers(path: Path) -> dict[str, Any] | None:
    """Global numbers of a Space Climate Observatory indicator file, None if it is not one.

    Uses :func:`fcspace.sco.indicators.summary` (area-weighted means, trend, percentiles,
    exceedance); None on any failure (logged).
    """
    from fcspace.sco.indicators import summary
    from fcspace.sco.io import open_indicators

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = open_indicators(path)
            is_indicator = any(str(n).endswith("_trend") for n in ds.data_vars) or (
                "indicator" in str(ds.attrs.get("title", "")).lower()
            )
            if not is_indicator:
                return None
            numbers = jsonable(summary(ds))
    except Exception:  # not an indicator file, or a layout summary() does not know
        _LOG.info("no indicator summary for %s", path, exc_info=True)
        return None
    return numbers if isinstance(numbers, dict) else None
