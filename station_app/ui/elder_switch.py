"""The top bar's 长辈版 switch: large print and high contrast at one press, said in words.

The button names what pressing it does (长辈版 / 退出长辈版) and applies the look at once. It
is for the resident at the counter now, so it is not remembered: when the worker finishes the
case (完成) the window goes back to the station's default look (设置 → 默认界面), which a station
serving mostly elderly residents sets to 长辈版.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from station_app.ui.theme import ELDER, STANDARD, Theme


class ElderSwitch(QPushButton):
    """Signals ``switched(Theme)`` after the worker pressed it."""

    switched = Signal(Theme)

    def __init__(self, default: Callable[[], Theme], apply: Callable[[Theme], None],
                 parent: QWidget | None = None) -> None:
        """``default``: the station's default look as its settings say now (they may change
        on the 设置 page while the window is open)."""
        super().__init__(parent)
        self._default = default
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
        self.switched.emit(theme)

    def next_resident(self) -> None:
        """The case is finished: back to the station's default look for whoever comes next."""
        default = self._default()
        if self.isChecked() != (default is ELDER):
            self.show_theme(default)
            self.switched.emit(default)
