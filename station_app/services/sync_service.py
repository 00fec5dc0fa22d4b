"""Sync as the GUI and the CLI see it: build the engine from the station's settings, run the
scheduler, answer "how are we doing", and tell listeners when a run starts and ends.

Qt-free: the GUI wraps ``add_listener`` in a thin adapter that re-emits notices as Qt
signals (listeners are called on the sync worker thread and must not touch widgets).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from station_app.config import StationSettings, is_configured
from station_app.domain.holiday_file import HOLIDAYS_FILE
from station_app.paths import bundled_catalogue_dir
from station_app.services.attachments import ATTACHMENT_DIR
from station_app.services.catalogue_source import CATALOGUES_DIR, activate
from station_app.services.context import Clock, StationContext, utc_now
from station_app.store.engine import session_scope
from station_app.store.models import OutboxState
from station_app.store.outbox import outbox_counts
from station_app.store.queries import count_attention
from station_app.sync.attachments import FileAttachments
from station_app.sync.catalogue import CatalogueInstaller
from station_app.sync.client import ClientConfig, SyncClient
from station_app.sync.engine import SyncEngine
from station_app.sync.notices import Listener, SyncNotice
from station_app.sync.report import SyncReport
from station_app.sync.scheduler import SyncScheduler
from station_app.vault.keys import DataKey
from station_app.wire.transport import INSECURE_REFUSED, clear_text_remote

log = logging.getLogger(__name__)
SETUP_HINT = ("请先运行 station-app setup --station-id 站点编号 --backend 后台地址 "
              "--secret 站点密钥")


class NotConfigured(Exception):
    """Station id, backend address or secret is missing, or the address is not allowed."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or f"本站尚未配置同步：{SETUP_HINT}")


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not asked yet
    queued: int
    needs_attention: int
    last_success_at: datetime | None
    last_error: str | None
    running: bool


def build_engine(data_dir: Path, settings: StationSettings, secret: str | None,
                 db_engine: Engine, *, clock: Clock = utc_now, connect_timeout: float = 5.0,
                 read_timeout: float = 30.0, data_key: DataKey | None = None,
                 **engine_kw: Any) -> SyncEngine:
    """The engine for this station; ``engine_kw`` passes SyncEngine's test seams through
    (monotonic, sleep, rng, options, hook)."""
    if not is_configured(settings, secret):
        raise NotConfigured
    assert settings.backend_url and settings.station_id and secret  # for the type checker
    if clear_text_remote(settings.backend_url) and not settings.allow_insecure_http:
        raise NotConfigured(INSECURE_REFUSED)  # nothing personal goes out in clear text
    # The client cuts its timeouts to the run's deadline, which is on the engine's monotonic
    # clock: both must read the same one (an injected clock in tests, else time.monotonic).
    client = SyncClient(ClientConfig(settings.backend_url, settings.station_id, secret,
                                     connect_timeout=connect_timeout,
                                     read_timeout=read_timeout, ca_bundle=settings.ca_bundle),
                        wall_clock=lambda: clock().timestamp(),
                        monotonic=engine_kw.get("monotonic", time.monotonic))
    installer = CatalogueInstaller(
        data_dir / CATALOGUES_DIR,
        lambda name, etag: activate(data_dir, name, engine=db_engine, etag=etag),
        extra_files=[bundled_catalogue_dir() / HOLIDAYS_FILE])

    def sessions() -> AbstractContextManager[Session]:
        return session_scope(db_engine)

    return SyncEngine(client, sessions, station_id=settings.station_id,
                      attachments=FileAttachments(data_dir / ATTACHMENT_DIR, data_key),
                      catalogue=installer, clock=clock, **engine_kw)


class SyncService:
    def __init__(self, engine: SyncEngine, db_engine: Engine, *, interval: float = 60.0,
                 changes_interval: float = 300.0, catalogue_interval: float = 6 * 3600.0,
                 first_run_delay: float = 0.0) -> None:
        self.engine = engine
        self._db = db_engine
        self.scheduler = SyncScheduler(engine, interval=interval,
                                       changes_interval=changes_interval,
                                       catalogue_interval=catalogue_interval,
                                       first_run_delay=first_run_delay,
                                       on_notice=self._notice)
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._last_success_at: datetime | None = None

    @classmethod
    def for_station(cls, ctx: StationContext, **engine_kw: Any) -> SyncService:
        """Raises NotConfigured when the station has not been set up."""
        engine = build_engine(ctx.data_dir, ctx.settings, ctx.secret, ctx.engine,
                              clock=ctx.clock, data_key=ctx.data_key, **engine_kw)
        return cls(engine, ctx.engine, interval=ctx.settings.sync_interval_seconds)

    def start(self) -> None:
        self.scheduler.start()

    def sync_now(self) -> bool:
        """"立即同步": the scheduled push job, now. False when the scheduler is not running."""
        return self.scheduler.sync_now()

    def run_once(self, deadline: float | None = None, *, push: bool = True,
                 changes: bool = True, catalogue: bool = False) -> SyncReport:
        """A run on the caller's thread (``sync --once``); listeners hear of it too."""
        self._notice(SyncNotice("started", "once"))
        report = self.engine.run_once(deadline, push=push, changes=changes,
                                      catalogue=catalogue)
        self._notice(SyncNotice("finished", "once", report))
        return report

    def stop(self, wait_seconds: float = 0.0) -> bool:
        """Stop for good: cancel, stop the scheduler, close the HTTP session. True when no
        run is still in flight after ``wait_seconds``."""
        idle = self.scheduler.shutdown(wait_seconds)
        if idle:
            self.engine.close()
        return idle

    def status(self) -> SyncStatus:
        """Counts come from the database: call it outside any open transaction."""
        with session_scope(self._db) as s:
            counts = outbox_counts(s)
            attention = count_attention(s)
        return SyncStatus(self.engine.last_online, counts[OutboxState.PENDING.value],
                          attention, self._last_success_at,
                          self.engine.last_error, self.engine.running)

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Register a callback (called on the sync thread); returns its remover."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return remove

    def _notice(self, notice: SyncNotice) -> None:
        report = notice.report
        if (report is not None and report.error is None and not report.busy
                and report.finished_at is not None):
            self._last_success_at = report.finished_at
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(notice)
            except Exception:  # one listener's bug must not stop the others or the sync
                log.exception("同步通知的接收方出错")
