"""The two dialogs before the window: first administrator (once per data folder), sign-in.

The first-administrator dialog secures the folder (``services.security.secure_station``): it
makes the data key, encrypts whatever an older release left in clear, and shows IT's recovery
key exactly once, with a tick box that must be ticked before the terminal opens. The sign-in
dialog wraps the same ``SignInForm`` the lock screen uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.services.unlock import Unlocked
from station_app.ui.sign_in import SignInForm
from station_app.ui.spaced_label import SpacedLabel
from station_app.vault.keyfile import VaultError

APP_TITLE = "红色驿站服务终端"


class SignInDialog(QDialog):
    """Modal sign-in at start; ``who`` is set when it was accepted."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录 — {0}").format(APP_TITLE))
        self.who: Unlocked | None = None
        self.form = SignInForm(data_dir, clock=clock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.signed_in.connect(self._done)
        self.resize(640, 420)
        self.form.prefill("")

    def _done(self, who: Unlocked) -> None:
        self.who = who
        self.accept()


class FirstAdminDialog(QDialog):
    """Creates the first administrator, then shows the recovery key once."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次设置管理员 — {0}").format(APP_TITLE))
        self._data_dir = data_dir
        self.who: Unlocked | None = None
        self.steps = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        self._build_account()
        self._build_recovery()
        self.resize(760, 560)

    def _build_account(self) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        head = QLabel(self.tr("本机第一次使用：请设置管理员账号"))
        head.setProperty("role", "heading")
        intro = SpacedLabel(self.tr("居民的个人信息将加密保存在本机，只有登录后才能查看。"
                               "管理员可添加其他工作人员的账号。"))
        intro.setWordWrap(True)
        form = QFormLayout()
        self.staff_no, self.name = QLineEdit(), QLineEdit()
        self.password, self.repeat = QLineEdit(), QLineEdit()
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        for label, edit in ((self.tr("工号"), self.staff_no), (self.tr("姓名"), self.name),
                            (self.tr("密码（至少 8 位）"), self.password),
                            (self.tr("再输入一次密码"), self.repeat)):
            edit.setAccessibleName(label)
            form.addRow(label, edit)
        self.message = SpacedLabel("")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.create_button = QPushButton(self.tr("创建管理员并加密本机数据"))
        self.create_button.setProperty("role", "primary")
        self.create_button.clicked.connect(self.create_admin)
        for w in (head, intro):
            outer.addWidget(w)
        outer.addLayout(form)
        outer.addWidget(self.message)
        outer.addWidget(self.create_button, alignment=Qt.AlignmentFlag.AlignRight)
        outer.addStretch(1)
        self.steps.addWidget(page)

    def _build_recovery(self) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        head = QLabel(self.tr("请抄写或打印恢复密钥"))
        head.setProperty("role", "heading")
        intro = SpacedLabel(self.tr("所有管理员都忘记密码时，区信息中心凭这串恢复密钥打开本机数据。"
                               "它只显示这一次，不保存在本机：请抄写或打印后交区信息中心保管。"))
        intro.setWordWrap(True)
        self.recovery = QLabel("")
        self.recovery.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(16)
        self.recovery.setFont(mono)
        self.recovery.setWordWrap(True)
        self.written = QCheckBox(self.tr("我已抄写或打印恢复密钥"))
        self.open_button = QPushButton(self.tr("开始使用"))
        self.open_button.setProperty("role", "primary")
        self.open_button.setEnabled(False)
        self.written.toggled.connect(self.open_button.setEnabled)
        self.open_button.clicked.connect(self.accept)
        for w in (head, intro, self.recovery, self.written):
            outer.addWidget(w)
        outer.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignRight)
        outer.addStretch(1)
        self.steps.addWidget(page)

    def create_admin(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(self.tr("两次输入的密码不一致"))
            self.password.clear()
            self.repeat.clear()
            self.password.setFocus()
            return
        try:
            from station_app.services.security import secure_station  # loads the store

            who, recovery = secure_station(self._data_dir, staff_no=self.staff_no.text(),
                                           name=self.name.text(),
                                           password=self.password.text())
        except VaultError as e:
            self.message.setText(str(e))
            return
        finally:
            self.password.clear()
            self.repeat.clear()
        self.who = who
        self.recovery.setText(recovery.text())
        self.steps.setCurrentIndex(1)
