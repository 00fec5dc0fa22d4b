"""A backup that meets a full disk, and a terminal started on a read-only folder: one line
each, and the station's data as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine

from station_app import app as app_module
from station_app.services.backups import MANUAL, BackupFailed, take_backup
from station_app.services.context import open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.store.engine import session_scope
from station_app.store.queries import count_submissions
from tests.helpers.disks import read_only, small_disk


def _save(engine: Engine, n: int, operator: str) -> None:
    for i in range(n):
        save_submission(engine, NewSubmission(
            item_code="RS04", catalogue_version="2026.11.1", form_version="1",
            payload={"n": i, "备注": "材料齐全" * 200}, operator=operator,
            applicant=ApplicantIndex()))


def test_a_backup_on_a_full_disk_is_one_line_and_leaves_nothing_behind(tmp_path: Path) -> None:
    data = tmp_path / "station"
    ctx = open_station(data)
    try:
        _save(ctx.engine, 200, ctx.operator)
        with small_disk(data / "backups", 256 * 1024):  # the backup folder fills up
            with pytest.raises(BackupFailed) as failed:
                take_backup(ctx, MANUAL)
            assert "\n" not in str(failed.value) and "备份" in str(failed.value)
            assert [p.name for p in (data / "backups").iterdir()] == []  # no partial file
        with session_scope(ctx.engine) as s:
            assert count_submissions(s) == 200  # the database is untouched
        assert take_backup(ctx, MANUAL).backup.path.is_file()  # room again: it works
    finally:
        ctx.close()


def test_the_terminal_on_a_read_only_folder_says_so_in_one_dialog(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "station"
    open_station(data).close()
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_fatal", shown.append)
    before = sorted(p.name for p in data.iterdir())
    with read_only(data):
        assert app_module.run_gui(data) == 1
    assert len(shown) == 1 and "只读" in shown[0] and "\n" not in shown[0]
    assert sorted(p.name for p in data.iterdir()) == before
