"""Batch processing of many files: one dask task per file, a manifest, resume and retries.

A *batch task* turns one input file into one product
(:class:`~fcspace.core.registry.BatchTask`, importable from here too). Missions register
theirs by name in their ``mission.py`` (:mod:`fcspace.core.registry`; the task itself lives in
the mission package, e.g. ``fcspace.cfosat.scat.batch_task``); :func:`get_task` finds a task by
name among those and the ones added at run time with :func:`register_task`. :func:`run_files`
runs a task over many files, one dask task per file (``client.map`` + ``as_completed``,
:func:`fcspace.core.parallel.map_completed`), each task reading, processing and writing its own
product atomically on its worker; the client only plans, records the outcome of every file in
the folder's manifest (:mod:`fcspace.core.manifest`) and shows progress. DESIGN.md "Scaling
out".

Reliability
-----------
- A bad input fails its own task: the exception is caught on the worker and recorded as
  ``failed`` with ``"Type: message"``; the other files go on.
- A worker that dies mid-task (killed, out of memory) loses its task to the scheduler, which
  runs it again on another worker (up to ``distributed.scheduler.allowed-failures`` times,
  then the file is recorded as failed with ``KilledWorker``). Products are written under a
  temporary name and renamed when complete (:func:`fcspace.core.products.atomic_path`), so a
  dead task leaves no product; the temporary files it leaves (``.NAME.*.part``) are removed
  before and after the batch.
- Resume: a re-run skips every input whose manifest record is ``done`` or ``skipped`` and whose
  product is still there with the recorded size and SHA-256 (and whose input has the recorded
  size and mtime); it runs the rest (failed, missing, changed, never finished). Products are
  renamed over their own name, so nothing is duplicated.

Files must be on storage that the client and every worker see under the same paths.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from glob import escape
from pathlib import Path
from typing import Any

from fcspace.core import registry
from fcspace.core.errors import ConfigError
from fcspace.core.manifest import (
    Manifest,
    ManifestRecord,
    input_stat,
    is_complete,
    sha256_file,
)
from fcspace.core.parallel import dashboard_link, dask_client, map_completed
from fcspace.core.products import utc_now
from fcspace.core.registry import BatchTask

Job = tuple[str, str]  # (input path, output path), both absolute


#: Batch tasks added at run time by :func:`register_task` (missions register theirs in their
#: ``mission.py``); a name here hides a mission's task of the same name.
TASKS: dict[str, BatchTask] = {}


def register_task(task: BatchTask) -> BatchTask:
    """Add ``task`` to :data:`TASKS` (replacing one of the same name) and return it."""
    TASKS[task.name] = task
    return task


def task_names() -> list[str]:
    """Names of every known task: the missions' and those of :func:`register_task`, sorted."""
    return sorted(set(TASKS) | set(registry.batch_task_names()))


def get_task(name: str) -> BatchTask:
    """The task ``name``: one added by :func:`register_task`, else the one a mission registers.

    Raises
    ------
    ConfigError
        No task of that name.
    """
    if name in TASKS:
        return TASKS[name]
    if name not in registry.batch_task_names():
        known = ", ".join(task_names())
        raise ConfigError(f"unknown batch task {name!r} (known: {known})")
    return registry.batch_task(name)


# --------------------------------------------------------------------------------------------
# One file, on a worker
# --------------------------------------------------------------------------------------------


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def error_text(err: BaseException) -> str:
    """``"Type: message"`` of an exception, as the manifest records it."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def execute(task_name: str, process: Callable[[Path, Path], Any], job: Job) -> ManifestRecord:
    """Run one file's task where it is called (a dask worker) and return its manifest record.

    Every exception of ``process`` becomes a ``failed`` record (the batch goes on); after a
    success the product's SHA-256 and size are taken here, on the worker.
    """
    src, dst = job
    size, mtime = input_stat(src)
    common = {"task": task_name, "input": src, "output": dst, "input_bytes": size,
              "input_mtime_ns": mtime, "worker": _worker_id()}  # fmt: skip
    start = time.perf_counter()
    try:
        process(Path(src), Path(dst))
        digest, nbytes = sha256_file(dst), os.path.getsize(dst)
    except Exception as err:  # noqa: BLE001 - a bad file fails its own task, recorded
        return ManifestRecord(status="failed", error=error_text(err),
                              seconds=time.perf_counter() - start, **common)  # fmt: skip
    return ManifestRecord(status="done", sha256=digest, output_bytes=nbytes,
                          seconds=time.perf_counter() - start, **common)  # fmt: skip


def _lost_record(task_name: str, job: Job, err: BaseException) -> ManifestRecord:
    """Record of a task that did not come back (its workers died, it was cancelled...)."""
    size, mtime = input_stat(job[0])
    text = error_text(err)
    if type(err).__name__ == "KilledWorker":
        text = f"the workers running this file died (killed or out of memory): {text}"
    return ManifestRecord(task=task_name, input=job[0], output=job[1], status="failed",
                          input_bytes=size, input_mtime_ns=mtime, error=text)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Planning and cleaning
# --------------------------------------------------------------------------------------------


def plan_jobs(
    task: BatchTask, inputs: Iterable[str | os.PathLike[str]], out_dir: Path
) -> list[Job]:
    """``(input, output)`` absolute paths, one per distinct input, in input order.

    Nothing is written or run before every product name is known to be safe: no product may be
    its own input or any other input of the batch (``a_L1B.nc`` makes ``a_L2B.nc``: with
    ``a_L2B.nc`` also an input in the output folder, that input would be replaced), nor the
    manifest, and no two inputs may make the same product. Paths are compared as files
    (:func:`fcspace.core.outputs.same_file`: links resolved).

    Raises
    ------
    ConfigError
        Two inputs would write the same product, or a product would overwrite an input.
    """
    from fcspace.core.manifest import MANIFEST_NAME
    from fcspace.core.outputs import file_key

    out = Path(out_dir).absolute()
    sources = list(dict.fromkeys(str(Path(raw).absolute()) for raw in inputs))  # dedupe
    read = {file_key(src): src for src in sources}
    jobs: list[Job] = []
    owner: dict[tuple[int, int] | str, str] = {}
    for src in sources:
        dst = str(out / task.output_name(Path(src)))
        key = file_key(dst)
        if key == file_key(src):
            raise ConfigError(f"the product of {src} would overwrite it: choose another --out")
        if key in owner:
            raise ConfigError(f"{owner[key]} and {src} would both write {dst}")
        if key in read:
            raise ConfigError(f"the product of {src} would overwrite the input {read[key]}: "
                              "give an output folder that holds no input")  # fmt: skip
        owner[key] = src
        jobs.append((src, dst))
    if (key := file_key(out / MANIFEST_NAME)) in read:
        raise ConfigError(f"the batch manifest would overwrite the input {read[key]}")
    return jobs


def remove_partials(outputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Delete the temporary files (``.NAME.*.part``) that dead tasks left beside ``outputs``."""
    removed = []
    for output in outputs:
        dst = Path(output)
        if not dst.parent.is_dir():
            continue
        for part in dst.parent.glob(f".{escape(dst.name)}.*.part"):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def _split(
    task: BatchTask, jobs: Sequence[Job], previous: dict[str, ManifestRecord]
) -> tuple[list[Job], list[ManifestRecord]]:
    """Jobs still to run, and ``skipped`` records of those whose product is complete."""
    todo: list[Job] = []
    skipped: list[ManifestRecord] = []
    for src, dst in jobs:
        start = time.perf_counter()
        record = previous.get(src)
        if record is not None and record.output == dst and is_complete(record, src):
            seconds = time.perf_counter() - start
            skipped.append(
                record.replace(
                    task=task.name, status="skipped", seconds=seconds, finished=utc_now()
                )
            )
        else:
            todo.append((src, dst))
    return todo, skipped


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What a batch did.

    Attributes
    ----------
    task, out_dir, manifest
        Task name, output folder and manifest path.
    scheduler
        Address of the dask scheduler, or ``"in-process"`` when nothing was left to run or a
        single file ran without a scheduler.
    workers
        Workers connected when the batch started.
    dashboard
        Dashboard address, or the reason there is none.
    records
        This run's record of every input, in input order.
    wall_seconds
        Time from submitting the tasks to the end of the last one (cluster start excluded).
    """

    task: str
    out_dir: str
    manifest: str
    scheduler: str = "in-process"
    workers: int = 1
    dashboard: str = "none (ran in this process)"
    records: list[ManifestRecord] = field(default_factory=list)
    wall_seconds: float = 0.0

    def count(self, status: str) -> int:
        """Number of inputs with this status in this run."""
        return sum(r.status == status for r in self.records)

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return self.count("failed") == 0

    @property
    def files_per_second(self) -> float:
        """Products made (``done``) per second of wall time."""
        done = self.count("done")
        return done / self.wall_seconds if self.wall_seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain summary for ``--json``: counts, timing, cluster and the failures."""
        return {
            "task": self.task, "out_dir": self.out_dir, "manifest": self.manifest,
            "scheduler": self.scheduler, "workers": self.workers, "dashboard": self.dashboard,
            "inputs": len(self.records), "done": self.count("done"),
            "skipped": self.count("skipped"), "failed": self.count("failed"),
            "wall_seconds": round(self.wall_seconds, 3),
            "files_per_second": round(self.files_per_second, 4),
            "failures": [{"input": r.input, "error": r.error}
                         for r in self.records if r.status == "failed"],
        }  # fmt: skip


def _progress(enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())  # fmt: skip
    return Progress(*columns, console=Console(stderr=True), disable=not enabled)


def _cluster_info(client: Any, summary: BatchSummary) -> None:
    if client is None:
        return
    summary.scheduler = str(client.scheduler.address)
    summary.workers = len(client.nthreads())
    summary.dashboard = dashboard_link(client)


@dataclass
class _Run:
    """State shared by the steps of one batch (kept small for the callbacks)."""

    task: BatchTask
    manifest: Manifest
    summary: BatchSummary
    on_record: Callable[[ManifestRecord], None] | None

    def record(self, record: ManifestRecord) -> None:
        self.manifest.append(record)
        self.summary.records.append(record)
        if self.on_record is not None:
            self.on_record(record)


def _run_jobs(run: _Run, todo: list[Job], options: dict[str, Any]) -> None:
    """Map the jobs on the cluster; record each outcome as it arrives."""
    func = partial(execute, run.task.name, run.task.process)
    n_total = len(todo) + len(run.summary.records)
    scheduler = options["scheduler"] if todo else None  # nothing to run: no cluster at all
    with (
        dask_client(len(todo), scheduler, options["n_workers"], True) as client,
        _progress(options["progress"]) as bar,
    ):
        _cluster_info(client, run.summary)
        if options["on_start"] is not None:
            options["on_start"](run.summary)
        bar_id = bar.add_task(run.task.description or run.task.name, total=n_total,
                              completed=len(run.summary.records))  # fmt: skip
        start = time.perf_counter()
        with closing(map_completed(client, func, todo, retries=1)) as outcomes:
            for i, result, error in outcomes:  # an exception here cancels the rest (closing)
                run.record(result if error is None else _lost_record(run.task.name, todo[i], error))
                bar.advance(bar_id)
        run.summary.wall_seconds = time.perf_counter() - start


def run_files(
    task: str | BatchTask,
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    scheduler: str | None = None,
    n_workers: int | None = None,
    progress: bool = False,
    on_start: Callable[[BatchSummary], None] | None = None,
    on_record: Callable[[ManifestRecord], None] | None = None,
) -> BatchSummary:
    """Run a batch task over many files, one dask task per file; resume what is done.

    Parameters
    ----------
    task
        Task name (:func:`get_task`) or a :class:`BatchTask`.
    inputs
        Input files; each distinct one makes one product in ``out_dir``.
    out_dir
        Output folder; holds the products and ``manifest.jsonl``.
    scheduler
        Address of a running dask scheduler; default: a LocalCluster of ``n_workers``
        one-thread processes (default: one per core), or this process for a single file.
    n_workers
        Workers of the LocalCluster (ignored with ``scheduler``).
    progress
        Show a rich progress bar over the files (on stderr).
    on_start
        Called with the summary once the cluster is up (scheduler, workers, dashboard known).
    on_record
        Called with each file's record as it arrives (skipped ones first).

    Returns
    -------
    BatchSummary
        Records of this run in input order, counts, timing. Failures do not raise: check
        :attr:`BatchSummary.ok`.

    Raises
    ------
    ConfigError
        Unknown task, clashing outputs, unreachable scheduler, another batch on ``out_dir``.
    """
    spec = get_task(task) if isinstance(task, str) else task
    out = Path(out_dir).absolute()
    jobs = plan_jobs(spec, inputs, out)
    manifest = Manifest(out)
    summary = BatchSummary(spec.name, str(out), str(manifest.path))
    run = _Run(spec, manifest, summary, on_record)
    options = {"scheduler": scheduler, "n_workers": n_workers, "progress": progress,
               "on_start": on_start}  # fmt: skip
    with manifest.lock():
        outputs = [dst for _, dst in jobs]
        remove_partials(outputs)
        todo, skipped = _split(spec, jobs, manifest.load())
        try:
            for record in skipped:
                run.record(record)
            _run_jobs(run, todo, options)
        finally:
            remove_partials(outputs)
            manifest.compact(summary.records)
    order = {src: i for i, (src, _) in enumerate(jobs)}
    summary.records.sort(key=lambda r: order[r.input])
    return summary
