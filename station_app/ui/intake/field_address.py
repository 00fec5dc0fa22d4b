"""An address in the four parts the station files by: 小区 / 楼栋 / 单元 / 门牌."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from station_app.domain.catalogue import FormField
from station_app.domain.validators import ADDRESS_PARTS
from station_app.i18n import QT_TRANSLATE_NOOP
from station_app.ui.intake.field_base import FieldWidget, set_role

# The parts' names are the domain's (ADDRESS_PARTS), shown translated; marked here for lupdate.
PART_NAMES = (QT_TRANSLATE_NOOP("AddressField", "小区"), QT_TRANSLATE_NOOP("AddressField", "楼栋"),
              QT_TRANSLATE_NOOP("AddressField", "单元"), QT_TRANSLATE_NOOP("AddressField", "门牌"))
PLACEHOLDERS = {"community": QT_TRANSLATE_NOOP("AddressField", "如 七里一村"),
                "building": QT_TRANSLATE_NOOP("AddressField", "如 5栋"),
                "unit": QT_TRANSLATE_NOOP("AddressField", "如 2"),
                "room": QT_TRANSLATE_NOOP("AddressField", "如 301")}
STRETCH = {"community": 3, "building": 1, "unit": 1, "room": 1}


class AddressField(FieldWidget):
    """Four inputs side by side; a missing part is named in the message under them."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.parts: dict[str, QLineEdit] = {}
        for col, (key, part) in enumerate(ADDRESS_PARTS.items()):
            label = QCoreApplication.translate("AddressField", part)
            caption = QLabel(label)
            set_role(caption, "muted")
            edit = QLineEdit()
            edit.setAccessibleName(self.tr("{0}·{1}").format(field.label, label))
            edit.setPlaceholderText(QCoreApplication.translate("AddressField", PLACEHOLDERS[key]))
            caption.setBuddy(edit)
            edit.textEdited.connect(lambda _t: self.changed.emit(False))
            edit.returnPressed.connect(self.submit_requested.emit)
            grid.addWidget(caption, 0, col, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(edit, 1, col)
            grid.setColumnStretch(col, STRETCH[key])
            self.parts[key] = edit
            self.watch(edit)
        self.body.addLayout(grid, 1)

    def inputs(self) -> list[QWidget]:
        return list(self.parts.values())

    def value(self) -> object:
        return {key: edit.text() for key, edit in self.parts.items()}

    def set_value(self, value: object) -> None:
        parts = value if isinstance(value, Mapping) else {}
        for key, edit in self.parts.items():
            edit.setText(str(parts.get(key) or ""))

    def set_errors(self, errors: Mapping[str, str]) -> None:
        super().set_errors(errors)
        for key, edit in self.parts.items():
            edit.setAccessibleDescription(errors.get(key, "") or errors.get("", ""))

    def focus_path(self, sub: str = "") -> None:
        self.parts.get(sub, self.parts["community"]).setFocus()
