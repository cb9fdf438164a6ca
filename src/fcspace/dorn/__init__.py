"""Chang'e-6 DORN (Detection of Outgassing RadoN): lunar radon, from regolith to alpha spectra.

Modules: :mod:`~.instrument` (constants and geometry), :mod:`~.nuclides` and :mod:`~.decay`
(nuclear data, Bateman decay chains), :mod:`~.moon` and :mod:`~.thermal` (lunar constants,
surface and regolith temperatures), :mod:`~.regolith` (emanation, diffusion, adsorption,
exhalation), :mod:`~.exosphere` and :mod:`~.hops` (Monte Carlo of the radon exosphere),
:mod:`~.detector` and :mod:`~.spectrum` (detector response, simulated spectra), :mod:`~.day`
(a simulated lunar day), :mod:`~.fit` and :mod:`~.invert` (spectrum fits, flux and adsorption
heat), :mod:`~.quicklook` (figures), :mod:`~.io` (every file access: spectra and fits). Names
are imported on first use (``from fcspace import dorn; dorn.open_dorn(path)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "DORN": "instrument",
        "DornInstrument": "instrument",
        # readers and writers
        "open_spectra": "io",
        "open_fits": "io",
        "open_dorn": "io",
        "write_spectra": "io",
        "write_fits": "io",
        "SPECTRA_RULES": "io",
        "FITS_RULES": "io",
        # simulators
        "simulate_day": "day",
        "DayConfig": "day",
        "simulate_spectrum": "spectrum",
        # fit and inversion
        "fit_spectrum": "fit",
        "fit_day": "invert",
        "invert_day": "invert",
        "SiteModel": "invert",
        # physics
        "NUCLIDES": "nuclides",
        "chain": "decay",
        "decay_matrix": "decay",
        "atoms": "decay",
        "activities": "decay",
        "surface_temperature": "thermal",
        "subsurface_temperature": "thermal",
        "RegolithRadon": "regolith",
        "exhalation_flux": "regolith",
        "steady_state": "regolith",
        "MOON": "moon",
        "CHANGE6_SITE": "moon",
        # figures
        "spectrum_figure": "quicklook",
        "activity_figure": "quicklook",
        "radon_map_figure": "quicklook",
        # modules
        "instrument": "instrument",
        "io": "io",
        "nuclides": "nuclides",
        "decay": "decay",
        "moon": "moon",
        "thermal": "thermal",
        "regolith": "regolith",
        "exosphere": "exosphere",
        "detector": "detector",
        "spectrum": "spectrum",
        "day": "day",
        "fit": "fit",
        "invert": "invert",
        "quicklook": "quicklook",
    },
)
