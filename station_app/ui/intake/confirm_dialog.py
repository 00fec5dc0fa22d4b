"""The 核对 step: the resident reads their own data in large print before it is saved.

Always in 长辈版 sizes (24 px text, 64 px buttons, black on white), whatever theme the worker
uses, because it is read by the resident across the counter. It is a page of the intake
screen, shown when the worker asks for it, not a window that pops up on its own. 朗读 (F9)
reads it aloud, the ID number whole, for a resident who cannot read the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.i18n import mark_data
from station_app.services.intake_display import Confirmation
from station_app.services.read_aloud_texts import confirmation_speech
from station_app.ui.intake.field_base import ERROR_SIGN, set_role
from station_app.ui.read_aloud import ReadAloudButton
from station_app.ui.spaced_label import SpacedLabel
from station_app.ui.theme import ELDER

LARGE = ELDER


class ConfirmView(QWidget):
    """Signals: ``confirmed`` (确认无误，提交) and ``back`` (返回修改, also Esc)."""

    confirmed = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setPalette(LARGE.palette())
        grow = LARGE.focus_width - LARGE.border_px  # the focus outline is thicker: pad less
        own = (f"QWidget#confirm, QWidget#confirmRows {{ background: {LARGE.base}; }}"
               "QWidget#confirm QPushButton { padding: 8px 40px; }"
               f"QWidget#confirm QPushButton:focus {{ padding: {8 - grow}px {40 - grow}px; }}")
        self.setStyleSheet(LARGE.stylesheet() + own)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(10)
        self.heading = QLabel(self.tr("请您核对以下信息"))
        set_role(self.heading, "heading")
        self.items = SpacedLabel(look=LARGE)
        layout.addWidget(self.heading)
        layout.addWidget(self.items)

        self.rows = QWidget()
        self.rows.setObjectName("confirmRows")
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 8, 8, 8)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows)
        layout.addWidget(scroll, 1)

        self.materials = SpacedLabel(look=LARGE)
        self.promised = SpacedLabel(look=LARGE)
        set_role(self.promised, "attention")
        self.error = SpacedLabel(look=LARGE)
        set_role(self.error, "error")
        self.error.hide()
        for w in (self.items, self.materials, self.promised, self.error):
            mark_data(w)  # names from the catalogue, the case's data, the services' words
        for w in (self.materials, self.promised, self.error):
            layout.addWidget(w)

        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        self.back_button = QPushButton(self.tr("返回修改"))
        self.back_button.setProperty("role", "secondary")
        self.confirm_button = QPushButton(self.tr("确认无误，提交"))
        self.confirm_button.setProperty("role", "primary")
        for b in (self.back_button, self.confirm_button):
            b.setAutoDefault(True)  # Enter presses the focused button
        self.confirm_button.setDefault(True)
        self.confirmation: Confirmation | None = None
        self.read_aloud_button = ReadAloudButton(
            lambda: confirmation_speech(self.confirmation) if self.confirmation else None)
        self.read_aloud_button.failed.connect(self.set_error)
        self.back_button.clicked.connect(self.back.emit)
        self.confirm_button.clicked.connect(self.confirmed.emit)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.read_aloud_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.setTabOrder(self.back_button, self.read_aloud_button)
        self.setTabOrder(self.read_aloud_button, self.confirm_button)

    def show_confirmation(self, c: Confirmation) -> None:
        """Fill the page; the cursor waits on 确认无误，提交 so Enter confirms."""
        self.confirmation = c
        self.items.setText(self.tr("办理事项：{0}").format("；".join(c.item_names or (c.title,))))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        for row, (label, text) in enumerate(c.rows):
            name = QLabel(self.tr("{0}：").format(label))
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            set_role(name, "muted")
            value = SpacedLabel(text, look=LARGE)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value.setAccessibleName(self.tr("{0}：{1}").format(label, text))
            mark_data(name)  # the catalogue's field label
            mark_data(value)  # what was entered
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(value, row, 1)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(len(c.rows), 1)  # rows stay together at the top
        received = "、".join(c.materials) if c.materials else self.tr("无")
        self.materials.setText(self.tr("已收材料：{0}").format(received))
        self.promised.setText(self.tr("办结时限：{0}").format(c.promised))
        self.set_error(None)
        self.confirm_button.setEnabled(True)
        self.confirm_button.setFocus()

    def set_error(self, message: str | None) -> None:
        """Say why saving failed (disk full …); the data stays on screen for another try."""
        self.error.setText(ERROR_SIGN + message if message else "")
        self.error.setVisible(bool(message))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
            return
        super().keyPressEvent(event)
