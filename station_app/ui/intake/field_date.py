"""Dates: typed in any common spelling (the domain reads them), or picked from a calendar."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.parsing import Unparsable, parse_date
from station_app.ui.intake.field_base import FieldWidget
from station_app.ui.intake.field_text import placeholder
from station_app.ui.theme import current_theme


class CalendarPopup(QWidget):
    """A calendar opened on request (never on its own); Enter picks, Esc closes."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName(self.tr("选择日期"))
        weekend = QTextCharFormat()  # Qt's pure red is 4.0:1 on white: the theme's error colour
        weekend.setForeground(QColor(current_theme().error))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)


class DateField(FieldWidget):
    """2026-11-25, 20261125 and 2026年11月25日 are all accepted; the domain normalises them."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(placeholder(FieldType.DATE))
        self.edit.textEdited.connect(lambda _t: self.changed.emit(False))
        self.edit.returnPressed.connect(self.submit_requested.emit)
        self.pick = QPushButton(self.tr("选择日期"))
        self.pick.setAccessibleName(self.tr("{0}：选择日期").format(field.label))
        self.pick.setAutoDefault(True)
        self.pick.clicked.connect(self.open_calendar)
        self.body.addWidget(self.edit, 1)
        self.body.addWidget(self.pick)
        self.watch(self.edit)
        self.watch(self.pick)
        self.popup: CalendarPopup | None = None

    def inputs(self) -> list[QWidget]:
        return [self.edit, self.pick]

    def value(self) -> object:
        return self.edit.text()

    def set_value(self, value: object) -> None:
        self.edit.setText("" if value is None else str(value))

    def open_calendar(self) -> None:
        """Show the calendar under the input, on the typed date when there is one."""
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.calendar.activated.connect(self.choose)
            self.popup.calendar.clicked.connect(self.choose)
        try:
            shown = parse_date(self.edit.text())
            self.popup.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        except Unparsable:
            pass
        self.popup.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.popup.show()
        self.popup.calendar.setFocus()

    def choose(self, day: QDate) -> None:
        """A date picked in the calendar: written in the stored spelling."""
        self.edit.setText(day.toString("yyyy-MM-dd"))
        if self.popup is not None:
            self.popup.hide()
        self.edit.setFocus()
        self.changed.emit(True)
