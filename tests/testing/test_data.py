"""The shared-data locator: $FCSPACE_SHARED_DATA first, paths under it, a skip when absent."""

from __future__ import annotations

import pytest

from fcspace.testing import data


def test_environment_variable_names_the_folder(monkeypatch, tmp_path) -> None:
    (tmp_path / "svom").mkdir()
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.shared_data_dir() == tmp_path
    assert data.shared_file("svom/x.xml") == tmp_path / "svom/x.xml"
    assert data.shared_file() == tmp_path
    assert data.require_shared("svom") == tmp_path / "svom"


def test_absent_folder_gives_none_and_a_skip_naming_the_path(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "nowhere"))
    assert data.shared_data_dir() is None
    assert data.shared_file("a.nc") == tmp_path / "nowhere" / "a.nc"
    with pytest.raises(pytest.skip.Exception, match=r"nowhere.a\.nc"):
        data.require_shared("a.nc")


def test_default_is_shared_data_beside_the_checkout(monkeypatch) -> None:
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    found = data.shared_data_dir()
    assert found is None or (found.name == "data" and found.parent.name == "shared")
