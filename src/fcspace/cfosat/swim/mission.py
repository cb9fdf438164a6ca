"""CFOSat SWIM's registration: its CLI, batch task, demo section and report hooks."""

from __future__ import annotations

from fcspace.core.registry import ImageGroup, Mission, ReportHooks

MISSION = Mission(
    name="swim",
    title="CFOSat SWIM: nadir wave heights and wave spectra",
    commands={
        "swim": (
            "fcspace.cfosat.swim.cli:app",
            "CFOSat SWIM: nadir wave heights and wave spectra.",
        ),
    },
    demo="fcspace.cfosat.swim.demo",
    batch_tasks={"swim": "fcspace.cfosat.swim.batch_task:TASK"},
    report=ReportHooks(
        section_title="CFOSat SWIM",
        image_groups=(ImageGroup("swim", "CFOSat SWIM", ("swim_",)),),
    ),
)
