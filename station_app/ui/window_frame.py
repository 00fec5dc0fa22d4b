"""The frame around the terminal's pages: what the window shows besides the page itself.

A top bar (the station's name, 锁定 / 切换用户, 长辈版) over a root stack that shows one of
three: the first-run page, the work area (navigation beside the page stack), or the
resident's own view filling the window while the counter hands it over (``take_over``). The
main window makes the widgets and wires them; this only places them and switches between
the three, so the reading order (top bar, navigation, page) is set in one place.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)


class WindowFrame:
    """Lays out ``window``'s central widget; ``top`` left to right (the first one stretches),
    ``nav`` beside ``pages``; ``tab_chain`` is the keyboard's reading order."""

    def __init__(self, window: QMainWindow, top: list[QWidget], nav: QWidget,
                 pages: QStackedWidget, tab_chain: list[QWidget]) -> None:
        self.topbar = QWidget()
        self.topbar.setObjectName("topbar")
        tl = QHBoxLayout(self.topbar)
        tl.setContentsMargins(16, 6, 16, 6)
        for i, widget in enumerate(top):
            tl.addWidget(widget, 1 if i == 0 else 0)
        self.work = QWidget()
        wl = QHBoxLayout(self.work)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(0)
        wl.addWidget(nav)
        wl.addWidget(pages, 1)
        self.root = QStackedWidget()
        self.takeover_host = QWidget()  # the resident's view, when it has no screen of its own
        self._first_run_place = QWidget()  # where the first-run page goes, once built
        for part in (self._first_run_place, self.work, self.takeover_host):
            self.root.addWidget(part)
        central = QWidget()
        central.setObjectName("page")
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.topbar)
        cl.addWidget(self.root, 1)
        window.setCentralWidget(central)
        for a, b in pairwise(tab_chain):
            QWidget.setTabOrder(a, b)

    def place_first_run(self, page: QWidget) -> None:
        """Put the first-run page, built on first need, where its placeholder stood."""
        placeholder = self._first_run_place
        self.root.insertWidget(self.root.indexOf(placeholder), page)
        self.root.removeWidget(placeholder)
        placeholder.deleteLater()

    def show(self, part: QWidget) -> None:
        """Show the first-run page or the work area."""
        self.root.setCurrentWidget(part)

    def take_over(self, on: bool, status_bar: QStatusBar) -> None:
        """The resident's view fills the window (no top bar, navigation or status bar)."""
        if on == (self.root.currentWidget() is self.takeover_host):
            return
        self.root.setCurrentWidget(self.takeover_host if on else self.work)
        self.topbar.setVisible(not on)
        status_bar.setVisible(not on)
