"""登录: the operator's sign-in, used at start, on the lock screen and to switch user.

The form only collects the staff number and password and shows what went wrong; whether they
unlock the station is decided by ``services.security.sign_in`` (Argon2id, lockout after five
failures). A successful sign-in emits ``signed_in(Unlocked)``; the password field is cleared
whatever happened, so a password never stays on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.services.unlock import Unlocked, sign_in
from station_app.ui.spaced_label import SpacedLabel
from station_app.vault.keyfile import VaultError

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SignInForm(QWidget):
    """Staff number, password, 登录. ``signed_in(Unlocked)`` on success."""

    signed_in = Signal(Unlocked)

    def __init__(self, data_dir: Path, *, clock: Clock = _utc_now, heading: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._data_dir = data_dir
        self._clock = clock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        self.heading = QLabel(heading or self.tr("请登录"))
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)
        self.detail = SpacedLabel("")  # why the form is shown (the lock screen says)
        layout.addWidget(self.detail)
        form = QFormLayout()
        self.staff_no = QLineEdit()
        self.staff_no.setAccessibleName(self.tr("工号"))
        self.staff_no.setPlaceholderText(self.tr("工号"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("密码"))
        self.password.setPlaceholderText(self.tr("密码"))
        form.addRow(self.tr("工号"), self.staff_no)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("登录提示"))
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("登录"))
        self.button.setProperty("role", "primary")
        self.button.setDefault(True)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.button.clicked.connect(self.submit)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)

    def prefill(self, staff_no: str) -> None:
        """Start with this staff number (the operator who was signed in), focus the password."""
        self.staff_no.setText(staff_no)
        self.password.setFocus() if staff_no else self.staff_no.setFocus()

    def submit(self) -> None:
        staff_no, password = self.staff_no.text().strip(), self.password.text()
        self.password.clear()
        if not staff_no or not password:
            self.message.setText(self.tr("请输入工号和密码"))
            (self.password if staff_no else self.staff_no).setFocus()
            return
        try:
            who = sign_in(self._data_dir, staff_no, password, self._clock())
        except VaultError as e:
            self.message.setText(str(e))  # one Chinese line from the vault
            self.password.setFocus()
            return
        self.message.clear()
        self.signed_in.emit(who)
