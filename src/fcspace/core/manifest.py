"""The batch manifest: one JSON line per input file, so that a batch can resume.

A batch writes ``manifest.jsonl`` (JSON Lines) in its output folder. Each line records one
input file and what became of it::

    {"task": "scat", "input": "/data/l1b/a_L1B.nc", "input_bytes": 1608274,
     "input_mtime_ns": 1764085200000000000, "output": "/data/l2b/a_L2B.nc",
     "status": "done", "sha256": "9f2c...", "output_bytes": 812345, "seconds": 41.7,
     "error": null, "worker": "node12:4711", "finished": "2026-11-25T16:00:00Z",
     "fcspace_version": "0.1.0"}

``status`` is ``done`` (the task wrote ``output``, whose SHA-256 is ``sha256``), ``failed``
(``error`` says why; no output is claimed) or ``skipped`` (a re-run found the output complete:
present, with the recorded size and SHA-256, made from an input of the same size and mtime).
``seconds`` is the time the task took on its worker (for ``skipped``: the time to verify).

While a batch runs, lines are appended (flushed and fsync'ed) as tasks end, so an interrupted
batch keeps what it finished; a line cut short by a crash is ignored on reading. At the end the
file is rewritten atomically with one line per input (the latest), inputs of earlier batches
included. Only the process that runs the batch writes the manifest, under an exclusive lock
(``.manifest.lock`` beside it): two batches cannot share an output folder at the same time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fcspace import __version__
from fcspace.core.errors import ConfigError
from fcspace.core.products import atomic_path, utc_now

MANIFEST_NAME = "manifest.jsonl"
LOCK_NAME = ".manifest.lock"
Status = Literal["done", "failed", "skipped"]
STATUSES: tuple[str, ...] = ("done", "failed", "skipped")


def sha256_file(path: str | os.PathLike[str], chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks of ``chunk_bytes``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ManifestRecord:
    """What became of one input file in one batch (one manifest line).

    Attributes
    ----------
    task
        Name of the batch task (``scat``, ``swim``, ...).
    input, output
        Absolute paths of the input file and of its product.
    status
        ``done``, ``failed`` or ``skipped``.
    input_bytes, input_mtime_ns
        Size and modification time of the input when it was processed (None if unreadable).
    sha256, output_bytes
        SHA-256 (hex) and size of the product; None unless ``status`` is done or skipped.
    seconds
        Time taken by the task on its worker (for ``skipped``, the time to verify).
    error
        ``"ExceptionType: message"`` for a failed task, else None.
    worker
        ``host:pid`` of the process that ran the task, when known.
    finished
        UTC time the record was made (ISO 8601).
    fcspace_version
        Version of fcspace that made the record.
    """

    task: str
    input: str
    output: str
    status: Status
    input_bytes: int | None = None
    input_mtime_ns: int | None = None
    sha256: str | None = None
    output_bytes: int | None = None
    seconds: float = 0.0
    error: str | None = None
    worker: str | None = None
    finished: str = dataclasses.field(default_factory=utc_now)
    fcspace_version: str = __version__

    def to_json(self) -> str:
        """One JSON line (no newline), keys in field order."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ManifestRecord:
        """Record from a parsed JSON line; unknown keys are ignored (newer writers)."""
        names = {f.name for f in dataclasses.fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in names})
        if record.status not in STATUSES:
            raise ValueError(f"unknown status {record.status!r}")
        return record

    def replace(self, **changes: Any) -> ManifestRecord:
        """Copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def input_stat(path: str | os.PathLike[str]) -> tuple[int | None, int | None]:
    """``(size in bytes, mtime in ns)`` of an input file, ``(None, None)`` if it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    return st.st_size, st.st_mtime_ns


class Manifest:
    """The JSON Lines manifest of a batch output folder (see the module docstring).

    Parameters
    ----------
    directory
        The batch output folder; the manifest is ``directory / "manifest.jsonl"``.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.path = self.directory / MANIFEST_NAME

    def load(self) -> dict[str, ManifestRecord]:
        """The latest record of every input (keyed by input path); {} without a manifest.

        Lines that do not parse (the last line of a crashed batch, cut short) are ignored.
        """
        records: dict[str, ManifestRecord] = {}
        if not self.path.exists():
            return records
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                try:
                    record = ManifestRecord.from_dict(json.loads(line))
                except (ValueError, TypeError):
                    continue
                records[record.input] = record
        return records

    def append(self, record: ManifestRecord) -> None:
        """Add one line, flushed and fsync'ed (it survives a crash of this process)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(record.to_json() + "\n")
            f.flush()
            os.fsync(f.fileno())

    def compact(self, records: Iterable[ManifestRecord]) -> None:
        """Rewrite the manifest atomically: the latest of these and the stored records, one each.

        Records of the file come first; a record given here replaces the stored one of its
        input. Lines are sorted by input path.
        """
        merged = self.load()
        merged.update({r.input: r for r in records})
        with atomic_path(self.path) as tmp:
            tmp.write_text(
                "".join(merged[key].to_json() + "\n" for key in sorted(merged)), encoding="utf-8"
            )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's exclusive batch lock for the block.

        Raises
        ------
        ConfigError
            Another process holds it (a batch is already writing to this folder).
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_NAME, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as err:
                raise ConfigError(
                    f"another batch is writing to {self.directory} (lock {LOCK_NAME} is held)"
                ) from err
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def is_complete(record: ManifestRecord | None, input_path: str | os.PathLike[str]) -> bool:
    """Whether ``record`` vouches for a finished product of ``input_path`` that is still intact.

    True when the record is ``done`` or ``skipped``, the input still has the recorded size and
    mtime, and the output exists with the recorded size and SHA-256 (read again here).
    """
    if record is None or record.status == "failed" or record.sha256 is None:
        return False
    if input_stat(input_path) != (record.input_bytes, record.input_mtime_ns):
        return False
    out = Path(record.output)
    try:
        if out.stat().st_size != record.output_bytes:
            return False
        return sha256_file(out) == record.sha256
    except OSError:
        return False
