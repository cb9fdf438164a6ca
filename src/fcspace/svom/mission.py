"""SVOM's registration (ECLAIRs, GRM, alerts): its CLI, demo section and report hooks."""

from __future__ import annotations

from fcspace.core.registry import ImageGroup, Mission, ReportHooks

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
)
