"""A save that the constraints refuse: the case's row is written first and the database's own
UNIQUE/PRIMARY KEY checks answer "is this id or tracking ref taken?"; these tests hold the
answers to what the lookups before the insert used to give."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select

import station_app.services.saving as saving
from station_app.services.saving import build_row, outbox_body, save_submission
from station_app.store.audit import append_audit, verify_chain
from station_app.store.coltypes import utcnow
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, Submission
from station_app.store.refs import new_submission_id, tracking_ref_for
from station_app.store.submissions import TrackingRefTaken, insert_submission

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def _twin(submission_id: str) -> str:
    """Another id with the same tracking ref (the ref does not use the id's lowest bits)."""
    twin = str(uuid.UUID(int=uuid.UUID(submission_id).int ^ 1))
    assert twin != submission_id and tracking_ref_for(twin) == tracking_ref_for(submission_id)
    return twin


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("submission", "outbox", "status_history", "audit_event"))


def _chain_ok(engine: Engine) -> int:
    with session_scope(engine) as s:
        checked, problem = verify_chain(s)
    assert problem is None
    return checked


def test_a_tracking_ref_held_by_another_case_is_refused_and_nothing_is_written(
        engine: Engine, make_submission: MakeSubmission) -> None:
    first = save_submission(engine, make_submission())
    new = make_submission()
    sub = build_row(new, _twin(first.id), utcnow())
    with pytest.raises(TrackingRefTaken):
        insert_submission(engine, sub, outbox_body(sub))
    assert _counts(engine) == (1, 1, 1, 1)
    assert _chain_ok(engine) == 1


def test_a_taken_tracking_ref_is_retried_under_a_new_id(
        engine: Engine, make_submission: MakeSubmission,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = save_submission(engine, make_submission())
    ids: Iterator[str] = iter([_twin(first.id), new_submission_id()])
    monkeypatch.setattr(saving, "new_submission_id", lambda: next(ids))
    second = save_submission(engine, make_submission())
    assert second.tracking_ref != first.tracking_ref
    assert _counts(engine) == (2, 2, 2, 2)
    assert _chain_ok(engine) == 2


def test_saves_and_other_audit_rows_form_one_verifiable_chain(
        engine: Engine, make_submission: MakeSubmission) -> None:
    for i in range(3):
        save_submission(engine, make_submission())
        with session_scope(engine) as s:
            append_audit(s, "worker-01", "case.viewed", f"HY{i}")
    assert _chain_ok(engine) == 6
    with session_scope(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]
    assert actions == ["submission.saved", "case.viewed"] * 3


def test_a_missing_chain_head_is_recreated_by_the_save(
        engine: Engine, make_submission: MakeSubmission) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    save_submission(engine, make_submission())
    assert _chain_ok(engine) == 1


def test_the_saved_case_is_detached_like_one_read_back(
        engine: Engine, make_submission: MakeSubmission) -> None:
    """Callers may add the returned case to a later session and change it (an UPDATE)."""
    sub = save_submission(engine, make_submission())
    with session_scope(engine) as s:
        s.add(sub)
        sub.rating = 5
    with session_scope(engine) as s:
        stored = s.get(Submission, sub.id)
        assert stored is not None and stored.rating == 5
        assert stored.payload == sub.payload and stored.created_at == sub.created_at
