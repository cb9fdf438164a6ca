"""CFOSat SCAT (CSCAT): Ku-band rotating fan-beam scatterometer, L1B sigma0 to L2B winds.

Modules: :mod:`~.instrument` (constants, swath geometry), :mod:`~.gmf` (geophysical model
functions NSCAT-4DS and CMOD7), :mod:`~.scenes` and :mod:`~.simulate` (truth winds and
simulated L1B), :mod:`~.inversion` (maximum-likelihood wind ambiguities), :mod:`~.ambiguity`
(2DVAR ambiguity removal and baselines), :mod:`~.process` (the L1B → L2B chain),
:mod:`~.validate` (scores against truth, background or another product), :mod:`~.io` (every
file access: NSOAS and KNMI L2, fcspace L1B/L2B, reader chosen by content). Physics:
docs/scat.md. Names are imported on first use (``from fcspace.cfosat import scat;
scat.open_l2b(path)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "CFOSAT_SCAT": "instrument",
        "ScatInstrument": "instrument",
        "swath_views": "instrument",
        # readers and writers
        "open_l2b": "io",
        "open_knmi_l2": "io",
        "read_l2b_background": "io",
        "write_l2b": "io",
        "open_l1b": "io",
        "write_l1b": "io",
        "open_product": "io",
        # simulators
        "simulate_l1b": "simulate",
        "simulate_orbit_segment": "simulate",
        "scene_truth": "scenes",
        # retrieval
        "sigma0": "gmf",
        "load_table": "gmf",
        "invert": "inversion",
        "remove_ambiguities": "ambiguity",
        "TwoDVarSettings": "ambiguity",
        "TwoDVarResult": "ambiguity",
        "remove_ambiguities_with_report": "ambiguity",
        "two_dvar_solve": "ambiguity",
        "l1b_to_l2b": "process",
        "process_file": "process",
        # validation
        "validate_against_truth": "validate",
        "validate_against_background": "validate",
        "validate_against_product": "validate",
        "wind_scores": "validate",
        # modules
        "instrument": "instrument",
        "gmf": "gmf",
        "io": "io",
        "scenes": "scenes",
        "simulate": "simulate",
        "inversion": "inversion",
        "ambiguity": "ambiguity",
        "process": "process",
        "validate": "validate",
    },
)
