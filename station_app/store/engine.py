"""The one way to open the station database (DESIGN.md invariant 1: saved means durable).

Every connection gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout, and every
transaction starts with ``BEGIN IMMEDIATE``: a deferred transaction that reads first and writes
later gets SQLITE_BUSY at once on the upgrade, ignoring the busy timeout.

One writer: the pool holds exactly one connection (``pool_size=1, max_overflow=0``). The UI
thread and the sync thread take turns at the Python level (waiting up to ``pool_timeout``)
instead of racing for SQLite's file lock; there is never a second connection that could
checkpoint concurrently (the WAL-reset bug needs two), and an SQLCipher key derivation is
paid once. The cost: a thread must not open a second session on the same engine while it
holds one (:func:`session_scope` refuses at once rather than wait for itself).
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlmodel import Session

from station_app.domain.disk import write_blocked
from station_app.store.errors import StoreError as StoreError  # re-exported: it lives there
from station_app.store.errors import make_resource_error, resource_error

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BEGIN = "BEGIN IMMEDIATE"  # every write transaction's first statement (see above)
POOL_TIMEOUT_S = 30.0


class EncryptionUnavailable(StoreError):
    """A key was given but the SQLCipher driver is not installed."""


RESTORE_HINT = "请运行 station-app restore 从最近的已验证备份恢复"


class DatabaseUnusable(StoreError):
    """Start-up refused the database file (damaged, or gone from a folder that held data);
    nothing was created or changed. The way out is a restore (``station-app restore``)."""

    def __init__(self, db_path: Path, message: str) -> None:
        self.db_path = db_path
        super().__init__(message)


class DatabaseCorrupt(DatabaseUnusable):
    """The database file failed its start-up check; it is left exactly as found."""

    def __init__(self, db_path: Path, problems: list[str]) -> None:
        self.problems = problems
        detail = "；".join(p.replace("\n", " ") for p in problems[:3])
        if len(problems) > 3:
            detail += f" 等 {len(problems)} 处"
        super().__init__(db_path, f"数据库文件 {db_path} 已损坏（quick_check: {detail}）。"
                                  f"{RESTORE_HINT}，原文件已保留。")


def dbapi_module(key: str | None) -> ModuleType:
    """``sqlite3``, or the SQLCipher DB-API module when the database is keyed."""
    if key is None:
        return sqlite3
    try:
        return importlib.import_module("sqlcipher3.dbapi2")
    except ImportError as exc:
        raise EncryptionUnavailable(
            "数据库配置了加密密钥，但未安装 SQLCipher 驱动（Python 模块 sqlcipher3）。"
            "请安装 sqlcipher3 后重新启动，数据库文件未被改动。"
        ) from exc


def driver_errors(key: str | None) -> tuple[type[Exception], ...]:
    """The DB-API error classes of the driver in use (SQLCipher's are not sqlite3's)."""
    module = dbapi_module(key)
    return (sqlite3.Error, cast(type[Exception], module.Error))


def key_pragma(key: str) -> str:
    """``PRAGMA key`` with the passphrase quoted as an SQL string literal."""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def _prepare_connection(dbapi_conn: sqlite3.Connection) -> None:
    """Per-connection set-up (after the key; see ``do_connect`` in :func:`open_engine`)."""
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see module docstring)
    mode = dbapi_conn.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise StoreError(f"无法将数据库切换到 WAL 模式（当前 {mode}），请检查数据目录所在的磁盘。")
    dbapi_conn.execute("PRAGMA synchronous=FULL")
    dbapi_conn.execute("PRAGMA foreign_keys=ON")
    dbapi_conn.execute("PRAGMA secure_delete=ON")  # deleted residents' data is overwritten
    dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _json_dumps(value: Any) -> str:
    """JSON columns keep Chinese readable in the file (no ``\\uXXXX`` escapes)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def open_engine(db_path: Path, *, key: str | None = None) -> Engine:
    """Engine for the station database at ``db_path`` (created on first write)."""
    module = dbapi_module(key)
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(db_path)),  # no URL parsing of the path
        module=module,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        json_serializer=_json_dumps,
        hide_parameters=True,  # an error's text must never carry a resident's data to a log
    )

    @event.listens_for(engine, "do_connect")
    def _do_connect(_dialect: Any, _record: ConnectionPoolEntry, cargs: tuple[Any, ...],
                    cparams: dict[str, Any]) -> Any:
        # Key before the dialect's own first statements: SQLCipher reads nothing unkeyed.
        conn = module.connect(*cargs, **cparams)
        if key is not None:
            try:
                conn.execute(key_pragma(key))
            except BaseException:
                conn.close()
                raise
        return conn

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        _prepare_connection(cast(sqlite3.Connection, dbapi_conn))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(BEGIN)

    return engine


_in_scope = threading.local()


class NestedSession(StoreError):
    """A thread opened a second session on the engine whose only connection it holds."""


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commits when the block ends normally, rolls back on an exception.

    Objects stay readable after the block (``expire_on_commit=False``). Nesting on the same
    engine in one thread would wait ``pool_timeout`` for the connection the thread itself
    holds, so it fails at once instead.

    A full disk, a read-only folder, missing permissions or a write lock held by another
    process raise a :class:`~station_app.store.errors.ResourceError` (one Chinese line)
    instead of the driver's English one; the transaction has rolled back by then.
    """
    with one_transaction(engine), Session(engine, expire_on_commit=False) as session, \
            session.begin():
        yield session


@contextmanager
def one_transaction(engine: Engine) -> Iterator[None]:
    """Refuse a nested transaction on ``engine`` in this thread; translate disk problems.
    Around every store transaction (:func:`session_scope`, and
    :func:`~station_app.store.driver_transaction.driver_transaction` for saving a case)."""
    held: set[int] = _in_scope.__dict__.setdefault("engines", set())
    if id(engine) in held:
        raise NestedSession("内部错误：同一线程在未结束的数据库事务中又开启了事务。")
    held.add(id(engine))
    try:
        yield
    except DBAPIError as exc:
        translated = _resource_error(engine, exc)
        if translated is None:
            raise
        raise translated from exc
    finally:
        held.discard(id(engine))


def _resource_error(engine: Engine, exc: DBAPIError) -> StoreError | None:
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    db_file = Path(database)
    return resource_error(exc, db_file.parent, file=db_file, waited_s=BUSY_TIMEOUT_MS / 1000)


def raw_connect(db_path: Path, *, key: str | None = None,
                readonly: bool = False) -> sqlite3.Connection:
    """A plain DB-API connection (for checks and the backup API), keyed when needed.

    Typed as ``sqlite3.Connection``; an SQLCipher connection has the same interface.
    """
    module = dbapi_module(key)
    if readonly:
        target = f"{db_path.resolve().as_uri()}?mode=ro"
        conn = cast(sqlite3.Connection, module.connect(target, uri=True))
    else:
        conn = cast(sqlite3.Connection, module.connect(str(db_path)))
    conn.isolation_level = None
    try:
        if key is not None:
            conn.execute(key_pragma(key))
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def quick_check(db_path: Path, *, key: str | None = None) -> list[str]:
    """Problems found by ``PRAGMA quick_check``; an empty list means the file looks healthy.

    Opens read-only so a damaged file is never written to (not even a checkpoint), and
    recognises a file that is not SQLite at all by its header when it is not encrypted.
    Reads (and with SQLCipher decrypts) every page: seconds at 100,000 cases.
    """
    return _check(db_path, key, "PRAGMA quick_check")


def light_check(db_path: Path, *, key: str | None = None) -> list[str]:
    """:func:`quick_check` reading the schema only: the header, the key (SQLCipher checks the
    first page's authentication code) and the table list; milliseconds at any size."""
    return _check(db_path, key, "SELECT 'ok' FROM sqlite_master LIMIT 1")


def _check(db_path: Path, key: str | None, statement: str) -> list[str]:
    if key is None:
        with db_path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            return ["文件头不是 SQLite 格式，这不是一个数据库文件"]
    errors = driver_errors(key)
    hint = "" if key is None else "（密钥不对，或文件已损坏）"
    try:
        conn = raw_connect(db_path, key=key, readonly=True)
    except errors as exc:
        return [f"无法打开：{exc}{hint}"]
    try:
        rows = conn.execute(statement).fetchall()
    except errors as exc:
        return [f"{exc}{hint}"]
    finally:
        conn.close()
    problems = [str(row[0]) for row in rows]
    return [] if problems in (["ok"], []) else problems


def ensure_healthy(db_path: Path, *, key: str | None = None, thorough: bool = True) -> None:
    """Raise :class:`DatabaseCorrupt` when :func:`quick_check` finds anything
    (:func:`light_check` when not ``thorough``).

    SQLite cannot open a WAL database in a folder it may not write to (read-only disk, no
    permission) or on a full disk: that is said as such (a ``ResourceError``), not as a
    damaged file, which would send IT to restore a backup over newer cases.
    """
    problems = (quick_check if thorough else light_check)(db_path, key=key)
    if problems:
        blocked = write_blocked(db_path.parent, db_path)
        if blocked is not None:
            raise make_resource_error(blocked, db_path.parent, file=db_path)
        raise DatabaseCorrupt(db_path, problems)
