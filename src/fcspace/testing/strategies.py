"""Hypothesis strategies for the physical inputs of fcspace: winds, wave spectra, sky, events.

Each strategy draws values that are physically valid and inside the ranges the code accepts,
with the sizes kept small (property tests run thousands of examples). Ranges come from the
instrument modules, never from numbers written here, except the generic physical bounds
stated at each strategy. hypothesis is a test extra: it is imported inside each function.

Sources
-------
- MacIver, D. R., Hatfield-Dodds, Z., et al. (2019). Hypothesis: A new approach to
  property-based testing. JOSS 4(43), 1891 (``hypothesis.extra.numpy.arrays``, ``composite``).
- Uniform points on the sphere: longitude uniform, sine of latitude uniform (Archimedes'
  hat-box theorem; e.g. Marsaglia, G. (1972). Ann. Math. Stat. 43, 645-646).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["event_lists", "sky_positions", "wave_spectra", "winds"]


def _floats(lo: float, hi: float, **kw: Any) -> Any:
    from hypothesis import strategies as st

    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, **kw)


def winds(max_size: int = 50, max_speed: float = 50.0) -> Any:
    """Wind vectors: ``(speed, direction)`` float64 arrays of one shape (1..max_size).

    Speed in m/s in ``[0, max_speed]`` (50 m/s covers the strongest tropical cyclones seen by
    scatterometers), direction in degrees in ``[0, 360)``.
    """
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    @st.composite
    def draw(d: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
        n = d(st.integers(1, max_size))
        speed = d(hnp.arrays(np.float64, n, elements=_floats(0.0, max_speed)))
        direction = d(hnp.arrays(np.float64, n, elements=_floats(0.0, 360.0, exclude_max=True)))
        return speed, direction

    return draw()


def wave_spectra(max_k: int = 8, max_phi: int = 12) -> Any:
    """Wave spectra on ``(k, phi)`` grids: ``(k, phi_deg, energy)`` with ``energy`` > 0.

    ``k`` (rad/m) log-spaced, strictly increasing, inside the SWIM grid's span
    (`fcspace.cfosat.swim.instrument.CFOSAT_SWIM.k_spectra`); ``phi_deg`` evenly spaced
    bin centres over the full circle, starting in ``[0, 360 / n_phi)``; ``energy``
    (m^4, shape (n_k, n_phi)) finite and strictly positive.
    """
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    from fcspace.cfosat.swim.instrument import CFOSAT_SWIM

    k_lo, k_hi = float(np.min(CFOSAT_SWIM.k_spectra)), float(np.max(CFOSAT_SWIM.k_spectra))

    @st.composite
    def draw(d: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        nk, nphi = d(st.integers(2, max_k)), d(st.integers(4, max_phi))
        first, last = d(_floats(0.0, 0.4)), d(_floats(0.6, 1.0))  # sub-span, log scale
        k = np.clip(k_lo * (k_hi / k_lo) ** np.linspace(first, last, nk), k_lo, k_hi)
        step = 360.0 / nphi
        phi = d(_floats(0.0, step, exclude_max=True)) + step * np.arange(nphi)
        phi = phi[phi < 360.0] if phi[-1] >= 360.0 else phi  # a start of step - 1 ulp rounds up
        if phi.size < nphi:  # keep nphi centres: start the grid at 0 instead
            phi = step * np.arange(nphi)
        energy = d(hnp.arrays(np.float64, (nk, nphi), elements=_floats(1e-6, 1e3)))
        return k, phi, energy

    return draw()


def sky_positions(max_size: int = 50) -> Any:
    """Sky positions ``(ra, dec)`` in degrees, uniform on the sphere, 1..max_size of them.

    RA in ``[0, 360)``; Dec ``= asin(u)`` with ``u`` uniform in ``[-1, 1]``, so in
    ``[-90, 90]`` with equal probability per solid angle.
    """
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    @st.composite
    def draw(d: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
        n = d(st.integers(1, max_size))
        ra = d(hnp.arrays(np.float64, n, elements=_floats(0.0, 360.0, exclude_max=True)))
        u = d(hnp.arrays(np.float64, n, elements=_floats(-1.0, 1.0)))
        return ra, np.degrees(np.arcsin(u))

    return draw()


def _instrument(name: str) -> Any:
    """The constants of ``ECLAIRs`` or ``GRM`` (`fcspace.svom.*.instrument`)."""
    if name == "ECLAIRs":
        from fcspace.svom.eclairs.instrument import ECLAIRS

        return ECLAIRS
    if name == "GRM":
        from fcspace.svom.grm.instrument import GRM

        return GRM
    raise ValueError(f"instrument must be 'ECLAIRs' or 'GRM', got {name!r}")


def _columns(name: str, inst: Any, n: int, d: Any) -> dict[str, np.ndarray]:
    """Pixel or detector/channel columns and energies of ``n`` events, in the instrument's ranges.

    GRM channels are those of the energies (`GrmInstrument.channel_edges_kev`), so that the
    two columns agree.
    """
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    lo, hi = float(inst.energy_min_kev), float(inst.energy_max_kev)
    energy = d(hnp.arrays(np.float64, n, elements=_floats(lo, hi))).astype(np.float32)
    energy = np.clip(energy, np.float32(lo), np.float32(hi))
    if name == "ECLAIRs":
        pixels = hnp.arrays(np.int16, n, elements=st.integers(0, inst.n_pixels - 1))
        return {"y": d(pixels), "z": d(pixels), "energy": energy}
    detectors = hnp.arrays(np.int16, n, elements=st.integers(0, inst.n_detectors - 1))
    edges = inst.channel_edges_kev
    channel = np.clip(np.searchsorted(edges, energy, side="right") - 1, 0, inst.n_channels - 1)
    return {"detector": d(detectors), "channel": channel.astype(np.int16), "energy": energy}


def event_lists(instrument: str = "ECLAIRs", max_events: int = 200) -> Any:
    """SVOM event lists (`fcspace.svom.events` layout) of ``ECLAIRs`` or ``GRM``, 0..max_events.

    ``time``: absolute MET (s), sorted, inside one good time interval ``[met_start,
    met_start + exposure]`` with ``met_start`` in ``[0, 3e8]`` s (~10 years after the SVOM
    epoch) and ``exposure`` in ``[1, 1000]`` s; ECLAIRs ``y``, ``z`` in ``[0, n_pixels)``; GRM
    ``detector`` in ``[0, n_detectors)``, ``channel`` in ``[0, n_channels)``; ``energy``
    (keV) in the instrument's band. Attributes: ``instrument``, ``mjdref_tt``, ``met_start``,
    ``exposure``.
    """
    import xarray as xr
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    inst = _instrument(instrument)

    @st.composite
    def draw(d: st.DrawFn) -> xr.Dataset:
        n = d(st.integers(0, max_events))
        t0, exposure = d(_floats(0.0, 3e8)), d(_floats(1.0, 1000.0))
        offsets = np.sort(d(hnp.arrays(np.float64, n, elements=_floats(0.0, exposure))))
        data: dict[str, Any] = {"time": ("event", t0 + offsets, {"units": "s"})}
        data |= {k: ("event", v) for k, v in _columns(instrument, inst, n, d).items()}
        data["gti_start"] = ("gti", [t0], {"units": "s"})
        data["gti_stop"] = ("gti", [t0 + exposure], {"units": "s"})
        attrs = {"instrument": instrument, "mjdref_tt": float(inst.met_epoch_mjd_tt),
                 "met_start": t0, "exposure": exposure}  # fmt: skip
        return xr.Dataset(data, attrs=attrs)

    return draw()
