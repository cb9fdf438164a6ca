"""Pieces shared by every mission's command line: the --json option, errors, result output.

Errors: :class:`CleanErrorsGroup` is the root group of the ``fcspace`` program. Every exception
that a command lets escape ends there as exit code 2 and one line on stderr,
``error: <path>: <problem>`` (:func:`error_line`), with the traceback only under ``--debug`` or
``FCSPACE_DEBUG=1``; click's usage errors keep click's own exit code 2 and message.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from fcspace.core.errors import FcspaceError
from fcspace.core.report import dumps, print_table

#: The ``--json`` option of every command whose result a script reads.
JSON_OPT = typer.Option(False, "--json", help="Print one JSON object for scripts (no bars).")

#: Environment variable that turns on ``--debug`` (full tracebacks of failures).
DEBUG_ENV = "FCSPACE_DEBUG"

_ARGV_KEY = "fcspace.argv"
#: What click handles itself (exit codes, usage errors): the click that typer uses, vendored
#: or not, so ``ClickException`` is found among the bases of ``typer.BadParameter``.
_PASS_THROUGH = (
    typer.Exit,
    typer.Abort,
    next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) turned into one space."""
    return " ".join(str(text).split())


def _named(text: str, files: list[str]) -> bool:
    return any(f in text or Path(f).name in text for f in files)


def error_line(err: BaseException, command: str = "", files: list[str] | None = None) -> str:
    """The one line a failure prints: ``error: <path>: <problem>``.

    ``FcspaceError`` (``InputError`` names its file) prints its message; an ``OSError`` with a
    file name prints ``<file>: <reason>``; any other exception ``<command>: <Type>: <message>``.
    When the message names none of ``files`` (the command's existing file arguments), they
    are put in front so the line always says which file the command was working on.
    """
    files = files or []
    if isinstance(err, FcspaceError):
        text = str(err) or type(err).__name__
    elif isinstance(err, OSError) and err.filename is not None:
        names = " -> ".join(str(f) for f in (err.filename, err.filename2) if f is not None)
        text = f"{names}: {err.strerror or type(err).__name__}"
    else:
        message = str(err)
        kind = f"{type(err).__name__}: {message}" if message else type(err).__name__
        text = f"{command}: {kind}" if command else kind
    if files and not _named(text, files):
        shown = ", ".join(files[:3]) + (f" (+{len(files) - 3} more)" if len(files) > 3 else "")
        text = f"{shown}: {text}"
    return f"error: {one_line(text)}"


#: The running command's ``--debug`` and command line (set by :class:`CleanErrorsGroup`).
_RUN: dict[str, Any] = {"debug": False, "argv": []}


def debug_on() -> bool:
    """Whether failures print their traceback: ``--debug`` given, or ``FCSPACE_DEBUG`` set."""
    return bool(_RUN["debug"]) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def fail(err: Exception) -> NoReturn:
    """Print ``err`` as one line on stderr and leave with exit code 2 (bad input or settings).

    The line names the command's file arguments when the message names none of them
    (:func:`error_line`); under ``--debug`` the traceback is printed first.
    """
    if debug_on():
        import traceback

        traceback.print_exception(err, file=sys.stderr)
    typer.secho(error_line(err, files=_existing_files(_RUN["argv"])), err=True, fg="red")
    raise typer.Exit(2)


def _quiet_logging() -> None:
    """A root log handler at WARNING before any library installs its own.

    Some libraries call ``logging.basicConfig(level="INFO")`` when imported (wavespectra's
    FUNWAVE writer does, and xarray imports it while looking for NetCDF backends); the
    root logger would then print every INFO record, with tracebacks, on stderr. With a handler
    already there, ``basicConfig`` does nothing (Python ``logging`` documentation).
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(name)s: %(message)s"))
        # the handler's own level too: loggers set to INFO by their library (dask's logging
        # config sets ``distributed`` to INFO) propagate their records to it
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
        root.setLevel(logging.WARNING)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log handler writing to the ``sys.stderr`` of the moment, as ``logging.lastResort`` does.

    A replaced stderr (a test runner's) is therefore never kept after it is closed.
    """

    @property  # type: ignore[override]
    def stream(self) -> Any:
        """The current ``sys.stderr``."""
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        del value  # StreamHandler.__init__ sets it: ignored


class CleanErrorsGroup(TyperGroup):
    """Root command group: any exception of any subcommand → exit 2 and one line on stderr.

    The traceback is printed first (on stderr) with the global ``--debug`` option or
    ``FCSPACE_DEBUG=1``. ``typer.Exit``, ``typer.Abort`` and click's usage errors pass through
    untouched (click prints them and exits with its own codes).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Remember the command line (for :meth:`invoke`'s error line), then parse it."""
        ctx.meta[_ARGV_KEY] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        """Run the subcommand; turn any escaping exception into exit 2 and one line."""
        _quiet_logging()
        _RUN.update(debug=bool(ctx.params.get("debug")), argv=ctx.meta.get(_ARGV_KEY, []))
        from fcspace.core.progress import command_activity, wants_progress

        argv = ctx.meta.get(_ARGV_KEY, [])
        try:
            with command_activity(wants_progress(argv), f"fcspace {self._command_path(ctx, argv)}"):
                return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except Exception as err:  # every failure of every command: the net
            argv = ctx.meta.get(_ARGV_KEY, [])
            if debug_on():
                import traceback

                traceback.print_exc(file=sys.stderr)
            line = error_line(err, self._command_path(ctx, argv), _existing_files(argv))
            typer.secho(line, err=True, fg="red")
            raise typer.Exit(2) from None
        finally:
            _RUN.update(debug=False, argv=[])

    def _command_path(self, ctx: Any, argv: list[str]) -> str:
        """``scat quicklook``: the (sub)command names at the start of the command line."""
        names: list[str] = []
        group: Any = self
        for token in (a for a in argv if not a.startswith("-")):
            sub = group.get_command(ctx, token) if hasattr(group, "get_command") else None
            if sub is None:
                break
            names.append(token)
            group = sub
        return " ".join(names)


def _existing_files(argv: list[str]) -> list[str]:
    """The command-line tokens that name existing regular files (the command's file inputs)."""
    out = []
    for token in argv:
        try:
            if token and not token.startswith("-") and os.path.isfile(token):
                out.append(token)
        except (OSError, ValueError):  # a token too long or with a NUL byte
            continue
    return out


def emit(result: dict[str, Any], as_json: bool, title: str) -> None:
    """Print a result: one JSON object, or rich tables (nested score groups as sub-tables)."""
    if as_json:
        typer.echo(dumps(result))
        return
    flat = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    print_table(title, flat)
    for key, value in result.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            for sub, scores in value.items():
                print_table(f"{title}: {key} {sub}", scores)


def level_name(src: Path, from_level: str, to_level: str) -> str:
    """Product file name: the input's level tag (``L1B``) turned into the output's (``L2B``).

    The whole input name is kept (only a final ``.nc`` is dropped), so inputs that share a
    stem (``a.nc``, ``a.h5``) get different products: ``a_L1B.nc`` → ``a_L2B.nc``,
    ``a_L1B.h5`` → ``a_L2B.h5.nc``. Without the tag, ``_<to_level>`` is appended
    (``a.nc`` → ``a_l2b.nc``).
    """
    base = src.name[:-3] if src.name.lower().endswith(".nc") else src.name
    for old, new in ((from_level, to_level), (from_level.lower(), to_level.lower())):
        if old in base:
            return base.replace(old, new) + ".nc"
    return f"{base}_{to_level.lower()}.nc"


def file_tasks(
    inputs: list[Path], out: Path | None, out_dir: Path | None, name: Callable[[Path], str]
) -> list[tuple[Path, Path]]:
    """(input, output) pairs: ``--out`` for one input, else ``--out-dir`` / ``name(input)``.

    Paths are made absolute here: the tasks may run on the workers of a dask scheduler
    (``--scheduler``), whose working folder is not this one. The outputs are checked before
    any work (:func:`fcspace.core.outputs.check_outputs`): none may be one of the inputs
    (``--out`` = the input, or a product named like another input in the same folder), two
    inputs may not make the same product, and the location must be a folder we may write in.
    """
    from fcspace.core.outputs import check_outputs

    inputs = [p.absolute() for p in inputs]
    if len(inputs) == 1 and out is not None:
        tasks = [(inputs[0], out.absolute())]
    elif out_dir is None:
        raise typer.BadParameter("give --out for one input or --out-dir for several")
    else:
        tasks = [(p, out_dir.absolute() / name(p)) for p in dict.fromkeys(inputs)]
    check_outputs(inputs, [dst for _, dst in tasks])
    return tasks


def process_files(
    func: Callable[[tuple[Path, Path]], dict[str, Any]],
    tasks: list[tuple[Path, Path]],
    options: dict[str, Any],
    title: str,
    hide: tuple[str, ...] = (),
) -> None:
    """Run one task per file (``run_batch``) and print the summaries (JSON or tables).

    ``options`` holds the command's ``scheduler``, ``workers`` and ``as_json`` values.
    """
    from fcspace.core.errors import FcspaceError
    from fcspace.core.parallel import run_batch

    as_json = bool(options["as_json"])
    try:
        results = run_batch(func, tasks, scheduler=options["scheduler"],
                            n_workers=options["workers"], progress=not as_json,
                            description=title)  # fmt: skip
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(results[0] if len(results) == 1 else results))
        return
    for res in results:
        emit({k: v for k, v in res.items() if k not in hide}, False, title)
