"""Carry the card watcher's notices from the reader's thread to the GUI thread.

Like `sync_bridge`: the watcher calls listeners on its own thread, where no widget may be
touched; this object only re-emits, and Qt queues the signal to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from station_app.services.card_watch import CardNotice, CardWatcher


class CardBridge(QObject):
    """``notice(CardNotice)`` on the GUI thread; ``read_now()`` asks the watcher to read."""

    notice = Signal(CardNotice)

    def __init__(self, watcher: CardWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = watcher
        self._remove: Callable[[], None] | None = watcher.add_listener(self.notice.emit)
        watcher.start()

    def read_now(self) -> None:
        self.watcher.read_now()

    def stop(self) -> None:
        """Stop the watcher's thread (the window is closing)."""
        if self._remove is not None:
            self._remove()
            self._remove = None
        self.watcher.stop()
