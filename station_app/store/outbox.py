"""The outbox: exact request bodies waiting for the district, and the ack bookkeeping.

Only an explicit per-item answer changes state (DESIGN.md invariant 3): ``mark_acked`` and
``mark_needs_attention``. Everything else (timeouts, 5xx, unreadable replies) is recorded with
``record_attempt_failure`` and the entry stays pending. These functions take the caller's
session, so the sync engine can apply a whole batch of results in one transaction.

Bodies are opaque bytes here: the services layer encodes them (canonical JSON of the wire
model) before the case is saved, and the sync engine joins them into a push batch unchanged.
The store never imports the wire models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, col, select

from station_app.domain.lifecycle import CaseStatus, SyncState
from station_app.store.audit import AuditEntry, append_audit, append_audits
from station_app.store.coltypes import utcnow
from station_app.store.models import (
    HistorySource,
    OutboxEntry,
    OutboxState,
    StatusHistory,
    Submission,
)
from station_app.store.prepared import Prepared, table_of

INSERT_HISTORY = Prepared.insert(table_of(StatusHistory))
"""One line of a case's history (saving writes the first, an acknowledgement the next)."""
_OUTBOX, _CASES = table_of(OutboxEntry), table_of(Submission)


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of a body, as stored and as sent for the district's duplicate check."""
    return hashlib.sha256(body).hexdigest()


class DueEntry(NamedTuple):
    """What sending needs of a pending outbox entry."""

    submission_id: str
    body: bytes
    attempts: int


def pending_outbox(session: Session, *, limit: int, now: datetime,
                   max_delay: timedelta | None = None) -> list[DueEntry]:
    """Pending entries due at ``now``, oldest first.

    With ``max_delay``, an entry scheduled further ahead than ``now + max_delay`` is due too:
    the clock was moved back, and the item must not wait for days. (Read as plain rows, not
    as ORM instances: every push reads a batch of them.)
    """
    due = or_(_OUTBOX.c.next_attempt_at.is_(None), _OUTBOX.c.next_attempt_at <= now)
    if max_delay is not None:
        due = or_(due, _OUTBOX.c.next_attempt_at > now + max_delay)
    query = (select(_OUTBOX.c.submission_id, _OUTBOX.c.body, _OUTBOX.c.attempts)
             .where(_OUTBOX.c.state == OutboxState.PENDING, due)
             .order_by(_OUTBOX.c.id).limit(limit))
    return [DueEntry(str(sid), bytes(body), int(attempts))
            for sid, body, attempts in session.connection().execute(query)]


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
    """Show queued items as being sent; ``record_attempt_failure`` or an answer ends it.
    (A Core statement on the session's connection: the sender holds no instance of them.)"""
    session.connection().execute(_MARK_SENDING, {"ids": list(submission_ids),
                                                 "now": utcnow()})


def reset_sending(session: Session) -> int:
    """After a crash: items left "sending" go back to "queued" (their outcome is unknown)."""
    result = session.exec(update(Submission)
                             .where(col(Submission.sync_state) == SyncState.SENDING)
                             .values(sync_state=SyncState.QUEUED, updated_at=utcnow()))
    return result.rowcount


def mark_acked(session: Session, submission_id: str, receipt_no: str, *,
               at: datetime | None = None, status: str | None = CaseStatus.ACCEPTED) -> bool:
    """Apply an explicit accepted/duplicate answer; True if this changed anything (one item
    of :func:`mark_acked_many`)."""
    return mark_acked_many(session, [(submission_id, receipt_no)], at=at, status=status) == 1


def mark_acked_many(session: Session, acks: Sequence[tuple[str, str]], *,
                    at: datetime | None = None,
                    status: str | None = CaseStatus.ACCEPTED) -> int:
    """Apply a batch's accepted/duplicate answers ``(submission id, receipt no)`` at once;
    return how many changed anything.

    Set-based: the cases, their outbox entries and the receipt numbers already held are read
    with one query each, and the changes written with one statement per table (history and
    audit rows as multi-row inserts), instead of three queries and a flush per item. Per item
    the rules are those of one answer: unknown ids are ignored; an item already acked keeps
    its receipt (a different one received is audited); a receipt number that another case
    holds — or that an earlier item of this batch took — is not applied (it would violate
    the unique index and roll back the whole batch): that item goes to "needs attention".
    """
    if not acks:
        return 0
    now = at or utcnow()
    ids = [sid for sid, _ in acks]
    conn = session.connection()  # read as stored: nothing the session holds is flushed first
    cases = {sid: (state, receipt, old_status) for sid, state, receipt, old_status in
             conn.execute(_READ_ACKED, {"ids": ids})}
    held = {receipt: sid for receipt, sid in
            conn.execute(_RECEIPTS_HELD, {"receipts": [r for _, r in acks]})}
    acked: list[tuple[str, str]] = []
    audits: list[AuditEntry] = []
    refused: list[tuple[str, str]] = []
    for sid, receipt_no in acks:
        if sid not in cases:
            continue
        state, kept, _ = cases[sid]
        if state == OutboxState.ACKED:
            if kept != receipt_no:
                audits.append(("sync", "sync.receipt_mismatch", sid,
                               {"kept": kept, "received": receipt_no}))
            continue
        holder = held.get(receipt_no)
        if holder is not None and holder != sid:
            refused.append((sid, receipt_no))
            continue
        held[receipt_no] = sid
        cases[sid] = (OutboxState.ACKED, receipt_no, cases[sid][2])
        acked.append((sid, receipt_no))
        audits.append(("sync", "sync.acked", sid, {"receipt_no": receipt_no}))
    _write_acks(session, acked, [sid for sid, _ in acked if cases[sid][2] is None], now,
                status)
    append_audits(session, audits, at=now)
    return len(acked) + sum(mark_needs_attention(
        session, sid, f"区后台返回的回执号 {receipt_no} 已属于另一件申请", at=at)
        for sid, receipt_no in refused)


def _write_acks(session: Session, acked: list[tuple[str, str]], first_status: list[str],
                now: datetime, status: str | None) -> None:
    """The acknowledged items' rows: outbox entries, cases (each its receipt number) and,
    for cases that had no status yet, their first district status in the history."""
    if not acked:
        return
    ids = [sid for sid, _ in acked]
    # Core statements on the tables, run on the session's connection: the ORM's bulk paths
    # cost several times more per row, and no instance of these rows is held by the session
    conn = session.connection()
    conn.execute(_OUTBOX_ACKED, {"ids": ids, "now": now})
    receipts = dict(acked)
    conn.execute(_CASE_ACKED, [{"sid": sid, "receipt": receipt_no, "now": now}
                               for sid, receipt_no in acked])  # one executemany
    if status is None or not first_status:
        return
    conn.execute(_FIRST_STATUS, {"ids": first_status, "new_status": status})
    INSERT_HISTORY.run_many(conn, [
        {"submission_id": sid, "status": status, "at": now, "note": f"回执号 {receipts[sid]}",
         "source": HistorySource.DISTRICT.value} for sid in first_status])


# A sync batch's statements, built once: building an IN (...) of a hundred values for each
# batch cost about as much as running it. ``ids`` and ``receipts`` expand to the batch's values.
_MARK_SENDING = (update(_CASES).where(_CASES.c.id.in_(bindparam("ids", expanding=True)),
                                      _CASES.c.sync_state == SyncState.QUEUED)
                 .values(sync_state=SyncState.SENDING, updated_at=bindparam("now")))
_READ_ACKED = (select(_OUTBOX.c.submission_id, _OUTBOX.c.state, _CASES.c.receipt_no,
                      _CASES.c.status)
               .join(_CASES, _CASES.c.id == _OUTBOX.c.submission_id)
               .where(_OUTBOX.c.submission_id.in_(bindparam("ids", expanding=True))))
_RECEIPTS_HELD = (select(_CASES.c.receipt_no, _CASES.c.id)
                  .where(_CASES.c.receipt_no.in_(bindparam("receipts", expanding=True))))
_OUTBOX_ACKED = (update(_OUTBOX)
                 .where(_OUTBOX.c.submission_id.in_(bindparam("ids", expanding=True)))
                 .values(state=OutboxState.ACKED, acked_at=bindparam("now"),
                         next_attempt_at=None))
_CASE_ACKED = (update(_CASES).where(_CASES.c.id == bindparam("sid"))
               .values(receipt_no=bindparam("receipt"), sync_state=SyncState.SYNCED,
                       attention_reason=None, updated_at=bindparam("now")))
_FIRST_STATUS = (update(_CASES).where(_CASES.c.id.in_(bindparam("ids", expanding=True)))
                 .values(status=bindparam("new_status")))


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
    session.add_all([sub, entry, StatusHistory(
        submission_id=sub.id, status=SyncState.NEEDS_ATTENTION.label, at=now, note=reason,
        source=HistorySource.LOCAL)])
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
