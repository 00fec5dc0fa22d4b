"""The 事项 result list as a Qt model: one row per search hit, bundles tagged in words.

The rows are whatever `SearchIndex.search` returned, so ranking stays in the domain; the
model only turns hits into text. A bundle's tag is text ("〔一事联办〕"), never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from station_app.domain.search import SearchHit

AnyIndex = QModelIndex | QPersistentModelIndex


class ItemRole(IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    MATCHED = Qt.ItemDataRole.UserRole + 3


class ItemListModel(QAbstractListModel):
    """Search hits, best first; `set_hits` replaces them all (a query is a new list)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, code: str) -> int:
        return next((i for i, h in enumerate(self._hits) if h.code == code), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        h = self.hit(index.row())
        if h is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._label(h)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{h.code} {h.name}"
        if role == ItemRole.CODE:
            return h.code
        if role == ItemRole.KIND:
            return h.kind
        if role == ItemRole.MATCHED:
            return h.matched
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and section == 0:
            return self.tr("事项")
        return None

    def _label(self, h: SearchHit) -> str:
        text = h.name
        if h.kind == "bundle":
            text = self.tr("〔一事联办〕") + text
        if h.matched and h.matched not in (h.name, h.code):
            text += self.tr("（{0}）").format(h.matched)
        return text
