"""The English interface: each screen, walked with the English translation installed, shows no
Chinese outside the data it displays.

Catalogue entries, a case's details and the services' messages stay Chinese by design; the
widgets that show them carry the `data_label` property (`station_app.i18n.mark_data`) and are
skipped. Everything else a worker reads must come from the translation: buttons, labels, group
boxes, window titles, tabs, the navigation and the case list's column headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QTabBar,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.i18n import DATA_LABEL, compile_translations, install_translator, lrelease_tool
from station_app.services.context import StationContext
from station_app.services.demo import fill_demo_cases
from station_app.ui.cases.rating_dialog import RatingDialog
from station_app.ui.intake import IntakePage
from station_app.ui.intake.field_group import GroupField
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from tests.helpers.cases_page import open_cases
from tests.helpers.intake_page import rs04_ready_for_review

CJK = re.compile(r"[\u4e00-\u9fff]")
Make = Callable[[StationContext], MainWindow]

RS04_VALUES = {
    "name": "张三丰", "id_number": "11010519491231002X", "phone": "13800000000",
    "address": {"community": "七里一村", "building": "1", "unit": "1", "room": "101"},
    "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险",
    "auth_method": "柜台人脸识别", "auth_result": "认证通过", "next_due_date": "2027-11-25",
}


def untranslated(root: QWidget, data: tuple[str, ...] = ()) -> list[str]:
    """Visible texts of `root` and its children that still contain Chinese characters.

    Widgets marked as showing data are skipped; `data` lists values (the station's name …)
    that may appear inside an otherwise translated text, such as the window title.
    """
    found: list[str] = []

    def check(what: str, text: str) -> None:
        for value in data:
            text = text.replace(value, "")
        if CJK.search(text):
            found.append(f"{what}: {text!r}")

    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or w.property(DATA_LABEL):
            continue
        kind = type(w).__name__
        if w.isWindow():
            check(f"{kind} window title", w.windowTitle())
        if isinstance(w, QAbstractButton | QLabel):
            check(kind, w.text())
        elif isinstance(w, QGroupBox):
            check(kind, w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                check(f"{kind} tab", w.tabText(i))
        elif isinstance(w, QTableView):
            model = w.model()
            for column in range(model.columnCount()):
                if not w.isColumnHidden(column):
                    header = model.headerData(column, Qt.Orientation.Horizontal)
                    check(f"{kind} header", str(header))
    return found


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """The English translation, built from the .ts source into tmp_path, installed for the
    test and removed afterwards (the interface's source strings are Chinese again)."""
    if lrelease_tool() is None:
        pytest.skip("PySide6 without lrelease")
    qm_dir = tmp_path / "qm"
    assert [p.name for p in compile_translations(qm_dir, force=True)] == ["red_station_en.qm"]
    translators = install_translator(qapp, "en", qm_dir)
    try:
        assert QCoreApplication.translate("MainWindow", "事项") == "Services"
        yield
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert QCoreApplication.translate("MainWindow", "事项") == "事项"


@pytest.fixture
def window(english: None, named_ctx: StationContext, make_window: Make) -> MainWindow:
    """The main window of a configured station with demo cases, built in English."""
    fill_demo_cases(named_ctx, 30, seed=7)
    return make_window(named_ctx)


def walk(w: MainWindow) -> list[str]:
    """The window's untranslated texts; the station's and the operator's names are data."""
    QApplication.processEvents()
    return untranslated(w, data=(w.ctx.station.name, w.ctx.operator))


def test_services_page_in_english(window: MainWindow) -> None:
    window.go_to(PageKey.SERVICES)
    window.services.search.setText("txns")
    assert window.services.current_code() == "RS04"
    assert walk(window) == []
    assert window.nav.buttons[PageKey.INTAKE].text() == "Intake"
    window.services.search.setText("没有这种事项")
    assert walk(window) == []


@pytest.mark.parametrize("code", ["RS04", "MZ17", "LL25", "BD01"])
def test_intake_form_in_english(window: MainWindow, code: str) -> None:
    """Text, ID number, date, choices and address (RS04), check boxes and a repeating group
    (MZ17), an attachment (LL25) and a bundle's shared form (BD01)."""
    window.start_intake(code)
    page = window.intake
    assert isinstance(page, IntakePage) and window.pages.currentIndex() == PageKey.INTAKE
    for field in page.form_view.widgets.values():
        if isinstance(field, GroupField):
            field.add_row()
    assert walk(window) == []


def test_intake_review_and_receipt_in_english(window: MainWindow) -> None:
    page = rs04_ready_for_review(window, RS04_VALUES)
    assert page.form_page.blockers.text().startswith("✔") and walk(window) == []
    assert page.try_submit()
    assert page.stack.currentWidget() is page.confirm_view
    assert walk(window) == []
    assert page.confirm() is not None
    assert page.stack.currentWidget() is page.receipt_view
    assert page.receipt_view.saved.text() == "✔ Saved"
    assert walk(window) == []


def test_cases_page_and_rating_in_english(qtbot: QtBot, window: MainWindow) -> None:
    cases = open_cases(qtbot, window)
    assert cases.count.text() == "30 cases"
    assert walk(window) == []
    current = cases.current_id()
    assert current is not None
    cases.ask_rating(current)
    dialog = cases.rating_dialog
    assert isinstance(dialog, RatingDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Rate our service"
    assert untranslated(dialog) == []
    dialog.choose(Rating.SATISFIED)
    assert untranslated(dialog) == []
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert walk(window) == []  # the detail now shows the rating
    cases.ask_rating(current)  # the resident comes back, displeased: the reason page
    again = cases.rating_dialog
    assert isinstance(again, RatingDialog)
    qtbot.waitExposed(again)
    again.panel.choose(Rating.DISSATISFIED)
    assert untranslated(again) == []
    again.choose(Rating.DISSATISFIED, RatingReason.OTHER, "")
    assert untranslated(again) == []
    again.close_button.click()
    qtbot.waitUntil(lambda: not again.isVisible())
    assert walk(window) == []  # the follow-up and its action
    cases.close_followup(current)
    closing = cases.ratings.followup_dialog
    assert closing is not None
    qtbot.waitExposed(closing)
    closing.close_button.click()  # no notes: the line under them is the services' (Chinese)
    assert untranslated(closing) == []
    closing.cancel_button.click()
    qtbot.waitUntil(lambda: not closing.isVisible())


def test_settings_and_first_run_in_english(window: MainWindow) -> None:
    window.go_to(PageKey.SETTINGS)
    assert walk(window) == []
    page = window.settings_page
    page.station_id.setText("!")
    assert not page.save()  # the messages under the fields are the services' (Chinese)
    assert page.result.text().startswith("Not saved") and walk(window) == []
    window.show_first_run(True)
    assert walk(window) == []


def test_the_walk_sees_chinese_without_the_translation(named_ctx: StationContext,
                                                       make_window: Make) -> None:
    """The checker itself works: with the source strings it reports the navigation."""
    w = make_window(named_ctx)
    found = walk(w)
    assert any("事项" in line for line in found) and any("立即同步" in line for line in found)
