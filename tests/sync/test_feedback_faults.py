"""好差评 to the real district backend through the fault proxy (fault_proxy.py): a rating and
its follow-up closure arrive exactly once, filed under the case's receipt number, whatever
is lost on the way; a rating waits for its case, a closure for its rating; ``stats --json``
counts them per station and level. Runs on SQLite and, with REDSTATION_PG_URL, PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.services.context import StationContext
from station_app.services.ratings import close_case_followup, rate_case
from station_app.sync.engine import SyncEngine
from tests.helpers.backend import RunningBackend
from tests.helpers.station import STATION_ID
from tests.helpers.sync_harness import FakeClock, Submit, district_stats, local_state

from . import proxy_faults
from .fault_proxy import FaultProxy
from .proxy_fixtures import backend, backend_db, clock, make_engine, proxy, station

# the proxy fixtures, taken by name (see proxy_fixtures.py)
__all__ = ["backend", "backend_db", "clock", "make_engine", "proxy", "station"]

pytestmark = pytest.mark.timeout(120)
FEEDBACK = "/v1/feedback"


def _district(backend: RunningBackend, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def _queue(station: StationContext) -> list[tuple[Any, ...]]:
    with station.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT kind, state, receipt_no, attempts FROM feedback_outbox ORDER BY id")).all()]


def test_rating_and_closure_arrive_once_when_each_answer_is_lost(
        station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine]) -> None:
    sid = submit().id
    saved = rate_case(station, sid, Rating.VERY_DISSATISFIED, RatingReason.ATTITUDE, "态度生硬")
    assert saved is not None
    assert close_case_followup(station, saved.rating_id, "已电话回访，当面致歉")
    proxy.script(proxy_faults.drop_after_commit(), path=FEEDBACK)
    engine = make_engine()

    first = engine.run_once()  # the case goes; the rating is stored, its answer lost
    assert first.error and "连接中断" in first.error and first.accepted == 1
    assert _queue(station) == [("rating", "pending", None, 1), ("closure", "pending", None, 0)]
    assert len(_district(backend, "SELECT rating_id FROM ratings")) == 1

    # the rating's resend gets through ("duplicate"); the closure's answer is lost, once
    proxy.script(proxy_faults.passthrough(), proxy_faults.drop_after_commit(), path=FEEDBACK)
    total = engine.drain(clock.monotonic() + 3600)
    assert total.error is None and not total.more_pending, total.lines()
    receipt = local_state(station, sid)[0].receipt_no
    assert receipt is not None
    assert _queue(station) == [("rating", "acked", receipt, 1), ("closure", "acked", receipt, 1)]
    assert _district(backend, "SELECT rating_id, receipt_no, level, reason FROM ratings") == [
        (saved.rating_id, receipt, "very_dissatisfied", "attitude")]
    assert _district(backend, "SELECT rating_id, receipt_no, notes FROM followup_closures") == [
        (saved.rating_id, receipt, "已电话回访，当面致歉")]
    assert [s.fault for s in proxy.requests("POST", FEEDBACK)] == [
        "drop after commit", "pass", "drop after commit", "pass"]
    stats = district_stats(backend)[STATION_ID]
    assert stats["ratings"] == {"very_dissatisfied": 1}
    assert (stats["followups_open"], stats["followups_closed"]) == (0, 1)


def test_a_rating_waits_for_its_case_and_a_later_rating_joins_it(
        station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine]) -> None:
    sid = submit().id
    assert rate_case(station, sid, Rating.DISSATISFIED, RatingReason.EFFICIENCY) is not None
    proxy.script(proxy_faults.error(503), path="/v1/push")
    engine = make_engine()
    failed = engine.run_once()
    assert failed.error and "HTTP 503" in failed.error
    assert proxy.requests("POST", FEEDBACK) == []  # not before the district has the case
    assert _queue(station) == [("rating", "pending", None, 0)]

    clock.advance(engine.backoff_remaining() + 3600)
    assert engine.drain(clock.monotonic() + 3600).error is None
    clock.advance(86400)  # the resident comes back another day and is pleased
    assert rate_case(station, sid, Rating.VERY_SATISFIED) is not None
    again = engine.run_once()
    assert again.ok and again.feedback_acked == 1
    receipt = local_state(station, sid)[0].receipt_no
    rows = _district(backend, "SELECT receipt_no, level FROM ratings ORDER BY id")
    assert rows == [(receipt, "dissatisfied"), (receipt, "very_satisfied")]
    stats = district_stats(backend)[STATION_ID]
    assert stats["ratings"] == {"dissatisfied": 1, "very_satisfied": 1}
    assert (stats["followups_open"], stats["followups_closed"]) == (1, 0)
    rc, out, _ = backend.cli("stats")
    assert rc == 0 and f"{STATION_ID}\t1\t0\t0\t0\t0\t2\t1\t1\t0" in out
