"""Repeating groups (家庭成员 …): rows that can be added and removed, each row a small form."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.catalogue import FormField
from station_app.i18n import mark_data
from station_app.ui.intake.field_base import FieldWidget, set_role

MakeField = Callable[[FormField], FieldWidget]


def add_label(field: FormField) -> str:
    """"添加家庭成员" for the family groups, "添加申请儿童" for the rest."""
    if "家庭成员" in field.label:
        return QCoreApplication.translate("GroupField", "添加家庭成员")
    return QCoreApplication.translate("GroupField", "添加{0}").format(field.label)


class GroupRow(QFrame):
    """One row: a heading, its fields, and a button that removes it."""

    def __init__(self, group: FormField, make: MakeField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        head = QHBoxLayout()
        self.heading = QLabel()
        self.remove = QPushButton(self.tr("删除此行"))
        self.remove.setAutoDefault(True)
        head.addWidget(self.heading, 1)
        head.addWidget(self.remove)
        layout.addLayout(head)
        self.fields: dict[str, FieldWidget] = {}
        for f in group.fields or ():
            w = make(f)
            self.fields[f.key] = w
            layout.addWidget(w)

    def number(self, n: int, label: str) -> None:
        self.heading.setText(self.tr("第 {0} 行").format(n))
        self.remove.setAccessibleName(self.tr("删除{0}第 {1} 行").format(label, n))


class GroupField(FieldWidget):
    """Rows of sub-forms. The value is a list of row dicts, in the order shown."""

    rows_changed = Signal()

    def __init__(self, field: FormField, make: MakeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._make = make
        self.rows: list[GroupRow] = []
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(10)
        box.addLayout(self.rows_box)
        foot = QHBoxLayout()
        self.add = QPushButton(add_label(field))
        mark_data(self.add, "家庭成员" not in field.label)  # "添加" and the catalogue's label
        self.add.setAutoDefault(True)
        self.add.clicked.connect(self.add_row)
        most = field.max_items
        self.limit = QLabel(self.tr("最多 %n 行", "", most))
        set_role(self.limit, "muted")
        self.limit.hide()
        foot.addWidget(self.add)
        foot.addWidget(self.limit)
        foot.addStretch(1)
        box.addLayout(foot)
        self.body.addLayout(box, 1)
        self.watch(self.add)

    def inputs(self) -> list[QWidget]:
        out: list[QWidget] = []
        for row in self.rows:
            for w in row.fields.values():
                out.extend(w.inputs())
            out.append(row.remove)
        out.append(self.add)
        return out

    def value(self) -> object:
        return [{k: w.value() for k, w in row.fields.items()} for row in self.rows]

    def set_value(self, value: object) -> None:
        rows = [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []
        while len(self.rows) > len(rows):
            self._drop(self.rows[-1])
        while len(self.rows) < len(rows):
            self._append()
        for row, data in zip(self.rows, rows, strict=True):
            for key, w in row.fields.items():
                w.set_value(data.get(key))
        self._renumber()

    def nested(self) -> Iterator[tuple[str, FieldWidget]]:
        for i, row in enumerate(self.rows):
            for key, w in row.fields.items():
                yield f"[{i}].{key}", w

    def set_errors(self, errors: Mapping[str, str]) -> None:
        own = {p: m for p, m in errors.items() if p == "" or (p.endswith("]") and "." not in p)}
        super().set_errors(own)
        for i, row in enumerate(self.rows):
            for key, w in row.fields.items():
                prefix = f"[{i}].{key}"
                w.set_errors({p[len(prefix):].lstrip("."): m for p, m in errors.items()
                              if p == prefix or p.startswith(prefix + ".")})

    def focus_path(self, sub: str = "") -> None:
        for rel, w in self.nested():
            if sub == rel or sub.startswith(rel + "."):
                w.focus_path(sub[len(rel):].lstrip("."))
                return
        first = next(self.nested(), None)
        if first is not None:
            first[1].focus_path()
        else:
            self.add.setFocus()

    def add_row(self) -> None:
        """A new empty row, with the cursor in its first input."""
        row = self._append()
        self._renumber()
        self.rows_changed.emit()
        self.changed.emit(True)
        next(iter(row.fields.values())).focus_path()

    def remove_row(self, row: GroupRow) -> None:
        i = self.rows.index(row)
        self._drop(row)
        self._renumber()
        self.rows_changed.emit()
        self.changed.emit(True)
        if i < len(self.rows):
            next(iter(self.rows[i].fields.values())).focus_path()
        else:
            self.add.setFocus()

    def _append(self) -> GroupRow:
        row = GroupRow(self.field, self._make)
        row.remove.clicked.connect(lambda: self.remove_row(row))
        for w in row.fields.values():
            w.changed.connect(self.changed.emit)
            w.left.connect(self._maybe_left)
            w.submit_requested.connect(self.submit_requested.emit)
        self.watch(row.remove)
        self.rows_box.addWidget(row)
        self.rows.append(row)
        return row

    def _drop(self, row: GroupRow) -> None:
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _renumber(self) -> None:
        for n, row in enumerate(self.rows, 1):
            row.number(n, self.field.label)
        full = len(self.rows) >= self.field.max_items
        self.add.setEnabled(not full)
        self.limit.setVisible(full)

    def _maybe_left(self) -> None:
        now = QApplication.focusWidget()
        if now is None or not self.isAncestorOf(now):
            self.left.emit()

