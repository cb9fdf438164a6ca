"""Space Climate Observatory (SCO): climate indicators from CFOSat L3 grids, and a test archive.

Modules: :mod:`~.climate` (the known climate of the archive simulator), :mod:`~.archive` (N days
of simulated SCAT L2B and SWIM L2 files from that climate), :mod:`~.indicators` (climatology,
anomalies, percentiles, exceedance frequency, from a stack of L3 grids), :mod:`~.trend`
(Theil-Sen slope and Mann-Kendall test per grid cell), :mod:`~.io` (every file access of the
archive). The L3 grids themselves come from :mod:`fcspace.cfosat.grid`. Names are imported on
first use (``from fcspace import sco; sco.simulate_archive(...)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # archive simulation
        "simulate_archive": "archive",
        "ArchiveConfig": "archive",
        "Climate": "climate",
        # readers and writers
        "read_climate": "io",
        "write_archive_meta": "io",
        "write_orbit_file": "io",
        "open_indicators": "io",
        "write_indicators": "io",
        # indicators
        "compute_indicators": "indicators",
        "monthly_series": "indicators",
        "climatology": "indicators",
        "anomalies": "indicators",
        "percentiles": "indicators",
        "exceedance_frequency": "indicators",
        "area_mean": "indicators",
        "quicklooks": "indicators",
        # trends
        "mann_kendall": "trend",
        "theil_sen": "trend",
        "MKResult": "trend",
        # modules
        "climate": "climate",
        "archive": "archive",
        "io": "io",
        "indicators": "indicators",
        "trend": "trend",
    },
)
