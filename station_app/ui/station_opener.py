"""Open the station's database on a worker thread while the window already shows.

Loading the data layer (SQLAlchemy, the models, the store) and checking the database take
most of a start; the 事项 page and its search need neither. So the window shows first and a
worker can type into its search box while this thread does that work; the result comes back
to the GUI thread as a queued signal, where the window is given the station
(``MainWindow.attach``). Nothing here touches a widget off the GUI thread: a failure is
handed back as the exception itself, and dialogs about it (a restore offer, the start-up
failure) are shown by the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

_Part = TypeVar("_Part")

EXPOSE_WAIT_MS = 300
"""Start anyway when the platform never says the window was drawn (some virtual displays)."""


class StationOpening(RuntimeError):
    """Asked for the station before the window was given it (see ``MainWindow.attach``)."""


def opened(part: _Part | None) -> _Part:
    """A part of the window that exists once the station is attached."""
    if part is None:
        raise StationOpening("数据库正在打开，请稍候")
    return part


class StationOpener(QObject):
    """Runs ``work`` once on its own thread; ``finished(result or exception)`` on the GUI one."""

    finished = Signal(object)

    def __init__(self, work: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="station-open")
            self._thread.start()

    def wait(self) -> None:
        """Until the work is done (at exit: the database is closed only after it opened)."""
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            result: object = self._work()
        except BaseException as e:  # handed to the GUI thread, which says what happened
            result = e
        self.finished.emit(result)


class _FirstExpose(QObject):
    def __init__(self, window: QWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(0 if window.isExposed() else EXPOSE_WAIT_MS, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) \
                and watched.isExposed():
            QTimer.singleShot(0, self, self._go)  # after this expose has been painted
        return False

    def _go(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once ``window`` (already shown) is on screen, so heavy work that follows
    does not keep it blank."""
    handle = window.windowHandle()
    if handle is None:
        QTimer.singleShot(0, window, then)
        return
    _FirstExpose(handle, then)
