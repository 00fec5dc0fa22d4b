"""首次配置: what a new station needs before it can sync, asked once, instead of failing.

The quickest path is to scan the QR code `district-backend enroll` printed: a scanner types
the ``redstation://enroll?…`` string into the first field and the rest fills itself. The
worker may also postpone it and work offline; cases then stay safely on this computer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.config import SETTINGS_FILE
from station_app.services.context import StationContext
from station_app.services.enrolment import EnrolmentError, looks_like_enrolment, parse_enrolment
from station_app.services.settings_form import store_settings, validate_settings
from station_app.ui.form_rows import FieldRow, add_row, new_form


class FirstRunPage(QScrollArea):
    """Emits `finished(StationSettings)` when configured, or after "稍后配置"."""

    finished = Signal(object)

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
        outer.setContentsMargins(32, 16, 32, 16)
        head = QLabel(self.tr("首次使用：配置本站"))
        head.setProperty("role", "heading")
        intro = QLabel(self.tr("扫描区后台发放的登记二维码，或粘贴登记串，站点信息会自动填好。"
                               "也可以先不配置，在本机离线受理。"))
        intro.setWordWrap(True)
        outer.addWidget(head)
        outer.addWidget(intro)
        self.enrolment = QLineEdit()
        self.enrolment.setPlaceholderText("redstation://enroll?station=…")
        self.station_id = QLineEdit()
        self.station_id.setPlaceholderText(self.tr("如 QDK01"))
        self.station_name = QLineEdit()
        self.backend_url = QLineEdit()
        self.backend_url.setPlaceholderText("https://")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.rows = {
            "enrolment": FieldRow(self.enrolment),
            "station_id": FieldRow(self.station_id),
            "station_name": FieldRow(self.station_name),
            "backend_url": FieldRow(self.backend_url),
            "secret": FieldRow(self.secret, self.tr("密钥只保存在本机，他人不可读")),
        }
        labels = {"enrolment": self.tr("登记串（扫码）"), "station_id": self.tr("站点编号"),
                  "station_name": self.tr("站点名称"), "backend_url": self.tr("后台地址"),
                  "secret": self.tr("站点密钥")}
        form = new_form()
        for key, row in self.rows.items():
            add_row(form, labels[key], row)
        outer.addLayout(form)
        self.done_button = QPushButton(self.tr("保存并开始使用"))
        self.done_button.setProperty("role", "primary")
        self.done_button.setAccessibleName(self.tr("保存并开始使用"))
        self.later_button = QPushButton(self.tr("稍后配置（仅本机保存）"))
        self.later_button.setProperty("role", "secondary")
        self.later_button.setAccessibleName(self.tr("稍后配置，仅本机保存"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.later_button)
        bar.addStretch(1)
        bar.addWidget(self.done_button)
        outer.addWidget(self.result)
        outer.addLayout(bar)
        outer.addStretch(1)
        self.setWidget(body)
        self.enrolment.textChanged.connect(self._read_enrolment)
        self.secret.textChanged.connect(self._secret_changed)
        self.enrolment.returnPressed.connect(self.station_name.setFocus)
        self.done_button.clicked.connect(self.configure)
        self.later_button.clicked.connect(self.later)
        self.station_name.setText(ctx.settings.station_name or "")

    def _read_enrolment(self, text: str) -> None:
        row = self.rows["enrolment"]
        if not text.strip():
            row.set_error("")
            return
        try:
            enrol = parse_enrolment(text)
        except EnrolmentError as e:
            row.set_error(str(e))
            return
        row.set_error("")
        self.station_id.setText(enrol.station_id)
        self.secret.setText(enrol.secret)
        if enrol.backend_url:
            self.backend_url.setText(enrol.backend_url)
        self.result.setProperty("role", "ok")
        self.result.setText(self.tr("已读取登记串：站点 {0}。请填写站点名称后保存。")
                            .format(enrol.station_id))
        self.result.style().polish(self.result)

    def _secret_changed(self, text: str) -> None:
        if looks_like_enrolment(text):  # the string was pasted into the secret field
            self.enrolment.setText(text)

    def configure(self) -> bool:
        """Check everything; save settings and secret; emit `finished`."""
        for row in self.rows.values():
            row.set_error("")
        settings, errors = validate_settings(self._ctx.settings, {
            "station_id": self.station_id.text(), "station_name": self.station_name.text(),
            "backend_url": self.backend_url.text()})
        required = {"station_id": self.station_id, "backend_url": self.backend_url,
                    "secret": self.secret}
        for key, edit in required.items():
            if not edit.text().strip():
                errors.setdefault(key, self.tr("必须填写"))
        if settings is None or errors:
            for key, message in errors.items():
                if key in self.rows:
                    self.rows[key].set_error(message)
            self.result.setProperty("role", "error")
            self.result.setText(self.tr("未保存：有 {0} 处需要修改").format(len(errors)))
            self.result.style().polish(self.result)
            return False
        store_settings(self._ctx, settings, self.secret.text().strip())
        self.finished.emit(settings)
        return True

    def later(self) -> None:
        """Work offline; remembered by writing the settings file, so this is asked once."""
        if not (self._ctx.data_dir / SETTINGS_FILE).is_file():
            store_settings(self._ctx, self._ctx.settings)
        self.finished.emit(self._ctx.settings)

    def focus_first(self) -> None:
        self.enrolment.setFocus(Qt.FocusReason.OtherFocusReason)
