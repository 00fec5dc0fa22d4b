"""The sync engine: one run at a time of push -> pull changes -> pull catalogue.

Everything time- or chance-dependent is injected (wall clock, monotonic clock, sleep, random
source, session factory, fault hook), so fault and property tests can drive it without real
waiting. A non-blocking lock makes a second caller (a scheduled job, "立即同步", a test)
get "already running" instead of a second sender (invariant 4); the cancel flag lets
shutdown stop a run between requests, and timeouts bound the request in flight.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import fields

from station_app.store.coltypes import utcnow
from station_app.store.engine import StoreError
from station_app.sync.attachments import AttachmentSource
from station_app.sync.audit_head import report_audit_head
from station_app.sync.backoff import Random, ServerBackoff
from station_app.sync.catalogue import CatalogueInstaller
from station_app.sync.client import SyncClient
from station_app.sync.errors import AuthError, DeadlineReached, OutcomeUnknown
from station_app.sync.feedback import next_feedback_due_in, send_feedback
from station_app.sync.pull import pull_catalogue, pull_changes
from station_app.sync.push import next_due_in, push_pending
from station_app.sync.report import SyncReport
from station_app.sync.run import (
    BatchLimits,
    Clock,
    Hook,
    Monotonic,
    RunEnv,
    SessionFactory,
    SyncOptions,
)

log = logging.getLogger(__name__)
BUSY = "已有同步正在进行，本次未重复执行"
MAX_KNOWN_UPLOADS = 100_000


class SyncEngine:
    def __init__(self, client: SyncClient, sessions: SessionFactory, *, station_id: str,
                 attachments: AttachmentSource | None = None,
                 catalogue: CatalogueInstaller | None = None,
                 options: SyncOptions | None = None, clock: Clock = utcnow,
                 monotonic: Monotonic = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: Random = random.random, hook: Hook | None = None) -> None:
        self.client = client
        self._sessions = sessions
        self.station_id = station_id
        self._attachments = attachments
        self._catalogue = catalogue
        self.options = options or SyncOptions()
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._rng = rng
        self._hook = hook
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._backoff = ServerBackoff(self.options.policy, rng, monotonic)
        self._uploaded: set[str] = set()
        self._limits = BatchLimits(self.options.batch_items, self.options.batch_bytes)
        self.last_report: SyncReport | None = None
        self.last_online: bool | None = None
        self.last_error: str | None = None

    @property
    def running(self) -> bool:
        return self._lock.locked()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Shutdown: the current run stops before its next request; later runs do nothing."""
        self._cancel.set()

    def wake(self) -> None:
        """"立即同步": skip our own failure backoff (Retry-After is still honoured)."""
        self._backoff.waive()

    def backoff_remaining(self) -> float:
        return self._backoff.remaining()

    def close(self) -> None:
        self.cancel()
        self.client.close()

    def run_once(self, deadline: float | None = None, *, push: bool = True,
                 changes: bool = True, catalogue: bool = False) -> SyncReport:
        """One run; ``deadline`` is on the engine's monotonic clock (default: now + budget).
        Never raises for network trouble: the report carries the error."""
        parts = tuple(n for n, on in (("push", push), ("changes", changes),
                                      ("catalogue", catalogue)) if on)
        report = SyncReport(started_at=self._clock(), parts=parts)
        if not self._lock.acquire(blocking=False):
            report.busy, report.error = True, BUSY
            return report
        try:
            self._run(report, self._monotonic() + self.options.run_budget
                      if deadline is None else deadline)
        finally:
            report.finished_at = self._clock()
            self.last_report = report
            if report.online is not None:
                self.last_online = report.online
            if not report.deferred:
                self.last_error = report.error or report.catalogue_problem
            self._lock.release()
        return report

    def _run(self, report: SyncReport, deadline: float) -> None:
        if self._cancel.is_set():
            report.error = "同步已停止"
            return
        wait = self._backoff.remaining()
        if wait > 0:
            report.deferred, report.next_run_hint = True, wait
            report.error = f"{self.last_error or '上次同步未成功'}（约 {math.ceil(wait)} 秒后重试）"
            return
        if len(self._uploaded) > MAX_KNOWN_UPLOADS:
            self._uploaded.clear()
        env = RunEnv(self.client, self._sessions, self.station_id, self.options, self._clock,
                     self._monotonic, self._rng, deadline, self._cancel.is_set, report,
                     self._uploaded, self._limits, self._attachments, self._catalogue)
        if self._hook is not None:
            env.hook = self._hook
        replies = self.client.replies
        try:
            if "push" in report.parts:
                push_pending(env)
                if not env.stop():  # ratings after the cases they are filed under
                    send_feedback(env)
                if not env.stop():
                    report_audit_head(env)
            if "changes" in report.parts and not env.stop():
                pull_changes(env)
            if "catalogue" in report.parts and not env.stop():
                pull_catalogue(env)
        except DeadlineReached:
            report.more_pending = True
        except AuthError as e:
            report.error, report.online = str(e), True
            report.next_run_hint = self._backoff.failed()
            return
        except OutcomeUnknown as e:
            report.error, report.online = str(e), e.reached
            report.next_run_hint = self._backoff.failed(e.retry_after)
            return
        except StoreError as e:  # the local disk or database, said in one Chinese line
            log.info("同步出错：%s", e)  # not a bug: the report says it, once
            report.error = f"同步出错：{e}"
            report.next_run_hint = self._backoff.failed()
            return
        except Exception as e:  # a bug: report it, keep the scheduler alive
            log.exception("同步出错")
            report.error = f"同步出错：{type(e).__name__}: {e}"
            report.next_run_hint = self._backoff.failed()
            return
        self._backoff.succeeded()
        if self.client.replies > replies:
            report.online = True
        report.next_run_hint = 0.0 if report.more_pending else self._next_due()

    def drain(self, deadline: float) -> SyncReport:
        """Push until the queue is empty or ``deadline`` (monotonic) passes, sleeping through
        backoffs with the injected sleep. For bulk catch-up, benchmarks and tests."""
        total = SyncReport(started_at=self._clock(), parts=("push",))
        while not self._cancel.is_set() and self._monotonic() < deadline:
            report = self.run_once(deadline, push=True, changes=False)
            _add_counts(total, report)
            total.error, total.online = report.error, report.online
            if report.busy or (report.error is None and report.next_run_hint is None):
                break
            wait = report.next_run_hint or 0.0
            left = deadline - self._monotonic()
            if wait >= left:
                break
            if wait > 0:
                self._sleep(wait)
        total.finished_at = self._clock()
        total.more_pending = self.pending_left()
        return total

    def pending_left(self) -> bool:
        """Whether any entry is still waiting to be sent (due now or later)."""
        return self._next_due() is not None

    def _next_due(self) -> float | None:
        """Seconds until the earliest case or sendable 好差评 is due (None: nothing waits)."""
        now, cap = self._clock(), self.options.policy.cap
        waits = [w for w in (next_due_in(self._sessions, now, cap),
                             next_feedback_due_in(self._sessions, now, cap)) if w is not None]
        return min(waits) if waits else None


_COUNTS = tuple(f.name for f in fields(SyncReport) if f.type in ("int", int))


def _add_counts(total: SyncReport, part: SyncReport) -> None:
    for name in _COUNTS:
        setattr(total, name, getattr(total, name) + getattr(part, name))
