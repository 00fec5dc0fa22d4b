"""The outbox: exact request bodies waiting for the district, and the ack bookkeeping.

Only an explicit per-item answer changes state (DESIGN.md invariant 3): ``mark_acked`` and
``mark_needs_attention``. Everything else (timeouts, 5xx, unreadable replies) is recorded with
``record_attempt_failure`` and the entry stays pending. These functions take the caller's
session, so the sync engine can apply a whole batch of results in one transaction.

Body format: :func:`station_app.sync.protocol.canonical_json` of a
:class:`station_app.sync.protocol.WireSubmission` (the one wire definition), so stored bodies
can be joined into a push batch without re-serialising (``station_app.sync.push.batch_body``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from station_app.store.coltypes import to_utc_text, utcnow
from station_app.store.models import (
    HistorySource,
    OutboxEntry,
    OutboxState,
    StatusHistory,
    Submission,
    SyncState,
)
from station_app.store.records import append_audit
from station_app.sync.protocol import WireMaterial, WireSubmission

DISTRICT_ACCEPTED = "受理"
NEEDS_ATTENTION_LABEL = "需处理"


def wire_form_version(form_version: str) -> int:
    """The wire's form version: the store keeps ``"2"`` for an item and ``"2.1.3"`` for a
    bundle (one number per item, the first being ``item_code``'s); the wire names the form
    of ``item_code``, so it is that first number."""
    head = form_version.split(".", 1)[0]
    if not head.isascii() or not head.isdigit() or int(head) < 1:
        raise ValueError(f"form_version {form_version!r} does not start with a version number")
    return int(head)


def wire_materials(names: Sequence[str],
                   scans: Mapping[str, Sequence[str]] | None = None) -> list[WireMaterial]:
    """Materials received at the counter, each with the SHA-256 of its scanned files."""
    scans = scans or {}
    unknown = set(scans) - set(names)
    if unknown:
        raise ValueError(f"scans for materials not received: {sorted(unknown)}")
    return [WireMaterial(name=n, provided=True, attachments=sorted(set(scans.get(n, ()))))
            for n in names]


def wire_submission(sub: Submission,
                    scans: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The submission as the district receives it (no local-only or index fields), checked
    against the protocol model so a body the district would refuse is never queued."""
    wire = WireSubmission(
        submission_id=sub.id, tracking_ref=sub.tracking_ref, item_code=sub.item_code,
        bundle_code=sub.bundle_code, catalogue_version=sub.catalogue_version,
        form_version=wire_form_version(sub.form_version), payload=sub.payload,
        materials=wire_materials(sub.materials, scans), operator=sub.operator,
        created_at=to_utc_text(sub.created_at))
    return wire.wire_dict()


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of a body, as stored and as sent for the district's duplicate check."""
    return hashlib.sha256(body).hexdigest()


def pending_outbox(session: Session, *, limit: int, now: datetime,
                   max_delay: timedelta | None = None) -> list[OutboxEntry]:
    """Pending entries due at ``now``, oldest first.

    With ``max_delay``, an entry scheduled further ahead than ``now + max_delay`` is due too:
    the clock was moved back, and the item must not wait for days.
    """
    due = or_(col(OutboxEntry.next_attempt_at).is_(None), col(OutboxEntry.next_attempt_at) <= now)
    if max_delay is not None:
        due = or_(due, col(OutboxEntry.next_attempt_at) > now + max_delay)
    query = (select(OutboxEntry).where(col(OutboxEntry.state) == OutboxState.PENDING, due)
             .order_by(col(OutboxEntry.id)).limit(limit))
    return list(session.exec(query).all())


def outbox_counts(session: Session) -> dict[str, int]:
    """Number of outbox entries per state (for the status bar: "3 条待同步")."""
    query = select(OutboxEntry.state, func.count()).group_by(col(OutboxEntry.state))
    counts = {state.value: 0 for state in OutboxState}
    counts.update({str(state): int(n) for state, n in session.exec(query).all()})
    return counts


def _load(session: Session, submission_id: str) -> tuple[Submission, OutboxEntry] | None:
    sub = session.get(Submission, submission_id)
    entry = session.exec(
        select(OutboxEntry).where(col(OutboxEntry.submission_id) == submission_id)).first()
    return None if sub is None or entry is None else (sub, entry)


def mark_sending(session: Session, submission_ids: Sequence[str]) -> None:
    """Show queued items as being sent; ``record_attempt_failure`` or an answer ends it."""
    session.exec(update(Submission)
                    .where(col(Submission.id).in_(submission_ids),
                           col(Submission.sync_state) == SyncState.QUEUED)
                    .values(sync_state=SyncState.SENDING, updated_at=utcnow()))


def reset_sending(session: Session) -> int:
    """After a crash: items left "sending" go back to "queued" (their outcome is unknown)."""
    result = session.exec(update(Submission)
                             .where(col(Submission.sync_state) == SyncState.SENDING)
                             .values(sync_state=SyncState.QUEUED, updated_at=utcnow()))
    return result.rowcount


def _receipt_taken(session: Session, receipt_no: str, submission_id: str) -> bool:
    query = select(Submission.id).where(col(Submission.receipt_no) == receipt_no,
                                        col(Submission.id) != submission_id)
    return session.exec(query).first() is not None


def mark_acked(session: Session, submission_id: str, receipt_no: str, *,
               at: datetime | None = None, status: str | None = DISTRICT_ACCEPTED) -> bool:
    """Apply an explicit accepted/duplicate answer; True if this changed anything.

    Unknown ids are ignored. A receipt number already used by another case is not applied
    (it would violate the unique index and roll back the whole batch): that item goes to
    "needs attention" instead.
    """
    found = _load(session, submission_id)
    if found is None:
        return False
    sub, entry = found
    if entry.state == OutboxState.ACKED:
        if sub.receipt_no != receipt_no:
            append_audit(session, "sync", "sync.receipt_mismatch", submission_id,
                         {"kept": sub.receipt_no, "received": receipt_no})
        return False
    if _receipt_taken(session, receipt_no, submission_id):
        return mark_needs_attention(session, submission_id,
                                    f"区后台返回的回执号 {receipt_no} 已属于另一件申请", at=at)
    now = at or utcnow()
    entry.state, entry.acked_at = OutboxState.ACKED, now
    entry.next_attempt_at = None
    sub.receipt_no, sub.sync_state, sub.attention_reason = receipt_no, SyncState.SYNCED, None
    sub.updated_at = now
    if status is not None and sub.status is None:
        sub.status = status
        session.add(StatusHistory(submission_id=sub.id, status=status, at=now,
                                  note=f"回执号 {receipt_no}", source=HistorySource.DISTRICT))
    session.add_all([sub, entry])
    append_audit(session, "sync", "sync.acked", submission_id, {"receipt_no": receipt_no}, at=now)
    return True


def mark_needs_attention(session: Session, submission_id: str, reason: str, *,
                         at: datetime | None = None) -> bool:
    """A permanent per-item rejection or conflict; never downgrades an acked item."""
    found = _load(session, submission_id)
    if found is None or found[1].state == OutboxState.ACKED:
        return False
    sub, entry = found
    now = at or utcnow()
    entry.state, entry.last_error, entry.next_attempt_at = OutboxState.NEEDS_ATTENTION, reason, None
    sub.sync_state, sub.attention_reason, sub.updated_at = SyncState.NEEDS_ATTENTION, reason, now
    session.add_all([sub, entry, StatusHistory(submission_id=sub.id, status=NEEDS_ATTENTION_LABEL,
                                                at=now, note=reason, source=HistorySource.LOCAL)])
    append_audit(session, "sync", "sync.needs_attention", submission_id, {"reason": reason}, at=now)
    return True


def requeue(session: Session, submission_id: str, *, actor: str) -> bool:
    """Put a "needs attention" item back in the queue (same bytes) after the cause is fixed."""
    found = _load(session, submission_id)
    if found is None or found[1].state != OutboxState.NEEDS_ATTENTION:
        return False
    sub, entry = found
    entry.state, entry.attempts, entry.next_attempt_at = OutboxState.PENDING, 0, None
    sub.sync_state, sub.attention_reason, sub.updated_at = SyncState.QUEUED, None, utcnow()
    session.add_all([sub, entry])
    append_audit(session, actor, "sync.requeued", submission_id)
    return True


def record_attempt_failure(session: Session, submission_ids: Sequence[str], error: str,
                           next_attempt_at: datetime) -> int:
    """Outcome unknown for these items: count the attempt, keep them pending; return how many."""
    result = session.exec(
        update(OutboxEntry)
        .where(col(OutboxEntry.submission_id).in_(submission_ids),
               col(OutboxEntry.state) == OutboxState.PENDING)
        .values(attempts=col(OutboxEntry.attempts) + 1, last_error=error,
                next_attempt_at=next_attempt_at)
        .execution_options(synchronize_session="fetch"))
    session.exec(update(Submission)
                    .where(col(Submission.id).in_(submission_ids),
                           col(Submission.sync_state) == SyncState.SENDING)
                    .values(sync_state=SyncState.QUEUED)
                    .execution_options(synchronize_session="fetch"))
    return result.rowcount
