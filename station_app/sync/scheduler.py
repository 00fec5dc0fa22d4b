"""APScheduler 3 wiring: the push job, the change-feed job and the catalogue job.

Each job is added with ``misfire_grace_time=None`` (a run delayed by sleep or a busy pool
still happens: APScheduler's default of 1 s would skip it), ``coalesce=True`` (missed runs
become one) and ``max_instances=1`` (no second copy of a running job). ``job_defaults`` only
reach jobs added later, so the options are given on every ``add_job``. One worker thread:
jobs queue behind each other rather than collide on the engine's lock. "立即同步" moves the
push job's next run to now, so there is one code path for scheduled and manual syncs.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from station_app.sync.engine import SyncEngine
from station_app.sync.notices import (
    CATALOGUE_JOB,
    CHANGES_JOB,
    PUSH_JOB,
    Listener,
    SyncNotice,
)

log = logging.getLogger(__name__)

JOB_OPTIONS: Final[dict[str, Any]] = {
    "misfire_grace_time": None, "coalesce": True, "max_instances": 1, "replace_existing": True}
_PARTS: Final[dict[str, dict[str, bool]]] = {
    PUSH_JOB: {"push": True, "changes": True, "catalogue": False},
    CHANGES_JOB: {"push": False, "changes": True, "catalogue": False},
    CATALOGUE_JOB: {"push": False, "changes": False, "catalogue": True},
}




class SyncScheduler:
    def __init__(self, engine: SyncEngine, *, interval: float = 60.0,
                 changes_interval: float = 300.0, catalogue_interval: float = 6 * 3600.0,
                 first_run_delay: float = 0.0, on_notice: Listener | None = None) -> None:
        self.engine = engine
        self._intervals = {PUSH_JOB: interval, CHANGES_JOB: changes_interval,
                           CATALOGUE_JOB: catalogue_interval}
        self._first_run_delay = first_run_delay
        self._on_notice = on_notice
        self._scheduler: BackgroundScheduler | None = None

    @property
    def started(self) -> bool:
        return self._scheduler is not None

    def start(self) -> None:
        if self._scheduler is not None:
            return
        scheduler = BackgroundScheduler(
            timezone=UTC, executors={"default": ThreadPoolExecutor(
                1, pool_kwargs={"thread_name_prefix": "station-sync"})})
        now = datetime.now(UTC)
        # Spread the jobs so the first minutes do not run all three back to back.
        offsets = {PUSH_JOB: 0.0, CHANGES_JOB: self._intervals[CHANGES_JOB] / 2,
                   CATALOGUE_JOB: 30.0}
        for job_id, seconds in self._intervals.items():
            first = now + timedelta(seconds=self._first_run_delay + offsets[job_id])
            scheduler.add_job(self._run_job, "interval", args=[job_id], id=job_id,
                              name=job_id, seconds=seconds, next_run_time=first,
                              **JOB_OPTIONS)
        scheduler.start()
        self._scheduler = scheduler

    def job(self, job_id: str) -> Any:
        """The APScheduler job (for checks); None before start."""
        return None if self._scheduler is None else self._scheduler.get_job(job_id)

    def sync_now(self) -> bool:
        """Run the push job as soon as the worker is free; False if not started."""
        if self._scheduler is None:
            return False
        self.engine.wake()
        self._scheduler.modify_job(PUSH_JOB, next_run_time=datetime.now(UTC))
        return True

    def shutdown(self, wait_seconds: float = 0.0) -> bool:
        """Cancel, stop the scheduler without blocking on a run, then wait up to
        ``wait_seconds`` for a run in flight to end; True when none is left running."""
        self.engine.cancel()
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        end = time.monotonic() + wait_seconds
        while self.engine.running and time.monotonic() < end:
            time.sleep(0.01)
        return not self.engine.running

    def _run_job(self, job_id: str) -> None:
        self._notify(SyncNotice("started", job_id))
        report = self.engine.run_once(**_PARTS[job_id])
        if self.engine.cancelled:  # shut down while this run was in flight: tidy up here
            self.engine.client.close()
        self._notify(SyncNotice("finished", job_id, report))

    def _notify(self, notice: SyncNotice) -> None:
        if self._on_notice is None:
            return
        try:
            self._on_notice(notice)
        except Exception:  # a listener's bug must not stop the sync
            log.exception("同步通知的接收方出错")
