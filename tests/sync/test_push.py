"""Push against the real backend: acks with receipts, duplicates, rejections, conflicts and
attachments; every item on the backend exactly once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col

from station_app.services.context import StationContext
from station_app.services.saving import NewSubmission, save_submission
from station_app.store.engine import session_scope
from station_app.store.models import OutboxEntry, Submission
from station_app.store.submissions import status_history
from station_app.sync.attachments import FileAttachments
from station_app.sync.client import SyncClient
from station_app.sync.engine import SyncEngine
from station_app.sync.push import Pending, take_batch
from station_app.sync.run import SyncOptions
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import PushItemResult, push_body
from tests.helpers.backend import RunningBackend
from tests.helpers.station import RS04_TICKED, RS04_VALUES
from tests.helpers.sync_harness import (
    MakeEngine,
    Submit,
    backend_rows,
    local_state,
    store_scan,
)

pytestmark = pytest.mark.timeout(60)


def test_stored_bodies_join_into_the_protocols_bytes() -> None:
    items: list[dict[str, Any]] = [{"submission_id": "a", "payload": {"名": "汉阳"}},
                                   {"submission_id": "b"}]
    stored = [json.dumps(i, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
              for i in items]
    assert push_body("QDK01", stored) == canonical_json(
        {"station_id": "QDK01", "submissions": items})


def test_batches_respect_count_and_bytes() -> None:
    pending = [Pending(str(i), b"x" * 100, 0) for i in range(5)]
    batch, too_big = take_batch(pending, "QDK01", 3, 10_000)
    assert [p.submission_id for p in batch] == ["0", "1", "2"] and not too_big
    overhead = len(push_body("QDK01", []))
    batch, _ = take_batch(pending, "QDK01", 100, overhead + 201)  # two bodies and a comma
    assert len(batch) == 2 and len(push_body("QDK01", [p.body for p in batch])) <= overhead + 201
    huge = [Pending("big", b"x" * 500, 0), *pending[:2]]
    batch, too_big = take_batch(huge, "QDK01", 100, overhead + 300)
    assert [p.submission_id for p in too_big] == ["big"] and len(batch) == 2


def test_happy_path_all_acked_once(station_ctx: StationContext, backend: RunningBackend,
                                   submit: Submit, make_engine: MakeEngine) -> None:
    subs = [submit() for _ in range(3)]
    report = make_engine().run_once()
    assert report.ok and (report.sent, report.accepted) == (3, 3), report.lines()
    assert report.online is True and report.next_run_hint is None
    rows = dict(backend_rows(backend))
    assert sorted(rows) == sorted(s.id for s in subs)
    for s in subs:
        sub, entry = local_state(station_ctx, s.id)
        assert (sub.sync_state, entry.state, sub.status) == ("synced", "acked", "受理")
        assert sub.receipt_no == rows[s.id] and sub.receipt_no.startswith("HY-QDK01-")
    again = make_engine().run_once()
    assert again.ok and again.sent == 0 and len(backend_rows(backend)) == 3


def test_batches_are_bounded(station_ctx: StationContext, backend: RunningBackend, submit: Submit,
                             make_engine: MakeEngine) -> None:
    for _ in range(5):
        submit()
    seen: list[str] = []
    report = make_engine(options=SyncOptions(batch_items=2), hook=seen.append).run_once()
    assert report.accepted == 5 and seen.count("pushing") == 3
    assert len(backend_rows(backend)) == 5


def _requeue(ctx: StationContext, sid: str) -> None:
    """What a crash between the backend's commit and the local ack leaves behind."""
    with session_scope(ctx.engine) as s:
        s.exec(update(OutboxEntry).where(col(OutboxEntry.submission_id) == sid)
               .values(state="pending", acked_at=None))
        s.exec(update(Submission).where(col(Submission.id) == sid)
               .values(sync_state="queued", receipt_no=None))


def test_resend_after_lost_ack_gets_the_original_receipt(station_ctx: StationContext,
                                                         backend: RunningBackend, submit: Submit,
                                                         make_engine: MakeEngine) -> None:
    sid = submit().id
    assert make_engine().run_once().accepted == 1
    original = local_state(station_ctx, sid)[0].receipt_no
    _requeue(station_ctx, sid)
    report = make_engine().run_once()
    assert (report.duplicates, report.accepted) == (1, 0)
    sub, entry = local_state(station_ctx, sid)
    assert sub.receipt_no == original and entry.state == "acked"
    assert backend_rows(backend) == [(sid, original)]
    assert [h.status for h in status_history_of(station_ctx, sid)].count("受理") == 1


def status_history_of(ctx: StationContext, sid: str) -> list[Any]:
    with session_scope(ctx.engine) as s:
        return status_history(s, sid)


def test_crash_after_the_reply_before_the_ack(station_ctx: StationContext, backend: RunningBackend,
                                              submit: Submit, make_engine: MakeEngine) -> None:
    sids = [submit().id for _ in range(2)]

    def crash(stage: str) -> None:
        if stage == "replied":
            raise RuntimeError("power cut")

    report = make_engine(hook=crash).run_once()
    assert report.error and "power cut" in report.error
    assert {local_state(station_ctx, s)[1].state for s in sids} == {"pending"}
    report = make_engine().run_once()  # the restarted terminal
    assert report.duplicates == 2 and len(backend_rows(backend)) == 2
    assert {local_state(station_ctx, s)[0].sync_state for s in sids} == {"synced"}


def test_rejected_item_needs_attention_and_the_rest_go(station_ctx: StationContext,
                                                       backend: RunningBackend, submit: Submit,
                                                       make_engine: MakeEngine) -> None:
    first = submit().id
    bad = save_submission(station_ctx.engine, NewSubmission(  # RS01 is not in the test catalogue
        item_code="RS01", catalogue_version="2026.11.1", form_version="1",
        payload={"name": "某某"}, operator="王帮办", materials=["居民身份证"])).id
    last = submit().id
    report = make_engine().run_once()
    assert (report.accepted, report.rejected, report.sent) == (2, 1, 3)
    sub, entry = local_state(station_ctx, bad)
    assert (sub.sync_state, entry.state) == ("needs_attention", "needs_attention")
    assert "RS01" in (sub.attention_reason or "") and "拒收" in (sub.attention_reason or "")
    assert {local_state(station_ctx, s)[0].sync_state for s in (first, last)} == {"synced"}
    assert sorted(r[0] for r in backend_rows(backend)) == sorted([first, last])
    assert make_engine().run_once().sent == 0  # never retried on its own


def test_conflict_needs_attention(station_ctx: StationContext, backend: RunningBackend,
                                  station_secret: str, submit: Submit,
                                  make_engine: MakeEngine) -> None:
    sid = submit().id
    body = json.loads(local_state(station_ctx, sid)[1].body)
    body["payload"]["phone"] = "13900000000"  # same id, other content, got there first
    other = backend.client("QDK01", station_secret)
    assert other.push([body]).json()["results"][0]["outcome"] == "accepted"
    report = make_engine().run_once()
    assert report.conflicts == 1
    sub, _ = local_state(station_ctx, sid)
    assert sub.sync_state == "needs_attention" and "冲突" in (sub.attention_reason or "")
    assert len(backend_rows(backend)) == 1


def _with_scan(ctx: StationContext, data: bytes) -> tuple[str, str]:
    sha = store_scan(ctx.data_dir, data)
    sub = save_submission(ctx.engine, NewSubmission(
        item_code="RS04", catalogue_version="2026.11.1", form_version="1",
        payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED,
        scans={RS04_TICKED[0]: [sha]}))
    return sub.id, sha


def test_attachments_upload_before_the_push(station_ctx: StationContext, backend: RunningBackend,
                                            make_engine: MakeEngine) -> None:
    sid, sha = _with_scan(station_ctx, b"%PDF-1.4 scanned ID card")
    report = make_engine().run_once()
    assert (report.uploaded_attachments, report.accepted) == (1, 1), report.lines()
    assert (backend.attachment_dir / sha[:2] / sha).read_bytes() == b"%PDF-1.4 scanned ID card"
    sid2, _ = _with_scan(station_ctx, b"%PDF-1.4 scanned ID card")
    report = make_engine().run_once()  # already there: not uploaded again
    assert (report.uploaded_attachments, report.accepted) == (0, 1)
    assert {local_state(station_ctx, s)[0].sync_state for s in (sid, sid2)} == {"synced"}


class _ForgetfulClient(SyncClient):
    """Claims every attachment is already stored: the push then answers `retry`."""

    def has_attachment(self, sha256: str, deadline: float | None = None) -> bool:
        self.asked = getattr(self, "asked", 0) + 1
        return self.asked == 1 or super().has_attachment(sha256, deadline)


def test_retry_outcome_uploads_and_resends_the_same_bytes(
        station_ctx: StationContext, backend: RunningBackend, make_engine: MakeEngine) -> None:
    sid, sha = _with_scan(station_ctx, b"\x89PNG household register")
    base = make_engine()
    client = _ForgetfulClient(base.client.config)
    engine = SyncEngine(client, base._sessions, station_id="QDK01",
                        attachments=FileAttachments(station_ctx.data_dir / "attachments"))
    sent: list[bytes] = []
    original_push = client.push

    def recording_push(body: bytes, submission_ids: Sequence[str],
                       deadline: float | None = None) -> list[PushItemResult]:
        sent.append(body)
        return original_push(body, submission_ids, deadline)

    client.push = recording_push  # type: ignore[method-assign]
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert (report.retried, report.uploaded_attachments, report.accepted) == (1, 1, 1)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert local_state(station_ctx, sid)[0].sync_state == "synced"
    assert (backend.attachment_dir / sha[:2] / sha).is_file()


def test_attachment_lost_here_and_there_needs_attention(station_ctx: StationContext,
                                                        backend: RunningBackend, submit: Submit,
                                                        make_engine: MakeEngine) -> None:
    sid, sha = _with_scan(station_ctx, b"scan that will be lost")
    (station_ctx.data_dir / "attachments" / sha).write_bytes(b"damaged")
    ok = submit().id
    report = make_engine().run_once()
    assert (report.local_problems, report.accepted) == (1, 1)
    sub, _ = local_state(station_ctx, sid)
    assert sub.sync_state == "needs_attention" and sha[:12] in (sub.attention_reason or "")
    assert local_state(station_ctx, ok)[0].sync_state == "synced"
    assert hashlib.sha256(b"damaged").hexdigest() != sha


def test_stored_body_is_what_the_backend_hashes(station_ctx: StationContext,
                                                backend: RunningBackend,
                                                station_secret: str) -> None:
    """A body saved by store.save_submission is accepted as is, and the backend's content
    hash is the hash the outbox stored: retries can only ever be duplicates."""
    sid = save_submission(station_ctx.engine, NewSubmission(
        item_code="RS04", catalogue_version="2026.11.1", form_version="1",
        payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED)).id
    _, entry = local_state(station_ctx, sid)
    client = backend.client("QDK01", station_secret)
    resp = client.request("POST", "/v1/push",
                          body=push_body("QDK01", [bytes(entry.body)]))
    assert resp.json()["results"][0]["outcome"] == "accepted"
    from sqlalchemy import create_engine, text
    eng = create_engine(backend.db_url)
    try:
        with eng.connect() as conn:
            digest = conn.execute(text("SELECT content_sha256 FROM submissions")).scalar_one()
    finally:
        eng.dispose()
    assert digest == entry.body_sha256 == hashlib.sha256(entry.body).hexdigest()
