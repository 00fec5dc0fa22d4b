"""The window as a whole: navigation by keyboard, the 长辈版 switch, the honest status bar."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.config import load_settings
from station_app.services.context import StationContext
from station_app.services.intake import open_form, submit
from station_app.services.settings_form import store_settings, validate_settings
from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.theme import ELDER, STANDARD

Make = Callable[[StationContext], MainWindow]
SERVICES, INTAKE, CASES, SETTINGS = PageKey

RS04_VALUES = {
    "name": "张三丰", "id_number": "11010519491231002X", "phone": "13800000000",
    "address": {"community": "七里一村", "building": "1", "unit": "1", "room": "101"},
    "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险",
    "auth_method": "柜台人脸识别", "auth_result": "认证通过", "next_due_date": "2027-11-25",
}


def test_alt_shortcuts_switch_pages(qtbot: QtBot, named_ctx: StationContext,
                                    make_window: Make) -> None:
    w = make_window(named_ctx)
    assert w.pages.currentIndex() == SERVICES
    for n, index in ((4, SETTINGS), (3, CASES), (2, INTAKE), (1, SERVICES)):
        qtbot.keyClick(w, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: w.pages.currentIndex() == index)  # noqa: B023 (animated click)
        assert w.nav.buttons[index].isChecked()
    assert QApplication.focusWidget() is w.services.search


def test_nav_buttons_are_checkable_and_exclusive(named_ctx: StationContext,
                                                 make_window: Make) -> None:
    w = make_window(named_ctx)
    w.nav.buttons[SETTINGS].click()
    assert [b.isChecked() for b in w.nav.buttons] == [False, False, False, True]
    assert w.pages.currentWidget() is w.page(SETTINGS)
    assert w.settings_page.isVisibleTo(w.page(SETTINGS))


def test_elder_switch_applies_live_for_this_resident_only(
        qtbot: QtBot, named_ctx: StationContext, make_window: Make) -> None:
    w = make_window(named_ctx)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    qtbot.mouseClick(w.elder_button, Qt.MouseButton.LeftButton)
    assert app.font().pixelSize() == ELDER.font_px
    assert w.services.search.font().pixelSize() >= ELDER.font_px
    assert w.elder_button.text() == "退出长辈版"
    assert load_settings(named_ctx.data_dir).theme == "standard"  # not the next resident's
    w.start_intake("RS04")
    page = w.intake
    assert isinstance(page, IntakePage)
    page.receipt_view.done_button.click()  # 完成: the next resident comes
    assert app.font().pixelSize() == STANDARD.font_px
    assert w.elder_button.text() == "长辈版"


def test_a_station_that_defaults_to_elder_stays_elder_after_each_case(
        qtbot: QtBot, named_ctx: StationContext, make_window: Make) -> None:
    settings, errors = validate_settings(named_ctx.settings, {"theme": "elder"})
    assert settings is not None, errors
    store_settings(named_ctx, settings)
    w = make_window(named_ctx)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.font().pixelSize() == ELDER.font_px
    qtbot.mouseClick(w.elder_button, Qt.MouseButton.LeftButton)  # this resident: 标准版
    assert app.font().pixelSize() == STANDARD.font_px
    w.start_intake("RS04")
    page = w.intake
    assert isinstance(page, IntakePage)
    page.receipt_view.done_button.click()
    assert app.font().pixelSize() == ELDER.font_px and w.elder_button.isChecked()


def test_status_bar_without_backend_shows_the_queue_honestly(
        qtbot: QtBot, named_ctx: StationContext, make_window: Make) -> None:
    form = open_form(named_ctx, "RS04")
    sub = submit(named_ctx, form, RS04_VALUES, ["居民身份证或社会保障卡"])
    w = make_window(named_ctx)
    bar = w.status_bar
    assert bar.connection.text() == "未配置后台，案件已安全保存在本机"
    assert bar.conn_icon.pixmap() is not None and not bar.conn_icon.pixmap().isNull()
    assert bar.queued.text() == "待上报 1"
    assert bar.attention.text() == "需处理 0"
    assert bar.last_sync.text() == "上次同步：尚无"
    assert bar.operator.text() == f"操作员：{named_ctx.operator}"
    qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
    assert "设置" in bar.notice.text()
    assert sub.tracking_ref


def test_first_run_is_shown_on_a_fresh_station_and_left_for_the_pages(
        qtbot: QtBot, station_ctx: StationContext, make_window: Make) -> None:
    w = make_window(station_ctx)
    assert w.root.currentWidget() is w.first_run
    assert not w.nav.isVisible()
    qtbot.mouseClick(w.first_run.later_button, Qt.MouseButton.LeftButton)
    assert w.root.currentIndex() == 1
    assert w.nav.isVisible()


def test_closing_the_window_stops_its_timer(named_ctx: StationContext, make_window: Make) -> None:
    w = make_window(named_ctx)
    assert w.poller.timer.isActive()
    w.close()
    assert not w.poller.timer.isActive()


def test_settings_saved_from_the_page_switch_theme_and_title(
        named_ctx: StationContext, make_window: Make) -> None:
    w = make_window(named_ctx)
    w.go_to(SETTINGS)
    page = w.settings_page
    page.station_name.setText("新名字驿站")
    page.theme.setCurrentIndex(page.theme.findData("elder"))
    assert page.save()
    assert w.title.text() == "新名字驿站"
    assert w.elder_button.isChecked()
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.font().pixelSize() == ELDER.font_px


def test_tab_goes_from_the_top_bar_through_the_nav_into_the_page(
        qtbot: QtBot, named_ctx: StationContext, make_window: Make) -> None:
    """The nav is one stop for Tab (the current page's button); arrows move between pages."""
    w = make_window(named_ctx)
    w.elder_button.setFocus()
    page = w.services
    for expected in (w.nav.buttons[SERVICES], page.search, page.category, page.results,
                     page.detail, page.start_button):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    w.nav.buttons[SERVICES].setFocus()
    qtbot.keyClick(w.nav.buttons[SERVICES], Qt.Key.Key_Down)
    assert QApplication.focusWidget() is w.nav.buttons[INTAKE]
    qtbot.waitUntil(lambda: w.pages.currentIndex() == INTAKE)


def test_a_page_that_cannot_be_built_says_so_and_the_rest_works(
        named_ctx: StationContext, monkeypatch: pytest.MonkeyPatch, make_window: Make) -> None:
    from station_app.ui.pages import UnavailablePage

    # as in a build that left the 办件 package out: importing it fails when it is first needed
    monkeypatch.setitem(sys.modules, "station_app.ui.cases", None)
    w = make_window(named_ctx)
    w.go_to(CASES)
    assert isinstance(w.cases, UnavailablePage)
    assert "办件页面" in w.cases.reason.text() and "station_app.ui.cases" in w.cases.reason.text()
    assert w.pages.currentWidget() is w.cases and w.nav.buttons[CASES].isChecked()
    w.go_to(INTAKE)
    assert not isinstance(w.intake, UnavailablePage)
    assert w.pages.currentWidget() is w.intake


def test_a_page_whose_construction_fails_says_why(
        named_ctx: StationContext, monkeypatch: pytest.MonkeyPatch, make_window: Make) -> None:
    from station_app.ui.intake import intake_page
    from station_app.ui.pages import UnavailablePage

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("打印机驱动崩溃")

    monkeypatch.setattr(intake_page.IntakePage, "__init__", broken)
    w = make_window(named_ctx)
    w.start_intake("RS04")  # the 事项 page asked; the window says why instead of crashing
    assert isinstance(w.intake, UnavailablePage) and w.pages.currentWidget() is w.intake
    assert "受理页面暂时无法打开" in w.intake.reason.text()
    assert "RuntimeError: 打印机驱动崩溃" in w.intake.reason.text()


def test_pages_are_built_when_first_needed_and_placed_in_their_slot(
        named_ctx: StationContext, make_window: Make) -> None:
    w = make_window(named_ctx)
    assert [w.pages.widget(k) is w.page(k) for k in (SERVICES,)] == [True]
    placeholder = w.pages.widget(CASES)
    assert w._cases.built is None and w._intake.built is None  # start-up builds neither
    cases = w.cases  # asked for before any visit: built now, in its own place
    assert w._cases.built is cases and w.pages.widget(CASES) is cases
    assert w.pages.indexOf(placeholder) == -1 and w.pages.count() == len(PageKey)
    assert w.pages.currentWidget() is w.services  # building did not switch pages
    for key in PageKey:
        w.go_to(key)
        assert w.pages.currentIndex() == key and w.pages.currentWidget() is w.page(key)
    assert w.cases is cases  # built once


def test_every_page_says_what_entering_and_closing_mean() -> None:
    """The window calls `enter` and `shutdown` on every page: each page class defines both
    (mypy refuses to build one that does not; this says the same at run time)."""
    from station_app.ui.cases import CasesPage
    from station_app.ui.intake import IntakePage
    from station_app.ui.pages import Page, UnavailablePage
    from station_app.ui.services_page import ServicesPage
    from station_app.ui.settings_screen import SettingsScreen

    for page in (ServicesPage, IntakePage, CasesPage, SettingsScreen, UnavailablePage):
        assert issubclass(page, Page)
        for name in ("enter", "shutdown"):
            assert not getattr(getattr(page, name), "__isabstractmethod__", False), (page, name)


def test_keys_typed_right_after_alt_1_reach_the_search_box(qtbot: QtBot, named_ctx: StationContext,
                                                          make_window: Make) -> None:
    w = make_window(named_ctx)
    assert QApplication.focusWidget() is w.services.search  # at start, typing searches
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentIndex() == CASES
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    focus = QApplication.focusWidget()
    assert focus is w.services.search  # at once: no animated click in between
    qtbot.keyClicks(focus, "lnz")
    assert w.services.search.text() == "lnz"
    assert w.services.current_code() == "LL25"  # 老年证 found


def test_the_window_title_names_the_station_once(named_ctx: StationContext,
                                                 make_window: Make) -> None:
    w = make_window(named_ctx)
    # Qt appends the application display name (set by the app) to every window title that
    # does not already end with it: the title itself must not carry it too.
    assert w.windowTitle() == "七里一村红色驿站"
    assert w.title.text() == "七里一村红色驿站"
