"""settings.toml across releases: a file without schema_version is migrated once and written
back atomically; keys this release does not know never stop the terminal from starting."""

from __future__ import annotations

import logging
import stat
import tomllib
from pathlib import Path

import pytest

from station_app.config import (
    SETTINGS_FILE,
    SettingsError,
    StationSettings,
    load_settings,
    save_settings,
)
from station_app.settings_migration import STEPS
from station_app.settings_schema import SCHEMA_VERSION

# exactly what the release before schema_version wrote (tomli_w, keys in field order)
WRITTEN_BEFORE_SCHEMA_VERSION = """\
station_id = "QDK01"
station_name = "七里一村社区红色驿站"
backend_url = "https://hy.example.cn/api"
sync_interval_seconds = 120
theme = "elder"
language = "zh_CN"
printer = "柜台打印机"
retention_days = 180
contact_phone = "027-84700000"
"""


def write(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_without_schema_version_is_migrated_and_written_back(tmp_path: Path) -> None:
    path = write(tmp_path, WRITTEN_BEFORE_SCHEMA_VERSION)
    before = path.stat().st_ino

    settings = load_settings(tmp_path)

    assert (settings.station_id, settings.sync_interval_seconds, settings.theme,
            settings.printer, settings.contact_phone) == (
        "QDK01", 120, "elder", "柜台打印机", "027-84700000")
    rewritten = tomllib.loads(path.read_text(encoding="utf-8"))
    assert rewritten["schema_version"] == SCHEMA_VERSION
    old = tomllib.loads(WRITTEN_BEFORE_SCHEMA_VERSION)
    assert rewritten == {**old, "schema_version": SCHEMA_VERSION, "allow_insecure_http": False,
                         "idle_lock_minutes": 10, "card_driver": "none", "card_port": 1001,
                         "read_aloud_rate": 130, "paper": "a4"}
    assert path.stat().st_ino != before  # replaced by rename (atomic), not edited in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_FILE]  # no temporary file left


def test_a_migrated_file_is_not_written_again(tmp_path: Path) -> None:
    path = write(tmp_path, WRITTEN_BEFORE_SCHEMA_VERSION)
    first = load_settings(tmp_path)
    inode = path.stat().st_ino
    assert load_settings(tmp_path) == first
    assert path.stat().st_ino == inode


def test_read_only_callers_get_the_migration_without_a_write(tmp_path: Path) -> None:
    path = write(tmp_path, WRITTEN_BEFORE_SCHEMA_VERSION)
    settings = load_settings(tmp_path, migrate_file=False)
    assert settings.station_id == "QDK01" and settings.schema_version == SCHEMA_VERSION
    assert path.read_text(encoding="utf-8") == WRITTEN_BEFORE_SCHEMA_VERSION


def test_empty_texts_of_the_old_layout_mean_not_set(tmp_path: Path) -> None:
    write(tmp_path, 'station_id = "QDK01"\nstation_name = ""\nprinter = ""\n')
    settings = load_settings(tmp_path)
    assert (settings.station_id, settings.station_name, settings.printer) == ("QDK01", None,
                                                                              None)


def test_every_older_version_has_a_migration_step() -> None:
    assert sorted(STEPS) == list(range(SCHEMA_VERSION))


def test_an_unknown_key_is_dropped_with_a_log_line_and_start_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A key removed by this release (or mistyped by hand) does not stop the terminal."""
    path = write(tmp_path, f'schema_version = {SCHEMA_VERSION}\nstation_id = "QDK01"\n'
                           'kiosk_mode = true\n')
    inode = path.stat().st_ino
    with caplog.at_level(logging.WARNING, logger="station_app.config"):
        settings = load_settings(tmp_path)
    assert settings.station_id == "QDK01"
    assert any("kiosk_mode" in r.getMessage() and "已忽略" in r.getMessage()
               for r in caplog.records)
    assert path.stat().st_ino == inode  # a current file is not rewritten just to drop it


def test_a_file_of_a_newer_release_loads_and_is_left_for_that_release(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (f'schema_version = {SCHEMA_VERSION + 1}\nstation_id = "QDK01"\n'
            'queue_alarm_hours = 48\n')
    path = write(tmp_path, text)
    with caplog.at_level(logging.WARNING, logger="station_app.config"):
        settings = load_settings(tmp_path)
    assert settings.station_id == "QDK01" and settings.schema_version == SCHEMA_VERSION
    assert any("queue_alarm_hours" in r.getMessage() and "较新的版本" in r.getMessage()
               for r in caplog.records)
    assert path.read_text(encoding="utf-8") == text


def test_a_schema_version_that_is_not_a_number_is_named(tmp_path: Path) -> None:
    write(tmp_path, 'schema_version = "one"\nstation_id = "QDK01"\n')
    with pytest.raises(SettingsError, match="schema_version"):
        load_settings(tmp_path)


def test_every_bad_value_is_named_in_one_line(tmp_path: Path) -> None:
    write(tmp_path, f'schema_version = {SCHEMA_VERSION}\nsync_interval_seconds = 5\n'
                    'backend_url = "hy.example.cn"\n')
    with pytest.raises(SettingsError) as err:
        load_settings(tmp_path)
    text = str(err.value)
    assert "\n" not in text and SETTINGS_FILE in text
    assert "sync_interval_seconds：同步间隔须在 15 到 3600 秒之间" in text
    assert "backend_url：后台地址须以 http:// 或 https:// 开头" in text


def test_saved_settings_carry_the_schema_version(tmp_path: Path) -> None:
    save_settings(tmp_path, StationSettings(station_id="QDK01"))
    raw = tomllib.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert raw == {"schema_version": SCHEMA_VERSION, "station_id": "QDK01",
                   "sync_interval_seconds": 60, "theme": "standard", "language": "zh_CN",
                   "retention_days": 180, "allow_insecure_http": False,
                   "idle_lock_minutes": 10, "card_driver": "none", "card_port": 1001,
                   "read_aloud_rate": 130, "paper": "a4"}
    assert load_settings(tmp_path) == StationSettings(station_id="QDK01")


def test_a_migration_that_cannot_be_written_back_still_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, WRITTEN_BEFORE_SCHEMA_VERSION)

    def read_only_folder(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("station_app.config.atomic_write", read_only_folder)
    with caplog.at_level(logging.WARNING, logger="station_app.config"):
        settings = load_settings(tmp_path)
    assert settings.station_id == "QDK01"
    assert path.read_text(encoding="utf-8") == WRITTEN_BEFORE_SCHEMA_VERSION
    assert any("无法写回" in r.getMessage() for r in caplog.records)
