"""The Space Climate Observatory's registration: its CLI and report hooks (indicators)."""

from __future__ import annotations

from fcspace.core.registry import FileSection, ImageGroup, Mission, ReportHooks

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
)
