"""The SVOM mission's own L1 file layouts, as data: ECLAIRs ECL-EVT-CAL and GRM hourly events.

Each :class:`L1Layout` says which FITS extensions and columns a product has and which variable of
the in-memory event list (:mod:`fcspace.svom.events`) each column holds, so the one reader and
writer (:mod:`fcspace.svom.l1_fits`) serve both instruments and a new product is a table entry.

What is public and what is assumed
----------------------------------
From the French Science Center product cards [FSC-cards] (keywords of every card's primary
HDU): ``ORIGIN = 'FSC'``, ``TELESCOP = 'SVOM'``, ``INSTRUME`` (``'ECL'``, ``'GRM'``, ``'INS'``),
``CREATOR``, ``CARD`` (the product card name), ``TIMEREF = 'LOCAL'``, ``TIMESYS = 'TT'``,
``TIMEUNIT = 's'``, ``MJDREFI = 57754`` (d); the attitude and orbit cards ``SVO-ATT-*`` and
``SVO-ORB-*``. From the issue (public descriptions of the cards and of readers of real files):
ECL-EVT-CAL columns ``TIME, JDET, IDET, PHA, PI, FLAG``; GRM hourly files
``svom_grm_evt_YYMMDD_HH_vNN.fits`` with ``EBOUNDS``, ``GTI`` and ``EVENTS01``-``EVENTS03`` (one
per detector; ``TIME, PI, GAIN_TYPE, DEAD_TIME, EVT_TYPE, ANTI_COIN, FLAG``).

ASSUMPTIONS (no public document seen gives them; ``docs/eclairs_layout.md`` lists them too):

- ``MJDREFF``: the fraction that puts the epoch at 2017-01-01T00:00:00 UTC expressed in TT,
  69.184 s / 86400 s (:data:`fcspace.svom.time.SVOM_MJDREF_TT`); a file's own ``MJDREFF`` is
  always honoured on reading;
- ECLAIRs ``IDET`` is the pixel index along the instrument Y axis and ``JDET`` along Z, both
  0-based (0..79); ``PHA`` equals ``PI`` (no per-pixel gain is modelled); ``PI`` counts channels of
  ``EclairsInstrument.pi_step_kev`` from 0 keV (energy read back as the channel centre) and the
  file carries that law as an ``EBOUNDS`` table (``CHANNEL, E_MIN, E_MAX``); a ``GTI`` extension
  (``START, STOP``) in the same file stands for the ECL-GTI product;
- GRM ``PI`` is the channel of ``EBOUNDS`` (energy read back as the channel centre, as for Fermi
  GBM TTE); ``DEAD_TIME`` in microseconds; ``GAIN_TYPE`` 0 = high gain, ``EVT_TYPE`` 0 = single,
  ``ANTI_COIN`` 0 = no veto from the plastic anti-coincidence, ``FLAG`` 0 = good event (all 0 in
  simulated files: dead time and vetoes are not simulated); the GRM card name ``GRM-EVT``;
- units ``s`` (TIME), ``keV`` (E_MIN/E_MAX), others dimensionless.

Sources
-------
- [FSC-cards] SVOM French Science Center, product cards (JSON schemes rendered as HTML), e.g.
  https://fsc.svom.org/jsonschemes/pcards/products/html/SVO-ATT-VHF.html, ``SVO-ORB-VHF.html``,
  ``QHR_GRM.html`` (primary-HDU keywords, ``MJDREFI = 57754``).
- [OGIP93003] Corcoran, M., Angelini, L., et al. The OGIP FITS standard for event lists,
  OGIP/93-003 (EVENTS, GTI, EBOUNDS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fcspace.core.errors import InputError

__all__ = [
    "ECL_EVT_CAL",
    "GRM_EVT",
    "L1_LAYOUTS",
    "L1Layout",
    "grm_hourly_name",
    "layout_of_card",
    "parse_hourly_name",
]

#: Column spec: (FITS column, FITS format, in-memory dtype, unit, fill value when absent).
Column = tuple[str, str, Any, str | None, float]


@dataclass(frozen=True)
class L1Layout:
    """One mission L1 event product: its card, extensions and column -> variable table.

    Attributes
    ----------
    card
        ``CARD`` keyword of the primary HDU (also the layout's name).
    instrument
        fcspace layout of :data:`fcspace.svom.events.LAYOUTS` the file reads into.
    instrume
        ``INSTRUME`` keyword of the card ([FSC-cards]).
    event_hdus
        EXTNAMEs of the event tables; several = one per detector (index = position).
    columns
        Event variable -> :data:`Column`, ``channel`` being the ``PI`` column; ``energy`` is
        read back as the centre of the channel's ``EBOUNDS`` bin.
    span
        Whether the list carries ``met_start``/``exposure`` (TSTART, TSTOP - TSTART).
    ranges
        Event variable -> inclusive physical range (lo, hi), applied on reading; ``PI`` (and
        ECLAIRs ``PHA``, = PI) are checked against the file's EBOUNDS, ``TIME`` against
        ``[TSTART, TSTOP]``.
    accepted_cards
        Other ``CARD`` values read as this layout.
    """

    card: str
    instrument: str
    instrume: str
    event_hdus: tuple[str, ...]
    columns: dict[str, Column]
    span: bool = False
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    accepted_cards: tuple[str, ...] = field(default=())

    @property
    def cards(self) -> tuple[str, ...]:
        """CARD values read as this layout (its own first)."""
        return (self.card, *self.accepted_cards)


_TIME: Column = ("TIME", "D", np.float64, "s", 0.0)
_PI: Column = ("PI", "J", np.int32, None, 0)
_TRUTH: dict[str, Column] = {  # fcspace-only columns of simulated files (truth travels along)
    "truth_is_source": ("TRUTH_SRC", "L", bool, None, 0),
    "truth_component": ("TRUTH_CMP", "B", np.int8, None, 0),
    "truth_is_grb": ("TRUTH_GRB", "B", np.int8, None, 0),
}

#: ECLAIRs calibrated events (card ECL-EVT-CAL, with its GTI and EBOUNDS; see the assumptions).
ECL_EVT_CAL = L1Layout(
    card="ECL-EVT-CAL",
    instrument="ECLAIRs",
    instrume="ECL",
    event_hdus=("EVENTS",),
    columns={
        "time": _TIME,
        "z": ("JDET", "I", np.int16, None, 0),
        "y": ("IDET", "I", np.int16, None, 0),
        "pha": ("PHA", "J", np.int32, None, 0),
        "channel": _PI,
        "flag": ("FLAG", "I", np.int16, None, 0),
    }
    | _TRUTH,
    span=True,
    ranges={"y": (0, 79), "z": (0, 79)},  # ASSUMPTION above: 80 x 80 pixels, 0-based
)
#: GRM L1 hourly events ``svom_grm_evt_YYMMDD_HH_vNN.fits`` (one EVENTS0n per detector).
GRM_EVT = L1Layout(
    card="GRM-EVT",
    instrument="GRM",
    instrume="GRM",
    event_hdus=("EVENTS01", "EVENTS02", "EVENTS03"),
    columns={
        "time": _TIME,
        "channel": _PI,
        "gain_type": ("GAIN_TYPE", "B", np.uint8, None, 0),
        "dead_time": ("DEAD_TIME", "E", np.float32, "us", 0.0),
        "evt_type": ("EVT_TYPE", "B", np.uint8, None, 0),
        "anti_coin": ("ANTI_COIN", "B", np.uint8, None, 0),
        "flag": ("FLAG", "I", np.int16, None, 0),
    }
    | _TRUTH,
    ranges={"dead_time": (0.0, 1.0e6)},  # us; at most the 1 s of a rate sample
    accepted_cards=("GRM-EVT-L1", "GRM_EVT"),
)
#: Mission layouts by name (the CARD value).
L1_LAYOUTS: dict[str, L1Layout] = {lay.card: lay for lay in (ECL_EVT_CAL, GRM_EVT)}

_HOURLY = re.compile(r"^svom_(grm_evt|att|orb)_(\d{6})_(\d{2})_v(\d{2})\.fits?$", re.IGNORECASE)


def layout_of_card(card: Any, path: Any = None) -> L1Layout:
    """The layout whose ``CARD`` is ``card``; :class:`InputError` naming ``path`` if none."""
    key = str(card or "").strip()
    for lay in L1_LAYOUTS.values():
        if key in lay.cards:
            return lay
    known = ", ".join(c for lay in L1_LAYOUTS.values() for c in lay.cards)
    raise InputError(f"CARD {key!r} is not an SVOM L1 event product ({known})", path, "CARD")


def grm_hourly_name(utc_iso: str, version: int = 0, kind: str = "grm_evt") -> str:
    """File name ``svom_<kind>_YYMMDD_HH_vNN.fits`` of the hour holding ``utc_iso`` (UTC).

    ``kind`` is ``grm_evt``, ``att`` or ``orb`` (the attitude and orbit names follow the GRM
    pattern: assumption).
    """
    if not 0 <= version <= 99:
        raise InputError(f"file version {version} outside 0..99", variable="version")
    digits = re.sub(r"\D", "", utc_iso)
    if len(digits) < 10:
        raise InputError(f"not an ISO-8601 UTC time: {utc_iso!r}", variable="utc_iso")
    return f"svom_{kind}_{digits[2:8]}_{digits[8:10]}_v{version:02d}.fits"


def parse_hourly_name(name: str) -> tuple[str, str, int] | None:
    """(kind, ``YYYY-MM-DDTHH:00:00`` UTC, version) of an hourly SVOM L1 file name, else None."""
    m = _HOURLY.match(name)
    if m is None:
        return None
    d = m.group(2)
    return m.group(1).lower(), f"20{d[:2]}-{d[2:4]}-{d[4:6]}T{m.group(3)}:00:00", int(m.group(4))
