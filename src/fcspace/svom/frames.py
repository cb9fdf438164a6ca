"""SVOM frames: one convention for the spacecraft and each instrument, one conversion to the sky.

Spacecraft frame (the one frame of ``fcspace.svom``; the SVOM notices give ``Attitude_Ra``,
``Attitude_Dec`` and ``Attitude_Roll`` in degrees but do not define the roll reference):

* **+Z is the pointing axis** (the ECLAIRs boresight, shared by MXT and VT), pointing at
  (RA, Dec) = (``Attitude_Ra``, ``Attitude_Dec``), as the GCN core ``Pointing`` schema describes
  the pointing ("RA/Dec pointing of the instrument Z axis", "roll of the instrument about its Z
  axis");
* the **roll** ψ is the position angle of **+X** on the sky at the boresight, measured from
  celestial north through east (IAU position-angle sense): ``X = cos ψ · N + sin ψ · E`` with
  N and E the local north and east unit vectors at the boresight; ``Y = Z × X`` completes a
  right-handed frame;
* a direction is (θ, φ): θ the off-axis angle from +Z (0° on axis, 90° perpendicular to the
  boresight), φ the azimuth about +Z from +X towards +Y, in [0°, 360°); its unit vector is
  :func:`direction_vector`.

With this convention θ = 0 maps to the pointing whatever φ and roll; at roll = 0 the
direction (θ, φ = 0°) lies due north of the boresight and (θ, φ = 90°) due west (the frame
is right-handed with +Z towards the sky). It equals astropy's
``SkyOffsetFrame(origin=pointing, rotation=roll)`` with X = offset +lat, Y = offset −lon,
Z = offset +x (checked in the tests).

Instruments in this frame
-------------------------
* **ECLAIRs** keeps its detector layout (``docs/eclairs_layout.md``): boresight along its own
  +X, detector in its (Y, Z) plane, φ from its +Y towards its +Z. That is the spacecraft frame
  under the axis mapping ECLAIRs (X, Y, Z) -> spacecraft (Z, X, Y) (:data:`ECLAIRS_AXES`), so an
  ECLAIRs (θ, φ) *is* a spacecraft (θ, φ) and goes to the sky unchanged.
* **GRM** detector normals are spacecraft directions: tilted ``GRM.tilt_deg`` (30°) from +Z at
  azimuths ``GRM.azimuth_deg`` (120° apart), :attr:`GrmInstrument.detector_axes`.

References
----------
GCN notice core schema, ``gcn/notices/core/Pointing.schema.json`` (nasa-gcn/gcn-schema).
Calabretta & Greisen (2002), A&A 395, 1077, §2 (spherical rotations, native/celestial).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ECLAIRS_AXES",
    "Attitude",
    "attitude_matrix",
    "direction_angles",
    "direction_vector",
    "eclairs_to_spacecraft",
    "instrument_to_radec",
    "radec_to_instrument",
]

#: Rows: the ECLAIRs layout axes X (boresight), Y, Z expressed in the spacecraft frame.
ECLAIRS_AXES: NDArray[np.float64] = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@dataclass(frozen=True)
class Attitude:
    """Pointing: RA, Dec of the spacecraft +Z axis and roll (deg), convention of this module."""

    ra: float = 0.0
    dec: float = 0.0
    roll: float = 0.0


def direction_vector(theta_deg: ArrayLike, phi_deg: ArrayLike) -> NDArray[np.float64]:
    """Unit vector(s) ``(..., 3)`` of spherical angles (theta from +Z, phi from +X)."""
    th, ph = np.deg2rad(np.asarray(theta_deg, float)), np.deg2rad(np.asarray(phi_deg, float))
    return np.stack([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)], axis=-1)


def direction_angles(vector: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(θ, φ) in degrees of vector(s) ``(..., 3)`` (inverse of :func:`direction_vector`)."""
    v = np.asarray(vector, float)
    theta = np.degrees(np.arctan2(np.hypot(v[..., 0], v[..., 1]), v[..., 2]))
    return theta, np.degrees(np.arctan2(v[..., 1], v[..., 0])) % 360.0


def eclairs_to_spacecraft(vector: ArrayLike) -> NDArray[np.float64]:
    """Spacecraft components of vector(s) ``(..., 3)`` given in the ECLAIRs layout frame."""
    return np.asarray(vector, float) @ ECLAIRS_AXES

def _unit(ra_rad: NDArray, dec_rad: NDArray) -> NDArray:
    """Unit vectors (…, 3) of equatorial directions (radians)."""
    cd = np.cos(dec_rad)
    return np.stack([cd * np.cos(ra_rad), cd * np.sin(ra_rad), np.sin(dec_rad)], axis=-1)


def attitude_matrix(ra: float, dec: float, roll: float) -> NDArray[np.float64]:
    """Rotation matrix whose rows are the instrument X, Y, Z axes in ICRS (degrees in).

    Parameters
    ----------
    ra, dec
        Boresight (+Z) right ascension and declination [deg].
    roll
        Position angle of the instrument +X axis at the boresight, north through east [deg].

    Returns
    -------
    numpy.ndarray
        (3, 3) orthonormal matrix ``M``; ``M @ v_icrs`` gives instrument components.
    """
    a, d, r = np.radians([ra, dec, roll])
    z = _unit(a, d)
    north = np.array([-np.sin(d) * np.cos(a), -np.sin(d) * np.sin(a), np.cos(d)])
    east = np.array([-np.sin(a), np.cos(a), 0.0])
    x = np.cos(r) * north + np.sin(r) * east
    y = np.cross(z, x)
    return np.stack([x, y, z])


def radec_to_instrument(
    ra: ArrayLike, dec: ArrayLike, att_ra: float, att_dec: float, att_roll: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sky direction(s) → instrument off-axis angle θ and azimuth φ [deg].

    See the module docstring for the frame convention.

    Parameters
    ----------
    ra, dec
        ICRS direction(s) [deg].
    att_ra, att_dec, att_roll
        Pointing of the instrument +Z axis and roll [deg].

    Returns
    -------
    theta, phi
        θ in [0, 180] and φ in [0, 360) [deg].
    """
    a, d = np.radians(np.broadcast_arrays(np.asarray(ra, float), np.asarray(dec, float)))
    v = _unit(a, d)
    local = v @ attitude_matrix(att_ra, att_dec, att_roll).T
    theta = np.degrees(np.arctan2(np.hypot(local[..., 0], local[..., 1]), local[..., 2]))
    phi = np.degrees(np.arctan2(local[..., 1], local[..., 0])) % 360.0
    return theta, phi


def instrument_to_radec(
    theta: ArrayLike, phi: ArrayLike, att_ra: float, att_dec: float, att_roll: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Instrument direction(s) (θ, φ) [deg] → ICRS (RA in [0, 360), Dec) [deg].

    Inverse of :func:`radec_to_instrument` (module docstring gives the convention).
    """
    t, p = np.radians(np.broadcast_arrays(np.asarray(theta, float), np.asarray(phi, float)))
    local = np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1)
    v = local @ attitude_matrix(att_ra, att_dec, att_roll)
    ra = np.degrees(np.arctan2(v[..., 1], v[..., 0])) % 360.0
    dec = np.degrees(np.arcsin(np.clip(v[..., 2], -1.0, 1.0)))
    return ra, dec
