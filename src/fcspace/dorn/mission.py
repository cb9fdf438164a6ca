"""Chang'e-6 DORN's registration: its CLI, demo section and report hooks."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py).
def _is_dorn(h: Any) -> bool:
    spectra = h.has("counts", "live_time_s") and h.has_dims("channel")
    return spectra or h.has("activity", "activity_sigma", "converged")


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
    readers=(
        ProductReader("dorn", "fcspace.dorn.io:open_dorn", _is_dorn),
    ),
)
