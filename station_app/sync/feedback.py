"""Feedback step: ratings and follow-up closures to ``POST /v1/feedback``, after the push.

The same discipline as the push of submissions (sync/push.py): bounded batches of the bytes
stored at save time, joined and never re-serialised; every answer of a batch applied in one
transaction; only an explicit per-item answer acknowledges or sets aside an item; a transport
failure or an unreadable reply counts an attempt, schedules the next with backoff and ends
the run ("outcome unknown"). ``retry`` (the district lacks the case or the rating yet) keeps
the item pending with backoff. Items wait, without attempts, until their case (and, for a
closure, its rating) is acknowledged (store.feedback_outbox).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from station_app.store.feedback_outbox import (
    mark_feedback_acked,
    mark_feedback_attention,
    next_feedback_attempt,
    pending_feedback,
    record_feedback_failure,
)
from station_app.sync.errors import OutcomeUnknown, SyncError
from station_app.sync.run import RunEnv, SessionFactory
from station_app.wire.feedback import (
    MAX_FEEDBACK_BYTES,
    MAX_FEEDBACK_ITEMS,
    FeedbackItemResult,
    feedback_body,
)


@dataclass(frozen=True)
class PendingFeedback:
    item_id: str
    body: bytes
    attempts: int


def send_feedback(env: RunEnv) -> None:
    """Send every sendable, due item, batch by batch, until none is left or the run stops."""
    tried: set[str] = set()  # answered "retry" this run: wait for their backoff
    while not env.stop():
        batch = _batch(env, tried)
        if not batch:
            return
        _exchange(env, batch, tried)


def _batch(env: RunEnv, tried: set[str]) -> list[PendingFeedback]:
    with env.sessions() as s:
        rows = pending_feedback(s, limit=MAX_FEEDBACK_ITEMS + len(tried), now=env.clock(),
                                max_delay=timedelta(seconds=env.options.policy.cap))
        due = [PendingFeedback(r.item_id, bytes(r.body), r.attempts) for r in rows
               if r.item_id not in tried]
    batch: list[PendingFeedback] = []
    size = len(feedback_body(env.station_id, []))
    for p in due[:MAX_FEEDBACK_ITEMS]:
        size += len(p.body) + 1
        if batch and size > MAX_FEEDBACK_BYTES:
            break
        batch.append(p)
    return batch


def _exchange(env: RunEnv, batch: list[PendingFeedback], tried: set[str]) -> None:
    ids = [p.item_id for p in batch]
    body = feedback_body(env.station_id, [p.body for p in batch])
    env.hook("feedback")
    try:
        results = env.client.feedback(body, ids, env.deadline)
    except SyncError as e:
        _failed(env, batch, str(e), e.retry_after if isinstance(e, OutcomeUnknown) else None)
        raise
    _apply(env, batch, results, tried)


def _failed(env: RunEnv, batch: list[PendingFeedback], error: str,
            retry_after: float | None) -> None:
    wait = env.options.policy.delay(max(p.attempts for p in batch) + 1, env.rng, retry_after)
    with env.sessions() as s:
        record_feedback_failure(s, [p.item_id for p in batch], error,
                                env.clock() + timedelta(seconds=wait))


def _apply(env: RunEnv, batch: list[PendingFeedback], results: list[FeedbackItemResult],
           tried: set[str]) -> None:
    """All answers of the batch in one transaction (invariant 3)."""
    counts: Counter[str] = Counter()
    with env.sessions() as s:
        now = env.clock()
        for p, r in zip(batch, results, strict=True):
            counts[r.outcome] += 1
            if r.receipt_no is not None:
                mark_feedback_acked(s, p.item_id, r.receipt_no, at=now)
            elif r.outcome in ("rejected", "conflict"):
                mark_feedback_attention(s, p.item_id, f"区后台未收下此评价：{r.reason}", at=now)
            else:  # retry: the district lacks the case or the rating yet
                tried.add(p.item_id)
                wait = env.options.policy.delay(p.attempts + 1, env.rng)
                record_feedback_failure(s, [p.item_id], r.reason or "区后台要求稍后重发",
                                        now + timedelta(seconds=wait))
    rep = env.report
    rep.feedback_acked += counts["accepted"] + counts["duplicate"]
    rep.feedback_refused += counts["rejected"] + counts["conflict"]


def next_feedback_due_in(sessions: SessionFactory, now: datetime, cap: float) -> float | None:
    """Seconds until the earliest sendable item is due (None: nothing sendable waits)."""
    with sessions() as s:
        waiting, at = next_feedback_attempt(s)
    if not waiting:
        return None
    if at is None:
        return 0.0
    wait = (at - now).total_seconds()
    return wait if 0.0 <= wait <= cap else 0.0
