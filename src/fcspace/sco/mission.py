"""The Space Climate Observatory's registration: its CLI and report hooks (indicators)."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import FileSection, ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py).
def _is_l3(h: Any) -> bool:
    return h.has("wind_count", "time_bnds", "lat_bnds") and h.has_dims("time", "lat", "lon")


def _is_indicators(h: Any) -> bool:
    return h.has("wind_speed_trend") or h.has("nadir_swh_trend")


MISSION = Mission(
    name="sco",
    title="Space Climate Observatory: archive, L3 grids, climate indicators",
    commands={
        "sco": (
            "fcspace.sco.cli:app",
            "Space Climate Observatory: archive, L3 grids, indicators.",
        ),
    },
    report=ReportHooks(
        section_title="Space Climate Observatory",
        image_groups=(
            ImageGroup(
                "sco",
                "Space Climate Observatory: L3 grids and indicators",
                ("sco_", "l3_", "indicator"),
                # indicator maps without a prefix (wind_speed_trend.png, nadir_swh_p90.png)
                stem_pattern=r"_(trend|p\d+|exceedance|climatology|anomal\w*|percentile\w*)$",
                folder_pattern=r"sco|l3|indicator",
            ),
        ),
        file_sections=(
            FileSection(
                "indicators",
                "Climate indicators",
                "fcspace.sco.report_hooks:indicator_numbers",
                images="sco",
            ),
        ),
    ),
    readers=(
        ProductReader("l3_grid", "fcspace.cfosat.grid.io:open_l3", _is_l3),
        ProductReader("sco_indicators", "fcspace.sco.io:open_indicators", _is_indicators),
    ),
)
