"""The case list: filtered, paged queries over the submission indexes."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    cast,
    func,
    literal,
    null,
    or_,
    union,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.lifecycle import ATTENTION_STATUS, ATTENTION_SYNC
from station_app.store.models import FeedbackEntry, FollowUp, OutboxState, Submission
from station_app.store.refs import (
    id_last4,
    id_lookup_hmac,
    mask_name,
    normalise_id_number,
    normalise_ref,
)


@dataclass(frozen=True)
class IdLookup:
    """A full ID number as the case index holds it, for exact lookup without the number in
    clear: its last four characters (the index's first column: a handful of cases at any
    size) and its HMAC (which picks this person's among them). One index,
    ``(id_last4, id_hmac)``, serves this and the search by last digits (migration 0008)."""

    last4: str
    hmac: str

    @classmethod
    def of(cls, id_number: str, key: bytes) -> IdLookup:
        return cls(id_last4(id_number), id_lookup_hmac(id_number, key))


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list; ``None`` means "any".

    ``search`` is the one search box: a tracking ref, the last (up to four) characters of
    the ID number, or a name (compared by its mask, since names are stored masked; one
    character matches the surname). ``id_number`` is for exact lookup by the full ID number
    (:class:`IdLookup`). ``created_from`` is inclusive,
    ``created_to`` exclusive.
    """

    status: str | None = None
    sync_state: str | None = None
    item_code: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    search: str | None = None
    id_number: IdLookup | None = None
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


def _attention_parts() -> tuple[ColumnElement[bool], ...]:
    """The three ways a case needs attention, each served by its own index. The values are
    written into the SQL (they are the domain's constants): SQLite uses a partial index only
    for a condition it can read in the statement itself (migration 0007)."""
    return (col(Submission.sync_state) == literal(ATTENTION_SYNC.value, literal_execute=True),
            col(Submission.status) == literal(ATTENTION_STATUS.label, literal_execute=True),
            col(Submission.id).in_(_rating_open_ids()))


def attention_condition() -> ColumnElement[bool]:
    """需处理 as SQL, from the domain's own names (one rule for the list and the counter)."""
    return or_(*_attention_parts())


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
    conds.extend(_other_conditions(flt))
    return conds


def _other_conditions(flt: CaseFilter) -> list[ColumnElement[bool]]:
    """Every condition of ``flt`` but 需处理."""
    conds: list[ColumnElement[bool]] = []
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
    if flt.id_number is not None:
        conds.extend((col(Submission.id_last4) == flt.id_number.last4,
                      col(Submission.id_hmac) == flt.id_number.hmac))
    if flt.search is not None and flt.search.strip():
        conds.append(_search_condition(flt.search))
    return conds


def list_submissions(session: Session, flt: CaseFilter | None = None, *, offset: int = 0,
                     limit: int = 100, listing: bool = False) -> list[Submission]:
    """One page of cases, newest first (stable order: time, then id).

    ``listing``: only what a list row shows is read now; the form's answers and materials
    (the largest columns, JSON to decode) are read if asked for while the session is open.
    """
    flt = flt or CaseFilter()
    newest_first = (col(Submission.created_at).desc(), col(Submission.id).desc())
    if flt.attention:
        query = (select(Submission).where(col(Submission.id).in_(
            _attention_page(flt, offset, limit))).order_by(*newest_first))
    else:
        query = (select(Submission).where(*_conditions(flt)).order_by(*newest_first)
                 .offset(offset).limit(limit))
    if listing:
        query = query.options(*(defer(_loader_attr(a)) for a in (Submission.payload,
                                                              Submission.materials)))
    return list(session.exec(query).all())


def _loader_attr(attribute: object) -> QueryableAttribute[Any]:
    """A model's column attribute as SQLAlchemy's loader options take it (SQLModel types it
    as the Python value)."""
    assert isinstance(attribute, QueryableAttribute)
    return attribute


def _attention_page(flt: CaseFilter, offset: int, limit: int) -> Select[tuple[str]]:
    """The ids of one page of 需处理 cases, newest first.

    Written as a UNION of the three ways (not their OR): each part orders its matches from
    its own small index alone (the two partial (column, created_at, id) indexes, the open
    好差评 lookups), so only the page's rows are read afterwards.
    With an OR, SQLite reads every matching row to sort them (migration 0007)."""
    others = _other_conditions(flt)
    parts = union(*(select(col(Submission.created_at), col(Submission.id)).where(part, *others)
                    for part in _attention_parts())).subquery()
    return (select(parts.c.id).order_by(parts.c.created_at.desc(), parts.c.id.desc())
            .offset(offset).limit(limit))


def count_submissions(session: Session, flt: CaseFilter | None = None) -> int:
    """How many cases match (for the list's row count and the status bar)."""
    query = select(func.count()).select_from(Submission).where(*_conditions(flt or CaseFilter()))
    return int(session.exec(query).one())


def count_attention(session: Session) -> int:
    """How many cases 需处理: the status bar's number, by the ⚠ list's own filter."""
    return count_submissions(session, CaseFilter(attention=True))
