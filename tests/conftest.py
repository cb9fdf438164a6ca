"""Shared fixtures: where the real instrument files live, and a skip when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from fcspace.testing.data import shared_file

# CI runs are reproducible (derandomised); no deadlines on a loaded 2-core machine.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED_DATA = shared_file()
SCAT_L2B = (
    SHARED_DATA / "cfosat/scat_l2b/CFO_EXPR_SCA_C_L2B_OR_20210801T030812_15259_250_33_owv.nc"
)
ASCAT_L2 = (
    SHARED_DATA / "cfosat/ascat_l2/ascat_20210705_000600_metopc_13795_eps_o_250_3203_ovw.l2.nc"
)
GMF_DIR = SHARED_DATA / "cfosat/gmf"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared/data is absent on this machine)")
    return path


@pytest.fixture
def scat_l2b_path() -> Path:
    """The real NSOAS CFOSat SCAT L2B orbit 15259 in ../shared/data (skips when absent)."""
    return _need(SCAT_L2B)


@pytest.fixture
def ascat_l2_path() -> Path:
    """The real KNMI ASCAT-C L2 25 km product in ../shared/data (skips when absent)."""
    return _need(ASCAT_L2)


@pytest.fixture
def gmf_dir() -> Path:
    """Folder of the raw GMF tables in ../shared/data (skips when absent)."""
    return _need(GMF_DIR)
