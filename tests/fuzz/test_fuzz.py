"""Bounded, seeded fuzz suite over every reader and file-taking command (issue 14).

Each case copies one clean source (a real file of ../shared/data, or a file made by the
project's simulators), applies one row of the seeded mutation table (``fuzz_mutations.py``),
runs a reader in this process or a command (``CliRunner``; a subprocess for FIFOs and batch),
and asserts its outcome class (``fuzz_harness.py``: clean error naming the file, identical or
masked result; never a traceback, a hang, a partial output, an overwritten input or a silent
success on a changed value that is read). The default run takes a representative set of
mutations; ``-m fuzz_long`` runs every mutation on every source. ``tools/fuzz_table.py``
prints the same cases as a table.

Cases still failing are listed in ``known_failures.py`` with the module at fault and marked
``xfail(strict=True)``: a record for the lead, to be removed as the fixes land.
"""

from __future__ import annotations

import os

import pytest
from fuzz_cases import cases
from fuzz_corpus import build_corpus, expected_sources
from fuzz_run import Runner
from known_failures import KNOWN

os.environ.setdefault("MPLBACKEND", "Agg")

_AVAILABLE = expected_sources()
_DEFAULT = cases(_AVAILABLE, long=False)
_LONG = [c for c in cases(_AVAILABLE, long=True) if c not in set(_DEFAULT)]


def _params(table: list, long: bool) -> list:
    out = []
    for case in table:
        marks = [pytest.mark.fuzz_long] if long else []
        if case.id in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[case.id]))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    workdir = tmp_path_factory.mktemp("fuzz")
    return Runner(build_corpus(workdir), workdir)


def test_every_source_is_made(runner: Runner) -> None:
    assert runner.corpus.problems == {}
    assert set(runner.corpus.sources) == set(_AVAILABLE)


def _check(runner: Runner, case) -> None:
    outcome = runner.run(case)
    if outcome is None:
        pytest.skip(f"{case.mutation} does not apply to {case.source}")
    assert outcome.ok, f"{outcome.cls}: {outcome.detail}"


@pytest.mark.parametrize("case", _params(_DEFAULT, long=False))
def test_fuzz(runner: Runner, case) -> None:
    _check(runner, case)


@pytest.mark.parametrize("case", _params(_LONG, long=True))
def test_fuzz_long(runner: Runner, case) -> None:
    _check(runner, case)
