"""The 设置 page as the window navigates to it: the settings form, reloaded on every visit.

The form (`SettingsPage`) is shared with the first-run screen's rules and knows nothing of
navigation; this page holds it and says what a visit means: show the settings as they are
now, which may have changed since the last visit (first run, the 长辈版 switch).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station_app.services.context import StationContext
from station_app.ui.pages import Page
from station_app.ui.settings_page import SettingsPage


class SettingsScreen(Page):
    """Holds `form`; `enter` loads the station's current settings into it."""

    def __init__(self, ctx: StationContext, form: SettingsPage,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ctx = ctx
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.admin_only = QLabel(
            self.tr("设置仅限管理员修改：请管理员点“锁定 / 切换用户”登录后修改。"))
        self.admin_only.setProperty("role", "attention")
        self.admin_only.setWordWrap(True)
        self.admin_only.hide()
        layout.addWidget(self.admin_only)
        layout.addWidget(form)

    def set_admin(self, is_admin: bool) -> None:
        """Settings change only under an administrator; others see them, greyed."""
        self.form.setEnabled(is_admin)
        self.admin_only.setVisible(not is_admin)

    def enter(self) -> None:
        self.form.load(self.ctx.settings)

    def shutdown(self) -> None:
        """Nothing is kept unsaved: the form writes only when 保存 is pressed."""
