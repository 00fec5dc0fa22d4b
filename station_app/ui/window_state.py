"""Where the window was: maximised on the first start, then as the worker left it.

Kept beside the station's data (``window-state.json``, no personal data) because the station
PC is the machine it describes. A missing or unreadable file means "first start": the window
opens maximised, which is what a counter PC with one program wants.
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QWidget

from station_app.domain.files import atomic_write

log = logging.getLogger(__name__)

STATE_FILE = "window-state.json"


def show_remembered(window: QWidget, data_dir: Path) -> None:
    """Show ``window`` as it was last closed here, maximised the first time; remember it at
    close from now on."""
    path = data_dir / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        geometry = QByteArray(base64.b64decode(str(state.get("geometry", ""))))
        maximised = bool(state.get("maximised", True))
    except (OSError, ValueError):
        geometry, maximised = QByteArray(), True
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    if maximised:
        window.showMaximized()
    else:
        window.show()
    window.installEventFilter(_Remember(window, path))


class _Remember(QObject):
    """Writes the window's state when it closes (a failure is logged, never shown)."""

    def __init__(self, window: QWidget, path: Path) -> None:
        super().__init__(window)
        self.window, self.path = window, path

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            state = {"maximised": self.window.isMaximized(),
                     "geometry": bytes(self.window.saveGeometry().toBase64().data()).decode()}
            try:
                atomic_write(self.path, json.dumps(state).encode("utf-8"))
            except OSError as e:
                log.warning("窗口位置未能保存：%s", e)
        return False
