"""The filter bar of the 办件 page: status, item, date range and one search box.

It only turns the inputs into a :class:`CaseQuery`; the page runs it. Typing in the search box
waits a moment (debounce) so that a name typed character by character costs one query, not
five; choosing in a combo box applies at once.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from station_app.services.case_list import DATE_CHOICES, STATUS_CHOICES, CaseQuery, last_days
from station_app.ui.domain_words import word

SEARCH_DELAY_MS = 300
CUSTOM_RANGE = "custom"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class CaseFilterBar(QWidget):
    """Emits ``changed`` whenever the query the worker asked for changes."""

    changed = Signal()

    def __init__(self, items: list[tuple[str, str]], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.status = QComboBox()
        for label, key in STATUS_CHOICES:
            self.status.addItem(word(label), key)
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.item = QComboBox()
        self.item.addItem(self.tr("全部事项"), None)
        for code, name in items:
            self.item.addItem(f"{code} {name}", code)
        self.item.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(12)
        self.dates = QComboBox()
        for label, days in DATE_CHOICES:
            self.dates.addItem(word(label), days)
        self.dates.addItem(self.tr("指定日期…"), CUSTOM_RANGE)
        self.dates.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.first_day = self._date_edit(self.tr("起始日期"))
        self.first_day.setDate(_qdate(today).addDays(-29))  # a month back, a common question
        self.last_day = self._date_edit(self.tr("截止日期"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、身份证后 4 位或受理编号"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._layout()
        self._name_inputs()
        self.status.currentIndexChanged.connect(self._apply_now)
        self.item.currentIndexChanged.connect(self._apply_now)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        self.first_day.dateChanged.connect(self._apply_now)
        self.last_day.dateChanged.connect(self._apply_now)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._apply_now)
        self._debounce.timeout.connect(self.changed)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(self._today))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMaximumDate(_qdate(self._today))
        edit.setAccessibleName(name)
        edit.setVisible(False)
        return edit

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        labels = ((self.tr("状态(&S)"), self.status), (self.tr("事项(&I)"), self.item),
                  (self.tr("日期(&D)"), self.dates), (self.tr("查找(&F)"), self.search))
        for col, (text, widget) in enumerate(labels):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, col)
            grid.addWidget(widget, 1, col)
        grid.addWidget(self.first_day, 2, 2)
        grid.addWidget(self.last_day, 3, 2)
        for col, stretch in enumerate((1, 2, 1, 4)):  # the search box: room for its hint
            grid.setColumnStretch(col, stretch)
        for a, b in ((self.status, self.item), (self.item, self.dates),
                     (self.dates, self.first_day), (self.first_day, self.last_day),
                     (self.last_day, self.search)):
            QWidget.setTabOrder(a, b)

    def _name_inputs(self) -> None:
        names = ((self.status, self.tr("按状态筛选")), (self.item, self.tr("按事项筛选")),
                 (self.dates, self.tr("按受理日期筛选")),
                 (self.search, self.tr("查找：姓名、身份证后 4 位或受理编号")))
        for widget, name in names:
            widget.setAccessibleName(name)
            widget.setToolTip(name)

    def query(self) -> CaseQuery:
        """The query the inputs describe right now (pending search text included)."""
        first: date | None
        last: date | None
        if self.dates.currentData() == CUSTOM_RANGE:
            first, last = sorted((_pydate(self.first_day.date()), _pydate(self.last_day.date())))
        else:
            first, last = last_days(self.dates.currentData(), self._today)
        return CaseQuery(status=self.status.currentData(), item_code=self.item.currentData(),
                         first_day=first, last_day=last, search=self.search.text())

    def set_today(self, today: date) -> None:
        """A terminal left running overnight: "今天" moves on with the calendar."""
        self._today = today
        for edit in (self.first_day, self.last_day):
            edit.setMaximumDate(_qdate(today))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def stop(self) -> None:
        """No query may run after the page is gone."""
        self._debounce.stop()

    def _dates_changed(self) -> None:
        custom = self.dates.currentData() == CUSTOM_RANGE
        self.first_day.setVisible(custom)
        self.last_day.setVisible(custom)
        self._apply_now()

    def _apply_now(self) -> None:
        self._debounce.stop()
        self.changed.emit()
