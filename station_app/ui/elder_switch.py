"""The top bar's 长辈版 switch: large print and high contrast at one press, said in words.

The button names what pressing it does (长辈版 / 退出长辈版), applies the look at once and
remembers the worker's choice in the station's settings; a choice that cannot be saved still
applies, and the reason is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from station_app.services.context import StationContext
from station_app.services.settings_form import remember_theme
from station_app.ui.theme import ELDER, STANDARD, Theme

log = logging.getLogger(__name__)


class ElderSwitch(QPushButton):
    """Signals ``switched(Theme)`` after the worker pressed it (and the choice was kept)."""

    switched = Signal(Theme)

    def __init__(self, ctx: StationContext, apply: Callable[[Theme], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._apply = apply
        self.setCheckable(True)
        self.setProperty("role", "primary")
        self.toggled.connect(self._toggled)

    def show_theme(self, theme: Theme) -> None:
        """Apply ``theme`` and show the button for it, without remembering anything."""
        self.blockSignals(True)
        self.setChecked(theme is ELDER)
        self.blockSignals(False)
        text = self.tr("退出长辈版") if theme is ELDER else self.tr("长辈版")
        self.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(self.tr("大字、高对比度界面"))
        self._apply(theme)

    def _toggled(self, on: bool) -> None:
        theme = ELDER if on else STANDARD
        self.show_theme(theme)
        try:
            remember_theme(self.ctx, theme.key)
        except (OSError, ValueError) as e:
            log.warning("无法保存界面设置：%s", e)
        self.switched.emit(theme)
