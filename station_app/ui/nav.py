"""Left navigation: four large buttons, one checked, each reachable with Alt+1 … Alt+4."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QVBoxLayout, QWidget


class NavBar(QWidget):
    """Emits `chosen(index)` when a button is clicked or its shortcut is pressed."""

    chosen = Signal(int)

    def __init__(self, labels: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nav")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        for i, text in enumerate(labels):
            b = QPushButton(text)
            b.setCheckable(True)
            b.setProperty("role", "nav")
            key = QKeySequence(f"Alt+{i + 1}")
            # A QShortcut, not the button's own: a button's shortcut "animates" its click and
            # switches ~100 ms later, losing what the worker types in between.
            shortcut = QShortcut(key, self)
            shortcut.activated.connect(lambda n=i: self._shortcut(n))
            b.setAccessibleName(text)
            b.setAccessibleDescription(self.tr("快捷键 {0}").format(key.toString()))
            native = key.toString(QKeySequence.SequenceFormat.NativeText)
            b.setToolTip(self.tr("{0}（{1}）").format(text, native))
            self.group.addButton(b, i)
            layout.addWidget(b)
            self.buttons.append(b)
        hint = QLabel(self.tr("Alt+1…4\n切换页面"))
        hint.setProperty("role", "muted")
        layout.addStretch(1)
        layout.addWidget(hint)
        self.group.idClicked.connect(self.chosen)

    def _shortcut(self, index: int) -> None:
        self.buttons[index].setChecked(True)
        self.chosen.emit(index)

    def set_current(self, index: int) -> None:
        self.buttons[index].setChecked(True)
