"""Saving a case: the submission, its outbox entry, its first history and audit rows commit
together or not at all (DESIGN.md invariant 1), and the caller hears back only after COMMIT.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from station_app.store.coltypes import utcnow
from station_app.store.engine import StoreError, session_scope
from station_app.store.models import (
    Draft,
    HistorySource,
    OutboxEntry,
    StatusHistory,
    Submission,
)
from station_app.store.outbox import body_digest, wire_materials, wire_submission
from station_app.store.records import append_audit
from station_app.store.refs import (
    id_last4,
    id_lookup_hmac,
    mask_name,
    new_submission_id,
    normalise_ref,
    tracking_ref_for,
)
from station_app.sync.protocol import canonical_json

LOCAL_SAVED = "已保存"
SaveStage = Literal["submission_written", "before_commit", "after_commit"]
SaveHook = Callable[[SaveStage], None]


class DuplicateSubmissionId(StoreError):
    """The id is already used by a case with different content."""


class _TrackingRefTaken(StoreError):
    """Two ids gave the same tracking ref (about 1 in 10^12 per pair on one day)."""


@dataclass(frozen=True)
class ApplicantIndex:
    """What the case list may know about the applicant without the ID number in clear."""

    name_masked: str | None = None
    id_last4: str | None = None
    id_hmac: str | None = None

    @classmethod
    def of(cls, name: str | None, id_number: str | None, key: bytes) -> ApplicantIndex:
        """Derive the index values from the applicant's name and ID number."""
        if id_number is None:
            return cls(mask_name(name) if name else None)
        return cls(mask_name(name) if name else None, id_last4(id_number),
                   id_lookup_hmac(id_number, key))


@dataclass(frozen=True)
class NewSubmission:
    """A validated intake, ready to save. ``id``: the draft's id, or ``None`` for a new one.

    ``scans``: material name -> SHA-256 of its scanned files; they travel in the outbox body
    (the wire's ``materials[].attachments``) and are uploaded before the case is pushed.
    """

    item_code: str
    catalogue_version: str
    form_version: str
    payload: dict[str, Any]
    operator: str
    materials: Sequence[str] = ()
    bundle_code: str | None = None
    applicant: ApplicantIndex = field(default_factory=ApplicantIndex)
    promised_date: date | None = None
    id: str | None = None
    scans: Mapping[str, Sequence[str]] = field(default_factory=dict)


def save_submission(engine: Engine, new: NewSubmission) -> Submission:
    """Save a case with its outbox entry in one transaction; return after COMMIT.

    Saving the same id again with the same content returns the saved case (a double click
    is harmless); different content raises :class:`DuplicateSubmissionId`. A draft with the
    same id is removed in the same transaction.
    """
    return _save_submission(engine, new, hook=None)


def _save_submission(engine: Engine, new: NewSubmission, *,
                     hook: SaveHook | None) -> Submission:
    """:func:`save_submission` with a test hook called at each stage (crash tests)."""
    tries = 1 if new.id is not None else 5
    for attempt in range(tries):
        try:
            sub = _save_once(engine, new, new.id or new_submission_id(), hook)
        except _TrackingRefTaken:
            if attempt == tries - 1:
                raise
            continue
        if hook is not None:
            hook("after_commit")
        return sub
    raise AssertionError("unreachable")


def _same_content(session: Session, sub: Submission, new: NewSubmission) -> bool:
    payload = json.loads(canonical_json(new.payload))
    if (sub.item_code, sub.bundle_code, sub.catalogue_version, sub.form_version,
            sub.payload, sub.materials) != (new.item_code, new.bundle_code,
                                             new.catalogue_version, new.form_version,
                                             payload, list(new.materials)):
        return False
    entry = session.exec(
        select(OutboxEntry).where(col(OutboxEntry.submission_id) == sub.id)).first()
    scans = [m.model_dump(mode="json") for m in wire_materials(new.materials, new.scans)]
    return entry is not None and json.loads(entry.body).get("materials") == scans


def _build(new: NewSubmission, submission_id: str, now: datetime) -> Submission:
    return Submission(
        id=submission_id, tracking_ref=tracking_ref_for(submission_id),
        item_code=new.item_code, bundle_code=new.bundle_code,
        catalogue_version=new.catalogue_version, form_version=new.form_version,
        payload=json.loads(canonical_json(new.payload)), materials=list(new.materials),
        applicant_name_masked=new.applicant.name_masked, id_last4=new.applicant.id_last4,
        id_hmac=new.applicant.id_hmac, promised_date=new.promised_date,
        operator=new.operator, created_at=now, updated_at=now,
    )


def _save_once(engine: Engine, new: NewSubmission, submission_id: str,
               hook: SaveHook | None) -> Submission:
    now = utcnow()
    sub = _build(new, submission_id, now)
    body = canonical_json(wire_submission(sub, new.scans))  # before BEGIN: fail early
    with session_scope(engine) as session:
        existing = session.get(Submission, submission_id)
        if existing is not None:
            if _same_content(session, existing, new):
                return existing
            raise DuplicateSubmissionId(
                f"编号 {submission_id} 已用于另一份内容不同的申请，本次未保存。")
        taken = select(Submission.id).where(col(Submission.tracking_ref) == sub.tracking_ref)
        if session.exec(taken).first() is not None:
            raise _TrackingRefTaken(sub.tracking_ref)
        session.add(sub)
        session.flush()
        if hook is not None:
            hook("submission_written")
        session.add(OutboxEntry(submission_id=sub.id, body=body, body_sha256=body_digest(body),
                                created_at=now))
        session.add(StatusHistory(submission_id=sub.id, status=LOCAL_SAVED, at=now,
                                  note="等待同步到区后台", source=HistorySource.LOCAL))
        append_audit(session, new.operator, "submission.saved", sub.id,
                     {"tracking_ref": sub.tracking_ref, "item_code": sub.item_code}, at=now)
        draft = session.get(Draft, submission_id)
        if draft is not None:
            session.delete(draft)
        session.flush()
        if hook is not None:
            hook("before_commit")
    return sub


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


def set_rating(session: Session, submission_id: str, rating: int, *, actor: str) -> bool:
    """Record the resident's 好差评 (1 = 非常不满意 … 5 = 非常满意)."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} is not between 1 and 5")
    sub = session.get(Submission, submission_id)
    if sub is None:
        return False
    sub.rating, sub.updated_at = rating, utcnow()
    session.add(sub)
    append_audit(session, actor, "submission.rated", submission_id, {"rating": rating})
    return True
