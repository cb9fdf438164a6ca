"""Geometry of the SWIM L2 boxes: centre and latitude / longitude bounds of each box.

The L2 of CNES gives, for each box (``n_box``) and side of the track (``n_posneg``), the
position at mid-range (``lat_l2``, ``lon_l2``) and the bounds ``min_lat_l2``,
``max_lat_l2``, ``min_lon_l2``, ``max_lon_l2`` (names from public code reading the real L2,
see :mod:`fcspace.cfosat.swim.cnes_l2`). A box is ``box_size_m`` = 70 km across x 90 km
along track (Hauser et al. 2021, IEEE TGRS 59(1), 5-26), centred at the mid-range
``SPEC_CROSS_TRACK_M`` = 45 km from the track on each side; its four corners are reached from
the nadir box centre by great-circle destination points (Snyder 1987, Eq. 5-5, 5-6; via
:func:`fcspace.cfosat.platform.cross_track_points`): along the heading by +-45 km, then
across by 45 -+ 35 km. The bounds are the extremes of the four corners; longitudes are
unwrapped around the centre first, so a box across the antimeridian has min < max in a
continuous frame, then wrapped to [-180, 180) (min may then exceed max: the box crosses
180 deg).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from fcspace.cfosat.platform import cross_track_points
from fcspace.cfosat.swim import product_specs as ps
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM
from fcspace.core.geodesy import destination_point, wrap_longitude_deg

__all__ = ["SPEC_CROSS_TRACK_M", "box_bounds"]

#: Cross-track distance of the box centres (m): half of one side's 90 km swath.
SPEC_CROSS_TRACK_M = CFOSAT_SWIM.swath_width_m / 4.0


def box_bounds(
    lat_nadir: np.ndarray, lon_nadir: np.ndarray, heading_deg: np.ndarray
) -> dict[str, xr.DataArray]:
    """``lat_l2``, ``lon_l2`` and the min / max bounds (n_posneg, n_box) of every box.

    ``lat_nadir``, ``lon_nadir`` and ``heading_deg`` (n_box) are the nadir box centres and
    the track heading (degree clockwise from north); side 0 is right of the track, 1 left.
    """
    across, along = CFOSAT_SWIM.box_size_m
    lat0, lon0, head = (np.asarray(v, dtype=float)[None, :] for v in
                        (lat_nadir, lon_nadir, heading_deg))  # fmt: skip
    sign = np.array([1.0, -1.0])[:, None]
    lat_c, lon_c = cross_track_points(lat0, lon0, head, sign * SPEC_CROSS_TRACK_M)
    corner_lat, corner_lon = [], []
    for d_along in (-along / 2.0, along / 2.0):
        bearing = head + (180.0 if d_along < 0 else 0.0)
        radius = CFOSAT_SWIM.platform.earth_radius_m
        lat_a, lon_a = destination_point(lat0, lon0, bearing, abs(d_along), radius)
        for d_across in (SPEC_CROSS_TRACK_M - across / 2.0, SPEC_CROSS_TRACK_M + across / 2.0):
            la, lo = cross_track_points(lat_a, lon_a, head, sign * d_across)
            corner_lat.append(la)
            corner_lon.append(lon_c + wrap_longitude_deg(lo - lon_c))  # continuous near centre
    lats, lons = np.stack(corner_lat), np.stack(corner_lon)
    dims = (ps.SIDE, ps.BOX)
    values = {
        "lat_l2": lat_c, "lon_l2": lon_c,
        "min_lat_l2": lats.min(axis=0), "max_lat_l2": lats.max(axis=0),
        "min_lon_l2": wrap_longitude_deg(lons.min(axis=0)),
        "max_lon_l2": wrap_longitude_deg(lons.max(axis=0)),
    }  # fmt: skip
    return {k: xr.DataArray(v, dims=dims, attrs=ps.LAYOUT[k].attrs) for k, v in values.items()}
