"""fcspace batch on a real scheduler: `dask scheduler` and `dask worker` as separate processes.

The address path (``--scheduler tcp://...``) end to end, and a worker process killed from the
test mid-batch: its tasks go to the surviving worker, nothing is lost, no partial file remains.
Everything listens on 127.0.0.1; every process started here is stopped in ``finally``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fcspace import batch
from fcspace.cfosat.scat.io import open_l2b, write_l1b
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.core.manifest import MANIFEST_NAME, ManifestRecord, sha256_file

DASK = str(Path(sys.executable).with_name("dask"))
LOCAL = ["--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0", "--no-dashboard"]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen([DASK, *args], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait_for(path: Path, procs: list[subprocess.Popen], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text().strip():
        assert all(p.poll() is None for p in procs), "a dask process exited early"
        assert time.monotonic() < deadline, f"no {path} after {timeout} s"
        time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A scheduler and two one-thread workers (no nanny: a killed worker stays dead)."""
    info = tmp_path / "scheduler.json"
    procs: list[subprocess.Popen] = []
    try:
        args = ["scheduler", "--port", "0", "--scheduler-file", str(info), "--idle-timeout", "300s"]
        procs.append(_start([*args, *LOCAL], tmp_path / "scheduler.log"))
        _wait_for(info, procs)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            args = ["worker", address, "--nthreads", "1", "--no-nanny", "--death-timeout", "60s"]
            procs.append(_start([*args, *LOCAL], tmp_path / f"worker{i}.log"))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_batch_on_running_scheduler_survives_a_killed_worker(cluster, tmp_path: Path) -> None:
    address, procs = cluster
    workers = {p.pid: p for p in procs[1:]}
    inputs = []
    for seed in range(6):
        path = tmp_path / f"CFO_SIM_SCA_L1B_{seed:03d}.nc"
        write_l1b(simulate_orbit_segment(8, scene="synoptic", seed=seed), path)
        inputs.append(path)
    killed: list[int] = []

    def kill_first_worker(record: ManifestRecord) -> None:
        pid = int(record.worker.rsplit(":", 1)[1])
        if not killed and pid in workers:
            os.kill(pid, signal.SIGKILL)
            workers[pid].wait(timeout=10)
            killed.append(pid)

    out = tmp_path / "out"
    summary = batch.run_files("scat", inputs, out, scheduler=address, on_record=kill_first_worker)
    assert summary.scheduler == address and summary.workers == 2
    assert killed and procs[0].poll() is None  # one worker died, the scheduler lives
    assert summary.ok and summary.count("done") == 6, summary.to_dict()
    survivors = {int(r.worker.rsplit(":", 1)[1]) for r in summary.records} - set(killed)
    assert survivors and survivors <= set(workers)
    for record in summary.records:
        assert record.sha256 == sha256_file(record.output)
        assert open_l2b(record.output).sizes["numrows"] == 8
    assert not list(out.glob(".*.part"))
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    assert len(lines) == 6

    again = batch.run_files("scat", inputs, out, scheduler=address)
    assert again.count("skipped") == 6 and again.count("done") == 0
