"""The terminal with an operator signed in: the idle lock covers the window, keeps the
half-filled form and lets sync run; a colleague signing in takes over, and the receipt's
经办人 is whoever is signed in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from station_app.app import start_sync, stop_sync
from station_app.commands.demo_mode import (
    DEMO_PASSWORD,
    DEMO_STAFF_NO,
    district_backend,
    prepare_station,
)
from station_app.domain.search import SearchIndex
from station_app.services.context import open_station
from station_app.services.intake import open_form, submit
from station_app.services.receipts import find_case, receipt_for
from station_app.services.security import add_operator, sign_in
from station_app.services.sessions import OperatorSession
from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.settings_screen import SettingsScreen
from station_app.vault.keyfile import Role
from tests.helpers.station import RS04_TICKED, RS04_VALUES

WORKER_PW = "counter-pass-1"


class Mono:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def signed_in_window(qtbot: QtBot, tmp_path: Path, search_index: SearchIndex
                     ) -> Iterator[tuple[MainWindow, Mono]]:
    with district_backend(tmp_path / "district") as backend:
        data = tmp_path / "station"
        prepare_station(data, cases=0, backend=backend, secure=True)
        now = datetime.now(UTC)
        demo = sign_in(data, DEMO_STAFF_NO, DEMO_PASSWORD, now)
        add_operator(data, demo, staff_no="W002", name="李强", role=Role.WORKER,
                     password=WORKER_PW)
        ctx = open_station(data, key=demo.key, operator=demo.label)
        session = OperatorSession(ctx, demo)
        session.started()
        service = start_sync(ctx)
        assert service is not None
        mono = Mono()
        w = MainWindow(ctx, search_index, sync=service, session=session, monotonic=mono)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        try:
            yield w, mono
        finally:
            w.close()
            stop_sync(service)
            ctx.close()


def test_idle_lock_keeps_the_form_sync_runs_and_a_colleague_takes_over(
        qtbot: QtBot, signed_in_window: tuple[MainWindow, Mono]) -> None:
    w, mono = signed_in_window
    assert w.guard is not None and w.sync is not None
    w.start_intake("RS04")
    page = w.intake
    assert isinstance(page, IntakePage)
    name = page.findChildren(QLineEdit)[0]
    name.insert("欧阳秀英")  # a half-filled form
    ctx = w.ctx
    submit(ctx, open_form(ctx, "RS04"), RS04_VALUES, RS04_TICKED)  # one case waiting to go

    mono.t += ctx.settings.idle_lock_minutes * 60
    w.guard.idle.check()
    assert w.guard.locked
    assert w.guard.screen.geometry() == w.centralWidget().rect()
    assert w.sync.sync_now()  # the scheduler's job, while the screen is locked
    qtbot.waitUntil(lambda: w.sync is not None and w.sync.status().queued == 0, timeout=15000)

    form = w.guard.screen.form
    form.staff_no.clear()
    qtbot.keyClicks(form.staff_no, "W002")
    qtbot.keyClicks(form.password, WORKER_PW)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert not w.guard.locked
    assert name.text() == "欧阳秀英" and w.pages.currentWidget() is page
    assert "李强（W002）" in w.status_bar.operator.text()
    saved = submit(ctx, open_form(ctx, "RS04"), RS04_VALUES, RS04_TICKED)
    assert receipt_for(ctx, find_case(ctx, saved.tracking_ref)).operator == "李强（W002）"


def test_the_lock_button_locks_at_once(qtbot: QtBot,
                                       signed_in_window: tuple[MainWindow, Mono]) -> None:
    w, _ = signed_in_window
    assert w.guard is not None and w.lock_button.isVisible()
    qtbot.mouseClick(w.lock_button, Qt.MouseButton.LeftButton)
    assert w.guard.locked and w.guard.screen.form.staff_no.text() == DEMO_STAFF_NO
    assert QApplication.focusWidget() in (w.guard.screen.form.password, None)
    w.go_to(PageKey.SERVICES)  # navigation under the cover changes nothing for the lock
    assert w.guard.locked


def test_settings_change_only_under_an_administrator(
        qtbot: QtBot, signed_in_window: tuple[MainWindow, Mono]) -> None:
    w, _ = signed_in_window
    assert w.guard is not None
    w.go_to(PageKey.SETTINGS)
    screen = w.page(PageKey.SETTINGS)
    assert isinstance(screen, SettingsScreen)
    assert screen.form.isEnabled() and not screen.admin_only.isVisible()  # the demo admin
    qtbot.mouseClick(w.lock_button, Qt.MouseButton.LeftButton)
    form = w.guard.screen.form
    form.staff_no.clear()
    qtbot.keyClicks(form.staff_no, "W002")
    qtbot.keyClicks(form.password, WORKER_PW)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert not screen.form.isEnabled() and screen.admin_only.isVisible()


def test_nothing_underneath_shows_through_the_lock_screen(
        qtbot: QtBot, signed_in_window: tuple[MainWindow, Mono]) -> None:
    """Where the navigation and the item list are, the locked window shows plain background."""
    w, _ = signed_in_window
    assert w.guard is not None
    nav = w.nav.buttons[0]
    spot = nav.mapTo(w.centralWidget(), nav.rect().center())  # the red 事项 button
    unlocked = w.centralWidget().grab().toImage()
    w.guard.lock_now()
    QApplication.processEvents()
    locked = w.centralWidget().grab().toImage()
    background = locked.pixelColor(2, 2)
    assert unlocked.pixelColor(spot) != background  # something was there
    for dx in range(-20, 21, 5):
        for dy in range(-8, 9, 4):
            assert locked.pixelColor(spot.x() + dx, spot.y() + dy) == background
