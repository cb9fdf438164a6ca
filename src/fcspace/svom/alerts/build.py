"""Making an SVOM alert from a localisation, as the FSC notices are made.

* ECLAIRs error radius (90 % containment, systematic included):
  ``r90 = sqrt((77′/SNR)² + (2′)²)`` (constants in :mod:`fcspace.svom.eclairs.instrument`),
  equal to the notices' ``Error2Radius`` to 1e-4°.
* GRM notices write ``Error2Radius = -1`` when the error is unknown; it reads as ``None``.

References
----------
GCN, SVOM notices documentation, https://gcn.nasa.gov/missions/svom.
Wei, J. et al. (2016), "The Deep and Transient Universe in the SVOM Era", arXiv:1610.06892
(ECLAIRs localisation accuracy).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fcspace.core.errors import InputError
from fcspace.svom.alerts.isotime import iso_utc, offline_iers, quiet_time, to_utc_time
from fcspace.svom.alerts.model import PACKET_TYPES, Alert, Group, Param
from fcspace.svom.alerts.sky import sky_angles

__all__ = ["eclairs_r90_deg", "make_alert"]

_STAGES = {
    "trigger": 201,
    "wakeup": 202,
    "catalog": 203,
    "slewing": 204,
    "not-slewing": 205,
    "initial": 209,
    "update": 210,
    "retraction": 219,
}
_DEFAULT_PACKET = {"ECLAIRs": 202, "GRM": 201, "MXT": 209}
_NOTICE_LEVEL = {"ECLAIRs": "N1e", "GRM": "N1g", "MXT": "N2m"}
_HOW = {
    "ECLAIRs": "https://www.svom.eu/en/telescope-eclairs-en/",
    "GRM": "https://www.svom.eu/en/grm-gamma-ray-burst-monitor-en/",
    "MXT": "https://www.svom.eu/en/mxt-microchannel-x-ray-telescope-en/",
}


def eclairs_r90_deg(snr: float) -> float:
    """ECLAIRs 90 % error radius [deg] from the image SNR, systematics included.

    ``r90 = sqrt((77′ / SNR)² + (2′)²)``; reproduces the ``Error2Radius`` of every ECLAIRs
    notice we hold to 1e-4° (their rounding).

    Raises
    ------
    InputError
        SNR not strictly positive and finite.
    """
    if not (math.isfinite(snr) and snr > 0):
        raise InputError(f"SNR must be > 0 for an error radius, got {snr}", variable="snr")
    from fcspace.svom.eclairs.localize import r90_notice

    return float(r90_notice(snr))


_DETECTION_KEYS = {
    "timescale_s",
    "band_kev",
    "trigger_type",
    "attitude_ra",
    "attitude_dec",
    "attitude_roll",
    "burst_id",
    "packet_type",
    "err_radius_deg",
    "slew_status",
    "sat_longitude",
    "sat_latitude",
    "sat_altitude",
    "notice_date",
    "pkt_ser_num",
    "notice_level",
    "triggered_grds",
    "citations",
    "stage",
}


def _num(value: float, fmt: str = ".2f") -> str:
    return format(float(value), fmt)


def _ms(time: Any) -> str:
    return iso_utc(time, precision=3) + "Z"


def _identifiers(instrument: str, burst_id: str, level: str | None) -> Group:
    level = level or _NOTICE_LEVEL[instrument]
    return Group(
        "Svom_Identifiers",
        (Param("Notice_Level", level, ucd="meta.id"), Param("Burst_Id", burst_id, ucd="meta.id")),
    )


def _default_scale_band(instrument: str) -> tuple[float, tuple[float, float]]:
    """Timescale [s] and band [keV] an alert states when the detection gives none."""
    if instrument == "GRM":
        from fcspace.svom.grm.instrument import GRM

        return GRM.notice_timescale_s, (GRM.energy_min_kev, GRM.energy_max_kev)
    from fcspace.svom.eclairs.instrument import ECLAIRS

    return ECLAIRS.notice_timescale_s, ECLAIRS.notice_band_kev


def _detection(instrument: str, t: Any, snr: float, d: Mapping[str, Any]) -> Group:
    from astropy import units as u

    params = [Param("SNR", _num(snr), "sigma", "stat.snr")]
    if instrument != "MXT":
        default_scale, default_band = _default_scale_band(instrument)
        scale = float(d.get("timescale_s", default_scale))
        lo, hi = d.get("band_kev", default_band)
        params += [
            Param("Timescale", repr(scale), "s", "time.interval"),
            Param("Time_Window_Start", _ms(t), ucd="time.start"),
            Param("Time_Window_End", _ms(t + scale * u.s), ucd="time.end"),
            Param("Lower_Energy_Bound", _num(lo, "g"), "keV", "em.energy"),
            Param("Upper_Energy_Bound", _num(hi, "g"), "keV", "em.energy"),
        ]
    if instrument == "ECLAIRs":
        params.append(Param("Trigger_Type", d.get("trigger_type", "IMT"), ucd="instr.param"))
    if instrument == "GRM":
        from fcspace.svom.grm.instrument import GRM

        grds = d.get("triggered_grds", "1" * GRM.n_detectors)  # default: every GRD
        params.append(Param("Triggered_GRDs", grds, ucd="instr.param"))
    return Group("Detection_Info", tuple(params))


def _target(ra: float, dec: float, t: Any) -> Group:
    angles = sky_angles(ra, dec, t)
    spec = (
        ("Galactic_Lon", "galactic_lon", "pos.galactic.lon"),
        ("Galactic_Lat", "galactic_lat", "pos.galactic.lat"),
        ("Moon_Angle", "moon_angle", "pos.angdistance"),
        ("Sun_Angle", "sun_angle", "pos.angdistance"),
    )
    return Group("Target_Info", tuple(Param(n, _num(angles[k]), "deg", u) for n, k, u in spec))


def _satellite(instrument: str, d: Mapping[str, Any]) -> Group:
    params = []
    if instrument == "ECLAIRs":
        params.append(
            Param("Slew_Status", d.get("slew_status", "not-requested"), ucd="meta.code.status")
        )
    spec = (
        ("Attitude_Ra", "attitude_ra", "deg", "instr.param"),
        ("Attitude_Dec", "attitude_dec", "deg", "instr.param"),
        ("Attitude_Roll", "attitude_roll", "deg", "instr.param"),
        ("Sat_Longitude", "sat_longitude", "deg", "pos.earth.lon"),
        ("Sat_Latitude", "sat_latitude", "deg", "pos.earth.lat"),
        ("Sat_Altitude", "sat_altitude", "km", "pos.earth.altitude"),
    )
    params += [Param(n, _num(d[k]), unit, ucd) for n, k, unit, ucd in spec if d.get(k) is not None]
    return Group("Satellite_Info", tuple(params))


def _check_make_inputs(instrument: str, detection: Mapping[str, Any], ra: Any, dec: Any) -> None:
    if instrument not in _DEFAULT_PACKET:
        raise InputError(f"instrument must be ECLAIRs, GRM or MXT, got {instrument!r}")
    unknown = sorted(set(detection) - _DETECTION_KEYS)
    if unknown:
        raise InputError(f"unknown detection keyword(s): {', '.join(unknown)}")
    if (ra is None) != (dec is None):
        raise InputError("give both ra and dec, or neither (GRM without localisation)")
    if ra is not None and not (math.isfinite(ra) and -90.0 <= dec <= 90.0):
        raise InputError(f"bad position ra={ra}, dec={dec}", variable="ra/dec")
    if ra is None and instrument != "GRM":
        raise InputError(f"{instrument} alerts need a position (ra, dec)")


def _packet_type(instrument: str, d: Mapping[str, Any]) -> int:
    """Packet type from ``packet_type``, else from ``stage`` (e.g. "slewing"), else default."""
    if "packet_type" in d:
        return int(d["packet_type"])
    if "stage" not in d:
        return _DEFAULT_PACKET[instrument]
    stage = str(d["stage"]).lower().removeprefix(instrument.lower() + "-")
    if stage not in _STAGES:
        raise InputError(f"unknown stage {d['stage']!r}; expected one of {sorted(_STAGES)}")
    return _STAGES[stage]


def _error_radius(instrument: str, snr: float, d: Mapping[str, Any], has_pos: bool) -> Any:
    if "err_radius_deg" in d:
        return d["err_radius_deg"]
    if instrument == "ECLAIRs":
        return eclairs_r90_deg(snr)
    if instrument == "MXT" and has_pos:
        raise InputError("MXT alerts need err_radius_deg (no SNR formula)", variable="err")
    return None


def make_alert(
    ra: float | None,
    dec: float | None,
    time: Any,
    snr: float,
    instrument: str = "ECLAIRs",
    **detection: Any,
) -> Alert:
    """Build an SVOM alert from a localisation, as the FSC notices are made.

    Computes the Galactic coordinates and Moon/Sun angles (:func:`sky_angles`), the error
    radius from SNR for ECLAIRs (:func:`eclairs_r90_deg`), the packet type, notice level,
    IVORN and burst id appropriate to the instrument.

    Parameters
    ----------
    ra, dec
        ICRS position [deg] (``None`` for a GRM trigger without localisation).
    time
        Trigger time, ISO 8601 UTC string or astropy ``Time``.
    snr
        Image (ECLAIRs, MXT) or rate (GRM) signal-to-noise ratio.
    instrument
        ``ECLAIRs``, ``GRM`` or ``MXT``.
    **detection
        Optional: ``timescale_s``, ``band_kev`` (low, high), ``trigger_type`` (CRT/IMT),
        ``attitude_ra``, ``attitude_dec``, ``attitude_roll`` [deg], ``sat_longitude``,
        ``sat_latitude`` [deg], ``sat_altitude`` [km], ``slew_status``, ``burst_id``,
        ``packet_type`` (default 202 ECLAIRs, 201 GRM, 209 MXT) or ``stage`` (``wakeup``
        202, ``catalog`` 203, ``slewing`` 204, ``not-slewing`` 205, ``trigger`` 201,
        ``initial`` 209, ``update`` 210, ``retraction`` 219), ``err_radius_deg``
        (overrides the formula; required for MXT), ``notice_date``, ``pkt_ser_num``,
        ``notice_level``, ``triggered_grds``, ``citations`` ((ivorn, cite) pairs).

    Returns
    -------
    Alert

    Raises
    ------
    InputError
        Unknown instrument or keyword, bad position or SNR.
    """
    _check_make_inputs(instrument, detection, ra, dec)
    offline_iers()
    with quiet_time():
        return _build(ra, dec, to_utc_time(time), float(snr), instrument, detection)


def _build(
    ra: float | None,
    dec: float | None,
    t: Any,
    snr: float,
    instrument: str,
    d: Mapping[str, Any],
) -> Alert:
    packet = _packet_type(instrument, d)
    burst_id = d.get("burst_id") or "sb" + t.utc.strftime("%y%m%d") + "01"
    what: list[Param | Group] = [
        Param("Packet_Type", str(packet), ucd="meta.id"),
        Param("Pkt_Ser_Num", str(d.get("pkt_ser_num", 1)), ucd="meta.id"),
        Param("Instrument", instrument, ucd="instr"),
        _identifiers(instrument, burst_id, d.get("notice_level")),
        _detection(instrument, t, snr, d),
    ]
    if ra is not None:
        what.append(_target(float(ra), float(dec), t))
    what.append(_satellite(instrument, d))
    level = what[3].params[0].value  # type: ignore[union-attr]
    return Alert(
        ivorn=f"ivo://org.svom/fsc#{burst_id}_{PACKET_TYPES.get(packet, str(packet))}",
        what=tuple(what),
        time=t,
        ra=None if ra is None else float(ra),
        dec=None if dec is None else float(dec),
        err_radius_deg=_error_radius(instrument, snr, d, ra is not None),
        date=d.get("notice_date") or iso_utc(t, 0) + "+00:00",
        how_description=f"{level} notice, data from {instrument}",
        how_references=(_HOW[instrument],),
        citations=tuple(d.get("citations", ())),
    )
