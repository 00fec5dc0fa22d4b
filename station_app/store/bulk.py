"""Writing many cases in one transaction: demo data, benchmarks and test fixtures.

The counter saves one case at a time with :func:`~station_app.store.submissions.insert_submission`.
A station's four months of demo history, or 100,000 cases for a benchmark, would take minutes
that way, so :func:`insert_cases` writes the same rows with one Core statement per table: each
case with the outbox entry and first history line ``insert_submission`` gives it (the same
functions build them), plus what has happened to it since (deliveries, district statuses).
Nothing here builds a wire body; the caller hands over the bytes, as at the counter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert

from station_app.domain.lifecycle import SyncState
from station_app.store.engine import session_scope
from station_app.store.models import (
    HistorySource,
    OutboxEntry,
    OutboxState,
    StatusHistory,
    Submission,
)
from station_app.store.prepared import table_of
from station_app.store.submissions import case_values, outbox_values, saved_line_values

_SYNC_STATE = {OutboxState.PENDING: SyncState.QUEUED, OutboxState.ACKED: SyncState.SYNCED,
               OutboxState.NEEDS_ATTENTION: SyncState.NEEDS_ATTENTION}


@dataclass(frozen=True)
class Delivery:
    """Where a case's outbox entry stands after the sends so far (default: never sent).

    The case's ``sync_state`` follows from it (acked -> synced, needs attention -> needs
    attention, pending -> queued), so the two can never disagree.
    """

    state: OutboxState = OutboxState.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    acked_at: datetime | None = None


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a case's timeline after it was saved."""

    status: str
    at: datetime
    note: str | None
    source: HistorySource


@dataclass(frozen=True)
class CaseRows:
    """A saved case (``submission`` with its outbox ``body``) and what happened to it since.

    ``submission`` holds the case's current status, receipt number and rating; its
    ``sync_state`` is overwritten from ``delivery``.
    """

    submission: Submission
    body: bytes
    delivery: Delivery = field(default_factory=Delivery)
    later: Sequence[HistoryEvent] = ()  # oldest first, after the "saved" line


def insert_cases(engine: Engine, cases: Iterable[CaseRows]) -> int:
    """Write ``cases`` in one transaction; return how many were written.

    Raises ``ValueError`` for an acknowledged case without a receipt number (the district
    always gives one) and lets the database refuse duplicates (ids, tracking refs, receipts).
    No audit line is written per case: the caller records one for the whole batch.
    """
    subs: list[dict[str, Any]] = []
    outbox: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for case in cases:
        sub, delivery = case.submission, case.delivery
        if delivery.state is OutboxState.ACKED and sub.receipt_no is None:
            raise ValueError(f"case {sub.id} is acknowledged but has no receipt number")
        row = case_values(sub)
        row["sync_state"] = _SYNC_STATE[delivery.state].value
        subs.append(row)
        entry = outbox_values(sub, case.body)
        entry.update(state=delivery.state.value, attempts=delivery.attempts,
                     next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error,
                     acked_at=delivery.acked_at)
        outbox.append(entry)
        history.append(saved_line_values(sub))
        history.extend({"submission_id": sub.id, "status": e.status, "at": e.at,
                        "note": e.note, "source": e.source.value} for e in case.later)
    if not subs:
        return 0
    with session_scope(engine) as s:  # Core executemany: the tables' own column types
        conn = s.connection()
        for model, rows in ((Submission, subs), (OutboxEntry, outbox), (StatusHistory, history)):
            conn.execute(insert(table_of(model)), rows)
    return len(subs)
