"""Before the window: the first administrator secures the folder and sees the recovery key
once; later starts sign in; a damaged database is reported before anyone is asked anything."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from station_app import app as app_module
from station_app.services.context import open_station
from station_app.services.security import Unlocked, is_secured, recover, sign_in
from station_app.store.encrypt import is_plaintext
from station_app.store.engine import DatabaseCorrupt
from station_app.ui.start_dialogs import FirstAdminDialog, SignInDialog

PASSWORD = "hanyang-2026"


def test_first_administrator_secures_the_folder_and_sees_the_recovery_key_once(
        qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "station"
    open_station(data).close()  # a folder an older release left in clear
    dialog = FirstAdminDialog(data)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.staff_no, "A001")
    dialog.name.setText("王芳")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, "something-else")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "两次输入的密码不一致" and not is_secured(data)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.who is not None and is_secured(data)
    assert not is_plaintext(data / "station.db")
    assert dialog.steps.currentIndex() == 1 and not dialog.open_button.isEnabled()
    assert recover(data, dialog.recovery.text()) == dialog.who.key
    dialog.written.setChecked(True)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.password.text() == "" and dialog.repeat.text() == ""


def test_sign_in_dialog_accepts_a_right_password(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "station"
    from station_app.services.security import secure_station
    from station_app.vault.keyfile import CHEAP_PROFILE

    secure_station(data, staff_no="A001", name="王芳", password=PASSWORD, profile=CHEAP_PROFILE)
    dialog = SignInDialog(data, clock=lambda: datetime.now(UTC))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.form.staff_no, "A001")
    qtbot.keyClicks(dialog.form.password, PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.who is not None and dialog.who.label == "王芳（A001）"


def test_a_damaged_database_is_reported_before_anyone_is_asked(tmp_path: Path) -> None:
    data = tmp_path / "station"
    open_station(data).close()
    (data / "station.db").write_bytes(b"garbage" * 1000)
    asked: list[Path] = []

    def authenticate(folder: Path, _demo: bool) -> Unlocked | None:
        asked.append(folder)
        return None

    with pytest.raises(DatabaseCorrupt):
        app_module.open_signed_in(data, False, authenticate)
    assert asked == []


def test_signed_in_start_opens_the_encrypted_station_and_audits_it(tmp_path: Path) -> None:
    data = tmp_path / "station"
    from station_app.services.security import secure_station
    from station_app.vault.keyfile import CHEAP_PROFILE

    secure_station(data, staff_no="A001", name="王芳", password=PASSWORD, profile=CHEAP_PROFILE)
    assert app_module.open_signed_in(data, False, lambda _f, _d: None) is None
    session = app_module.open_signed_in(
        data, False, lambda f, _d: sign_in(f, "A001", PASSWORD, datetime.now(UTC)))
    assert session is not None
    try:
        assert session.ctx.operator == "王芳（A001）"
        assert session.history == ["auth.signed_in"]
    finally:
        session.ctx.close()
