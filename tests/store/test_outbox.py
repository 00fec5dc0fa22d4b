"""Outbox bookkeeping for the sync engine: only explicit answers change state."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import select

from station_app.services.saving import save_submission
from station_app.store.coltypes import utcnow
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, OutboxEntry, Submission
from station_app.store.outbox import (
    mark_acked,
    mark_needs_attention,
    mark_sending,
    outbox_counts,
    pending_outbox,
    record_attempt_failure,
    requeue,
    reset_sending,
)
from station_app.store.submissions import status_history

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def _three(engine: Engine, make: MakeSubmission) -> list[str]:
    return [save_submission(engine, make(payload={"n": i})).id for i in range(3)]


def _entry(engine: Engine, sid: str) -> tuple[Submission, OutboxEntry]:
    with session_scope(engine) as s:
        sub = s.get(Submission, sid)
        entry = s.exec(select(OutboxEntry).where(OutboxEntry.submission_id == sid)).one()
        assert sub is not None
        return sub, entry


def test_pending_in_save_order_and_limited(engine: Engine, make_submission: MakeSubmission) -> None:
    ids = _three(engine, make_submission)
    with session_scope(engine) as s:
        assert [e.submission_id for e in pending_outbox(s, limit=10, now=utcnow())] == ids
        assert [e.submission_id for e in pending_outbox(s, limit=2, now=utcnow())] == ids[:2]


def test_failure_keeps_items_pending_with_backoff(
        engine: Engine, make_submission: MakeSubmission) -> None:
    ids = _three(engine, make_submission)
    now = utcnow()
    with session_scope(engine) as s:
        mark_sending(s, ids[:2])
        assert record_attempt_failure(s, ids[:2], "连接超时", now + timedelta(minutes=5)) == 2
    with session_scope(engine) as s:
        assert [e.submission_id for e in pending_outbox(s, limit=10, now=now)] == ids[2:]
        later = now + timedelta(minutes=6)
        assert len(pending_outbox(s, limit=10, now=later)) == 3
    sub, entry = _entry(engine, ids[0])
    assert (entry.state, entry.attempts, entry.last_error) == ("pending", 1, "连接超时")
    assert sub.sync_state == "queued"


def test_clock_moved_back_does_not_strand_items(
        engine: Engine, make_submission: MakeSubmission) -> None:
    (sid, *_) = _three(engine, make_submission)
    now = utcnow()
    with session_scope(engine) as s:
        record_attempt_failure(s, [sid], "503", now + timedelta(days=3))
        assert sid not in {e.submission_id for e in pending_outbox(s, limit=9, now=now)}
        due = pending_outbox(s, limit=9, now=now, max_delay=timedelta(minutes=15))
        assert sid in {e.submission_id for e in due}


def test_ack_sets_receipt_status_and_history_once(
        engine: Engine, make_submission: MakeSubmission) -> None:
    (sid, *_) = _three(engine, make_submission)
    with session_scope(engine) as s:
        mark_sending(s, [sid])
        assert mark_acked(s, sid, "HY-0101-20250314-0001")
    with session_scope(engine) as s:
        assert not mark_acked(s, sid, "HY-0101-20250314-0001")  # duplicate answer: no change
        assert not mark_acked(s, sid, "OTHER-1")  # a different receipt is audited, not applied
        assert s.exec(select(AuditEvent).where(
            AuditEvent.action == "sync.receipt_mismatch")).one().subject == sid
        assert [(h.status, h.source) for h in status_history(s, sid)] == \
            [("已保存", "local"), ("受理", "district")]
    sub, entry = _entry(engine, sid)
    assert (sub.sync_state, sub.status, sub.receipt_no) == ("synced", "受理",
                                                           "HY-0101-20250314-0001")
    assert entry.state == "acked" and entry.acked_at is not None


def test_rejection_needs_attention_and_never_blocks_the_rest(
        engine: Engine, make_submission: MakeSubmission) -> None:
    ids = _three(engine, make_submission)
    with session_scope(engine) as s:
        assert mark_needs_attention(s, ids[0], "事项编码不存在")
        assert not mark_needs_attention(s, "no-such-id", "x")
    with session_scope(engine) as s:
        assert [e.submission_id for e in pending_outbox(s, limit=9, now=utcnow())] == ids[1:]
        assert outbox_counts(s) == {"pending": 2, "acked": 0, "needs_attention": 1}
    sub, entry = _entry(engine, ids[0])
    assert (sub.sync_state, sub.attention_reason) == ("needs_attention", "事项编码不存在")
    with session_scope(engine) as s:
        assert requeue(s, ids[0], actor="worker-01")
    sub, entry = _entry(engine, ids[0])
    assert (sub.sync_state, entry.state, entry.attempts) == ("queued", "pending", 0)


def test_attention_never_downgrades_an_ack(
        engine: Engine, make_submission: MakeSubmission) -> None:
    (sid, *_) = _three(engine, make_submission)
    with session_scope(engine) as s:
        mark_acked(s, sid, "R-1")
        assert not mark_needs_attention(s, sid, "late conflict")
    assert _entry(engine, sid)[0].sync_state == "synced"


def test_receipt_already_used_by_another_case_goes_to_attention(
        engine: Engine, make_submission: MakeSubmission) -> None:
    first, second, third = _three(engine, make_submission)
    with session_scope(engine) as s:  # one batch: the clash must not roll back the others
        assert mark_acked(s, first, "R-1")
        assert mark_acked(s, second, "R-1")  # True: its state changed (to attention)
        assert mark_acked(s, third, "R-3")
    clashed = _entry(engine, second)[0]
    assert (clashed.sync_state, clashed.receipt_no) == ("needs_attention", None)
    assert "R-1" in (clashed.attention_reason or "")
    assert _entry(engine, third)[0].receipt_no == "R-3"


def test_unknown_ids_are_ignored(engine: Engine) -> None:
    with session_scope(engine) as s:
        assert not mark_acked(s, "not-ours", "R-9")
        assert record_attempt_failure(s, ["not-ours"], "x", utcnow()) == 0


def test_reset_sending_after_a_crash(engine: Engine, make_submission: MakeSubmission) -> None:
    ids = _three(engine, make_submission)
    with session_scope(engine) as s:
        mark_sending(s, ids)
    with session_scope(engine) as s:
        assert reset_sending(s) == 3
    assert {_entry(engine, i)[0].sync_state for i in ids} == {"queued"}
