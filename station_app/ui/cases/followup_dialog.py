"""办结差评回访: the administrator writes what the callback found and what was put right.

The notes are required (a follow-up without them proves nothing to the district); the
dialog only collects them and shows the service's answer: ``submitted`` -> the page stores
them and closes the dialog, or calls ``show_error`` with the one line it got back.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.feedback import MAX_NOTES
from station_app.i18n import mark_data
from station_app.ui.spaced_label import SpacedLabel


class FollowUpDialog(QDialog):
    """Asks for the callback notes of one follow-up; emits ``submitted(notes)``."""

    submitted = Signal(str)

    def __init__(self, about: str, deadline: date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("办结差评回访"))
        self.setModal(True)
        heading = QLabel(self.tr("办结差评回访"))
        heading.setProperty("role", "heading")
        self.about = SpacedLabel(about)
        mark_data(self.about)  # the case, the rating and its reason
        due = (self.tr("回访期限：{0}").format(f"{deadline:%Y-%m-%d}") if deadline
               else self.tr("回访期限：待节假日安排公布后确定"))
        self.deadline = QLabel(due)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("回访情况：联系了谁、居民怎么说、怎么整改（必填）"))
        self.notes.setPlaceholderText(self.tr("联系了谁、居民怎么说、怎么整改（必填）"))
        self.error = SpacedLabel()
        self.error.setProperty("role", "error")
        self.error.hide()
        mark_data(self.error)  # the service's message
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("办结回访"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setAccessibleName(self.tr("办结回访，上报区里"))
        self.close_button.setProperty("role", "primary")
        self.cancel_button = buttons.addButton(self.tr("取消"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName(self.tr("取消，不办结"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.about, self.deadline, self.notes, self.error, buttons):
            layout.addWidget(widget)
        self.notes.setFocus()

    def _submit(self) -> None:
        text = self.notes.toPlainText()
        if len(text) > MAX_NOTES:
            self.show_error(self.tr("回访情况最多 {0} 个字，请删减。").format(MAX_NOTES))
            return
        self.submitted.emit(text)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.notes.setFocus()
