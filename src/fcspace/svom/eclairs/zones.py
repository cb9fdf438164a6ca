"""ECLAIRs count-rate trigger zones: the whole detection plane, its halves and its quadrants.

A burst in the partially coded field lights only the part of the detector that sees it through
the mask (the side shield stops the rest), while the background covers the whole plane; the
count-rate excess of such a burst is therefore larger in the zone it lights than over the
whole plane. The count-rate trigger tests every zone, band and timescale.

Zones are built from the four quadrants (one ``bincount`` per chunk of events), so the nine
zone light curves cost little more than the whole-plane one:

============  =========================  ============================================
name          pixels (y, z) of 80 x 80   quadrants summed (index ``2 * (y >= 40) + (z >= 40)``)
============  =========================  ============================================
``whole``     all                        0, 1, 2, 3
``y-``/``y+`` y < 40 / y >= 40           0, 1 / 2, 3
``z-``/``z+`` z < 40 / z >= 40           0, 2 / 1, 3
``q0``..``q3`` one quadrant              its own
============  =========================  ============================================

ASSUMPTION: the flight CRT monitors rates "on the detector plane and on sub-zones"
([Schanne2013]); the public descriptions found here do not list the zones, so the halves and
quadrants of the issue are used, as on Swift/BAT whose rate trigger tests combinations of
detector quadrants and halves ([Fenimore2004], [McLean2004]).

Sources
-------
- [Schanne2013] Schanne, S., et al. (2013). The ECLAIRs GRB trigger telescope on-board the
  future mission SVOM. arXiv:1307.1641.
- [Fenimore2004] Fenimore, E. E., et al. (2004). The trigger algorithm for the Burst Alert
  Telescope on Swift. AIP Conf. Proc. 727, 662.
- [McLean2004] McLean, K. M., et al. (2004). Setting the triggering threshold on Swift.
  AIP Conf. Proc. 727, 667.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from fcspace.core.errors import InputError

__all__ = [
    "ALL_ZONES",
    "ZONE_QUADRANTS",
    "check_zones",
    "quadrant_of",
    "zone_light_curves",
    "zone_masks",
]

ZONE_QUADRANTS: dict[str, tuple[int, ...]] = {
    "whole": (0, 1, 2, 3),
    "y-": (0, 1),
    "y+": (2, 3),
    "z-": (0, 2),
    "z+": (1, 3),
    "q0": (0,),
    "q1": (1,),
    "q2": (2,),
    "q3": (3,),
}
ALL_ZONES: tuple[str, ...] = tuple(ZONE_QUADRANTS)


def check_zones(zones: tuple[str, ...]) -> tuple[str, ...]:
    """Return ``zones`` after checking every name is known; InputError naming the bad one."""
    bad = [z for z in zones if z not in ZONE_QUADRANTS]
    if bad or not zones:
        raise InputError(f"unknown CRT zone(s) {bad}; known: {ALL_ZONES}", variable="crt_zones")
    return zones


def quadrant_of(y: NDArray, z: NDArray, n_pixels: int = 80) -> NDArray[np.int64]:
    """Quadrant index ``2 * (y >= n/2) + (z >= n/2)`` of pixel indices ``y``, ``z``."""
    h = n_pixels // 2
    return 2 * (np.asarray(y) >= h).astype(np.int64) + (np.asarray(z) >= h)


def zone_masks(zones: tuple[str, ...], n_pixels: int = 80) -> NDArray[np.bool_]:
    """Boolean pixel maps ``(len(zones), n, n)`` of the zones (see the module table)."""
    k = np.arange(n_pixels)
    q = quadrant_of(k[:, None], k[None, :], n_pixels)
    return np.stack([np.isin(q, ZONE_QUADRANTS[z]) for z in check_zones(zones)])


def zone_light_curves(
    quadrant_counts: NDArray, zones: tuple[str, ...], band_slices: list[slice]
) -> NDArray[np.float64]:
    """Light curves of every (zone, band), zone-major: row ``iz * n_bands + ib``.

    Parameters
    ----------
    quadrant_counts
        (n_bins, 4, n_energy) counts per base bin, quadrant and elementary energy bin.
    zones
        Zone names.
    band_slices
        Elementary-energy slice of each band.

    Returns
    -------
    numpy.ndarray
        (len(zones) * len(band_slices), n_bins).
    """
    qc = np.asarray(quadrant_counts, dtype=np.float64)
    if qc.ndim != 3 or qc.shape[1] != 4:
        raise InputError(f"quadrant counts must be (n, 4, n_energy), got {qc.shape}",
                         variable="counts")  # fmt: skip
    bands = np.stack([qc[:, :, s].sum(axis=2) for s in band_slices], axis=1)  # (n, nb, 4)
    rows = [bands[:, :, list(ZONE_QUADRANTS[z])].sum(axis=2).T for z in check_zones(zones)]
    return np.concatenate(rows, axis=0)
