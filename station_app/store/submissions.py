"""Saving a case: the submission, its outbox entry, its first history and audit rows commit
together or not at all (DESIGN.md invariant 1), and the caller hears back only after COMMIT.

The outbox body arrives as bytes built by the services layer (station_app.services.saving);
the store keeps them exactly and never builds or parses wire models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, bindparam, delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from station_app.domain.lifecycle import LOCAL_SAVED
from station_app.store.audit import append_audit_row
from station_app.store.coltypes import utcnow
from station_app.store.driver_transaction import driver_transaction
from station_app.store.engine import StoreError, session_scope
from station_app.store.models import (
    Draft,
    HistorySource,
    OutboxEntry,
    OutboxState,
    StatusHistory,
    Submission,
)
from station_app.store.outbox import INSERT_HISTORY, body_digest
from station_app.store.prepared import Prepared, table_of
from station_app.store.refs import normalise_ref

SaveStage = Literal["submission_written", "before_commit", "after_commit"]
SaveHook = Callable[[SaveStage], None]
SAVED_NOTE = "等待同步到区后台"


class DuplicateSubmissionId(StoreError):
    """The id is already used by a case with different content."""


class TrackingRefTaken(StoreError):
    """Two ids gave the same tracking ref (about 1 in 10^12 per pair on one day)."""


def insert_submission(engine: Engine, sub: Submission, body: bytes, *,
                      hook: SaveHook | None = None, may_have_draft: bool = True) -> Submission:
    """Write a new case with its outbox entry (the exact ``body`` to send), first history line
    and audit row in one transaction; return after COMMIT.

    The same id saved again with the same content returns the saved case (a double click is
    harmless); different content raises :class:`DuplicateSubmissionId`. A tracking ref that
    another case holds raises :class:`TrackingRefTaken` (the caller picks a new id). A draft
    with the same id is removed in the same transaction (``may_have_draft=False``: the id was
    made just now, no draft can hold it). ``hook`` is called at each stage by crash tests.

    Speed: one prepared statement per row (:mod:`station_app.store.prepared`) run on the
    driver (:mod:`station_app.store.driver_transaction`), no lookups before the insert. The
    primary key and the tracking ref's unique index already refuse a clash; only then
    (rarely, after the refused transaction rolled back) does :func:`_clash` look at what is
    there. The returned case is detached, as one read back from a session would be.
    """
    try:
        with driver_transaction(engine) as tx:
            try:
                tx.run(_INSERT_CASE, case_values(sub))
            except IntegrityError as exc:
                raise _Refused(exc) from exc
            if hook is not None:
                hook("submission_written")
            tx.run(_INSERT_OUTBOX, outbox_values(sub, body))
            tx.run(INSERT_HISTORY, saved_line_values(sub))
            append_audit_row(tx, sub.operator, "submission.saved", sub.id,
                             {"tracking_ref": sub.tracking_ref, "item_code": sub.item_code},
                             at=sub.created_at)
            if may_have_draft:
                tx.run(_DELETE_DRAFT, {"draft_id": sub.id})
            if hook is not None:
                hook("before_commit")
    except _Refused as refused:
        with session_scope(engine) as session:
            saved = _clash(session, sub, body)
        if saved is None:
            raise refused.error from None  # neither clash: the constraint's own error
        return saved
    if hook is not None:
        hook("after_commit")
    make_transient_to_detached(sub)
    return sub


class _Refused(Exception):
    """The case's row was refused by a constraint; raised out of the transaction so that it
    rolls back before :func:`_clash` reads what is there."""

    def __init__(self, error: IntegrityError) -> None:
        super().__init__(str(error))
        self.error = error


_CASES, _DRAFTS = table_of(Submission), table_of(Draft)
_INSERT_CASE = Prepared.insert(_CASES)
_CASE_KEYS = tuple(column.key for column in _CASES.columns)
_INSERT_OUTBOX = Prepared.insert(table_of(OutboxEntry))  # the row id is SQLite's to pick
_DELETE_DRAFT = Prepared(delete(_DRAFTS).where(_DRAFTS.c.id == bindparam("draft_id")))


def case_values(sub: Submission) -> dict[str, Any]:
    """Every column of the case's row, as ``sub`` holds it. (Also written in bulk by
    ``store.bulk``.) Read from the instance's own dict, where :func:`~station_app.store.
    prepared.new_row` put every column (a column missing there, e.g. expired on an instance
    read back, is read through the attribute)."""
    held = sub.__dict__
    return {key: held[key] if key in held else getattr(sub, key) for key in _CASE_KEYS}


def _clash(session: Session, sub: Submission, body: bytes) -> Submission | None:
    """Why the case's row was refused: the same case saved before (returned), its id used by
    other content (:class:`DuplicateSubmissionId`), its tracking ref held by another case
    (:class:`TrackingRefTaken`), or none of these (``None``: the caller re-raises)."""
    existing = session.get(Submission, sub.id)
    if existing is not None:
        if _same_content(session, existing, sub, body):
            return existing
        raise DuplicateSubmissionId(f"编号 {sub.id} 已用于另一份内容不同的申请，本次未保存。")
    taken = select(Submission.id).where(col(Submission.tracking_ref) == sub.tracking_ref)
    if session.exec(taken).first() is not None:
        raise TrackingRefTaken(sub.tracking_ref)
    return None


def outbox_values(sub: Submission, body: bytes) -> dict[str, Any]:
    """Columns of the outbox entry every saved case gets: the exact ``body`` and its digest,
    pending, never tried. (Also written in bulk by ``store.bulk``.)"""
    return {"submission_id": sub.id, "body": body, "body_sha256": body_digest(body),
            "state": OutboxState.PENDING.value, "attempts": 0, "next_attempt_at": None,
            "last_error": None, "created_at": sub.created_at, "acked_at": None}


def saved_line_values(sub: Submission) -> dict[str, Any]:
    """Columns of the first history line of every saved case."""
    return {"submission_id": sub.id, "status": LOCAL_SAVED, "at": sub.created_at,
            "note": SAVED_NOTE, "source": HistorySource.LOCAL.value}


def _same_content(session: Session, old: Submission, new: Submission, body: bytes) -> bool:
    """Same case saved twice: the columns match, and so do the body's materials (which carry
    the scans' hashes; the body's other fields are derived from the columns compared)."""
    if (old.item_code, old.bundle_code, old.catalogue_version, old.form_version,
            old.payload, old.materials) != (new.item_code, new.bundle_code,
                                             new.catalogue_version, new.form_version,
                                             new.payload, new.materials):
        return False
    entry = session.exec(
        select(OutboxEntry).where(col(OutboxEntry.submission_id) == old.id)).first()
    return entry is not None and (json.loads(entry.body).get("materials")
                                  == json.loads(body).get("materials"))


def get_submission(session: Session, submission_id: str) -> Submission | None:
    """The case with this client id."""
    return session.get(Submission, submission_id)


def get_submission_by_ref(session: Session, tracking_ref: str) -> Submission | None:
    """The case for a tracking ref as typed or scanned (spaces, case, O/0 and I/1 forgiven)."""
    ref = normalise_ref(tracking_ref)
    if ref is None:
        return None
    return session.exec(select(Submission).where(col(Submission.tracking_ref) == ref)).first()


def get_submission_by_receipt(session: Session, receipt_no: str) -> Submission | None:
    """The case the district knows under ``receipt_no``."""
    query = select(Submission).where(col(Submission.receipt_no) == receipt_no.strip())
    return session.exec(query).first()


def status_history(session: Session, submission_id: str) -> list[StatusHistory]:
    """The case's timeline, oldest first."""
    query = (select(StatusHistory).where(col(StatusHistory.submission_id) == submission_id)
             .order_by(col(StatusHistory.at), col(StatusHistory.id)))
    return list(session.exec(query).all())


def apply_status_change(session: Session, *, status: str, at: datetime, note: str | None = None,
                        receipt_no: str | None = None,
                        submission_id: str | None = None) -> Submission | None:
    """Record a district status change; ``None`` if the case is not known here.

    Idempotent (a change already recorded is skipped), and an older change arriving late is
    kept in the history without overwriting a newer current status.
    """
    if (receipt_no is None) == (submission_id is None):
        raise ValueError("give exactly one of receipt_no and submission_id")
    sub = (get_submission_by_receipt(session, receipt_no) if receipt_no is not None
           else session.get(Submission, submission_id))
    if sub is None:
        return None
    district = (col(StatusHistory.submission_id) == sub.id,
                col(StatusHistory.source) == HistorySource.DISTRICT)
    seen = select(StatusHistory.id).where(*district, col(StatusHistory.status) == status,
                                          col(StatusHistory.at) == at)
    if session.exec(seen).first() is not None:
        return sub
    latest = session.exec(select(func.max(StatusHistory.at)).where(*district)).one()
    session.add(StatusHistory(submission_id=sub.id, status=status, at=at, note=note,
                              source=HistorySource.DISTRICT))
    if latest is None or at >= latest:
        sub.status, sub.updated_at = status, utcnow()
        session.add(sub)
    return sub

