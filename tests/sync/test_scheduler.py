"""The scheduler and the service: job options, "立即同步" through the same job, one run at
a time, status for the status bar, and a shutdown that leaves no thread behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station_app.services.context import StationContext
from station_app.services.sync_service import NotConfigured, SyncService
from station_app.sync.engine import BUSY
from station_app.sync.notices import CATALOGUE_JOB, CHANGES_JOB, PUSH_JOB, SyncNotice
from tests.helpers.backend import RunningBackend
from tests.helpers.sync_harness import MakeEngine, Submit

pytestmark = pytest.mark.timeout(60)


def _wait_for(predicate: Any, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


@pytest.fixture
def baseline_threads() -> Iterator[set[threading.Thread]]:
    before = set(threading.enumerate())
    yield before
    assert _wait_for(lambda: not [t for t in threading.enumerate() if t not in before], 5), \
        [t.name for t in threading.enumerate() if t not in before]


def _service(make_engine: MakeEngine, ctx: StationContext, **kw: Any) -> SyncService:
    return SyncService(make_engine(**kw), ctx.engine, interval=3600, changes_interval=3600,
                       catalogue_interval=3600, first_run_delay=3600)


class _HeldAtPushing:
    """An engine hook that holds a run where it starts pushing until ``release`` is set, so
    a test can act while a run is in flight; ``inside`` tells it the run got there."""

    def __init__(self) -> None:
        self.inside, self.release = threading.Event(), threading.Event()

    def __call__(self, stage: str) -> None:
        if stage == "pushing":
            self.inside.set()
            self.release.wait(10)


def test_jobs_are_added_with_the_safe_options(baseline_threads: set[threading.Thread],
                                              station_ctx: StationContext,
                                              make_engine: MakeEngine) -> None:
    service = _service(make_engine, station_ctx)
    service.start()
    try:
        for job_id in (PUSH_JOB, CHANGES_JOB, CATALOGUE_JOB):
            job = service.scheduler.job(job_id)
            assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (None, True, 1)
    finally:
        assert service.stop(wait_seconds=5)


def test_sync_now_runs_the_push_job_and_listeners_hear(baseline_threads: set[threading.Thread],
                                                       station_ctx: StationContext,
                                                       backend: RunningBackend, submit: Submit,
                                                       make_engine: MakeEngine) -> None:
    submit()
    service = _service(make_engine, station_ctx)
    heard: list[SyncNotice] = []
    finished = threading.Event()

    def listen(notice: SyncNotice) -> None:
        heard.append(notice)
        if notice.kind == "finished":
            finished.set()

    remove = service.add_listener(listen)
    assert not service.sync_now()  # not started yet
    status = service.status()
    assert (status.queued, status.online, status.last_success_at) == (1, None, None)
    service.start()
    try:
        assert service.sync_now()
        assert finished.wait(10)
        assert [(n.kind, n.job) for n in heard] == [("started", PUSH_JOB), ("finished", PUSH_JOB)]
        report = heard[-1].report
        assert report is not None and report.accepted == 1 and report.pulled_changes == 1
        status = service.status()
        assert (status.queued, status.needs_attention, status.online) == (0, 0, True)
        assert status.last_success_at is not None and status.last_error is None
        assert not status.running
        remove()
        finished.clear()
        service.sync_now()
        assert _wait_for(lambda: service.engine.last_report is not report)
        assert len(heard) == 2  # removed listeners hear nothing more
    finally:
        assert service.stop(wait_seconds=5)


def test_one_run_at_a_time(station_ctx: StationContext, backend: RunningBackend, submit: Submit,
                           make_engine: MakeEngine) -> None:
    submit()
    held = _HeldAtPushing()
    engine = make_engine(hook=held)
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(engine.run_once()))
    worker.start()
    try:
        assert held.inside.wait(10) and engine.running
        second = engine.run_once()
        assert second.busy and second.error == BUSY and second.sent == 0
    finally:
        held.release.set()
        worker.join(10)
    assert results[0].accepted == 1


def test_shutdown_during_a_run_leaves_no_thread(baseline_threads: set[threading.Thread],
                                                station_ctx: StationContext,
                                                backend: RunningBackend, submit: Submit,
                                                make_engine: MakeEngine) -> None:
    for _ in range(3):
        submit()
    held = _HeldAtPushing()
    service = _service(make_engine, station_ctx, hook=held)
    service.start()
    service.sync_now()
    assert held.inside.wait(10)
    assert not service.stop(wait_seconds=0)  # returns at once, the run is still in flight
    held.release.set()
    assert _wait_for(lambda: not service.engine.running)
    assert service.engine.last_report is not None
    assert service.engine.run_once().error == "同步已停止"


def test_unconfigured_station_has_no_service(tmp_path: Path) -> None:
    from station_app.services.context import open_station

    ctx = open_station(tmp_path / "fresh")
    try:
        with pytest.raises(NotConfigured, match="station-app setup"):
            SyncService.for_station(ctx)
    finally:
        ctx.close()
