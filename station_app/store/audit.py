"""The audit trail: append chained rows, read the head, verify the whole chain.

Appends happen inside the caller's transaction (``BEGIN IMMEDIATE`` makes them one writer at a
time), so a row, the head and the change they record commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from station_app.domain.audit_chain import GENESIS, row_hash
from station_app.store.coltypes import to_utc_text, utcnow
from station_app.store.driver_transaction import DriverTransaction
from station_app.store.models import AuditEvent, AuditHead
from station_app.store.prepared import Prepared, table_of


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


def append_audit(session: Session, actor: str, action: str, subject: str | None = None,
                 detail: dict[str, Any] | None = None, *,
                 at: datetime | None = None) -> AuditEvent:
    """Add a chained audit row to the caller's transaction."""
    head = session.get(AuditHead, 1)
    if head is None:  # a database made before the chain existed is migrated first; be safe
        head = AuditHead(id=1, seq=0, hash=GENESIS)
    [row], head.seq, head.hash = _chained(head.seq, head.hash,
                                          [(actor, action, subject, detail or {})],
                                          at or utcnow())
    event = AuditEvent(**row)
    session.add_all([event, head])
    return event


AuditEntry = tuple[str, str, str | None, dict[str, Any]]  # actor, action, subject, detail


def append_audits(session: Session, entries: list[AuditEntry], *, at: datetime) -> int:
    """Add many chained rows at once (a sync batch's acknowledgements): the chain is computed
    here and the rows go in with one multi-row statement; the head is moved once. Returns
    the sequence number of the last row (the head's, when ``entries`` is empty)."""
    head = session.get(AuditHead, 1)
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
    rows, seq, digest = _chained(head.seq, head.hash, entries, at)
    if rows:  # one executemany on the session's connection (the ORM's bulk insert cost more)
        _INSERT_EVENT.run_many(session.connection(), rows)
        head.seq, head.hash = seq, digest
        session.add(head)
    return seq


_AUDIT_EVENT, _AUDIT_HEAD = table_of(AuditEvent), table_of(AuditHead)
_READ_HEAD = Prepared(select(_AUDIT_HEAD.c.seq, _AUDIT_HEAD.c.hash).where(_AUDIT_HEAD.c.id == 1))
_INSERT_EVENT = Prepared.insert(_AUDIT_EVENT, with_row_id=True)  # the id is the chain's seq
_MOVE_HEAD = Prepared(
    sqlite_insert(_AUDIT_HEAD).values(id=1, seq=bindparam("seq"), hash=bindparam("hash"))
    .on_conflict_do_update(index_elements=[_AUDIT_HEAD.c.id],
                           set_={"seq": bindparam("seq"), "hash": bindparam("hash")}))


_FOLLOW_HEAD = Prepared(
    update(_AUDIT_HEAD)
    .where(_AUDIT_HEAD.c.id == 1, _AUDIT_HEAD.c.seq == bindparam("prev_seq"),
           _AUDIT_HEAD.c.hash == bindparam("prev_hash"))
    .values(seq=bindparam("seq"), hash=bindparam("hash")))
_KNOWN_HEAD = "audit_head"  # key in the connection's info: the head this connection last wrote


def append_audit_row(tx: DriverTransaction, actor: str, action: str, subject: str | None,
                     detail: dict[str, Any], *, at: datetime) -> int:
    """:func:`append_audit` inside a driver transaction (saving a case), without ORM objects.
    Returns the row's sequence number.

    The head this connection last wrote is remembered on it: the row is chained after it and
    the head moved only if the table still holds exactly that head (one guarded UPDATE, then
    the row: two statements). When it does not — another connection or a session appended
    since, or the transaction that wrote it rolled back — the head is read and moved as
    before (three statements), so the chain never forks on a stale memory."""
    entry: AuditEntry = (actor, action, subject, detail)
    known = tx.info.get(_KNOWN_HEAD)
    if known is not None:
        rows, seq, digest = _chained(known[0], known[1], [entry], at)
        moved = tx.run(_FOLLOW_HEAD, {"prev_seq": known[0], "prev_hash": known[1],
                                      "seq": seq, "hash": digest}).rowcount
        if moved == 1:
            tx.run(_INSERT_EVENT, rows[0])
            tx.info[_KNOWN_HEAD] = (seq, digest)
            return seq
    found = tx.run(_READ_HEAD, {}).fetchone()
    head = (0, GENESIS) if found is None else (int(found[0]), str(found[1]))
    rows, seq, digest = _chained(head[0], head[1], [entry], at)
    tx.run(_INSERT_EVENT, rows[0])
    tx.run(_MOVE_HEAD, {"seq": seq, "hash": digest})
    tx.info[_KNOWN_HEAD] = (seq, digest)
    return seq


def _chained(seq: int, prev: str, entries: list[AuditEntry],
             at: datetime) -> tuple[list[dict[str, Any]], int, str]:
    """The rows for ``entries`` chained after head ``(seq, prev)``, and the new head."""
    when = to_utc_text(at)
    rows: list[dict[str, Any]] = []
    for actor, action, subject, detail in entries:
        seq += 1
        digest = row_hash(prev, seq, when, actor, action, subject, detail)
        rows.append({"id": seq, "at": at, "actor": actor, "action": action,
                     "subject": subject, "detail": detail, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows, seq, prev


def chain_head(session: Session) -> ChainHead:
    head = session.get(AuditHead, 1)
    return ChainHead(0, GENESIS) if head is None else ChainHead(head.seq, head.hash)


def hash_at(session: Session, seq: int) -> str | None:
    """The chain hash after row ``seq`` (GENESIS for 0); None when there is no such row."""
    if seq == 0:
        return GENESIS
    event = session.get(AuditEvent, seq)
    return None if event is None else event.hash


@dataclass(frozen=True)
class ChainProblem:
    """The first place the chain does not hold; ``seq`` is the row to look at."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"审计记录第 {self.seq} 条：{self.reason}"


def verify_chain(session: Session, *, batch: int = 5000) -> tuple[int, ChainProblem | None]:
    """Walk every row in order; return (rows checked, first problem or None)."""
    prev, expected, last_id = GENESIS, 1, 0
    while True:
        rows = session.exec(select(AuditEvent).where(col(AuditEvent.id) > last_id)
                            .order_by(col(AuditEvent.id)).limit(batch)).all()
        for row in rows:
            assert row.id is not None
            if row.id != expected:
                return expected - 1, ChainProblem(expected, f"缺失（下一条是第 {row.id} 条）")
            if row.prev_hash != prev:
                return expected - 1, ChainProblem(row.id, "与前一条不衔接（记录被删改或调换）")
            digest = row_hash(prev, row.id, to_utc_text(row.at), row.actor, row.action,
                              row.subject, row.detail)
            if row.hash != digest:
                return expected - 1, ChainProblem(row.id, "内容被改动")
            prev, expected, last_id = digest, expected + 1, row.id
        if len(rows) < batch:
            break
    head = chain_head(session)
    checked = expected - 1
    if head.seq != checked or head.hash != prev:
        missing = head.seq - checked
        why = f"末尾缺少 {missing} 条" if missing > 0 else "链头与记录不符"
        return checked, ChainProblem(max(head.seq, checked), why)
    return checked, None
