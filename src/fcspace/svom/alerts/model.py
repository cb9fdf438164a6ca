"""The SVOM notice as one typed, frozen object: Params, Groups, the Alert and its summary.

One :class:`Alert` holds a notice as the SVOM French Science Center (FSC) publishes it: the
header (IVORN, role, Who), every ``What`` Param in order with its unit, UCD and dataType
(values kept as the exact strings of the file, so writing a notice back keeps every value),
the WhereWhen position and time, How and Citations. Typed views (``packet_type``, ``snr``,
``band_kev``, ``moon_angle`` ...) are properties computed from those Params.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from fcspace.svom.alerts.isotime import IsoUtc, iso_utc, iso_utc_texts, to_utc_time

if TYPE_CHECKING:
    from astropy.time import Time

__all__ = ["PACKET_TYPES", "Alert", "Group", "Param", "alert_to_dict", "with_params"]


#: SVOM packet types (GCN SVOM notice documentation) and the IVORN suffix FSC uses.
PACKET_TYPES: dict[int, str] = {
    201: "grm-trigger",
    202: "eclairs-wakeup",
    203: "eclairs-catalog",
    204: "slewing",
    205: "not-slewing",
    209: "mxt-initial",
    210: "mxt-update",
    219: "retraction",
}
_FSC_AUTHOR = (
    ("title", "SVOM French Science Center"),
    ("shortName", "FSC"),
    ("contactEmail", "svom-contact@cea.fr"),
)


class Param(NamedTuple):
    """One VOEvent ``<Param>``: value kept as the exact string of the notice.

    A named tuple (immutable, compared and hashed by value, made quicker than a frozen
    dataclass). Being a tuple subclass, it stays tracked by CPython's cyclic garbage collector
    (only exact tuples of atomic objects are untracked), so the notice reader keeps plain
    tuples and makes Params on first use (:class:`_LazyWhat`).
    """

    name: str
    value: str
    unit: str | None = None
    ucd: str | None = None
    data_type: str | None = None


@dataclass(frozen=True)
class Group:
    """One VOEvent ``<Group>`` of Params."""

    name: str
    params: tuple[Param, ...] = ()


class _LazyTime:
    """The ``time`` field of :class:`Alert`: kept as ISO text, an astropy ``Time`` on first read.

    A data descriptor (Python data model, "Implementing Descriptors"; dataclasses,
    "Descriptor-typed fields"): the dataclass ``__init__`` sets the field through
    :meth:`__set__`, which keeps the ISO 8601 UTC text (:class:`IsoUtc`, checked) or, given an
    astropy ``Time``, that time and its text; :meth:`__get__` makes the ``Time`` once, on first
    use. Reading notices therefore makes no ``Time`` (about 40 % of the reading cost), and
    ``alert.time`` is the same astropy ``Time`` in UTC as before.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.text_key, self.time_key = f"_{name}_iso", f"_{name}_time"

    def __get__(self, obj: Any, objtype: type | None = None) -> Time:
        if obj is None:  # no class-level value: the field has no default
            raise AttributeError("time")
        found = obj.__dict__.get(self.time_key)
        if found is None:
            found = obj.__dict__[self.time_key] = to_utc_time(obj.__dict__[self.text_key])
        return found

    def __set__(self, obj: Any, value: Any) -> None:
        if isinstance(value, IsoUtc):
            text, found = value, None
        elif isinstance(value, str):
            text, found = iso_utc_texts([value], [obj.__dict__.get("source_path")])[0], None
        else:
            found = to_utc_time(value)
            text = IsoUtc(iso_utc(found))
        obj.__dict__[self.text_key], obj.__dict__[self.time_key] = text, found


def _params_of(raw: tuple) -> tuple[Param | Group, ...]:
    """``What`` items from the notice reader's raw form (:mod:`fcspace.svom.alerts.notice_tree`).

    A Param is a plain 5-tuple of its attributes, a Group ``(name, (5-tuples...))``.
    """
    new = tuple.__new__  # Param(...) through its generated Python __new__ is slower

    def item(raw_item: tuple) -> Param | Group:
        if len(raw_item) == 5:
            return new(Param, raw_item)
        return Group(raw_item[0], tuple(new(Param, p) for p in raw_item[1]))

    return tuple(map(item, raw))


class _LazyWhat:
    """The ``what`` field of :class:`Alert`: Params made on first read from the reader's tuples.

    A data descriptor as :class:`_LazyTime`. A notice has ~20 Params; as :class:`Param`
    objects (a tuple subclass, always tracked by the cyclic garbage collector) 10 000 read
    notices are ~350 000 objects every full collection scans, as plain tuples of strings
    (untracked by CPython's collector) none. :meth:`Alert.read` keeps the plain tuples
    (``_what_raw``); :meth:`__get__` makes the Params and Groups once, on first use.
    """

    def __get__(self, obj: Any, objtype: type | None = None) -> tuple[Param | Group, ...]:
        if obj is None:  # no class-level value: the field has no default
            raise AttributeError("what")
        d = obj.__dict__
        found = d.get("_what")
        if found is None:
            found = d["_what"] = _params_of(d["_what_raw"])
            d.pop("_what_raw", None)  # (another thread may have made it too: same value)
        return found

    def __set__(self, obj: Any, value: tuple[Param | Group, ...]) -> None:
        obj.__dict__["_what"] = tuple(value)


@dataclass(frozen=True)
class Alert:
    """An SVOM notice (VOEvent 2.0), complete enough to be written back as it was read.

    Typed views of the Params (``packet_type``, ``instrument``, ``burst_id``, ``snr``,
    ``timescale_s``, ``band_kev``, ``trigger_type``, ``galactic_lon``, ``galactic_lat``,
    ``moon_angle``, ``sun_angle``, ``attitude_ra``, ``attitude_dec``, ``attitude_roll``) are
    properties; they are ``None`` where the notice lacks the Param.

    Attributes
    ----------
    ivorn, role, version
        Root attributes (IVOA VOEvent 2.0 §2.1).
    what
        ``What`` content in document order: top-level :class:`Param` and :class:`Group`.
    time
        Event time (WhereWhen ``ISOTime``), an astropy ``Time`` in UTC, made on first use;
        given as a ``Time`` or an ISO 8601 UTC string. :attr:`time_iso` is its text.
    ra, dec
        ICRS position [deg]; ``None`` where the notice has no ``Position2D`` (GRM).
    err_radius_deg
        ``Error2Radius`` [deg]; ``None`` where unknown (GRM writes -1).
    """

    ivorn: str
    what: tuple[Param | Group, ...] = _LazyWhat()  # type: ignore[assignment]  # required
    time: Time = _LazyTime()  # type: ignore[assignment]  # required: the descriptor has no default
    ra: float | None = None
    dec: float | None = None
    err_radius_deg: float | None = None
    role: str = "observation"
    version: str = "2.0"
    author_ivorn: str | None = "ivo://org.svom/fsc"
    date: str | None = None
    author: tuple[tuple[str, str], ...] = _FSC_AUTHOR
    observatory_id: str = "GEOLEO"
    coord_system_id: str = "UTC-ICRS-GEO"
    how_description: str | None = None
    how_references: tuple[str, ...] = ()
    why_xml: str | None = None
    citations: tuple[tuple[str, str], ...] = ()
    citations_description: str | None = None
    source_path: str | None = field(default=None, compare=False)

    def __eq__(self, other: object) -> bool:
        """Equal when every field matches (times compared to the microsecond)."""
        if not isinstance(other, Alert):
            return NotImplemented
        return _key(self) == _key(other)

    def __hash__(self) -> int:
        """Hash of the same key as equality."""
        return hash(_key(self))

    @classmethod
    def read(cls, fields: dict[str, Any], time: IsoUtc) -> Alert:
        """The Alert of a notice reader's ``fields`` (every field but ``time``) and checked time.

        Equal to ``Alert(**fields, time=time)`` (defaults filled the same way), without the
        frozen dataclass's per-field ``object.__setattr__``. ``what`` may be given as
        ``_what_raw``, the reader's plain tuples (:func:`_params_of`), made Params on first use.
        """
        a = object.__new__(cls)
        d = a.__dict__
        d.update(_DEFAULTS)
        d.update(fields)
        if "what" in d:
            d["_what"] = tuple(d.pop("what"))
        d["_time_iso"], d["_time_time"] = time, None
        return a

    @property
    def time_iso(self) -> str:
        """Event time as ISO 8601 UTC text, microseconds, no zone letter (no astropy ``Time``)."""
        return self.__dict__["_time_iso"]

    def _params(self) -> tuple[tuple[Param, ...], dict[str, Param]]:
        """Flattened Params and the first Param of each name, made once (``what`` is frozen)."""
        found = self.__dict__.get("_param_index")
        if found is None:
            flat = tuple(p for i in self.what for p in (i.params if isinstance(i, Group) else [i]))
            first: dict[str, Param] = {}
            for p in flat:
                first.setdefault(p.name, p)
            found = self.__dict__["_param_index"] = (flat, first)
        return found

    def iter_params(self) -> Iterator[Param]:
        """Every Param of ``What`` in document order (groups flattened)."""
        return iter(self._params()[0])

    def param(self, name: str) -> Param | None:
        """The first Param called ``name`` (``None`` if absent)."""
        return self._params()[1].get(name)

    def _float(self, name: str) -> float | None:
        p = self.param(name)
        return None if p is None else float(p.value)

    @property
    def packet_type(self) -> int:
        """SVOM packet type (201 GRM trigger ... 219 retraction)."""
        return int(self.param("Packet_Type").value)  # type: ignore[union-attr]

    @property
    def instrument(self) -> str:
        """``ECLAIRs``, ``GRM`` or ``MXT``."""
        return self.param("Instrument").value  # type: ignore[union-attr]

    @property
    def burst_id(self) -> str:
        """SVOM burst identifier, e.g. ``sb26021102``."""
        return self.param("Burst_Id").value  # type: ignore[union-attr]

    @property
    def snr(self) -> float | None:
        """Detection signal-to-noise ratio [sigma]."""
        return self._float("SNR")

    @property
    def timescale_s(self) -> float | None:
        """Trigger timescale [s]."""
        return self._float("Timescale")

    @property
    def band_kev(self) -> tuple[float, float] | None:
        """Trigger energy band (low, high) [keV]."""
        lo, hi = self._float("Lower_Energy_Bound"), self._float("Upper_Energy_Bound")
        return None if lo is None or hi is None else (lo, hi)

    @property
    def trigger_type(self) -> str | None:
        """ECLAIRs trigger type: ``CRT`` (count rate) or ``IMT`` (image)."""
        p = self.param("Trigger_Type")
        return None if p is None else p.value

    @property
    def galactic_lon(self) -> float | None:
        """Galactic longitude of the source [deg]."""
        return self._float("Galactic_Lon")

    @property
    def galactic_lat(self) -> float | None:
        """Galactic latitude of the source [deg]."""
        return self._float("Galactic_Lat")

    @property
    def moon_angle(self) -> float | None:
        """Angle source–Moon [deg] (geocentric apparent Moon)."""
        return self._float("Moon_Angle")

    @property
    def sun_angle(self) -> float | None:
        """Angle source–Sun [deg] (geocentric apparent Sun)."""
        return self._float("Sun_Angle")

    @property
    def attitude_ra(self) -> float | None:
        """Satellite pointing RA [deg] (see :mod:`fcspace.svom.frames`)."""
        return self._float("Attitude_Ra")

    @property
    def attitude_dec(self) -> float | None:
        """Satellite pointing Dec [deg]."""
        return self._float("Attitude_Dec")

    @property
    def attitude_roll(self) -> float | None:
        """Satellite roll [deg]."""
        return self._float("Attitude_Roll")


_DEFAULTS = {
    f.name: f.default
    for f in fields(Alert)
    if f.default is not MISSING and f.name not in ("time", "what")
}


def _key(alert: Alert) -> tuple:
    """Fields compared by ``==``: all but ``source_path``; time as its ISO string (1 µs)."""
    return tuple(
        alert.time_iso if name == "time" else getattr(alert, name)
        for name in alert.__dataclass_fields__
        if name != "source_path"
    )


def with_params(alert: Alert, **values: str) -> Alert:
    """Copy of ``alert`` with the named Params' value strings replaced (others kept)."""

    def swap(p: Param) -> Param:
        return p._replace(value=values[p.name]) if p.name in values else p

    what = tuple(
        Group(i.name, tuple(swap(p) for p in i.params)) if isinstance(i, Group) else swap(i)
        for i in alert.what
    )
    return replace(alert, what=what)


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """Plain-JSON summary of an alert: typed fields, time ISO UTC, every Param value.

    Adds the source's instrument-frame angles ``theta_deg``/``phi_deg`` when both the
    position and the attitude are known (convention of :mod:`fcspace.svom.frames`).
    """
    out: dict[str, Any] = {
        "ivorn": alert.ivorn,
        "packet_type": alert.packet_type,
        "packet_name": PACKET_TYPES.get(alert.packet_type),
        "instrument": alert.instrument,
        "burst_id": alert.burst_id,
        "time": alert.time_iso,
        "ra": alert.ra,
        "dec": alert.dec,
        "err_radius_deg": alert.err_radius_deg,
    }
    for name in (
        "snr",
        "timescale_s",
        "band_kev",
        "trigger_type",
        "galactic_lon",
        "galactic_lat",
        "moon_angle",
        "sun_angle",
        "attitude_ra",
        "attitude_dec",
        "attitude_roll",
    ):
        value = getattr(alert, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    out.update(_instrument_angles(alert))
    out["params"] = {p.name: p.value for p in alert.iter_params()}
    out["citations"] = [{"ivorn": i, "cite": c} for i, c in alert.citations]
    return out


def _instrument_angles(alert: Alert) -> dict[str, float]:
    att = (alert.attitude_ra, alert.attitude_dec, alert.attitude_roll)
    if alert.ra is None or alert.dec is None or None in att:
        return {}
    from fcspace.svom.frames import radec_to_instrument

    theta, phi = radec_to_instrument(alert.ra, alert.dec, *att)  # type: ignore[arg-type]
    return {"theta_deg": round(float(theta), 4), "phi_deg": round(float(phi), 4)}
