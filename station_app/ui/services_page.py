"""事项 page: find an item in a few keystrokes, read its details, start intake.

Keyboard first: the search box keeps focus while Up/Down move through the results and Enter
starts intake of the highlighted item, so "txns ⏎" is the whole path to a 退休年审 form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.search import SearchIndex
from station_app.ui.card_offers_panel import CardOffersPanel
from station_app.ui.item_detail import ItemDetail
from station_app.ui.item_list_model import ItemListModel, ItemRole
from station_app.ui.pages import Page

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ServicesPage(Page):
    """Search, category filter, result list and detail; emits `startIntake(code)`."""

    startIntake = Signal(str)

    def __init__(self, catalogue: Catalogue, index: SearchIndex,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._index = index
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入汉字、全拼或首字母，如 txns、退休"))
        self.search.setAccessibleName(self.tr("查找事项"))
        self.category = QComboBox()
        self.category.setAccessibleName(self.tr("事项分类"))
        self.category.addItem(self.tr("全部分类"), None)
        for c in catalogue.header.categories:
            self.category.addItem(c.name, c.code)
        self.model = ItemListModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setAccessibleName(self.tr("查找结果"))
        self.results.setWordWrap(True)  # long names wrap instead of scrolling sideways
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setSpacing(2)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self.detail = ItemDetail(catalogue)
        self.start_button = QPushButton(self.tr("开始受理（Enter）"))
        self.start_button.setProperty("role", "primary")
        self.start_button.setAccessibleName(self.tr("开始受理"))
        self.offers = CardOffersPanel()  # what a card placed on the reader suggests
        self._layout()
        self.search.textChanged.connect(self.refresh)
        self.category.currentIndexChanged.connect(self.refresh)
        self.results.selectionModel().currentChanged.connect(self._current_changed)
        self.results.activated.connect(self._activated)
        self.start_button.clicked.connect(self.start_current)
        self.search.installEventFilter(self)
        self.refresh()

    def _layout(self) -> None:
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        head = QLabel(self.tr("查找事项"))
        head.setProperty("role", "heading")
        head.setBuddy(self.search)
        lv.addWidget(head)
        lv.addWidget(self.search)
        lv.addWidget(self.category)
        lv.addWidget(self.count)
        lv.addWidget(self.results, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.detail, 1)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.start_button)
        rv.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([4000, 6000])  # scaled to the real width: 2 : 3
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self.offers)
        outer.addWidget(split, 1)
        for a, b in ((self.search, self.category), (self.category, self.results),
                     (self.results, self.detail), (self.detail, self.start_button)):
            QWidget.setTabOrder(a, b)

    def enter(self) -> None:
        self.focus_search()

    def shutdown(self) -> None:
        """Nothing is typed here that must be kept, and nothing runs."""

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_code(self) -> str | None:
        idx = self.results.currentIndex()
        return str(idx.data(ItemRole.CODE)) if idx.isValid() else None

    def refresh(self) -> None:
        """Run the query again (on every keystroke: the index answers in microseconds)."""
        keep = self.current_code() if not self.search.text() else None
        hits = self._index.search(self.search.text(), category=self.category.currentData())
        self.model.set_hits(hits)
        if hits:
            self.count.setText(self.tr("找到 {0} 项").format(len(hits)))
        else:
            self.count.setText(self.tr("没有找到，请换个说法或检查分类"))
        row = self.model.row_of(keep) if keep else -1
        self._select(max(row, 0) if hits else -1)

    def _select(self, row: int) -> None:
        sel = self.results.selectionModel()
        if row < 0:
            sel.clearCurrentIndex()
            self.detail.show_code(None)
            self.start_button.setEnabled(False)
            return
        idx = self.model.index(row, 0)
        sel.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.results.scrollTo(idx)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = str(current.data(ItemRole.CODE)) if current.isValid() else None
        if code != self.detail.code:
            self.detail.show_code(code)
        self.start_button.setEnabled(code is not None)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.startIntake.emit(str(index.data(ItemRole.CODE)))

    def start_current(self) -> None:
        code = self.current_code()
        if code is not None:
            self.startIntake.emit(code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key in _ENTER:
                self.start_current()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                        Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[Qt.Key(key)]
                rows = self.model.rowCount()
                if rows:
                    cur = self.results.currentIndex().row()
                    self._select(min(max(cur + step, 0), rows - 1))
                return True
        return super().eventFilter(watched, event)
