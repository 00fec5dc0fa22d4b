"""The acceptance flow of the intake screen, driven through the real widgets.

Search "txns" → 退休年审 (RS04) → a wrong check digit is shown under the field and saving is
refused → corrected → the required material left unticked refuses saving and the 一次性告知单
PDF lists it → ticked → 核对 → confirmed → saved in SQLite with its outbox entry → receipt PDF
whose QR code, decoded by a real decoder, is the case's tracking reference.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlmodel import col, select

from station_app.domain.search import SearchIndex
from station_app.services.context import StationContext
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, Draft, OutboxEntry, Submission
from station_app.store.submissions import get_submission_by_ref
from station_app.ui.intake import IntakePage

GOOD_ID = "420105195603150015"
WRONG_ID = "420105195603150019"  # check digit should be 5
MASKED_ID = "420***********0015"
ID_MATERIAL = "居民身份证或社会保障卡"


def activate(qtbot: QtBot, page: QWidget) -> None:
    """Key events reach widgets only in the active window (the offscreen platform too)."""
    with qtbot.waitActive(page):
        page.activateWindow()


def retype(qtbot: QtBot, widget: QWidget, value: str) -> None:
    """Select what is in the input and type over it, as a worker does."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, value)


Typer = Callable[[QWidget, str], None]


def fill_rs04_without_material(qtbot: QtBot, page: IntakePage, type_text: Typer) -> None:
    fv = page.form_view
    type_text(fv.widgets["name"].inputs()[0], "张建国")
    type_text(fv.widgets["phone"].inputs()[0], "13871234567")
    parts = fv.widgets["address"].parts  # type: ignore[attr-defined]
    for key, value in (("community", "七里一村"), ("building", "5栋"), ("room", "301")):
        type_text(parts[key], value)
    for key in ("benefit_type", "auth_method", "auth_result"):  # first option of each
        option = fv.widgets[key].buttons[0]  # type: ignore[attr-defined]
        qtbot.mouseClick(option, Qt.MouseButton.LeftButton)


def texts(root: QWidget) -> str:
    return "\n".join(w.text() for w in root.findChildren(QLabel))


def test_search_finds_the_retirement_review(search_index: SearchIndex) -> None:
    assert search_index.search("txns")[0].code == "RS04"
    assert "RS04" in [h.code for h in search_index.search("退休")]


def test_acceptance_flow_from_search_to_receipt(
        qtbot: QtBot, search_index: SearchIndex, named_ctx: StationContext,
        make_intake: Callable[..., IntakePage], pdf_printer: Any, type_text: Typer,
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    code = search_index.search("txns")[0].code
    page = make_intake(code)
    activate(qtbot, page)
    fp, fv = page.form_page, page.form_view
    id_field: Any = fv.widgets["id_number"]
    assert QApplication.focusWidget() is fv.widgets["name"].inputs()[0]

    # a wrong check digit: the message appears under the field while typing, saving refused
    fill_rs04_without_material(qtbot, page, type_text)
    type_text(id_field.edit, WRONG_ID)
    qtbot.waitUntil(lambda: id_field.error_label.isVisible())
    assert id_field.error_label.text().startswith("⚠ ")
    assert "校验位错误" in id_field.error_label.text() and "应为 5" in id_field.error_label.text()
    assert id_field.edit.accessibleDescription() == id_field.error()
    assert not fp.submit_button.isEnabled()
    assert "身份证号" in fp.blockers.text()
    qtbot.keyClick(id_field.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.stack.currentWidget() is fp
    assert QApplication.focusWidget() is id_field.edit  # the first problem

    # corrected: the message goes, sex and birth date appear beside the number
    retype(qtbot, id_field.inputs()[0], GOOD_ID)
    qtbot.waitUntil(lambda: not id_field.error_label.isVisible())
    sex_age, born = id_field.derived.text().split("\n")
    assert sex_age.startswith("男，") and born == "1956年3月15日出生"

    # the required material unticked: refused, and the notice lists it
    assert f"未收材料：{ID_MATERIAL}" in fp.blockers.text()
    assert not fp.submit_button.isEnabled()
    assert not page.try_submit()
    assert QApplication.focusWidget() is fp.materials.box(ID_MATERIAL)
    assert fp.notice_button.isEnabled()
    qtbot.mouseClick(fp.notice_button, Qt.MouseButton.LeftButton)
    notice_text, notice_codes = read_pdf(pdf_printer.pages[-1])
    assert "一次性告知单" in notice_text and ID_MATERIAL in notice_text
    assert "张*国" in notice_text and MASKED_ID in notice_text and GOOD_ID not in notice_text
    assert "027-84700000" in notice_text and notice_codes == []

    # ticked: 核对 in large print, ID masked
    qtbot.keyClick(fp.materials.box(ID_MATERIAL), Qt.Key.Key_Space)
    assert fp.submit_button.isEnabled() and not fp.notice_button.isEnabled()
    qtbot.mouseClick(fp.submit_button, Qt.MouseButton.LeftButton)
    cv = page.confirm_view
    assert page.stack.currentWidget() is cv
    shown = texts(cv)
    assert MASKED_ID in shown and GOOD_ID not in shown
    assert "张建国" in shown and ID_MATERIAL in shown and "即办件" in shown
    assert "企业职工基本养老保险" in shown and "本人办理" in shown

    # confirmed: saved (row + outbox in one commit), then "已保存" and the receipt
    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.keyClick(cv.confirm_button, Qt.Key.Key_Return)
    ref = saved.args[0]
    with session_scope(named_ctx.engine) as s:
        case = get_submission_by_ref(s, ref)
        assert case is not None
        outbox = s.exec(select(OutboxEntry).where(col(OutboxEntry.submission_id) == case.id)).one()
        assert outbox.state == "pending"
        assert case.payload["id_number"] == GOOD_ID and case.item_code == "RS04"
        assert case.materials == [ID_MATERIAL]
        assert case.id == page.session.draft_id  # type: ignore[union-attr]
        assert s.exec(select(Draft)).all() == []  # the draft went with the commit
    rv = page.receipt_view
    assert page.stack.currentWidget() is rv and "已保存" in rv.saved.text()
    assert ref in rv.ref.text() and not rv.preview.pixmap().isNull()

    # receipt printed (fake printer writes the PDF) and saved as PDF: QR decodes to the ref
    assert QApplication.focusWidget() is rv.print_button
    qtbot.keyClick(rv.print_button, Qt.Key.Key_Return)
    receipt_text, receipt_codes = read_pdf(pdf_printer.pages[-1])
    assert receipt_codes == [ref]
    assert ref in receipt_text and MASKED_ID in receipt_text and GOOD_ID not in receipt_text
    saved_pdf = rv.save_pdf(pdf_printer.folder / "saved.pdf")
    assert saved_pdf is not None and read_pdf(saved_pdf)[1] == [ref]
    with session_scope(named_ctx.engine) as s:  # each copy that left is in the audit trail
        printed = s.exec(select(AuditEvent.action, AuditEvent.subject).where(
            col(AuditEvent.action).startswith("receipt."))).all()
    assert [tuple(r) for r in printed] == [("receipt.printed", ref)] * 2

    # 完成: a blank form of the same item for the next resident in the queue
    with qtbot.waitSignal(page.done):
        qtbot.mouseClick(rv.done_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is fp and page.form_view.widgets["name"].value() == ""
    assert page.session is not None and page.session.draft_id != case.id


def test_saved_is_said_only_after_commit(qtbot: QtBot, named_ctx: StationContext,
                                         make_intake: Callable[..., IntakePage],
                                         type_text: Typer) -> None:
    """A commit that fails leaves the data on screen with the reason, never "已保存"."""
    page = make_intake("RS04")
    activate(qtbot, page)
    fill_rs04_without_material(qtbot, page, type_text)
    type_text(page.form_view.widgets["id_number"].inputs()[0], GOOD_ID)
    page.form_page.materials.box(ID_MATERIAL).click()
    assert page.try_submit()
    with named_ctx.engine.begin() as conn:  # a real failure inside the save transaction
        conn.execute(text("DROP TABLE outbox"))
    with qtbot.assertNotEmitted(page.submitted):
        page.confirm_view.confirm_button.click()
    assert page.stack.currentWidget() is page.confirm_view
    assert page.confirm_view.error.isVisible() and "未能保存" in page.confirm_view.error.text()
    assert "已保存" not in texts(page)
    assert page.confirm_view.confirm_button.isEnabled()  # the worker can try again
    with session_scope(named_ctx.engine) as s:
        assert s.exec(select(Submission)).all() == []
