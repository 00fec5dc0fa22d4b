"""Sign-in at the counter: lockout after five failures, the idle lock that keeps the form,
switching user; who is signed in is who the station records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from station_app.services.context import StationContext, open_station
from station_app.services.security import Unlocked, add_operator, secure_station
from station_app.services.sessions import OperatorSession
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent
from station_app.ui.idle_lock import IdleLock
from station_app.ui.lock_screen import LockScreen
from station_app.ui.sign_in import SignInForm
from station_app.vault.keyfile import CHEAP_PROFILE, LOCKOUT, MAX_FAILURES, Role

ADMIN_PW, WORKER_PW = "hanyang-2026", "counter-pass-1"


class Clock:
    """Wall clock (lockout) and monotonic clock (idle time) that tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
        self.mono = 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[StationContext, Unlocked]]:
    data = tmp_path / "station"
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=ADMIN_PW,
                              profile=CHEAP_PROFILE)
    add_operator(data, admin, staff_no="W002", name="李强", role=Role.WORKER,
                 password=WORKER_PW)
    ctx = open_station(data, key=admin.key)
    try:
        yield ctx, admin
    finally:
        ctx.close()


def _sign_in(qtbot: QtBot, form: SignInForm, staff_no: str, password: str) -> None:
    form.staff_no.clear()
    qtbot.keyClicks(form.staff_no, staff_no)
    qtbot.keyClick(form.staff_no, Qt.Key.Key_Return)
    qtbot.keyClicks(form.password, password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
        qtbot: QtBot, secured: tuple[StationContext, Unlocked]) -> None:
    ctx, _ = secured
    clock = Clock()
    form = SignInForm(ctx.data_dir, clock=clock.wall)
    qtbot.addWidget(form)
    seen: list[Unlocked] = []
    form.signed_in.connect(seen.append)
    for _ in range(MAX_FAILURES):
        _sign_in(qtbot, form, "W002", "wrong-password")
        assert form.message.text() == "工号或密码不正确，请重新输入"
        assert form.password.text() == ""  # never left on screen
    _sign_in(qtbot, form, "W002", WORKER_PW)
    assert "已锁定" in form.message.text() and seen == []
    clock.advance(LOCKOUT.total_seconds())
    _sign_in(qtbot, form, "W002", WORKER_PW)
    assert [w.label for w in seen] == ["李强（W002）"] and form.message.text() == ""


def test_idle_lock_keeps_the_form_and_a_colleague_can_take_over(
        qtbot: QtBot, qapp: QApplication, secured: tuple[StationContext, Unlocked]) -> None:
    ctx, admin = secured
    clock = Clock()
    window = QWidget()
    qtbot.addWidget(window)
    field = QLineEdit()
    QVBoxLayout(window).addWidget(field)
    window.resize(1366, 768)
    window.show()
    session = OperatorSession(ctx, admin)
    session.started()
    screen = LockScreen(window, ctx.data_dir, clock=clock.wall)
    idle = IdleLock(qapp, 600, monotonic=clock.monotonic)
    try:
        def on_idle() -> None:
            session.lock("idle")
            screen.cover(session.who, why="超过 10 分钟无操作，已自动锁定")

        def on_unlock(who: Unlocked) -> None:
            session.unlock(who)
            idle.reset()

        idle.idle.connect(on_idle)
        screen.unlocked.connect(on_unlock)
        field.insert("欧阳秀英")  # typed before the quiet spell (QTest types ASCII only)
        clock.advance(599)
        idle.check()
        assert not screen.isVisible()
        qtbot.keyClick(field, Qt.Key.Key_End)  # activity: the count starts again
        clock.advance(599)
        idle.check()
        assert not screen.isVisible()
        clock.advance(1)
        idle.check()
        assert screen.isVisible() and screen.geometry() == window.rect()
        assert "王芳（A001）" in screen.note.text()
        assert screen.form.staff_no.text() == "A001"

        _sign_in(qtbot, screen.form, "W002", WORKER_PW)  # a colleague takes over
        assert not screen.isVisible()
        assert field.text() == "欧阳秀英"  # the half-filled form is as it was
        assert ctx.operator == "李强（W002）"
    finally:
        idle.stop()
    with session_scope(ctx.engine) as s:
        rows = s.exec(select(AuditEvent).where(col(AuditEvent.action).startswith("auth."))
                      .order_by(col(AuditEvent.id))).all()
        trail = [(r.actor, r.action) for r in rows]
    assert trail == [("王芳（A001）", "auth.signed_in"), ("王芳（A001）", "auth.locked"),
                     ("李强（W002）", "auth.switched")]
