"""好差评 as use cases: rate a case, list the open follow-ups, close one with the callback.

Each rating or closure is saved with its exact wire bytes in one transaction, so it reaches
the district exactly once by the same path as a submission (sync/feedback.py). The rules
(which levels are 差评, the reason they need, the deadline in working days) are the
domain's (station_app.domain.feedback); the number of days is the district's, from the
catalogue header.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from station_app.domain.feedback import (
    RatingReason,
    followup_deadline,
    notes_problem,
    rating_problem,
)
from station_app.domain.lifecycle import Rating
from station_app.domain.workdays import CalendarOutOfRange
from station_app.services.context import StationContext
from station_app.services.storage_errors import reading, writing
from station_app.store.engine import session_scope
from station_app.store.models import FollowUp, RatingRecord
from station_app.store.ratings import add_rating, close_followup, open_followups
from station_app.store.refs import new_submission_id
from station_app.store.submissions import get_submission
from station_app.wire.canonical import canonical_json
from station_app.wire.feedback import ClosureItem, RatingItem

ADMIN_ONLY = "差评回访只能由管理员办结：请管理员点“锁定 / 切换用户”登录后办结"


class RatingRefused(ValueError):
    """The rating or closure cannot be saved as given; the message is one Chinese line."""


@dataclass(frozen=True)
class SavedRating:
    """What was stored; ``deadline`` is None for a good rating, or when the holiday
    schedule of the deadline's year is not loaded yet (the follow-up is still open)."""

    rating_id: str
    level: Rating
    reason: RatingReason | None
    followup: bool
    deadline: date | None


def _iso(at: datetime) -> str:
    return at.isoformat()


def rate_case(ctx: StationContext, submission_id: str, level: Rating,
              reason: RatingReason | None = None, words: str = "") -> SavedRating | None:
    """Store one rating of the case (another visit, another record); None if the case is
    gone. A 差评 without a reason raises :class:`RatingRefused`, and so do bad words."""
    words = words.strip()
    problem = rating_problem(level, reason, words)
    if problem is not None:
        raise RatingRefused(problem)
    at = ctx.clock()
    deadline: date | None = None
    if level.is_negative:
        try:
            deadline = followup_deadline(ctx.calendar, at,
                                         ctx.catalogue.header.followup_working_days)
        except CalendarOutOfRange:
            deadline = None  # still followed up; the date is set when the schedule is known
    rating_id = new_submission_id()
    with writing("好差评"), session_scope(ctx.engine) as s:
        sub = get_submission(s, submission_id)
        if sub is None:
            return None
        item = RatingItem(kind="rating", item_id=rating_id, submission_id=sub.id,
                          tracking_ref=sub.tracking_ref, level=level, reason=reason,
                          words=words, rated_at=_iso(at), operator=ctx.operator,
                          followup_deadline=deadline.isoformat() if deadline else None)
        record = RatingRecord(id=rating_id, submission_id=sub.id, level=level.value,
                              reason=reason.value if reason else None, words=words,
                              rated_at=at, operator=ctx.operator)
        add_rating(s, record, canonical_json(item.model_dump(mode="json")), deadline=deadline)
    return SavedRating(rating_id, level, reason, level.is_negative, deadline)


@dataclass(frozen=True)
class FollowUpRow:
    """One open 回访整改 as the 办件 page lists it (personal data masked)."""

    rating_id: str
    submission_id: str
    tracking_ref: str
    applicant: str
    level: Rating
    reason: RatingReason | None
    words: str
    rated_at: datetime
    deadline: date | None

    def overdue(self, today: date) -> bool:
        return self.deadline is not None and today > self.deadline


def list_open_followups(ctx: StationContext) -> list[FollowUpRow]:
    """Open follow-ups, the most urgent first."""
    with reading("差评回访"), session_scope(ctx.engine) as s:
        return [FollowUpRow(o.rating.id, o.followup.submission_id, o.tracking_ref,
                            o.applicant_masked or "（未填写）", Rating(o.rating.level),
                            RatingReason(o.rating.reason) if o.rating.reason else None,
                            o.rating.words, o.rating.rated_at, o.followup.deadline)
                for o in open_followups(s)]


def close_case_followup(ctx: StationContext, rating_id: str, notes: str) -> bool:
    """An administrator closes a follow-up with the callback notes (required); False when it
    was already closed or is gone. Raises :class:`RatingRefused` for a non-administrator or
    empty notes."""
    if not ctx.admin:
        raise RatingRefused(ADMIN_ONLY)
    notes = notes.strip()
    problem = notes_problem(notes)
    if problem is not None:
        raise RatingRefused(problem)
    at, closure_id = ctx.clock(), new_submission_id()
    with writing("差评回访"), session_scope(ctx.engine) as s:
        followup = s.get(FollowUp, rating_id)
        if followup is None:
            return False
        item = ClosureItem(kind="closure", item_id=closure_id, rating_id=rating_id,
                           submission_id=followup.submission_id, closed_at=_iso(at),
                           closed_by=ctx.operator, notes=notes)
        body = canonical_json(item.model_dump(mode="json"))
        return close_followup(s, rating_id, closure_id=closure_id, at=at, by=ctx.operator,
                              notes=notes, body=body) == "closed"
