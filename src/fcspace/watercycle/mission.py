"""The water-cycle mission's registration: its CLI, demo section and report hooks."""

from __future__ import annotations

from fcspace.core.registry import ImageGroup, Mission, ReportHooks

MISSION = Mission(
    name="water",
    title="CNES-CNSA water cycle: L-band aperture synthesis to soil moisture and salinity",
    commands={
        "water": (
            "fcspace.watercycle.cli:app",
            "Water cycle: visibilities, images, soil moisture / salinity retrieval.",
        ),
    },
    demo="fcspace.watercycle.demo",
    report=ReportHooks(
        section_title="Water cycle",
        image_groups=(ImageGroup("water", "Water cycle", ("water_",)),),
    ),
)
