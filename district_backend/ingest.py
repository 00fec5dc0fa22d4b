"""Push handling: one result per item, exactly one row per (station, submission id).

The order of checks matters. An id already stored is answered from the stored row before
anything else is looked at, so a retry gets its original receipt even if the catalogue has
changed since. All items of a batch share one transaction holding the station's row lock,
which serializes a station's pushes and case events (the change-feed cursor relies on that on
PostgreSQL; SQLite serializes writers anyway).

A batch is first stored set-based (:mod:`district_backend.ingest_bulk`: a fixed handful of
statements per batch instead of six or more round trips per item) inside one savepoint. If
that fails for any reason but a failing database, the savepoint is rolled back and the batch
runs here item by item, each item in its own savepoint: whatever one item does to the handler
(a value the database refuses, a bug met only by that item) rolls back that item alone, which
is answered "rejected" while the others go on (DESIGN invariant 8). Only a failing database
(connection lost, locked, disk full) fails the whole request, because then no item's outcome
is known.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, select

from district_backend.attachments import AttachmentStore
from district_backend.db import china_day, iso_utc
from district_backend.errors import crash_summary
from district_backend.ingest_bulk import push_batch, supported
from district_backend.ingest_checks import (
    ITEM_FAILED,
    Checked,
    Sent,
    accepted,
    answer_stored,
    checked,
    echo_id,
    first_look,
    receipt_number,
    rejected,
    retry,
    row_values,
)
from district_backend.models import (
    CaseEvent,
    ReceiptCounter,
    ReceivedSubmission,
    Station,
    metadata,
)
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.lifecycle import INITIAL_STATUS
from station_app.wire.protocol import PushEnvelope, PushItemResult, PushResponse

__all__ = ["ITEM_FAILED", "Ingest", "receipt_number"]

log = logging.getLogger(__name__)
_DATABASE_DOWN = (OperationalError, InterfaceError)  # the database, not the item
STATIONS = metadata.tables[Station.__tablename__]
_COUNTED = {"duplicates": "duplicate", "conflicts": "conflict", "rejected": "rejected",
            "retries": "retry"}  # Station's counter column -> the answer it counts


class Ingest:
    def __init__(self, engine: Engine, attachments: AttachmentStore) -> None:
        self._engine = engine
        self._attachments = attachments

    def push(self, station_id: str, envelope: PushEnvelope, catalogue: Catalogue,
             now: float) -> PushResponse:
        """The batch in a transaction of its own."""
        with Session(self._engine) as session, session.begin():
            session.connection().execute(select(STATIONS.c.id).where(
                STATIONS.c.id == station_id).with_for_update()).one()
            return PushResponse(results=self.push_in(session, station_id, envelope,
                                                     catalogue, now))

    def push_in(self, session: Session, station_id: str, envelope: PushEnvelope,
                catalogue: Catalogue, now: float) -> list[PushItemResult]:
        """The batch in the caller's transaction, which holds the station's row lock."""
        items = envelope.submissions
        results = self._set_based(session, station_id, items, catalogue, now)
        if results is None:
            results = [self._isolated(session, station_id, index, raw, catalogue, now)
                       for index, raw in enumerate(items)]
        _count_answers(session, station_id, results)
        return results

    def _set_based(self, session: Session, station_id: str, items: list[Any],
                   catalogue: Catalogue, now: float) -> list[PushItemResult] | None:
        """The whole batch in one savepoint; None (and nothing stored) when the batch must
        go item by item instead."""
        if not supported(session.get_bind().dialect):
            return None
        try:
            with session.begin_nested():
                return push_batch(session, station_id, items, catalogue, self._attachments,
                                  now)
        except _DATABASE_DOWN:
            raise
        except Exception as e:  # one item broke the batch's statements: find it item by item
            log.warning("push from station %s: %d items stored one by one after %s",
                        station_id, len(items), crash_summary(e))
            return None

    def _isolated(self, session: Session, station_id: str, index: int, raw: Any,
                  catalogue: Catalogue, now: float) -> PushItemResult:
        """One item in its own savepoint; an unexpected failure rejects this item only."""
        try:
            with session.begin_nested():
                return self._item(session, station_id, index, raw, catalogue, now)
        except _DATABASE_DOWN:
            raise
        except Exception as e:  # whatever it is, it must not fail the batch
            # No exception text: a database error's text carries the item's values.
            log.error("push from station %s: item %d (%s) answered rejected after %s",
                      station_id, index, echo_id(raw) or "no valid id", crash_summary(e))
            return rejected(index, echo_id(raw), ITEM_FAILED)

    def _item(self, session: Session, station_id: str, index: int, raw: Any,
              catalogue: Catalogue, now: float) -> PushItemResult:
        sent = first_look(index, raw)
        if not isinstance(sent, Sent):
            return sent
        if sent.may_be_stored:  # stored before? answer that, whatever today's rules say
            known = _answer_known(session, station_id, sent)
            if known is not None:
                return known
        verdict = checked(sent, catalogue)
        if not isinstance(verdict, Checked):
            return verdict
        sub = verdict.sub
        missing = self._attachments.missing(session, verdict.needed)
        if missing:
            return retry(sent, missing)
        try:
            with session.begin_nested():
                receipt, at = _next_receipt(session, station_id, now), iso_utc(now)
                session.add(ReceivedSubmission(**row_values(station_id, sub, sent, receipt, at)))
                session.add(CaseEvent(station_id=station_id, receipt_no=receipt,
                                      submission_id=sub.submission_id,
                                      status=INITIAL_STATUS.value, at=at))
        except IntegrityError:  # the same id committed concurrently: answer from that row
            known = _answer_known(session, station_id, sent)
            if known is None:
                raise
            return known
        return accepted(sent, receipt)


def _count_answers(session: Session, station_id: str, results: list[PushItemResult]) -> None:
    """Add the batch's answers to the station's counters for `stats` (nothing to write when
    every item was accepted, the usual batch)."""
    counts: Counter[str] = Counter(r.outcome for r in results)
    added = {column: counts[outcome] for column, outcome in _COUNTED.items() if counts[outcome]}
    if added:
        session.connection().execute(update(STATIONS).where(
            STATIONS.c.id == station_id).values(
            {column: STATIONS.c[column] + n for column, n in added.items()}))


def _answer_known(session: Session, station_id: str, sent: Sent) -> PushItemResult | None:
    row = session.exec(select(ReceivedSubmission).where(
        ReceivedSubmission.station_id == station_id,
        ReceivedSubmission.submission_id == sent.sid)).first()
    if row is None:
        return None
    return answer_stored(sent, row.content_sha256, row.receipt_no, row.received_at)


def _next_receipt(session: Session, station_id: str, now: float) -> str:
    day = china_day(now)
    counter = session.get(ReceiptCounter, (station_id, day), with_for_update=True)
    if counter is None:
        counter = ReceiptCounter(station_id=station_id, day=day, last_seq=0)
    counter.last_seq += 1
    session.add(counter)
    session.flush()
    return receipt_number(station_id, day, counter.last_seq)
