"""长辈版 and keyboard use of the intake screens.

With the 长辈版 theme every visible text is ≥ 24 px, main buttons ≥ 64×64, every text/background
pair ≥ 4.5:1 and every input has an accessible name. The 核对 page keeps these sizes even in
the standard theme (the resident reads it). Tab follows reading order, and a whole case can
be done without the mouse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_app.ui.intake import IntakePage
from station_app.ui.theme import ELDER, STANDARD, Theme, contrast_ratio

Typer = Callable[[QWidget, str], None]
MakeIntake = Callable[..., IntakePage]
MIN_TEXT_PX = 24
MIN_TARGET_PX = 64
MIN_CONTRAST = 4.5
TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QComboBox)
NAMED_INPUTS = (*TEXT_INPUTS, QCheckBox, QRadioButton)


def _pair(w: QWidget) -> tuple[str, str]:
    pal, roles = w.palette(), QPalette.ColorRole
    if isinstance(w, QAbstractButton) and not isinstance(w, QCheckBox | QRadioButton):
        fg, bg = roles.ButtonText, roles.Button
    elif isinstance(w, TEXT_INPUTS):
        fg, bg = roles.Text, roles.Base
    else:
        fg, bg = roles.WindowText, roles.Window
    return pal.color(fg).name(), pal.color(bg).name()


def large_print_problems(root: QWidget) -> list[str]:
    """Every age-friendly rule broken by a visible widget under ``root``."""
    QApplication.processEvents()
    problems: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or isinstance(w.parentWidget(), QComboBox):
            continue
        text = w.text() if isinstance(w, QLabel | QAbstractButton) else ""
        what = f"{type(w).__name__} {text or w.accessibleName()!r}"
        if text or isinstance(w, TEXT_INPUTS):
            if (px := QFontInfo(w.font()).pixelSize()) < MIN_TEXT_PX:
                problems.append(f"{what}: {px}px")
            fg, bg = _pair(w)
            if contrast_ratio(fg, bg) < MIN_CONTRAST:
                problems.append(f"{what}: contrast {fg}/{bg}")
        if w.property("role") in ("primary", "secondary") and (
                w.width() < MIN_TARGET_PX or w.height() < MIN_TARGET_PX):
            problems.append(f"{what}: {w.width()}x{w.height()}")
        if isinstance(w, NAMED_INPUTS) and not w.accessibleName():
            problems.append(f"{what}: no accessible name")
    return problems


@pytest.fixture
def elder(use_theme: Callable[[Theme], None]) -> None:
    use_theme(ELDER)


def open_page(qtbot: QtBot, make_intake: MakeIntake, code: str) -> IntakePage:
    page = make_intake(code)
    with qtbot.waitActive(page):
        page.activateWindow()
    return page


@pytest.mark.usefixtures("elder")
def test_elder_intake_form_with_every_message_shown(qtbot: QtBot,
                                                   make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    page.form_view.widgets["apply_by"].set_value("代办")  # brings the agent fields and list
    page.form_view.widgets["apply_by"].changed.emit(True)
    assert not page.try_submit()  # every problem shown
    assert page.form_view.widgets["agent_relation"].error_label.isVisible()
    assert large_print_problems(page) == []
    assert page.form_page.submit_button.height() >= MIN_TARGET_PX


@pytest.mark.usefixtures("elder")
def test_elder_group_rows_and_materials(qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = open_page(qtbot, make_intake, "MZ17")
    group = page.form_view.widgets["family_members"]
    group.add_row()  # type: ignore[attr-defined]
    assert not page.try_submit()
    assert large_print_problems(page) == []


@pytest.mark.usefixtures("elder")
def test_elder_receipt_step(qtbot: QtBot, make_intake: MakeIntake, type_text: Typer) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    fill_by_keyboard(qtbot, page, type_text)
    assert page.confirm() is not None
    assert large_print_problems(page) == []


@pytest.mark.parametrize("theme", [STANDARD, ELDER], ids=["standard", "elder"])
def test_confirm_page_is_large_print_in_both_themes(
        qtbot: QtBot, make_intake: MakeIntake, type_text: Typer,
        use_theme: Callable[[Theme], None], theme: Theme) -> None:
    use_theme(theme)
    page = open_page(qtbot, make_intake, "RS04")
    fill_by_keyboard(qtbot, page, type_text)
    cv = page.confirm_view
    assert page.stack.currentWidget() is cv
    assert large_print_problems(cv) == []
    for button in (cv.confirm_button, cv.back_button):
        assert button.width() >= MIN_TARGET_PX and button.height() >= MIN_TARGET_PX
    assert QFontInfo(cv.heading.font()).pixelSize() >= 30


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 40) -> None:
    """Press Tab (only Tab) until ``target`` has the focus."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")


def fill_by_keyboard(qtbot: QtBot, page: IntakePage, type_text: Typer) -> None:
    """A whole 退休年审 with the keyboard alone, ending on the 核对 page."""
    w = page.form_view.widgets
    assert QApplication.focusWidget() is w["name"].inputs()[0]
    for key, value in (("name", "张建国"), ("id_number", "420105195603150015"),
                       ("phone", "13871234567")):
        tab_to(qtbot, w[key].inputs()[0])
        type_text(QApplication.focusWidget(), value)  # type: ignore[arg-type]
    for edit, value in zip(w["address"].inputs(), ("七里一村", "5栋", "2单元", "301"),
                           strict=True):
        tab_to(qtbot, edit)
        type_text(edit, value)
    tab_to(qtbot, w["benefit_type"].inputs()[0])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    quick = page.form_view.quick_bar
    assert quick is not None
    tab_to(qtbot, quick.buttons[0])  # 柜台人脸识别 · 认证通过: the worker's decision
    qtbot.keyClick(quick.buttons[0], Qt.Key.Key_Space)
    box = page.form_page.materials.inputs()[0]
    tab_to(qtbot, box)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_keyboard_only_case_from_first_field_to_receipt(
        qtbot: QtBot, make_intake: MakeIntake, type_text: Typer, pdf_printer: object) -> None:
    page = open_page(qtbot, make_intake, "RS04")
    fill_by_keyboard(qtbot, page, type_text)
    assert QApplication.focusWidget() is page.confirm_view.confirm_button
    with qtbot.waitSignal(page.submitted):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert len(pdf_printer.pages) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", ["RS04", "MZ17"])
def test_tab_order_is_reading_order(qtbot: QtBot, make_intake: MakeIntake, code: str) -> None:
    page = open_page(qtbot, make_intake, code)
    if code == "MZ17":
        group = page.form_view.widgets["family_members"]
        group.add_row()  # type: ignore[attr-defined]
        group.add_row()  # type: ignore[attr-defined]
    order = page.form_page.reading_order()
    order[0].setFocus()  # start at the top: 读身份证
    visited: list[QWidget] = []
    for _ in range(len(order) + 5):
        w = QApplication.focusWidget()
        assert w is not None
        if w in visited:
            break
        visited.append(w)
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    positions = [order.index(w) for w in visited if w in order]
    assert positions == sorted(positions), [v.accessibleName() for v in visited]
    reached = {key for key, field in page.form_view.widgets.items()
               if any(i in visited for i in field.inputs())}
    shown = {key for key, field in page.form_view.widgets.items() if not field.isHidden()}
    assert reached == shown
    assert page.form_page.materials.inputs()[0] in visited


def test_the_checker_catches_standard_sizes(qtbot: QtBot, make_intake: MakeIntake,
                                            use_theme: Callable[[Theme], None]) -> None:
    """The walk is not vacuous: in the standard theme the form breaks the large-print rules."""
    use_theme(STANDARD)
    page = open_page(qtbot, make_intake, "RS04")
    assert not page.try_submit()
    problems = large_print_problems(page.form_page)
    assert any("15px" in p for p in problems)
    assert any("错误" in p or "请填写" in p for p in problems)  # the messages were walked


def test_switching_to_elder_keeps_the_whole_id_number_in_view(
        qtbot: QtBot, make_intake: MakeIntake, use_theme: Callable[[Theme], None]) -> None:
    use_theme(STANDARD)
    page = open_page(qtbot, make_intake, "RS04")
    edit = page.form_view.widgets["id_number"].inputs()[0]
    assert isinstance(edit, QLineEdit)
    page.resize(760, 700)  # tight: the field gets no more than its minimum
    use_theme(ELDER)
    edit.setText("420105195603150015")
    id_field: Any = page.form_view.widgets["id_number"]
    id_field.set_derived("男，70 岁\n1956年3月15日出生")
    QApplication.processEvents()
    assert edit.width() > edit.fontMetrics().horizontalAdvance(edit.text())
