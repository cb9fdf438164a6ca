"""CFOSat SCAT's registration: its CLI, batch task, demo section and report hooks."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py):
# plain functions of the file header, most specific first.
def _is_l1b(h: Any) -> bool:
    return h.has("sigma0", "wvc_lat", "azimuth")


def _is_knmi_l2(h: Any) -> bool:
    return h.has("wvc_quality_flag", "model_speed") and not h.has("wvc_selection")


def _is_l2b(h: Any) -> bool:
    return h.has("wind_dir_selection", "num_ambigs", "model_speed")


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
    readers=(
        ProductReader("scat_l1b", "fcspace.cfosat.scat.io:open_l1b", _is_l1b),
        ProductReader("knmi_l2", "fcspace.cfosat.scat.io:open_knmi_l2", _is_knmi_l2),
        ProductReader("scat_l2b", "fcspace.cfosat.scat.io:open_l2b", _is_l2b),
    ),
)
