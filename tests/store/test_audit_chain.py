"""The audit chain: every kind of rewrite of the station's history is found by verify."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from station_app.store.audit import append_audit, chain_head, verify_chain
from station_app.store.engine import open_engine, session_scope
from station_app.store.migrate import prepare_database, upgrade

N = 12


def _fill(engine: Engine, n: int = N) -> None:
    for i in range(n):
        with session_scope(engine) as s:
            append_audit(s, f"A00{i % 3}", "case.viewed", f"HY2612{i:02d}",
                         {"note": f"第 {i} 次", "n": i})


def _tamper(db_path: Path, *sql: str) -> None:
    """What someone with write access to the file could do: drop the append-only triggers
    and change rows directly."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        for statement in sql:
            conn.execute(statement)
    finally:
        conn.close()


def _verify(engine: Engine) -> tuple[int, str | None]:
    with session_scope(engine) as s:
        checked, problem = verify_chain(s, batch=5)  # small batches: the paging is tested too
    return checked, None if problem is None else str(problem)


def test_an_untouched_chain_verifies(engine: Engine) -> None:
    _fill(engine)
    assert _verify(engine) == (N, None)
    with session_scope(engine) as s:
        assert chain_head(s).seq == N


SWAP = ("UPDATE audit_event SET subject = CASE id WHEN 4 THEN (SELECT subject FROM audit_event "
        "WHERE id = 5) ELSE (SELECT subject FROM audit_event WHERE id = 4) END, detail = "
        "CASE id WHEN 4 THEN (SELECT detail FROM audit_event WHERE id = 5) ELSE (SELECT detail "
        "FROM audit_event WHERE id = 4) END WHERE id IN (4, 5)")

CASES: dict[str, tuple[tuple[str, ...], str]] = {
    "edited": (("UPDATE audit_event SET actor = 'Z999' WHERE id = 7",), "第 7 条：内容被改动"),
    "deleted": (("DELETE FROM audit_event WHERE id = 6",), "第 6 条：缺失"),
    "reordered": ((SWAP,), "第 4 条：内容被改动"),
    "truncated": (("DELETE FROM audit_event WHERE id > 9",), f"末尾缺少 {N - 9} 条"),
    "rehashed tail": (("DELETE FROM audit_event WHERE id > 9",
                       "UPDATE audit_head SET seq = 9"), "链头与记录不符"),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_every_rewrite_is_found(engine: Engine, db_path: Path, kind: str) -> None:
    _fill(engine)
    engine.dispose()
    sql, expected = CASES[kind]
    _tamper(db_path, *sql)
    checked, problem = _verify(engine)
    assert problem is not None and expected in problem, problem
    assert checked < N


def test_rows_of_an_older_release_are_chained_by_the_migration(
        db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_path)
    try:
        upgrade(engine, "0003")
        with engine.begin() as conn:
            for i in range(3):
                conn.exec_driver_sql(
                    "INSERT INTO audit_event (at, actor, action, subject, detail) VALUES "
                    "(?, 'worker-01', 'submission.saved', ?, ?)",
                    (f"2025-03-14T02:0{i}:00.000000+00:00", f"S{i}", json.dumps({"n": i})))
    finally:
        engine.dispose()
    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        _fill(engine, 2)
        assert _verify(engine) == (5, None)
    finally:
        engine.dispose()


def test_appends_roll_back_with_their_transaction(engine: Engine) -> None:
    _fill(engine, 2)
    with pytest.raises(RuntimeError, match="power cut"), session_scope(engine) as s:
        append_audit(s, "A001", "case.viewed")
        raise RuntimeError("power cut")
    _fill(engine, 1)
    assert _verify(engine) == (3, None)
