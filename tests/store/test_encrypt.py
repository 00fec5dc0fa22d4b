"""Encryption at rest: a keyed database reveals nothing, and an old plaintext one is upgraded
in place with every case kept and no plaintext copy left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from station_app.store.audit import append_audit
from station_app.store.backup import backup_database, list_backups
from station_app.store.encrypt import encrypt_database_and_backups, is_plaintext
from station_app.store.engine import (
    DatabaseCorrupt,
    ensure_healthy,
    open_engine,
    quick_check,
    session_scope,
)
from station_app.store.migrate import prepare_database
from station_app.vault.keys import DataKey

NAME = "欧阳秀英"
ID_NUMBER = "42010519600101001X"


def _fill(db: Path, backups: Path, key: str | None, n: int = 20) -> None:
    prepare_database(db, backups, key=key)
    engine = open_engine(db, key=key)
    with session_scope(engine) as s:
        for i in range(n):
            append_audit(s, "w", "note", str(i), {"who": NAME + ID_NUMBER})
    engine.dispose()


def _leaks(folder: Path) -> list[str]:
    needles = [NAME.encode("utf-8"), NAME.encode("utf-16-le"), ID_NUMBER.encode()]
    return [str(p) for p in folder.rglob("*") if p.is_file()
            and any(n in p.read_bytes() for n in needles)]


def test_a_keyed_database_and_its_backup_hold_no_clear_text(tmp_path: Path) -> None:
    key = DataKey.generate().sqlcipher_key()
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _fill(db, backups, key)
    backup_database(db, backups, "manual", key=key)
    assert _leaks(tmp_path) == []
    assert quick_check(db, key=key) == []
    with pytest.raises(DatabaseCorrupt, match="密钥不对"):
        ensure_healthy(db, key=DataKey.generate().sqlcipher_key())


def test_a_plaintext_database_and_backups_are_encrypted_with_every_row_kept(
        tmp_path: Path) -> None:
    db, backups = tmp_path / "station.db", tmp_path / "backups"
    _fill(db, backups, None, n=30)
    backup_database(db, backups, "before-upgrade")
    assert _leaks(tmp_path)  # the old release's files: the scan does find the name
    key = DataKey.generate().sqlcipher_key()
    assert encrypt_database_and_backups(db, backups, key) == 2
    assert not is_plaintext(db) and not any(is_plaintext(b) for b in list_backups(db, backups))
    assert _leaks(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backups", "station.db", "station.db.created"]
    prepare_database(db, backups, key=key)
    engine = open_engine(db, key=key)
    with session_scope(engine) as s:
        assert s.execute(text("SELECT count(*) FROM audit_event WHERE action='note'")
                         ).scalar() == 30
    engine.dispose()
    assert encrypt_database_and_backups(db, backups, key) == 0  # idempotent at every start
