"""SVOM GRM (Gamma-Ray Monitor): three gamma-ray detectors (GRDs), events to triggers, positions.

Modules: :mod:`~.instrument` (constants, geometry, response of the three GRDs),
:mod:`~.simulate` (a burst plus background, with truth), :mod:`~.trigger` (rate trigger, GRM
and Fermi GBM settings), :mod:`~.localize` (coarse position from the count ratios among the
GRDs), :mod:`~.quicklook` (light curves), :mod:`~.io` (every file access: GRM event lists, Fermi
GBM TTE). Names are imported on first use (``from fcspace.svom import grm;
grm.read_gbm_tte(path)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "GRM": "instrument",
        "GrmInstrument": "instrument",
        # readers and writers
        "read_events": "io",
        "write_events": "io",
        "read_gbm_tte": "io",
        "read_event_arrays": "io",
        "EventArrays": "io",
        # simulators
        "simulate_events": "simulate",
        "GrbTruth": "simulate",
        # triggers and localisation
        "run_trigger": "trigger",
        "TriggerConfig": "trigger",
        "GRM_CONFIG": "trigger",
        "GBM_CONFIG": "trigger",
        "localize_trigger": "localize",
        "localize_counts": "localize",
        # figures
        "plot_lightcurve": "quicklook",
        "localize_skymap": "skymap",
        "GrmSkyMap": "skymap",
        "write_skymap": "skymap_fits",
        "read_skymap": "skymap_fits",
        "skymap_of_trigger": "notice",
        "grm_alert": "notice",
        "write_localization": "notice",
        "plot_skymap": "quicklook",
        # modules
        "instrument": "instrument",
        "io": "io",
        "simulate": "simulate",
        "trigger": "trigger",
        "localize": "localize",
        "quicklook": "quicklook",
    },
)
