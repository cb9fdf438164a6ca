"""SVOM (Space Variable Objects Monitor): the shared mission core and its instruments.

The core, shared by every instrument: :mod:`~.time` (SVOM mission elapsed time, an astropy
``svom_met`` time format, MET ↔ UTC), :mod:`~.events` (the one event-list layout, absolute MET
with GTIs and the pointing), :mod:`~.events_fits` (its one OGIP FITS form, read and written
for ECLAIRs and GRM alike), :mod:`~.frames` (one frame convention for the spacecraft and each
instrument, one conversion to the sky). Instruments:
:mod:`~fcspace.svom.eclairs` (coded-mask hard X-ray camera), :mod:`~fcspace.svom.grm`
(Gamma-Ray Monitor); :mod:`~fcspace.svom.alerts` reads and writes VOEvent and GCN JSON notices.
Names are imported on first use (:func:`fcspace.core.lazy.lazy_exports`).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # mission time
        "met_to_time": "time",
        "time_to_met": "time",
        "met_to_iso": "time",
        "iso_to_met": "time",
        "SVOM_MJDREF_TT": "time",
        # event lists
        "check_events": "events",
        "read_event_list": "events_fits",
        "read_l1_events": "l1_fits",
        "write_l1_events": "l1_fits",
        "read_attitude": "attitude_io",
        "write_attitude": "attitude_io",
        "read_orbit": "attitude_io",
        "write_orbit": "attitude_io",
        "SvomOrbit": "orbit",
        "b1_attitude": "orbit",
        "write_event_list": "events_fits",
        # frames
        "Attitude": "frames",
        "instrument_to_radec": "frames",
        "radec_to_instrument": "frames",
        # modules and instruments
        "time": "time",
        "events": "events",
        "events_fits": "events_fits",
        "frames": "frames",
        "eclairs": "eclairs",
        "grm": "grm",
        "alerts": "alerts",
    },
)
