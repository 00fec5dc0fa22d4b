"""Backups are verified snapshots, rotated; restore keeps the damaged file aside."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text

from station_app.domain.china_time import CHINA_TZ
from station_app.services.saving import save_submission
from station_app.store.backup import (
    BackupFailed,
    NoBackupAvailable,
    backup_database,
    backup_taken_at,
    integrity_problems,
    list_backups,
    restore_latest,
)
from station_app.store.engine import quick_check

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM submission").fetchone()[0])
    finally:
        conn.close()


def test_backup_is_a_verified_single_file_snapshot(
        engine: Engine, db_path: Path, backup_dir: Path,
        make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission())
    with engine.connect() as conn:  # the application keeps its connection open meanwhile
        conn.execute(text("SELECT 1"))
        path = backup_database(db_path, backup_dir, "daily")
    assert path.parent == backup_dir and path.name.startswith("station-")
    assert path.name.endswith("-daily.db")
    assert integrity_problems(path) == [] and _count(path) == 1
    assert sorted(p.name for p in backup_dir.iterdir()) == [path.name]  # no .partial, no -wal


def test_rotation_keeps_the_newest_of_7_days_and_4_weeks(
        engine: Engine, db_path: Path, backup_dir: Path) -> None:
    """A month of backups at 09:00 and 21:00 China time (fake clock), Monday 2 March on."""
    first = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    for half_days in range(60):
        backup_database(db_path, backup_dir, "daily", now=first + timedelta(hours=12 * half_days))
    kept = [backup_taken_at(p).astimezone(CHINA_TZ) for p in list_backups(db_path, backup_dir)]
    assert [(t.month, t.day, t.hour) for t in kept] == [
        (3, 31, 21), (3, 31, 9), (3, 30, 21),  # the 3 newest
        *((3, d, 21) for d in (29, 28, 27, 26, 25)),  # the last 7 days, newest of each
        (3, 22, 21), (3, 15, 21)]  # and the newest of the 2 weeks before (ISO weeks 12, 11)
    assert all(quick_check(p) == [] for p in list_backups(db_path, backup_dir))


def test_a_month_without_backups_rotates_nothing_old_away(
        engine: Engine, db_path: Path, backup_dir: Path) -> None:
    """Days are counted among the days that have a backup, not back from today."""
    old = [backup_database(db_path, backup_dir, "daily", now=datetime(2026, 1, d, 2, tzinfo=UTC))
           for d in (5, 6, 7)]
    backup_database(db_path, backup_dir, "daily", now=datetime(2026, 3, 1, 2, tzinfo=UTC))
    assert set(old) <= set(list_backups(db_path, backup_dir))


def test_bad_label_and_corrupt_source_make_no_backup(
        engine: Engine, db_path: Path, backup_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="label"):
        backup_database(db_path, backup_dir, "../escape")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 8192)
    with pytest.raises(BackupFailed, match="原数据库未改动"):
        backup_database(junk, backup_dir, "x")
    assert list_backups(junk, backup_dir) == []
    assert not any(p.name.endswith(".partial") for p in backup_dir.iterdir())


def test_restore_uses_newest_sound_backup_and_keeps_the_damaged_file(
        engine: Engine, db_path: Path, backup_dir: Path,
        make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission())
    older = backup_database(db_path, backup_dir, "daily")
    save_submission(engine, make_submission())
    newer = backup_database(db_path, backup_dir, "daily")
    engine.dispose()
    newer.write_bytes(b"garbage" * 1000)  # the newest backup went bad on disk
    damaged = b"not a database any more" * 100
    db_path.write_bytes(damaged)
    stale_wal = Path(f"{db_path}-wal")
    stale_wal.write_bytes(b"stale wal frames")  # must not end up next to the restored file

    used = restore_latest(db_path, backup_dir)
    assert used == older
    assert not stale_wal.exists() or stale_wal.stat().st_size == 0
    assert quick_check(db_path) == [] and _count(db_path) == 1
    aside = {p.name[-4:]: p.read_bytes() for p in db_path.parent.iterdir()
             if ".before-restore-" in p.name}
    assert aside.pop("-wal") == b"stale wal frames"
    assert list(aside.values()) == [damaged]


def test_restore_without_backups_changes_nothing(db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"broken")
    with pytest.raises(NoBackupAvailable, match="原文件未改动"):
        restore_latest(db_path, backup_dir)
    assert db_path.read_bytes() == b"broken"
