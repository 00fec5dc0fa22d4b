"""Push step: attachments first, then bounded batches of stored bytes, then the answers.

Bodies are joined as stored (never re-serialised), so a retry sends the same bytes and the
district's content hash matches (invariant 2). All answers of one batch are applied in one
transaction; a transport failure only counts an attempt and schedules the next one. A batch
refused in a way one item may have caused is split to find that item (sync/isolate.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from station_app.store.models import OutboxEntry, OutboxState
from station_app.store.outbox import (
    mark_acked_many,
    mark_needs_attention,
    mark_sending,
    pending_outbox,
    record_attempt_failure,
    reset_sending,
)
from station_app.sync.attachments import needed_hashes
from station_app.sync.errors import DeadlineReached, OutcomeUnknown, SyncError
from station_app.sync.isolate import isolate, may_be_one_item
from station_app.sync.run import RunEnv, SessionFactory
from station_app.wire.protocol import PushItemResult, push_body


@dataclass(frozen=True)
class Pending:
    submission_id: str
    body: bytes
    attempts: int


def take_batch(pending: list[Pending], station_id: str, max_items: int, max_bytes: int,
               hard_bytes: int | None = None) -> tuple[list[Pending], list[Pending]]:
    """The longest prefix within ``max_items``/``max_bytes`` (at least one item), and the
    items that can never be sent because alone they exceed ``hard_bytes`` (the protocol's
    limit; defaults to ``max_bytes``)."""
    hard = max_bytes if hard_bytes is None else hard_bytes
    size = len(push_body(station_id, []))
    batch: list[Pending] = []
    too_big: list[Pending] = []
    for p in pending:
        alone = len(push_body(station_id, [p.body]))
        if alone > hard:
            too_big.append(p)
            continue
        grown = size + len(p.body) + (1 if batch else 0)
        if batch and (grown > max_bytes or len(batch) == max_items):
            break
        size = grown
        batch.append(p)
    return batch, too_big


def push_pending(env: RunEnv) -> None:
    with env.sessions() as s:
        reset_sending(s)  # one sender: anything still "sending" is left from a crash
    resent: set[str] = set()  # got "retry" once this run and were resent at once
    held: set[str] = set()  # tried this run and still pending: wait for their backoff
    while not env.stop():
        pending = _due(env, held)
        if not pending:
            return
        batch, too_big = take_batch(pending, env.station_id, env.limits.items,
                                    env.limits.bytes, env.options.batch_bytes)
        if too_big:
            _set_aside(env, {p.submission_id: "办件内容超过单次上传的大小上限，无法发送"
                             for p in too_big})
        batch = _with_attachments(env, batch)
        if batch and not env.stop():
            _send(env, batch, resent, held)
    env.report.more_pending = bool(_due(env, held))


def _due(env: RunEnv, held: set[str]) -> list[Pending]:
    with env.sessions() as s:
        rows = pending_outbox(s, limit=env.options.batch_items + len(held), now=env.clock(),
                              max_delay=timedelta(seconds=env.options.policy.cap))
        due = [Pending(r.submission_id, bytes(r.body), r.attempts) for r in rows
               if r.submission_id not in held]
    return due[:env.limits.items]


def _set_aside(env: RunEnv, reasons: dict[str, str]) -> None:
    """Problems no retry can fix: the item goes to 需处理, the rest of the queue moves on."""
    with env.sessions() as s:
        for sid, reason in reasons.items():
            mark_needs_attention(s, sid, reason, at=env.clock())
    env.report.local_problems += len(reasons)


def _with_attachments(env: RunEnv, batch: list[Pending]) -> list[Pending]:
    """Upload what the batch names and the district lacks; set aside items whose files are
    gone here. Returns the items that may be sent now ([] when the run must stop)."""
    needs = {p.submission_id: needed_hashes(p.body) for p in batch}
    lost: set[str] = set()
    for sha in sorted(set().union(*needs.values()) - env.uploaded):
        if env.stop():
            return []
        if not env.client.has_attachment(sha, env.deadline):
            data = env.attachments.read(sha) if env.attachments is not None else None
            if data is None:
                lost.add(sha)
                continue
            env.client.put_attachment(sha, data, env.deadline)
            env.report.uploaded_attachments += 1
        env.uploaded.add(sha)
    unusable = {sid: f"附件 {'、'.join(h[:12] + '…' for h in sorted(hashes & lost))} "
                     "在本机找不到或已损坏，区后台也没有，无法发送；请重新扫描后重新提交"
                for sid, hashes in needs.items() if hashes & lost}
    if unusable:
        _set_aside(env, unusable)
    return [p for p in batch if p.submission_id not in unusable]


def _send(env: RunEnv, batch: list[Pending], resent: set[str], held: set[str]) -> None:
    try:
        _exchange(env, batch, resent, held)
    except DeadlineReached:
        with env.sessions() as s:
            reset_sending(s)  # nothing left the station
        raise
    except OutcomeUnknown as e:
        if e.status == 413 and len(batch) > 1:  # refused unread: resend in smaller parts
            body = push_body(env.station_id, [p.body for p in batch])
            env.limits.shrink(len(batch), len(body))
            with env.sessions() as s:
                reset_sending(s)
            return
        env.report.sent += len(batch)
        if not may_be_one_item(e):
            _failed(env, batch, e)
            raise
        isolate(env, batch, e, lambda part: _resend_part(env, part, resent, held),
                lambda items, error: _failed(env, items, error))
        return
    except SyncError as e:
        env.report.sent += len(batch)
        _failed(env, batch, e)
        raise
    env.report.sent += len(batch)


def _exchange(env: RunEnv, batch: list[Pending], resent: set[str], held: set[str]) -> None:
    """One POST /v1/push of these stored bodies, and its answers applied."""
    ids = [p.submission_id for p in batch]
    body = push_body(env.station_id, [p.body for p in batch])
    with env.sessions() as s:
        mark_sending(s, ids)
    env.hook("pushing")
    results = env.client.push(body, ids, env.deadline)
    env.hook("replied")
    _apply(env, batch, results, resent, held)
    env.hook("applied")


def _resend_part(env: RunEnv, part: list[Pending], resent: set[str],
                 held: set[str]) -> OutcomeUnknown | None:
    """A part of a split batch (the same stored bytes): None when answered, the failure when
    it may still be one item's; anything else is raised (and ends the search)."""
    try:
        _exchange(env, part, resent, held)
    except OutcomeUnknown as e:
        if may_be_one_item(e) or (e.status == 413 and len(part) > 1):
            return e
        raise
    return None


def _failed(env: RunEnv, batch: list[Pending], error: SyncError) -> None:
    """Outcome unknown: count the attempt, keep the items pending, schedule the next one."""
    retry_after = error.retry_after if isinstance(error, OutcomeUnknown) else None
    wait = env.options.policy.delay(max(p.attempts for p in batch) + 1, env.rng, retry_after)
    with env.sessions() as s:
        record_attempt_failure(s, [p.submission_id for p in batch], str(error),
                               env.clock() + timedelta(seconds=wait))


def _apply(env: RunEnv, batch: list[Pending], results: list[PushItemResult],
           resent: set[str], held: set[str]) -> None:
    """All answers of the batch in one transaction (invariant 3); the receipts, which are
    nearly all of them, with set-based statements."""
    counts: Counter[str] = Counter()
    missing: set[str] = set()
    with env.sessions() as s:
        now = env.clock()
        # accepted or duplicate (the model enforces a receipt number on those)
        answered = [(p.submission_id, r.receipt_no) for p, r in zip(batch, results, strict=True)
                    if r.receipt_no is not None]
        mark_acked_many(s, answered, at=now)
        for p, r in zip(batch, results, strict=True):
            sid = p.submission_id
            counts[r.outcome] += 1
            if r.receipt_no is not None:
                continue  # applied above
            if r.outcome == "rejected":
                mark_needs_attention(s, sid, f"区后台拒收：{r.reason}", at=now)
            elif r.outcome == "conflict":
                mark_needs_attention(s, sid, f"区后台报告编号冲突：{r.reason}", at=now)
            else:  # retry: upload what it names, then resend the same bytes
                missing.update(r.missing_attachments)
                wait = 0.0
                if sid in resent:
                    wait = env.options.policy.delay(p.attempts + 1, env.rng)
                    held.add(sid)
                resent.add(sid)
                record_attempt_failure(s, [sid], r.reason or "等待附件",
                                       now + timedelta(seconds=wait))
    env.uploaded.difference_update(missing)
    rep = env.report
    rep.accepted += counts["accepted"]
    rep.duplicates += counts["duplicate"]
    rep.rejected += counts["rejected"]
    rep.conflicts += counts["conflict"]
    rep.retried += counts["retry"]


def next_due_in(sessions: SessionFactory, now: datetime, cap: float) -> float | None:
    """Seconds until the earliest pending entry is due (None: nothing is pending). An entry
    scheduled beyond ``cap`` counts as due now (the clock was set back)."""
    with sessions() as s:
        row = s.exec(select(OutboxEntry.id, OutboxEntry.next_attempt_at)
                     .where(col(OutboxEntry.state) == OutboxState.PENDING)
                     .order_by(col(OutboxEntry.next_attempt_at).asc().nulls_first())
                     .limit(1)).first()
    if row is None:
        return None
    if row[1] is None:
        return 0.0
    wait = (row[1] - now).total_seconds()
    return wait if 0.0 <= wait <= cap else 0.0
