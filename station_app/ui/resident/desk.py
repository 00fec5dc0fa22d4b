"""Where the resident's view lives: on a second monitor, or taking over the worker's window.

With a second screen attached, a frameless full-screen window there shows the resident view
all the time (a welcome while idle), and the worker's window keeps its masked 核对 page. With
one screen, the view takes over the whole worker window while the resident checks and rates
(no menu, no status bar), and gives it back after.

Monitors come and go (a cable pulled mid-case): the view is moved, not rebuilt, so what the
resident was checking and the form behind it stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from station_app.services.intake_display import Confirmation
from station_app.ui.rating_panel import RatingPanel
from station_app.ui.resident.view import ResidentView


class ResidentWindow(QWidget):
    """A frameless full-screen window on the resident's monitor, holding the view."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(self.tr("居民服务屏"))
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def place_on(self, screen: QScreen) -> None:
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()


class ResidentDesk(QObject):
    """Shows the resident view on the best place there is, and keeps it there as screens change.

    ``worker`` is the worker's main window; ``host`` a widget inside it that can hold the
    view; ``takeover(on)`` asks the main window to show ``host`` alone (True) or its own
    pages again (False).
    """

    def __init__(self, view: ResidentView, worker: QWidget, host: QWidget,
                 takeover: Callable[[bool], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.worker = worker
        self.host = host
        self._host_box = QVBoxLayout(host)
        self._host_box.setContentsMargins(0, 0, 0, 0)
        self._takeover = takeover
        self.window: ResidentWindow | None = None
        self.view.finished.connect(self.show_idle)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screen_removed)
        self._rehost(None)

    @property
    def on_own_screen(self) -> bool:
        """True when the resident has a monitor of their own."""
        return self.window is not None

    def show_confirmation(self, c: Confirmation) -> None:
        self.view.show_confirmation(c)
        self._take_if_needed()

    def show_rating(self, about: str) -> RatingPanel:
        rating = self.view.show_rating(about)
        self._take_if_needed()
        return rating

    def show_idle(self) -> None:
        self.view.show_idle()
        self._take_if_needed()

    def stop(self) -> None:
        """The terminal is closing: close the resident's window too."""
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.disconnect(self._screens_changed)
            app.screenRemoved.disconnect(self._screen_removed)
        if self.window is not None:
            self.window.close()

    # -- screens ------------------------------------------------------------------------

    def _second_screen(self, gone: QScreen | None) -> QScreen | None:
        own = self.worker.screen()
        for screen in QGuiApplication.screens():
            if screen is not own and screen is not gone:
                return screen
        return None

    def _screens_changed(self, _screen: QScreen) -> None:
        self._rehost(None)

    def _screen_removed(self, screen: QScreen) -> None:
        self._rehost(screen)

    def _rehost(self, gone: QScreen | None) -> None:
        target = self._second_screen(gone)
        if target is not None:
            if self.window is None:
                self.window = ResidentWindow()
                self.window.box.addWidget(self.view)
            self.window.place_on(target)
            self.view.show()
            self._takeover(False)
            return
        if self.window is not None:
            window, self.window = self.window, None
            self._host_box.addWidget(self.view)  # reparents: nothing the view holds is lost
            window.close()
            window.deleteLater()
        elif self.view.parent() is not self.host:
            self._host_box.addWidget(self.view)
        self.view.show()
        self._take_if_needed()

    def _take_if_needed(self) -> None:
        if self.window is None:
            self._takeover(self.view.showing != "idle")
