"""fcspace: science ground segment of the CNES-CNSA missions (CFOSat, SVOM, DORN, water cycle), SCO.

:data:`MISSIONS` lists the registration module of every mission (one line each, in the order the
``fcspace`` program, the demo and the report show them); see :mod:`fcspace.core.registry` and
CONTRIBUTING.md. The mission packages :mod:`~fcspace.cfosat`, :mod:`~fcspace.svom`,
:mod:`~fcspace.dorn`, :mod:`~fcspace.sco` and :mod:`~fcspace.watercycle`, and the
mission-neutral :mod:`~fcspace.core`, are attributes imported on first use
(``import fcspace; fcspace.cfosat.scat.open_l2b(path)``); the public API, one line per name, is
docs/api.md.
"""

from fcspace.core.lazy import lazy_exports

__version__ = "0.1.0"

#: The ``mission.py`` module of each mission; each defines ``MISSION`` (a registry ``Mission``).
MISSIONS = (
    "fcspace.cfosat.scat.mission",
    "fcspace.cfosat.swim.mission",
    "fcspace.svom.mission",
    "fcspace.dorn.mission",
    "fcspace.watercycle.mission",
    "fcspace.sco.mission",
)

__getattr__, __dir__, _lazy_all = lazy_exports(
    __name__,
    {
        "cfosat": "cfosat",
        "svom": "svom",
        "dorn": "dorn",
        "sco": "sco",
        "watercycle": "watercycle",
        "core": "core",
    },
)
__all__ = ["MISSIONS", *_lazy_all]
