"""The intake page beyond single fields: conditions, materials, drafts, the card reader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from station_app.printing.paper import Page
from station_app.services.card_watch import CardWatcher
from station_app.services.context import StationContext
from station_app.services.id_card import IdCardData, NoReader
from station_app.store.engine import session_scope
from station_app.store.models import Draft
from station_app.ui.card_bridge import CardBridge
from station_app.ui.intake import IntakePage
from station_app.ui.intake.field_widgets import RadioChoiceField
from station_app.ui.intake.intake_page import AUTOSAVE_MS

Typer = Callable[[QWidget, str], None]
MakeIntake = Callable[..., IntakePage]
GOOD_ID = "420105195603150015"


def open_page(qtbot: QtBot, make_intake: MakeIntake, code: str) -> IntakePage:
    page = make_intake(code)
    with qtbot.waitActive(page):
        page.activateWindow()
    return page


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def choose(qtbot: QtBot, page: IntakePage, key: str, option: str) -> None:
    field = page.form_view.widgets[key]
    assert isinstance(field, RadioChoiceField)
    click(qtbot, next(b for b in field.buttons if b.text() == option))


def material_names(page: IntakePage) -> list[str]:
    return list(page.form_page.materials.rows)


def drafts(ctx: StationContext) -> list[Draft]:
    with session_scope(ctx.engine) as s:
        found = list(s.exec(select(Draft)).all())
        for d in found:
            s.expunge(d)
        return found


def test_newborn_shows_birth_certificate_field_and_material(qtbot: QtBot,
                                                            make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "YB10")
    cert = page.form_view.widgets["birth_cert_no"]
    assert cert.isHidden() and "出生医学证明" not in material_names(page)
    choose(qtbot, page, "insured_category", "新生儿")
    assert not cert.isHidden() and "出生医学证明" in material_names(page)
    order = page.form_page.reading_order()
    assert order.index(page.form_view.widgets["insured_category"].inputs()[-1]) \
        < order.index(cert.inputs()[0]) < order.index(page.form_page.materials.inputs()[0])
    page.form_page.materials.box("出生医学证明").click()
    choose(qtbot, page, "insured_category", "成人")
    assert cert.isHidden() and "出生医学证明" not in material_names(page)
    choose(qtbot, page, "insured_category", "新生儿")  # the tick was kept by name
    assert page.form_page.materials.box("出生医学证明").isChecked()


def test_agent_fields_and_materials_come_with_daiban(qtbot: QtBot,
                                                    make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    agent = page.form_view.widgets["agent_name"]
    assert page.form_view.widgets["apply_by"].value() == "本人办理"  # the default
    assert agent.isHidden() and "授权委托书" not in material_names(page)
    choose(qtbot, page, "apply_by", "代办")
    assert not agent.isHidden()
    assert {"授权委托书", "代办人居民身份证"} <= set(material_names(page))
    row = page.form_page.materials.rows["授权委托书"]
    assert row.text.text() == "【必交】授权委托书（原件，1 份）"
    assert not page.try_submit()
    assert "未收材料 3 项" in page.form_page.blockers.text()  # the checklist names them


def test_draft_survives_a_crash_and_a_close(qtbot: QtBot, named_ctx: StationContext,
                                            make_intake: MakeIntake, type_text: Typer) -> None:
    first = open_page(qtbot, make_intake, "RS04")
    type_text(first.form_view.widgets["name"].inputs()[0], "张建国")
    type_text(first.form_view.widgets["id_number"].inputs()[0], GOOD_ID)
    first.form_page.materials.box("居民身份证或社会保障卡").click()
    # the debounced autosave writes without any close: a crash now would lose nothing
    qtbot.waitUntil(lambda: len(drafts(named_ctx)) == 1, timeout=AUTOSAVE_MS * 3)
    draft_id = first.session.draft_id  # type: ignore[union-attr]
    assert drafts(named_ctx)[0].id == draft_id
    type_text(first.form_view.widgets["phone"].inputs()[0], "13871234567")
    first.close()  # closing keeps what was typed since the last autosave
    assert not first._autosave_timer.isActive() and not first._refresh_timer.isActive()
    saved = drafts(named_ctx)[0]
    assert saved.payload["phone"] == "13871234567" and saved.item_code == "RS04"

    second = open_page(qtbot, make_intake, "RS04")
    fp = second.form_page
    assert fp.banner.isVisible() and QApplication.focusWidget() is fp.restore_button
    assert fp.restore_button.text() == "恢复上次未完成的受理"
    qtbot.keyClick(fp.restore_button, Qt.Key.Key_Return)
    assert not fp.banner.isVisible()
    fv = second.form_view
    assert fv.widgets["name"].value() == "张建国"
    assert fv.widgets["phone"].value() == "13871234567"
    assert fp.materials.box("居民身份证或社会保障卡").isChecked()
    assert second.session is not None and second.session.draft_id == draft_id
    assert not fv.widgets["address"].error_label.isVisible()  # not reached yet: no scolding

    # the saved case keeps the draft's id, and no draft is written after the save
    parts: Any = fv.widgets["address"]
    type_text(parts.parts["community"], "七里一村")
    type_text(parts.parts["room"], "301")
    choose(qtbot, second, "benefit_type", "城乡居民基本养老保险")
    choose(qtbot, second, "auth_method", "柜台人脸识别")
    choose(qtbot, second, "auth_result", "认证通过")
    assert second.try_submit()
    case = second.confirm()
    assert case is not None and case.id == draft_id
    qtbot.wait(AUTOSAVE_MS + 300)
    assert drafts(named_ctx) == []


def test_draft_can_be_discarded(qtbot: QtBot, named_ctx: StationContext,
                                make_intake: MakeIntake, type_text: Typer) -> None:
    first = open_page(qtbot, make_intake, "YB10")
    type_text(first.form_view.widgets["name"].inputs()[0], "王芳")
    first.close()
    assert len(drafts(named_ctx)) == 1
    second = open_page(qtbot, make_intake, "YB10")
    assert second.form_page.banner.isVisible()
    click(qtbot, second.form_page.discard_button)
    assert drafts(named_ctx) == [] and not second.form_page.banner.isVisible()
    assert QApplication.focusWidget() is second.form_view.widgets["name"].inputs()[0]
    other = open_page(qtbot, make_intake, "RS04")  # drafts are offered for their own item
    assert not other.form_page.banner.isVisible()


def test_card_reader_fills_and_says_what_happened(qtbot: QtBot, make_intake: MakeIntake,
                                                 card_reader: Any) -> None:
    page = open_page(qtbot, make_intake, "YB10")
    note = page.form_page.note
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "没有身份证" in note.text())
    assert card_reader.reads == 1
    card_reader.card = IdCardData("王芳", "420105198506120045",
                                  "湖北省武汉市汉阳区琴断口街道七里一村3栋1单元502室", "女",
                                  date(1985, 6, 12))
    click(qtbot, page.form_page.read_button)
    qtbot.waitUntil(lambda: page.form_view.widgets["name"].value() == "王芳")
    assert "王芳" in note.text() and note.property("role") == "attention"
    assert page.form_page.materials.box("居民身份证").isChecked()
    assert not page.form_page.materials.box("户口簿").isChecked()
    derived: Any = page.form_view.widgets["id_number"]
    assert derived.derived.text().endswith("\n1985年6月12日出生")
    assert derived.derived.text().startswith("女，")


def test_without_a_reader_the_worker_is_told_to_type(qtbot: QtBot, named_ctx: StationContext,
                                                     pdf_printer: Any) -> None:
    page = IntakePage(named_ctx, printer=pdf_printer)
    qtbot.addWidget(page)
    bridge = CardBridge(CardWatcher(NoReader, poll_seconds=0))
    try:
        bridge.notice.connect(page.take_card)
        page.read_requested.connect(bridge.read_now)
        bridge.start()
        page.start("RS04")
        page.read_id_card()
        qtbot.waitUntil(lambda: "未连接身份证阅读器" in page.form_page.note.text())
    finally:
        bridge.stop()


def test_bundle_asks_shared_fields_once(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "BD02")
    keys = list(page.form_view.widgets)
    assert keys.count("name") == 1 and keys.count("id_number") == 1
    assert page.form_page.title.text() == "受理：新生儿出生“一件事”"


def test_notice_not_printed_is_said(qtbot: QtBot, make_intake: MakeIntake,
                                   pdf_printer: Any) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    pdf_printer.print_page = lambda page: False  # the worker cancelled the dialog
    assert not page.print_notice()
    assert "已取消" in page.form_page.note.text()


def test_enter_in_a_field_goes_to_the_next_problem(qtbot: QtBot, make_intake: MakeIntake,
                                                   type_text: Typer) -> None:
    """Enter asks to submit; while something is missing it takes the cursor there instead."""
    page = open_page(qtbot, make_intake, "RS04")
    name = page.form_view.widgets["name"].inputs()[0]
    type_text(name, "张建国")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.form_page
    id_field = page.form_view.widgets["id_number"]
    assert QApplication.focusWidget() is id_field.inputs()[0]
    assert id_field.error_label.isVisible() and "请填写身份证号" in id_field.error_label.text()


def test_qt_printer_cancelled_dialog_prints_nothing(qtbot: QtBot) -> None:
    """The real print path up to the dialog (no printer exists here): cancel means False."""
    from PySide6.QtCore import QTimer

    from station_app.ui.intake.qt_printer import QtPrinter

    drawn: list[object] = []
    titles: list[str] = []

    def draw(painter: object) -> float:
        drawn.append(painter)
        return 0.0

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            titles.append(dialog.windowTitle())
            dialog.close()

    QTimer.singleShot(0, cancel)
    assert QtPrinter().print_page(Page(draw, "回执 HY", 148, 210)) is False
    assert titles == ["打印回执 HY"] and drawn == []


def test_notes_end_when_their_cause_ends(qtbot: QtBot, make_intake: MakeIntake,
                                         type_text: Typer) -> None:
    page = open_page(qtbot, make_intake, "YB10")
    note = page.form_page.note
    page.read_id_card()  # nothing on the reader
    qtbot.waitUntil(lambda: "没有身份证" in note.text())
    type_text(page.form_view.widgets["name"].inputs()[0], "王芳")  # typed by hand instead
    assert note.text() == ""
    assert page.print_notice()
    assert "告知单已送打印机" in note.text()
    click(qtbot, page.form_page.materials.box("居民身份证"))
    assert "告知单已送打印机" in note.text()  # 户口簿 still missing
    click(qtbot, page.form_page.materials.box("户口簿"))
    assert note.text() == ""  # everything the notice asked for has come
