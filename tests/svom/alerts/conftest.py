"""Fixtures of the SVOM alert tests: the real notices (skipped when absent) and a made alert."""

import pytest

from fcspace.svom.alerts import make_alert, read_voevent
from fcspace.testing.data import require_shared


@pytest.fixture(scope="module")
def real():
    """Every real SVOM notice in ../shared, read, by file name (skips when absent)."""
    notices = sorted(require_shared("svom/voevents").glob("*/*.xml"))
    if not notices:
        pytest.skip("real SVOM notices absent: svom/voevents is empty")
    return {p.name: read_voevent(p) for p in notices}


@pytest.fixture
def schema_dir():
    """The GCN SVOM JSON schema folder in ../shared (skips when absent)."""
    return require_shared("svom/gcn_schema_svom")


def _made(**kw):
    base = dict(
        ra=86.9755,
        dec=-0.4379,
        time="2026-02-11T19:24:23.604",
        snr=12.79,
        timescale_s=40.96,
        band_kev=(5.0, 20.0),
        attitude_ra=114.17,
        attitude_dec=22.7,
        attitude_roll=78.74,
    )
    return make_alert(**(base | kw))


@pytest.fixture
def made():
    """Maker of the ECLAIRs alert of notice eclairs_296 (keywords override its fields)."""
    return _made
