"""设置 page: the station's identity, backend, sync interval, printer, look, language and reader.

The page shows the settings form (`SettingsForm`, shared with the first-run screen);
`services.settings_form` decides what is valid, through the settings schema, and writes the
file atomically. Each wrong field gets its own message underneath, in Chinese. Under the ID-card
reader, what keeps the saved reader from working (library missing or of the other vendor) is
said in one line; only the library is checked, as the port may be in use by the card polling.
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

from station_app.config import StationSettings
from station_app.services.card_drivers import reader_problem
from station_app.services.context import StationContext
from station_app.services.settings_form import store_settings
from station_app.ui.settings_form_widget import SECRET, SETTINGS_KEYS, SettingsForm


class SettingsPage(QScrollArea):
    """Emits `saved(StationSettings)` after settings.toml was written."""

    saved = Signal(StationSettings)

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
        self.form = SettingsForm(SETTINGS_KEYS)
        restart = self.tr("重新启动后生效")
        self.form.set_note("backend_url", restart)
        self.form.set_note("sync_interval_seconds", restart)
        self.form.set_note("language", self.tr("语言在重新启动后生效"))
        self.form.secret.setPlaceholderText(self.tr("留空则不变；可粘贴或扫描登记串"))
        outer.addWidget(self.form)
        # the fields, by the names the page's tests and callers know them
        f = self.form
        self.rows, self.result = f.rows, f.result
        self.station_id, self.station_name, self.contact_phone = f.station_id, \
            f.station_name, f.contact_phone
        self.backend_url, self.secret, self.sync_interval = f.backend_url, f.secret, \
            f.sync_interval
        self.printer, self.theme, self.language = f.printer, f.theme, f.language
        self.card_driver, self.card_library, self.card_port = f.card_driver, \
            f.card_library, f.card_port
        self.save_button = QPushButton(self.tr("保存设置"))
        self.save_button.setProperty("role", "primary")
        self.save_button.setAccessibleName(self.tr("保存设置"))
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)
        outer.addStretch(1)
        self.setWidget(body)
        self.save_button.clicked.connect(self.save)
        self.load(ctx.settings)

    def load(self, s: StationSettings) -> None:
        """Fill the fields from `s` and say whether a secret is saved."""
        self.form.load(s)
        has_secret = self._ctx.secret is not None
        self.form.set_note(SECRET, self.tr("已保存密钥") if has_secret
                           else self.tr("尚未保存密钥，无法与后台同步"))
        self.form.set_note("card_driver", reader_problem(s) or "")

    def save(self) -> bool:
        """Validate, show a message under each wrong field, or write and emit `saved`."""
        change = self.form.check(self._ctx.settings, complete=False)
        if change is None:
            wrong = self.form.first_wrong_editor()
            if wrong is not None:
                self.ensureWidgetVisible(wrong)
            return False
        try:
            store_settings(self._ctx, change.settings, change.secret)
        except OSError as e:
            self.form.say("error", self.tr("保存失败：{0}").format(e.strerror or e))
            return False
        self.load(change.settings)
        self.form.say("ok", self.tr("已保存。后台地址、同步间隔和语言在重新启动后生效。"))
        self.saved.emit(change.settings)
        return True
