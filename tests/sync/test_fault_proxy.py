"""Faults between the station and the real backend, injected by a proxy (fault_proxy.py).

For every fault: the run reports the problem, nothing changes locally ("outcome unknown":
the items stay queued with one attempt counted), and once the faults stop, a drain leaves
every item acknowledged exactly once: one row per submission on the backend (also by
``district-backend stats --json``), every local case synced (by ``cases list --json``) with
the backend's receipt. Faults that reach the backend first (drop after commit, rewritten or
garbled replies, a stall after commit) are answered "duplicate" on the resend.

The backend and the station share a clock that the tests move, so backoffs and Retry-After
are waited out without real waiting. Runs on SQLite and, when REDSTATION_PG_URL is set, on
PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from station_app.services.context import StationContext
from station_app.services.saving import NewSubmission, save_submission
from station_app.sync.engine import SyncEngine
from station_app.sync.run import SyncOptions
from tests.helpers.backend import RunningBackend
from tests.helpers.station import RS04_TICKED, RS04_VALUES, STATION_ID
from tests.helpers.sync_harness import (
    FakeClock,
    Submit,
    assert_exactly_once,
    backend_received,
    cases_list_json,
    district_stats,
    local_items,
    store_scan,
)

from . import proxy_faults, reply_rewrites
from .fault_proxy import FaultProxy
from .proxy_faults import Fault
from .proxy_fixtures import backend, backend_db, clock, make_engine, proxy, station

# the proxy fixtures, taken by name (see proxy_fixtures.py)
__all__ = ["backend", "backend_db", "clock", "make_engine", "proxy", "station"]

pytestmark = pytest.mark.timeout(120)
STALL_BUDGET = 0.5  # a run against a stall gets this deadline, which cuts its read timeout


def _still_queued(station: StationContext, sids: list[str], attempts: int = 1) -> None:
    items = local_items(station.engine)
    for sid in sids:
        item = items[sid]
        assert (item.sync_state, item.outbox_state, item.receipt_no) == (
            "queued", "pending", None), item
        assert item.attempts == attempts, item
        assert (item.next_attempt_at is not None) == (attempts > 0), item


def _check_exactly_once(station: StationContext, backend: RunningBackend,
                        capsys: pytest.CaptureFixture[str], n: int, duplicates: int, *,
                        lost_replies: bool = False) -> None:
    """``duplicates``: the backend's count of retries answered "duplicate"; with
    ``lost_replies`` some of those answers never reached the station, so it is a minimum."""
    receipts = assert_exactly_once(station.engine, backend.db_url, STATION_ID)
    assert len(receipts) == n
    stats = district_stats(backend)[STATION_ID]
    assert (stats["received"], stats["conflicts"], stats["rejected"]) == (n, 0, 0), stats
    if lost_replies:
        assert stats["duplicates"] >= duplicates, stats
    else:
        assert stats["duplicates"] == duplicates, stats
    cases = cases_list_json(station.data_dir, capsys)
    assert len(cases) == n
    for case in cases:
        assert case["sync_state"] == "synced" and case["status"] == "受理", case
        assert case["receipt_no"] == receipts[case["submission_id"]]


# (fault, words in the report's error, whether the district was reached at all)
FAULTS: dict[str, tuple[Callable[[str], Fault], str, bool]] = {
    "500": (lambda _url: proxy_faults.error(500), "HTTP 500", True),
    "503": (lambda _url: proxy_faults.error(503), "HTTP 503", True),
    "stall": (lambda _url: proxy_faults.stall(30), "没有应答", False),
    "stall after commit": (lambda _url: proxy_faults.stall(30, forward=True), "没有应答", False),
    "drop after commit": (lambda _url: proxy_faults.drop_after_commit(), "连接中断", False),
    "reset": (lambda _url: proxy_faults.reset(), "连接中断", False),
    "malformed JSON": (lambda _url: proxy_faults.malformed_json(), "格式不对", True),
    "oversized declared": (lambda _url: proxy_faults.oversized(declared=True), "过大", True),
    "oversized chunked": (lambda _url: proxy_faults.oversized(declared=False), "超过", True),
    "non-JSON": (lambda _url: proxy_faults.non_json(), "不是 JSON", True),
    "302 redirect": (lambda url: proxy_faults.redirect(url + "/v1/push"), "重定向", True),
    "result for an id not sent": (lambda _url: reply_rewrites.foreign_result(), "对不上", True),
    "extra result": (lambda _url: reply_rewrites.extra_result(), "对不上", True),
    "duplicate result": (lambda _url: reply_rewrites.duplicate_result(), "对不上", True),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_leaves_the_queue_and_the_retry_acks_exactly_once(
        name: str, station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine],
        capsys: pytest.CaptureFixture[str]) -> None:
    make_fault, words, reached = FAULTS[name]
    fault = make_fault(backend.base_url)
    sids = [submit().id for _ in range(3)]
    proxy.set_default(fault)  # the fault lasts the whole run
    engine = make_engine()

    report = engine.run_once(clock.monotonic() + STALL_BUDGET if fault.kind == "stall" else None)
    proxy.clear()
    _wait_seen(proxy, 1)  # a stalled request's forward may finish after the station gave up

    assert report.error and words in report.error, (name, report.error)
    assert report.online is reached and report.acked == 0
    assert report.next_run_hint is not None and report.next_run_hint > 0
    _still_queued(station, sids)
    on_backend = backend_received(backend.db_url, STATION_ID)
    assert len(on_backend) == (3 if fault.forward else 0), "the fault hit before/after commit"
    # No second try in the run; a reply one item may have caused is looked into by sending
    # halves (sync/isolate.py), and with nothing answered no item is blamed.
    looked_into = fault.kind == "rewrite" or (fault.kind in ("status", "reply") and (
        fault.status >= 500 or 200 <= fault.status < 300))
    tried = [s.fault for s in proxy.requests()]
    assert tried == [fault.name] * (5 if looked_into else 1), tried

    total = engine.drain(clock.monotonic() + 3600)  # the faults have stopped

    assert total.error is None and not total.more_pending, total.lines()
    assert (total.accepted, total.duplicates) == ((0, 3) if fault.forward else (3, 0))
    assert [s.fault for s in proxy.requests()] == [*tried, "pass"]
    _check_exactly_once(station, backend, capsys, 3, duplicates=3 if fault.forward else 0,
                        lost_replies=looked_into and fault.forward)


def test_refused_connections_then_the_backend_is_back(
        station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine],
        capsys: pytest.CaptureFixture[str]) -> None:
    sids = [submit().id for _ in range(2)]
    engine = make_engine()
    proxy.go_down()
    report = engine.run_once()
    assert report.error and "区后台没有响应" in report.error and "检查网络" in report.error
    assert report.online is False
    _still_queued(station, sids)
    proxy.come_up()
    total = engine.drain(clock.monotonic() + 3600)
    assert total.accepted == 2 and total.error is None
    _check_exactly_once(station, backend, capsys, 2, duplicates=0)


@pytest.mark.parametrize("form", ["seconds", "HTTP-date"])
def test_retry_after_is_waited_out_and_no_longer(
        form: str, station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine],
        capsys: pytest.CaptureFixture[str]) -> None:
    sid = submit().id
    asked = 600.0
    value = ("600" if form == "seconds"
             else proxy_faults.http_date(clock.now() + timedelta(seconds=asked)))
    proxy.script(proxy_faults.error(503, value))
    engine = make_engine()
    first = engine.run_once()
    assert first.error and "HTTP 503" in first.error
    assert asked - 2 <= (first.next_run_hint or 0) <= asked
    item = local_items(station.engine)[sid]
    assert item.next_attempt_at is not None
    assert asked - 2 <= (item.next_attempt_at - first.started_at).total_seconds() <= asked + 2
    clock.advance(asked - 5)
    early = engine.run_once()
    assert early.deferred and len(proxy.requests()) == 1  # not before the server said
    clock.advance(10)
    late = engine.run_once()
    assert late.ok and late.accepted == 1 and len(proxy.requests()) == 2
    _check_exactly_once(station, backend, capsys, 1, duplicates=0)


def test_a_run_of_mixed_faults_while_cases_keep_coming(
        station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, submit: Submit, make_engine: Callable[..., SyncEngine],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Ten runs, each failing differently, two new cases before each: nothing moves until
    the faults stop; then everything arrives once, whatever had reached the backend."""
    faults = [proxy_faults.drop_after_commit(), proxy_faults.error(503, "30"),
              proxy_faults.malformed_json(), proxy_faults.reset(),
              reply_rewrites.foreign_result(), proxy_faults.stall(30, forward=True),
              proxy_faults.error(500), reply_rewrites.duplicate_result(),
              proxy_faults.non_json(), proxy_faults.drop_after_commit()]
    engine = make_engine(options=SyncOptions(batch_items=4))
    sids: list[str] = []
    for fault in faults:
        sids += [submit().id for _ in range(2)]
        proxy.set_default(fault)  # the fault lasts the whole run
        clock.advance(engine.backoff_remaining() + 1)
        clock.advance(_longest_item_wait(station, clock))
        before = len(proxy.requests())
        report = engine.run_once(clock.monotonic() + STALL_BUDGET if fault.kind == "stall"
                                 else None)
        proxy.clear()
        _wait_seen(proxy, before + 1)
        assert report.error and report.acked == 0, report.lines()
    items = local_items(station.engine)
    assert {(i.sync_state, i.outbox_state) for i in items.values()} == {("queued", "pending")}
    forwarded = backend_received(backend.db_url, STATION_ID)
    assert forwarded, "some faults reached the backend before failing"
    total = engine.drain(clock.monotonic() + 24 * 3600)
    assert total.error is None and total.acked == len(sids)
    assert total.duplicates == len(forwarded)
    _check_exactly_once(station, backend, capsys, len(sids), duplicates=len(forwarded),
                        lost_replies=True)


def _wait_seen(proxy: FaultProxy, count: int, timeout: float = 30.0) -> None:
    """Until the proxy has handled ``count`` pushes: it records one after forwarding it, which
    for a stall can end after the station gave up waiting (the backend still commits)."""
    end = time.monotonic() + timeout
    while len(proxy.requests()) < count:
        assert time.monotonic() < end, f"the proxy handled {len(proxy.requests())} of {count}"
        time.sleep(0.01)


def _longest_item_wait(station: StationContext, clock: FakeClock) -> float:
    """Seconds until every queued item is due again (their own backoffs)."""
    times = [i.next_attempt_at for i in local_items(station.engine).values()
             if i.next_attempt_at is not None]
    if not times:
        return 0.0
    return max(0.0, max((t - clock.now()).total_seconds() for t in times) + 1)


def test_attachment_upload_dropped_after_commit_is_not_stored_twice(
        station: StationContext, backend: RunningBackend, proxy: FaultProxy,
        clock: FakeClock, make_engine: Callable[..., SyncEngine],
        capsys: pytest.CaptureFixture[str]) -> None:
    data = b"%PDF-1.4 scanned household register " * 2000
    sha = store_scan(station.data_dir, data)
    sid = save_submission(station.engine, NewSubmission(
        item_code="RS04", catalogue_version="2026.11.1", form_version="1",
        payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED,
        scans={RS04_TICKED[0]: [sha]})).id
    proxy.script(proxy_faults.drop_after_commit(), method="PUT", path="/v1/attachments/")
    engine = make_engine()
    report = engine.run_once()
    assert report.error and "连接中断" in report.error and report.sent == 0
    assert (backend.attachment_dir / sha[:2] / sha).read_bytes() == data  # it did arrive
    _still_queued(station, [sid], attempts=0)  # no push was made: nothing was in doubt
    total = engine.drain(clock.monotonic() + 3600)
    assert total.accepted == 1 and total.uploaded_attachments == 0  # HEAD found it there
    puts = proxy.requests("PUT", "/v1/attachments/")
    assert [s.fault for s in puts] == ["drop after commit"]
    assert [p.name for p in backend.attachment_dir.rglob("*") if p.is_file()] == [sha]
    _check_exactly_once(station, backend, capsys, 1, duplicates=0)
