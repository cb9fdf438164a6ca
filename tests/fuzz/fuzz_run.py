"""Run fuzz cases: make the case's copy, mutate it, run the reader or command, classify.

:class:`Runner` holds the corpus and, per reader and per (command, source), the result on the
clean file, computed once. Each case works in its own folder under ``workdir/cases``; nothing
outside ``workdir`` is written (the ``out_unwritable`` case aims at a folder that cannot be
created: ``/proc/...`` when running as root, else a folder without write permission).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fuzz_cases import COMMANDS, READERS, Case, CommandSpec
from fuzz_commands import Run, Watch, command_outcome, json_result, run_inprocess, run_subprocess
from fuzz_corpus import Corpus, Source
from fuzz_harness import Outcome, call_reader, compare, digest, reader_outcome
from fuzz_mutations import BY_NAME

READ_LIMIT_S = 30.0
COMMAND_LIMIT_S = 120.0


def load(target: str) -> Callable[..., Any]:
    """``module:function`` -> the function."""
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:120]


class Runner:
    """Runs cases over one corpus in ``workdir``; clean results cached."""

    def __init__(self, corpus: Corpus, workdir: Path) -> None:
        self.corpus = corpus
        self.workdir = Path(workdir)
        self._clean: dict[str, Any] = {}
        self._wrote: dict[str, frozenset[str]] = {}

    # ---------------------------------------------------------------- shared pieces

    def _case_dir(self, case: Case) -> Path:
        d = self.workdir / "cases" / _slug(case.id)
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        return d

    def clean_read(self, reader: str, source: str) -> tuple[dict[str, Any] | None, str | None]:
        """Digest of ``reader`` on the clean source, or (None, why it failed)."""
        key = f"read|{reader}|{source}"
        if key not in self._clean:
            path = self.corpus.sources[source].path
            result, err = call_reader(load(READERS[reader].target), path, READ_LIMIT_S)
            why = None if err is None else f"{type(err).__name__}: {err}"
            self._clean[key] = (None if err else digest(result, (str(path.parent),)), why)
        return self._clean[key]

    def _mutate(self, case: Case, path: Path, hint: frozenset[str]) -> str | None:
        rng = np.random.default_rng(case.seed)
        with warnings.catch_warnings():  # the same mutation under pytest's "error" filter
            warnings.simplefilter("ignore")
            return BY_NAME[case.mutation].apply(path, rng, hint)

    @staticmethod
    def _hint(clean: dict[str, Any] | None) -> frozenset[str]:
        if not clean:
            return frozenset()
        return frozenset(k.split("var:", 1)[1] for k in clean if "var:" in k) | frozenset(
            k.rstrip(".").rsplit(".", 1)[-1] for k in clean
        )

    # ----------------------------------------------------------------------- readers

    def run_reader(self, case: Case) -> Outcome | None:
        """Outcome of a reader case; None when the mutation does not apply to the file."""
        spec, src = READERS[case.target], self.corpus.sources[case.source]
        func = load(spec.target)
        copy = self._copy(src, self._case_dir(case))
        if case.kind == "wrong":
            return reader_outcome(func, copy, None, READ_LIMIT_S)
        clean, why = self.clean_read(case.target, case.source)
        if clean is None:
            return Outcome("traceback", f"the clean file fails: {why}")
        if self._mutate(case, copy, self._hint(clean)) is None:
            return None
        return reader_outcome(func, copy, clean, READ_LIMIT_S)

    @staticmethod
    def _copy(src: Source, case_dir: Path) -> Path:
        if src.name in ("report_json", "manifest"):
            shutil.copytree(src.path.parent, case_dir / "run")
            return case_dir / "run" / src.path.name
        (case_dir / "in").mkdir()
        dst = case_dir / "in" / src.path.name
        shutil.copyfile(src.path, dst)
        return dst

    # ---------------------------------------------------------------------- commands

    def _out_path(self, spec: CommandSpec, case: Case, case_dir: Path, inp: Path) -> Path | None:
        if spec.out is None:
            return None
        name = f"{inp.stem}_out{spec.out}"
        (case_dir / "out").mkdir(exist_ok=True)
        m = case.mutation
        if m == "out_is_input":
            return inp
        if m == "out_missing_dir":
            return case_dir / "missing" / "sub" / name
        if m == "out_not_dir":
            (case_dir / "afile").write_text("a regular file\n")
            return case_dir / "afile" / name
        if m == "out_unwritable":
            if os.geteuid() == 0:
                return Path("/proc/fcspace-fuzz-unwritable") / name
            locked = case_dir / "locked"
            locked.mkdir(mode=0o500)
            return locked / name
        if m == "out_is_dir":
            (case_dir / "out" / name).mkdir()
        if m == "out_fifo":
            os.mkfifo(case_dir / "out" / name)
        return case_dir / "out" / name

    def _invoke(self, spec: CommandSpec, case: Case, inp: Path, out: Path | None) -> Run:
        fields = {"{in}": str(inp), "{dir}": str(inp.parent), "{out}": str(out),
                  "{outdir}": str(inp.parent.parent / "bout")}  # fmt: skip
        argv = [fields.get(a, a) for a in spec.argv]
        if case.mutation in ("out_fifo", "fifo_png") or spec.name.startswith("batch"):
            return run_subprocess(argv, COMMAND_LIMIT_S)
        return run_inprocess(argv, COMMAND_LIMIT_S)

    def _result(self, spec: CommandSpec, run: Run, inp: Path, out: Path | None) -> Any:
        dirs = tuple(s for s in (str(out) if out else "", str(inp), str(inp.parent.parent)) if s)
        result: dict[str, Any] = {"stdout": json_result(run.stdout, dirs)}
        if out is None or not out.is_file():
            return result
        if spec.product is not None:
            got, err = call_reader(load(READERS[spec.product].target), out, READ_LIMIT_S)
            result["product"] = digest(got, dirs) if err is None else f"unreadable: {err}"
        else:
            result["product_sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
        return result

    def clean_command(self, spec: CommandSpec, source: str) -> tuple[Any, str | None]:
        """The command's result on the clean source (cached), or (None, why it failed)."""
        key = f"cmd|{spec.name}|{source}"
        if key not in self._clean:
            case = Case("command", spec.name, source, "clean")
            case_dir = self._case_dir(case)
            inp = self._copy(self.corpus.sources[source], case_dir)
            out = self._out_path(spec, case, case_dir, inp)
            watch = Watch((inp,), out).start()
            run = self._invoke(spec, case, inp, out)
            watch.expected = watch.new_files()
            wrote = {n.replace(inp.stem, "{stem}") for n in watch.expected}
            bad = command_outcome(run, watch, (inp.name,))
            if bad is None and run.code == 0:
                self._clean[key] = (self._result(spec, run, inp, out), None)
            else:
                self._clean[key] = (None, f"{bad.cls if bad else ''} {run.stderr[-300:]}")
            self._wrote[key] = frozenset(wrote)
        return self._clean[key]

    def run_command(self, case: Case) -> Outcome | None:
        """Outcome of a command case; None when the mutation does not apply."""
        spec, src = COMMANDS[case.target], self.corpus.sources[case.source]
        clean, why = self.clean_command(spec, case.source)
        if clean is None:
            return Outcome("traceback", f"fails on the clean file: {why}")
        case_dir = self._case_dir(case)
        inp = self._copy(src, case_dir)
        read_clean = self.clean_read(spec.reader, case.source)[0] if spec.reader else None
        if case.mutation in BY_NAME and self._mutate(case, inp, self._hint(read_clean)) is None:
            return None
        if case.mutation == "fifo_png":
            os.mkfifo(inp.parent / "trap.png")
        out = self._out_path(spec, case, case_dir, inp)
        wrote = self._wrote[f"cmd|{spec.name}|{case.source}"]
        expected = frozenset(n.replace("{stem}", inp.stem) for n in wrote)
        watch = Watch((inp,), out, expected).start()
        run = self._invoke(spec, case, inp, out)
        names = tuple(n for n in (inp.name, out and out.name, out and out.parent.name) if n)
        bad = command_outcome(run, watch, names)
        if bad is not None:
            return bad
        cls, why = compare(digest(clean), digest(self._result(spec, run, inp, out)))
        if cls == "identical":
            return Outcome("identical")
        if spec.name == "report":
            return Outcome("reported", why)
        if spec.reader and read_clean is not None:
            func = load(READERS[spec.reader].target)
            if reader_outcome(func, inp, read_clean, READ_LIMIT_S).cls == "masked":
                return Outcome("masked", f"its reader masked; {why}")
        return Outcome("silent_success", why)

    def run(self, case: Case) -> Outcome | None:
        """Outcome of any case (None: not applicable to that file)."""
        if case.kind == "command":
            return self.run_command(case)
        return self.run_reader(case)
