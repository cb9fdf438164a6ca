"""The fixed, seeded mutation table of the fuzz suite: what is done to a copy of a clean file.

Each :class:`Mutation` changes one private copy of a source in place and returns a short text
saying what it changed (offset, variable, keyword...), or None when it does not apply to that
file (no packed variable for ``scale_zero``, no ``EBOUNDS`` for ``fits_inverted_ebounds``...;
such a case is left out of the table). Every random choice comes from the case's own
``numpy.random.Generator``, seeded from the case id, so a case is the same on every run.

Groups
------
- ``bytes``: truncation at several offsets, byte flips (XOR 0xFF) in the header region (the
  first 4 KiB, or the first quarter of a small file) and in the payload, 1 KiB overwrites.
- ``structure``: removed (renamed) variables, columns or keywords; a string in a numeric
  attribute or keyword; an EVENTS extension stored as an image.
- ``values``: fill-only data, impossible values (far out of physical range, NaN, infinity,
  times a century after the mission, events after TSTOP), inverted bounds (valid_min/valid_max,
  energy bounds), a zero scale factor.
- ``xml``: hostile XML (entity expansion, external entity, external DTD) and impossible VOEvent
  values (Dec 200, RA NaN, SNR inf, Packet_Type 999, Error2Radius "abc").
- ``json``: deeply nested JSON, NaN and strings in numeric fields, garbage lines in a manifest.

A structural or value mutation picks, when it can, a variable that the reader returned on the
clean file (``hint``), so that it lands where values are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Apply = Callable[[Path, np.random.Generator, frozenset[str]], str | None]


@dataclass(frozen=True)
class Mutation:
    """One row of the mutation table: a name, the formats it applies to, and what it does."""

    name: str
    group: str
    fmts: tuple[str, ...]
    apply: Apply
    long_only: bool = False


ALL = ("nc3", "nc4", "h5", "fits", "xml", "json", "jsonl")
NETCDF = ("nc3", "nc4", "h5")

# ----------------------------------------------------------------------------------- bytes


def _truncate(frac: float) -> Apply:
    def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str:
        size = path.stat().st_size
        keep = int(size * frac)
        with path.open("r+b") as f:
            f.truncate(keep)
        return f"truncated to {keep} of {size} bytes"

    return apply


def _region(size: int, where: str) -> tuple[int, int]:
    head = min(4096, max(size // 4, 1))
    return (0, head) if where == "header" else (head, size)


def _flip(where: str) -> Apply:
    def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
        lo, hi = _region(path.stat().st_size, where)
        if hi <= lo:
            return None
        offset = int(rng.integers(lo, hi))
        with path.open("r+b") as f:
            f.seek(offset)
            byte = f.read(1)[0]
            f.seek(offset)
            f.write(bytes([byte ^ 0xFF]))
        return f"byte {offset} flipped ({byte:#04x} -> {byte ^ 0xFF:#04x})"

    return apply


def _overwrite(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
    lo, hi = _region(path.stat().st_size, "payload")
    if hi - lo < 2048:
        return None
    offset = int(rng.integers(lo, hi - 1024))
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(rng.integers(0, 256, 1024, dtype=np.uint8).tobytes())
    return f"1 KiB of random bytes at offset {offset}"


# ------------------------------------------------------------------- NetCDF / HDF5 variables


def _pick(names: list[str], rng: np.random.Generator, hint: frozenset[str]) -> str | None:
    """A name read by the reader when one is known (``hint``), else any; None if none.

    Product variables come before the simulators' ``truth_*`` sidecar variables.
    """
    if not names:
        return None
    read = [n for n in names if n.rsplit("/", 1)[-1] in hint]
    data = [n for n in read or names if not n.rsplit("/", 1)[-1].startswith("truth")]
    pool = sorted(data or read or names)
    return pool[int(rng.integers(len(pool)))]


def _nc_vars(ds: object, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for name, var in ds.variables.items():  # type: ignore[attr-defined]
        if var.dtype != str and np.dtype(var.dtype).kind in "iuf" and var.size > 1:
            out[prefix + name] = var
    for gname, grp in ds.groups.items():  # type: ignore[attr-defined]
        out |= _nc_vars(grp, f"{prefix}{gname}/")
    return out


def _h5_vars(f: object) -> dict[str, object]:
    import h5py

    out: dict[str, object] = {}

    def visit(name: str, obj: object) -> None:
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "iuf" and obj.size > 1:
            out[name] = obj

    f.visititems(visit)  # type: ignore[attr-defined]
    return out


def _open_vars(path: Path, fmt: str) -> tuple[object, dict[str, object]]:
    if fmt == "h5":
        import h5py

        f = h5py.File(path, "r+")
        return f, _h5_vars(f)
    import netCDF4

    ds = netCDF4.Dataset(path, "r+")
    ds.set_auto_maskandscale(False)
    return ds, _nc_vars(ds)


def _attrs(var: object) -> dict[str, object]:
    if hasattr(var, "ncattrs"):
        return {k: var.getncattr(k) for k in var.ncattrs()}  # type: ignore[attr-defined]
    return dict(var.attrs)  # type: ignore[attr-defined]


def _set_attr(var: object, key: str, value: object) -> None:
    if hasattr(var, "setncattr"):
        var.setncattr(key, value)  # type: ignore[attr-defined]
    else:
        var.attrs[key] = value  # type: ignore[attr-defined]


def _scalar(value: object) -> float | None:
    arr = np.ravel(np.asarray(value))
    if arr.size == 0 or arr.dtype.kind not in "iuf":
        return None
    return float(arr[0])


def _var_mutation(fmts: tuple[str, ...]) -> Callable[[Callable], Mutation]:
    """Decorator: a function ``(file, vars, rng, hint) -> str | None`` run on an open file."""

    def wrap(func: Callable) -> Apply:
        def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
            fmt = "h5" if path.suffix == ".h5" else "nc"
            handle, variables = _open_vars(path, fmt)
            try:
                return func(handle, variables, rng, hint)
            finally:
                handle.close()  # type: ignore[attr-defined]

        return apply

    return wrap  # type: ignore[return-value]


@_var_mutation(NETCDF)
def _rename(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset) -> str:
    name = _pick(list(variables), rng, hint)
    if name is None:
        return None  # type: ignore[return-value]
    group, _, leaf = name.rpartition("/")
    if hasattr(handle, "renameVariable"):
        grp = handle
        for part in filter(None, group.split("/")):
            grp = grp.groups[part]  # type: ignore[attr-defined]
        grp.renameVariable(leaf, leaf + "_gone")  # type: ignore[attr-defined]
    else:
        handle.move(name, name + "_gone")  # type: ignore[attr-defined]
    return f"variable {name!r} removed (renamed {leaf + '_gone'!r})"


NUMERIC_ATTRS = ("scale_factor", "add_offset", "valid_min", "valid_max", "valid_range")


def _with_attr(variables: dict, keys: Iterable[str]) -> list[str]:
    return [n for n, v in variables.items() if any(k in _attrs(v) for k in keys)]


@_var_mutation(NETCDF)
def _attr_string(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
    name = _pick(_with_attr(variables, NUMERIC_ATTRS), rng, hint)
    if name is None:
        return None
    key = next(k for k in NUMERIC_ATTRS if k in _attrs(variables[name]))
    _set_attr(variables[name], key, "abc")
    return f"{name}.{key} = 'abc'"


@_var_mutation(NETCDF)
def _scale_zero(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
    name = _pick(_with_attr(variables, ("scale_factor",)), rng, hint)
    if name is None:
        return None
    var = variables[name]
    _set_attr(var, "scale_factor", np.asarray(_attrs(var)["scale_factor"]).dtype.type(0))
    return f"{name}.scale_factor = 0"


@_var_mutation(NETCDF)
def _inverted_range(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
    names = [n for n, v in variables.items() if {"valid_min", "valid_max"} <= set(_attrs(v))]
    name = _pick(names, rng, hint)
    if name is None:
        return None
    var = variables[name]
    lo, hi = _attrs(var)["valid_min"], _attrs(var)["valid_max"]
    _set_attr(var, "valid_min", hi)
    _set_attr(var, "valid_max", lo)
    return f"{name}: valid_min and valid_max swapped"


def _fill_of(var: object) -> object | None:
    attrs = _attrs(var)
    for key in ("_FillValue", "missing_value"):
        if key in attrs:
            return np.ravel(np.asarray(attrs[key]))[0]
    fill = getattr(var, "fillvalue", None)  # h5py
    if fill is not None and fill != 0:
        return fill
    return np.nan if np.dtype(var.dtype).kind == "f" else None  # type: ignore[attr-defined]


@_var_mutation(NETCDF)
def _fill_only(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
    names = [n for n, v in variables.items() if _fill_of(v) is not None]
    name = _pick(names, rng, hint)
    if name is None:
        return None
    var = variables[name]
    var[...] = np.full(var.shape, _fill_of(var), dtype=var.dtype)  # type: ignore[attr-defined]
    return f"{name}: every value set to the fill {_fill_of(var)!r}"


def _impossible_raw(var: object, kind: str) -> object | None:
    """A stored value far outside the variable's physical range (or NaN / inf)."""
    dtype = np.dtype(var.dtype)  # type: ignore[attr-defined]
    if kind in ("nan", "inf"):
        return None if dtype.kind != "f" else (np.nan if kind == "nan" else np.inf)
    if dtype.kind == "f":
        return dtype.type(-1e30 if kind == "low" else 1e30)
    info = np.iinfo(dtype)
    fill = _fill_of(var)
    value = info.min + 1 if kind == "low" else info.max - 1
    if fill is not None and value == fill:
        value += 1 if kind == "low" else -1
    return dtype.type(value)


def _impossible(kind: str) -> Apply:
    @_var_mutation(NETCDF)
    def apply(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
        names = [n for n, v in variables.items() if _impossible_raw(v, kind) is not None]
        name = _pick(names, rng, hint)
        if name is None:
            return None
        var = variables[name]
        shape = tuple(var.shape)  # type: ignore[attr-defined]
        size = int(np.prod(shape))
        idx = rng.choice(size, size=min(3, size), replace=False)
        value = _impossible_raw(var, kind)
        # element by element: writing the whole array back would let netCDF4 re-quantize
        # every value of a variable with least_significant_digit (values the case did not touch)
        for k in idx:
            var[np.unravel_index(int(k), shape) if shape else ...] = value  # type: ignore[index]
        return f"{name}: stored values at flat {sorted(idx.tolist())} set to {kind} extreme"

    return apply


@_var_mutation(NETCDF)
def _time_far(handle: object, variables: dict, rng: np.random.Generator, hint: frozenset):
    names = [n for n, v in variables.items()
             if "since" in str(_attrs(v).get("units", "")) and "time" in n.lower()]  # fmt: skip
    name = _pick(names, rng, hint)
    if name is None:
        return None
    var = variables[name]
    units = str(_attrs(var)["units"]).split()[0].lower()
    per_s = {"seconds": 1.0, "second": 1.0, "s": 1.0, "milliseconds": 1e3, "microseconds": 1e6,
             "minutes": 1 / 60, "hours": 1 / 3600, "days": 1 / 86400}.get(units, 1.0)  # fmt: skip
    flat = np.array(var[...])  # type: ignore[index]
    k = int(rng.integers(flat.size))
    with np.errstate(all="ignore"):
        shift = np.asarray(3.2e9 * per_s).astype(flat.dtype)
    flat.reshape(-1)[k] = flat.reshape(-1)[k] + shift
    var[...] = flat  # type: ignore[index]
    return f"{name}[{k}] moved 100 years after the mission"


# ---------------------------------------------------------------------------------- FITS


def _fits_edit(func: Callable) -> Apply:
    """Run ``func(hdul, rng, hint)`` on the file opened for update (checksums kept valid)."""

    def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
        from astropy.io import fits

        with fits.open(path, mode="update", checksum=True) as hdul:
            return func(hdul, rng, hint)

    return apply


def _tables(hdul: list) -> list:
    return [h for h in hdul if getattr(h, "columns", None) is not None]


NUMERIC_KEYS = ("TSTART", "TSTOP", "TRIGTIME", "MJDREFI", "MJDREFF", "EXPOSURE", "TELAPSE",
                "RA_OBJ", "DEC_OBJ", "RA_PNT", "DETCHANS")  # fmt: skip


@_fits_edit
def _fits_key_string(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    found = [(i, k) for i, h in enumerate(hdul) for k in NUMERIC_KEYS if k in h.header]
    if not found:
        return None
    i, key = found[int(rng.integers(len(found)))]
    hdul[i].header[key] = "abc"
    return f"HDU {i} keyword {key} = 'abc'"


def _time_table(hdul: list) -> object | None:
    return next((h for h in _tables(hdul) if "TIME" in h.columns.names and len(h.data)), None)


@_fits_edit
def _fits_col_rename(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    tables = [h for h in _tables(hdul) if len(h.columns.names)]
    if not tables:
        return None
    hdu = tables[int(rng.integers(len(tables)))]
    old = hdu.columns.names[int(rng.integers(len(hdu.columns.names)))]
    hdu.columns.change_name(old, old + "_X")
    return f"{hdu.name}: column {old} renamed {old}_X"


@_fits_edit
def _fits_time_huge(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    hdu = _time_table(hdul)
    if hdu is None:
        return None
    k = int(rng.integers(len(hdu.data)))
    hdu.data["TIME"][k] = 1e30
    return f"{hdu.name}: TIME[{k}] = 1e30"


@_fits_edit
def _fits_time_after_stop(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    hdu = _time_table(hdul)
    stop = next((h.header["TSTOP"] for h in hdul if "TSTOP" in h.header), None)
    if hdu is None or not isinstance(stop, (int, float)):
        return None
    n = max(1, len(hdu.data) // 100)
    hdu.data["TIME"][-n:] = stop + 1000.0 + np.arange(n)
    return f"{hdu.name}: last {n} TIME values after TSTOP + 1000 s"


@_fits_edit
def _fits_nan_column(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    cols = [(h, c.name) for h in _tables(hdul) for c in h.columns
            if len(h.data) and np.dtype(h.data[c.name].dtype).kind == "f"
            and np.ndim(h.data[c.name]) == 1]  # fmt: skip
    if not cols:
        return None
    hdu, name = cols[int(rng.integers(len(cols)))]
    k = int(rng.integers(len(hdu.data)))
    hdu.data[name][k] = np.nan
    return f"{hdu.name}: {name}[{k}] = NaN"


@_fits_edit
def _fits_inverted_ebounds(hdul: list, rng: np.random.Generator, hint: frozenset) -> str | None:
    hdu = next((h for h in _tables(hdul) if {"E_MIN", "E_MAX"} <= set(h.columns.names)), None)
    if hdu is None:
        return None
    lo, hi = np.array(hdu.data["E_MIN"]), np.array(hdu.data["E_MAX"])
    hdu.data["E_MIN"], hdu.data["E_MAX"] = hi, lo
    return f"{hdu.name}: E_MIN and E_MAX swapped"


def _fits_events_image(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
    from astropy.io import fits

    with fits.open(path) as hdul:
        hdus = [h.copy() for h in hdul]
    i = next((i for i, h in enumerate(hdus) if h.name.startswith("EVENTS")), None)
    if i is None:
        return None
    name = hdus[i].name
    hdus[i] = fits.ImageHDU(np.zeros((4, 4), dtype=np.float32), name=name)
    fits.HDUList(hdus).writeto(path, overwrite=True, checksum=True)
    return f"{name} stored as an image HDU"


# ----------------------------------------------------------------------------------- XML

_LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
HOSTILE_DOCTYPES = {
    "xml_billion_laughs": (f'<!DOCTYPE voe:VOEvent [<!ENTITY lol0 "lol">{_LAUGHS}]>', "&lol9;"),
    "xml_external_entity": (
        '<!DOCTYPE voe:VOEvent [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "xml_external_dtd": ('<!DOCTYPE voe:VOEvent SYSTEM "http://127.0.0.1:9/voevent.dtd">', ""),
}  # fmt: skip


def _hostile(name: str) -> Apply:
    doctype, ref = HOSTILE_DOCTYPES[name]

    def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("?>")
        if not sep:
            return None
        body = re.sub(r"<Description>", f"<Description>{ref}", body, count=1)
        if ref and ref not in body:
            body = re.sub(r'(name="Burst_Id" value=")', rf"\1{ref}", body, count=1)
        path.write_text(head + sep + "\n" + doctype + body, encoding="utf-8")
        return f"{name}: DOCTYPE added" + (f", {ref} referenced" if ref else "")

    return apply


def _xml_sub(pattern: str, repl: str, what: str) -> Apply:
    def apply(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
        text = path.read_text(encoding="utf-8")
        new, n = re.subn(pattern, repl, text, count=1)
        if n == 0:
            return None
        path.write_text(new, encoding="utf-8")
        return what

    return apply


# ---------------------------------------------------------------------------------- JSON


def _json_deep(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str:
    depth = 100_000
    path.write_text('{"scat": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    return f"JSON nested {depth} deep"


def _json_values(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r'(":\s*)-?\d+(\.\d+)?', r"\1NaN", text, count=2)
    if n == 0:
        return None
    path.write_text(new, encoding="utf-8")
    return "first two numbers replaced by NaN"


def _json_strings(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str | None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r'(":\s*)(-?\d+(\.\d+)?)', r'\1"abc"', text)
    if n == 0:
        return None
    path.write_text(new, encoding="utf-8")
    return f"{n} numbers replaced by the string 'abc'"


def _jsonl_garbage(path: Path, rng: np.random.Generator, hint: frozenset[str]) -> str:
    with path.open("ab") as f:
        f.write(b"\x00\xff{not json\n" + b"[" * 100_000 + b"\n")
    return "binary garbage and a 100000-deep line appended"


# ---------------------------------------------------------------------------------- table

XML_VALUES = {
    "xml_dec_200": (r"<C2>[^<]*</C2>", "<C2>200.0</C2>", "Dec = 200"),
    "xml_ra_nan": (r"<C1>[^<]*</C1>", "<C1>NaN</C1>", "RA = NaN"),
    "xml_snr_inf": (r'(name="SNR" value=")[^"]*', r"\1inf", "SNR = inf"),
    "xml_packet_999": (r'(name="Packet_Type" value=")[^"]*', r"\g<1>999", "Packet_Type = 999"),
    "xml_err_abc": (r"<Error2Radius>[^<]*", "<Error2Radius>abc", "Error2Radius = 'abc'"),
    "xml_time_1850": (r"<ISOTime>[^<]*", "<ISOTime>1850-01-01T00:00:00", "ISOTime in 1850"),
}


def _table() -> list[Mutation]:
    rows = [
        Mutation(
            f"trunc_{int(f * 100)}", "bytes", ALL, _truncate(f), long_only=f in (0.25, 0.75, 0.9)
        )
        for f in (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)
    ]
    for k in range(4):
        rows.append(Mutation(f"flip_header_{k}", "bytes", ALL, _flip("header"), long_only=k > 0))
        rows.append(Mutation(f"flip_payload_{k}", "bytes", ALL, _flip("payload"), long_only=k > 1))
        rows.append(Mutation(f"overwrite_1k_{k}", "bytes", ALL, _overwrite, long_only=k > 0))
    rows += [
        Mutation("var_removed", "structure", NETCDF, _rename),
        Mutation("attr_string", "structure", NETCDF, _attr_string),
        Mutation("scale_zero", "values", NETCDF, _scale_zero),
        Mutation("valid_range_inverted", "values", NETCDF, _inverted_range),
        Mutation("fill_only", "values", NETCDF, _fill_only),
        Mutation("value_high", "values", NETCDF, _impossible("high")),
        Mutation("value_low", "values", NETCDF, _impossible("low")),
        Mutation("value_nan", "values", NETCDF, _impossible("nan")),
        Mutation("value_inf", "values", NETCDF, _impossible("inf")),
        Mutation("time_far", "values", NETCDF, _time_far),
        Mutation("fits_key_string", "structure", ("fits",), _fits_key_string),
        Mutation("fits_col_removed", "structure", ("fits",), _fits_col_rename),
        Mutation("fits_events_image", "structure", ("fits",), _fits_events_image),
        Mutation("fits_time_1e30", "values", ("fits",), _fits_time_huge),
        Mutation("fits_time_after_stop", "values", ("fits",), _fits_time_after_stop),
        Mutation("fits_nan", "values", ("fits",), _fits_nan_column),
        Mutation("fits_inverted_ebounds", "values", ("fits",), _fits_inverted_ebounds),
        Mutation("json_deep", "json", ("json",), _json_deep),
        Mutation("json_nan", "json", ("json",), _json_values),
        Mutation("json_strings", "json", ("json",), _json_strings),
        Mutation("jsonl_garbage", "json", ("jsonl",), _jsonl_garbage),
    ]
    rows += [Mutation(n, "xml", ("xml",), _hostile(n)) for n in HOSTILE_DOCTYPES]
    rows += [Mutation(n, "xml", ("xml",), _xml_sub(*v)) for n, v in XML_VALUES.items()]
    return rows


MUTATIONS: list[Mutation] = _table()
BY_NAME = {m.name: m for m in MUTATIONS}
