"""The ``fcspace`` program end to end: simulate → process → validate/info/quicklook."""

import json

import pytest
from typer.testing import CliRunner

from fcspace.cli import app

runner = CliRunner()


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_help_lists_the_missions():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "scat" in result.output
    sub = runner.invoke(app, ["scat", "--help"])
    for command in ("simulate", "process", "validate", "info", "quicklook", "reselect"):
        assert command in sub.output


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    l1b, l2b = folder / "l1b.nc", folder / "l2b.nc"
    sim = _json(runner.invoke(app, ["scat", "simulate", "--out", str(l1b), "--rows", "60",
                                    "--scene", "synoptic", "--seed", "4", "--json"]))
    proc = _json(runner.invoke(app, ["scat", "process", str(l1b), "--out", str(l2b), "--json"]))
    return folder, sim, proc


def test_simulate_and_process_write_products(chain):
    folder, sim, proc = chain
    assert sim["numrows"] == 60 and sim["views"] > 60 * 42 * 4
    assert proc["cells_with_selected_wind"] == 60 * 42
    assert sorted(p.name for p in folder.iterdir()) == ["l1b.nc", "l2b.nc"]


def test_validate_json_has_the_contract_keys(chain):
    folder, _, _ = chain
    out = _json(runner.invoke(app, ["scat", "validate", str(folder / "l2b.nc"), "--json"]))
    for key in ("n", "speed_bias", "speed_rmse", "dir_rmse_deg", "vector_rmse",
                "ambiguity_skill"):
        assert key in out
    assert out["n"] == 60 * 42 and out["speed_rmse"] < 0.5
    bg = _json(runner.invoke(app, ["scat", "validate", str(folder / "l2b.nc"),
                                   "--against", "background", "--json"]))
    # the background carries ~1.8 m/s vector error: the retrieval is far closer to truth
    assert bg["vector_rmse"] > out["vector_rmse"] + 0.5


def test_info_and_quicklook(chain):
    folder, _, _ = chain
    info = _json(runner.invoke(app, ["scat", "info", str(folder / "l2b.nc"), "--json"]))
    assert info["cells"] == 60 * 42 and info["time_start"].startswith("2021-08-01")
    png = folder / "map.png"
    res = runner.invoke(app, ["scat", "quicklook", str(folder / "l2b.nc"), "--out", str(png)])
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_fails_clearly_and_writes_nothing(tmp_path):
    bad = tmp_path / "junk.nc"
    bad.write_bytes(b"this is not netcdf at all" * 10)
    res = runner.invoke(app, ["scat", "process", str(bad), "--out", str(tmp_path / "o.nc")])
    assert res.exit_code == 2
    assert "junk.nc" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.nc"]
    missing = runner.invoke(app, ["scat", "info", str(tmp_path / "nope.nc"), "--json"])
    assert missing.exit_code == 2 and "nope.nc" in missing.output


@pytest.mark.shared_data
def test_info_on_the_real_l2b(scat_l2b_path):
    info = _json(runner.invoke(app, ["scat", "info", str(scat_l2b_path), "--json"]))
    assert info["cells_with_selected_wind"] == 35132
    assert info["num_ambigs_histogram"] == {"0": 33076, "1": 335, "2": 17079, "3": 9688,
                                            "4": 8030}
    assert abs(info["mean_selected_speed"] - 8.76) < 0.01


def test_many_files_run_as_one_task_each_on_a_local_cluster(chain, tmp_path):
    folder, _, _ = chain
    second = tmp_path / "CFO_SIM_SCA_L1B_2.nc"
    second.write_bytes((folder / "l1b.nc").read_bytes())
    first = tmp_path / "CFO_SIM_SCA_L1B_1.nc"
    first.write_bytes((folder / "l1b.nc").read_bytes())
    out_dir = tmp_path / "l2b"
    res = _json(runner.invoke(app, ["scat", "process", str(first), str(second), "--out-dir",
                                    str(out_dir), "--workers", "1", "--json"]))
    assert [r["cells_with_selected_wind"] for r in res] == [60 * 42, 60 * 42]
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "CFO_SIM_SCA_L2B_1.nc", "CFO_SIM_SCA_L2B_2.nc"]


def test_validate_against_another_product(chain):
    folder, _, _ = chain
    l2b = str(folder / "l2b.nc")
    out = _json(runner.invoke(app, ["scat", "validate", l2b, "--against", l2b, "--json"]))
    assert out["speed_rmse"] == 0.0 and out["selection_agreement"] == 1.0


# --------------------------------------------------------------------------------------------
# Every failure: exit 2, one line on stderr naming the file, no traceback (issue 14)
# --------------------------------------------------------------------------------------------

import os  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

FCSPACE = Path(sys.executable).with_name("fcspace")


def _one_line_error(res, *needles):
    """Exit 2, exactly one line on stderr, starting ``error:``, containing every needle."""
    assert res.exit_code == 2, (res.exit_code, res.output)
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "Traceback" not in res.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (ValueError("could not convert string to float: 'abc'"), "ValueError: could not"),
        (OverflowError("int too large to convert"), "OverflowError: int too large"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum"),
        (RuntimeError("NetCDF: HDF error"), "RuntimeError: NetCDF: HDF error"),
        (KeyError("wvc_lat"), "KeyError: 'wvc_lat'"),
        (AttributeError("'ImageHDU' object has no attribute 'columns'"), "AttributeError: "),
        (np.linalg.LinAlgError("Singular matrix"), "LinAlgError: Singular matrix"),
        (ZeroDivisionError("float division by zero"), "ZeroDivisionError: float division"),
    ],
)
def test_any_exception_of_a_command_is_one_line_with_the_file(tmp_path, monkeypatch, exc, shown):
    import fcspace.cfosat.scat.io as scat_io

    product = tmp_path / "orbit.nc"
    product.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))

    def boom(path):
        raise exc

    monkeypatch.setattr(scat_io, "open_product", boom)
    res = runner.invoke(app, ["scat", "info", str(product), "--json"])
    line = _one_line_error(res, str(product), shown, "scat info")
    assert line == f"error: {product}: scat info: {shown}" or line.startswith(
        f"error: {product}: scat info: {shown}")


@pytest.mark.parametrize(
    "exc",
    [PermissionError(13, "Permission denied"), IsADirectoryError(21, "Is a directory"),
     FileExistsError(17, "File exists"), NotADirectoryError(20, "Not a directory"),
     FileNotFoundError(2, "No such file or directory")],
)
def test_os_errors_name_their_file(tmp_path, monkeypatch, exc):
    import fcspace.cfosat.scat.io as scat_io

    exc.filename = str(tmp_path / "where.png")

    def boom(path):
        raise exc

    monkeypatch.setattr(scat_io, "open_product", boom)
    res = runner.invoke(app, ["scat", "info", str(tmp_path / "in.nc")])
    assert _one_line_error(res) == f"error: {tmp_path / 'where.png'}: {exc.strerror}"


def test_debug_shows_the_traceback_then_the_line(tmp_path, monkeypatch):
    import fcspace.cfosat.scat.io as scat_io

    def boom(path):
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(scat_io, "open_product", boom)
    path = str(tmp_path / "x.nc")
    res = runner.invoke(app, ["--debug", "scat", "info", path])
    assert res.exit_code == 2 and "Traceback" in res.stderr and "in boom" in res.stderr
    assert res.stderr.splitlines()[-1] == "error: scat info: RuntimeError: NetCDF: HDF error"
    env = runner.invoke(app, ["scat", "info", path], env={"FCSPACE_DEBUG": "1"})
    assert env.exit_code == 2 and "Traceback" in env.stderr
    quiet = runner.invoke(app, ["scat", "info", path])  # --debug does not stick
    assert "Traceback" not in quiet.stderr
    # errors the commands catch themselves (fail()) show their traceback too under --debug
    missing = runner.invoke(app, ["--debug", "dorn", "invert", str(tmp_path / "none.nc")])
    assert missing.exit_code == 2 and "Traceback" in missing.stderr


def test_usage_errors_keep_clicks_exit_code():
    res = runner.invoke(app, ["scat", "info"])
    assert res.exit_code == 2 and "Missing argument" in res.stderr
    assert "Traceback" not in res.stderr


def test_real_process_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "junk.nc"
    bad.write_bytes(b"CDF\x01" + b"\xff" * 500)
    proc = subprocess.run([str(FCSPACE), "scat", "info", str(bad), "--json"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and str(bad) in proc.stderr, proc.stderr


# --------------------------------------------------------------------------------------------
# Outputs: never over an input, never twice, never where it cannot be written (issue 14)
# --------------------------------------------------------------------------------------------


def _junk(path: Path, content: bytes = b"an input that must survive\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# (command words, index of the input in them); "{x}" is the input, "{o}" the output.
OVERWRITES = [
    ["scat", "quicklook", "{x}", "--out", "{o}"],
    ["scat", "process", "{x}", "--out", "{o}"],
    ["scat", "reselect", "{x}", "--out", "{o}"],
    ["swim", "quicklook", "{x}", "--out", "{o}"],
    ["swim", "process", "{x}", "--out", "{o}"],
    ["dorn", "quicklook", "{x}", "--out", "{o}"],
    ["dorn", "fit", "{x}", "--out", "{o}"],
    ["water", "image", "{x}", "--out", "{o}"],
    ["water", "retrieve", "{x}", "--out", "{o}"],
    ["water", "quicklook", "{x}", "--out", "{o}"],
    ["grm", "lightcurve", "{x}", "--out", "{o}"],
    ["grm", "skymap", "{x}", "--out", "{o}"],
    ["eclairs", "image", "{x}", "--out", "{o}"],
    ["sco", "grid", "{x}", "--out", "{o}"],
    ["sco", "indicators", "{x}", "--out", "{o}"],
]


@pytest.mark.parametrize("words", OVERWRITES, ids=[" ".join(w[:2]) for w in OVERWRITES])
@pytest.mark.parametrize("how", ["same", "link", "dotted"])
def test_output_equal_to_the_input_is_refused_and_the_input_kept(tmp_path, words, how):
    src = _junk(tmp_path / "in" / "X.nc")
    before = src.read_bytes()
    out = {"same": src, "dotted": tmp_path / "in" / ".." / "in" / "X.nc",
           "link": tmp_path / "link.nc"}[how]  # fmt: skip
    if how == "link":
        out.symlink_to(src)
    args = [str(src) if w == "{x}" else str(out) if w == "{o}" else w for w in words]
    res = runner.invoke(app, args)
    _one_line_error(res, "input", "refusing to overwrite")
    assert src.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["X.nc"]


def test_a_default_quicklook_name_that_is_the_input_is_refused(tmp_path):
    src = _junk(tmp_path / "spectra.png")  # the default PNG beside a ``.png`` input is itself
    res = runner.invoke(app, ["dorn", "quicklook", str(src)])
    _one_line_error(res, str(src), "refusing to overwrite")
    assert src.read_bytes() == b"an input that must survive\n"


def test_two_outputs_of_one_run_that_collide_are_refused(tmp_path):
    events = _junk(tmp_path / "ev.fits")
    res = runner.invoke(app, ["eclairs", "image", str(events), "--out", str(tmp_path / "s.png")])
    _one_line_error(res, "s.png", "written twice")
    a, b = _junk(tmp_path / "a" / "x_L1B.nc"), _junk(tmp_path / "b" / "x_L1B.nc")
    res = runner.invoke(app, ["scat", "process", str(a), str(b), "--out-dir", str(tmp_path / "o")])
    _one_line_error(res, "x_L2B.nc", "written twice")
    assert not (tmp_path / "o").exists()


def test_a_product_named_like_another_input_is_refused(tmp_path):
    l1b, l2b = _junk(tmp_path / "a_L1B.nc", b"l1b"), _junk(tmp_path / "a_L2B.nc", b"l2b")
    res = runner.invoke(app, ["scat", "process", str(l1b), str(l2b), "--out-dir", str(tmp_path)])
    _one_line_error(res, str(l2b), "refusing to overwrite")
    assert l1b.read_bytes() == b"l1b" and l2b.read_bytes() == b"l2b"


def test_level_names_keep_the_whole_input_name():
    from fcspace.core.cli import level_name

    assert level_name(Path("/d/CFO_X_L1B_1.nc"), "L1B", "L2B") == "CFO_X_L2B_1.nc"
    assert level_name(Path("a.nc"), "L1B", "L2B") == "a_l2b.nc"
    assert level_name(Path("a.h5"), "L1B", "L2B") == "a.h5_l2b.nc"
    assert level_name(Path("a_L1B.h5"), "L1B", "L2B") != level_name(Path("a_L1B.nc"), "L1B", "L2B")


@pytest.mark.parametrize("kind", ["parent_is_file", "is_folder", "fifo", "unwritable"])
def test_unwritable_outputs_are_refused_before_any_work(tmp_path, kind):
    src = _junk(tmp_path / "in.nc")
    if kind == "parent_is_file":
        out, needle = src / "sub" / "q.png", "is not a folder"
    elif kind == "is_folder":
        out, needle = tmp_path / "folder", "is a folder"
        out.mkdir()
    elif kind == "fifo":
        out, needle = tmp_path / "pipe.png", "not a regular file"
        os.mkfifo(out)
    else:
        if os.geteuid() == 0:
            pytest.skip("root may write in a read-only-mode folder")
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        out, needle = folder / "q.png", "no write permission"
    for words in (["scat", "quicklook", str(src), "--out", str(out)],
                  ["dorn", "fit", str(src), "--out", str(out)],
                  ["report", str(tmp_path), "--out", str(out)]):  # fmt: skip
        res = runner.invoke(app, words)
        _one_line_error(res, str(out), needle)


def test_output_folders_that_are_files_are_refused(tmp_path):
    afile = _junk(tmp_path / "afile")
    src = _junk(tmp_path / "in_L1B.nc")
    cases = [
        ["batch", "scat", str(src), "--out", str(afile)],
        ["sco", "simulate-archive", "--days", "1", "--out", str(afile)],
        ["demo", "--out", str(afile)],
        ["eclairs", "trigger", str(src), "--voevent", str(afile)],
        ["grm", "localize", str(src), "--skymap", str(afile)],
        ["sco", "indicators", str(src), "--out", str(tmp_path / "i.nc"), "--png-dir", str(afile)],
    ]
    for words in cases:
        res = runner.invoke(app, words)
        _one_line_error(res, str(afile), "not a folder")
    assert afile.read_bytes() == b"an input that must survive\n"
