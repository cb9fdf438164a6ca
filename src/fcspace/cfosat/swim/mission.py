"""CFOSat SWIM's registration: its CLI, batch task, demo section and report hooks."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py).
def _is_l1(h: Any) -> bool:
    return h.has("waveform", "periodogram")


def _is_l2(h: Any) -> bool:
    # the full L2 (fcspace's earlier names or CNES's) and the AVISO L2P box product
    return h.has("pp_mean", "k_spectra")


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
    readers=(
        ProductReader("swim_l1", "fcspace.cfosat.swim.io:open_l1", _is_l1),
        ProductReader("swim_l2", "fcspace.cfosat.swim.io:open_swim", _is_l2),
    ),
)
