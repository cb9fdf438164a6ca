"""fcspace: science ground segment of the CNES-CNSA missions (CFOSat, SVOM, DORN) and the SCO.

:data:`MISSIONS` lists the registration module of every mission (one line each, in the order the
``fcspace`` program, the demo and the report show them); see :mod:`fcspace.core.registry` and
CONTRIBUTING.md.
"""

__version__ = "0.1.0"

#: The ``mission.py`` module of each mission; each defines ``MISSION`` (a registry ``Mission``).
MISSIONS = (
    "fcspace.cfosat.scat.mission",
    "fcspace.cfosat.swim.mission",
    "fcspace.svom.mission",
    "fcspace.dorn.mission",
    "fcspace.sco.mission",
)
