"""Keyboard-wedge card readers in the GUI: an application event filter that hears the burst.

A wedge reader types the number and Enter into whatever field has focus; the worker should not
have to click the ID field first. Installed on the application, the filter watches every key
press, feeds the pure decoder (``services.card_drivers.wedge``) and emits ``card_read`` when a
burst is a number. It never swallows keys: the focused field still gets what was typed (the
intake page then fills the form from the signal).

A key press that no widget accepts is offered to the parent widgets in turn, and the window
receives it before the focus widget, so the filter counts a press only at its first widget
receiver: the focus widget of its window (or the window, when nothing there has focus). The
clock is injected so tests drive it without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from station_app.services.card_drivers.wedge import MAX_GAP_SECONDS, WedgeDecoder
from station_app.services.id_card import IdCardData

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CardWedgeFilter(QObject):
    """``card_read(IdCardData)`` for every number a keyboard-wedge reader types."""

    card_read = Signal(IdCardData)

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 max_gap: float = MAX_GAP_SECONDS) -> None:
        super().__init__(parent)
        self._clock = clock
        self._decoder = WedgeDecoder(max_gap)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and _first_receiver(watched):
            self._key(event)
        return False  # the keys still reach the focused field

    def _key(self, event: QKeyEvent) -> None:
        at = self._clock()
        chars = "\r" if event.key() in ENTER_KEYS else event.text()
        for char in chars:
            card = self._decoder.feed(char, at)
            if card is not None:
                self.card_read.emit(card)


def _first_receiver(watched: QObject) -> bool:
    """True for the widget a key press is delivered to first (not a parent it propagates to)."""
    if not isinstance(watched, QWidget):
        return False
    window = watched.window()
    return watched is (window.focusWidget() or window)
