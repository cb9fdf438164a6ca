"""Chang'e-6 DORN's registration: its CLI, demo section and report hooks."""

from __future__ import annotations

from fcspace.core.registry import ImageGroup, Mission, ReportHooks

MISSION = Mission(
    name="dorn",
    title="Chang'e-6 DORN: lunar radon spectra, fits, flux and Q inversion",
    commands={
        "dorn": (
            "fcspace.dorn.cli:app",
            "Chang'e-6 DORN: radon spectra, fits, flux/Q inversion.",
        ),
    },
    demo="fcspace.dorn.demo",
    report=ReportHooks(
        section_title="DORN",
        image_groups=(ImageGroup("dorn", "DORN", ("dorn_",)),),
    ),
)
