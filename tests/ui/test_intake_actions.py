"""A 退休年审 (RS04) case from reading the ID to the printed receipt in at most 6 actions.

How actions are counted: every keyboard entry of one field (typing a value), every shortcut
key and every click counts as one action; moving the cursor is never needed in between,
because the page puts it where the next entry goes. The count:

1. F2 读身份证      — the reader fills 姓名, 身份证号 and 地址, and ticks the ID card as
                      received (the original was just on the reader); the cursor jumps to
                      手机号码, the first thing still missing.
2. type the phone   — 手机号码.
3. click 待遇类型   — 企业/机关事业/城乡居民: the resident's own fact.
4. click 柜台人脸识别 · 认证通过 — the worker's decision on the face check, given with one
                      press (一键填写并核对); the large-print 核对 page opens, cursor on 确认.
5. Enter            — 确认无误，提交: saved (committed), "已保存", receipt shown, cursor on 打印.
6. Enter            — 打印回执.

Defaults do the rest, each visible on the form and on the 核对 page: 办理方式 本人办理 and
下次认证到期日 one year on (services.intake_defaults). 认证方式 and 认证结果 start empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station_app.services.context import StationContext
from station_app.services.id_card import IdCardData
from station_app.services.receipts import find_case
from station_app.ui.intake import IntakePage

CARD = IdCardData(name="张建国", id_number="420105195603150015",
                  address="湖北省武汉市汉阳区琴断口街道七里一村5栋2单元301室", sex="男",
                  birth=date(1956, 3, 15))
MAX_ACTIONS = 6


def test_retirement_review_takes_at_most_six_actions(
        qtbot: QtBot, named_ctx: StationContext, make_intake: Callable[..., IntakePage],
        card_reader: Any, pdf_printer: Any, type_text: Callable[[QWidget, str], None],
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    card_reader.card = CARD
    page = make_intake("RS04")
    with qtbot.waitActive(page):
        page.activateWindow()
    fv = page.form_view
    actions: list[str] = []

    def focused() -> QWidget:
        w = QApplication.focusWidget()
        assert w is not None
        return w

    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    actions.append("F2 读身份证")
    qtbot.waitUntil(lambda: fv.widgets["name"].value() == "张建国")
    assert fv.widgets["address"].value() == {"community": "七里一村", "building": "5栋",
                                             "unit": "2单元", "room": "301室"}
    assert page.form_page.materials.box("居民身份证或社会保障卡").isChecked()
    assert focused() is fv.widgets["phone"].inputs()[0]

    type_text(focused(), "13871234567")
    actions.append("输入手机号码")

    qtbot.mouseClick(fv.widgets["benefit_type"].inputs()[0], Qt.MouseButton.LeftButton)
    actions.append("点选待遇类型")

    assert fv.widgets["auth_result"].value() in (None, "")  # the worker decides
    bar = fv.quick_bar
    assert bar is not None
    qtbot.mouseClick(bar.buttons[0], Qt.MouseButton.LeftButton)
    actions.append("一键：柜台人脸识别 · 认证通过，核对")
    assert page.stack.currentWidget() is page.confirm_view
    assert focused() is page.confirm_view.confirm_button

    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    actions.append("Enter 确认无误，提交")
    assert focused() is page.receipt_view.print_button

    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    actions.append("Enter 打印回执")

    assert len(actions) <= MAX_ACTIONS, actions
    ref = saved.args[0]
    _, codes = read_pdf(pdf_printer.pages[-1])
    assert codes == [ref]
    case = find_case(named_ctx, ref)
    today = named_ctx.clock().date()
    assert case.payload["auth_method"] == "柜台人脸识别"
    assert case.payload["auth_result"] == "认证通过"
    assert case.payload["apply_by"] == "本人办理"
    due = date.fromisoformat(case.payload["next_due_date"])
    assert timedelta(days=360) < due - today <= timedelta(days=366)
