"""fcspace batch: manifest, resume, bad inputs, a worker killed mid-task, the SWIM task, the CLI."""

from __future__ import annotations

import json
import os
import signal
import sys
from functools import partial
from pathlib import Path

import cloudpickle
import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from fcspace import batch
from fcspace.batch_cli import app
from fcspace.cfosat.scat.batch_task import scat_output_name, scat_task
from fcspace.cfosat.scat.io import open_l2b, write_l1b
from fcspace.cfosat.scat.simulate import simulate_orbit_segment
from fcspace.core.errors import ConfigError
from fcspace.core.manifest import (
    LOCK_NAME,
    MANIFEST_NAME,
    Manifest,
    ManifestRecord,
    is_complete,
    sha256_file,
)
from fcspace.core.products import atomic_path

ROWS = 8  # a few rows keep one SCAT task under a second

# The test tasks below run on LocalCluster worker processes (spawned), which cannot import
# this test module: ship its functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def l1b_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("l1b")
    for seed in range(4):
        l1b = simulate_orbit_segment(ROWS, scene="synoptic", seed=seed, start_lat=-30.0 + seed)
        write_l1b(l1b, folder / f"CFO_SIM_SCA_L1B_{seed:03d}.nc")
    return folder


def _good(l1b_dir: Path, n: int = 4) -> list[Path]:
    return sorted(l1b_dir.glob("CFO_SIM_SCA_L1B_*.nc"))[:n]


def write_swim_l2p(path: Path, seed: int = 0, n_box: int = 3, nk: int = 5) -> Path:
    """A small SWIM L2P box file: symmetric random spectra, valid flags, wave_param all -1."""
    rng = np.random.default_rng(seed)
    side = ("n_posneg", "n_box")
    time_attrs = {"units": "seconds since 2000-01-01 00:00:00", "calendar": "gregorian"}
    t0 = 7.0e8 + 30.0 * np.arange(n_box)
    half = rng.uniform(1e-4, 5e-3, (nk, 12, 2, n_box))
    spectrum = np.concatenate([half, half], axis=1)  # F(phi + 180) = F(phi)
    variables = {
        "time_nadir_l2": (("n_box",), t0, time_attrs),
        "time_spec_l2": (side, np.stack([t0, t0 + 1.0]), time_attrs),
        "lat_nadir_l2": (("n_box",), np.linspace(-20.0, -19.0, n_box), {}),
        "lon_nadir_l2": (("n_box",), np.linspace(60.0, 60.2, n_box), {}),
        "lat_spec_l2": (side, np.full((2, n_box), -19.5), {}),
        "lon_spec_l2": (side, np.full((2, n_box), 60.1), {}),
        "k_spectra": (("nk",), np.geomspace(0.012, 0.25, nk), {}),
        "phi_vector": (("n_phi",), 7.5 + 15.0 * np.arange(24), {}),
        "nadir_swh_box": (("n_box",), rng.uniform(1.0, 4.0, n_box), {}),
        "flag_valid_swh_box": (("n_box",), np.zeros(n_box, np.int8), {}),
        "pp_mean": (("nk", "n_phi", *side), spectrum, {}),
        "flag_valid_pp_mean": (("nk", "n_phi", *side), np.zeros(spectrum.shape, np.int8), {}),
        "wave_param": (("nparam", *side), np.full((3, 2, n_box), -1.0), {}),
    }
    ds = xr.Dataset({name: xr.DataArray(values, dims=dims, attrs=attrs)
                     for name, (dims, values, attrs) in variables.items()})  # fmt: skip
    ds.to_netcdf(path, format="NETCDF4", encoding={n: {"_FillValue": None} for n in variables})
    return path


def _bad_inputs(l1b_dir: Path, folder: Path) -> dict[str, Path]:
    good = _good(l1b_dir, 1)[0].read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    truncated = folder / "truncated_L1B.nc"
    truncated.write_bytes(good[: len(good) // 2])
    empty = folder / "empty_L1B.nc"
    empty.write_bytes(b"")
    wrong = write_swim_l2p(folder / "swim_not_scat_L1B.nc")
    return {"truncated": truncated, "empty": empty, "wrong": wrong}


def _lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / MANIFEST_NAME).read_text().splitlines()]


def _leftovers(out: Path) -> list[Path]:
    return sorted(out.glob(".*.part"))


# --------------------------------------------------------------------------------------------
# Planning, manifest, registry (no cluster)
# --------------------------------------------------------------------------------------------


def test_registry_has_scat_and_swim_and_refuses_unknown() -> None:
    assert {"scat", "swim"} <= set(batch.task_names())
    assert batch.get_task("scat").output_name(Path("/a/CFO_X_L1B_1.nc")) == "CFO_X_L2B_1.nc"
    assert batch.get_task("swim").output_name(Path("/a/b.nc")) == "b_fcspace_l2.nc"
    with pytest.raises(ConfigError, match="unknown batch task 'sar'.*scat, swim"):
        batch.get_task("sar")


def test_plan_jobs_dedupes_and_refuses_clashes(tmp_path: Path) -> None:
    scat = batch.get_task("scat")
    jobs = batch.plan_jobs(scat, [tmp_path / "a_L1B.nc", tmp_path / "a_L1B.nc"], tmp_path / "o")
    assert jobs == [(str(tmp_path / "a_L1B.nc"), str(tmp_path / "o" / "a_L2B.nc"))]
    with pytest.raises(ConfigError, match="would both write"):
        batch.plan_jobs(scat, [tmp_path / "x/a_L1B.nc", tmp_path / "y/a_L1B.nc"], tmp_path)
    same_name = batch.BatchTask("copy", scat_task, lambda p: p.name)
    with pytest.raises(ConfigError, match="would overwrite it"):
        batch.plan_jobs(same_name, [tmp_path / "c.nc"], tmp_path)


def test_plan_jobs_never_writes_over_another_input(tmp_path: Path) -> None:
    """Issue 14: a_L1B.nc's product a_L2B.nc must not replace the input a_L2B.nc."""
    scat = batch.get_task("scat")
    l1b, l2b = tmp_path / "a_L1B.nc", tmp_path / "a_L2B.nc"
    l1b.write_bytes(b"l1b")
    l2b.write_bytes(b"l2b")
    with pytest.raises(ConfigError, match=f"would overwrite the input {l2b}"):
        batch.plan_jobs(scat, [l1b, l2b], tmp_path)
    (tmp_path / "in").mkdir()
    link = tmp_path / "in" / "a_L2B.nc"
    link.symlink_to(l2b)  # the same file under another name
    with pytest.raises(ConfigError, match="would overwrite the input"):
        batch.plan_jobs(scat, [l1b, link], tmp_path)
    # elsewhere, both run: the tagged name and the whole name keep their products apart
    jobs = batch.plan_jobs(scat, [l1b, l2b], tmp_path / "o")
    assert [Path(d).name for _, d in jobs] == ["a_L2B.nc", "a_L2B_l2b.nc"]
    manifest = tmp_path / "m" / "manifest.jsonl"
    manifest.parent.mkdir()
    manifest.write_bytes(b"{}")
    with pytest.raises(ConfigError, match="manifest would overwrite the input"):
        batch.plan_jobs(scat, [l1b, manifest], tmp_path / "m")


def test_batch_cli_refusals_are_one_line_and_leave_inputs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fcspace.cli import app

    l1b, l2b = tmp_path / "a_L1B.nc", tmp_path / "a_L2B.nc"
    l1b.write_bytes(b"l1b")
    l2b.write_bytes(b"l2b")
    res = CliRunner().invoke(app, ["batch", "scat", str(l1b), str(l2b), "--out", str(tmp_path)])
    assert res.exit_code == 2 and len(res.stderr.splitlines()) == 1, res.stderr
    assert str(l2b) in res.stderr and "Traceback" not in res.stderr
    assert l1b.read_bytes() == b"l1b" and l2b.read_bytes() == b"l2b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_L1B.nc", "a_L2B.nc"]
    res = CliRunner().invoke(app, ["batch", "scat", str(l1b), "--out", str(l2b)])
    assert res.exit_code == 2 and "not a folder" in res.stderr and l2b.read_bytes() == b"l2b"


def test_manifest_latest_record_wins_and_torn_line_is_ignored(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    first = ManifestRecord("scat", "/in/a", "/out/a", "failed", error="InputError: bad")
    manifest.append(first)
    manifest.append(first.replace(status="done", sha256="00", error=None))
    manifest.append(ManifestRecord("scat", "/in/b", "/out/b", "failed"))
    with open(manifest.path, "a") as f:
        f.write('{"task": "scat", "input": "/in/c", "outp')  # a crash mid-line
    records = manifest.load()
    assert set(records) == {"/in/a", "/in/b"}
    assert records["/in/a"].status == "done" and records["/in/a"].sha256 == "00"
    manifest.compact([ManifestRecord("scat", "/in/b", "/out/b", "skipped", sha256="11")])
    lines = _lines(tmp_path)
    assert [(d["input"], d["status"]) for d in lines] == [("/in/a", "done"), ("/in/b", "skipped")]


def test_manifest_lock_is_exclusive(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    with manifest.lock():
        with pytest.raises(ConfigError, match="another batch"), Manifest(tmp_path).lock():
            pass
    with manifest.lock():  # released
        assert (tmp_path / LOCK_NAME).exists()


def test_execute_records_success_and_failure(l1b_dir: Path, tmp_path: Path) -> None:
    src = _good(l1b_dir, 1)[0]
    dst = tmp_path / "out_L2B.nc"
    done = batch.execute("scat", scat_task, (str(src), str(dst)))
    assert done.status == "done" and done.error is None and done.seconds > 0
    assert done.sha256 == sha256_file(dst) and done.output_bytes == dst.stat().st_size
    assert is_complete(done, src)
    missing = batch.execute("scat", scat_task, (str(tmp_path / "no.nc"), str(tmp_path / "x")))
    assert missing.status == "failed" and missing.sha256 is None
    assert missing.error.startswith("InputError: ") and "no.nc: no such file" in missing.error
    dst.write_bytes(dst.read_bytes() + b"\0")  # product damaged after the fact
    assert not is_complete(done, src)


def test_remove_partials_only_touches_the_products_temporaries(tmp_path: Path) -> None:
    stale = tmp_path / ".a_L2B.nc.x1y2.part"
    other = tmp_path / ".other.nc.x1y2.part"
    stale.write_bytes(b"half")
    other.write_bytes(b"half")
    assert batch.remove_partials([tmp_path / "a_L2B.nc"]) == [stale]
    assert not stale.exists() and other.exists()


# --------------------------------------------------------------------------------------------
# Batches on a LocalCluster
# --------------------------------------------------------------------------------------------


def test_bad_inputs_fail_alone_and_the_batch_exits_non_zero(l1b_dir: Path, tmp_path: Path) -> None:
    bad = _bad_inputs(l1b_dir, tmp_path / "bad")
    good = _good(l1b_dir, 3)
    out = tmp_path / "out"
    args = ["scat", *map(str, good[:2]), *map(str, bad.values()), str(good[2])]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--workers", "2", "--json"])
    assert result.exit_code == 2, result.output  # every fcspace failure: exit 2
    summary = json.loads(result.stdout)
    assert (summary["done"], summary["failed"], summary["skipped"]) == (3, 3, 0)
    assert summary["workers"] == 2 and summary["scheduler"].startswith("tcp://127.0.0.1:")
    errors = {Path(f["input"]).name: f["error"] for f in summary["failures"]}
    assert "not a NetCDF file" in errors["empty_L1B.nc"]
    assert "truncated NetCDF-4 file" in errors["truncated_L1B.nc"]
    assert "missing variable required in an L1B file" in errors["swim_not_scat_L1B.nc"]
    assert all(message.startswith("InputError: /") for message in errors.values())
    for src in good:
        l2b = open_l2b(out / src.name.replace("L1B", "L2B"))
        assert np.isfinite(l2b["wind_speed_selection"].values).sum() > 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [MANIFEST_NAME] + [s.name.replace("L1B", "L2B") for s in good]
    )
    lines = _lines(out)
    assert len(lines) == 6 and {d["status"] for d in lines} == {"done", "failed"}
    assert all(d["seconds"] > 0 and d["worker"] for d in lines)
    assert not _leftovers(out)


def kill_once(marker: Path, src: Path, dst: Path) -> None:
    """The victim file kills its worker process mid-write the first time; then SCAT as usual."""
    if "victim" in src.name and not marker.exists():
        marker.write_text(str(os.getpid()))
        with atomic_path(dst) as tmp:
            tmp.write_bytes(b"half a product")
            os.kill(os.getpid(), signal.SIGKILL)
    scat_task(src, dst)


def test_worker_killed_mid_task_is_retried_and_nothing_is_lost(
    l1b_dir: Path, tmp_path: Path
) -> None:
    good = _good(l1b_dir, 3)
    victim = tmp_path / "victim_L1B.nc"
    victim.write_bytes(good[0].read_bytes())
    marker = tmp_path / "killed.pid"
    task = batch.BatchTask("scat", partial(kill_once, marker), scat_output_name)
    out = tmp_path / "out"
    summary = batch.run_files(task, [victim, *good], out, n_workers=2)
    assert marker.exists(), "the victim task never ran"
    assert summary.ok and summary.count("done") == 4, summary.to_dict()
    victim_record = summary.records[0]
    assert victim_record.input == str(victim) and victim_record.status == "done"
    assert victim_record.worker.split(":")[1] != marker.read_text()  # ran again elsewhere
    assert victim_record.sha256 == sha256_file(out / "victim_L2B.nc")
    assert not _leftovers(out)
    assert len(_lines(out)) == 4


class Interrupt(KeyboardInterrupt):
    """A Ctrl-C from the user, raised after the first product."""


def _interrupt_after_first(record: ManifestRecord) -> None:
    if record.status == "done":
        raise Interrupt


def test_rerun_after_interruption_resumes_without_duplicates(l1b_dir: Path, tmp_path: Path) -> None:
    good = _good(l1b_dir, 4)
    out = tmp_path / "out"
    with pytest.raises(Interrupt):
        batch.run_files("scat", good, out, n_workers=2, on_record=_interrupt_after_first)
    first = {d["input"]: d for d in _lines(out)}
    assert 1 <= len(first) < 4 and not _leftovers(out)
    (out / f".{good[-1].name.replace('L1B', 'L2B')}.abc123.part").write_bytes(b"stale")

    second = batch.run_files("scat", good, out, n_workers=2)
    assert second.ok
    assert second.count("skipped") == sum(d["status"] == "done" for d in first.values())
    assert second.count("skipped") + second.count("done") == 4
    lines = _lines(out)
    assert sorted(d["input"] for d in lines) == sorted(map(str, good))  # one line per input
    for d in lines:
        assert d["sha256"] == sha256_file(d["output"])
        if d["input"] in first and first[d["input"]]["status"] == "done":
            assert d["status"] == "skipped" and d["sha256"] == first[d["input"]]["sha256"]
    products = sorted(p.name for p in out.glob("*.nc"))
    assert products == sorted(s.name.replace("L1B", "L2B") for s in good)
    assert not _leftovers(out)

    damaged = Path(lines[0]["output"])
    damaged.write_bytes(damaged.read_bytes()[:-10])
    third = batch.run_files("scat", good, out, n_workers=2)
    assert [r.status for r in third.records].count("done") == 1
    assert third.records[[r.output for r in third.records].index(str(damaged))].status == "done"
    assert third.scheduler == "in-process"  # one file to redo: no cluster
    assert all(d["sha256"] == sha256_file(d["output"]) for d in _lines(out))


def test_swim_batch_recomputes_wave_parameters(l1b_dir: Path, tmp_path: Path) -> None:
    from fcspace.cfosat.swim.io import open_swim
    from fcspace.cfosat.swim.spectra import wave_params

    inputs = [write_swim_l2p(tmp_path / f"swim_{i}.nc", seed=i) for i in range(2)]
    not_swim = _good(l1b_dir, 1)[0]
    out = tmp_path / "out"
    summary = batch.run_files("swim", [*inputs, not_swim], out, n_workers=1)
    assert [r.status for r in summary.records] == ["done", "done", "failed"]
    assert "InputError" in summary.records[2].error and not_swim.name in summary.records[2].error
    for src in inputs:
        product = open_swim(out / f"{src.stem}_fcspace_l2.nc")
        expected = wave_params(open_swim(src))
        got = product["wave_param"].isel(n_beam_l2=0)
        np.testing.assert_allclose(got.isel(nparam=0), expected["hs"].isel(n_beam_l2=0), rtol=1e-6)
        np.testing.assert_allclose(
            got.isel(nparam=1), expected["peak_wavelength"].isel(n_beam_l2=0), rtol=1e-6
        )
        assert (got.values != -1).all()
        assert "wave parameters recomputed" in product.attrs["history"]


def test_cli_rerun_is_all_skipped_and_exit_zero(l1b_dir: Path, tmp_path: Path) -> None:
    src = _good(l1b_dir, 1)[0]
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["scat", str(src), "--out", str(out), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["done"] == 1
    second = runner.invoke(app, ["scat", str(src), "--out", str(out)])
    assert second.exit_code == 0, second.output
    assert "dashboard: none (ran in this process)" in second.stderr
    assert "skipped" in second.stdout
    assert _lines(out)[0]["status"] == "skipped"
    args = ["scat", str(src), "--out", str(out), "--scheduler", "tcp://127.0.0.1:1", "--json"]
    third = runner.invoke(app, args)
    assert third.exit_code == 0, third.output  # nothing to run: the scheduler is not contacted
    assert json.loads(third.stdout)["skipped"] == 1


def test_swim_batch_runs_the_l1_chain_on_l1_files(tmp_path):
    from fcspace.batch import get_task, run_files
    from fcspace.cfosat.swim.io import open_l2, write_l1
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment

    l1 = write_l1(simulate_orbit_segment(6, seed=3), tmp_path / "swim_L1.nc")
    summary = run_files(get_task("swim"), [l1], tmp_path / "out", progress=False)
    assert summary.ok and summary.count("done") == 1
    l2 = open_l2(tmp_path / "out" / "swim_L1_fcspace_l2.nc")
    # the chain retracked the waveforms: box nadir SWH close to the simulated truth
    err = l2["nadir_swh_box"].values - l2["truth_swh_box"].values
    assert np.nanmax(np.abs(err)) < 0.3
