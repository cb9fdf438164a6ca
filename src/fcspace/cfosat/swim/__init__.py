"""CFOSat SWIM: Ku-band wave spectrometer, nadir waveforms and off-nadir spectra to L2 waves.

Modules: :mod:`~.instrument` (constants, beams), :mod:`~.truth` and :mod:`~.simulate` (truth
wave spectra, simulated L1), :mod:`~.nadir` and :mod:`~.retrack` (Brown-Hayne waveform,
retrackers, SWH and wind speed), :mod:`~.modulation` (spectrum ↔ modulation periodograms),
:mod:`~.spectra` (wave parameters, partitions, wavespectra), :mod:`~.process` (the L1 → L2
chain), :mod:`~.boxes` (L2 box centres and bounds), :mod:`~.validate` (scores against truth),
:mod:`~.quicklook` (figures), :mod:`~.io` (every file access: fcspace L1, the full L2 in the
CNES layout of :mod:`~.cnes_l2` or fcspace's previous one, AVISO L2P). Physics:
docs/swim_layout.md. Names are imported on first use (``from fcspace.cfosat import swim;
swim.open_swim(path)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "CFOSAT_SWIM": "instrument",
        "SwimInstrument": "instrument",
        # readers and writers
        "open_l1": "io",
        "open_l2": "io",
        "open_l2p": "io",
        "open_swim": "io",
        "write_l1": "io",
        "write_l2": "io",
        # simulators
        "simulate_orbit_segment": "simulate",
        "box_bounds": "boxes",
        # retrieval
        "l1_to_l2": "process",
        "process_file": "process",
        "wave_params": "spectra",
        "partition": "spectra",
        "to_wavespectra": "spectra",
        # validation
        "validate_against_truth": "validate",
        # modules
        "instrument": "instrument",
        "io": "io",
        "truth": "truth",
        "simulate": "simulate",
        "nadir": "nadir",
        "retrack": "retrack",
        "modulation": "modulation",
        "spectra": "spectra",
        "process": "process",
        "validate": "validate",
        "quicklook": "quicklook",
        "boxes": "boxes",
        "cnes_l2": "cnes_l2",
    },
)
