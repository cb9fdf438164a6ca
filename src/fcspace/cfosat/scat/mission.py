"""CFOSat SCAT's registration: its CLI, batch task, demo section and report hooks."""

from __future__ import annotations

from fcspace.core.registry import ImageGroup, Mission, ReportHooks

MISSION = Mission(
    name="scat",
    title="CFOSat SCAT: Ku-band fan-beam scatterometer winds",
    commands={
        "scat": (
            "fcspace.cfosat.scat.cli:app",
            "CFOSat SCAT: Ku-band fan-beam scatterometer winds.",
        ),
    },
    demo="fcspace.cfosat.scat.demo",
    batch_tasks={"scat": "fcspace.cfosat.scat.batch_task:TASK"},
    report=ReportHooks(
        section_title="CFOSat SCAT",
        image_groups=(
            ImageGroup("scat", "CFOSat SCAT", ("scat_",)),
            ImageGroup("ascat", "MetOp ASCAT (KNMI L2, reference)", ("ascat_",)),
        ),
    ),
)
