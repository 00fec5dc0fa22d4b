"""Carry the sync engine's notices from its worker thread to the GUI thread as a Qt signal.

The sync service calls listeners on its own thread, where no widget may be touched. This
object only re-emits; Qt queues the signal to the thread the bridge lives in (the GUI's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from station_app.sync.notices import SyncNotice

if TYPE_CHECKING:  # the sync engine (HTTP client) is loaded only when sync starts
    from station_app.services.sync_service import SyncStatus


class SyncControl(Protocol):
    """What the window needs of `services.sync_service.SyncService`."""

    def status(self) -> SyncStatus: ...
    def sync_now(self) -> bool: ...
    def add_listener(self, listener: Callable[[SyncNotice], None]) -> Callable[[], None]: ...


class SyncBridge(QObject):
    """`notice(SyncNotice)` on the GUI thread for every run that starts or finishes."""

    notice = Signal(SyncNotice)

    def __init__(self, service: SyncControl, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._remove: Callable[[], None] | None = service.add_listener(self.notice.emit)

    def detach(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None
