"""长辈版 walk of the 办件 page and the 好差评 dialog: text ≥ 24 px, main targets ≥ 64×64,
contrast ≥ 4.5:1, every input named, colour never the only cue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
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

from station_app.domain.lifecycle import Rating
from station_app.services.case_list import ATTENTION_MARK
from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.ui.cases import CasesPage
from station_app.ui.cases.cases_model import Column
from station_app.ui.cases.rating_dialog import RatingDialog, stars
from station_app.ui.theme import ELDER, STANDARD, TEXT_CONTRAST_MIN, Theme, contrast_ratio
from tests.ui.elder_walk.fit import cut_text

MIN_TEXT_PX, MIN_TARGET_PX, MIN_CONTRAST = ELDER.font_px, ELDER.target_px, TEXT_CONTRAST_MIN
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Any) -> Iterator[StationContext]:
    c = open_station(tmp_path / "station", clock=lambda: NOW)
    fill_demo_cases(c, 300, seed=4)
    yield c
    c.close()


@pytest.fixture
def elder_page(qtbot: QtBot, ctx: StationContext,
               use_theme: Callable[[Theme], None]) -> CasesPage:
    use_theme(ELDER)
    p = CasesPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 640)  # the page's share of a 1366x768 screen
    p.show()
    qtbot.waitExposed(p)
    return p


def problems(root: QWidget) -> list[str]:
    """Every broken rule among the visible widgets, as readable lines."""
    found: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox):
            continue
        what = f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        texty = isinstance(w, INPUTS) or (isinstance(w, QLabel | QAbstractButton) and w.text())
        if texty:
            px = QFontInfo(w.font()).pixelSize()
            if px < MIN_TEXT_PX:
                found.append(f"{what}: {px}px")
            pal, r = w.palette(), QPalette.ColorRole
            fg, bg = (r.ButtonText, r.Button) if isinstance(w, QAbstractButton) else \
                (r.Text, r.Base) if isinstance(w, INPUTS) else (r.WindowText, r.Window)
            ratio = contrast_ratio(pal.color(fg).name(), pal.color(bg).name())
            if ratio < MIN_CONTRAST:
                found.append(f"{what}: contrast {ratio:.2f}")
        if w.property("role") in ("primary", "rating") and \
                min(w.width(), w.height()) < MIN_TARGET_PX:
            found.append(f"{what}: {w.width()}x{w.height()}")
        if isinstance(w, (*INPUTS, QAbstractButton)) and not w.accessibleName():
            found.append(f"{what}: no accessible name")
    return found


def test_theme_pairs_and_the_attention_row_colours_reach_4_5() -> None:
    for theme in (STANDARD, ELDER):
        for name, (fg, bg) in theme.text_pairs().items():
            assert contrast_ratio(fg, bg) >= MIN_CONTRAST, (theme.key, name)
        assert contrast_ratio(theme.on_primary, theme.primary) >= MIN_CONTRAST  # selected row


def test_elder_walk_of_the_cases_page(elder_page: CasesPage) -> None:
    assert problems(elder_page) == []
    table_px = QFontInfo(elder_page.table.font()).pixelSize()
    assert table_px >= MIN_TEXT_PX
    assert elder_page.table.verticalHeader().defaultSectionSize() > table_px


def test_elder_walk_with_an_attention_case_and_custom_dates(elder_page: CasesPage) -> None:
    f = elder_page.filters
    f.status.setCurrentIndex(f.status.findText(ATTENTION_MARK))
    f.dates.setCurrentIndex(f.dates.count() - 1)  # 指定日期…
    f.first_day.setDate(f.first_day.date().addDays(-120))
    QApplication.processEvents()
    assert f.first_day.isVisible() and f.last_day.isVisible()
    assert elder_page.detail.attention.isVisible()
    assert problems(elder_page) == []
    idx = elder_page.model.index(0, Column.STATUS)
    bg, fg = idx.data(8), idx.data(9)  # BackgroundRole, ForegroundRole
    assert bg.name().upper() == ELDER.attention_bg and fg.name().upper() == "#000000"
    assert contrast_ratio(fg.name(), bg.name()) >= MIN_CONTRAST
    assert idx.data().startswith(ATTENTION_MARK)  # the words, not only the colour


def test_every_shown_column_is_readable_in_elder_mode(elder_page: CasesPage) -> None:
    """At 1200 px every column stays, the item's name whole: rows of two or three lines."""
    table = elder_page.table
    assert not table.isColumnHidden(Column.SYNC) and table.wordWrap()
    assert table.verticalHeader().defaultSectionSize() >= 2 * table.fontMetrics().lineSpacing()
    assert [p for p in cut_text(table) if "cell" in p or "header" in p] == []
    assert elder_page.split.orientation() is Qt.Orientation.Vertical  # detail below the list
    assert "上报：" in elder_page.model.index(0, Column.REF).data(Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize("theme", [STANDARD, ELDER])
def test_rating_dialog_is_large_print_in_both_themes(qtbot: QtBot, theme: Theme,
                                                     use_theme: Callable[[Theme], None]) -> None:
    use_theme(theme)
    dialog = RatingDialog("退休人员养老金资格认证　张*丰", Rating.SATISFIED)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert problems(dialog) == []
    assert [b.text().split("\n")[1] for b in dialog.buttons.values()] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    for rating, button in dialog.buttons.items():
        assert button.width() >= MIN_TARGET_PX and button.height() >= MIN_TARGET_PX
        assert stars(rating) in button.text()  # a shape as well as a word
    dialog.panel.choose(Rating.DISSATISFIED)  # the reason page: as large and as clear
    QApplication.processEvents()
    assert problems(dialog) == []
    for button in (*dialog.reasons.values(), dialog.panel.submit_button):
        assert button.width() >= MIN_TARGET_PX and button.height() >= MIN_TARGET_PX
    dialog.show_thanks(Rating.SATISFIED)
    QApplication.processEvents()
    assert problems(dialog) == []
    assert dialog.close_button.height() >= MIN_TARGET_PX


def test_switching_to_elder_while_open_resizes_rows_and_colours(
        qtbot: QtBot, ctx: StationContext, use_theme: Callable[[Theme], None]) -> None:
    use_theme(STANDARD)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 640)
    page.show()
    qtbot.waitExposed(page)
    before = page.table.verticalHeader().defaultSectionSize()
    use_theme(ELDER)
    qtbot.waitUntil(lambda: page.table.verticalHeader().defaultSectionSize() > before)
    assert QFontInfo(page.table.font()).pixelSize() >= MIN_TEXT_PX
    page.filters.status.setCurrentIndex(page.filters.status.findText(ATTENTION_MARK))
    bg = page.model.index(0, Column.STATUS).data(8)
    assert bg.name().upper() == ELDER.attention_bg
