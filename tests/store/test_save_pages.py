"""What a save writes, in pages (the unit SQLCipher encrypts and the WAL appends), and that
the indexes left out of it (migration 0008) are not missed by any query of the 办件 list.

Pages are counted from the WAL: each frame is one page written by a commit. The number does
not depend on the machine, so an index creeping back into the save path fails here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, event

from station_app.services.saving import save_submission
from station_app.store.engine import open_engine, session_scope
from station_app.store.migrate import prepare_database, upgrade
from station_app.store.queries import CaseFilter, IdLookup, count_submissions, list_submissions

from .conftest import ID_KEY, SAMPLE_ID

if TYPE_CHECKING:
    from .conftest import MakeSubmission

FRAME_HEADER, WAL_HEADER = 24, 32
SAVES = 30
# The b-trees a new case enters: the case's table and 8 of its indexes (its id, tracking ref,
# receipt number, last digits + ID lookup, created_at, item, sync state, name), the outbox
# (table, its case index, its state index), the history (table, case index), the audit
# trail and its head. Before 0008: 19 (the status, ID-lookup and audit-time indexes too).
BTREES_WRITTEN = 16


def _frames(db_path: Path) -> int:
    wal = db_path.with_name(db_path.name + "-wal")
    size = wal.stat().st_size
    page = int.from_bytes(wal.read_bytes()[8:12], "big")
    return (size - WAL_HEADER) // (FRAME_HEADER + page)


def test_a_save_writes_one_page_per_btree_it_enters(
        engine: Engine, db_path: Path, make_submission: MakeSubmission) -> None:
    for _ in range(5):  # first pages and the first splits out of the way
        save_submission(engine, make_submission())
    pooled = engine.raw_connection()  # outside a transaction: a fresh WAL, not checkpointed
    try:                               # while the saves run
        driver = pooled.driver_connection
        assert driver is not None
        driver.execute("PRAGMA wal_autocheckpoint=0").fetchall()
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        pooled.close()
    for i in range(SAVES):
        save_submission(engine, make_submission(name=f"张{i}丰"))
    per_save = _frames(db_path) / SAVES
    # one leaf each, plus the occasional split (a new leaf, its parent, the header page)
    assert BTREES_WRITTEN <= per_save < BTREES_WRITTEN + 1.5, per_save


@contextmanager
def _plans(engine: Engine) -> Iterator[list[str]]:
    """The query plan of every SELECT on submission sent inside the block."""
    sent: list[tuple[str, Any]] = []

    def before(_conn: object, _cursor: object, statement: str, parameters: Any,
               *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "submission" in statement:
            sent.append((statement, parameters))

    plans: list[str] = []
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield plans
    finally:
        event.remove(engine, "before_cursor_execute", before)
    with engine.connect() as conn:
        for statement, parameters in sent:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append(" | ".join(str(r[-1]) for r in rows))


@pytest.mark.parametrize(("flt", "index"), [
    (CaseFilter(id_number=IdLookup.of(SAMPLE_ID, ID_KEY)),
     "ix_submission_id_last4_id_hmac (id_last4=? AND id_hmac=?)"),
    (CaseFilter(search="002X"), "ix_submission_id_last4_id_hmac (id_last4=?)"),
    (CaseFilter(status="已办结"), "ix_submission_status_created_at (status=?)"),
    (CaseFilter(status="已办结", item_code="RS01"), "ix_submission_"),
    (CaseFilter(sync_state="queued"), "ix_submission_sync_state_created_at (sync_state=?)"),
    (CaseFilter(item_code="RS01"), "ix_submission_item_code_created_at (item_code=?)"),
    (CaseFilter(search="张三丰"), "ix_submission_applicant_name_masked_created_at"),
])
def test_every_case_list_filter_still_searches_an_index(
        engine: Engine, make_submission: MakeSubmission, flt: CaseFilter, index: str) -> None:
    save_submission(engine, make_submission())
    with _plans(engine) as plans, session_scope(engine) as s:
        list_submissions(s, flt, listing=True)
        count_submissions(s, flt)
    assert len(plans) == 2
    for plan in plans:
        assert f"SEARCH submission USING COVERING INDEX {index}" in plan \
            or f"SEARCH submission USING INDEX {index}" in plan, plan
        assert "SCAN submission" not in plan, plan


def _indexes(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {str(name): str(sql) for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_0008_goes_down_and_up_again_keeping_cases_findable(
        db_path: Path, backup_dir: Path, make_submission: MakeSubmission) -> None:
    from alembic import command

    from station_app.store.migrate import alembic_config

    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        saved = save_submission(engine, make_submission())
        at_head = _indexes(engine)
        assert "WHERE status IS NOT NULL" in at_head["ix_submission_status_created_at"]
        assert {"ix_audit_event_at", "ix_submission_id_last4",
                "ix_submission_id_hmac"}.isdisjoint(at_head)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
        before = _indexes(engine)
        assert {"ix_audit_event_at", "ix_submission_id_last4", "ix_submission_id_hmac"} \
            <= before.keys()
        assert "ix_submission_id_last4_id_hmac" not in before
        assert "WHERE" not in before["ix_submission_status_created_at"]
        upgrade(engine)
        assert _indexes(engine) == at_head
        with session_scope(engine) as s:
            found = list_submissions(s, CaseFilter(id_number=IdLookup.of(SAMPLE_ID, ID_KEY)))
        assert [c.id for c in found] == [saved.id]
    finally:
        engine.dispose()
