"""The district is unreachable for a week while 10,000 cases wait; then it comes back.

The station's scheduler is played tick by tick (the push job every 60 s) on a clock the test
moves, against the real backend behind the fault proxy: three days of refused connections,
two of 503 with Retry-After (seconds and HTTP-date, some beyond the 15-minute cap), two of
500s and resets. Checked on the way: no attempt while backing off, every wait within the
15-minute cap unless the server asked for more (then exactly what it asked, clamped to an
hour), the scheduler never idle longer than the cap allows, and no case scheduled further
ahead than that. Then the backend answers again and a drain delivers all 10,000 exactly once.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from station_app.config import load_settings
from station_app.services.context import StationContext
from station_app.services.sync_service import build_engine
from station_app.store.engine import session_scope
from station_app.store.models import OutboxEntry
from station_app.sync.backoff import RETRY_AFTER_MAX
from tests.helpers.backend import RunningBackend, serve_backend
from tests.helpers.station import STATION_ID, configure
from tests.helpers.sync_harness import (
    FakeClock,
    assert_exactly_once,
    backend_received,
    cases_list_json,
    district_stats,
    local_items,
    queue_rs04_bulk,
)

from . import proxy_faults
from .fault_proxy import running_proxy
from .proxy_faults import Fault

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]

QUEUED = 10_000
TICK = 60.0  # the push job's interval
DAY = 24 * 3600.0
CAP = 15 * 60.0
SLACK = 5.0  # real seconds that pass while the test runs


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def backend(tmp_path: Path, clock: FakeClock) -> Iterator[RunningBackend]:
    with serve_backend(tmp_path, clock=clock.time) as running:
        yield running


@dataclass
class Attempt:
    at: float  # the simulated clock, seconds since the outage began
    wait: float  # the engine's next_run_hint
    asked: float | None  # Retry-After the proxy sent, in seconds


def _fault_for(day: float, clock: FakeClock, rng: random.Random) -> tuple[Fault, float | None]:
    """The failure of the moment, and the Retry-After it carries."""
    if day < 5:
        asked = rng.choice([30.0, 120.0, 600.0, 1800.0, 86_400.0])
        if rng.random() < 0.5:
            return proxy_faults.error(503, str(int(asked))), min(asked, RETRY_AFTER_MAX)
        when = clock.now() + timedelta(seconds=asked)
        return proxy_faults.error(503, proxy_faults.http_date(when)), min(asked, RETRY_AFTER_MAX)
    return (proxy_faults.error(500), None) if rng.random() < 0.5 else (proxy_faults.reset(), None)


def test_a_week_offline_then_ten_thousand_arrive_exactly_once(
        station_ctx: StationContext, station_secret: str, backend: RunningBackend,
        clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(1125)
    sids = queue_rs04_bulk(station_ctx.engine, QUEUED, at=clock.now())
    with running_proxy(backend.base_url, clock=clock.time) as proxy:
        configure(station_ctx.data_dir, proxy.url, station_secret)
        engine = build_engine(station_ctx.data_dir, load_settings(station_ctx.data_dir),
                              station_ctx.secret, station_ctx.engine, clock=clock.now,
                              monotonic=clock.monotonic, sleep=clock.sleep,
                              rng=random.Random(11).random)
        try:
            start = clock.time()
            attempts: list[Attempt] = []
            proxy.go_down()
            ticks = deferred = 0
            while (elapsed := clock.time() - start) < 7 * DAY:
                day = elapsed / DAY
                asked = None
                if day >= 3:
                    proxy.come_up()
                    fault, asked = _fault_for(day, clock, rng)
                    proxy.set_default(fault)
                report = engine.run_once()  # what the push job does every minute
                ticks += 1
                if report.deferred:
                    deferred += 1
                    assert report.sent == 0 and report.error
                else:
                    assert report.error and report.acked == 0 and report.sent == 100
                    assert report.next_run_hint is not None
                    attempts.append(Attempt(elapsed, report.next_run_hint, asked))
                    _check_schedule(station_ctx, clock, asked)
                clock.advance(TICK)

            _check_backoff(attempts)
            assert deferred > ticks * 0.8  # mostly waiting, not hammering the district
            assert len(backend_received(backend.db_url)) == 0
            items = local_items(station_ctx.engine)
            assert {(i.sync_state, i.outbox_state) for i in items.values()} == {
                ("queued", "pending")}
            assert sum(i.attempts for i in items.values()) == 100 * len(attempts)

            proxy.clear()  # the district is back
            total = engine.drain(clock.monotonic() + DAY)
            assert total.error is None and not total.more_pending, total.lines()
            assert (total.accepted, total.duplicates) == (QUEUED, 0)
            feed = engine.run_once(push=False, changes=True)  # and the feed catches up
            assert feed.ok and feed.pulled_changes == QUEUED
        finally:
            engine.close()

    receipts = assert_exactly_once(station_ctx.engine, backend.db_url, STATION_ID)
    assert sorted(receipts) == sorted(sids)
    stats = district_stats(backend)[STATION_ID]
    assert (stats["received"], stats["duplicates"]) == (QUEUED, 0)
    cases = cases_list_json(station_ctx.data_dir, capsys)
    assert len(cases) == QUEUED and {c["sync_state"] for c in cases} == {"synced"}


def _check_schedule(station: StationContext, clock: FakeClock, asked: float | None) -> None:
    """No queued case is scheduled beyond the cap, or beyond what the server asked."""
    with session_scope(station.engine) as s:
        latest = s.exec(select(func.max(OutboxEntry.next_attempt_at))
                        .where(OutboxEntry.state == "pending")).one()
    assert latest is not None
    assert (latest - clock.now()).total_seconds() <= max(CAP, asked or 0.0) + SLACK


def _check_backoff(attempts: list[Attempt]) -> None:
    assert len(attempts) > 7 * DAY / (CAP + TICK) / 2, "backed off far longer than the cap"
    for this, after in itertools.pairwise(attempts):
        if this.asked is None:
            assert 0 <= this.wait <= CAP, this
        else:
            # an HTTP-date has whole seconds (and was written a moment before it was read)
            assert this.asked - 2 <= this.wait <= max(CAP, this.asked), this
        gap = after.at - this.at  # the simulated clock also runs in real time: some slack
        assert this.wait <= gap <= this.wait + TICK + SLACK, (this, after)
    refused = [a for a in attempts if a.at < 3 * DAY]
    assert max(a.wait for a in refused) > CAP * 0.8  # the cap was reached, and held
    assert max(b.at - a.at for a, b in itertools.pairwise(refused)) <= (
        CAP + TICK + SLACK)
    assert any(a.asked == RETRY_AFTER_MAX for a in attempts)  # a day asked, an hour waited
