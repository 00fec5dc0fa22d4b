"""Which data folder the terminal uses when none is given (a documented, deliberate order)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station_app import paths


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "chosen"))
    assert paths.default_data_dir() == tmp_path / "chosen"


def test_machine_folder_only_when_it_exists_and_is_writable(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    machine = tmp_path / "var-lib-red-station"
    monkeypatch.setattr(paths, "machine_data_dir", lambda: machine)

    user = paths.default_data_dir()  # no machine folder yet: the account's own folder
    assert user != machine
    assert user.is_relative_to(Path.home()) and "red-station" in user.parts

    machine.mkdir()
    assert paths.default_data_dir() == machine

    real_access = os.access
    monkeypatch.setattr(os, "access",
                        lambda p, mode: False if Path(p) == machine else real_access(p, mode))
    assert paths.default_data_dir() == user  # IT made it, but this account may not write
