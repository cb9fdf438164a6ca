"""Run one fuzz case and tell its outcome class; compare a reader's result with the clean read.

Outcome classes
---------------
Accepted:

- ``clean_error``: a reader raised :class:`~fcspace.core.errors.InputError` whose message
  names the file; a command exited 2 with exactly one line on stderr naming the file (input or
  output) and no ``Traceback``.
- ``identical``: no error and the result equals the clean file's (arrays equal with NaN == NaN,
  NaT == NaT, the same attributes; for a command the same JSON and the same product).
- ``masked``: no error, and every value that differs from the clean read is now missing (NaN,
  NaT, or counted in the reader's ``fcspace_masked_out_of_range``), or is a quality-flag
  variable or that count: the reader masked and counted the bad values. A command whose reader
  masked is ``masked`` when its output differs.
- ``dropped``: a removed variable the reader treats as optional: the result is the clean one
  without that variable (never accepted for latitude, longitude or time).
- ``reported``: ``fcspace report`` only, whose contract is to describe a folder, damaged files
  included: exit 0 with a page that differs from the clean one.

Failures: ``traceback`` (any other exception, exit code, or a ``Traceback`` on stderr),
``unnamed_error`` (an InputError / exit 2 whose message does not name the file, or more than one
line), ``hang`` (no answer within the case's time limit), ``partial_output`` (a product, or a
temporary file, left in the output folder by a command that failed), ``overwritten_input``
(the input's SHA-256 changed), ``silent_success`` (no error, and a value differs from the clean
read while not masked).

How a changed value that is read is told from a change that touches nothing read: the harness
does not guess from byte offsets. It reads the mutated copy and compares the result with the
clean read. If the mutated bytes fall where the reader reads values, the result must change
(or the reader must raise); a result that changed with no error is ``silent_success``. If the
bytes fell in padding, an unread variable or an unused header card, the result is equal and the
case is ``identical``. A byte flip inside a compressed NetCDF-4/HDF5 chunk is detected by the
library itself (zlib/HDF5 errors, Fletcher-32 where the writer set it), which the reader must
turn into a clean error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import signal
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

OK_CLASSES = ("clean_error", "identical", "masked", "dropped", "reported")
FAIL_CLASSES = ("traceback", "unnamed_error", "hang", "partial_output", "overwritten_input",
                "silent_success")  # fmt: skip
CLASSES = OK_CLASSES + FAIL_CLASSES
MASKED_ATTR = "fcspace_masked_out_of_range"
#: Attributes stamped with the time of writing or reading: left out of every comparison.
VOLATILE = re.compile(
    r"attr:[^.]*\.(history|date_created|date_modified|date_issued|creation_date|processing_time"
    r"|DATE)$"
    # a command's own timings (batch: seconds per file, files per second) differ run to run
    r"|^stdout\.(.*\.)?(files_per_second|seconds|wall_s|wall_seconds|cpu_s)\.?$",
    re.I,
)


class Hang(BaseException):
    """Raised by the alarm when a case runs past its time limit (not an ``Exception``)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread after ``seconds`` of wall time."""

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def sha256(path: Path) -> str | None:
    """SHA-256 of a regular file, None when it is absent or not a regular file."""
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def where(err: BaseException) -> str:
    """The deepest fcspace frame of a traceback (``fcspace/cfosat/scat/io.py:123``)."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "/fcspace/" in f.filename]
    if not frames:
        return "outside fcspace"
    f = frames[-1]
    return f"{f.filename.split('/src/')[-1]}:{f.lineno}"


# ------------------------------------------------------------------------------ digests


def _flatten_dataset(ds: Any, key: str, out: dict[str, Any]) -> None:
    for name, var in ds.variables.items():
        out[f"{key}var:{name}"] = np.asarray(var.values)
        for k, v in var.attrs.items():
            out[f"{key}attr:{name}.{k}"] = v
    for k, v in ds.attrs.items():
        out[f"{key}attr:.{k}"] = v


def _flatten(obj: Any, key: str, out: dict[str, Any], depth: int = 0) -> None:
    import xarray as xr

    if depth > 20:
        out[key] = repr(obj)
    elif isinstance(obj, xr.Dataset):
        _flatten_dataset(obj, key, out)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _flatten(getattr(obj, f.name), f"{key}{f.name}.", out, depth + 1)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _flatten(v, f"{key}{k}.", out, depth + 1)
    elif isinstance(obj, (list, tuple)) and not all(isinstance(v, (int, float)) for v in obj):
        for i, v in enumerate(obj):
            _flatten(v, f"{key}{i}.", out, depth + 1)
    else:
        out[key] = obj


def digest(obj: Any, dirs: tuple[str, ...] = ()) -> dict[str, Any]:
    """A flat {key: value} view of a reader's result; folder names in strings replaced."""
    out: dict[str, Any] = {}
    _flatten(obj, "", out)
    out = {k: v for k, v in out.items() if not VOLATILE.search(k)}
    for k, v in out.items():
        if isinstance(v, str):
            for d in dirs:
                v = v.replace(d, "<dir>")
            out[k] = v
    return out


def _array_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Boolean mask of differing elements (NaN == NaN, NaT == NaT), or None when shapes differ."""
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return None
    if a.dtype.kind in "mM":
        a, b = a.view("i8"), b.view("i8")
    if a.dtype.kind in "fc":
        return ~((a == b) | (np.isnan(a) & np.isnan(b)))
    return np.asarray(a != b, dtype=bool).reshape(a.shape)


def _missing(b: np.ndarray) -> np.ndarray:
    if b.dtype.kind in "fc":
        return np.isnan(b)
    if b.dtype.kind in "mM":
        return np.isnat(b)
    return np.zeros(b.shape, dtype=bool)


def _is_flag(key: str) -> bool:
    low = key.lower()
    return MASKED_ATTR in low or "flag" in low or "quality" in low


def _masked_ok(key: str, a: Any, b: Any, new: dict[str, Any]) -> bool:
    """Whether a difference at ``key`` is the reader masking bad values."""
    if _is_flag(key):
        return True
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return False
    diff = _array_diff(a, b)
    if diff is None:
        return False
    name = key.split("var:", 1)[-1]
    counted = bool(new.get(f"attr:{name}.{MASKED_ATTR}", 0))
    return bool(_missing(b)[diff].all()) or counted


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind == "O" or b.dtype.kind == "O":
            pairs = zip(a.flat, b.flat, strict=True)
            return a.shape == b.shape and all(_equal(x, y) for x, y in pairs)
        diff = _array_diff(a, b)
        return diff is not None and not diff.any()
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (np.isnan(a) and np.isnan(b))
    try:
        return bool(a == b)
    except Exception:  # objects without a usable ==
        return repr(a) == repr(b)


_COORD = re.compile(r"(^|_)(lat|lon|latitude|longitude|time)($|_)", re.I)


def _dropped(clean: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The one variable missing from ``new`` when that is the only difference, else None."""
    gone = {k.split("var:", 1)[1] for k in clean if k.startswith("var:") and k not in new}
    if len(gone) != 1:
        return None
    name = gone.pop()
    ours = {k for k in clean if k == f"var:{name}" or k.startswith(f"attr:{name}.")}
    if _COORD.search(name) or set(new) != set(clean) - ours:
        return None
    return name if all(_equal(clean[k], new[k]) for k in new) else None


def compare(clean: dict[str, Any], new: dict[str, Any]) -> tuple[str, str]:
    """``("identical" | "masked" | "dropped" | "silent_success", what differs)``."""
    name = _dropped(clean, new)
    if name is not None:
        return "dropped", f"variable {name!r} left out"
    masked = False
    for key in sorted(set(clean) | set(new)):
        if key in clean and key in new and _equal(clean[key], new[key]):
            continue
        if key not in new:
            return "silent_success", f"{key} missing from the result"
        if key not in clean:
            if _is_flag(key):
                masked = True
                continue
            return "silent_success", f"{key} added to the result"
        if _masked_ok(key, clean[key], new[key], new):
            masked = True
            continue
        return "silent_success", f"{key} differs"
    return ("masked" if masked else "identical"), ""


# ----------------------------------------------------------------------------- readers


@dataclasses.dataclass
class Outcome:
    """What one case gave: its class and a one-line detail (message, module at fault)."""

    cls: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.cls in OK_CLASSES


def call_reader(
    func: Callable[[Path], Any], path: Path, limit: float
) -> tuple[Any, BaseException | None]:
    """``func(path)`` under a time limit, warnings ignored; (result, None) or (None, error)."""
    try:
        with time_limit(limit), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(path), None
    except BaseException as err:  # every failure is classified by the caller
        if isinstance(err, KeyboardInterrupt):
            raise
        return None, err


def classify_error(err: BaseException, path: Path) -> Outcome:
    """``clean_error``, ``unnamed_error``, ``hang`` or ``traceback`` for a reader's error."""
    from fcspace.core.errors import InputError

    text = f"{type(err).__name__}: {err}".replace("\n", " ")[:300]
    if isinstance(err, Hang):
        return Outcome("hang", text)
    if isinstance(err, InputError):
        if path.name in str(err):
            return Outcome("clean_error", text)
        return Outcome("unnamed_error", f"{text} [{where(err)}]")
    return Outcome("traceback", f"{text} [{where(err)}]")


def reader_outcome(
    func: Callable[[Path], Any], path: Path, clean: dict[str, Any] | None, limit: float
) -> Outcome:
    """Read the mutated ``path`` and classify (``clean`` None: any success is silent)."""
    before = sha256(path)
    result, err = call_reader(func, path, limit)
    if sha256(path) != before:
        return Outcome("overwritten_input", "the reader changed its input")
    if err is not None:
        return classify_error(err, path)
    if clean is None:
        return Outcome("silent_success", "another product's file was read without error")
    cls, why = compare(clean, digest(result, (str(path.parent),)))
    return Outcome(cls, why)
