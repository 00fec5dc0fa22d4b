"""A clean close lets the next start skip reading every page; anything else does not."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from station_app.store import engine as engine_module
from station_app.store.clean_close import note_path, record_clean_close, take_clean_close
from station_app.store.engine import DatabaseCorrupt, open_engine
from station_app.store.migrate import prepare_database
from station_app.vault.keys import DataKey


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file ``PRAGMA quick_check`` read, in order."""
    seen: list[Path] = []
    real = engine_module.quick_check

    def counted(db_path: Path, *, key: str | None = None) -> list[str]:
        seen.append(db_path)
        return real(db_path, key=key)

    monkeypatch.setattr(engine_module, "quick_check", counted)
    return seen


def _closed(db: Path, backups: Path, key: str | None = None,
            work: Callable[[Engine], None] | None = None) -> None:
    """Prepare the database, do ``work`` on it, close the engine."""
    prepare_database(db, backups, key=key)
    engine = open_engine(db, key=key)
    try:
        if work is not None:
            work(engine)
    finally:
        engine.dispose()


def _write(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('probe', '1')"))


def test_a_clean_close_skips_the_full_check_once(tmp_path: Path,
                                                 full_checks: list[Path]) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _closed(db, backups, work=_write)
    assert record_clean_close(db) and note_path(db).exists()
    full_checks.clear()
    prepare_database(db, backups)
    assert full_checks == [] and not note_path(db).exists()  # taken at start
    prepare_database(db, backups)  # no clean close in between: read whole
    assert full_checks == [db]


def test_a_file_changed_after_the_close_is_read_whole(tmp_path: Path,
                                                      full_checks: list[Path]) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _closed(db, backups)
    assert record_clean_close(db)
    engine = open_engine(db)
    _write(engine)
    engine.dispose()
    full_checks.clear()
    assert not take_clean_close(db)
    assert record_clean_close(db)
    with db.open("r+b") as fh:  # damaged by something else: the header goes
        fh.write(b"not a database!!")
    with pytest.raises(DatabaseCorrupt):
        prepare_database(db, backups)
    assert full_checks == [db]


def test_no_note_while_the_log_holds_pages(tmp_path: Path) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _closed(db, backups)
    engine = open_engine(db)
    try:
        _write(engine)  # the connection stays open: the write is in station.db-wal
        assert not record_clean_close(db) and not note_path(db).exists()
    finally:
        engine.dispose()


@pytest.mark.parametrize("note", ["not json", '{"size": 1}', ""])
def test_a_note_that_does_not_match_is_not_trusted(tmp_path: Path, note: str) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _closed(db, backups)
    note_path(db).write_text(note, encoding="utf-8")
    assert not take_clean_close(db) and not note_path(db).exists()


def test_the_key_is_still_checked_after_a_clean_close(tmp_path: Path) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    key = DataKey.generate().sqlcipher_key()
    _closed(db, backups, key=key, work=_write)
    assert record_clean_close(db)
    with pytest.raises(DatabaseCorrupt, match="密钥不对"):
        prepare_database(db, backups, key=DataKey.generate().sqlcipher_key())


def test_a_file_put_in_place_of_the_closed_one_is_read_whole(
        tmp_path: Path, full_checks: list[Path]) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _closed(db, backups)
    assert record_clean_close(db)
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    stat = db.stat()
    os.replace(copy, db)  # same bytes, same size, even the same time: another file
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    full_checks.clear()
    prepare_database(db, backups)
    assert full_checks == [db]
