"""Every field type in a real intake page: a wrong value gets its message under the field,
a right one clears it and reaches the services in its stored spelling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from station_app.services.attachments import attachment_path
from station_app.services.context import StationContext
from station_app.ui.intake import IntakePage
from station_app.ui.intake.field_widgets import (
    AddressField,
    AttachmentField,
    ComboChoiceField,
    FieldWidget,
    GroupField,
    IdNumberField,
    MultiChoiceField,
    MultilineField,
    RadioChoiceField,
)

Typer = Callable[[QWidget, str], None]
MakeIntake = Callable[..., IntakePage]
GOOD_ID = "420105195603150015"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0"
       b"\xf3\x00\x00\x00\x00IEND\xaeB`\x82")


def open_page(qtbot: QtBot, make_intake: MakeIntake, code: str) -> IntakePage:
    page = make_intake(code)
    with qtbot.waitActive(page):
        page.activateWindow()
    return page


def retype(qtbot: QtBot, type_text: Typer, widget: QWidget, value: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, value)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click on the box or dot itself (a check box ignores clicks beside its text)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def choose(qtbot: QtBot, page: IntakePage, key: str, option: str) -> None:
    field = page.form_view.widgets[key]
    assert isinstance(field, RadioChoiceField)
    click(qtbot, next(b for b in field.buttons if b.text() == option))


def cleaned(page: IntakePage) -> dict[str, object]:
    assert page.session is not None
    return page.session.review().result.cleaned


def assert_message_under(field: FieldWidget, fragment: str) -> None:
    QApplication.processEvents()  # lay out the label that was just shown
    label = field.error_label
    assert label.isVisible() and fragment in label.text(), label.text()
    assert label.text().startswith("⚠ ")  # a sign, not only a colour
    assert label.property("role") == "error"
    assert label.y() > max(w.y() for w in field.inputs() if w.parentWidget() is field)


TYPED = [
    # code, key, controlling choice, wrong, message, right, stored
    ("RS04", "name", None, "张" * 31, "最多 30 个字", " 张建国 ", "张建国"),
    ("RS04", "id_number", None, "4201051956031500", "18 位", "420105 19560315 001５", GOOD_ID),
    ("RS04", "phone", None, "1387123456", "11 位", "027 84561234", "027-84561234"),
    ("RS04", "next_due_date", None, "2026-02-30", "不存在", "2027年11月24日", "2027-11-24"),
    ("YB10", "coverage_year", None, "1999", "不能小于 2000", "2026", 2026),
    ("YB10", "coverage_year", None, "20x6", "须为整数", "２０２６", 2026),
    ("MZ17", "applicant_monthly_income", None, "12.345", "两位小数", "1,234.5", "1234.50"),
    ("RS05", "business_uscc", ("employment_form", "个体工商户"), "91420105MA4K2B3C1X", "校验位",
     "91420105ma4k2b3c1g", "91420105MA4K2B3C1G"),
    ("MZ16", "bank_account", None, "6222 0000 12", "12–19 位", "6222 0202 0000 1234 567",
     "6222020200001234567"),
    ("MZ17", "hardship_detail", None, "困" * 501, "最多 500 个字", "家中主要劳动力患病",
     "家中主要劳动力患病"),
]


@pytest.mark.parametrize(("code", "key", "when", "wrong", "message", "right", "stored"), TYPED,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(TYPED)])
def test_typed_field_shows_message_while_typing_and_clears_it(
        qtbot: QtBot, make_intake: MakeIntake, type_text: Typer, code: str, key: str,
        when: tuple[str, str] | None, wrong: str, message: str, right: str,
        stored: object) -> None:
    page = open_page(qtbot, make_intake, code)
    if when is not None:
        choose(qtbot, page, *when)
    field = page.form_view.widgets[key]
    assert not field.isHidden()
    edit = field.inputs()[0]
    assert field.accessibleName() == field.field.label == edit.accessibleName()
    retype(qtbot, type_text, edit, wrong)  # some fields start with a default
    qtbot.waitUntil(lambda: field.error_label.isVisible())
    assert_message_under(field, message)
    assert edit.accessibleDescription() == field.error()
    retype(qtbot, type_text, edit, right)
    qtbot.waitUntil(lambda: not field.error_label.isVisible())
    assert cleaned(page)[key] == stored
    if isinstance(field, MultilineField):
        qtbot.keyClick(edit, Qt.Key.Key_Tab)  # Tab leaves a multi-line box, as everywhere
        assert QApplication.focusWidget() is not edit


def test_id_number_shows_sex_birth_and_age_beside_it(qtbot: QtBot, make_intake: MakeIntake,
                                                     type_text: Typer) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    field = page.form_view.widgets["id_number"]
    assert isinstance(field, IdNumberField)
    type_text(field.edit, GOOD_ID[:10])
    page.refresh()
    assert field.derived.isHidden()
    type_text(field.edit, GOOD_ID[10:])
    qtbot.waitUntil(lambda: field.derived.isVisible())
    sex_age, born = field.derived.text().split("\n")
    assert sex_age.startswith("男，") and sex_age.endswith(" 岁") and born == "1956年3月15日出生"
    assert field.derived.y() == field.edit.y() or field.derived.x() > field.edit.x()


@pytest.mark.qt_log_ignore("does not support (raise|grabbing the keyboard)")  # offscreen only
def test_date_can_be_picked_from_the_calendar(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    field: Any = page.form_view.widgets["next_due_date"]
    qtbot.mouseClick(field.pick, Qt.MouseButton.LeftButton)
    calendar = field.popup.calendar
    assert field.popup.isVisible() and calendar.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # closes, nothing chosen
    assert not field.popup.isVisible()
    qtbot.mouseClick(field.pick, Qt.MouseButton.LeftButton)
    calendar.setSelectedDate(QDate(2027, 3, 1))
    calendar.activated.emit(calendar.selectedDate())  # what Enter in the calendar does
    assert field.edit.text() == "2027-03-01" and not field.popup.isVisible()
    assert cleaned(page)["next_due_date"] == "2027-03-01"


def test_radio_choice_by_click_and_by_arrow_keys(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    field = page.form_view.widgets["benefit_type"]
    assert isinstance(field, RadioChoiceField) and field.value() is None
    assert not page.try_submit()
    assert_message_under(field, "请填写待遇类型")
    click(qtbot, field.buttons[0])
    assert field.value() == "企业职工基本养老保险" and not field.error_label.isVisible()
    qtbot.keyClick(field.buttons[0], Qt.Key.Key_Down)
    assert field.value() == "机关事业单位养老保险"
    assert [b.accessibleName() for b in field.buttons][1] == "待遇类型：机关事业单位养老保险"


def test_long_choice_is_a_list_chosen_with_the_keyboard(qtbot: QtBot,
                                                       make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    choose(qtbot, page, "apply_by", "代办")
    field = page.form_view.widgets["agent_relation"]
    assert isinstance(field, ComboChoiceField) and field.value() is None
    assert field.combo.placeholderText() == "请选择"
    field.combo.setFocus()
    qtbot.keyClick(field.combo, Qt.Key.Key_Down)
    assert field.value() == "配偶" and cleaned(page)["agent_relation"] == "配偶"
    field.set_value(None)
    field.changed.emit(True)
    assert not page.try_submit()
    assert_message_under(field, "请填写与申请人关系")


def test_multi_choice_check_boxes(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "MZ17")
    field = page.form_view.widgets["hardship_causes"]
    assert isinstance(field, MultiChoiceField)
    click(qtbot, field.boxes[2])
    click(qtbot, field.boxes[0])
    assert cleaned(page)["hardship_causes"] == ["因病", "失业"]
    for box in field.boxes[:3]:
        if box.isChecked():
            click(qtbot, box)
    assert not page.try_submit()
    assert_message_under(field, "请填写致困原因")


def test_address_names_the_missing_part(qtbot: QtBot, make_intake: MakeIntake,
                                        type_text: Typer) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    field = page.form_view.widgets["address"]
    assert isinstance(field, AddressField)
    assert [e.accessibleName() for e in field.parts.values()] == [
        "现居地址·小区", "现居地址·楼栋", "现居地址·单元", "现居地址·门牌"]
    type_text(field.parts["community"], "七里一村")
    qtbot.keyClick(field.parts["community"], Qt.Key.Key_Tab)
    qtbot.keyClick(field.parts["building"], Qt.Key.Key_Tab)
    qtbot.keyClick(field.parts["unit"], Qt.Key.Key_Tab)
    qtbot.keyClick(field.parts["room"], Qt.Key.Key_Tab)  # leaves the address
    assert_message_under(field, "请填写门牌")
    assert field.parts["room"].accessibleDescription() == "请填写门牌"
    assert not page.try_submit()
    page.form_view.focus_path("name")
    assert page.session is not None
    page.form_view.focus_path("address.room")
    assert QApplication.focusWidget() is field.parts["room"]
    type_text(field.parts["room"], "３０１")
    qtbot.waitUntil(lambda: not field.error_label.isVisible())
    assert cleaned(page)["address"] == {"community": "七里一村", "building": "", "unit": "",
                                        "room": "301"}


def test_attachment_is_stored_by_content_hash(qtbot: QtBot, make_intake: MakeIntake,
                                              named_ctx: StationContext, tmp_path: Path) -> None:
    page = open_page(qtbot, make_intake, "LL25")
    field = page.form_view.widgets["photo_scan"]
    assert field.isHidden()
    choose(qtbot, page, "photo_source", "现场提交 1 寸红底照片")
    assert not field.isHidden() and isinstance(field, AttachmentField)
    empty = tmp_path / "空白.png"
    empty.write_bytes(b"")
    assert not field.attach(empty)
    assert_message_under(field, "是空的")
    scan = tmp_path / "照片.jpg"  # a PNG under a wrong name keeps its real type
    scan.write_bytes(PNG)
    assert field.attach(scan)
    ref = cleaned(page)["photo_scan"]
    assert isinstance(ref, dict) and ref["mime"] == "image/png" and ref["size"] == len(PNG)
    assert ref["filename"] == "照片.jpg"
    stored = attachment_path(named_ctx.data_dir, str(ref["sha256"]))
    assert stored.read_bytes() == PNG
    assert "照片.jpg" in field.shown.text() and not field.error_label.isVisible()
    qtbot.mouseClick(field.remove, Qt.MouseButton.LeftButton)
    assert field.value() is None and "photo_scan" not in cleaned(page)


def test_repeating_group_rows_are_added_and_removed(qtbot: QtBot, make_intake: MakeIntake,
                                                    type_text: Typer) -> None:
    page = open_page(qtbot, make_intake, "MZ17")
    group = page.form_view.widgets["family_members"]
    assert isinstance(group, GroupField) and group.add.text() == "添加家庭成员"
    qtbot.mouseClick(group.add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(group.add, Qt.MouseButton.LeftButton)
    assert len(group.rows) == 2 and group.rows[1].heading.text() == "第 2 行"
    first, second = group.rows
    assert QApplication.focusWidget() is second.fields["member_name"].inputs()[0]
    type_text(first.fields["member_name"].inputs()[0], "李桂英")
    type_text(second.fields["member_name"].inputs()[0], "张小明")
    wrong = second.fields["member_id_number"]
    type_text(wrong.inputs()[0], "420105201003010039")
    qtbot.waitUntil(lambda: wrong.error_label.isVisible())
    assert "校验位" in wrong.error_label.text()
    assert page.session is not None
    rev = page.session.review()
    assert "family_members[1].member_id_number" in rev.result.errors
    assert not first.fields["member_id_number"].error_label.isVisible()
    qtbot.mouseClick(first.remove, Qt.MouseButton.LeftButton)
    assert len(group.rows) == 1 and group.rows[0].heading.text() == "第 1 行"
    rows = group.value()
    assert isinstance(rows, list) and [r["member_name"] for r in rows] == ["张小明"]
    qtbot.waitUntil(lambda: group.rows[0].fields["member_id_number"].error_label.isVisible())
    page.form_view.focus_path("family_members[0].member_id_number")
    assert QApplication.focusWidget() is group.rows[0].fields["member_id_number"].inputs()[0]
    qtbot.mouseClick(group.rows[0].remove, Qt.MouseButton.LeftButton)
    assert group.rows == [] and QApplication.focusWidget() is group.add


def test_group_stops_at_its_maximum(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "MZ17")
    group = page.form_view.widgets["family_members"]
    assert isinstance(group, GroupField)
    for _ in range(group.field.max_items):
        group.add_row()
    assert not group.add.isEnabled() and group.limit.isVisible()
    assert "15" in group.limit.text()
