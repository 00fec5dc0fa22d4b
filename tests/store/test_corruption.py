"""A damaged database is detected at start, reported in one line, and never modified."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from station_app.services.saving import save_submission
from station_app.store.engine import DatabaseCorrupt, open_engine
from station_app.store.migrate import prepare_database
from station_app.store.presence import DatabaseMissing

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled_db(db_path: Path, backup_dir: Path, make: MakeSubmission, n: int = 60) -> None:
    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        for i in range(n):
            save_submission(engine, make(payload={"序号": i, "备注": "材料齐全" * 40}))
    finally:
        engine.dispose()  # last connection closes: WAL checkpointed into the main file


def _flip_page(db_path: Path, table: str) -> None:
    conn = sqlite3.connect(db_path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    finally:
        conn.close()
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    rng = random.Random(7)
    data[start:start + page_size] = bytes(rng.randrange(256) for _ in range(page_size))
    db_path.write_bytes(bytes(data))


def _assert_one_line_report(err: DatabaseCorrupt, db_path: Path) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"数据库文件 {db_path} 已损坏（quick_check: ")
    assert message.endswith("请运行 station-app restore 从最近的已验证备份恢复，原文件已保留。")


def test_random_bytes_are_reported_and_left_alone(db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(random.Random(1).randbytes(64 * 1024))
    before = _sha(db_path)
    with pytest.raises(DatabaseCorrupt) as info:
        prepare_database(db_path, backup_dir)
    _assert_one_line_report(info.value, db_path)
    assert "文件头不是 SQLite 格式" in str(info.value)
    assert _sha(db_path) == before
    assert not backup_dir.exists()  # no backup of garbage, nothing rotated away


def test_a_flipped_page_is_reported_and_left_alone(
        db_path: Path, backup_dir: Path, make_submission: MakeSubmission) -> None:
    _filled_db(db_path, backup_dir, make_submission)
    _flip_page(db_path, "submission")
    before = _sha(db_path)
    with pytest.raises(DatabaseCorrupt) as info:
        prepare_database(db_path, backup_dir)
    _assert_one_line_report(info.value, db_path)
    assert info.value.problems
    assert _sha(db_path) == before


def test_a_damaged_header_page_is_reported(
        db_path: Path, backup_dir: Path, make_submission: MakeSubmission) -> None:
    _filled_db(db_path, backup_dir, make_submission, n=5)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = bytes(4096 - 100)  # schema page wiped, header intact
    db_path.write_bytes(bytes(data))
    before = _sha(db_path)
    with pytest.raises(DatabaseCorrupt) as info:
        prepare_database(db_path, backup_dir)
    _assert_one_line_report(info.value, db_path)
    assert _sha(db_path) == before


def test_an_empty_file_is_new_only_when_nothing_was_ever_backed_up(
        db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    assert prepare_database(db_path, backup_dir).created  # interrupted first start

    backup_dir.mkdir()
    (backup_dir / "station-20250101T000000000000Z-daily.db").write_bytes(b"x")
    db_path.unlink()
    db_path.touch()
    with pytest.raises(DatabaseMissing, match="0 字节"):
        prepare_database(db_path, backup_dir)
    assert db_path.stat().st_size == 0
