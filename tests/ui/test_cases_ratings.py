"""好差评 with real widgets and a real database: the RatingPanel asks why after a 差评 and
will not send one without a reason; from the 办件 page the 差评 is stored with its follow-up,
which appears under ⚠ with its deadline; an administrator closes it with the callback notes,
anyone else sees the action disabled and why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.services.case_list import ATTENTION_MARK, FOLLOWUP_MARK
from station_app.services.context import StationContext
from station_app.ui.cases import CasesPage
from station_app.ui.rating_panel import ASK, REASON, RESULT, RatingPanel
from tests.helpers.cases_page import demo_station, shown_cases_page, sql

DUE = date(2026, 12, 2)  # five working days later: Thu, Fri, Mon, Tue, Wed
MIN_TARGET_PX = 60


@pytest.fixture
def ctx(tmp_path: Any) -> Iterator[StationContext]:
    with demo_station(tmp_path / "station", 30, seed=5) as c:
        yield c


@pytest.fixture
def page(qtbot: QtBot, ctx: StationContext) -> CasesPage:
    return shown_cases_page(qtbot, ctx)




def test_panel_asks_why_after_a_bad_rating_and_needs_a_reason(qtbot: QtBot) -> None:
    panel = RatingPanel("退休人员养老金资格认证　张*丰")
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    got: list[tuple[object, ...]] = []
    panel.chosen.connect(lambda *args: got.append(args))
    qtbot.mouseClick(panel.buttons[Rating.DISSATISFIED], Qt.MouseButton.LeftButton)
    assert panel.pages.currentIndex() == REASON and got == []
    assert [b.text() for b in panel.reasons.values()] == [
        "服务效率", "服务水平", "服务态度", "其他"]
    for button in (*panel.reasons.values(), panel.submit_button, panel.back_button):
        assert min(button.width(), button.height()) >= MIN_TARGET_PX, button.text()
    assert not panel.submit_button.isEnabled()
    panel.submit_reason()  # however it is reached, no reason: nothing is sent
    assert got == [] and panel.reason_error.isVisible()
    assert "请先选择一项原因" in panel.reason_error.text()
    qtbot.mouseClick(panel.reasons[RatingReason.ATTITUDE], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.words, "wait")
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert got == [(Rating.DISSATISFIED, RatingReason.ATTITUDE, "wait")]
    panel.show_thanks(Rating.DISSATISFIED, DUE)
    assert panel.pages.currentIndex() == RESULT and "2026-12-02" in panel.summary.text()
    panel.reset("another visit")
    assert panel.pages.currentIndex() == ASK
    assert not panel.reasons[RatingReason.ATTITUDE].isChecked()
    qtbot.mouseClick(panel.buttons[Rating.VERY_SATISFIED], Qt.MouseButton.LeftButton)
    assert got[-1] == (Rating.VERY_SATISFIED, None, "")  # a good rating asks nothing more


def test_a_bad_rating_from_the_cases_page_opens_a_followup_under_attention(
        qtbot: QtBot, page: CasesPage, ctx: StationContext) -> None:
    record = page.detail.record
    assert record is not None
    before = sql(ctx, "SELECT COUNT(*) FROM rating")[0][0]
    qtbot.mouseClick(page.detail.rate_button, Qt.MouseButton.LeftButton)
    dialog = page.rating_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.buttons[Rating.VERY_DISSATISFIED], Qt.MouseButton.LeftButton)
    assert sql(ctx, "SELECT COUNT(*) FROM rating")[0][0] == before  # no reason: not saved
    qtbot.mouseClick(dialog.reasons[RatingReason.EFFICIENCY], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.panel.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.thanks.text() == "谢谢您的评价！" and "2026-12-02" in dialog.summary.text()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.rating_dialog is None)
    assert sql(ctx, "SELECT deadline, closed_at FROM followup WHERE submission_id = ?",
               record.id) == [("2026-12-02", None)]
    assert page.detail.fields["followup"].text() == "待回访，期限 2026-12-02"
    assert page.detail.followup_button.isVisible() and page.detail.followup_button.isEnabled()

    page.filters.status.setCurrentIndex(page.filters.status.findText(ATTENTION_MARK))
    row = page.model.row_of_id(record.id)
    assert row is not None
    text = page.model.index(row, 4).data()
    assert f"{FOLLOWUP_MARK}（2026-12-02 前）" in text


def test_only_an_administrator_closes_a_followup_and_only_with_notes(
        qtbot: QtBot, page: CasesPage, ctx: StationContext) -> None:
    record = page.detail.record
    assert record is not None
    page.ratings.ask(record)
    dialog = page.rating_dialog
    assert dialog is not None
    dialog.choose(Rating.DISSATISFIED, RatingReason.SKILL, "")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.rating_dialog is None)

    ctx.admin = False  # a worker signed in
    page.refresh()
    detail = page.detail
    assert detail.followup_button.isVisible() and not detail.followup_button.isEnabled()
    assert detail.admin_only.isVisible() and "仅限管理员" in detail.admin_only.text()
    assert "仅限管理员" in detail.followup_button.toolTip()

    ctx.admin = True
    page.refresh()
    assert detail.followup_button.isEnabled() and not detail.admin_only.isVisible()
    qtbot.mouseClick(detail.followup_button, Qt.MouseButton.LeftButton)
    closing = page.ratings.followup_dialog
    assert closing is not None and closing.isVisible()
    assert "2026-12-02" in closing.deadline.text() and "服务水平" in closing.about.text()
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    assert closing.error.isVisible() and "请填写回访情况" in closing.error.text()
    assert sql(ctx, "SELECT closed_at FROM followup")[0][0] is None
    closing.notes.setPlainText("已电话回访，居民表示理解")
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ratings.followup_dialog is None)
    QApplication.processEvents()
    assert sql(ctx, "SELECT closed_by, notes FROM followup") == [
        (ctx.operator, "已电话回访，居民表示理解")]
    assert not detail.followup_button.isVisible() and detail.fields["followup"].text() == "无"
