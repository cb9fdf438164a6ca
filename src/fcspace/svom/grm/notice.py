"""A GRM localisation as an alert and a sky map written side by side (same stem).

The alert (:func:`fcspace.svom.alerts.make_alert`, GRM, packet type 201) gives the most probable
pixel of the sky map as its position and, as its 90 % error radius (``Error2Radius``), the
radius of the spherical cap whose area equals the map's 90 % credible area,
``r = arccos(1 - A / 2 pi)`` (:func:`fcspace.svom.grm.skymap.equal_area_radius_deg`). The
notice's circle and the map thus state the same 90 % area; the map carries its shape.

ASSUMPTION: the real GRM notices we hold (``../shared/data/svom/voevents/grm``) give
``Error2Radius = -1`` or a small radius without saying what it means; the equal-area radius is
our choice, stated here and in the map header (``AREA90``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from fcspace.svom.frames import Attitude, instrument_to_radec
from fcspace.svom.grm.instrument import GRM, GrmInstrument
from fcspace.svom.grm.localize import trigger_net_counts
from fcspace.svom.grm.skymap import GrmSkyMap, equal_area_radius_deg, localize_skymap

__all__ = ["event_attitude", "grm_alert", "skymap_of_trigger", "truth_radec", "write_localization"]


def event_attitude(events: Any) -> Attitude | None:
    """Pointing from an event list's ``attitude_ra/dec/roll`` attributes; None when absent."""
    keys = ("attitude_ra", "attitude_dec", "attitude_roll")
    if not all(k in events.attrs for k in keys):
        return None
    values = [float(events.attrs[k]) for k in keys]
    return Attitude(*values) if all(np.isfinite(values)) else None


def truth_radec(events: Any, attitude: Attitude) -> tuple[float, float] | None:
    """ICRS (RA, Dec) of a simulated burst (``truth_theta_deg``/``truth_phi_deg``), else None."""
    if int(events.attrs.get("truth_grb", 0)) != 1:
        return None
    ra, dec = instrument_to_radec(float(events.attrs["truth_theta_deg"]),
                                  float(events.attrs["truth_phi_deg"]),
                                  attitude.ra, attitude.dec, attitude.roll)  # fmt: skip
    return float(ra), float(dec)


def skymap_of_trigger(
    events: Any,
    trigger: dict[str, Any],
    nside: int | None = None,
    object_name: str = "",
    instrument: GrmInstrument = GRM,
) -> GrmSkyMap:
    """Sky map of one trigger from its net counts (:func:`~.localize.trigger_net_counts`).

    Mapped with the event list's attitude (RA = Dec = roll = 0, flagged, when it has none);
    ``DATE-OBS`` is the trigger time.
    """
    net, err = trigger_net_counts(events, trigger, instrument=instrument)
    date = str(trigger["time"]).rstrip("Z")
    return localize_skymap(net, err, event_attitude(events), nside, instrument,
                           object_name=object_name, date_obs=date)  # fmt: skip


def grm_alert(
    sky: GrmSkyMap,
    trigger: dict[str, Any],
    burst_id: str | None = None,
    instrument: GrmInstrument = GRM,
) -> Any:
    """Alert of a GRM trigger localised by ``sky`` (module docstring for the error radius).

    Parameters
    ----------
    sky
        The trigger's probability map (:func:`fcspace.svom.grm.skymap.localize_skymap`).
    trigger
        One trigger of :func:`fcspace.svom.grm.trigger.run_trigger` (``time``, ``snr``,
        ``timescale_s``, ``band_kev``, ``detectors``).
    burst_id
        Burst identifier (default: the alert builder's, ``sbYYMMDD01``).

    Returns
    -------
    fcspace.svom.alerts.model.Alert
    """
    from fcspace.svom.alerts.build import make_alert

    ra, dec = sky.peak_radec
    grds = "".join("1" if n in trigger.get("detectors", ()) else "0"
                   for n in instrument.detector_names)  # fmt: skip
    detection: dict[str, Any] = {
        "timescale_s": float(trigger["timescale_s"]),
        "band_kev": tuple(trigger["band_kev"]),
        "err_radius_deg": equal_area_radius_deg(sky.area_deg2(0.9)),
        "triggered_grds": grds,
        "attitude_ra": sky.attitude.ra,
        "attitude_dec": sky.attitude.dec,
        "attitude_roll": sky.attitude.roll,
    }
    if burst_id:
        detection["burst_id"] = burst_id
    return make_alert(ra, dec, trigger["time"], float(trigger["snr"]), instrument="GRM",
                      **detection)  # fmt: skip


def write_localization(
    sky: GrmSkyMap,
    alert: Any,
    stem: str | Path,
    quicklook: bool = True,
    truth_radec: tuple[float, float] | None = None,
) -> dict[str, str]:
    """Write ``stem.xml`` (VOEvent), ``stem.fits`` (sky map) and ``stem.png`` (Mollweide).

    Returns the paths written, keyed ``notice``, ``skymap`` and ``quicklook``.
    """
    from fcspace.svom.alerts.voevent import write_voevent
    from fcspace.svom.grm.skymap_fits import write_skymap

    stem = Path(stem)
    out = {
        "notice": str(write_voevent(alert, stem.with_suffix(".xml"))),
        "skymap": str(write_skymap(sky, stem.with_suffix(".fits"))),
    }
    if quicklook:
        from fcspace.svom.grm.quicklook import plot_skymap

        out["quicklook"] = str(plot_skymap(sky, stem.with_suffix(".png"), truth_radec))
    return out
