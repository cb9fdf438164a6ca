"""SVOM's registration (ECLAIRs, GRM, alerts): its CLI, demo section and report hooks."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py).
def _is_grm_events(h: Any) -> bool:
    return h.has("energy", "detector", "gti_start") and h.has_dims("event")


MISSION = Mission(
    name="svom",
    title="SVOM: ECLAIRs coded-mask imaging, GRM gamma-ray monitor, alerts",
    commands={
        "eclairs": (
            "fcspace.svom.eclairs.cli:app",
            "SVOM ECLAIRs: coded-mask imaging and triggers.",
        ),
        "grm": (
            "fcspace.svom.grm.cli:app",
            "SVOM GRM: gamma-ray monitor simulation and triggers.",
        ),
        "alert": (
            "fcspace.svom.alert_cli:app",
            "SVOM alerts: read and make VOEvent / GCN JSON.",
        ),
    },
    demo="fcspace.svom.demo",
    report=ReportHooks(
        section_title="SVOM: ECLAIRs and GRM",
        image_groups=(
            ImageGroup("eclairs", "SVOM ECLAIRs", ("eclairs_",)),
            ImageGroup("grm", "SVOM GRM", ("grm_",)),
            ImageGroup("gbm", "Fermi GBM (reference)", ("gbm_",)),
        ),
    ),
    readers=(
        ProductReader("grm_events", "fcspace.svom.grm.io:read_events", _is_grm_events),
    ),
)
