"""What one save costs, in numbers that do not depend on the machine: the statements it sends
and the connections it opens (the pages it writes: test_save_pages.py). A lookup or flush
creeping back into the save path, or a pool that reconnects (and re-derives the SQLCipher key)
per save, fails here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, event

from station_app.services.saving import _save_submission, save_submission
from station_app.store.audit import append_audit, verify_chain
from station_app.store.engine import open_engine, session_scope
from station_app.store.migrate import prepare_database
from station_app.store.records import save_draft
from station_app.store.refs import new_submission_id
from station_app.vault.keys import DataKey
from tests.helpers.statements import recorded

if TYPE_CHECKING:
    from .conftest import MakeSubmission

A_NEW_CASE = [  # the row writes, and the audit chain: its head moved, the row appended
    "BEGIN IMMEDIATE",
    "INSERT INTO submission",
    "INSERT INTO outbox",
    "INSERT INTO status_history",
    "UPDATE audit_head",
    "INSERT INTO audit_event",
]
HEAD_READ_AGAIN = [  # the head this connection wrote last is not the table's: read it
    "BEGIN IMMEDIATE",
    "INSERT INTO submission",
    "INSERT INTO outbox",
    "INSERT INTO status_history",
    "UPDATE audit_head",
    "SELECT audit_head.seq, audit_head.hash FROM audit_head",
    "INSERT INTO audit_event",
    "INSERT INTO audit_head",
]


def _heads(statements: list[str]) -> list[str]:
    known = [*A_NEW_CASE, *HEAD_READ_AGAIN, "DELETE FROM draft"]
    return [next((p for p in known if s.startswith(p)), s) for s in statements]


def _chain_ok(engine: Engine) -> int:
    with session_scope(engine) as s:
        checked, problem = verify_chain(s)
    assert problem is None, problem
    return checked


def test_a_new_case_is_saved_with_six_statements(
        engine: Engine, make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission())  # the first save compiles; count the next
    with recorded(engine) as seen:
        save_submission(engine, make_submission())
    assert _heads(seen) == A_NEW_CASE
    assert len(seen) == 6  # was 10: two lookups before the insert and a draft read; then 7
    assert _chain_ok(engine) == 2


def test_a_head_moved_by_another_writer_is_read_again(
        engine: Engine, make_submission: MakeSubmission) -> None:
    """An audit row appended through a session between two saves: the remembered head is
    stale, the guarded UPDATE moves nothing, and the save reads the head and chains after
    the other row."""
    save_submission(engine, make_submission())
    with session_scope(engine) as s:
        append_audit(s, "worker-01", "case.viewed", "HY1")
    with recorded(engine) as seen:
        save_submission(engine, make_submission())
    assert _heads(seen) == HEAD_READ_AGAIN
    with recorded(engine) as seen:
        save_submission(engine, make_submission())
    assert _heads(seen) == A_NEW_CASE
    assert _chain_ok(engine) == 4


def test_a_save_that_rolled_back_leaves_no_fork_in_the_chain(
        engine: Engine, make_submission: MakeSubmission) -> None:
    """The head is remembered before COMMIT; a save that then fails leaves the memory ahead of
    the table, and the next save finds that out instead of chaining after a row never kept."""
    save_submission(engine, make_submission())

    def fail(stage: str) -> None:
        if stage == "before_commit":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        _save_submission(engine, make_submission(), hook=fail)
    with recorded(engine) as seen:
        save_submission(engine, make_submission())
    assert _heads(seen) == HEAD_READ_AGAIN
    assert _chain_ok(engine) == 2


def test_a_submitted_draft_costs_one_delete_more(
        engine: Engine, make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission())
    draft_id = new_submission_id()
    with session_scope(engine) as session:
        save_draft(session, draft_id, operator="worker-01", payload={"姓名": "张三丰"})
    with recorded(engine) as seen:
        save_submission(engine, make_submission(id=draft_id))
    assert _heads(seen) == [*A_NEW_CASE, "DELETE FROM draft"]


def test_saves_reuse_the_one_keyed_connection(tmp_path: Path,
                                              make_submission: MakeSubmission) -> None:
    """SQLCipher derives the key when a connection opens: the pool must keep its one."""
    db, key = tmp_path / "data" / "station.db", DataKey.generate().sqlcipher_key()
    prepare_database(db, tmp_path / "backups", key=key)
    engine = open_engine(db, key=key)
    opened: list[object] = []
    event.listen(engine, "connect", lambda conn, _record: opened.append(conn))
    try:
        for _ in range(5):
            save_submission(engine, make_submission())
    finally:
        engine.dispose()
    assert len(opened) == 1
