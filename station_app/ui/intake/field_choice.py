"""Choices: radio buttons for a few options (all visible at once), a list for more, check boxes.

Radio buttons and check boxes are real buttons: Tab reaches them, Space toggles them, arrow
keys move between the radio buttons of one question.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QRadioButton,
    QWidget,
)

from station_app.domain.catalogue import FormField
from station_app.i18n import mark_data
from station_app.ui.intake.field_base import FieldWidget

RADIO_MAX_OPTIONS = 4
ONE_ROW_MAX_CHARS = 16  # options longer than this together are stacked, so none is clipped


def _columns(options: tuple[str, ...]) -> int:
    return len(options) if sum(len(o) for o in options) <= ONE_ROW_MAX_CHARS else 1


def _grid(buttons: list[QAbstractButton], columns: int) -> QGridLayout:
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(6)
    for i, b in enumerate(buttons):
        grid.addWidget(b, i // columns, i % columns)
    grid.setColumnStretch(columns, 1)
    return grid


class RadioChoiceField(FieldWidget):
    """One of up to four options, every option visible."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        for option in field.options or ():
            b = QRadioButton(option)
            mark_data(b)  # the catalogue's option, also the value saved
            b.setAccessibleName(self.tr("{0}：{1}").format(field.label, option))
            self.group.addButton(b)
            self.buttons.append(b)
            self.watch(b)
        self.group.buttonClicked.connect(lambda _b: self.changed.emit(True))
        self.body.addLayout(_grid(list(self.buttons), _columns(field.options or ())), 1)

    def inputs(self) -> list[QWidget]:
        return list(self.buttons)

    def value(self) -> object:
        checked = self.group.checkedButton()
        return checked.text() if checked is not None else None

    def set_value(self, value: object) -> None:
        self.group.setExclusive(False)  # an exclusive group cannot go back to "none"
        for b in self.buttons:
            b.setChecked(b.text() == value)
        self.group.setExclusive(True)

    def focus_path(self, sub: str = "") -> None:
        checked = self.group.checkedButton()
        (checked or self.buttons[0]).setFocus()


class ComboChoiceField(FieldWidget):
    """One of many options, from a drop-down list that starts with nothing chosen."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(field.label)
        self.combo.addItems(list(field.options or ()))
        self.combo.setPlaceholderText(self.tr("请选择"))
        self.combo.setCurrentIndex(-1)
        self.combo.activated.connect(lambda _i: self.changed.emit(True))
        self.body.addWidget(self.combo, 1)
        self.watch(self.combo)

    def inputs(self) -> list[QWidget]:
        return [self.combo]

    def value(self) -> object:
        return self.combo.currentText() if self.combo.currentIndex() >= 0 else None

    def set_value(self, value: object) -> None:
        self.combo.setCurrentIndex(self.combo.findText(str(value)) if value is not None else -1)


class MultiChoiceField(FieldWidget):
    """Any number of options, as check boxes."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.boxes: list[QCheckBox] = []
        for option in field.options or ():
            box = QCheckBox(option)
            mark_data(box)  # the catalogue's option, also the value saved
            box.setAccessibleName(self.tr("{0}：{1}").format(field.label, option))
            box.clicked.connect(lambda _on: self.changed.emit(True))
            self.boxes.append(box)
            self.watch(box)
        options = field.options or ()
        columns = _columns(options) if len(options) <= RADIO_MAX_OPTIONS else 1
        self.body.addLayout(_grid(list(self.boxes), columns), 1)

    def inputs(self) -> list[QWidget]:
        return list(self.boxes)

    def value(self) -> object:
        return [b.text() for b in self.boxes if b.isChecked()]

    def set_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list | tuple) else set()
        for b in self.boxes:
            b.setChecked(b.text() in chosen)
