"""好差评 records and their follow-ups (回访整改), each written with its queue entry and audit
row in the caller's transaction (DESIGN.md invariant 1: saved means durable, and queued).

The bodies arrive as bytes built by the services layer (canonical JSON of the wire item);
the store keeps them exactly, as it does for submissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlmodel import Session, col, select

from station_app.domain.lifecycle import Rating
from station_app.store.audit import append_audit
from station_app.store.models import (
    FeedbackEntry,
    FollowUp,
    OutboxState,
    RatingRecord,
    Submission,
)
from station_app.store.outbox import body_digest

CloseResult = Literal["closed", "missing", "already_closed"]


def _queue(session: Session, item_id: str, kind: str, submission_id: str, body: bytes,
           at: datetime, after: str | None = None) -> None:
    session.add(FeedbackEntry(item_id=item_id, kind=kind, submission_id=submission_id,
                              after=after, body=body, body_sha256=body_digest(body),
                              state=OutboxState.PENDING.value, created_at=at))


def add_rating(session: Session, record: RatingRecord, body: bytes, *,
               deadline: date | None) -> bool:
    """Store a rating (and, for a 差评 with a reason, its follow-up due by ``deadline``) with
    its queue entry; the case's ``rating`` column becomes this newest score. False when the
    case is not stored here."""
    sub = session.get(Submission, record.submission_id)
    if sub is None:
        return False
    level = Rating(record.level)
    session.add(record)
    session.flush()
    if level.is_negative and not record.legacy:
        session.add(FollowUp(rating_id=record.id, submission_id=sub.id, deadline=deadline))
    _queue(session, record.id, "rating", sub.id, body, record.rated_at)
    sub.rating, sub.updated_at = level.score, record.rated_at
    session.add(sub)
    append_audit(session, record.operator, "submission.rated", sub.id,
                 {"rating_id": record.id, "level": level.value, "reason": record.reason,
                  "deadline": deadline.isoformat() if deadline else None},
                 at=record.rated_at)
    return True


def close_followup(session: Session, rating_id: str, *, closure_id: str, at: datetime,
                   by: str, notes: str, body: bytes) -> CloseResult:
    """Record the callback and queue the closure after its rating."""
    followup = session.get(FollowUp, rating_id)
    if followup is None:
        return "missing"
    if followup.closed_at is not None:
        return "already_closed"
    followup.closed_at, followup.closed_by = at, by
    followup.closure_id, followup.notes = closure_id, notes
    session.add(followup)
    _queue(session, closure_id, "closure", followup.submission_id, body, at, after=rating_id)
    append_audit(session, by, "followup.closed", followup.submission_id,
                 {"rating_id": rating_id, "closure_id": closure_id}, at=at)
    return "closed"


def ratings_of(session: Session, submission_id: str) -> list[RatingRecord]:
    """Every rating of a case, newest first."""
    query = (select(RatingRecord).where(col(RatingRecord.submission_id) == submission_id)
             .order_by(col(RatingRecord.rated_at).desc(), col(RatingRecord.id).desc()))
    return list(session.exec(query).all())


@dataclass(frozen=True)
class OpenFollowUp:
    """An open 回访整改 with what the list shows of its rating and case."""

    followup: FollowUp
    rating: RatingRecord
    tracking_ref: str
    applicant_masked: str | None


def open_followups(session: Session, *, limit: int = 500) -> list[OpenFollowUp]:
    """Follow-ups still open, the most urgent first (no deadline known: last)."""
    query = (select(FollowUp, RatingRecord, Submission.tracking_ref,
                    Submission.applicant_name_masked)
             .join(RatingRecord, col(RatingRecord.id) == col(FollowUp.rating_id))
             .join(Submission, col(Submission.id) == col(FollowUp.submission_id))
             .where(col(FollowUp.closed_at).is_(None))
             .order_by(col(FollowUp.deadline).asc().nulls_last(), col(RatingRecord.rated_at))
             .limit(limit))
    return [OpenFollowUp(f, r, ref, name) for f, r, ref, name in session.exec(query).all()]


def followups_of(session: Session, submission_id: str) -> list[FollowUp]:
    """A case's follow-ups, open ones first."""
    query = (select(FollowUp).where(col(FollowUp.submission_id) == submission_id)
             .order_by(col(FollowUp.closed_at).asc().nulls_first()))
    return list(session.exec(query).all())
