"""The materials checklist: what to collect for the answers given so far, ticked when received.

The list follows the answers (代办 adds the 委托书, 新生儿 adds the 出生医学证明); a tick is kept
by material name, so a material that disappears and comes back keeps its tick.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station_app.domain.catalogue import Material
from station_app.i18n import mark_data
from station_app.ui.domain_words import form_label
from station_app.ui.intake.field_base import set_role
from station_app.ui.spaced_label import SpacedLabel


class _ClickLabel(SpacedLabel):
    """A wrapping label that toggles its check box when clicked, as a check box's text does."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class MaterialRow(QWidget):
    """A check box with a wrapping description (long names never get clipped)."""

    def __init__(self, m: Material, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.material = m
        self.box = QCheckBox()
        self.box.setAccessibleName(self.tr("已收到：{0}").format(m.name))
        described = self.describe(m)
        self.box.setAccessibleDescription(described + (f"。{m.note}" if m.note else ""))
        self.text = _ClickLabel(described)
        mark_data(self.text)  # the catalogue's material
        self.text.setBuddy(self.box)
        self.text.clicked.connect(self.box.click)
        self.note: QLabel | None = None
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(self.text)
        if m.note:
            self.note = SpacedLabel(m.note)
            set_role(self.note, "muted")
            mark_data(self.note)
            column.addWidget(self.note)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(column, 1)

    def describe(self, m: Material) -> str:
        """``【必交】授权委托书（原件，1 份）`` — the status is words, not a colour."""
        need = self.tr("【必交】") if m.required else self.tr("【选交】")
        form, copies = form_label(m.form), m.copies
        if copies:
            form = self.tr("{0}，%n 份", "", copies).format(form)
        return self.tr("{0}{1}（{2}）").format(need, m.name, form)


class MaterialsPanel(QWidget):
    """Signal ``toggled(name, received)`` when the worker ticks or unticks a material."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(10)
        title = QLabel(self.tr("材料清单"))
        set_role(title, "heading")
        title.setWordWrap(True)
        hint = SpacedLabel(self.tr("收到一份，勾选一份"))
        set_role(hint, "muted")
        layout.addWidget(title)
        layout.addWidget(hint)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(12)
        layout.addLayout(self.rows_box)
        layout.addStretch(1)
        self.rows: dict[str, MaterialRow] = {}

    def show_materials(self, materials: list[tuple[Material, bool]]) -> bool:
        """Show these materials with their ticks; True when the list itself changed."""
        names = [m.name for m, _ in materials]
        rebuilt = names != list(self.rows)
        if rebuilt:
            for row in self.rows.values():
                self.rows_box.removeWidget(row)
                row.hide()
                row.deleteLater()
            self.rows = {}
            for m, _ in materials:
                row = MaterialRow(m)
                row.box.toggled.connect(lambda on, name=m.name: self.toggled.emit(name, on))
                self.rows[m.name] = row
                self.rows_box.addWidget(row)
        for m, on in materials:
            box = self.rows[m.name].box
            if box.isChecked() != on:
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)
        return rebuilt

    def box(self, name: str) -> QCheckBox:
        return self.rows[name].box

    def inputs(self) -> list[QWidget]:
        return [row.box for row in self.rows.values()]
