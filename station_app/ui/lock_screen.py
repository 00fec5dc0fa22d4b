"""The lock screen: covers the window, keeps everything under it as it was.

It is an overlay child of the main window's central widget, not a new window: the half-filled
form below is untouched, the sync service keeps running, and whoever signs in — the same
operator or a colleague (switch user) — finds the work where it was left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from station_app.services.unlock import Unlocked
from station_app.ui.sign_in import SignInForm


class LockScreen(QWidget):
    """``unlocked(Unlocked)`` when someone signs in; the caller decides what it means."""

    unlocked = Signal(Unlocked)

    def __init__(self, host: QWidget, data_dir: Path, *, clock: Callable[[], datetime]) -> None:
        super().__init__(host)
        self.setObjectName("page")
        # opaque: nothing of the residents' data underneath may show through
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self._host = host
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        panel = QWidget()
        panel.setMaximumWidth(760)
        inner = QVBoxLayout(panel)
        self.form = SignInForm(data_dir, clock=clock, heading=self.tr("终端已锁定"))
        self.note = self.form.detail
        inner.addWidget(self.form)
        layout.addWidget(panel)
        self.form.signed_in.connect(self._signed_in)
        host.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    def cover(self, who: Unlocked, *, why: str) -> None:
        """Show over the host, the last operator's staff number filled in."""
        self.note.setText(self.tr("{0}：{1}。正在填写的内容已保留，同步照常进行；"
                                  "本人或其他工作人员登录后继续。").format(why, who.label))
        self.setGeometry(self._host.rect())
        self.show()
        self.raise_()
        self.form.prefill(who.staff_no)

    def _signed_in(self, who: Unlocked) -> None:
        self.hide()
        self.unlocked.emit(who)
