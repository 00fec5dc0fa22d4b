"""办件 page: every case of the station, filtered and searched, with its detail and 好差评.

The table is fed by :class:`CasesModel`, which loads a page of rows at a time: column widths
come from the font, never from the rows (``resizeColumnsToContents`` would load them all), and
rows have one fixed height so the view never measures them one by one (see ``fitting``).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.china_time import CHINA_TZ
from station_app.i18n import mark_data
from station_app.services.case_list import CaseSource, item_choices
from station_app.services.case_record import load_case
from station_app.services.context import StationContext
from station_app.services.storage_errors import StorageFailed
from station_app.ui.cases.case_detail import CaseDetailPanel
from station_app.ui.cases.cases_model import CasesModel, Column, SubmissionIdRole
from station_app.ui.cases.filter_bar import CaseFilterBar
from station_app.ui.cases.fitting import apply_fit, plan
from station_app.ui.cases.rating_dialog import RatingDialog
from station_app.ui.cases.rating_flow import RatingFlow
from station_app.ui.pages import Page
from station_app.ui.theme import current_theme

log = logging.getLogger(__name__)
_LOOK_CHANGES = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)
class CasesPage(Page):
    """The case list with filters, counter and detail; ``openReceipt`` asks for a reprint."""

    openReceipt = Signal(str)  # tracking ref

    def __init__(self, ctx: StationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ctx = ctx
        self._loaded = False
        self._split_sized = False
        choices = item_choices(ctx)
        self._longest_title = max((name for _code, name in choices), key=len, default="")
        self.filters = CaseFilterBar(choices, self._today())
        self.model = CasesModel(CaseSource(ctx), self)
        self.table = QTableView()
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self.count.setAccessibleName(self.tr("办件数量"))
        self.detail = CaseDetailPanel()
        self.ratings = RatingFlow(ctx, self)
        self._setup_table()
        self._layout()
        self.filters.changed.connect(self.apply_filters)
        self.model.totalChanged.connect(self._show_total)
        self.model.loadFailed.connect(self._show_failure)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.detail.reprintRequested.connect(self.openReceipt)
        self.detail.rateRequested.connect(self.ask_rating)
        self.detail.closeFollowUpRequested.connect(self.close_followup)
        self.ratings.changed.connect(self._rating_stored)
        self.ratings.finished.connect(self._rating_closed)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.focus_search)
        self.table.installEventFilter(self)
        self._apply_row_height()

    def _today(self) -> date:
        return self.ctx.clock().astimezone(CHINA_TZ).date()

    def _setup_table(self) -> None:
        t = self.table
        t.setModel(self.model)
        t.setAccessibleName(self.tr("办件列表"))
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setTabKeyNavigation(False)  # Tab leaves the list, arrows move within it
        t.setWordWrap(False)
        t.setAlternatingRowColors(False)
        t.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        t.verticalHeader().setVisible(False)
        t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setAccessibleName(self.tr("办件列表的列"))

    def _layout(self) -> None:
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table, 1)
        split = self.split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        top = QHBoxLayout()
        heading = QLabel(self.tr("办件"))
        heading.setProperty("role", "heading")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addLayout(top)
        outer.addWidget(self.filters)
        outer.addWidget(split, 1)
        QWidget.setTabOrder(self.filters.search, self.table)
        QWidget.setTabOrder(self.table, self.detail.history)

    # --- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Run the current filter again, keeping the chosen case when it is still listed."""
        self._loaded = True
        self.filters.set_today(self._today())
        keep = self.current_id()
        self.apply_filters()
        row = self.model.row_of_id(keep) if keep else None
        if row is not None:
            self.select_row(row)

    def apply_filters(self) -> None:
        """Show the first page of what the filter bar asks for."""
        try:
            self.model.set_query(self.filters.query())
        except StorageFailed as e:  # the database is busy or broken: say so, keep the page
            log.error("办件列表无法读取：%s", e)
            self._show_failure(str(e))
            return
        self.select_row(0 if self.model.rowCount() else None)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def enter(self) -> None:
        """Cases change behind the page (a save, a sync): list them afresh on every visit."""
        self.refresh()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shutdown(self) -> None:
        """The window is closing: nothing may query after this."""
        self.filters.stop()

    def _show_total(self, total: int) -> None:
        self.count.setProperty("role", "muted")
        self.count.setText(self.tr("共 %n 件", "", total))
        mark_data(self.count, False)
        self._restyle(self.count)

    def _show_failure(self, message: str) -> None:
        self.count.setProperty("role", "error")
        self.count.setText(message)
        mark_data(self.count)  # the store's message
        self._restyle(self.count)

    @staticmethod
    def _restyle(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    # --- selection and detail ----------------------------------------------------------
    def current_id(self) -> str | None:
        idx = self.table.currentIndex()
        return str(idx.data(SubmissionIdRole)) if idx.isValid() else None

    def select_row(self, row: int | None) -> None:
        sel = self.table.selectionModel()
        if row is None:
            sel.clearCurrentIndex()
            self.detail.show_record(None)
            return
        idx = self.model.index(row, 0)
        sel.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sid = current.data(SubmissionIdRole) if current.isValid() else None
        self.show_case(str(sid) if sid else None)

    def show_case(self, submission_id: str | None) -> None:
        try:
            record = load_case(self.ctx, submission_id) if submission_id else None
        except StorageFailed as e:
            log.error("办件详情无法读取：%s", e)
            record = None
        self.detail.set_admin(self.ctx.admin)  # the operator may have switched meanwhile
        self.detail.show_record(record)

    # --- 好差评 --------------------------------------------------------------------------
    @property
    def rating_dialog(self) -> RatingDialog | None:
        return self.ratings.dialog

    def ask_rating(self, submission_id: str) -> None:
        """Open the counter-facing rating dialog for this case (the worker asked for it)."""
        record = self.detail.record
        if record is not None and record.id == submission_id:
            self.ratings.ask(record)

    def close_followup(self, submission_id: str) -> None:
        """Open the 办结回访 dialog for this case's open follow-up (administrators only: the
        button is disabled for others, and the service refuses them too)."""
        record = self.detail.record
        if record is not None and record.id == submission_id:
            self.ratings.close_followup(record)

    def _rating_stored(self, submission_id: str) -> None:
        if self.current_id() == submission_id:
            self.show_case(submission_id)

    def _rating_closed(self) -> None:
        self.detail.rate_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- theme -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _LOOK_CHANGES and self._table_ready():
            self._apply_row_height()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table learns its new font after the page does: size rows when it has it."""
        if event.type() in _LOOK_CHANGES and self._table_ready() and watched is self.table:
            self._apply_row_height()
        return super().eventFilter(watched, event)

    def _table_ready(self) -> bool:
        """Look changes also reach the page while it is built and while Qt takes it down
        (when the Python side is already gone): there is no table to size then."""
        return "table" in self.__dict__

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_split()

    def _fit_split(self) -> None:
        """Detail beside the list when every column fits, else below it, with rows of two or
        three lines when one is too narrow for the item's name (长辈版, small screens)."""
        theme = current_theme()
        fit = plan(self.table, self.width() - 32, self._longest_title,
                   theme.scrollbar_px or 16)
        apply_fit(self.table, fit, theme.control_px)
        orientation = Qt.Orientation.Horizontal if fit.side_by_side else Qt.Orientation.Vertical
        if orientation != self.split.orientation() or not self._split_sized:
            self.split.setOrientation(orientation)
            self.detail.set_wide(not fit.side_by_side)
            height = max(self.split.height(), self.height() - 120)
            self.split.setSizes([fit.table_width, self.width() - fit.table_width]
                                if fit.side_by_side else [height * 2 // 3, height // 3])
            self._split_sized = True

    def _apply_row_height(self) -> None:
        """Row height and column widths follow the font (长辈版: larger), not the content."""
        theme = current_theme()
        self.model.set_attention_colours(QColor(theme.attention_bg), QColor(theme.attention_text))
        self._fit_split()
