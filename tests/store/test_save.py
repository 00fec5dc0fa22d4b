"""save_submission: the submission and its outbox entry commit together or not at all."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, exc, text
from sqlmodel import select

from station_app.services.saving import _save_submission, save_submission, wire_submission
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, OutboxEntry, StatusHistory, Submission
from station_app.store.records import load_draft, save_draft
from station_app.store.refs import new_submission_id
from station_app.store.submissions import DuplicateSubmissionId, SaveStage
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import WireSubmission
from tests.store.conftest import SAMPLE_ID

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("submission", "outbox", "status_history", "audit_event"))


def test_save_writes_submission_outbox_history_and_audit(
        engine: Engine, make_submission: MakeSubmission) -> None:
    sub = save_submission(engine, make_submission())
    assert _counts(engine) == (1, 1, 1, 1)
    with session_scope(engine) as session:
        stored = session.get(Submission, sub.id)
        entry = session.exec(select(OutboxEntry)).one()
        assert stored is not None and stored.sync_state == "queued" and stored.status is None
        assert stored.applicant_name_masked == "张*丰" and stored.id_last4 == "002X"
        assert stored.id_hmac is not None and len(stored.id_hmac) == 64
        assert entry.submission_id == sub.id and entry.state == "pending"
        assert entry.body_sha256 == hashlib.sha256(entry.body).hexdigest()
        assert json.loads(entry.body) == wire_submission(stored)
        history = session.exec(select(StatusHistory)).one()
        assert (history.status, history.source) == ("已保存", "local")
        assert session.exec(select(AuditEvent)).one().action == "submission.saved"


def test_body_is_canonical_utf8_json(engine: Engine, make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission())
    with session_scope(engine) as session:
        body = session.exec(select(OutboxEntry)).one().body
    decoded = json.loads(body)
    assert body == json.dumps(decoded, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
    assert "张三丰".encode() in body
    assert "wire_version" not in decoded and decoded["form_version"] == 1
    assert decoded["materials"] == [
        {"name": "居民身份证", "provided": True, "attachments": [], "note": None},
        {"name": "户口簿", "provided": True, "attachments": [], "note": None}]


def test_saved_body_is_a_valid_wire_submission_in_protocol_bytes(
        engine: Engine, make_submission: MakeSubmission) -> None:
    scan = hashlib.sha256(b"scan of the hukou booklet").hexdigest()
    sub = save_submission(engine, make_submission(scans={"户口簿": [scan, scan]}))
    with session_scope(engine) as session:
        entry = session.exec(select(OutboxEntry)).one()
    wire = WireSubmission.model_validate_json(entry.body)
    assert wire.submission_id == sub.id and wire.tracking_ref == sub.tracking_ref
    assert wire.attachment_hashes() == {scan}
    assert canonical_json(wire.wire_dict()) == entry.body  # what the district hashes
    assert entry.body_sha256 == hashlib.sha256(entry.body).hexdigest()


def test_bundle_form_version_goes_on_the_wire_as_the_first_items(
        engine: Engine, make_submission: MakeSubmission) -> None:
    save_submission(engine, make_submission(form_version="3.1", bundle_code="BD01"))
    with session_scope(engine) as session:
        body = json.loads(session.exec(select(OutboxEntry)).one().body)
    assert (body["form_version"], body["bundle_code"]) == (3, "BD01")


def test_a_body_the_district_would_refuse_is_never_queued(
        engine: Engine, make_submission: MakeSubmission) -> None:
    with pytest.raises(ValueError, match="form_version"):
        save_submission(engine, make_submission(form_version="v1"))
    with pytest.raises(ValidationError):
        save_submission(engine, make_submission(item_code="养老认证"))
    with pytest.raises(ValueError, match="not received"):
        save_submission(engine, make_submission(scans={"结婚证": ["0" * 64]}))
    assert _counts(engine) == (0, 0, 0, 0)


def test_same_id_with_other_scans_is_different_content(
        engine: Engine, make_submission: MakeSubmission) -> None:
    sid = new_submission_id()
    save_submission(engine, make_submission(id=sid, scans={"户口簿": ["a" * 64]}))
    assert save_submission(engine, make_submission(id=sid, scans={"户口簿": ["a" * 64]})).id == sid
    with pytest.raises(DuplicateSubmissionId):
        save_submission(engine, make_submission(id=sid, scans={"户口簿": ["b" * 64]}))


def test_a_constraint_violation_on_the_outbox_leaves_neither_row(
        engine: Engine, db_path: Path, make_submission: MakeSubmission) -> None:
    sid = new_submission_id()
    # An orphan outbox row for that id (foreign keys are off on a bare sqlite3 connection)
    # makes the save's own outbox INSERT violate UNIQUE(submission_id).
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        raw.execute("INSERT INTO outbox (submission_id, body, body_sha256, state, attempts,"
                    " created_at) VALUES (?, x'7b7d', ?, 'pending', 0, ?)",
                    (sid, "0" * 64, "2025-01-01T00:00:00.000000+00:00"))
    finally:
        raw.close()
    with pytest.raises(exc.IntegrityError, match=r"outbox\.submission_id") as failure:
        save_submission(engine, make_submission(id=sid, payload={"身份证号": SAMPLE_ID}))
    assert _counts(engine) == (0, 1, 0, 0)  # only the planted orphan
    assert "hidden due to hide_parameters" in str(failure.value)
    assert SAMPLE_ID not in str(failure.value)  # errors reach the log: no resident data


def test_a_failure_after_the_submission_row_rolls_everything_back(
        engine: Engine, make_submission: MakeSubmission) -> None:
    def fail(stage: SaveStage) -> None:
        if stage == "submission_written":
            raise RuntimeError("power cut simulated in-process")

    with pytest.raises(RuntimeError):
        _save_submission(engine, make_submission(), hook=fail)
    assert _counts(engine) == (0, 0, 0, 0)


def test_hook_stages_in_order(engine: Engine, make_submission: MakeSubmission) -> None:
    seen: list[SaveStage] = []
    _save_submission(engine, make_submission(), hook=seen.append)
    assert seen == ["submission_written", "before_commit", "after_commit"]


def test_same_id_same_content_is_idempotent(
        engine: Engine, make_submission: MakeSubmission) -> None:
    new = make_submission(id=new_submission_id())
    first = save_submission(engine, new)
    again = save_submission(engine, new)
    assert again.id == first.id and again.tracking_ref == first.tracking_ref
    assert _counts(engine) == (1, 1, 1, 1)


def test_same_id_different_content_is_refused(
        engine: Engine, make_submission: MakeSubmission) -> None:
    sid = new_submission_id()
    save_submission(engine, make_submission(id=sid))
    with pytest.raises(DuplicateSubmissionId, match=sid):
        save_submission(engine, make_submission(id=sid, payload={"姓名": "李四"}))
    assert _counts(engine) == (1, 1, 1, 1)


def test_submitting_a_draft_removes_it_in_the_same_transaction(
        engine: Engine, make_submission: MakeSubmission) -> None:
    draft_id = new_submission_id()
    with session_scope(engine) as session:
        save_draft(session, draft_id, operator="worker-01", item_code="RS01",
                   payload={"姓名": "张三丰"})
    sub = save_submission(engine, make_submission(id=draft_id))
    assert sub.id == draft_id
    with session_scope(engine) as session:
        assert load_draft(session, draft_id) is None


def test_payload_that_is_not_json_fails_before_any_write(
        engine: Engine, make_submission: MakeSubmission) -> None:
    with pytest.raises(TypeError):
        save_submission(engine, make_submission(payload={"日期": object()}))
    with pytest.raises(ValueError, match="JSON"):
        save_submission(engine, make_submission(payload={"金额": float("nan")}))
    assert _counts(engine) == (0, 0, 0, 0)
