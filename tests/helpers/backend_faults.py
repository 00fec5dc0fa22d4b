"""Real failures planted in the reference backend's own database, for the poison-item tests.

Nothing is mocked: a trigger makes the database itself refuse one submission, the way a
column, a constraint or a bug would. Two kinds, on SQLite and on PostgreSQL alike:

* :func:`fail_insert` — the INSERT of the named submissions fails at once (inside the item's
  savepoint): the backend can tell which item broke, and rejects that one.
* :func:`fail_commit` — the INSERT succeeds but the transaction holding it cannot COMMIT (a
  deferred constraint): the backend cannot tell which item broke, and answers 500 for the
  whole batch, as an older or foreign district server would. The station must find the item.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import create_engine, text

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION poison_fail() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'planted failure for this submission';
END $$ LANGUAGE plpgsql
"""


def _condition(submission_ids: Iterable[str] | None) -> str:
    """SQL that is true for the named submissions (None: for every one)."""
    if submission_ids is None:
        return "1 = 1"
    quoted = ", ".join(f"'{sid}'" for sid in submission_ids if sid.replace("-", "").isalnum())
    return f"NEW.submission_id IN ({quoted})"


def _run(db_url: str, statements: list[str]) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def fail_insert(db_url: str, submission_ids: Iterable[str] | None) -> None:
    """Storing any of ``submission_ids`` (None: any submission) fails at the INSERT."""
    when = _condition(submission_ids)
    if db_url.startswith("sqlite"):
        _run(db_url, [f"CREATE TRIGGER poison_insert BEFORE INSERT ON submissions WHEN {when} "
                      "BEGIN SELECT RAISE(ABORT, 'planted failure'); END"])
    else:
        _run(db_url, [_PG_FUNCTION,
                      "CREATE TRIGGER poison_insert BEFORE INSERT ON submissions FOR EACH ROW "
                      f"WHEN ({when}) EXECUTE FUNCTION poison_fail()"])


def fail_commit(db_url: str, submission_ids: Iterable[str] | None) -> None:
    """A transaction that stored any of ``submission_ids`` (None: any) fails at COMMIT."""
    when = _condition(submission_ids)
    if db_url.startswith("sqlite"):
        # A deferred foreign key is checked at COMMIT only: the trigger adds a dangling one.
        _run(db_url, [
            "CREATE TABLE poison_target (id INTEGER PRIMARY KEY)",
            "CREATE TABLE poison_guard (ref INTEGER REFERENCES poison_target(id) "
            "DEFERRABLE INITIALLY DEFERRED)",
            f"CREATE TRIGGER poison_commit AFTER INSERT ON submissions WHEN {when} "
            "BEGIN INSERT INTO poison_guard VALUES (-1); END",
        ])
    else:
        _run(db_url, [_PG_FUNCTION,
                      "CREATE CONSTRAINT TRIGGER poison_commit AFTER INSERT ON submissions "
                      "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                      f"WHEN ({when}) EXECUTE FUNCTION poison_fail()"])


def heal(db_url: str) -> None:
    """Remove the planted failures (the district fixed its side)."""
    if db_url.startswith("sqlite"):
        _run(db_url, ["DROP TRIGGER IF EXISTS poison_insert",
                      "DROP TRIGGER IF EXISTS poison_commit"])
    else:
        _run(db_url, ["DROP TRIGGER IF EXISTS poison_insert ON submissions",
                      "DROP TRIGGER IF EXISTS poison_commit ON submissions"])
