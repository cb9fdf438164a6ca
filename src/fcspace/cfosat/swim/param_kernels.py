"""Compiled one-pass kernels of the SWIM wave parameters (Hs, peak, 180 deg symmetry).

One pass over each slope spectrum ``pp`` (nk, n_phi) gives its completeness, the sign check,
``m0 = sum(pp dk / k) dphi`` (``Hs = 4 sqrt(m0)``, the SWIM L2P rule, see
:mod:`fcspace.cfosat.swim.spectra`) and the position of the 2-D maximum; the peak is then the
``pp``-weighted centroid over +-``half_window`` bins around that maximum (k clipped at the
grid edges, phi periodic) with the direction as half the argument of ``<exp(2 i phi)>`` (the
axial, doubled-angle mean of directional statistics, Mardia & Jupp 2000, Sect. 9.3.2: a
spectrum known modulo 180 deg has a mean axis, not a mean direction). The 180 deg symmetry
test ``max |pp(phi) - pp(phi + 180)| <= 1e-6 max |pp|`` runs only when asked.

These are the loops of :func:`~fcspace.cfosat.swim.spectra.wave_params` and
:func:`~fcspace.cfosat.swim.spectra.peak_kernel`, compiled with Numba (single thread, float64);
the NumPy versions they replace made ~6 temporary copies of the spectra.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

SYMMETRY_TOLERANCE = 1e-6  # relative asymmetry under which a spectrum is 180 deg ambiguous


@njit(cache=True)
def _scan(sp: NDArray, wk: NDArray) -> tuple:  # pragma: no cover - compiled
    """Completeness, a finite negative value, ``sum(pp dk / k)`` and the flat argmax."""
    nk, nphi = sp.shape
    complete, negative = True, False
    m0, best, ib = 0.0, -np.inf, 0
    for i in range(nk):
        row = 0.0
        for j in range(nphi):
            v = sp[i, j]
            if not np.isfinite(v):
                complete = False
                continue
            negative |= v < 0.0
            row += v
            if v > best:
                best, ib = v, i * nphi + j
        m0 += row * wk[i]
    return complete, negative, m0, ib


@njit(cache=True)
def _symmetric(sp: NDArray) -> bool:  # pragma: no cover - compiled
    """``max |pp(phi) - pp(phi + 180)| <= 1e-6 max |pp|`` (NaN ignored, as ``np.nanmax``)."""
    nk, nphi = sp.shape
    half = nphi // 2
    asym, amax = 0.0, 0.0
    for i in range(nk):
        for j in range(nphi):
            a = abs(sp[i, j])
            if a == a:
                amax = max(amax, a)
            d = abs(sp[i, j] - sp[i, (j + half) % nphi])
            if d == d:
                asym = max(asym, d)
    return asym <= SYMMETRY_TOLERANCE * amax


@njit(cache=True)
def _peak(
    sp: NDArray, k: NDArray, cos2: NDArray, sin2: NDArray, ib: int, hw: int
) -> tuple:  # pragma: no cover - compiled
    """Peak wavelength (m) and direction (deg mod 180): centroid around flat index ``ib``."""
    nk, nphi = sp.shape
    i0, j0 = ib // nphi, ib % nphi
    wsum, ks, cs, ss = 0.0, 0.0, 0.0, 0.0
    for i in range(max(i0 - hw, 0), min(i0 + hw, nk - 1) + 1):
        for dj in range(-hw, hw + 1):
            j = (j0 + dj) % nphi
            w = sp[i, j]
            wsum += w
            ks += w * k[i]
            cs += w * cos2[j]
            ss += w * sin2[j]
    if not wsum > 0.0:
        return np.nan, np.nan
    return 2.0 * np.pi / (ks / wsum), (np.degrees(np.arctan2(ss, cs)) / 2.0) % 180.0


@njit(cache=True)
def params(
    pp: NDArray, k: NDArray, phi_deg: NDArray, hw: int, symmetry: int
) -> tuple:  # pragma: no cover - compiled
    """Hs, peak wavelength, peak direction, ambiguity, completeness of spectra (n, nk, n_phi).

    ``symmetry``: -1 test each spectrum, 0 / 1 the caller's answer for all. Parameters are
    NaN where a bin is missing. Also returns whether any finite density is negative.
    """
    n, nk, nphi = pp.shape
    dk = np.empty(nk)
    for i in range(nk):  # np.gradient: one-sided at the ends, centred inside
        lo, hi = max(i - 1, 0), min(i + 1, nk - 1)
        dk[i] = (k[hi] - k[lo]) / (hi - lo)
    wk = dk / k * (2.0 * np.pi / nphi)
    cos2, sin2 = np.cos(np.radians(2.0 * phi_deg)), np.sin(np.radians(2.0 * phi_deg))
    hs, wl, dr = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    ambiguous, complete = np.full(n, symmetry == 1), np.zeros(n, np.bool_)
    negative = False
    for s in range(n):
        sp = pp[s]
        ok, neg, m0, ib = _scan(sp, wk)
        negative |= neg
        complete[s] = ok
        if symmetry < 0:
            ambiguous[s] = _symmetric(sp)
        if ok:
            hs[s] = 4.0 * np.sqrt(m0)
            wl[s], dr[s] = _peak(sp, k, cos2, sin2, ib, hw)
    return hs, wl, dr, ambiguous, complete, negative


@njit(cache=True)
def peaks(
    pp: NDArray, k: NDArray, phi_deg: NDArray, hw: int
) -> tuple:  # pragma: no cover - compiled
    """Peak wavelength and direction of finite spectra (n, nk, n_phi); NaN without energy."""
    n, nk, nphi = pp.shape
    cos2, sin2 = np.cos(np.radians(2.0 * phi_deg)), np.sin(np.radians(2.0 * phi_deg))
    wl, dr = np.empty(n), np.empty(n)
    for s in range(n):
        sp = pp[s]
        best, ib = -np.inf, 0
        for i in range(nk):
            for j in range(nphi):
                if sp[i, j] > best:
                    best, ib = sp[i, j], i * nphi + j
        wl[s], dr[s] = _peak(sp, k, cos2, sin2, ib, hw)
    return wl, dr
