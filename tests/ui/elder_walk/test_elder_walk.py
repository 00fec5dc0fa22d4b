"""长辈版: walk every visible widget of each screen and hold it to the age-friendly numbers.

Text ≥ 24 px, main buttons ≥ 64×64 px, every text/background pair ≥ 4.5:1 (theme and the
widgets' actual palettes), inputs reachable by Tab and named for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QFontInfo, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_app.services.context import StationContext
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.theme import (
    BORDER_CONTRAST_MIN,
    ELDER,
    STANDARD,
    TEXT_CONTRAST_MIN,
    Theme,
    contrast_ratio,
)

MIN_TEXT_PX = ELDER.font_px
MIN_TARGET_PX = ELDER.target_px  # main buttons; every control: tests/ui/elder_walk/rules.py
MIN_CONTRAST = TEXT_CONTRAST_MIN
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
MAIN_BUTTON_ROLES = ("primary", "secondary", "nav")


def _inside_compound(w: QWidget) -> bool:
    """The line edit inside a spin box or combo box is part of that input."""
    p = w.parentWidget()
    return isinstance(p, QAbstractSpinBox | QComboBox)


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    for w in root.findChildren(QWidget):
        if w.isVisible() and not _inside_compound(w):
            yield w


def _has_text(w: QWidget) -> bool:
    if isinstance(w, QLabel):
        return bool(w.text())
    if isinstance(w, QAbstractButton):
        return bool(w.text())
    return isinstance(w, INPUTS)


def _pairs(w: QWidget) -> list[tuple[str, str, str]]:
    pal = w.palette()
    roles = QPalette.ColorRole
    if isinstance(w, QAbstractButton):
        pairs = [("button", roles.ButtonText, roles.Button)]
    elif isinstance(w, INPUTS):
        pairs = [("input", roles.Text, roles.Base)]
    else:
        pairs = [("label", roles.WindowText, roles.Window)]
    return [(name, pal.color(fg).name(), pal.color(bg).name()) for name, fg, bg in pairs]


def check_screen(root: QWidget, theme: Theme) -> list[str]:
    """Every rule broken on this screen, as readable lines (empty when all is well)."""
    problems: list[str] = []
    for w in visible_widgets(root):
        what = f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        if _has_text(w):
            px = QFontInfo(w.font()).pixelSize()
            if px < MIN_TEXT_PX:
                problems.append(f"{what}: font {px}px")
            for name, fg, bg in _pairs(w):
                ratio = contrast_ratio(fg, bg)
                if ratio < MIN_CONTRAST:
                    problems.append(f"{what}: {name} contrast {fg}/{bg} = {ratio:.2f}")
        if w.property("role") in MAIN_BUTTON_ROLES and \
                (w.width() < MIN_TARGET_PX or w.height() < MIN_TARGET_PX):
            problems.append(f"{what}: target {w.width()}x{w.height()}")
        if isinstance(w, INPUTS):
            if not w.focusPolicy().value & w.focusPolicy().TabFocus.value:
                problems.append(f"{what}: not reachable with Tab")
            if not w.accessibleName():
                problems.append(f"{what}: no accessible name")
    return problems


@pytest.fixture
def elder_window(named_ctx: StationContext, make_window: Callable[[StationContext], MainWindow],
                 use_theme: Callable[[Theme], None]) -> MainWindow:
    w = make_window(named_ctx)
    w.use_theme(ELDER)
    use_theme(ELDER)
    return w


def test_every_text_pair_of_the_elder_theme_reaches_4_5() -> None:
    for name, (fg, bg) in ELDER.text_pairs().items():
        assert contrast_ratio(fg, bg) >= MIN_CONTRAST, name
    for name, (fg, bg) in STANDARD.text_pairs().items():
        assert contrast_ratio(fg, bg) >= MIN_CONTRAST, name


def test_every_outline_pair_reaches_3_in_both_themes() -> None:
    """The colours the style sheet draws control edges with (the walk checks the pixels)."""
    for theme in (ELDER, STANDARD):
        for name, (edge, back) in theme.border_pairs().items():
            assert contrast_ratio(edge, back) >= BORDER_CONTRAST_MIN, (theme.key, name)


@pytest.mark.parametrize("page", [PageKey.SERVICES, PageKey.SETTINGS])
def test_elder_walk_of_each_page(qtbot: QtBot, elder_window: MainWindow, page: PageKey) -> None:
    elder_window.go_to(page)
    if page == PageKey.SERVICES:
        elder_window.services.search.setText("txns")
    QApplication.processEvents()
    assert check_screen(elder_window, ELDER) == []


def test_elder_walk_of_settings_with_errors_shown(elder_window: MainWindow) -> None:
    elder_window.go_to(PageKey.SETTINGS)
    elder_window.settings_page.backend_url.setText("ftp://x")
    elder_window.settings_page.station_id.setText("!")
    assert not elder_window.settings_page.save()
    QApplication.processEvents()
    assert check_screen(elder_window, ELDER) == []


def test_elder_walk_of_first_run(elder_window: MainWindow) -> None:
    elder_window.show_first_run(True)
    elder_window.first_run.enrolment.setText("redstation://enroll?station=QDK01&secret=abc")
    QApplication.processEvents()
    assert check_screen(elder_window, ELDER) == []


def test_the_walk_catches_small_text(elder_window: MainWindow) -> None:
    """The checker itself works: standard-size text is reported in the elder walk."""
    elder_window.use_theme(STANDARD)
    QApplication.instance().setStyleSheet(STANDARD.stylesheet())  # type: ignore[union-attr]
    QApplication.processEvents()
    assert any("font" in p for p in check_screen(elder_window, ELDER))
