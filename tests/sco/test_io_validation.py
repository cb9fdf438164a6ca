"""Issue 14: a damaged archive.json or indicator file is an InputError naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fcspace.core.errors import InputError
from fcspace.sco.climate import Climate
from fcspace.sco.io import ARCHIVE_META, open_indicators, read_climate


@pytest.mark.parametrize(
    "text",
    ["{", "[]", '{"climate": {"wind_base": "abc"}}', '{"climate": {"nope": 1}}', "[" * 5000],
)
def test_bad_archive_json_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / ARCHIVE_META).write_text(text)
    with pytest.raises(InputError) as err:
        read_climate(tmp_path)
    assert err.value.path == str(tmp_path / ARCHIVE_META)


def test_good_archive_json_reads(tmp_path: Path) -> None:
    (tmp_path / ARCHIVE_META).write_text(json.dumps({"climate": {"wind_base": 7.0}}))
    assert read_climate(tmp_path) == Climate(wind_base=7.0)
    with pytest.raises(InputError, match="no such file"):
        read_climate(tmp_path / "missing")


def test_garbage_indicator_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ind.nc"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 200)
    with pytest.raises(InputError) as err:
        open_indicators(bad)
    assert err.value.path == str(bad)
