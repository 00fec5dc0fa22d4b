"""The engine factory: PRAGMAs, BEGIN IMMEDIATE, one connection, the SQLCipher hook."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
import types
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from station_app.store.coltypes import to_utc_text
from station_app.store.engine import (
    EncryptionUnavailable,
    NestedSession,
    key_pragma,
    open_engine,
    quick_check,
    session_scope,
)


def test_pragmas_in_effect_on_every_connection(engine: Engine) -> None:
    for _ in range(2):  # a fresh checkout sees the same settings
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        engine.dispose()


def test_begin_immediate_takes_the_write_lock_on_a_read(engine: Engine, db_path: Path) -> None:
    other = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM submission")).scalar()  # read only
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO setting (key, value) VALUES ('k', 'v')")
        other.execute("INSERT INTO setting (key, value) VALUES ('k', 'v')")  # free again
    finally:
        other.close()


def test_deferred_control_shows_the_difference(engine: Engine, db_path: Path) -> None:
    """Control: a plain deferred read transaction does not block a writer."""
    engine.dispose()
    first = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
    other = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
    try:
        first.execute("BEGIN")
        first.execute("SELECT count(*) FROM submission").fetchall()
        other.execute("INSERT INTO setting (key, value) VALUES ('k', 'v')")
        first.execute("ROLLBACK")
    finally:
        first.close()
        other.close()


def test_one_connection_serialises_threads(engine: Engine) -> None:
    order: list[str] = []

    def second() -> None:
        with engine.connect() as conn:
            order.append("second connected")
            conn.execute(text("SELECT 1"))

    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.3)
        assert order == []  # still waiting for the only connection
        order.append("first released")
    worker.join(10)
    assert order == ["first released", "second connected"]


def test_nested_session_fails_fast_instead_of_waiting(engine: Engine) -> None:
    """Unchecked, the inner session would wait pool_timeout for the connection the outer one
    holds and end in the pool's TimeoutError, not in NestedSession."""
    with session_scope(engine) as outer, pytest.raises(NestedSession):
        outer.connection()  # the engine's only connection
        with session_scope(engine) as inner:
            inner.connection()  # pragma: no cover
    with session_scope(engine) as again:  # and the engine is usable afterwards
        assert again.exec(text("SELECT 1")).scalar() == 1  # type: ignore[call-overload]


def test_key_without_sqlcipher_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "sqlcipher3.dbapi2", None)  # makes the import fail
    with pytest.raises(EncryptionUnavailable, match="sqlcipher3"):
        open_engine(tmp_path / "x.db", key="secret")
    assert not (tmp_path / "x.db").exists()


def test_key_is_the_first_statement_with_the_sqlcipher_module(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The driver module is swapped in and PRAGMA key precedes everything else.

    sqlite3 stands in for sqlcipher3 (same DB-API; it ignores the unknown PRAGMA key).
    """
    statements: list[str] = []

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = sqlite3.connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    fake = types.ModuleType("sqlcipher3.dbapi2")
    fake.__dict__.update({k: v for k, v in vars(sqlite3).items() if not k.startswith("__")})
    fake.connect = connect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sqlcipher3", types.ModuleType("sqlcipher3"))
    monkeypatch.setitem(sys.modules, "sqlcipher3.dbapi2", fake)
    engine = open_engine(tmp_path / "enc.db", key="pa'ss")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert statements[0] == "PRAGMA key = 'pa''ss'"
    assert "PRAGMA journal_mode=WAL" in statements


def test_key_pragma_quotes() -> None:
    assert key_pragma("a'b") == "PRAGMA key = 'a''b'"


def test_quick_check_healthy_and_not_sqlite(engine: Engine, db_path: Path,
                                            tmp_path: Path) -> None:
    assert quick_check(db_path) == []
    text_file = tmp_path / "notes.db"
    text_file.write_text("这不是数据库\n" * 100, encoding="utf-8")
    assert quick_check(text_file) == ["文件头不是 SQLite 格式，这不是一个数据库文件"]


def test_utc_text_is_fixed_width_and_rejects_naive_times() -> None:
    beijing = timezone(timedelta(hours=8))
    assert to_utc_text(datetime(2025, 3, 14, 8, 0, tzinfo=beijing)) == \
        "2025-03-14T00:00:00.000000+00:00"
    assert len(to_utc_text(datetime(2025, 3, 14, tzinfo=UTC))) == 32
    with pytest.raises(ValueError, match="naive"):
        to_utc_text(datetime(2025, 3, 14))
