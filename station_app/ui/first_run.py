"""首次配置: what a new station needs before it can sync, asked once, instead of failing.

The quickest path is to scan the QR code `district-backend enroll` printed: a scanner types
the ``redstation://enroll?…`` string into the first field and the rest fills itself. The
worker may also postpone it and work offline; cases then stay safely on this computer.
The fields are the settings page's form (`SettingsForm`), checked by the same schema.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.config import SETTINGS_FILE, StationSettings
from station_app.services.context import StationContext
from station_app.services.settings_form import store_settings
from station_app.ui.settings_form_widget import FIRST_RUN_KEYS, SECRET, SettingsForm
from station_app.ui.spaced_label import SpacedLabel


class FirstRunPage(QScrollArea):
    """Emits `finished(StationSettings)` when configured, or after "稍后配置"."""

    finished = Signal(StationSettings)

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
        intro = SpacedLabel(self.tr("扫描区后台发放的登记二维码，或粘贴登记串，站点信息会自动填好。"
                                    "也可以先不配置，在本机离线受理。"))
        outer.addWidget(head)
        outer.addWidget(intro)
        self.form = SettingsForm(FIRST_RUN_KEYS)
        self.form.set_note(SECRET, self.tr("密钥只保存在本机，他人不可读"))
        outer.addWidget(self.form)
        # the fields, by the names the screen's tests and callers know them
        f = self.form
        self.rows, self.result = f.rows, f.result
        self.enrolment, self.station_id, self.station_name = f.enrolment, f.station_id, \
            f.station_name
        self.backend_url, self.secret = f.backend_url, f.secret
        self.done_button = QPushButton(self.tr("保存并开始使用"))
        self.done_button.setProperty("role", "primary")
        self.done_button.setAccessibleName(self.tr("保存并开始使用"))
        self.later_button = QPushButton(self.tr("稍后配置（仅本机保存）"))
        self.later_button.setProperty("role", "secondary")
        self.later_button.setAccessibleName(self.tr("稍后配置，仅本机保存"))
        bar = QHBoxLayout()
        bar.addWidget(self.later_button)
        bar.addStretch(1)
        bar.addWidget(self.done_button)
        outer.addLayout(bar)
        outer.addStretch(1)
        self.setWidget(body)
        self.form.enrolment_read.connect(self._enrolment_read)
        self.done_button.clicked.connect(self.configure)
        self.later_button.clicked.connect(self.later)
        self.form.load(ctx.settings)

    def _enrolment_read(self, station_id: str) -> None:
        self.form.say("ok", self.tr("已读取登记串：站点 {0}。请填写站点名称后保存。")
                      .format(station_id))

    def configure(self) -> bool:
        """Check everything; save settings and secret; emit `finished`."""
        change = self.form.check(self._ctx.settings, complete=True)
        if change is None:
            wrong = self.form.first_wrong_editor()
            if wrong is not None:
                self.ensureWidgetVisible(wrong)
            return False
        store_settings(self._ctx, change.settings, change.secret)
        self.finished.emit(change.settings)
        return True

    def later(self) -> None:
        """Work offline; remembered by writing the settings file, so this is asked once."""
        if not (self._ctx.data_dir / SETTINGS_FILE).is_file():
            store_settings(self._ctx, self._ctx.settings)
        self.finished.emit(self._ctx.settings)

    def focus_first(self) -> None:
        self.enrolment.setFocus(Qt.FocusReason.OtherFocusReason)
