"""An input with its message underneath: the one way screens show a wrong field.

The message is words ("错误：…") in the theme's error colour, so colour is never the only cue;
the row is hidden entirely when there is nothing to say, so it takes no space.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from station_app.i18n import mark_data
from station_app.ui.spaced_label import SpacedLabel


class FieldRow(QWidget):
    """`editor` above a message label; `set_error("")` clears the message."""

    def __init__(self, editor: QWidget, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        self.note = SpacedLabel(note)  # a note may wrap: its lines 1.3 apart in 长辈版
        self.note.setProperty("role", "muted")
        self.note.setVisible(bool(note))
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        mark_data(self.error)  # the message comes from the services, in Chinese
        self.error.hide()
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self.setFocusProxy(editor)

    def set_error(self, message: str) -> None:
        self.error.setText(self.tr("错误：{0}").format(message) if message else "")
        self.error.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.setAccessibleDescription(message)


def add_row(form: QFormLayout, label: str, row: FieldRow) -> QLabel:
    """A form row whose label names the editor for screen readers and Alt-mnemonics."""
    text = QLabel(label)
    text.setBuddy(row.editor)
    text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    text.setProperty("role", "fieldlabel")  # lines the label up with the editor's text
    if not row.editor.accessibleName():
        row.editor.setAccessibleName(label.replace("&", ""))
    form.addRow(text, row)
    return text


def new_form() -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(14)
    return form
