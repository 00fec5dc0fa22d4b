"""事项 page with real widgets: find by initials or 汉字, read the detail, start intake by key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.search import SearchIndex
from station_app.services.context import StationContext
from station_app.ui.item_list_model import ItemListModel, ItemRole
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.services_page import ServicesPage

RS04 = "退休人员养老金资格认证"


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Keystrokes as a keyboard or an input method delivers them (QTest only knows Latin-1)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0,
                                                 Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def page(qtbot: QtBot, station_ctx: StationContext, search_index: SearchIndex) -> ServicesPage:
    p = ServicesPage(station_ctx.catalogue, search_index)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def _names(page: ServicesPage) -> list[str]:
    m = page.model
    return [str(m.index(r, 0).data(Qt.ItemDataRole.DisplayRole)) for r in range(m.rowCount())]


@pytest.mark.parametrize("query", ["txns", "退休"])
def test_typing_finds_rs04_and_enter_starts_intake(qtbot: QtBot, page: ServicesPage,
                                                   query: str) -> None:
    page.search.setFocus()
    type_text(qtbot, page.search, query)
    codes = [page.model.hit(r).code for r in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert "RS04" in codes
    while page.current_code() != "RS04":  # Down moves the highlight; focus stays in the box
        qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.search
    assert page.detail.title.text() == RS04
    with qtbot.waitSignal(page.startIntake, timeout=1000) as blocker:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert blocker.args == ["RS04"]


def test_start_button_and_list_activation_start_the_highlighted_item(
        qtbot: QtBot, page: ServicesPage) -> None:
    qtbot.keyClicks(page.search, "txns")
    assert page.current_code() == "RS04"
    with qtbot.waitSignal(page.startIntake, timeout=1000) as blocker:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["RS04"]
    page.results.setFocus()
    with qtbot.waitSignal(page.startIntake, timeout=1000) as blocker:
        qtbot.keyClick(page.results, Qt.Key.Key_Enter)
    assert blocker.args == ["RS04"]


def test_main_window_asks_the_intake_page_to_start_rs04(
        qtbot: QtBot, named_ctx: StationContext,
        make_window: Callable[[StationContext], MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    w = make_window(named_ctx)
    started: list[str] = []
    monkeypatch.setattr(w.intake, "start", started.append, raising=False)
    qtbot.keyClicks(w.services.search, "txns")
    qtbot.keyClick(w.services.search, Qt.Key.Key_Return)
    assert started == ["RS04"]
    assert w.pages.currentIndex() == PageKey.INTAKE
    assert w.nav.buttons[PageKey.INTAKE].isChecked()


def test_bundles_are_tagged_in_words(page: ServicesPage) -> None:
    page.search.setText("退休")
    names = _names(page)
    assert any(n.startswith("〔一事联办〕退休") for n in names)
    assert any(n.startswith(RS04) for n in names)
    page.search.setText("老年证")
    assert all("〔一事联办〕" not in n for n in _names(page) if n.startswith("老年人优待证"))


def test_category_filter_keeps_only_that_category(page: ServicesPage,
                                                  station_ctx: StationContext) -> None:
    page.category.setCurrentIndex(page.category.findText("残疾人服务"))
    codes = [page.model.hit(r).code for r in range(page.model.rowCount())]  # type: ignore[union-attr]
    items = station_ctx.catalogue.items
    assert codes and all(items[c].category == "canji" for c in codes)
    assert "CL38" in codes
    page.search.setText("txns")
    assert page.model.rowCount() == 0
    assert "没有找到" in page.count.text()
    assert not page.start_button.isEnabled()


def test_detail_shows_department_handling_fee_and_materials(page: ServicesPage) -> None:
    page.search.setText("txns")
    text = page.detail.facts.text()
    assert "汉阳区人力资源和社会保障局" in text
    assert "即办件" in text and "免费" in text and "退休年审" in text
    assert "按月领取基本养老金的退休人员" in text
    mats = page.detail.materials.text()
    assert "居民身份证或社会保障卡" in mats and "原件" in mats and "核验后当场退还" in mats


def test_conditional_materials_are_marked(page: ServicesPage) -> None:
    page.search.setText("CL38")
    assert page.current_code() == "CL38"
    assert "〔视情况〕" in page.detail.materials.text()


def test_item_model_passes_the_model_tester(qtmodeltester: ModelTester,
                                            search_index: SearchIndex) -> None:
    model = ItemListModel()
    model.set_hits(search_index.search(""))
    qtmodeltester.check(model)
    model.set_hits(search_index.search("lnz"))
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ItemRole.CODE)
    model.set_hits([])
    qtmodeltester.check(model)


def test_tab_order_follows_reading_order(qtbot: QtBot, page: ServicesPage) -> None:
    page.search.setText("txns")
    page.search.setFocus()
    seen: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [page.search, page.category, page.results, page.detail, page.start_button]


def test_escape_clears_the_search(qtbot: QtBot, page: ServicesPage) -> None:
    qtbot.keyClicks(page.search, "lnz")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.model.rowCount() > 50
