"""What the resident sees: a welcome while idle, their own data to check (核对), then 好差评.

Always the 长辈版 sizes and colours, whatever the worker uses: it is read by an elderly
resident across the counter. No menus, no status bar, nothing that changes by timer. The ID
number is shown in full, in reading groups, because this view faces the resident alone (on
their own screen, or the whole window while the worker steps back).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from station_app.i18n import mark_data
from station_app.services.intake_display import Confirmation
from station_app.ui.intake.confirm_dialog import ConfirmView
from station_app.ui.intake.field_base import set_role
from station_app.ui.rating_panel import RatingPanel
from station_app.ui.theme import ELDER


class ResidentView(QWidget):
    """Signals: ``confirmed`` / ``back`` from 核对; ``rated(level, reason or None, words)``;
    ``finished`` when the resident closes the rating (or declines it)."""

    confirmed = Signal()
    back = Signal()
    rated = Signal(object, object, str)  # Rating, RatingReason | None, words
    finished = Signal()

    def __init__(self, station_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resident")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setPalette(ELDER.palette())
        self.setStyleSheet(ELDER.stylesheet()
                           + f"QWidget#resident {{ background: {ELDER.base}; }}"
                           + "QLabel#welcome { font-size: 40px; font-weight: bold; }")
        self.stack = QStackedWidget()
        self.idle = QWidget()
        self.welcome = QLabel()
        self.welcome.setObjectName("welcome")
        self.hint = QLabel(self.tr("请把身份证平放在阅读器上，工作人员会为您办理。"))
        for label in (self.welcome, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        set_role(self.hint, "muted")
        mark_data(self.welcome)  # the station's name
        iv = QVBoxLayout(self.idle)
        iv.addStretch(1)
        iv.addWidget(self.welcome)
        iv.addWidget(self.hint)
        iv.addStretch(2)
        self.confirm = ConfirmView()
        self.confirm.confirmed.connect(self.confirmed.emit)
        self.confirm.back.connect(self.back.emit)
        self.rating = RatingPanel()
        self.rating.chosen.connect(self.rated.emit)
        self.rating.cancelled.connect(self.finished.emit)
        self.rating.close_button.clicked.connect(self.finished.emit)
        self.stack.addWidget(self.idle)
        self.stack.addWidget(self.confirm)
        self.stack.addWidget(self.rating)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.set_station(station_name)

    def set_station(self, name: str) -> None:
        self.welcome.setText(self.tr("欢迎来到{0}").format(name))

    @property
    def showing(self) -> str:
        """"idle", "confirm" or "rating": what the resident is in the middle of."""
        current = self.stack.currentWidget()
        return "confirm" if current is self.confirm else (
            "rating" if current is self.rating else "idle")

    def show_idle(self) -> None:
        self.stack.setCurrentWidget(self.idle)

    def show_confirmation(self, c: Confirmation) -> None:
        """Their own data, ID number in full; the cursor on 确认 (Enter or a touch)."""
        self.confirm.show_confirmation(c)
        self.stack.setCurrentWidget(self.confirm)
        self.confirm.confirm_button.setFocus()

    def confirm_failed(self, message: str) -> None:
        self.confirm.set_error(message)
        self.confirm.confirm_button.setEnabled(True)

    def show_rating(self, about: str) -> RatingPanel:
        """好差评 for the case just saved: five levels, and for a 差评 the reason."""
        self.rating.reset(about)
        self.stack.setCurrentWidget(self.rating)
        self.rating.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)
        return self.rating
