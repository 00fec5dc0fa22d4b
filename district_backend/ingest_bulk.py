"""Set-based ingest: a whole batch in a fixed handful of statements, whatever its size.

Item by item, a batch costs six or more round trips per case (look up the id, check the
attachments, lock and bump the receipt counter, insert the row, insert the event, each in a
savepoint), and PostgreSQL pays every one of them. Here a batch costs one query for the ids
already stored, one for the attachments, one upsert advancing the receipt counter by the
number accepted (so an accepted batch holds consecutive receipt numbers), one multi-row
``INSERT … ON CONFLICT DO NOTHING RETURNING`` for the new rows and one multi-row insert for
their events, in item order (the change-feed cursor follows it). On PostgreSQL the rows go as
one JSON parameter, so each statement's text is the same for every batch
(:mod:`district_backend.bulk_sql`).

The answers are the per-item path's, decided in the same order (stored id first, then the
wire schema and catalogue, then attachments): see :mod:`district_backend.ingest_checks`.
An id sent twice in one batch is answered from the earlier item, as if it had been stored
just before. Anything this path cannot settle raises; the caller then rolls back its
savepoint and runs the batch item by item, which is what isolates a poison item.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session

from district_backend.attachments import AttachmentStore
from district_backend.bulk_sql import insert_rows, is_one_of, one_of_param, rows_param
from district_backend.db import china_day, iso_utc
from district_backend.ingest_checks import (
    Checked,
    Sent,
    accepted,
    answer_stored,
    checked,
    first_look,
    receipt_number,
    retry,
    row_values,
)
from district_backend.models import CaseEvent, ReceiptCounter, ReceivedSubmission, metadata
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.lifecycle import INITIAL_STATUS
from station_app.wire.protocol import PushItemResult, WireSubmission

SUBMISSIONS = metadata.tables[ReceivedSubmission.__tablename__]
EVENTS = metadata.tables[CaseEvent.__tablename__]
COUNTERS = metadata.tables[ReceiptCounter.__tablename__]
_DIALECTS = frozenset({"sqlite", "postgresql"})


def supported(dialect: Dialect) -> bool:
    """Whether this database can take the batch's statements: PostgreSQL, or SQLite from 3.35
    (RETURNING; older ones, still shipped by some long-term distributions, go item by item)."""
    return dialect.name in _DIALECTS and bool(dialect.insert_returning)


class BulkMiss(Exception):
    """A row the batch meant to insert was not inserted (its id stored by a concurrent
    writer, or its receipt number already taken): the batch then goes item by item, where
    such an item is answered from the row that is there, or rejected alone."""


@dataclass(frozen=True)
class _Accept:
    """An item to store, as the `position`-th accepted item of the batch."""

    sent: Sent
    sub: WireSubmission
    position: int


@dataclass(frozen=True)
class _SameAs:
    """An item whose id an earlier item of this batch is storing."""

    sent: Sent
    first: _Accept


_Plan = PushItemResult | _Accept | _SameAs


def push_batch(session: Session, station_id: str, items: list[Any], catalogue: Catalogue,
               attachments: AttachmentStore, now: float) -> list[PushItemResult]:
    """Store the batch's new items and answer every item, in the caller's transaction
    (which holds the station's row lock)."""
    looks = [first_look(index, raw) for index, raw in enumerate(items)]
    sent = [s for s in looks if isinstance(s, Sent)]
    stored = _stored(session, station_id, {s.sid for s in sent if s.may_be_stored})
    new = [s for s in sent if s.sid not in stored]
    verdicts = {s.index: checked(s, catalogue) for s in new}
    missing = set(attachments.missing(session, set().union(
        *(v.needed for v in verdicts.values() if isinstance(v, Checked)))))
    plans: list[_Plan] = []
    claimed: dict[str, _Accept] = {}
    for look in looks:
        if not isinstance(look, Sent):
            plans.append(look)
        elif look.sid in stored:
            plans.append(answer_stored(look, *stored[look.sid]))
        elif look.may_be_stored and look.sid in claimed:
            plans.append(_SameAs(look, claimed[look.sid]))
        else:
            verdict = verdicts[look.index]
            if not isinstance(verdict, Checked):
                plans.append(verdict)
            elif lacking := sorted(verdict.needed & missing):
                plans.append(retry(look, lacking))
            else:
                claimed[look.sid] = _Accept(look, verdict.sub, len(claimed))
                plans.append(claimed[look.sid])
    at = iso_utc(now)  # once: the rows, their events and every stored answer name the same
    receipts = _store(session, station_id, list(claimed.values()), now, at)
    return [_answer(plan, receipts, at) for plan in plans]


def _stored(session: Session, station_id: str,
            sids: set[str]) -> dict[str, tuple[str, str, str]]:
    """Content hash, receipt and arrival of each of `sids` this station has stored."""
    if not sids:
        return {}
    conn = session.connection()
    postgres = _postgres(conn)
    rows = conn.execute(_stored_query(postgres), {
        "stored_station": station_id,
        **one_of_param(SUBMISSIONS.c.submission_id, sorted(sids), postgres)})
    return {sid: (digest, receipt, at) for sid, digest, receipt, at in rows}


def _store(session: Session, station_id: str, accepts: list[_Accept],
           now: float, at: str) -> list[str]:
    """Insert the accepted items with consecutive receipt numbers; their receipts by
    position."""
    if not accepts:
        return []
    conn = session.connection()
    postgres = _postgres(conn)
    day = china_day(now)
    last = conn.execute(_counter_upsert(postgres), {
        "counter_station": station_id, "counter_day": day, "counter_add": len(accepts),
    }).scalar_one()
    first = int(last) - len(accepts) + 1
    receipts = [receipt_number(station_id, day, first + a.position) for a in accepts]
    rows = [row_values(station_id, a.sub, a.sent, receipts[a.position], at) for a in accepts]
    inserted = conn.execute(_insert_new(tuple(rows[0]), postgres),
                            rows_param(SUBMISSIONS, rows, postgres)).scalars().all()
    if len(inserted) != len(rows):
        raise BulkMiss(f"{len(rows) - len(inserted)} of {len(rows)} rows already there")
    events = [{"station_id": station_id, "receipt_no": receipts[a.position],
               "submission_id": a.sub.submission_id, "status": INITIAL_STATUS.value,
               "at": at, "note": ""}
              for a in accepts]
    conn.execute(_insert_events(tuple(events[0]), postgres),
                 rows_param(EVENTS, events, postgres))
    return receipts


# The statements, built once per dialect (and columns): they hold no values, and building
# them for every batch cost about as much CPU as running them. Keyed by plain values only.

@functools.cache
def _stored_query(postgres: bool) -> Select[Any]:
    return (select(SUBMISSIONS.c.submission_id, SUBMISSIONS.c.content_sha256,
                   SUBMISSIONS.c.receipt_no, SUBMISSIONS.c.received_at)
            .where(SUBMISSIONS.c.station_id == bindparam("stored_station"),
                   is_one_of(SUBMISSIONS.c.submission_id, postgres)))


@functools.cache
def _counter_upsert(postgres: bool) -> ReturningInsert[Any]:
    """Advance the day's receipt counter by the number accepted; the new last number."""
    counter = _insert(COUNTERS, postgres).values(
        station_id=bindparam("counter_station"), day=bindparam("counter_day"),
        last_seq=bindparam("counter_add"))
    return counter.on_conflict_do_update(
        index_elements=[COUNTERS.c.station_id, COUNTERS.c.day],
        set_={"last_seq": COUNTERS.c.last_seq + counter.excluded.last_seq},
    ).returning(COUNTERS.c.last_seq)


@functools.cache
def _insert_new(columns: tuple[str, ...], postgres: bool) -> ReturningInsert[Any]:
    return insert_rows(SUBMISSIONS, columns, postgres).on_conflict_do_nothing().returning(
        SUBMISSIONS.c.submission_id)


@functools.cache
def _insert_events(columns: tuple[str, ...], postgres: bool
                   ) -> postgresql.Insert | sqlite.Insert:
    return insert_rows(EVENTS, columns, postgres)


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _insert(table: Table, postgres: bool) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which knows ON CONFLICT."""
    return postgresql.insert(table) if postgres else sqlite.insert(table)


def _answer(plan: _Plan, receipts: list[str], received_at: str) -> PushItemResult:
    if isinstance(plan, _Accept):
        return accepted(plan.sent, receipts[plan.position])
    if isinstance(plan, _SameAs):
        first = plan.first
        return answer_stored(plan.sent, first.sent.digest, receipts[first.position],
                             received_at)
    return plan
