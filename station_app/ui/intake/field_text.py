"""Typed inputs: one line (text, phone, numbers, codes, accounts), several lines, ID numbers."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from station_app.domain.catalogue import FieldType, FormField
from station_app.i18n import QT_TRANSLATE_NOOP, mark_data
from station_app.ui.intake.field_base import FieldWidget, set_role
from station_app.ui.spaced_label import SpacedLabel

# Examples in the placeholder show the worker the accepted spelling without a rule here.
# Source texts; `placeholder()` gives them in the interface language.
PLACEHOLDERS: dict[FieldType, str] = {
    FieldType.ID_NUMBER: QT_TRANSLATE_NOOP("FieldPlaceholder", "18 位号码，末位可为 X"),
    FieldType.PHONE: QT_TRANSLATE_NOOP("FieldPlaceholder", "如 13812345678 或 027-84561234"),
    FieldType.MONEY: QT_TRANSLATE_NOOP("FieldPlaceholder", "单位：元，如 1234.50"),
    FieldType.INTEGER: QT_TRANSLATE_NOOP("FieldPlaceholder", "填写整数"),
    FieldType.USCC: QT_TRANSLATE_NOOP("FieldPlaceholder", "18 位统一社会信用代码"),
    FieldType.BANK_ACCOUNT: QT_TRANSLATE_NOOP("FieldPlaceholder", "12–19 位数字"),
    FieldType.DATE: QT_TRANSLATE_NOOP("FieldPlaceholder", "如 2026-11-25 或 20261125"),
}


def placeholder(kind: FieldType) -> str:
    """The example shown in an empty input of this type ("" when there is none)."""
    text = PLACEHOLDERS.get(kind, "")
    return QCoreApplication.translate("FieldPlaceholder", text) if text else ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


class LineField(FieldWidget):
    """One line of text; the services normalise and check what was typed."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(placeholder(field.type))
        self.edit.textEdited.connect(lambda _t: self.changed.emit(False))
        self.edit.returnPressed.connect(self.submit_requested.emit)
        self.body.addWidget(self.edit, 1)
        self.watch(self.edit)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def value(self) -> object:
        return self.edit.text()

    def set_value(self, value: object) -> None:
        self.edit.setText(_text(value))


class MultilineField(FieldWidget):
    """Several lines (a hardship description); Tab still moves on, as in every other input."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(field.label)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 16)
        self.edit.textChanged.connect(self._edited)
        self.body.addWidget(self.edit, 1)
        self.watch(self.edit)
        self._quiet = False

    def _edited(self) -> None:
        if not self._quiet:
            self.changed.emit(False)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def value(self) -> object:
        return self.edit.toPlainText()

    def set_value(self, value: object) -> None:
        self._quiet = True
        try:
            self.edit.setPlainText(_text(value))
        finally:
            self._quiet = False


class IdNumberField(LineField):
    """An ID number, with the sex, birth date and age it encodes shown beside it once valid."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._fit_number()
        self.derived = SpacedLabel()
        self.derived.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        set_role(self.derived, "muted")
        mark_data(self.derived)  # sex, age and birth date, worded by the domain
        self.derived.hide()
        self.body.addWidget(self.derived, 1)

    def _fit_number(self) -> None:
        """All 18 characters stay in view, so the worker can read the number back."""
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 20) + 24)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_number()  # the theme changed (长辈版 on or off)
        super().changeEvent(event)

    def set_derived(self, text: str | None) -> None:
        """``男，70 岁`` / ``1956年3月15日出生`` or None while the number is not valid."""
        if text:
            self.derived.setText(text)
            self.derived.show()
        else:
            self.derived.clear()
            self.derived.hide()
