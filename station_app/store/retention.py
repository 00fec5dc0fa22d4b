"""Retention (PIPL): removing residents' personal data that the station no longer needs.

What stays of a purged case is the minimal record a worker or an inspector needs to answer
"was this handled?": tracking ref, item, dates, status and its history (without notes),
receipt number, masked name, operator. What goes: the form (payload), the materials list, the
ID-number lookup values, the outbox body (the district already holds it), the district's
free-text notes, and the reason a case needed attention.

SQLite's ``secure_delete`` (set on every connection) zeroes the freed cells; a checkpoint then
clears the WAL, and ``VACUUM`` in the quiet hours rewrites the file without free pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, delete, func, update
from sqlmodel import Session, col, select

from station_app.domain.lifecycle import FINISHED, SyncState
from station_app.store.models import (
    Draft,
    HistorySource,
    OutboxEntry,
    StatusHistory,
    Submission,
)


def due_for_purge(session: Session, finished_before: datetime, *,
                  limit: int = 500) -> list[str]:
    """Ids of synced, finished cases whose last district change is before the cutoff."""
    last_change = (select(StatusHistory.submission_id,
                          func.max(StatusHistory.at).label("finished_at"))
                   .where(col(StatusHistory.source) == HistorySource.DISTRICT)
                   .group_by(col(StatusHistory.submission_id)).subquery())
    query = (select(Submission.id)
             .join(last_change, last_change.c.submission_id == col(Submission.id))
             .where(col(Submission.purged_at).is_(None),
                    col(Submission.sync_state) == SyncState.SYNCED,
                    col(Submission.status).in_([s.value for s in FINISHED]),
                    last_change.c.finished_at < finished_before)
             .order_by(col(Submission.created_at)).limit(limit))
    return list(session.exec(query).all())


def purge_cases(session: Session, ids: Sequence[str], now: datetime) -> int:
    """Strip the personal data of these cases, keeping the minimal record; return how many."""
    if not ids:
        return 0
    result = session.exec(
        update(Submission).where(col(Submission.id).in_(ids), col(Submission.purged_at).is_(None))
        .values(payload={}, materials=[], id_last4=None, id_hmac=None, attention_reason=None,
                purged_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    session.exec(update(OutboxEntry).where(col(OutboxEntry.submission_id).in_(ids))
                 .values(body=b"", last_error=None)
                 .execution_options(synchronize_session=False))
    session.exec(update(StatusHistory).where(col(StatusHistory.submission_id).in_(ids))
                 .values(note=None).execution_options(synchronize_session=False))
    return int(result.rowcount)


def purge_old_drafts(session: Session, updated_before: datetime) -> int:
    """Drafts nobody finished: gone entirely after the cutoff."""
    result = session.exec(delete(Draft).where(col(Draft.updated_at) < updated_before))
    return int(result.rowcount)


def _outside_transaction(engine: Engine, statement: str) -> None:
    """Run a statement that SQLite refuses inside a transaction, on the pool's connection
    (the engine opens every transaction itself, so its DB-API connection is in autocommit)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(statement)
        cursor.fetchall()
        cursor.close()
    finally:
        raw.close()


def checkpoint(engine: Engine) -> None:
    """Move the WAL into the file and truncate it, so purged bytes leave the WAL too."""
    _outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")


def vacuum(engine: Engine) -> None:
    """Rewrite the file without free pages (minutes on a large file: quiet hours only)."""
    _outside_transaction(engine, "VACUUM")
