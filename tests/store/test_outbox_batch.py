"""A push batch's answers applied together (``mark_acked_many``): the same per-item rules as
one answer, in a handful of statements rather than several per item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import col, select

from station_app.services.saving import save_submission
from station_app.store.audit import verify_chain
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, Submission
from station_app.store.outbox import mark_acked_many, outbox_counts
from station_app.store.submissions import status_history
from tests.helpers.statements import recorded

if TYPE_CHECKING:
    from .conftest import MakeSubmission


def test_a_hundred_answers_take_a_handful_of_statements(
        engine: Engine, make_submission: MakeSubmission) -> None:
    ids = [save_submission(engine, make_submission(payload={"n": i})).id for i in range(100)]
    with recorded(engine) as seen, session_scope(engine) as s:
        changed = mark_acked_many(s, [(sid, f"R-{i}") for i, sid in enumerate(ids)])
    assert changed == 100
    assert len(seen) <= 12, seen  # not several per item
    with session_scope(engine) as s:
        assert outbox_counts(s)["acked"] == 100
        receipts = dict(s.exec(select(Submission.id, Submission.receipt_no)).all())
        assert receipts == {sid: f"R-{i}" for i, sid in enumerate(ids)}
        assert [h.status for h in status_history(s, ids[37])][-1] == "受理"
        checked, problem = verify_chain(s)
        assert problem is None and checked >= 100


def test_one_batch_keeps_each_items_rules(engine: Engine,
                                          make_submission: MakeSubmission) -> None:
    a, b, c, d = (save_submission(engine, make_submission(payload={"n": i})).id
                  for i in range(4))
    with session_scope(engine) as s:
        assert mark_acked_many(s, [(a, "R-1")]) == 1
    with session_scope(engine) as s:
        changed = mark_acked_many(s, [
            (a, "R-other"),  # acked before: kept, the different number audited
            (b, "R-1"),  # a's number: to attention
            (c, "R-3"), (d, "R-3"),  # the same number twice in one batch: the second refused
            ("not-ours", "R-9"),  # unknown: ignored
        ])
        assert changed == 3  # b (attention), c (acked), d (attention)
    with session_scope(engine) as s:
        rows = {r.id: r for r in s.exec(select(Submission)).all()}
        assert rows[a].receipt_no == "R-1" and rows[c].receipt_no == "R-3"
        assert rows[b].sync_state == rows[d].sync_state == "needs_attention"
        assert rows[b].receipt_no is None and rows[d].receipt_no is None
        actions = [e.action for e in s.exec(select(AuditEvent)
                                            .where(col(AuditEvent.subject).in_([a, b, c, d]))
                                            .order_by(col(AuditEvent.id))).all()]
        assert actions.count("sync.receipt_mismatch") == 1
        assert actions.count("sync.needs_attention") == 2
        assert verify_chain(s)[1] is None
