"""Backoff: full jitter under a cap, Retry-After in both forms, clock set back, and a drain
driven by an injected clock and sleep (no real waiting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station_app.services.context import StationContext
from station_app.store.engine import session_scope
from station_app.store.outbox import record_attempt_failure
from station_app.sync.backoff import BackoffPolicy, ServerBackoff, parse_retry_after
from tests.helpers.backend import RunningBackend
from tests.helpers.sync_harness import MakeEngine, Submit, backend_rows, local_state

pytestmark = pytest.mark.timeout(60)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_full_jitter_stays_under_the_cap() -> None:
    policy = BackoffPolicy()
    assert [policy.ceiling(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert policy.ceiling(10) == policy.ceiling(10_000) == 900.0
    assert policy.delay(50, lambda: 0.999999) < 900.0
    assert policy.delay(3, lambda: 0.0) == 0.0
    assert policy.delay(1, lambda: 0.0, retry_after=5000) == 3600.0


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 7 ", 7.0), ("999999999", 3600.0),
    ("Wed, 25 Nov 2026 09:02:00 GMT", 120.0), ("Wed, 25 Nov 2026 08:00:00 GMT", 0.0),
    ("Fri, 25 Dec 2026 09:00:00 GMT", 3600.0),
    ("soon", None), ("", None), (None, None), ("-5", None), ("1.5", None),
])
def test_retry_after_forms(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_server_backoff_on_a_monotonic_clock() -> None:
    now = [100.0]
    backoff = ServerBackoff(BackoffPolicy(), lambda: 1.0, lambda: now[0])
    assert backoff.remaining() == 0
    assert backoff.failed() == 2.0 and backoff.failed() == 4.0
    assert backoff.remaining() == 4.0
    now[0] += 3
    assert backoff.remaining() == 1.0
    backoff.failed(retry_after=60)
    backoff.waive()
    assert backoff.remaining() == pytest.approx(60)  # the server's wish outlives "sync now"
    backoff.succeeded()
    assert backoff.remaining() == 0 and backoff.failures == 0


def test_entry_pushed_far_ahead_by_a_clock_set_back_is_sent(station_ctx: StationContext,
                                                            backend: RunningBackend, submit: Submit,
                                                            make_engine: MakeEngine) -> None:
    sid = submit().id
    with session_scope(station_ctx.engine) as s:  # scheduled while the clock was 3 days ahead
        record_attempt_failure(s, [sid], "超时", datetime.now(UTC) + timedelta(days=3))
    report = make_engine().run_once()
    assert report.accepted == 1 and local_state(station_ctx, sid)[0].sync_state == "synced"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_drain_sleeps_through_backoff_with_the_injected_clock(station_ctx: StationContext,
                                                              backend: RunningBackend,
                                                              submit: Submit,
                                                              make_engine: MakeEngine) -> None:
    sids = [submit().id for _ in range(5)]
    fake = FakeTime()
    failures = iter([True, True])

    def flaky(stage: str) -> None:
        if stage == "pushing" and next(failures, False):
            raise ConnectionResetError("cable pulled")

    engine = make_engine(monotonic=fake.monotonic, sleep=fake.sleep, rng=lambda: 0.5,
                         hook=flaky)
    report = engine.drain(fake.now + 3600)
    assert report.error is None and report.accepted == 5 and not report.more_pending
    assert fake.slept == [1.0, 2.0]  # half of 2 s, then half of 4 s: full jitter at 0.5
    assert sorted(r[0] for r in backend_rows(backend)) == sorted(sids)
