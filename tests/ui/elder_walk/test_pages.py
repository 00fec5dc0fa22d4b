"""The acceptance walk over the window's pages, in both looks and both languages at 1366×768:
事项 (search and an item's detail), 受理 (forms with every kind of field, 核对, the receipt),
办件 (list and a case's detail), 设置 and the status bar on every one of them.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from station_app.ui.intake import IntakePage
from station_app.ui.intake.field_group import GroupField
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.theme import Theme
from tests.helpers.cases_page import open_cases
from tests.ui.elder_walk.walk import assert_all_rules, settle, shoot

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_services_search_and_item_detail(walk_window: MainWindow, theme: Theme,
                                         language: str) -> None:
    walk_window.go_to(PageKey.SERVICES)
    walk_window.services.search.setText("txns")
    settle()
    assert walk_window.services.current_code() == "RS04"
    shoot(walk_window, f"services-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
    walk_window.services.search.setText("没有这种事项")
    assert_all_rules(walk_window, theme)


@pytest.mark.parametrize("code", ["LL27", "RS04", "MZ17", "LL25"])
def test_intake_form(walk_window: MainWindow, theme: Theme, language: str, code: str) -> None:
    """Radios, check boxes, dates and an address (LL27, RS04), a repeating group (MZ17), an
    attachment (LL25); the notice button and the materials beside the form."""
    walk_window.start_intake(code)
    page = walk_window.intake
    assert isinstance(page, IntakePage)
    for field in page.form_view.widgets.values():
        if isinstance(field, GroupField):
            field.add_row()
    settle()
    shoot(walk_window, f"intake-{code}-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
    if language == "en":  # why it cannot be saved: English words around the form's own names
        assert page.form_page.blockers.text().startswith("✖ Cannot submit yet: Fields missing")
    page.form_page.form_scroll.verticalScrollBar().setValue(10**6)  # the foot of the form
    assert_all_rules(walk_window, theme)


def test_cases_list_and_detail(qtbot: QtBot, walk_window: MainWindow, theme: Theme,
                               language: str) -> None:
    cases = open_cases(qtbot, walk_window)
    settle()
    shoot(walk_window, f"cases-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
    if language == "en":  # the services' filter words, translated at the interface
        for combo in (cases.filters.status, cases.filters.dates):
            items = [combo.itemText(i) for i in range(combo.count())]
            assert not [t for t in items if CJK.search(t)], items


def test_settings_page(walk_window: MainWindow, theme: Theme, language: str) -> None:
    walk_window.go_to(PageKey.SETTINGS)
    settle()
    shoot(walk_window, f"settings-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
    walk_window.settings_page.station_id.setText("!")
    assert not walk_window.settings_page.save()
    assert_all_rules(walk_window, theme)


def test_intake_with_draft_offer_and_news(walk_window: MainWindow, theme: Theme,
                                          language: str) -> None:
    """The banner offering a half-done intake, and a line of news over the form."""
    walk_window.start_intake("RS04")
    page = walk_window.intake
    assert isinstance(page, IntakePage)
    offer = QCoreApplication.translate(
        "DraftOffers", "有一份上次未完成的受理（{0}），可以恢复后继续办理。")
    page.form_page.offer_draft(offer.format("2026-11-25 09:30"))
    page.form_page.say("一次性告知单已送打印机：请把它交给居民，补齐材料后再来")
    settle()
    shoot(walk_window, f"intake-banners-{theme.key}-{language}")
    assert_all_rules(walk_window, theme)
