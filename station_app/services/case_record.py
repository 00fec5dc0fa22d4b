"""One case as the detail panel shows it, what the worker should do next, and 好差评.

The advice is written here, next to the rules that decide a case needs attention, so every
screen that shows a case gives the same instructions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import CaseStatus, Rating, SyncState
from station_app.domain.masking import mask_id
from station_app.services.case_list import (
    FOLLOWUP_MARK,
    SENT_BACK,
    is_attention,
    status_text,
)
from station_app.services.context import StationContext
from station_app.services.receipts import heading_of
from station_app.services.storage_errors import reading, writing
from station_app.store.audit import append_audit
from station_app.store.engine import session_scope
from station_app.store.feedback_outbox import refused_feedback_reason
from station_app.store.models import FollowUp, HistorySource, RatingRecord
from station_app.store.queries import rating_open_among
from station_app.store.ratings import followups_of, ratings_of
from station_app.store.submissions import get_submission, status_history

SOURCE_LABELS = {HistorySource.LOCAL.value: "本站", HistorySource.DISTRICT.value: "区后台"}
NEXT_STEPS = {
    SENT_BACK: "按退回原因核对申请人的信息；信息有误的，请在「受理」页重新填写提交，"
               "并告知申请人新的受理编号。原办件保留备查。",
    CaseStatus.NEEDS_MORE.label: "请联系申请人按上面的说明补交材料，收到后送交承办部门；"
                                 "材料补齐前办理时限暂停计算。",
    SyncState.QUEUED.label: "尚未上报区后台。联网后会自动上报，无需重新提交。",
    CaseStatus.REFUSED.label: "请向申请人说明不予受理的原因；如有异议，可向承办部门咨询。",
    CaseStatus.COMPLETED.label: "已办结。需领取证件或结果的，请通知申请人来社区领取。",
    FOLLOWUP_MARK: "申请人给了差评：请在期限内回访申请人、整改，并由管理员在「差评回访」中"
               "填写回访情况后办结。",
}


@dataclass(frozen=True)
class HistoryLine:
    """One step of the timeline, in Beijing time."""

    at: datetime
    status: str
    note: str | None
    source: str


@dataclass(frozen=True)
class CaseRecord:
    """Everything the detail panel shows; personal data already masked."""

    id: str
    title: str  # as the case's own catalogue version names it (see receipts.catalogue_of)
    applicant: str
    applicant_id: str
    tracking_ref: str
    receipt_no: str | None
    created: datetime
    promised_date: date | None
    status_text: str
    sync_label: str
    attention: bool
    attention_reason: str | None
    next_step: str | None
    history: tuple[HistoryLine, ...]
    rating: Rating | None  # the newest rating (a case rated again keeps every rating)
    rating_reason: RatingReason | None = None
    ratings_count: int = 0
    followup_open: bool = False
    followup_deadline: date | None = None
    followup_rating_id: str | None = None


def _reason(status: str | None, sync: SyncState, reason: str | None,
            history: list[HistoryLine]) -> str | None:
    if sync is SyncState.NEEDS_ATTENTION:
        return reason
    if status is not None:  # the district's note on its latest status (补正材料: what is missing)
        notes = [h.note for h in history if h.status == status and h.note]
        return notes[-1] if notes else None
    return None


def _followup_reason(followup: FollowUp, ratings: list[RatingRecord]) -> str:
    rated = next((r for r in ratings if r.id == followup.rating_id), None)
    why = RatingReason(rated.reason).label if rated is not None and rated.reason else "未填写"
    due = f"{followup.deadline:%Y-%m-%d}" if followup.deadline else "待定"
    return f"{FOLLOWUP_MARK}（差评原因：{why}；回访期限：{due}）"


def load_case(ctx: StationContext, submission_id: str) -> CaseRecord | None:
    """The case with its history, or ``None`` if it is not (or no longer) stored here."""
    with reading("办件详情"), session_scope(ctx.engine) as s:
        sub = get_submission(s, submission_id)
        if sub is None:
            return None
        rows = status_history(s, submission_id)
        history = [HistoryLine(h.at.astimezone(CHINA_TZ), h.status, h.note,
                               SOURCE_LABELS.get(h.source, h.source)) for h in rows]
        sync = SyncState(sub.sync_state)
        rated = rating_open_among(s, [sub.id])
        rating_open = (sub.id in rated, rated.get(sub.id))
        attention = is_attention(sub.status, sub.sync_state, rating_open[0])
        ratings = ratings_of(s, sub.id)
        followups = followups_of(s, sub.id)
        open_followup = next((f for f in followups if f.closed_at is None), None)
        # the case's own trouble comes first; else the open 好差评 says why (case_list.status_text)
        rating_first = rating_open[0] and not is_attention(sub.status, sub.sync_state)
        reason = (_reason(sub.status, sync, sub.attention_reason, history)
                  if attention or sub.status == CaseStatus.REFUSED.label else None)
        if rating_first:
            reason = (_followup_reason(open_followup, ratings) if open_followup is not None
                      else refused_feedback_reason(s, sub.id))
        key = sub.status or (SENT_BACK if sync is SyncState.NEEDS_ATTENTION else sync.label)
        id_number = str(sub.payload.get("id_number") or "")
        return CaseRecord(
            id=sub.id, title=heading_of(ctx, sub),
            applicant=sub.applicant_name_masked or "（未填写）",
            applicant_id=mask_id(id_number) if id_number else "（未填写）",
            tracking_ref=sub.tracking_ref, receipt_no=sub.receipt_no,
            created=sub.created_at.astimezone(CHINA_TZ), promised_date=sub.promised_date,
            status_text=status_text(sub.status, sub.sync_state, rating_open),
            sync_label=sync.label,
            attention=attention,
            attention_reason=reason,
            next_step=(NEXT_STEPS[FOLLOWUP_MARK] if rating_first
                       else NEXT_STEPS.get(key)), history=tuple(history),
            rating=Rating.from_score(sub.rating) if sub.rating is not None else None,
            rating_reason=(RatingReason(ratings[0].reason)
                           if ratings and ratings[0].reason else None),
            ratings_count=len(ratings), followup_open=open_followup is not None,
            followup_deadline=open_followup.deadline if open_followup else None,
            followup_rating_id=open_followup.rating_id if open_followup else None,
        )


def reveal_case(ctx: StationContext, submission_id: str, *, purpose: str) -> dict[str, object]:
    """The case's form in full (ID number, address, phone … unmasked), for the resident's own
    check (核对) or a worker who must read it; every reveal is an audit row naming who, which
    case and why. ``{}`` when the case is gone or its personal data was purged."""
    with writing("办件详情"), session_scope(ctx.engine) as s:
        sub = get_submission(s, submission_id)
        if sub is None:
            return {}
        append_audit(s, ctx.operator, "case.revealed", sub.tracking_ref, {"purpose": purpose})
        return dict(sub.payload)
