"""Which data folder the terminal uses when none is given (a documented, deliberate order)."""

from __future__ import annotations

import os
import sys
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


def test_bundled_resources_come_from_one_locator(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    from station_app.i18n import translations_dir

    source_tree = Path(paths.__file__).resolve().parent.parent
    assert paths.bundled_catalogue_dir() == source_tree / "catalogue"
    assert translations_dir() == source_tree / "resources" / "translations"

    bundle = tmp_path / "_MEI1234"  # a PyInstaller build unpacks here, and wins
    (bundle / "catalogue").mkdir(parents=True)
    (bundle / "catalogue" / "catalogue.yaml").write_text("schema_version: 1\n")
    (bundle / "resources" / "translations").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.bundled_catalogue_dir() == bundle / "catalogue"
    assert translations_dir() == bundle / "resources" / "translations"
    assert paths.resource_path("resources", "icons") == source_tree / "resources" / "icons"

    installed = tmp_path / "usr"  # nothing in the bundle or the tree: the installed place
    monkeypatch.setattr(sys, "prefix", str(installed))
    assert paths.resource_path("resources", "no-such") == (
        installed / "share" / "red-station" / "resources" / "no-such")


def test_the_theme_finds_its_icons_through_the_locator() -> None:
    from station_app.ui import theme

    assert paths.resource_path("resources", "icons") == theme.ICONS_DIR
    assert any(theme.ICONS_DIR.iterdir())
