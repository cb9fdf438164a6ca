"""``fcspace.core.outputs``: output paths refused before any work (issue 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fcspace.core.errors import InputError
from fcspace.core.outputs import check_output_dirs, check_outputs, file_key, same_file


def test_same_file_follows_links_and_dots(tmp_path: Path) -> None:
    a = tmp_path / "a.nc"
    a.write_bytes(b"a")
    (tmp_path / "l.nc").symlink_to(a)
    os.link(a, tmp_path / "hard.nc")
    assert same_file(a, tmp_path / "l.nc") and same_file(a, tmp_path / "hard.nc")
    assert same_file(tmp_path / "sub" / ".." / "a.nc", a)
    assert same_file(tmp_path / "x" / ".." / "new.nc", tmp_path / "new.nc")  # neither exists
    assert not same_file(a, tmp_path / "b.nc")
    assert file_key(a) == file_key(tmp_path / "hard.nc") != file_key(tmp_path / "b.nc")


def test_check_outputs_accepts_new_and_existing_files(tmp_path: Path) -> None:
    src = tmp_path / "in.nc"
    src.write_bytes(b"in")
    old = tmp_path / "old.png"
    old.write_bytes(b"old")
    check_outputs([src, None], [tmp_path / "new" / "deep" / "o.nc", old, None])
    assert not (tmp_path / "new").exists()  # checking creates nothing


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("input", "is an input of this command"),
        ("link_to_input", "is an input of this command"),
        ("twice", "written twice"),
        ("folder", "is a folder"),
        ("fifo", "not a regular file"),
        ("under_a_file", "is not a folder"),
    ],
)
def test_check_outputs_refusals(tmp_path: Path, case: str, message: str) -> None:
    src = tmp_path / "in.nc"
    src.write_bytes(b"in")
    outputs = {
        "input": [src],
        "link_to_input": [tmp_path / "link.nc"],
        "twice": [tmp_path / "o.png", tmp_path / "." / "o.png"],
        "folder": [tmp_path],
        "fifo": [tmp_path / "pipe"],
        "under_a_file": [src / "o.png"],
    }[case]
    if case == "link_to_input":
        (tmp_path / "link.nc").symlink_to(src)
    if case == "fifo":
        os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match=message) as err:
        check_outputs([src], outputs)
    assert err.value.path == str(outputs[-1])
    assert src.read_bytes() == b"in"


def test_check_outputs_refuses_unwritable_places(tmp_path: Path, monkeypatch) -> None:
    if os.geteuid() != 0:  # root writes in a 0o555 folder
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        with pytest.raises(InputError, match="no write permission"):
            check_outputs([], [folder / "sub" / "x.nc"])
    real = os.statvfs

    class ReadOnly:
        def __init__(self, path):
            self.f_flag = real(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", ReadOnly)  # a read-only mount refuses root too
    with pytest.raises(InputError, match="read-only file system"):
        check_outputs([], [tmp_path / "x.nc"])


def test_check_output_dirs(tmp_path: Path) -> None:
    afile = tmp_path / "f"
    afile.write_bytes(b"")
    check_output_dirs([tmp_path, tmp_path / "new" / "deeper", None])
    with pytest.raises(InputError, match="is not a folder"):
        check_output_dirs([afile])
    with pytest.raises(InputError, match="is not a folder"):
        check_output_dirs([afile / "sub"])
