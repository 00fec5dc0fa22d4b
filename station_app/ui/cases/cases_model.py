"""The case list as a Qt table model that loads pages of rows only as the view scrolls.

With 100,000 cases the view must never ask for all of them: ``rowCount`` is the number of
rows loaded so far, ``canFetchMore``/``fetchMore`` add one page (one bounded query) when the
view reaches the end, and a new filter resets to the first page.
"""

from __future__ import annotations

import logging
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from station_app.i18n import QT_TRANSLATE_NOOP
from station_app.services.case_list import CaseQuery, CaseRow, CaseSource
from station_app.services.storage_errors import StorageFailed

log = logging.getLogger(__name__)

PAGE_SIZE = 200
ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    REF = 0
    TITLE = 1
    APPLICANT = 2
    CREATED = 3
    STATUS = 4
    SYNC = 5


# Source texts; `header()` gives them in the interface language.
HEADERS = {Column.REF: QT_TRANSLATE_NOOP("CasesModel", "受理编号"),
           Column.TITLE: QT_TRANSLATE_NOOP("CasesModel", "事项"),
           Column.APPLICANT: QT_TRANSLATE_NOOP("CasesModel", "申请人"),
           Column.CREATED: QT_TRANSLATE_NOOP("CasesModel", "受理时间"),
           Column.STATUS: QT_TRANSLATE_NOOP("CasesModel", "状态"),
           Column.SYNC: QT_TRANSLATE_NOOP("CasesModel", "同步")}
SubmissionIdRole = Qt.ItemDataRole.UserRole
AttentionRole = Qt.ItemDataRole.UserRole + 1


def header(column: Column) -> str:
    return QCoreApplication.translate("CasesModel", HEADERS[column])


def _cell(row: CaseRow, column: Column) -> str:
    if column is Column.REF:
        return row.tracking_ref
    if column is Column.TITLE:
        return row.title
    if column is Column.APPLICANT:
        return row.applicant
    if column is Column.CREATED:
        return row.created.strftime("%Y-%m-%d %H:%M")
    if column is Column.STATUS:
        return row.status_text
    return row.sync_label


def _tooltip(row: CaseRow) -> str:
    parts = [QCoreApplication.translate("CasesModel", "受理编号 {0}").format(row.tracking_ref),
             row.title,
             QCoreApplication.translate("CasesModel", "状态：{0}").format(row.status_text),
             QCoreApplication.translate("CasesModel", "上报：{0}").format(row.sync_label)]
    if row.attention_reason:
        reason = QCoreApplication.translate("CasesModel", "原因：{0}")
        parts.append(reason.format(row.attention_reason))
    return "\n".join(parts)


class CasesModel(QAbstractTableModel):
    """Cases matching a :class:`CaseQuery`, newest first, loaded a page at a time."""

    totalChanged = Signal(int)
    loadFailed = Signal(str)  # a page could not be read; the message is for the worker

    def __init__(self, source: CaseSource, parent: Any = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._query = CaseQuery()
        self._counts: list[int] = []
        self._rows: list[CaseRow] = []
        self._fetching = False
        self._attention_bg: QColor | None = None
        self._attention_fg: QColor | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # --- loading -------------------------------------------------------------------------
    @property
    def query(self) -> CaseQuery:
        return self._query

    @property
    def total(self) -> int:
        """How many cases match the query (loaded or not)."""
        return sum(self._counts)

    def set_query(self, query: CaseQuery) -> None:
        """Apply a filter: count the matches and load the first page.

        Both reads happen before the reset, so a StorageFailed leaves the rows as they were.
        """
        counts = self._source.counts(query)
        rows = self._source.page(query, counts, 0, min(self._page_size, sum(counts)))
        self.beginResetModel()
        self._query, self._counts, self._rows = query, counts, rows
        self.endResetModel()
        self.totalChanged.emit(self.total)

    def reload(self) -> None:
        """Run the current query again (after a save, a sync or a rating)."""
        self.set_query(self._query)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self.total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        """Load the next page. A view (or a model checker) reacting to the insertion may ask
        again while rows are going in; that nested request is ignored."""
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        try:
            start = len(self._rows)
            try:
                page = self._source.page(self._query, self._counts, start,
                                         min(self._page_size, self.total - start))
            except StorageFailed as e:  # the view asked; there is no caller to raise to
                log.error("办件列表下一页无法读取：%s", e)
                self.loadFailed.emit(str(e))
                return
            if not page:  # cases were removed meanwhile (retention purge): stop asking
                self._counts = [start]
                self.totalChanged.emit(self.total)
                return
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def row_id(self, row: int) -> str | None:
        """The submission id of a loaded row."""
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of_id(self, submission_id: str) -> int | None:
        """The row of a loaded case, if it is loaded."""
        return next((i for i, r in enumerate(self._rows) if r.id == submission_id), None)

    def set_attention_colours(self, background: QColor | None, text: QColor | None) -> None:
        """Theme colours for rows that need attention (in addition to the text marker)."""
        self._attention_bg, self._attention_fg = background, text
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(Column) - 1),
                                  [Qt.ItemDataRole.BackgroundRole,
                                   Qt.ItemDataRole.ForegroundRole])

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(Column) and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return header(Column(section))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(Column):
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("{0}：{1}").format(header(column), _cell(row, column))
        if role == SubmissionIdRole:
            return row.id
        if role == AttentionRole:
            return row.attention
        if row.attention:
            if role == Qt.ItemDataRole.BackgroundRole and self._attention_bg is not None:
                return self._attention_bg
            if role == Qt.ItemDataRole.ForegroundRole and self._attention_fg is not None:
                return self._attention_fg
            if role == Qt.ItemDataRole.FontRole and column is Column.STATUS:
                return self._bold
        return None
