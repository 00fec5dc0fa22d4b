"""Cards at the counter beyond the three-action flows: another person's card on a half-filled
form, an open case opened from the card, an expired card, and a reader that cannot be used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from station_app.config import save_settings
from station_app.domain.search import SearchIndex
from station_app.services.context import StationContext
from station_app.services.receipts import find_case
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent
from station_app.ui.cases import CasesPage
from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from tests.helpers.counter import LI, SANFENG, save_case
from tests.helpers.standin_reader import PlaceCard


def _window(qtbot: QtBot, ctx: StationContext, index: SearchIndex, printer: Any,
            **reader: object) -> MainWindow:
    ctx.settings = ctx.settings.model_copy(update=reader)
    save_settings(ctx.data_dir, ctx.settings)
    w = MainWindow(ctx, index, printer=printer)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def standin_window(qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex,
                   standin_libraries: dict[str, Path], place_card: PlaceCard,
                   pdf_printer: Any) -> Iterator[MainWindow]:
    place_card("none")
    w = _window(qtbot, named_ctx, search_index, pdf_printer, card_driver="termb",
                card_library=str(standin_libraries["termb"]), card_port=1001)
    yield w
    w.close()


def test_another_persons_card_on_a_half_filled_form_asks_first(
        qtbot: QtBot, standin_window: MainWindow, place_card: PlaceCard,
        type_text: Callable[[QWidget, str], None]) -> None:
    w = standin_window
    w.start_intake("YB10")
    page = w.built_intake
    assert isinstance(page, IntakePage)
    type_text(page.form_view.widgets["name"].inputs()[0], "王芳")
    type_text(page.form_view.widgets["id_number"].inputs()[0], "420105198506120045")
    place_card("card")
    question = page.cards.question
    qtbot.waitUntil(question.isVisible)
    assert "王*" in question.text.text() and "张三丰" in question.text.text()
    assert page.form_view.widgets["name"].value() == "王芳"  # nothing replaced yet
    qtbot.mouseClick(question.keep_button, Qt.MouseButton.LeftButton)
    assert not question.isVisible() and page.form_view.widgets["name"].value() == "王芳"
    page.read_id_card()  # 读身份证 again: the card still lying there is asked about again
    qtbot.waitUntil(question.isVisible)
    qtbot.mouseClick(question.replace_button, Qt.MouseButton.LeftButton)
    assert page.form_view.widgets["name"].value() == "张三丰"
    assert page.form_view.widgets["id_number"].value() == "42010519600101001X"


def test_an_open_case_is_opened_from_the_card(
        qtbot: QtBot, named_ctx: StationContext, standin_window: MainWindow,
        place_card: PlaceCard) -> None:
    ref = save_case(named_ctx, "LL27", SANFENG, phone="13871234567")
    place_card("card")
    offers = standin_window.services.offers
    qtbot.waitUntil(lambda: offers.isVisible() and bool(offers.buttons))
    button = next(b for b in offers.buttons if b.text().endswith(ref))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    cases = standin_window.cases
    assert isinstance(cases, CasesPage)
    assert standin_window.pages.currentWidget() is cases
    qtbot.waitUntil(lambda: cases.current_id() == find_case(named_ctx, ref).id)


def test_an_expired_card_is_said_on_the_offers_and_the_form(
        qtbot: QtBot, standin_window: MainWindow, place_card: PlaceCard) -> None:
    place_card("expired")  # 李四, valid until 2020-01-01
    offers = standin_window.services.offers
    qtbot.waitUntil(lambda: offers.isVisible() and offers.warning.isVisible())
    assert "已过期" in offers.warning.text() and "2020.01.01" in offers.warning.text()
    qtbot.mouseClick(offers.buttons[0], Qt.MouseButton.LeftButton)
    page = standin_window.built_intake
    assert page is not None
    assert "过期" in page.form_page.note.text()
    assert page.form_view.widgets.get("review_result") is None or \
        page.form_view.widgets["review_result"].value() in (None, "")  # not a passed review


def test_a_reader_that_cannot_be_used_is_one_line_and_the_terminal_works(
        qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex, pdf_printer: Any,
        tmp_path: Path) -> None:
    w = _window(qtbot, named_ctx, search_index, pdf_printer, card_driver="sdtapi",
                card_library=str(tmp_path / "missing" / "libsdtapi.so"), card_port=1001)
    line = w.status_bar.reader
    qtbot.waitUntil(line.isVisible)
    assert "\n" not in line.text() and "阅读器" in line.text()
    w.start_intake("RS04")  # the rest works
    page = w.built_intake
    assert page is not None and page.form_view.widgets["name"].isVisible()
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "阅读器" in page.form_page.note.text())
    w.close()


def test_a_keyboard_wedge_reader_fills_the_number(
        qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex,
        pdf_printer: Any) -> None:
    w = _window(qtbot, named_ctx, search_index, pdf_printer, card_driver="keyboard")
    assert w.counter.wedge is not None
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.start_intake("YB10")
    page = w.built_intake
    assert page is not None
    target = page.form_view.widgets["phone"].inputs()[0]
    target.setFocus()
    qtbot.keyClicks(target, LI.id_number)  # a wedge types fast: well under the gap
    qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.form_view.widgets["id_number"].value() == LI.id_number)
    w.close()


def test_a_reprint_from_cases_goes_through_the_station_printer(
        qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex, pdf_printer: Any,
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    ref = save_case(named_ctx, "LL27", SANFENG, phone="13871234567")
    w = _window(qtbot, named_ctx, search_index, pdf_printer, paper="80mm")
    cases = w.cases
    assert isinstance(cases, CasesPage)
    with qtbot.waitSignal(cases.openReceipt):
        cases.openReceipt.emit(ref)  # the detail's 重新打印回执
    assert len(pdf_printer.pages) == 1
    _, codes = read_pdf(pdf_printer.pages[0])
    assert codes == [ref]
    with session_scope(named_ctx.engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent)).all() if e.subject == ref]
    assert "receipt.reprinted" in actions
    w.close()
