"""好差评 at the counter: the :class:`~station_app.ui.rating_panel.RatingPanel` in a modal
dialog on the worker's screen, for stations without a screen of the resident's own.

The panel asks (five levels; for a 差评 the reason) and thanks; the dialog only frames it,
closes on 关闭 or 暂不评价, and passes the choice on. Storing is the page's job
(``chosen`` -> ``show_thanks`` or ``show_error``).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.ui.rating_panel import ASK, RatingPanel, stars
from station_app.ui.theme import ELDER

__all__ = ["RatingDialog", "stars"]


class RatingDialog(QDialog):
    """Emits ``chosen(level, reason or None, words)`` with the resident's choice."""

    chosen = Signal(object, object, str)

    def __init__(self, about: str, current: Rating | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("好差评"))
        self.setStyleSheet(f"QDialog {{ background: {ELDER.window}; }}")
        self.setModal(True)
        self.panel = RatingPanel(about, current, self)
        self.panel.chosen.connect(self.chosen)
        self.panel.cancelled.connect(self.reject)
        self.panel.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.panel)
        # the panel's parts, as the page and its tests reach them
        self.pages, self.buttons, self.reasons = (self.panel.pages, self.panel.buttons,
                                                  self.panel.reasons)
        self.thanks, self.summary = self.panel.thanks, self.panel.summary
        self.close_button, self.cancel_button = (self.panel.close_button,
                                                 self.panel.cancel_button)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentIndex() == ASK:
            self.panel.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, rating: Rating, reason: RatingReason | None = None,
               words: str = "") -> None:
        """The resident's choice (a 差评 with its reason goes through at once)."""
        self.panel.choose(rating)
        if rating.is_negative and reason is not None:
            self.reasons[reason].setChecked(True)
            self.panel.words.setText(words)
            self.panel.submit_reason()

    def show_thanks(self, rating: Rating, deadline: date | None = None) -> None:
        self.panel.show_thanks(rating, deadline)
        self.close_button.setDefault(True)

    def show_error(self, message: str) -> None:
        self.panel.show_error(message)
        self.close_button.setDefault(True)
