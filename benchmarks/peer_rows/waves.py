"""Peer row: SWIM wave parameters of 100k spectra (32 k x 24 phi), fcspace vs wavespectra.

The stack: 64 JONSWAP swells and wind seas of ``fcspace.cfosat.swim.truth`` (Hs 0.5-4 m,
80-450 m, any direction, made 180 deg-symmetric as SWIM's L2P ``pp_mean``), each of the 100k
spectra one of them times a random level and a speckle pattern (gamma, 8 looks, symmetric).
fcspace: ``wave_params(ds, symmetric=True)`` (Hs, peak wavelength and axial peak direction;
Tp from the peak wavelength by deep-water dispersion). wavespectra: the same spectra through
``to_wavespectra`` (not timed), then ``efth.spec.hs(tail=False)``, ``.tp()``, ``.dpm()``.
Agreement, checked first: Hs identical to 1e-10 relative (same discrete energy). Tp differs
by definition (1-D frequency peak with a parabolic fit vs the 2-D peak centroid: median
difference reported), and ``dpm`` is meaningless on 180 deg-symmetric spectra: the length of
the vector sum at the peak frequency over its energy is reported (round-off, ~1e-16).
"""

from __future__ import annotations

import numpy as np

from peer_rows._timing import alternate, result, stats

ROW = "wave parameters, 100k spectra 32x24"
GOAL = ">= 1.5x"
N_SPECTRA = 100_000
REL = 1e-10


def stack(n: int = N_SPECTRA, seed: int = 0):
    """SWIM-like L2P Dataset of ``n`` symmetric slope spectra (n_box, nk, n_phi)."""
    import xarray as xr

    from fcspace.cfosat.swim import truth

    k, phi = truth.PRODUCT_K, truth.PRODUCT_PHI_DEG
    rng = np.random.default_rng(seed)
    base = np.stack([
        truth.wave_system_kphi(rng.uniform(0.5, 4.0), rng.uniform(80.0, 450.0),
                               rng.uniform(0.0, 360.0), gamma=3.3, s=20.0) * k[:, None]
        for _ in range(64)
    ])  # fmt: skip
    base = 0.5 * (base + np.roll(base, phi.size // 2, axis=-1))
    speckle = rng.gamma(8.0, 1.0 / 8.0, (997, k.size, phi.size // 2))
    speckle = np.concatenate([speckle, speckle], axis=-1)
    pp = base[rng.integers(0, 64, n)]
    pp *= speckle[rng.integers(0, 997, n)]
    pp *= rng.uniform(0.5, 2.0, (n, 1, 1))
    return xr.Dataset({"pp_mean": (("n_box", "nk", "n_phi"), pp),
                       "k_spectra": ("nk", k), "phi_vector": ("n_phi", phi)})  # fmt: skip


def run(repeats: int = 5) -> dict:
    """Agreement first, then both sides alternated ``repeats`` times (CPU time)."""
    import wavespectra  # noqa: F401  (registers the .spec accessor)

    from fcspace.cfosat.swim import spectra, truth

    ds = stack()
    efth = spectra.to_wavespectra(ds)

    def ours() -> tuple:
        wp = spectra.wave_params(ds, symmetric=True)
        tp = np.sqrt(2.0 * np.pi * wp["peak_wavelength"].values / truth.G)
        return wp["hs"].values, tp, wp["peak_direction"].values

    def peer() -> tuple:
        s = efth.spec
        return s.hs(tail=False).values, s.tp().values, s.dpm().values

    (hs, tp, _), (hs_ws, tp_ws, _) = ours(), peer()
    rel = float(np.max(np.abs(hs_ws / hs - 1.0)))
    tp_rel = float(np.median(np.abs(tp_ws / tp - 1.0)))
    e = efth.isel(n_box=slice(0, 1000))
    fp = e.spec.oned().argmax("freq")
    at_peak = e.isel(freq=fp)
    theta = np.deg2rad(at_peak["dir"])
    resultant = np.hypot((at_peak * np.cos(theta)).sum("dir"), (at_peak * np.sin(theta)).sum("dir"))
    dpm_len = float((resultant / at_peak.sum("dir")).max())
    agree = rel <= REL and np.isfinite(hs).all()
    a, b = alternate(ours, peer, repeats)
    return result(
        ROW, GOAL,
        stats(a, "fcspace wave_params(symmetric=True) Hs + peak wavelength (Tp) + axial "
                 "peak direction"),
        stats(b, f"wavespectra {wavespectra.__version__} spec.hs(tail=False) + tp() + dpm()"),
        agree,
        f"Hs max rel diff {rel:.1e} (limit {REL:g}); Tp median rel diff {tp_rel:.1%} "
        f"(1-D peak vs 2-D peak centroid); dpm meaningless on 180-deg-symmetric spectra "
        f"(vector sum / energy at the peak <= {dpm_len:.0e})",
    )  # fmt: skip
