"""Daily housekeeping while the terminal runs, off the GUI thread: the verified backup, then
the retention purge (personal data of cases finished long ago).

A slow timer asks hourly (and once soon after start) whether today's backup is missing
(``services.backups.backup_due``); if so one worker thread takes it, so the window never
waits on a copy of a large database. Failures are logged and shown in the log only: a backup
that could not be written is retried at the next check, and the close-time backup follows.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer

from station_app.services.backups import BackupFailed, backup_if_due
from station_app.services.context import StationContext
from station_app.services.retention import purge_if_due
from station_app.services.storage_errors import StorageFailed

log = logging.getLogger(__name__)
CHECK_MS = 3600 * 1000
FIRST_CHECK_MS = 60 * 1000


class BackupTimer(QObject):
    def __init__(self, ctx: StationContext, parent: QObject | None = None, *,
                 first_check_ms: int = FIRST_CHECK_MS) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._worker: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.check)
        self._first.start(first_check_ms)

    def check(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        self._worker = threading.Thread(target=self._run, name="daily-backup")
        self._worker.start()

    def _run(self) -> None:
        try:
            result = backup_if_due(self._ctx)
        except BackupFailed as e:
            log.warning("每日备份未完成：%s", e)
            return
        if result is not None:
            log.info("%s", result.summary())
        try:
            purged = purge_if_due(self._ctx)
        except StorageFailed as e:
            log.warning("个人信息到期清除未完成：%s", e)
            return
        if purged is not None and (purged.cases or purged.drafts):
            log.info("%s", purged.line())

    def stop(self, wait_s: float = 120.0) -> None:
        """Stop the timers and wait for a backup in progress (it holds the database)."""
        self._timer.stop()
        self._first.stop()
        if self._worker is not None:
            self._worker.join(wait_s)
