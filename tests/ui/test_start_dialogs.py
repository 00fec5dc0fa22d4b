"""Before the window: the first administrator secures the folder and sees the recovery key
once; later starts sign in; a damaged database is reported before anyone is asked anything."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from station_app import signin_flow
from station_app.services.context import open_station
from station_app.services.security import Unlocked, is_secured, recover, sign_in
from station_app.store.encrypt import is_plaintext
from station_app.store.engine import DatabaseCorrupt, DatabaseUnusable, session_scope
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
        signin_flow.open_signed_in(data, False, authenticate)
    assert asked == []


def test_signed_in_start_opens_the_encrypted_station_and_audits_it(tmp_path: Path) -> None:
    data = tmp_path / "station"
    from station_app.services.security import secure_station
    from station_app.vault.keyfile import CHEAP_PROFILE

    secure_station(data, staff_no="A001", name="王芳", password=PASSWORD, profile=CHEAP_PROFILE)
    assert signin_flow.open_signed_in(data, False, lambda _f, _d: None) is None
    session = signin_flow.open_signed_in(
        data, False, lambda f, _d: sign_in(f, "A001", PASSWORD, datetime.now(UTC)))
    assert session is not None
    try:
        assert session.ctx.operator == "王芳（A001）"
        assert session.history == ["auth.signed_in"]
    finally:
        session.ctx.close()


def test_a_damaged_encrypted_database_is_offered_its_newest_backup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from station_app.services.backups import MANUAL, take_backup
    from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
    from station_app.services.security import secure_station
    from station_app.vault.keyfile import CHEAP_PROFILE

    data = tmp_path / "station"
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                              profile=CHEAP_PROFILE)
    ctx = open_station(data, key=admin.key, operator=admin.label)
    try:
        kept = save_submission(ctx.engine, NewSubmission(
            item_code="RS04", catalogue_version="2026.11.1", form_version="1",
            payload={"n": 1}, operator=admin.label, applicant=ApplicantIndex()))
        take_backup(ctx, MANUAL)
        newer = save_submission(ctx.engine, NewSubmission(
            item_code="RS04", catalogue_version="2026.11.1", form_version="1",
            payload={"n": 2}, operator=admin.label, applicant=ApplicantIndex()))
    finally:
        ctx.close()
    (data / "station.db").write_bytes(b"")  # a failed copy left it empty
    for sidecar in ("station.db-wal", "station.db-shm"):
        (data / sidecar).unlink(missing_ok=True)

    def signs_in(folder: Path, _demo: bool) -> Unlocked | None:
        return sign_in(folder, "A001", PASSWORD, datetime.now(UTC))

    questions: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(signin_flow, "tell", told.append)
    with pytest.raises(DatabaseUnusable) as damaged:
        signin_flow.open_signed_in(data, False, signs_in)
    declined = questions.append
    with pytest.raises(DatabaseUnusable):  # declined: refused with the same line
        signin_flow.offer_restore(data, damaged.value, False, signs_in,
                                  lambda q: declined(q) is not None)
    assert questions and "是否用它恢复" in questions[0]
    session = signin_flow.offer_restore(data, damaged.value, False, signs_in, lambda _q: True)
    assert session is not None
    try:
        from station_app.store.submissions import get_submission

        with session_scope(session.ctx.engine) as s:
            assert get_submission(s, kept.id) is not None
            assert get_submission(s, newer.id) is None
    finally:
        session.ctx.close()
    assert len(told) == 1 and told[0].startswith("已从备份"), told
    assert "before-restore" in told[0]  # the damaged file was kept aside, not deleted
