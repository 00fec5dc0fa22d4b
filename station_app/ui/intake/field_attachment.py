"""A scanned material: pick a file; the station keeps a content-addressed copy for sync."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from station_app.domain.catalogue import FormField
from station_app.i18n import QT_TRANSLATE_NOOP, mark_data
from station_app.services.attachments import AttachmentError
from station_app.ui.intake.field_base import FieldWidget
from station_app.ui.spaced_label import SpacedLabel

StoreFile = Callable[[Path], dict[str, object]]
FILE_FILTER = QT_TRANSLATE_NOOP(
    "AttachmentField", "扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;所有文件 (*)")


def size_text(size: object) -> str:
    if not isinstance(size, int):
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AttachmentField(FieldWidget):
    """Shows the attached file's name and size; the value is the reference the form saves."""

    def __init__(self, field: FormField, store: StoreFile,
                 parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._store = store
        self._value: dict[str, object] | None = None
        self.pick = QPushButton(self.tr("选择文件…"))
        self.pick.setAccessibleName(self.tr("{0}：选择文件").format(field.label))
        self.pick.setAutoDefault(True)
        self.pick.clicked.connect(self._choose)
        self.shown = SpacedLabel(self.tr("未选择文件"))
        self.remove = QPushButton(self.tr("移除"))
        self.remove.setAccessibleName(self.tr("{0}：移除文件").format(field.label))
        self.remove.setAutoDefault(True)
        self.remove.clicked.connect(self.clear)
        self.remove.hide()
        self.body.addWidget(self.pick)
        self.body.addWidget(self.shown, 1)
        self.body.addWidget(self.remove)
        for w in (self.pick, self.remove):
            self.watch(w)

    def inputs(self) -> list[QWidget]:
        return [self.pick, self.remove]

    def value(self) -> object:
        return dict(self._value) if self._value else None

    def set_value(self, value: object) -> None:
        self._value = dict(value) if isinstance(value, Mapping) else None
        if self._value:
            name, size = self._value.get("filename"), self._value.get("size")
            self.shown.setText(self.tr("{0}（{1}）").format(name, size_text(size)))
            mark_data(self.shown)  # the file's own name
            self.remove.show()
        else:
            self.shown.setText(self.tr("未选择文件"))
            mark_data(self.shown, False)
            self.remove.hide()

    def _choose(self) -> None:
        title = self.tr("选择{0}").format(self.field.label)
        filters = QCoreApplication.translate("AttachmentField", FILE_FILTER)
        path, _ = QFileDialog.getOpenFileName(self, title, "", filters)
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> bool:
        """Store the file and show it; a file that cannot be stored is explained, not lost."""
        try:
            ref = self._store(path)
        except AttachmentError as e:
            self.set_error(str(e))
            return False
        self.set_value(ref)
        self.changed.emit(True)
        return True

    def clear(self) -> None:
        self.set_value(None)
        self.pick.setFocus()
        self.changed.emit(True)
