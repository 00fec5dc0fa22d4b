"""The case list: filtered, paged queries over the submission indexes."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Date, Select, cast, func, null, or_, union, union_all
from sqlmodel import Session, col, select

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.lifecycle import ATTENTION_STATUS, ATTENTION_SYNC
from station_app.store.models import FeedbackEntry, FollowUp, OutboxState, Submission
from station_app.store.refs import mask_name, normalise_id_number, normalise_ref


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list; ``None`` means "any".

    ``search`` is the one search box: a tracking ref, the last (up to four) characters of
    the ID number, or a name (compared by its mask, since names are stored masked; one
    character matches the surname). ``id_hmac`` is for exact lookup by the full ID number
    (see :func:`station_app.store.refs.id_lookup_hmac`). ``created_from`` is inclusive,
    ``created_to`` exclusive.
    """

    status: str | None = None
    sync_state: str | None = None
    item_code: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    search: str | None = None
    id_hmac: str | None = None
    attention: bool = False  # 需处理 (station_app.domain.lifecycle.needs_attention)


def china_day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """UTC bounds ``[start, end)`` covering Beijing calendar days ``first`` … ``last``."""
    start = datetime.combine(first, time.min, tzinfo=CHINA_TZ)
    end = datetime.combine((last or first) + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_condition(text: str) -> ColumnElement[bool]:
    ref = normalise_ref(text)
    if ref is not None:
        return col(Submission.tracking_ref) == ref
    compact = normalise_id_number(text)
    if re.fullmatch(r"[0-9]*[0-9X]", compact):
        last = compact[-4:]
        if len(last) == 4:
            return col(Submission.id_last4) == last
        return col(Submission.id_last4).like("%" + last)
    name = text.strip()
    if len(name) == 1:
        return col(Submission.applicant_name_masked).like(_escape_like(name) + "%", escape="\\")
    return col(Submission.applicant_name_masked) == mask_name(name)


def _rating_open_ids() -> Select[tuple[str]]:
    """Cases whose 好差评 is open: a 差评 not yet followed up, or a rating or closure the
    district refused (``rating_open`` of the domain's rule)."""
    open_followups = select(col(FollowUp.submission_id)).where(col(FollowUp.closed_at).is_(None))
    refused = select(col(FeedbackEntry.submission_id)).where(
        col(FeedbackEntry.state) == OutboxState.NEEDS_ATTENTION)
    return select(union(open_followups, refused).subquery().c[0])


def attention_condition() -> ColumnElement[bool]:
    """需处理 as SQL, from the domain's own names (one rule for the list and the counter)."""
    return or_(col(Submission.sync_state) == ATTENTION_SYNC.value,
               col(Submission.status) == ATTENTION_STATUS.label,
               col(Submission.id).in_(_rating_open_ids()))


def rating_open_among(session: Session, submission_ids: Collection[str]
                      ) -> dict[str, date | None]:
    """Which of these cases have an open 好差评 (for a page of rows: one query), with the
    nearest deadline of their open follow-ups (None: no deadline known, or only refused)."""
    if not submission_ids:
        return {}
    both = union_all(
        select(col(FollowUp.submission_id).label("sid"), col(FollowUp.deadline).label("due"))
        .where(col(FollowUp.closed_at).is_(None)),
        select(col(FeedbackEntry.submission_id).label("sid"),
               cast(null(), Date).label("due"))
        .where(col(FeedbackEntry.state) == OutboxState.NEEDS_ATTENTION)).subquery()
    query = (select(both.c.sid, func.min(both.c.due)).where(both.c.sid.in_(list(submission_ids)))
             .group_by(both.c.sid))
    return {str(sid): due for sid, due in session.exec(query).all()}


def _conditions(flt: CaseFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if flt.attention:
        conds.append(attention_condition())
    if flt.status is not None:
        conds.append(col(Submission.status) == flt.status)
    if flt.sync_state is not None:
        conds.append(col(Submission.sync_state) == flt.sync_state)
    if flt.item_code is not None:
        conds.append(col(Submission.item_code) == flt.item_code)
    if flt.created_from is not None:
        conds.append(col(Submission.created_at) >= flt.created_from)
    if flt.created_to is not None:
        conds.append(col(Submission.created_at) < flt.created_to)
    if flt.id_hmac is not None:
        conds.append(col(Submission.id_hmac) == flt.id_hmac)
    if flt.search is not None and flt.search.strip():
        conds.append(_search_condition(flt.search))
    return conds


def list_submissions(session: Session, flt: CaseFilter | None = None, *, offset: int = 0,
                     limit: int = 100) -> list[Submission]:
    """One page of cases, newest first (stable order: time, then id)."""
    query = (select(Submission).where(*_conditions(flt or CaseFilter()))
             .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
             .offset(offset).limit(limit))
    return list(session.exec(query).all())


def count_submissions(session: Session, flt: CaseFilter | None = None) -> int:
    """How many cases match (for the list's row count and the status bar)."""
    query = select(func.count()).select_from(Submission).where(*_conditions(flt or CaseFilter()))
    return int(session.exec(query).one())


def count_attention(session: Session) -> int:
    """How many cases 需处理: the status bar's number, by the ⚠ list's own filter."""
    return count_submissions(session, CaseFilter(attention=True))
