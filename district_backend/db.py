"""Engine setup that is safe under concurrent requests, on SQLite and on PostgreSQL.

SQLite: WAL, synchronous=FULL (an acknowledged receipt must survive power loss, because the
station forgets the item once acknowledged), busy_timeout, and every transaction opened with
BEGIN IMMEDIATE so writers queue on the lock instead of failing half-way with SQLITE_BUSY.
The sqlite3 driver's own transaction handling is switched off so SAVEPOINTs work.

PostgreSQL: each connection names its process (``application_name`` "district-backend PID",
unless the URL names one), so with several workers ``pg_stat_activity`` tells which worker
holds a lock or a long transaction, and which process to look at. The pool keeps as many
connections open as a busy worker uses at once (pushes are capped below that, see
:mod:`district_backend.push_path`): a pool smaller than that closes the surplus after every
request and opens new ones for the next, and each new connection costs PostgreSQL a process
start and an authentication. A worker opens at most POOL_SIZE + POOL_OVERFLOW connections.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

from district_backend.models import metadata
from station_app.domain.china_time import CHINA_TZ

APPLICATION_NAME = "district-backend"
_SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000",
                   "foreign_keys=ON")
POOL_SIZE = 10
"""Connections kept open per process (pushes at once are capped below it)."""
POOL_OVERFLOW = 10
"""Opened beyond POOL_SIZE in a burst of other requests, closed again after use."""
CONNECTIONS_PER_WORKER = POOL_SIZE + POOL_OVERFLOW
_WRITE_GATES: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    """Create the engine, the tables and their indexes (reference server: no migrations yet)."""
    if url.startswith("sqlite"):
        # hide_parameters: a failing statement's message never carries residents' values
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True,
                               pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        _WRITE_GATES[engine] = threading.Lock()
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True,
                               pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "do_connect", _name_connection)
        event.listen(engine, "connect", _plan_each_execution)
    metadata.create_all(engine)
    _add_missing_indexes(engine)
    return engine


def connection_budget_problem(engine: Engine, workers: int) -> str | None:
    """PostgreSQL: one line when ``workers`` processes could open more connections than the
    server allows (they would fail at the busiest moment, not at start); None when they fit."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        allowed = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
        reserved = int(conn.exec_driver_sql(
            "SHOW superuser_reserved_connections").scalar_one())
    needed = workers * CONNECTIONS_PER_WORKER
    if needed <= allowed - reserved:
        return None
    return (f"{workers} 个工作进程最多会同时打开 {needed} 个 PostgreSQL 连接，"
            f"而服务器只允许 {allowed - reserved} 个（max_connections = {allowed}）："
            f"请调大 max_connections 或减少 --workers")


def write_gate(engine: Engine) -> AbstractContextManager[object]:
    """Held around a busy write transaction (a push). SQLite: one lock per engine, so this
    process's writers queue in Python and the next one starts the moment the last commits;
    left to SQLite's busy handler they would poll, sleeping up to 100 ms between tries, and
    the lock would sit idle in between. PostgreSQL locks rows, not the database: no gate."""
    gate = _WRITE_GATES.get(engine)
    return gate if gate is not None else contextlib.nullcontext()


def _add_missing_indexes(engine: Engine) -> None:
    """Indexes added to tables a database already has (``create_all`` only makes new tables
    whole): built once, on the first start of a release that declares them."""
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            for index in table.indexes:
                index.create(conn, checkfirst=True)


def _name_connection(_dialect: Any, _record: Any, _cargs: Any,
                     cparams: dict[str, Any]) -> None:
    cparams.setdefault("application_name", f"{APPLICATION_NAME} {os.getpid()}")


def _plan_each_execution(dbapi_conn: Any, _record: Any) -> None:
    """Plan a prepared statement again on each execution (PostgreSQL 12+; older servers keep
    their default). psycopg prepares a statement run five times, and PostgreSQL may then
    keep one generic plan for it, made when the tables were small (a new district, a new
    day's rows): a scan of the whole table where an index lookup would do, getting slower
    with every row until autovacuum's next ANALYZE. Planning these short statements costs
    far less than one such scan."""
    try:
        dbapi_conn.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_conn.commit()
    except Exception:  # an older server without the setting: keep its default
        dbapi_conn.rollback()


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_conn.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def iso_utc(ts: float) -> str:
    """Unix seconds -> '2026-11-25T01:02:03Z' (second precision, what the wire carries)."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def china_day(ts: float) -> str:
    """Business day in Wuhan as YYYYMMDD, used in receipt numbers."""
    return datetime.fromtimestamp(ts, CHINA_TZ).strftime("%Y%m%d")
