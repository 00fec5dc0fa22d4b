"""One poison item never holds back the others (DESIGN invariant 8), against the real backend
on SQLite and PostgreSQL, with real failures:

* an item the backend's own bounds refuse (form_version 99999999999999999999999) is rejected
  alone and reaches 需处理 with the backend's reason;
* an item that makes the backend's database fail at COMMIT (a planted deferred constraint;
  the backend answers 500 for the whole batch) is found by splitting the batch, and reaches
  需处理 with the failure text after failing alone ``poison_after`` times;
* the other 99 are acknowledged in the same run, nothing is stored twice, and a district that
  fails as a whole (every commit) has no item blamed on it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from station_app.config import load_settings
from station_app.services.context import StationContext
from station_app.services.saving import NewSubmission, build_row, outbox_body
from station_app.services.sync_service import build_engine
from station_app.store.bulk import CaseRows, insert_cases
from station_app.store.engine import session_scope
from station_app.store.outbox import requeue
from station_app.store.refs import new_submission_id
from station_app.sync.engine import SyncEngine
from station_app.sync.run import SyncOptions
from station_app.wire.canonical import canonical_json
from tests.helpers.backend import RunningBackend
from tests.helpers.backend_faults import fail_commit, heal
from tests.helpers.postgres import DB_KINDS
from tests.helpers.station import RS04_TICKED, RS04_VALUES, STATION_ID, configure
from tests.helpers.sync_harness import (
    CATALOGUE_VERSION,
    assert_exactly_once,
    backend_received,
    local_items,
    local_state,
    queue_rs04_bulk,
)

from . import proxy_faults
from .fault_proxy import FaultProxy, running_proxy

pytestmark = pytest.mark.timeout(180)
HUGE = 99999999999999999999999


@pytest.fixture(params=DB_KINDS)
def backend_db(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def proxy(station_ctx: StationContext, station_secret: str,
          backend: RunningBackend) -> Iterator[FaultProxy]:
    """The station talks to the backend through a pass-through proxy that counts requests."""
    with running_proxy(backend.base_url) as running:
        configure(station_ctx.data_dir, running.url, station_secret)
        yield running


@pytest.fixture
def engines(station_ctx: StationContext, proxy: FaultProxy) -> Iterator[list[SyncEngine]]:
    made: list[SyncEngine] = []
    yield made
    for engine in made:
        engine.close()


def _engine(ctx: StationContext, made: list[SyncEngine], **options: Any) -> SyncEngine:
    engine = build_engine(ctx.data_dir, load_settings(ctx.data_dir), ctx.secret, ctx.engine,
                          options=SyncOptions(**options))
    made.append(engine)
    return engine


def _queue(db: Engine, n: int, poison: dict[int, dict[str, Any]] | None = None) -> list[str]:
    """``n`` RS04 cases queued in order; those at the positions in ``poison`` get the given
    wire fields changed in their stored body (as a station bug or an old release might have
    stored them)."""
    ids: list[str] = []
    marks = sorted((poison or {}).items())
    start = 0
    for at, changes in marks:
        ids += queue_rs04_bulk(db, at - start)
        new = NewSubmission(item_code="RS04", catalogue_version=CATALOGUE_VERSION,
                            form_version="1", payload=RS04_VALUES, operator="王帮办",
                            materials=RS04_TICKED)
        sub = build_row(new, new_submission_id(), datetime.now(UTC))
        body = {**json.loads(outbox_body(sub)), **changes}
        insert_cases(db, [CaseRows(sub, canonical_json(body))])
        ids.append(sub.id)
        start = at + 1
    return ids + queue_rs04_bulk(db, n - start)


def _set_aside(ctx: StationContext, sid: str) -> str:
    sub, entry = local_state(ctx, sid)
    assert (sub.sync_state, entry.state) == ("needs_attention", "needs_attention"), sid
    assert sub.attention_reason
    return sub.attention_reason


def _others_acked_once(ctx: StationContext, backend: RunningBackend,
                       poison: set[str]) -> None:
    local = local_items(ctx.engine)
    remote = backend_received(backend.db_url, STATION_ID)
    assert all(len(r) == 1 for r in remote.values()), "stored twice"
    assert set(remote) == set(local) - poison
    for sid, item in local.items():
        if sid not in poison:
            assert (item.sync_state, item.outbox_state) == ("synced", "acked"), item
            assert item.receipt_no == remote[sid][0]


def test_an_item_beyond_the_wire_bounds_is_rejected_and_99_go_in_the_same_run(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    ids = _queue(station_ctx.engine, 100, {37: {"form_version": HUGE}})
    report = _engine(station_ctx, engines).run_once()
    assert report.ok, report.lines()
    assert (report.accepted, report.rejected) == (99, 1)
    assert "form_version 数值太大" in _set_aside(station_ctx, ids[37])
    _others_acked_once(station_ctx, backend, {ids[37]})
    assert len(proxy.requests()) == 1  # the backend answered per item: nothing to split


def test_an_item_that_fails_the_backend_is_found_by_splitting_and_99_go(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    ids = _queue(station_ctx.engine, 100)
    fail_commit(backend.db_url, [ids[37]])
    report = _engine(station_ctx, engines).run_once()
    assert report.ok, report.lines()
    assert (report.accepted, report.rejected, report.sent) == (99, 1, 100)
    reason = _set_aside(station_ctx, ids[37])
    assert "单独发送 3 次均失败" in reason and "HTTP 500" in reason, reason
    _others_acked_once(station_ctx, backend, {ids[37]})
    # the batch, two halves per level on the way down to the item (7 levels), two resends
    assert 1 + 7 + 2 <= len(proxy.requests()) <= 1 + 2 * 7 + 2

    heal(backend.db_url)  # the district fixes its side; the worker puts the case back
    with session_scope(station_ctx.engine) as s:
        assert requeue(s, ids[37], actor="王帮办")
    again = _engine(station_ctx, engines).run_once()
    assert again.ok and again.accepted == 1, again.lines()
    assert_exactly_once(station_ctx.engine, backend.db_url, STATION_ID)


def test_two_poison_items_side_by_side_are_both_found(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    ids = _queue(station_ctx.engine, 40)
    poison = {ids[0], ids[1]}
    fail_commit(backend.db_url, poison)
    report = _engine(station_ctx, engines).run_once()
    assert report.ok and (report.accepted, report.rejected) == (38, 2), report.lines()
    for sid in poison:
        assert "HTTP 500" in _set_aside(station_ctx, sid)
    _others_acked_once(station_ctx, backend, poison)


def test_a_poison_item_alone_in_a_later_batch_is_set_aside_after_poison_after_tries(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    ids = _queue(station_ctx.engine, 11)
    fail_commit(backend.db_url, [ids[10]])
    report = _engine(station_ctx, engines, batch_items=10, poison_after=2).run_once()
    assert report.ok and (report.accepted, report.rejected) == (10, 1), report.lines()
    assert "单独发送 2 次均失败" in _set_aside(station_ctx, ids[10])
    assert len(proxy.requests()) == 3  # the batch of 10, then the last item twice alone
    _others_acked_once(station_ctx, backend, {ids[10]})


def test_a_district_failing_as_a_whole_has_no_item_blamed(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    ids = _queue(station_ctx.engine, 100)
    fail_commit(backend.db_url, None)  # every push fails at COMMIT
    engine = _engine(station_ctx, engines)
    report = engine.run_once()
    assert report.error and "HTTP 500" in report.error and report.acked == 0
    items = local_items(station_ctx.engine)
    assert {(i.sync_state, i.outbox_state, i.attempts) for i in items.values()} == {
        ("queued", "pending", 1)}
    assert len(proxy.requests()) <= 1 + (100 - 1).bit_length() + 3  # bounded, then it stops
    assert backend_received(backend.db_url, STATION_ID) == {}

    heal(backend.db_url)
    total = engine.drain(time.monotonic() + 120)  # sleeps through the short first backoff
    assert total.acked == len(ids) and total.error is None, total.lines()
    assert_exactly_once(station_ctx.engine, backend.db_url, STATION_ID)


def test_a_one_off_500_on_a_batch_heals_in_the_same_run(
        station_ctx: StationContext, backend: RunningBackend, proxy: FaultProxy,
        engines: list[SyncEngine]) -> None:
    """Transient: the halves go through at once; exactly once, nothing set aside."""
    ids = _queue(station_ctx.engine, 4)
    proxy.script(proxy_faults.error(500))
    report = _engine(station_ctx, engines).run_once()
    assert report.ok and report.accepted == 4 and report.rejected == 0, report.lines()
    assert [s.fault for s in proxy.requests()] == ["500", "pass", "pass"]  # 4, then 2 + 2
    receipts = assert_exactly_once(station_ctx.engine, backend.db_url, STATION_ID)
    assert set(receipts) == set(ids)


def test_poison_after_is_checked() -> None:
    with pytest.raises(ValueError, match="poison_after"):
        SyncOptions(poison_after=0)
    assert SyncOptions().poison_after == 3

