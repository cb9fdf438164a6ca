"""SVOM ECLAIRs: coded-mask hard X-ray camera (4-150 keV), photon events to triggers and positions.

Modules: :mod:`~.instrument` (constants, geometry, response), :mod:`~.mask` (self-supporting
mask patterns and their projection), :mod:`~.sources` and :mod:`~.simulate` (burst and
background models, photon events), :mod:`~.imaging` (shadowgram, background fit, FFT
deconvolution), :mod:`~.localize` (peak search, PSF fit, IROS, catalogue cross-match),
:mod:`~.rates`, :mod:`~.engine`, :mod:`~.trigger_config` and :mod:`~.trigger` (the count-rate
and image triggers), :mod:`~.quicklook` (sky image figure), :mod:`~.io` (every file access:
event lists through :mod:`fcspace.svom.events`, sky images). Physics: docs/eclairs_layout.md.
Names are imported on first use (``from fcspace.svom import eclairs; eclairs.read_events(p)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "ECLAIRS": "instrument",
        "EclairsInstrument": "instrument",
        "make_mask": "mask",
        "random_mask": "mask",
        # readers and writers
        "read_events": "io",
        "write_events": "io",
        "read_sky_image": "io",
        "write_sky_image": "io",
        # simulators
        "simulate_grb": "simulate",
        "Grb": "sources",
        "Pulse": "sources",
        "Background": "sources",
        # imaging and localisation
        "sky_image": "imaging",
        "shadowgram": "imaging",
        "SkyDecoder": "imaging",
        "SkyImage": "imaging",
        "Localisation": "localize",
        "iros": "localize",
        "crossmatch": "localize",
        # triggers
        "run_triggers": "trigger",
        "trigger_alert": "trigger",
        "TriggerConfig": "trigger_config",
        "DEFAULT_CONFIG": "trigger_config",
        "TriggerEngine": "engine",
        # figures
        "plot_sky_image": "quicklook",
        "fit_detector": "detector_fit",
        "DetectorFit": "detector_fit",
        "zone_masks": "zones",
        "background_rates": "earth_background",
        # modules
        "instrument": "instrument",
        "mask": "mask",
        "io": "io",
        "sources": "sources",
        "simulate": "simulate",
        "imaging": "imaging",
        "localize": "localize",
        "trigger": "trigger",
        "quicklook": "quicklook",
    },
)
