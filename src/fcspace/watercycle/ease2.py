"""EASE-Grid 2.0 global projection: Lambert cylindrical equal-area on the WGS84 ellipsoid.

The SMAP L4_SM grid (9 km global EASE-Grid 2.0, EPSG:6933) stores map coordinates x, y in
metres; :func:`ease2_inverse` gives their latitude and longitude, :func:`ease2_forward` the way
back. Pure NumPy, vectorised; degrees at the edges, radians inside.

References
----------
- Brodzik, Billingsley, Haran, Raup, Savoie (2012), EASE-Grid 2.0: incremental but significant
  improvements for Earth-gridded data sets, *ISPRS Int. J. Geo-Inf.* 1, 32-45
  (doi:10.3390/ijgi1010032); EPSG:6933.
- Snyder (1987), *Map Projections - A Working Manual*, USGS Prof. Paper 1395: cylindrical
  equal-area on the ellipsoid, eqs. 3-12, 3-16, 3-18, 10-13, 10-15, 10-16.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "EASE2_A_M",
    "EASE2_E",
    "EASE2_STANDARD_PARALLEL_DEG",
    "ease2_forward",
    "ease2_inverse",
    "ease2_parameters",
]

#: WGS84 semi-major axis (m) and eccentricity (1/f = 298.257223563), the ellipsoid of
#: EASE-Grid 2.0 (Brodzik et al. 2012, section 3; EPSG:6933); also stated by the L4 file.
EASE2_A_M = 6378137.0
EASE2_E = float(np.sqrt(2.0 / 298.257223563 - (1.0 / 298.257223563) ** 2))
#: Standard parallel of the global EASE-Grid 2.0 cylindrical projection (Brodzik et al. 2012).
EASE2_STANDARD_PARALLEL_DEG = 30.0


def _q(sin_phi: np.ndarray, e: float) -> np.ndarray:
    """Snyder (1987) eq. 3-12: q(φ) of the authalic latitude, from sin φ."""
    es = e * sin_phi
    return (1 - e**2) * (sin_phi / (1 - es**2) - np.log((1 - es) / (1 + es)) / (2 * e))


def _k0(e: float, standard_parallel_deg: float) -> float:
    """Snyder (1987) eq. 10-13: scale along the standard parallel, cos φs / √(1 - e² sin² φs)."""
    phs = np.radians(standard_parallel_deg)
    return float(np.cos(phs) / np.sqrt(1 - (e * np.sin(phs)) ** 2))


def ease2_forward(
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    a: float = EASE2_A_M,
    e: float = EASE2_E,
    standard_parallel_deg: float = EASE2_STANDARD_PARALLEL_DEG,
) -> tuple[np.ndarray, np.ndarray]:
    """EASE-Grid 2.0 global map coordinates (m) of latitude/longitude (degrees).

    Cylindrical equal-area on the ellipsoid, Snyder (1987) eqs. 10-15, 10-16:
    ``x = a k0 λ``, ``y = a q(φ) / (2 k0)`` with ``k0`` from eq. 10-13 (Brodzik et al. 2012).
    """
    k0 = _k0(e, standard_parallel_deg)
    lam = np.radians(np.asarray(lon_deg, dtype=np.float64))
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    return a * k0 * lam, a * _q(np.sin(phi), e) / (2 * k0)


def ease2_inverse(
    x_m: np.ndarray,
    y_m: np.ndarray,
    a: float = EASE2_A_M,
    e: float = EASE2_E,
    standard_parallel_deg: float = EASE2_STANDARD_PARALLEL_DEG,
) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (degrees) of EASE-Grid 2.0 global map coordinates (m).

    The authalic latitude β = asin(2 y k0 / (a q_p)) (Snyder 1987 eqs. 3-11, 10-17 rearranged)
    gives φ by the series of eq. 3-18 (terms to e⁶), then two Newton steps on q(φ) = 2 y k0 / a
    (dq/dφ = 2 (1 - e²) cos φ / (1 - e² sin² φ)², eq. 3-16 in derivative form) bring the
    round trip with :func:`ease2_forward` to rounding level. λ = x / (a k0).
    """
    k0 = _k0(e, standard_parallel_deg)
    q_target = 2 * k0 * np.asarray(y_m, dtype=np.float64) / a
    qp = _q(np.float64(1.0), e)
    beta = np.arcsin(np.clip(q_target / qp, -1.0, 1.0))
    e2, e4, e6 = e**2, e**4, e**6
    phi = (
        beta
        + (e2 / 3 + 31 * e4 / 180 + 517 * e6 / 5040) * np.sin(2 * beta)
        + (23 * e4 / 360 + 251 * e6 / 3780) * np.sin(4 * beta)
        + (761 * e6 / 45360) * np.sin(6 * beta)
    )
    for _ in range(2):
        s, c = np.sin(phi), np.cos(phi)
        dq = 2 * (1 - e2) * c / (1 - e2 * s**2) ** 2
        step = np.where(np.abs(c) > 1e-12, (q_target - _q(s, e)) / np.where(dq == 0, 1, dq), 0.0)
        phi = phi + step
    lon = np.degrees(np.asarray(x_m, dtype=np.float64) / (a * k0))
    return np.degrees(phi), lon


def ease2_parameters(grid_mapping: Mapping[str, Any]) -> tuple[float, float, float]:
    """(a in m, eccentricity, standard parallel in degrees) from CF grid-mapping attributes.

    Reads ``semi_major_axis``, ``inverse_flattening`` and ``standard_parallel`` (CF 1.8,
    appendix F, lambert_cylindrical_equal_area), as the SMAP L4 file's
    ``projection_information`` states them; each absent one takes its EPSG:6933 value.
    """
    a = float(np.asarray(grid_mapping.get("semi_major_axis", EASE2_A_M)))
    inv_f = float(np.asarray(grid_mapping.get("inverse_flattening", 298.257223563)))
    phs = float(np.asarray(grid_mapping.get("standard_parallel", EASE2_STANDARD_PARALLEL_DEG)))
    flat = 1.0 / inv_f
    return a, float(np.sqrt(2 * flat - flat**2)), phs
