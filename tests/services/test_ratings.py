"""好差评 as the screens use it, on a real station folder: a 差评 needs a reason, gets a
follow-up due in working days (调休 counted, the district's number of days), counts as 需处理
in the ⚠ list and the status bar alike until an administrator closes it with notes; a case
rated again keeps every rating; each rating and closure is queued with its exact bytes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import text

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.services import intake
from station_app.services.case_list import ATTENTION, FOLLOWUP_MARK, CaseQuery, CaseSource
from station_app.services.case_record import load_case
from station_app.services.context import StationContext
from station_app.services.ratings import (
    RatingRefused,
    close_case_followup,
    list_open_followups,
    rate_case,
)
from station_app.services.station_status import local_status
from station_app.store.engine import session_scope
from station_app.store.feedback_outbox import mark_feedback_attention
from tests.helpers.station import RS04_TICKED, RS04_VALUES

FRIDAY_BEFORE_TIAOXIU = datetime(2026, 9, 18, 10, 0, tzinfo=CHINA_TZ)  # Sunday 9-20 is worked


@pytest.fixture
def case_id(station_ctx: StationContext) -> str:
    form = intake.open_form(station_ctx, "RS04")
    return intake.submit(station_ctx, form, dict(RS04_VALUES), RS04_TICKED).id


def _rows(ctx: StationContext, sql: str) -> list[tuple[object, ...]]:
    with ctx.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def _attention(ctx: StationContext) -> tuple[int, int]:
    """(the ⚠ list's count, the status bar's count): one rule, so always equal."""
    return sum(CaseSource(ctx).counts(CaseQuery(status=ATTENTION))), \
        local_status(ctx).needs_attention


def test_a_bad_rating_without_a_reason_is_refused_and_nothing_is_stored(
        station_ctx: StationContext, case_id: str) -> None:
    for level in (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED):
        with pytest.raises(RatingRefused, match="差评须选择原因"):
            rate_case(station_ctx, case_id, level)
    assert _rows(station_ctx, "SELECT COUNT(*) FROM rating")[0][0] == 0
    assert _rows(station_ctx, "SELECT COUNT(*) FROM feedback_outbox")[0][0] == 0
    assert _rows(station_ctx, "SELECT rating FROM submission")[0][0] is None
    with pytest.raises(RatingRefused, match="只有差评"):
        rate_case(station_ctx, case_id, Rating.SATISFIED, RatingReason.ATTITUDE)
    with pytest.raises(RatingRefused, match="最多 200 个字"):
        rate_case(station_ctx, case_id, Rating.DISSATISFIED, RatingReason.OTHER, "慢" * 201)


def test_a_bad_rating_opens_a_followup_due_in_working_days_with_tiaoxiu(
        station_ctx: StationContext, case_id: str) -> None:
    station_ctx.clock = lambda: FRIDAY_BEFORE_TIAOXIU
    assert _attention(station_ctx) == (0, 0)
    saved = rate_case(station_ctx, case_id, Rating.VERY_DISSATISFIED, RatingReason.EFFICIENCY,
                      " 等了一个小时 ")
    assert saved is not None and saved.followup
    # Sunday 9-20 is a 调休 working day: 20, 21, 22, 23, 24 (Mon–Fri counting says 9-25)
    assert saved.deadline == date(2026, 9, 24)
    (row,) = list_open_followups(station_ctx)
    assert (row.rating_id, row.submission_id, row.deadline) == (saved.rating_id, case_id,
                                                                 date(2026, 9, 24))
    assert row.reason is RatingReason.EFFICIENCY and row.words == "等了一个小时"
    assert "*" in row.applicant  # masked
    assert _attention(station_ctx) == (1, 1)
    (listed,) = CaseSource(station_ctx).page(CaseQuery(status=ATTENTION), [1], 0, 10)
    assert listed.attention and FOLLOWUP_MARK in listed.status_text
    record = load_case(station_ctx, case_id)
    assert record is not None and record.attention and record.followup_open
    assert record.followup_deadline == date(2026, 9, 24)
    assert record.rating is Rating.VERY_DISSATISFIED
    assert record.rating_reason is RatingReason.EFFICIENCY
    assert record.attention_reason == f"{FOLLOWUP_MARK}（差评原因：服务效率；回访期限：2026-09-24）"
    actions = [a for (a,) in _rows(station_ctx, "SELECT action FROM audit_event")]
    assert "submission.rated" in actions


def test_the_district_sets_the_number_of_days(station_ctx: StationContext,
                                              case_id: str) -> None:
    header = station_ctx.catalogue.header.model_copy(update={"followup_working_days": 3})
    station_ctx.catalogue = replace(station_ctx.catalogue, header=header)
    station_ctx.clock = lambda: FRIDAY_BEFORE_TIAOXIU
    saved = rate_case(station_ctx, case_id, Rating.DISSATISFIED, RatingReason.ATTITUDE)
    assert saved is not None and saved.deadline == date(2026, 9, 22)


def test_closing_is_for_administrators_with_notes_and_is_queued_after_the_rating(
        station_ctx: StationContext, case_id: str) -> None:
    saved = rate_case(station_ctx, case_id, Rating.DISSATISFIED, RatingReason.SKILL)
    assert saved is not None
    station_ctx.admin = False
    with pytest.raises(RatingRefused, match="只能由管理员办结"):
        close_case_followup(station_ctx, saved.rating_id, "已回访")
    station_ctx.admin = True
    with pytest.raises(RatingRefused, match="请填写回访情况"):
        close_case_followup(station_ctx, saved.rating_id, "   ")
    assert list_open_followups(station_ctx) != []
    assert close_case_followup(station_ctx, saved.rating_id, "电话回访，已向居民致歉并改进")
    assert not close_case_followup(station_ctx, saved.rating_id, "再办结一次")
    assert list_open_followups(station_ctx) == []
    assert _attention(station_ctx) == (0, 0)
    queued = _rows(station_ctx, "SELECT kind, item_id, after, body FROM feedback_outbox "
                                "ORDER BY id")
    assert [(k, a) for k, _i, a, _b in queued] == [("rating", None), ("closure", saved.rating_id)]
    body = queued[1][3]
    assert isinstance(body, bytes)
    closure = json.loads(body)
    assert closure["rating_id"] == saved.rating_id and closure["notes"].startswith("电话回访")
    actions = [a for (a,) in _rows(station_ctx, "SELECT action FROM audit_event")]
    assert "followup.closed" in actions


def test_a_later_rating_is_another_record_of_the_same_case(station_ctx: StationContext,
                                                           case_id: str) -> None:
    station_ctx.clock = lambda: datetime(2026, 9, 18, 10, 0, tzinfo=CHINA_TZ)
    first = rate_case(station_ctx, case_id, Rating.DISSATISFIED, RatingReason.OTHER, "材料跑了两趟")
    station_ctx.clock = lambda: datetime(2026, 10, 12, 9, 0, tzinfo=CHINA_TZ)
    second = rate_case(station_ctx, case_id, Rating.VERY_SATISFIED)
    assert first is not None and second is not None and first.rating_id != second.rating_id
    rows = _rows(station_ctx, "SELECT submission_id, level FROM rating ORDER BY rated_at")
    assert rows == [(case_id, "dissatisfied"), (case_id, "very_satisfied")]
    record = load_case(station_ctx, case_id)
    assert record is not None and record.rating is Rating.VERY_SATISFIED  # the newest
    assert record.ratings_count == 2 and record.rating_reason is None
    assert record.followup_open  # the earlier 差评 still needs its callback
    assert rate_case(station_ctx, "01960e1e-8f4a-7c3b-9d2e-5a6b7c8d9e0f",
                     Rating.SATISFIED) is None


def test_a_rating_the_district_refused_is_needs_attention_with_its_reason(
        station_ctx: StationContext, case_id: str) -> None:
    saved = rate_case(station_ctx, case_id, Rating.SATISFIED)
    assert saved is not None and not saved.followup
    assert _attention(station_ctx) == (0, 0)
    with session_scope(station_ctx.engine) as s:
        assert mark_feedback_attention(s, saved.rating_id, "区后台未收下此评价：格式不对",
                                       at=datetime(2026, 9, 18, tzinfo=CHINA_TZ))
    assert _attention(station_ctx) == (1, 1)
    record = load_case(station_ctx, case_id)
    assert record is not None and record.attention and not record.followup_open
    assert record.attention_reason == "区后台未收下此评价：格式不对"
