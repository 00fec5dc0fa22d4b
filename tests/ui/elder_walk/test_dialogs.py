"""The acceptance walk over what opens from the pages, in both looks and both languages: 核对
and the receipt, the 好差评 and follow-up dialogs, a drop-down's list, the date picker, the
first-run screen, the start dialogs (first administrator, sign-in), the lock screen and the
resident's own screen (welcome, 核对, 评价).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.services.security import secure_station
from station_app.ui.intake.field_date import DateField
from station_app.ui.lock_screen import LockScreen
from station_app.ui.main_window import MainWindow
from station_app.ui.resident import ResidentView
from station_app.ui.start_dialogs import FirstAdminDialog, SignInDialog
from station_app.ui.theme import Theme
from station_app.vault.keyfile import CHEAP_PROFILE
from tests.helpers.cases_page import open_cases
from tests.helpers.intake_page import rs04_ready_for_review
from tests.ui.elder_walk.walk import SCREEN, assert_all_rules, settle, shoot


def test_review_and_receipt(walk_window: MainWindow, theme: Theme, language: str) -> None:
    page = rs04_ready_for_review(walk_window)
    settle()
    assert_all_rules(walk_window, theme)  # the form, filled in: nothing left to block
    assert page.try_submit() and page.stack.currentWidget() is page.confirm_view
    shoot(walk_window, f"review-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
    assert page.confirm() is not None and page.stack.currentWidget() is page.receipt_view
    shoot(walk_window, f"receipt-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)


def test_rating_and_follow_up_dialogs(qtbot: QtBot, walk_window: MainWindow, theme: Theme,
                                      language: str) -> None:
    cases = open_cases(qtbot, walk_window)
    current = cases.current_id()
    assert current is not None
    cases.ask_rating(current)
    dialog = cases.rating_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shoot(dialog, f"rating-{theme.key}-{language}")
    assert_all_rules(dialog, theme)
    dialog.panel.choose(Rating.DISSATISFIED)  # the reasons page
    assert_all_rules(dialog, theme)
    dialog.choose(Rating.DISSATISFIED, RatingReason.OTHER, "")
    assert_all_rules(dialog, theme)
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert_all_rules(walk_window, theme)  # the detail now offers the follow-up
    cases.close_followup(current)
    closing = cases.ratings.followup_dialog
    assert closing is not None
    qtbot.waitExposed(closing)
    shoot(closing, f"followup-{theme.key}-{language}")
    assert_all_rules(closing, theme)
    closing.close_button.click()  # no notes: the line that says so
    assert_all_rules(closing, theme)
    closing.cancel_button.click()


@pytest.mark.qt_log_ignore("does not support (raise|grabbing the keyboard)")  # offscreen only
def test_drop_down_list_and_date_picker(qtbot: QtBot, walk_window: MainWindow, theme: Theme,
                                        language: str) -> None:
    cases = open_cases(qtbot, walk_window)
    combo: QComboBox = cases.filters.status
    combo.showPopup()
    popup = combo.view().window()
    qtbot.waitUntil(popup.isVisible)
    assert_all_rules(popup, theme)
    combo.hidePopup()
    page = rs04_ready_for_review(walk_window)
    date = next(f for f in page.form_view.widgets.values() if isinstance(f, DateField))
    date.pick.click()
    calendar = date.popup
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    shoot(calendar, f"calendar-{theme.key}-{language}")
    assert_all_rules(calendar, theme)
    calendar.hide()


def test_first_run_screen(walk_window: MainWindow, theme: Theme, language: str) -> None:
    walk_window.show_first_run(True)
    settle()
    shoot(walk_window, f"first-run-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)


def _shown(qtbot: QtBot, w: QWidget) -> QWidget:
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    settle()
    return w


def test_start_dialogs_and_lock_screen(qtbot: QtBot, tmp_path: Path, walk_window: MainWindow,
                                       theme: Theme, language: str) -> None:
    first = FirstAdminDialog(tmp_path / "fresh")
    _shown(qtbot, first)
    shoot(first, f"first-admin-{theme.key}-{language}")
    assert_all_rules(first, theme)
    data = tmp_path / "secured"
    who, _recovery = secure_station(data, staff_no="A001", name="王芳",
                                    password="hanyang-2026", profile=CHEAP_PROFILE)
    sign_in = SignInDialog(data, clock=lambda: datetime.now(UTC))
    _shown(qtbot, sign_in)
    shoot(sign_in, f"sign-in-{theme.key}-{language}")
    assert_all_rules(sign_in, theme)
    lock = LockScreen(walk_window.centralWidget(), data, clock=lambda: datetime.now(UTC))
    lock.cover(who, why="超过 10 分钟无操作，已自动锁定")
    settle()
    shoot(walk_window, f"lock-{theme.key}-{language}")
    assert_all_rules(lock, theme)
    lock.hide()


def test_resident_screen(qtbot: QtBot, walk_window: MainWindow, theme: Theme,
                         language: str) -> None:
    page = rs04_ready_for_review(walk_window)
    view = ResidentView(walk_window.ctx.station.name)
    view.resize(*SCREEN)
    _shown(qtbot, view)
    assert_all_rules(view, theme)
    assert page.session is not None
    view.show_confirmation(page.session.confirmation(full_id=True))
    settle()
    shoot(view, f"resident-review-{theme.key}-{language}")
    assert_all_rules(view, theme)
    view.show_rating("城乡居民养老保险待遇领取资格认证")
    settle()
    shoot(view, f"resident-rating-{theme.key}-{language}")
    assert_all_rules(view, theme)
    QApplication.processEvents()
