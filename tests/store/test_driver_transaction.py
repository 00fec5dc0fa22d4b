"""The save's transaction on the driver keeps what a session transaction promises: all or
nothing, SQLAlchemy's error classes with the parameters hidden, the nesting guard, and every
statement visible to the engine's listeners."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from station_app.store.driver_transaction import driver_transaction
from station_app.store.engine import BEGIN, NestedSession, open_engine, session_scope
from station_app.store.errors import ResourceError
from tests.helpers.statements import recorded

SECRET = "110105194912310021"
INSERT_SETTING = "INSERT INTO setting (key, value) VALUES (?, ?)"


def _settings(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {str(k): str(v) for k, v in conn.execute(text("SELECT key, value FROM setting"))}


def test_a_block_that_ends_normally_commits(engine: Engine) -> None:
    with driver_transaction(engine) as tx:
        tx.execute(INSERT_SETTING, ("a", "1"))
        tx.execute(INSERT_SETTING, ("b", "2"))
    assert _settings(engine) == {"a": "1", "b": "2"}


def test_a_refused_statement_rolls_back_the_rows_before_it(engine: Engine) -> None:
    with pytest.raises(IntegrityError) as caught, driver_transaction(engine) as tx:
        tx.execute(INSERT_SETTING, ("a", "1"))
        tx.execute(INSERT_SETTING, ("a", SECRET))
    assert _settings(engine) == {}
    assert SECRET not in str(caught.value)  # parameters hidden, as the engine hides them
    with driver_transaction(engine) as tx:  # the connection went back to the pool clean
        tx.execute(INSERT_SETTING, ("a", "1"))
    assert _settings(engine) == {"a": "1"}


def test_an_exception_in_the_block_rolls_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), driver_transaction(engine) as tx:
        tx.execute(INSERT_SETTING, ("a", "1"))
        raise RuntimeError("the caller gave up")
    assert _settings(engine) == {}


def test_every_statement_reaches_the_engines_listeners(engine: Engine) -> None:
    with recorded(engine) as seen, driver_transaction(engine) as tx:
        tx.execute(INSERT_SETTING, ("a", "1"))
        tx.execute("SELECT value FROM setting WHERE key = ?", ("a",))
        assert tx.execute("SELECT count(*) FROM setting").fetchone() == (1,)
    assert seen == [BEGIN, INSERT_SETTING, "SELECT value FROM setting WHERE key = ?",
                    "SELECT count(*) FROM setting"]


def test_a_nested_transaction_fails_fast(engine: Engine) -> None:
    with driver_transaction(engine), pytest.raises(NestedSession), session_scope(engine):
        pass
    with session_scope(engine), pytest.raises(NestedSession), driver_transaction(engine):
        pass


def test_a_connection_that_cannot_open_is_told_as_a_session_tells_it(tmp_path: Path) -> None:
    """The driver's error on connecting is wrapped like ``engine.connect()`` wraps it, so the
    disk-problem translation gives the same one-line error."""
    engine = open_engine(tmp_path / "no-such-folder" / "station.db")
    try:
        with pytest.raises(ResourceError) as by_session, session_scope(engine) as s:
            s.connection()
        with pytest.raises(ResourceError) as by_driver, driver_transaction(engine):
            pass
    finally:
        engine.dispose()
    assert type(by_driver.value) is type(by_session.value)
    assert str(by_driver.value) == str(by_session.value)
    assert isinstance(by_driver.value.__cause__, OperationalError)
