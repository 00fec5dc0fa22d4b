"""One write transaction straight on the pooled DB-API connection: for saving a case, where
SQLAlchemy's per-statement execution context, ``begin``/``commit`` bookkeeping and result
objects cost about as much as SQLite's own work on the rows (a quarter of a save).

What is kept from :func:`~station_app.store.engine.session_scope`:

- the same connection: the pool's one keyed connection, checked out and returned as usual;
- the same transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on any exception), so
  the rows commit together or not at all and the caller hears back only after COMMIT;
- the same nesting guard and disk-problem translation (:func:`~station_app.store.engine.
  one_transaction`);
- the same errors: a driver error is raised as the SQLAlchemy class ``exec_driver_sql`` would
  raise (``IntegrityError``, ``OperationalError`` …), parameters hidden as the engine hides them;
- the same observers: every statement, ``BEGIN IMMEDIATE`` included, goes through the engine's
  ``before_cursor_execute`` / ``after_cursor_execute`` listeners (statement counts in tests),
  with ``conn`` and ``context`` ``None`` since no SQLAlchemy connection takes part.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection

from station_app.store.engine import BEGIN, one_transaction
from station_app.store.prepared import Prepared


class DriverTransaction:
    """The open transaction: :meth:`execute` runs one statement on the driver's cursor."""

    def __init__(self, engine: Engine, driver: sqlite3.Connection,
                 info: dict[Any, Any] | None = None) -> None:
        self.dialect: Dialect = engine.dialect
        self.info: dict[Any, Any] = {} if info is None else info  # lives with the connection
        self._engine = engine
        self._driver = driver
        self._cursor = driver.cursor()
        self._errors = cast(type[Exception], self.dialect.loaded_dbapi.Error)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run ``sql`` with positional ``params``; the cursor holds any rows it returns."""
        before = self._engine.dispatch.before_cursor_execute
        if before:  # as Connection._execute_context does: a listener may rewrite both
            for listener in before:
                sql, params = listener(None, self._cursor, sql, params, None, False)
        try:
            self._cursor.execute(sql, params)
        except self._errors as exc:
            raise DBAPIError.instance(sql, params, exc, self._errors,
                                      hide_parameters=self._engine.hide_parameters,
                                      dialect=self.dialect, ismulti=False) from exc
        after = self._engine.dispatch.after_cursor_execute
        if after:
            for listener in after:
                listener(None, self._cursor, sql, params, None, False)
        return self._cursor

    def run(self, prepared: Prepared, params: Mapping[str, Any]) -> sqlite3.Cursor:
        """Run a prepared statement with its named parameters."""
        return self.execute(*prepared.bind(self.dialect, params))

    def commit(self) -> None:
        try:
            self._driver.commit()
        except self._errors as exc:
            raise DBAPIError.instance("COMMIT", (), exc, self._errors, hide_parameters=True,
                                      dialect=self.dialect, ismulti=False) from exc

    def rollback(self) -> None:
        """Roll back; a failure here is left to the pool, which rolls back (or discards the
        connection) on return, so that the error that caused the rollback is the one raised."""
        with suppress(self._errors):
            self._driver.rollback()


@contextmanager
def driver_transaction(engine: Engine) -> Iterator[DriverTransaction]:
    """``BEGIN IMMEDIATE`` on the engine's pooled connection; COMMIT when the block ends
    normally, ROLLBACK when it raises. Disk problems surface as
    :class:`~station_app.store.errors.ResourceError`, like every store transaction."""
    with one_transaction(engine):
        pooled = _checkout(engine)
        try:
            tx = DriverTransaction(engine, cast(sqlite3.Connection, pooled.driver_connection),
                                   pooled.info)
            tx.execute(BEGIN)
            try:
                yield tx
            except BaseException:
                tx.rollback()
                raise
            tx.commit()
        finally:
            pooled.close()  # back to the pool (which rolls back anything left open)


def _checkout(engine: Engine) -> PoolProxiedConnection:
    """The pool's connection; a failure to open it (a read-only folder, a wrong key) raised
    as SQLAlchemy's error class, as ``engine.connect()`` raises it."""
    errors = cast(type[Exception], engine.dialect.loaded_dbapi.Error)
    try:
        return engine.raw_connection()
    except errors as exc:
        raise DBAPIError.instance(None, None, exc, errors,
                                  hide_parameters=engine.hide_parameters,
                                  dialect=engine.dialect) from exc
