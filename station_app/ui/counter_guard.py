"""Who is at the counter, for a running window: idle lock, 锁定 / 切换用户, the lock screen.

The lock screen covers the window's central area; the pages under it, a half-filled form
included, are untouched and the sync service keeps running. Whoever signs in on it becomes the
operator (``OperatorSession.unlock``), shown in the status bar and recorded on what they do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from station_app.services.sessions import OperatorSession
from station_app.services.unlock import Unlocked
from station_app.ui.idle_lock import IdleLock
from station_app.ui.lock_screen import LockScreen


class CounterGuard(QObject):
    def __init__(self, cover: QWidget, session: OperatorSession, *,
                 monotonic: Callable[[], float], wall: Callable[[], datetime],
                 changed: Callable[[Unlocked], None] | None = None) -> None:
        """``cover``: the widget the lock screen covers (the window's central widget);
        ``changed(who)`` after each sign-in on the lock screen (status bar, admin pages)."""
        super().__init__(cover)
        self.session = session
        self._changed = changed or (lambda _who: None)
        self.screen = LockScreen(cover, session.ctx.data_dir, clock=wall)
        self.screen.unlocked.connect(self._unlocked)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.idle = IdleLock(app, session.ctx.settings.idle_lock_minutes * 60,
                             monotonic=monotonic, parent=self)
        self.idle.idle.connect(self.lock_idle)

    def lock_idle(self) -> None:
        self._lock("idle", self.tr("较长时间无操作，已自动锁定"))

    def lock_now(self) -> None:
        self._lock("manual", self.tr("已锁定"))

    def _lock(self, reason: str, why: str) -> None:
        self.session.lock(reason)
        self.screen.cover(self.session.who, why=why)

    @property
    def locked(self) -> bool:
        return self.screen.isVisible()

    def _unlocked(self, who: Unlocked) -> None:
        self.session.unlock(who)
        self._changed(who)
        self.idle.reset()

    def stop(self) -> None:
        self.idle.stop()
