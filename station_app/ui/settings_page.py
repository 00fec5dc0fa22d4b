"""设置 page: the station's identity, backend, sync interval, printer, look and language.

The page only collects text; `services.settings_form` decides what is valid and writes the
file atomically. Each wrong field gets its own message underneath, in Chinese.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_app.config import StationSettings
from station_app.services.context import StationContext
from station_app.services.enrolment import EnrolmentError, looks_like_enrolment, parse_enrolment
from station_app.services.settings_form import store_settings, validate_settings
from station_app.ui.form_rows import FieldRow, add_row, new_form

ASK_EACH_TIME = ""  # printer combo value meaning "每次询问"


class SettingsPage(QScrollArea):
    """Emits `saved(StationSettings)` after settings.toml was written."""

    saved = Signal(object)

    def __init__(self, ctx: StationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus goes to the fields, which scroll in
        body = QWidget()
        body.setObjectName("page")
        body.setMaximumWidth(1100)  # long fields are hard to read across a wide screen
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(24, 12, 24, 12)
        head = QLabel(self.tr("设置"))
        head.setProperty("role", "heading")
        outer.addWidget(head)
        self.station_id = QLineEdit()
        self.station_id.setPlaceholderText(self.tr("如 QDK01"))
        self.station_name = QLineEdit()
        self.contact_phone = QLineEdit()
        self.backend_url = QLineEdit()
        self.backend_url.setPlaceholderText("https://")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("留空则不变；可粘贴或扫描登记串"))
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(15, 3600)
        self.sync_interval.setSuffix(self.tr(" 秒"))
        self.printer = QComboBox()
        self.theme = QComboBox()
        self.theme.addItem(self.tr("标准版"), "standard")
        self.theme.addItem(self.tr("长辈版（大字）"), "elder")
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        restart = self.tr("重新启动后生效")
        self.rows: dict[str, FieldRow] = {
            "station_id": FieldRow(self.station_id),
            "station_name": FieldRow(self.station_name),
            "contact_phone": FieldRow(self.contact_phone, self.tr("印在回执和告知单上")),
            "backend_url": FieldRow(self.backend_url, restart),
            "secret": FieldRow(self.secret),
            "sync_interval_seconds": FieldRow(self.sync_interval, restart),
            "printer": FieldRow(self.printer),
            "theme": FieldRow(self.theme),
            "language": FieldRow(self.language, self.tr("语言在重新启动后生效")),
        }
        labels = {
            "station_id": self.tr("站点编号"), "station_name": self.tr("站点名称"),
            "contact_phone": self.tr("联系电话"), "backend_url": self.tr("后台地址"),
            "secret": self.tr("站点密钥"), "sync_interval_seconds": self.tr("同步间隔"),
            "printer": self.tr("打印机"), "theme": self.tr("界面"), "language": self.tr("语言"),
        }
        form = new_form()
        for key, row in self.rows.items():
            add_row(form, labels[key], row)
        outer.addLayout(form)
        self.save_button = QPushButton(self.tr("保存设置"))
        self.save_button.setProperty("role", "primary")
        self.save_button.setAccessibleName(self.tr("保存设置"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.result, 1)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)
        outer.addStretch(1)
        self.setWidget(body)
        self.save_button.clicked.connect(self.save)
        self.load(ctx.settings)

    def load(self, s: StationSettings) -> None:
        """Fill the fields from `s` (and the printers this computer knows now)."""
        self.station_id.setText(s.station_id or "")
        self.station_name.setText(s.station_name or "")
        self.contact_phone.setText(s.contact_phone or "")
        self.backend_url.setText(s.backend_url or "")
        self.secret.clear()
        self.sync_interval.setValue(s.sync_interval_seconds)
        self.printer.clear()
        self.printer.addItem(self.tr("每次询问"), ASK_EACH_TIME)
        names = list(QPrinterInfo.availablePrinterNames())
        if s.printer and s.printer not in names:
            names.append(s.printer)
        for n in names:
            self.printer.addItem(n, n)
        self.printer.setCurrentIndex(max(0, self.printer.findData(s.printer or ASK_EACH_TIME)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        for row in self.rows.values():
            row.set_error("")
        has_secret = self._ctx.secret is not None
        self.rows["secret"].note.setText(
            self.tr("已保存密钥") if has_secret else self.tr("尚未保存密钥，无法与后台同步"))
        self.rows["secret"].note.show()

    def values(self) -> dict[str, object]:
        return {
            "station_id": self.station_id.text(),
            "station_name": self.station_name.text(),
            "contact_phone": self.contact_phone.text(),
            "backend_url": self.backend_url.text(),
            "sync_interval_seconds": self.sync_interval.value(),
            "printer": self.printer.currentData() or None,
            "theme": self.theme.currentData(),
            "language": self.language.currentData(),
        }

    def save(self) -> bool:
        """Validate, show a message under each wrong field, or write and emit `saved`."""
        for row in self.rows.values():
            row.set_error("")
        values = self.values()
        secret: str | None = self.secret.text().strip() or None
        if secret and looks_like_enrolment(secret):
            try:
                enrol = parse_enrolment(secret)
            except EnrolmentError as e:
                self._refuse({"secret": str(e)})
                return False
            values["station_id"], secret = enrol.station_id, enrol.secret
            if enrol.backend_url:
                values["backend_url"] = enrol.backend_url
        settings, errors = validate_settings(self._ctx.settings, values)
        if settings is None:
            self._refuse(errors)
            return False
        try:
            store_settings(self._ctx, settings, secret)
        except OSError as e:
            self.result.setProperty("role", "error")
            self.result.setText(self.tr("保存失败：{0}").format(e.strerror or e))
            self.result.style().polish(self.result)
            return False
        self.load(settings)
        self.result.setProperty("role", "ok")
        self.result.setText(self.tr("已保存。后台地址、同步间隔和语言在重新启动后生效。"))
        self.result.style().polish(self.result)
        self.saved.emit(settings)
        return True

    def _refuse(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        for key, message in errors.items():
            row = self.rows.get(key)
            if row is not None:
                row.set_error(message)
                first = first or row.editor
        self.result.setProperty("role", "error")
        self.result.setText(self.tr("未保存：有 {0} 处需要修改").format(len(errors)))
        self.result.style().polish(self.result)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(first)
