"""Routine backups on a real, encrypted station folder, driven by a fake clock: daily and at
close, rotated 7 daily + 4 weekly, each one verified and encrypted, copied to IT's second
folder when one is configured, and each one in the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from station_app.config import load_settings, save_settings
from station_app.domain.china_time import CHINA_TZ
from station_app.services.backups import (
    CLOSE,
    backup_due,
    backup_if_due,
    station_backups,
    take_backup,
)
from station_app.services.context import BACKUP_DIR
from station_app.store.backup import BackupFailed, backup_taken_at, list_backups
from station_app.store.encrypt import is_plaintext
from station_app.store.engine import quick_check, session_scope
from station_app.store.models import AuditEvent

from .backup_support import (
    FakeClock,
    clear_text_hits,
    open_at,
    refs_in,
    save_cases,
    secured,
)


def _audit(engine: Engine, action: str) -> list[AuditEvent]:
    with session_scope(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(col(AuditEvent.id))).all())


def test_a_backup_is_due_once_per_station_day(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    ctx = open_at(data, clock, admin.key)
    try:
        assert backup_due(ctx, clock())  # a new folder has none yet
        first = backup_if_due(ctx)
        assert first is not None and first.backup.reason == "daily"
        assert not backup_due(ctx, clock()) and backup_if_due(ctx) is None
        clock.advance(hours=14)  # 23:00 China time, still Monday
        assert not backup_due(ctx, clock())
        clock.advance(hours=1, minutes=1)  # 00:01 Tuesday in China (16:01 UTC Monday)
        assert backup_due(ctx, clock())
        clock.advance(days=30)  # a clock far ahead leaves a backup dated in the future...
        take_backup(ctx, CLOSE)
        clock.advance(days=-30)  # ...which does not count for the (corrected) today
        assert backup_due(ctx, clock())
    finally:
        ctx.close()


def test_a_month_of_daily_and_closing_backups_is_rotated_and_every_one_is_sound(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    for _day in range(40):
        ctx = open_at(data, clock, admin.key)  # the terminal starts in the morning...
        try:
            assert backup_if_due(ctx) is not None
            save_cases(ctx, 1)
            clock.advance(hours=9)
            take_backup(ctx, CLOSE)  # ...and is closed at 18:00
        finally:
            ctx.close()
        clock.advance(hours=15)
    kept = list_backups(data / "station.db", data / BACKUP_DIR)
    taken = [backup_taken_at(p).astimezone(CHINA_TZ) for p in kept]
    assert [(t.month, t.day, t.hour) for t in taken] == [
        (4, 10, 18), (4, 10, 9), (4, 9, 18),  # the 3 newest (day 40 is Friday 10 April)
        *((4, d, 18) for d in (8, 7, 6, 5, 4)),  # the newest of each of the last 7 days
        (3, 29, 18), (3, 22, 18)]  # the newest of each of the 2 ISO weeks before those
    for path in kept:
        assert not is_plaintext(path)
        assert quick_check(path, key=admin.key.sqlcipher_key()) == []
        assert quick_check(path) != []  # without the key it is not a database at all
    assert len(refs_in(kept[0], admin.key)) == 40

    listed = station_backups(data, admin.key.sqlcipher_key())
    assert [b.path for b in listed] == kept
    assert [b.cases for b in listed[:2]] == [40, 39]
    assert all(b.reason in ("daily", "close") and b.size > 0 for b in listed)


def test_backups_hold_no_clear_text_and_are_audited(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    ctx = open_at(data, clock, admin.key)
    try:
        save_cases(ctx, 5)
        result = take_backup(ctx, "manual")
        assert result.backup.cases == 5
        assert "5 件办件" in result.summary() and "\n" not in result.summary()
        rows = _audit(ctx.engine, "backup.taken")
        assert [(r.actor, r.subject, r.detail["reason"], r.detail["cases"]) for r in rows] == [
            ("王芳（A001）", result.backup.path.name, "manual", 5)]
    finally:
        ctx.close()
    assert clear_text_hits(data) == []


def test_each_backup_is_copied_to_the_second_folder_when_it_is_there(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    usb = tmp_path / "usb"
    save_settings(data, load_settings(data).model_copy(
        update={"backup_copy_dir": usb, "station_id": "QDK01"}))
    ctx = open_at(data, clock, admin.key)
    try:
        save_cases(ctx, 2)
        first = take_backup(ctx, "manual")
        assert first.copy == usb / "redstation-QDK01" / first.backup.path.name
        assert first.copy.read_bytes() == first.backup.path.read_bytes()
        assert first.copy_problem is None

        usb.rename(tmp_path / "usb-unplugged")
        usb.write_bytes(b"")  # the drive letter now names something that is not a folder
        clock.advance(minutes=5)
        second = take_backup(ctx, CLOSE)  # the copy fails, the backup does not
        assert second.copy is None and second.copy_problem is not None
        assert str(usb) in second.copy_problem and "本机备份不受影响" in second.copy_problem
        assert second.backup.path.exists()
        taken = _audit(ctx.engine, "backup.taken")
        assert [r.detail["copy_problem"] is None for r in taken] == [True, False]
    finally:
        ctx.close()
    assert clear_text_hits(tmp_path / "usb-unplugged") == []


def test_a_backup_that_cannot_be_written_changes_nothing_and_is_audited(
        tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    ctx = open_at(data, clock, None)
    try:
        save_cases(ctx, 1)
        assert not (data / BACKUP_DIR).exists()
        (data / BACKUP_DIR).write_bytes(b"not a folder")  # where the backups should go
        with pytest.raises(BackupFailed, match="原数据库未改动") as info:
            take_backup(ctx, "manual")
        assert "\n" not in str(info.value)
        assert [r.detail["reason"] for r in _audit(ctx.engine, "backup.failed")] == ["manual"]
    finally:
        ctx.close()
