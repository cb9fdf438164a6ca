"""The water-cycle mission's registration: its CLI, demo section and report hooks."""

from __future__ import annotations

from typing import Any

from fcspace.core.registry import ImageGroup, Mission, ProductReader, ReportHooks


# Product recognition for ``xr.open_dataset(path, engine="fcspace")`` (core/xarray_backend.py).
def _is_smos_l2_sm(h: Any) -> bool:
    return h.has("Soil_Moisture", "Grid_Point_ID", "Latitude")


def _is_smap_l2b_sss(h: Any) -> bool:
    return h.has("smap_sss", "lat", "lon")


def _is_smap_l4_sm(h: Any) -> bool:
    return "Analysis_Data" in h.groups and h.has("cell_column")


def _is_water_product(h: Any) -> bool:
    return h.has("vis_real") or h.has("chi2", "n_looks", "flags", "lat", "lon")


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
    readers=(
        ProductReader("smos_l2_sm", "fcspace.watercycle.io:open_smos_l2_sm", _is_smos_l2_sm),
        ProductReader("smap_l2b_sss", "fcspace.watercycle.io:open_smap_l2b_sss",
                      _is_smap_l2b_sss),  # fmt: skip
        ProductReader("smap_l4_sm", "fcspace.watercycle.io:open_smap_l4_sm", _is_smap_l4_sm),
        ProductReader("water_product", "fcspace.watercycle.io:open_water_product",
                      _is_water_product),  # fmt: skip
    ),
)
