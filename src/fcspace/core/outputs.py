"""Output paths checked before a command starts: never overwrite an input, never write twice.

Every command that writes calls :func:`check_outputs` (files) and/or :func:`check_output_dirs`
(folders it fills) with what it reads and what it will write, *before* any work starts, so that
a bad ``--out`` costs nothing and destroys nothing. The rule is exactly "never overwrite a file
the command reads": an output that is one of the inputs (the same file after resolving links:
:func:`os.path.samefile` when both exist, the resolved paths otherwise) is refused, as is an
output that another output of the same run would overwrite, an output that exists and is a
folder or not a regular file (a FIFO, a device: renaming over it would replace it), and an
output whose location cannot be a folder we may write (a path through a regular file, a folder
without write permission, a read-only file system).

The writes themselves stay temporary-name-then-rename (:func:`fcspace.core.products.atomic_path`),
so a failure during the work still leaves no partial product; these checks only move the
refusals that need no work to the start.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from fcspace.core.errors import InputError

__all__ = ["check_output_dirs", "check_outputs", "file_key", "same_file"]

PathLike = str | os.PathLike[str]


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether two paths name the same file: :func:`os.path.samefile` when both exist.

    When one does not exist, the paths are compared after resolving links
    (:meth:`pathlib.Path.resolve`), so ``out/../x.nc`` and ``x.nc`` are the same file.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def file_key(path: PathLike) -> tuple[int, int] | str:
    """A key equal for two paths exactly when :func:`same_file` says they are the same file.

    ``(st_dev, st_ino)`` of an existing file (links followed), else the resolved path: for
    comparing many paths at once through a set or a dict (a batch over an archive).
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return str(Path(path).resolve())
    return (info.st_dev, info.st_ino)


def _first_existing(path: Path) -> Path:
    """``path`` itself or its nearest ancestor that exists (``lstat``: links count as existing)."""
    current = path.absolute()
    while True:
        try:
            current.lstat()
            return current
        except FileNotFoundError:
            if current.parent == current:
                return current
            current = current.parent
        except NotADirectoryError:
            current = current.parent


def _check_location(folder: Path, target: Path) -> None:
    """The folder that will hold ``target`` is (or can be made) a folder we may write in."""
    existing = _first_existing(folder)
    if not existing.is_dir():
        raise InputError(f"cannot write here: {existing} is not a folder", target)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write here: no write permission in {existing}", target)
    try:
        read_only = bool(os.statvfs(existing).f_flag & os.ST_RDONLY)
    except OSError:  # pragma: no cover - statvfs missing on the platform
        read_only = False
    if read_only:
        raise InputError(f"cannot write here: {existing} is on a read-only file system", target)


def _check_target(target: Path) -> None:
    """An output file path: absent, or an existing regular file (or a link to one)."""
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError:  # a parent is a file: _check_location names it
        info = None
    except OSError as err:
        raise InputError(f"cannot write here: {err.strerror or err}", target) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder: give a file name for this output", target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError("exists and is not a regular file (FIFO, device...): refusing it", target)
    _check_location(target.parent, target)


def check_outputs(inputs: Iterable[PathLike | None], outputs: Iterable[PathLike | None]) -> None:
    """Refuse output files that would overwrite an input or each other, or cannot be written.

    Parameters
    ----------
    inputs
        Every file the command reads (None entries are ignored).
    outputs
        Every file the command will write (None entries are ignored).

    Raises
    ------
    InputError
        Naming the output: it is one of the inputs, two outputs are the same file, it is an
        existing folder or non-regular file, or its location is not a writable folder.
    """
    reads = [Path(p) for p in inputs if p is not None]
    seen: list[Path] = []
    for raw in outputs:
        if raw is None:
            continue
        target = Path(raw)
        for src in reads:
            if same_file(target, src):
                also = "" if str(src) == str(target) else f" ({src})"
                raise InputError(f"is an input of this command{also}: refusing to overwrite it",
                                 target)  # fmt: skip
        for other in seen:
            if same_file(target, other):
                raise InputError(f"written twice by this command (also as {other})", target)
        _check_target(target)
        seen.append(target)


def check_output_dirs(folders: Iterable[PathLike | None]) -> None:
    """Refuse output folders that exist as something else or cannot be created or written.

    Raises
    ------
    InputError
        Naming the folder: it exists and is not a folder, or its location is not writable.
    """
    for raw in folders:
        if raw is None:
            continue
        folder = Path(raw)
        if folder.exists() and not folder.is_dir():
            raise InputError("is not a folder (an output folder was expected)", folder)
        _check_location(folder, folder)
