"""办件 page with real widgets and a real database: filters, detail, reprint, 好差评, keyboard."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from station_app.domain.lifecycle import Rating
from station_app.services.case_list import ATTENTION_MARK
from station_app.services.context import StationContext
from station_app.ui.cases import CasesPage
from station_app.ui.cases.cases_model import Column, SubmissionIdRole
from station_app.ui.cases.rating_dialog import RatingDialog
from tests.helpers.cases_page import demo_station, shown_cases_page, sql


@pytest.fixture
def ctx(tmp_path: Any) -> Iterator[StationContext]:
    with demo_station(tmp_path / "station", 400, seed=3) as c:
        yield c


@pytest.fixture
def page(qtbot: QtBot, ctx: StationContext) -> CasesPage:
    return shown_cases_page(qtbot, ctx)




def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Keystrokes as a keyboard or an input method delivers them (QTest only knows Latin-1)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0,
                                                 Qt.KeyboardModifier.NoModifier, ch))


def select_status(page: CasesPage, label: str) -> None:
    page.filters.status.setCurrentIndex(page.filters.status.findText(label))


def test_opens_with_a_counter_and_the_newest_case_in_detail(page: CasesPage,
                                                           ctx: StationContext) -> None:
    assert page.count.text() == "共 400 件"
    assert page.model.rowCount() == 200
    newest = sql(ctx, "SELECT tracking_ref FROM submission ORDER BY created_at DESC LIMIT 1")
    assert page.detail.fields["tracking_ref"].text() == newest[0][0]


def test_detail_shows_the_status_history(page: CasesPage, ctx: StationContext) -> None:
    select_status(page, "已领取")
    assert page.model.rowCount() > 0
    record = page.detail.record
    assert record is not None
    lines = [page.detail.history.item(i).text() for i in range(page.detail.history.count())]
    steps = [line.split("　")[1].split("（")[0] for line in lines]
    assert steps[0] == "已保存" and steps[1] == "受理" and steps[-1] == "已领取"
    assert "已办结" in steps
    assert page.detail.fields["receipt_no"].text().startswith("HY-QDK01-")
    assert page.detail.fields["applicant_id"].text().startswith("420***********")
    n = sql(ctx, "SELECT COUNT(*) FROM status_history WHERE submission_id = ?", record.id)[0][0]
    assert len(lines) == n


def test_needs_attention_stands_out_in_words(page: CasesPage) -> None:
    select_status(page, ATTENTION_MARK)
    assert page.count.text() != "共 0 件"
    status = page.model.index(0, Column.STATUS).data()
    assert status.startswith(ATTENTION_MARK)
    assert page.detail.attention.isVisible()
    text = page.detail.attention.text()
    assert text.startswith(ATTENTION_MARK) and "下一步：" in text
    assert page.model.index(0, Column.STATUS).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_search_waits_for_typing_to_pause(qtbot: QtBot, page: CasesPage,
                                          ctx: StationContext) -> None:
    last4 = sql(ctx, "SELECT id_last4 FROM submission ORDER BY id LIMIT 1")[0][0]
    page.filters.search.setFocus()
    type_text(qtbot, page.filters.search, last4)
    assert page.model.query.search == ""  # not yet: the debounce is running
    qtbot.waitUntil(lambda: page.model.query.search == last4, timeout=2000)
    expected = sql(ctx, "SELECT COUNT(*) FROM submission WHERE id_last4 = ?", last4)[0][0]
    assert page.count.text() == f"共 {expected} 件"


def test_reprint_asks_for_the_receipt_of_the_chosen_case(qtbot: QtBot, page: CasesPage) -> None:
    ref = page.detail.fields["tracking_ref"].text()
    with qtbot.waitSignal(page.openReceipt, timeout=1000) as blocker:
        qtbot.mouseClick(page.detail.reprint_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [ref]


def test_rating_is_stored_with_the_case_and_shown(qtbot: QtBot, page: CasesPage,
                                                  ctx: StationContext) -> None:
    record = page.detail.record
    assert record is not None
    qtbot.mouseClick(page.detail.rate_button, Qt.MouseButton.LeftButton)
    dialog = page.rating_dialog
    assert isinstance(dialog, RatingDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.buttons[Rating.SATISFIED], Qt.MouseButton.LeftButton)
    assert sql(ctx, "SELECT rating FROM submission WHERE id = ?", record.id)[0][0] == 4
    audit = sql(ctx, "SELECT action FROM audit_event WHERE subject = ?", record.id)
    assert ("submission.rated",) in audit
    assert dialog.thanks.text() == "谢谢您的评价！" and "满意" in dialog.summary.text()
    qtbot.wait(300)  # nothing closes or changes by itself
    assert dialog.isVisible() and dialog.pages.currentIndex() == 1
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.rating_dialog is None)
    assert page.detail.fields["rating"].text() == "满意（4 分）"


def test_tab_order_follows_reading_order(qtbot: QtBot, page: CasesPage) -> None:
    f = page.filters
    f.status.setFocus()
    seen: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [f.status, f.item, f.dates, f.search, page.table, page.detail.history,
                    page.detail.reprint_button]


def test_keyboard_only_find_a_case_and_rate_it(qtbot: QtBot, page: CasesPage,
                                               ctx: StationContext) -> None:
    ref = sql(ctx, "SELECT tracking_ref FROM submission ORDER BY created_at LIMIT 1")[0][0]
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # 查找
    assert QApplication.focusWidget() is page.filters.search
    qtbot.keyClicks(page.filters.search, ref.lower())
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)  # no need to wait for the pause
    assert page.model.rowCount() == 1
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.table
    assert page.detail.fields["tracking_ref"].text() == ref
    for _ in range(3):  # table -> history -> 重新打印回执 -> 好差评
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.detail.rate_button
    qtbot.keyClick(page.detail.rate_button, Qt.Key.Key_Space)
    dialog = page.rating_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.buttons[Rating.VERY_SATISFIED])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.buttons[Rating.SATISFIED]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert QApplication.focusWidget() is dialog.close_button
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.rating_dialog is None)
    sid = page.model.index(0, 0).data(SubmissionIdRole)
    assert sql(ctx, "SELECT rating FROM submission WHERE id = ?", sid)[0][0] == 4


def test_choosing_a_row_with_the_arrow_keys_updates_the_detail(qtbot: QtBot,
                                                                page: CasesPage) -> None:
    page.table.setFocus()
    first = page.detail.fields["tracking_ref"].text()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    second = page.model.index(1, Column.REF).data()
    assert page.detail.fields["tracking_ref"].text() == second != first


def test_scrolling_to_the_end_loads_the_next_page(qtbot: QtBot, page: CasesPage) -> None:
    assert page.model.rowCount() == 200
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 400)
    assert not page.model.canFetchMore()


def test_refresh_keeps_the_chosen_case_and_shows_new_state(page: CasesPage,
                                                           ctx: StationContext) -> None:
    page.select_row(5)
    sid = page.current_id()
    with sqlite3.connect(ctx.db_path) as conn:
        conn.execute("UPDATE submission SET rating = 1 WHERE id = ?", (sid,))
    page.refresh()
    assert page.current_id() == sid
    assert page.detail.fields["rating"].text() == "非常不满意（1 分）"


def test_a_database_failure_is_said_in_words_and_the_page_stays(
        page: CasesPage, monkeypatch: pytest.MonkeyPatch) -> None:
    import station_app.services.case_list as case_list

    def locked(*_: object, **__: object) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(case_list, "list_submissions", locked)
    page.model.fetchMore()  # as the view would when scrolled to the end
    assert "办件列表暂时无法读取" in page.count.text() and "被另一个程序占用" in page.count.text()
    assert page.model.rowCount() == 200  # what was shown stays
    monkeypatch.setattr(case_list, "count_submissions", locked)
    page.filters.status.setCurrentIndex(2)
    assert "暂时无法读取" in page.count.text() and page.count.property("role") == "error"
    monkeypatch.undo()
    page.filters.status.setCurrentIndex(0)  # the worker tries again
    assert page.count.text() == "共 400 件" and page.count.property("role") == "muted"
