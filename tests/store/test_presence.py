"""Never recreate over data: each sign that a folder held a database is enough to refuse a
missing or empty file, and a file cut short is recognised from its length and header."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from station_app.services.saving import save_submission
from station_app.store.engine import DatabaseCorrupt, open_engine
from station_app.store.migrate import prepare_database
from station_app.store.presence import DatabaseMissing, marker_path, shape_problems

if TYPE_CHECKING:
    from .conftest import MakeSubmission

Sign = Callable[[Path, Path, Path], None]


def _marker(db: Path, backups: Path, attachments: Path) -> None:
    marker_path(db).write_text("x", encoding="utf-8")


def _backup(db: Path, backups: Path, attachments: Path) -> None:
    backups.mkdir()
    (backups / "station-20260301T010000000000Z-daily.db").write_bytes(b"x")


def _kept_aside(db: Path, backups: Path, attachments: Path) -> None:
    db.with_name("station.db.before-restore-20260301T010000000000Z").write_bytes(b"x")


def _wal(db: Path, backups: Path, attachments: Path) -> None:
    Path(f"{db}-wal").write_bytes(b"committed frames")


def _scans(db: Path, backups: Path, attachments: Path) -> None:
    attachments.mkdir()
    (attachments / ("cd" * 32)).write_bytes(b"scan")


SIGNS: dict[str, tuple[Sign, str]] = {
    "marker": (_marker, "建库标记 station.db.created"),
    "backup": (_backup, "1 份备份"),
    "kept aside": (_kept_aside, "留存的旧数据库文件 station.db.before-restore-"),
    "wal": (_wal, "未写回的日志 station.db-wal"),
    "attachments": (_scans, "文件夹 attachments"),
}


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty"])
def test_each_sign_of_earlier_data_refuses_a_missing_or_empty_file(
        db_path: Path, backup_dir: Path, sign: str, empty: bool) -> None:
    db_path.parent.mkdir(parents=True)
    attachments = db_path.parent / "attachments"
    make, words = SIGNS[sign]
    make(db_path, backup_dir, attachments)
    if empty:
        db_path.write_bytes(b"")
    with pytest.raises(DatabaseMissing) as info:
        prepare_database(db_path, backup_dir, others=[attachments])
    message = str(info.value)
    assert "\n" not in message and words in message
    assert ("是空的（0 字节）" if empty else "不见了") in message
    assert message.endswith("请运行 station-app restore 从最近的已验证备份恢复。")
    assert (db_path.read_bytes() == b"") if empty else not db_path.exists()


def test_a_new_folder_gets_its_database_and_the_marker(db_path: Path, backup_dir: Path) -> None:
    report = prepare_database(db_path, backup_dir)
    assert report.created and marker_path(db_path).is_file()
    assert "station-app restore" in marker_path(db_path).read_text(encoding="utf-8")
    db_path.unlink()
    with pytest.raises(DatabaseMissing, match="建库标记"):
        prepare_database(db_path, backup_dir)


def test_an_older_folder_gets_the_marker_at_its_next_start(
        db_path: Path, backup_dir: Path) -> None:
    prepare_database(db_path, backup_dir)
    marker_path(db_path).unlink()  # as a release before this check left the folder
    assert not prepare_database(db_path, backup_dir).created
    assert marker_path(db_path).is_file()


def test_a_sound_file_without_tables_is_refused_where_data_was_held(
        db_path: Path, backup_dir: Path) -> None:
    prepare_database(db_path, backup_dir)
    db_path.unlink()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 1")  # writes a SQLite header and no table
    conn.close()
    assert db_path.stat().st_size > 0
    with pytest.raises(DatabaseMissing, match="没有任何数据表"):
        prepare_database(db_path, backup_dir)


def _filled(db_path: Path, backup_dir: Path, make: MakeSubmission) -> None:
    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        for i in range(40):
            save_submission(engine, make(payload={"序号": i, "备注": "材料齐全" * 40}))
    finally:
        engine.dispose()


def test_a_file_cut_short_is_recognised_by_its_length_and_header(
        db_path: Path, backup_dir: Path, make_submission: MakeSubmission) -> None:
    _filled(db_path, backup_dir, make_submission)
    size = db_path.stat().st_size
    os.truncate(db_path, size - 4096 * 3)  # whole pages gone from the end
    assert shape_problems(db_path) == [
        f"文件只有 {size - 4096 * 3} 字节，文件头记载 {size} 字节，已被截断"]
    os.truncate(db_path, 100000)  # truncate -s 100000: not even whole pages
    with pytest.raises(DatabaseCorrupt, match="不是整页") as info:
        prepare_database(db_path, backup_dir)
    assert str(info.value).endswith("station-app restore 从最近的已验证备份恢复，原文件已保留。")
    assert db_path.stat().st_size == 100000
