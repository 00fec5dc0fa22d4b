"""The 办件 list as a use case: what the worker can filter by, and one page of rows to show.

Pure Python, so the rules (what counts as "needs attention", what the status column says,
which store queries a filter becomes) are the same for the GUI list, a test or a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.lifecycle import CaseStatus, SyncState, needs_attention
from station_app.services.context import StationContext
from station_app.services.receipts import title_of
from station_app.services.storage_errors import reading
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.store.queries import (
    CaseFilter,
    china_day_bounds,
    count_submissions,
    list_submissions,
    rating_open_among,
)

ATTENTION = "attention"  # status choice: 需处理 (station_app.domain.lifecycle.needs_attention)
ATTENTION_MARK = "⚠ 需处理"
SENT_BACK = "上报被退回"
FOLLOWUP_MARK = "差评待回访"  # 需处理 because of an open 好差评 (station_app.services.ratings)
_BY_LABEL = {s.label: s for s in CaseStatus}

# (label shown in the status filter, key): a district status label, a sync state, or ATTENTION.
STATUS_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("全部状态", None),
    (ATTENTION_MARK, ATTENTION),
    (SyncState.QUEUED.label, SyncState.QUEUED.value),
    *((s.label, s.label) for s in CaseStatus),
)
DATE_CHOICES: tuple[tuple[str, int | None], ...] = (
    ("全部日期", None), ("今天", 1), ("近 7 天", 7), ("近 30 天", 30))


@dataclass(frozen=True)
class CaseQuery:
    """What the worker asked to see. Dates are Beijing calendar days, both inclusive."""

    status: str | None = None
    item_code: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    search: str = ""

    def filters(self) -> list[CaseFilter]:
        """The store filters whose results, one after the other, make up this list (one,
        today; the list and its paging allow several)."""
        start = end = None
        if self.first_day is not None or self.last_day is not None:
            first = self.first_day or date(2000, 1, 1)
            start, end = china_day_bounds(first, self.last_day or date(2999, 12, 31))
        base = CaseFilter(item_code=self.item_code, created_from=start, created_to=end,
                          search=self.search.strip() or None)
        if self.status == ATTENTION:
            return [replace(base, attention=True)]
        if self.status in {s.value for s in SyncState}:
            return [replace(base, sync_state=self.status)]
        return [replace(base, status=self.status)]


def last_days(days: int | None, today: date) -> tuple[date | None, date | None]:
    """First and last day of "the last ``days`` days" up to ``today``; ``None``: no limit."""
    if days is None:
        return None, None
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the list: only what is shown, so 100,000 loaded rows stay small."""

    id: str
    tracking_ref: str
    title: str
    applicant: str
    created: datetime  # Beijing time
    status_text: str
    sync_label: str
    attention: bool
    attention_reason: str | None


RatingOpen = tuple[bool, date | None]  # an open 好差评, and its nearest follow-up deadline
NOT_OPEN: RatingOpen = (False, None)


def is_attention(status: str | None, sync_state: str, rating_open: bool = False) -> bool:
    """The domain's rule, applied to the stored labels."""
    case_status = _BY_LABEL.get(status or "", CaseStatus.ACCEPTED)
    return needs_attention(case_status, SyncState(sync_state), rating_open=rating_open)


def status_text(status: str | None, sync_state: str, rating: RatingOpen = NOT_OPEN) -> str:
    """The 状态 column: the district's status, else where delivery stands; marked if needed,
    with the follow-up's deadline when a 差评 waits for its callback."""
    sync = SyncState(sync_state)
    base = status or (SENT_BACK if sync is SyncState.NEEDS_ATTENTION else sync.label)
    if not is_attention(status, sync_state, rating[0]):
        return base
    text = f"{ATTENTION_MARK} · {base}"
    if rating[0]:
        text += f" · {FOLLOWUP_MARK}"
        if rating[1] is not None:
            text += f"（{rating[1]:%Y-%m-%d} 前）"
    return text



def row_of(ctx: StationContext, sub: Submission, rating: RatingOpen = NOT_OPEN) -> CaseRow:
    return CaseRow(
        id=sub.id, tracking_ref=sub.tracking_ref, title=title_of(ctx, sub),
        applicant=sub.applicant_name_masked or "（未填写）",
        created=sub.created_at.astimezone(CHINA_TZ),
        status_text=status_text(sub.status, sub.sync_state, rating),
        sync_label=SyncState(sub.sync_state).label,
        attention=is_attention(sub.status, sub.sync_state, rating[0]),
        attention_reason=sub.attention_reason,
    )


class CaseSource:
    """Counts and pages of cases for a query; one short transaction per call.

    A locked, busy or damaged database raises `StorageFailed`, whose text the screen shows.
    """

    def __init__(self, ctx: StationContext) -> None:
        self.ctx = ctx

    def counts(self, query: CaseQuery) -> list[int]:
        """How many cases each of the query's filters matches (see ``CaseQuery.filters``)."""
        with reading("办件列表"), session_scope(self.ctx.engine) as s:
            return [count_submissions(s, f) for f in query.filters()]

    def page(self, query: CaseQuery, counts: list[int], offset: int,
             limit: int) -> list[CaseRow]:
        """Rows ``offset`` … ``offset + limit - 1`` of the concatenated filters."""
        rows: list[CaseRow] = []
        with reading("办件列表"), session_scope(self.ctx.engine) as s:
            for flt, local_offset, n in _slices(query.filters(), counts, offset, limit):
                subs = list_submissions(s, flt, offset=local_offset, limit=n, listing=True)
                rated = rating_open_among(s, [sub.id for sub in subs])
                rows.extend(row_of(self.ctx, sub, (sub.id in rated, rated.get(sub.id)))
                            for sub in subs)
        return rows


def _slices(filters: list[CaseFilter], counts: list[int], offset: int,
            limit: int) -> Iterator[tuple[CaseFilter, int, int]]:
    for flt, count in zip(filters, counts, strict=True):
        if limit <= 0:
            return
        if offset >= count:
            offset -= count
            continue
        n = min(limit, count - offset)
        yield flt, offset, n
        limit -= n
        offset = 0


def item_choices(ctx: StationContext) -> list[tuple[str, str]]:
    """(code, name) of every item, by code, so typing "RS04" in the filter finds it."""
    return sorted((code, item.name) for code, item in ctx.catalogue.items.items())
