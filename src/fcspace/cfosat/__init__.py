"""CFOSat (China-France Oceanography Satellite, 2018): the platform, its two instruments, L3 grids.

:mod:`~fcspace.cfosat.platform` holds the orbit and ground track shared by
:mod:`~fcspace.cfosat.scat` (the Ku-band rotating fan-beam wind scatterometer) and
:mod:`~fcspace.cfosat.swim` (the Ku-band wave spectrometer), and by the SCO archive simulator;
:mod:`~fcspace.cfosat.grid` bins the L2 winds and waves of both instruments into L3 grids.
Names are imported on first use (:func:`fcspace.core.lazy.lazy_exports`), so
``from fcspace.cfosat import scat`` costs nothing until a function is called.
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "CFOSAT": "platform",
        "CfosatPlatform": "platform",
        "ground_track": "platform",
        "ground_track_heading": "platform",
        "cross_track_points": "platform",
        "platform": "platform",
        "scat": "scat",
        "swim": "swim",
        "grid": "grid",
    },
)
