"""Idle lock: after a quiet spell at the counter the terminal locks itself.

Activity is any key press, mouse press or wheel turn anywhere in the application (an event
filter on the QApplication). A slow check timer compares the time since the last activity
with the limit; the clock is injectable, so tests move time instead of waiting. Locking only
asks the window to cover itself: widgets, half-filled forms and the sync service carry on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

Monotonic = Callable[[], float]
CHECK_MS = 5000
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                      QEvent.Type.TouchBegin})


class IdleLock(QObject):
    """Emits ``idle()`` once when nothing happened for ``limit_s`` seconds; ``reset()`` after
    the next sign-in starts counting again."""

    idle = Signal()

    def __init__(self, app: QApplication, limit_s: float, *, monotonic: Monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._limit = limit_s
        self._now = monotonic
        self._last = monotonic()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = self._now()
        return False

    def check(self) -> None:
        if not self._fired and self._limit > 0 and self._now() - self._last >= self._limit:
            self._fired = True
            self.idle.emit()

    def reset(self) -> None:
        self._last = self._now()
        self._fired = False

    def stop(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)
