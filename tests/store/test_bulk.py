"""Bulk insert (demo data, benchmarks, fixtures): the same rows a case saved at the counter
gets, plus its later history, in one transaction; a delivery decides the sync state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, exc, text
from sqlmodel import col, select

from station_app.domain.lifecycle import CaseStatus
from station_app.services.saving import build_row, outbox_body, save_submission
from station_app.store.bulk import CaseRows, Delivery, HistoryEvent, insert_cases
from station_app.store.engine import session_scope
from station_app.store.models import (
    HistorySource,
    OutboxEntry,
    OutboxState,
    StatusHistory,
    Submission,
)
from station_app.store.refs import new_submission_id
from station_app.store.submissions import status_history

if TYPE_CHECKING:
    from .conftest import MakeSubmission

AT = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
IGNORED = {"id", "submission_id", "tracking_ref", "body", "body_sha256"}


def _rows(engine: Engine, submission_id: str) -> tuple[dict[str, Any], ...]:
    with session_scope(engine) as s:
        sub = s.get(Submission, submission_id)
        entry = s.exec(select(OutboxEntry)
                       .where(col(OutboxEntry.submission_id) == submission_id)).one()
        lines = status_history(s, submission_id)
        assert sub is not None
        return (sub.model_dump(exclude=IGNORED), entry.model_dump(exclude=IGNORED),
                *(h.model_dump(exclude=IGNORED) for h in lines))


def test_a_bulk_case_has_the_rows_a_saved_case_has(
        engine: Engine, make_submission: MakeSubmission) -> None:
    new = make_submission()
    saved = save_submission(engine, new)
    with session_scope(engine) as s:  # compare with the same clock reading
        s.execute(text("UPDATE submission SET created_at = :at, updated_at = :at")
               .bindparams(at=AT.isoformat(timespec="microseconds")))
        s.execute(text("UPDATE outbox SET created_at = :at")
               .bindparams(at=AT.isoformat(timespec="microseconds")))
        s.execute(text("UPDATE status_history SET at = :at")
               .bindparams(at=AT.isoformat(timespec="microseconds")))
    bulk = build_row(new, new_submission_id(), AT)
    assert insert_cases(engine, [CaseRows(bulk, outbox_body(bulk))]) == 1
    assert _rows(engine, bulk.id) == _rows(engine, saved.id)
    with session_scope(engine) as s:
        entry = s.exec(select(OutboxEntry)
                       .where(col(OutboxEntry.submission_id) == bulk.id)).one()
        assert entry.body == outbox_body(bulk)


def test_delivery_and_later_history_are_written_and_decide_the_sync_state(
        engine: Engine, make_submission: MakeSubmission) -> None:
    acked = build_row(make_submission(), new_submission_id(), AT)
    acked.status, acked.receipt_no = CaseStatus.ACCEPTED.value, "HY-QDK01-20261125-7001"
    later = [HistoryEvent(CaseStatus.ACCEPTED, AT + timedelta(minutes=3), "回执号 …",
                          HistorySource.DISTRICT),
             HistoryEvent(CaseStatus.REVIEWING, AT + timedelta(days=1), None,
                          HistorySource.DISTRICT)]
    waiting = build_row(make_submission(name="李四"), new_submission_id(), AT)
    retry_at = AT + timedelta(minutes=5)
    insert_cases(engine, [
        CaseRows(acked, outbox_body(acked),
                 Delivery(OutboxState.ACKED, acked_at=AT + timedelta(minutes=3)), later),
        CaseRows(waiting, outbox_body(waiting),
                 Delivery(attempts=2, next_attempt_at=retry_at, last_error="超时")),
    ])
    with session_scope(engine) as s:
        states = dict(s.exec(select(Submission.id, Submission.sync_state)).all())
        assert states == {acked.id: "synced", waiting.id: "queued"}
        entry = s.exec(select(OutboxEntry)
                       .where(col(OutboxEntry.submission_id) == waiting.id)).one()
        assert (entry.state, entry.attempts, entry.next_attempt_at) == ("pending", 2, retry_at)
        assert [h.status for h in status_history(s, acked.id)] == ["已保存", "受理", "审核中"]


def test_an_acknowledged_case_needs_a_receipt_and_nothing_is_half_written(
        engine: Engine, make_submission: MakeSubmission) -> None:
    good = build_row(make_submission(), new_submission_id(), AT)
    bad = build_row(make_submission(name="王五"), new_submission_id(), AT)
    with pytest.raises(ValueError, match="receipt"):
        insert_cases(engine, [CaseRows(good, outbox_body(good)),
                              CaseRows(bad, outbox_body(bad), Delivery(OutboxState.ACKED))])
    twice = [CaseRows(good, outbox_body(good)), CaseRows(good, outbox_body(good))]
    with pytest.raises(exc.IntegrityError):
        insert_cases(engine, twice)
    with session_scope(engine) as s:
        assert s.exec(select(StatusHistory)).all() == []
        assert s.exec(select(Submission)).all() == []
    assert insert_cases(engine, []) == 0
