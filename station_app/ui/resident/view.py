"""What the resident sees: a welcome while idle, their own data to check (核对), then 好差评.

Always the 长辈版 sizes and colours, whatever the worker uses: it is read by an elderly
resident across the counter. No menus, no status bar, nothing that changes by timer. The ID
number is shown in full, in reading groups, because this view faces the resident alone (on
their own screen, or the whole window while the worker steps back).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from station_app.domain.lifecycle import Rating
from station_app.i18n import mark_data
from station_app.services.intake_display import Confirmation
from station_app.ui.cases.rating_dialog import RatingDialog
from station_app.ui.intake.confirm_dialog import ConfirmView
from station_app.ui.intake.field_base import set_role
from station_app.ui.theme import ELDER


class ResidentView(QWidget):
    """Signals: ``confirmed`` / ``back`` from 核对; ``rated(Rating)``; ``finished`` when the
    resident closes the rating (or declines it)."""

    confirmed = Signal()
    back = Signal()
    rated = Signal(Rating)
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
        self.rating: RatingDialog | None = None
        self.stack.addWidget(self.idle)
        self.stack.addWidget(self.confirm)
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
        self._drop_rating()
        self.stack.setCurrentWidget(self.idle)

    def show_confirmation(self, c: Confirmation) -> None:
        """Their own data, ID number in full; the cursor on 确认 (Enter or a touch)."""
        self._drop_rating()
        self.confirm.show_confirmation(c)
        self.stack.setCurrentWidget(self.confirm)
        self.confirm.confirm_button.setFocus()

    def confirm_failed(self, message: str) -> None:
        self.confirm.set_error(message)
        self.confirm.confirm_button.setEnabled(True)

    def show_rating(self, about: str) -> RatingDialog:
        """好差评 in this view (the dialog is used as a page, not a window)."""
        self._drop_rating()
        rating = RatingDialog(about)
        rating.setWindowFlags(Qt.WindowType.Widget)
        rating.chosen.connect(self.rated.emit)
        rating.finished.connect(lambda _code: self.finished.emit())
        self.rating = rating
        self.stack.addWidget(rating)
        self.stack.setCurrentWidget(rating)
        rating.show()
        return rating

    def _drop_rating(self) -> None:
        if self.rating is not None:
            self.stack.removeWidget(self.rating)
            self.rating.deleteLater()
            self.rating = None
