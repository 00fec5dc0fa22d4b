"""刷证即办 at one screen: the card placed on the reader to the printed receipt.

Worker actions are counted: every click, key press and typed field by the worker. The card
laid on the reader, and the resident's own touches on their view (确认, 好差评), are not the
worker's. The reader is the stand-in SDTAPI library (C, compiled for the test) configured in
the station's settings, opened by the terminal itself and polled on the watcher's thread; the
printer writes real PDFs whose QR code is decoded.

老年证年审 (LL27) for 张三丰, 66, who did his 退休年审 here earlier (his phone is known):
1. click the offer 老年证年审 on the 事项 page — the form opens filled from the card: name,
   number, address, 红色优待证 from the age, 年审年度 this year, 年审通过 (a chip read of a
   valid card is the check), the phone from his earlier case; the ID card is ticked.
2. tick 老年人优待证（老年证）— the one material the card cannot prove.
3. Ctrl+Enter — 核对 takes the whole window for the resident (no second screen here), with
   his ID number in full; he presses 确认 himself: saved, and the receipt prints at once.

退休年审 (RS04) for the same resident after a 老年证 case: 1. the offer, 2. 待遇类型 (the one
answer with no default and none from earlier), 3. Ctrl+Enter; the resident confirms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from station_app.config import save_settings
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.domain.search import SearchIndex
from station_app.services.context import StationContext
from station_app.services.ratings import list_open_followups
from station_app.services.receipts import find_case
from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from tests.helpers.counter import RS04_PASSED, SANFENG, SANFENG_GROUPED, save_case
from tests.helpers.standin_reader import PlaceCard

MAX_ACTIONS = 3


@pytest.fixture
def counter_window(qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex,
                   standin_libraries: dict[str, Path], place_card: PlaceCard,
                   pdf_printer: Any) -> Iterator[MainWindow]:
    named_ctx.settings = named_ctx.settings.model_copy(update={
        "card_driver": "sdtapi", "card_library": str(standin_libraries["sdtapi"]),
        "card_port": 1001})
    save_settings(named_ctx.data_dir, named_ctx.settings)
    place_card("none")
    w = MainWindow(named_ctx, search_index, printer=pdf_printer)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    w.close()


def _texts(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def _finish_at_resident_view(qtbot: QtBot, w: MainWindow, named_ctx: StationContext,
                             pdf_printer: Any,
                             read_pdf: Callable[[Path], tuple[str, list[str]]]) -> str:
    """The resident checks and confirms on the view that took over the window; returns ref."""
    view = w.counter.view
    assert w.root.currentWidget() is w.takeover_host and not w.status_bar.isVisible()
    assert view.showing == "confirm" and view.isVisible()
    assert SANFENG_GROUPED in _texts(view.confirm)  # the resident can check his own number
    page = w.built_intake
    assert page is not None
    assert SANFENG_GROUPED not in _texts(page.confirm_view)  # the worker's page stays masked
    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.mouseClick(view.confirm.confirm_button, Qt.MouseButton.LeftButton)  # resident
    ref = str(saved.args[0])
    assert len(pdf_printer.pages) == 1  # printed at once, nobody pressed 打印
    _, codes = read_pdf(pdf_printer.pages[-1])
    assert codes == [ref]
    assert view.showing == "rating" and view.rating is not None
    qtbot.mouseClick(view.rating.buttons[Rating.SATISFIED], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.rating.close_button, Qt.MouseButton.LeftButton)  # resident
    qtbot.waitUntil(lambda: w.root.currentWidget() is not w.takeover_host)
    assert w.status_bar.isVisible() and page.stack.currentWidget() is page.receipt_view
    assert find_case(named_ctx, ref).rating == Rating.SATISFIED.score
    return ref


def test_elder_card_review_from_card_to_receipt_in_three_actions(
        qtbot: QtBot, named_ctx: StationContext, counter_window: MainWindow, place_card: PlaceCard,
        pdf_printer: Any, read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    save_case(named_ctx, "RS04", SANFENG, phone="13871234567",
              benefit_type="企业职工基本养老保险", **RS04_PASSED)
    w = counter_window
    actions: list[str] = []
    place_card("card")  # laid on the reader: not a worker action
    offers = w.services.offers
    qtbot.waitUntil(lambda: offers.isVisible() and bool(offers.buttons))
    assert "张三丰，66 岁" in offers.heading.text()
    first = offers.buttons[0]
    assert first.text().startswith("老年人优待证（老年证）年审")

    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    actions.append("点选推荐：老年证年审")
    page = w.built_intake
    assert isinstance(page, IntakePage) and w.pages.currentWidget() is page
    fv = page.form_view
    assert fv.widgets["name"].value() == "张三丰"
    assert fv.widgets["card_type"].value() == "红色优待证（65 周岁及以上）"
    assert fv.widgets["review_result"].value() == "年审通过"
    assert fv.widgets["phone"].value() == "13871234567"
    assert page.form_page.materials.box("居民身份证").isChecked()

    box = page.form_page.materials.box("老年人优待证（老年证）")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    actions.append("勾选老年证原件")
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    actions.append("Ctrl+Enter 核对")

    ref = _finish_at_resident_view(qtbot, w, named_ctx, pdf_printer, read_pdf)
    assert len(actions) <= MAX_ACTIONS, actions
    case = find_case(named_ctx, ref)
    assert case.item_code == "LL27"
    assert case.payload["review_year"] == named_ctx.clock().year


def test_retirement_review_from_card_to_receipt_in_three_actions(
        qtbot: QtBot, named_ctx: StationContext, counter_window: MainWindow, place_card: PlaceCard,
        pdf_printer: Any, read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    earlier = save_case(named_ctx, "LL27", SANFENG, phone="13871234567")
    w = counter_window
    actions: list[str] = []
    place_card("card")
    offers = w.services.offers
    qtbot.waitUntil(lambda: offers.isVisible() and bool(offers.buttons))
    retirement = next(b for b in offers.buttons if b.text().startswith("退休人员养老金"))
    assert any(b.text().endswith(earlier) for b in offers.buttons)  # his open case

    qtbot.mouseClick(retirement, Qt.MouseButton.LeftButton)
    actions.append("点选推荐：退休年审")
    page = w.built_intake
    assert isinstance(page, IntakePage)
    fv = page.form_view
    assert fv.widgets["phone"].value() == "13871234567"
    qtbot.mouseClick(fv.widgets["benefit_type"].inputs()[0], Qt.MouseButton.LeftButton)
    actions.append("点选待遇类型")
    assert fv.widgets["auth_method"].value() in (None, "")  # the worker's decision
    assert fv.quick_bar is not None
    qtbot.mouseClick(fv.quick_bar.buttons[0], Qt.MouseButton.LeftButton)
    actions.append("一键：柜台人脸识别 · 认证通过，核对")

    ref = _finish_at_resident_view(qtbot, w, named_ctx, pdf_printer, read_pdf)
    assert len(actions) <= MAX_ACTIONS, actions
    assert find_case(named_ctx, ref).item_code == "RS04"


def test_a_poor_rating_at_the_resident_view_needs_a_reason_and_opens_a_follow_up(
        qtbot: QtBot, named_ctx: StationContext, counter_window: MainWindow,
        place_card: PlaceCard, type_text: Callable[[QWidget, str], None]) -> None:
    w = counter_window
    place_card("card")
    offers = w.services.offers
    qtbot.waitUntil(lambda: offers.isVisible() and bool(offers.buttons))
    qtbot.mouseClick(offers.buttons[0], Qt.MouseButton.LeftButton)  # 老年证年审
    page = w.built_intake
    assert isinstance(page, IntakePage)
    type_text(page.form_view.widgets["phone"].inputs()[0], "13871234567")
    box = page.form_page.materials.box("老年人优待证（老年证）")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert page.try_submit()
    view = w.counter.view
    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.mouseClick(view.confirm.confirm_button, Qt.MouseButton.LeftButton)
    panel = view.rating
    qtbot.mouseClick(panel.buttons[Rating.DISSATISFIED], Qt.MouseButton.LeftButton)
    assert not panel.submit_button.isEnabled()  # no reason chosen: cannot be sent
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    rows = list_open_followups(named_ctx)
    assert rows == []  # nothing saved without a reason
    qtbot.mouseClick(panel.reasons[RatingReason.ATTITUDE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    rows = list_open_followups(named_ctx)
    assert [r.tracking_ref for r in rows] == [saved.args[0]]
    today = named_ctx.clock().astimezone(CHINA_TZ).date()
    assert rows[0].deadline == named_ctx.calendar.add_working_days(
        today, named_ctx.catalogue.header.followup_working_days)
