"""The 好差评 queue: exact bodies of ratings and closures waiting for the district.

The same rules as the submissions' outbox (station_app.store.outbox): only an explicit
per-item answer changes state (``mark_feedback_acked``, ``mark_feedback_attention``);
anything else counts an attempt and keeps the entry pending, with its next attempt time.

An entry is sendable only when the district can file it: its case acknowledged (the
district has the receipt number to file it under) and, for a closure, its rating
acknowledged. Until then it waits without counting attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from station_app.store.audit import append_audit
from station_app.store.models import FeedbackEntry, OutboxEntry, OutboxState

_Before = aliased(FeedbackEntry)


def _sendable() -> ColumnElement[bool]:
    case_acked = exists().where(col(OutboxEntry.submission_id) == col(FeedbackEntry.submission_id),
                                col(OutboxEntry.state) == OutboxState.ACKED)
    before_acked = exists().where(col(_Before.item_id) == col(FeedbackEntry.after),
                                  col(_Before.state) == OutboxState.ACKED)
    return and_(col(FeedbackEntry.state) == OutboxState.PENDING, case_acked,
                or_(col(FeedbackEntry.after).is_(None), before_acked))


def pending_feedback(session: Session, *, limit: int, now: datetime,
                     max_delay: timedelta | None = None) -> list[FeedbackEntry]:
    """Sendable entries due at ``now``, oldest first (an entry scheduled beyond
    ``now + max_delay`` is due too: the clock was set back)."""
    due = or_(col(FeedbackEntry.next_attempt_at).is_(None),
              col(FeedbackEntry.next_attempt_at) <= now)
    if max_delay is not None:
        due = or_(due, col(FeedbackEntry.next_attempt_at) > now + max_delay)
    query = (select(FeedbackEntry).where(_sendable(), due)
             .order_by(col(FeedbackEntry.id)).limit(limit))
    return list(session.exec(query).all())


def next_feedback_attempt(session: Session) -> tuple[bool, datetime | None]:
    """(whether any entry is sendable, the earliest next attempt time among them)."""
    row = session.exec(select(FeedbackEntry.id, FeedbackEntry.next_attempt_at)
                       .where(_sendable())
                       .order_by(col(FeedbackEntry.next_attempt_at).asc().nulls_first())
                       .limit(1)).first()
    return (False, None) if row is None else (True, row[1])


def _entry(session: Session, item_id: str) -> FeedbackEntry | None:
    return session.exec(select(FeedbackEntry)
                        .where(col(FeedbackEntry.item_id) == item_id)).first()


def mark_feedback_acked(session: Session, item_id: str, receipt_no: str, *,
                        at: datetime) -> bool:
    """An explicit accepted/duplicate answer; True if this changed anything."""
    entry = _entry(session, item_id)
    if entry is None or entry.state == OutboxState.ACKED:
        return False
    entry.state, entry.acked_at, entry.receipt_no = OutboxState.ACKED, at, receipt_no
    entry.next_attempt_at, entry.last_error = None, None
    session.add(entry)
    append_audit(session, "sync", "feedback.acked", entry.submission_id,
                 {"item_id": item_id, "kind": entry.kind, "receipt_no": receipt_no}, at=at)
    return True


def mark_feedback_attention(session: Session, item_id: str, reason: str, *,
                            at: datetime) -> bool:
    """A permanent per-item refusal; never downgrades an acknowledged entry."""
    entry = _entry(session, item_id)
    if entry is None or entry.state == OutboxState.ACKED:
        return False
    entry.state, entry.last_error, entry.next_attempt_at = (
        OutboxState.NEEDS_ATTENTION, reason, None)
    session.add(entry)
    append_audit(session, "sync", "feedback.needs_attention", entry.submission_id,
                 {"item_id": item_id, "reason": reason}, at=at)
    return True


def record_feedback_failure(session: Session, item_ids: Sequence[str], error: str,
                            next_attempt_at: datetime) -> int:
    """Outcome unknown (or "retry"): count the attempt, keep them pending."""
    result = session.exec(
        update(FeedbackEntry)
        .where(col(FeedbackEntry.item_id).in_(item_ids),
               col(FeedbackEntry.state) == OutboxState.PENDING)
        .values(attempts=col(FeedbackEntry.attempts) + 1, last_error=error,
                next_attempt_at=next_attempt_at)
        .execution_options(synchronize_session="fetch"))
    return result.rowcount


def refused_feedback_reason(session: Session, submission_id: str) -> str | None:
    """Why the district refused a rating or closure of this case (the newest), if it did."""
    query = (select(FeedbackEntry.last_error)
             .where(col(FeedbackEntry.submission_id) == submission_id,
                    col(FeedbackEntry.state) == OutboxState.NEEDS_ATTENTION)
             .order_by(col(FeedbackEntry.id).desc()).limit(1))
    return session.exec(query).first()
