"""How the 办件 table and detail share the page: sizes from the font, never from the rows.

Measuring rows (``resizeColumnsToContents``) would load every case; instead each column is as
wide as a sample of its widest plausible text in the current font (bold, as attention rows
are), or its header if that is wider, and the page decides from those widths how to lay out:

1. every column on one line, the detail beside the list;
2. every column on one line, the detail below;
3. rows of two lines, then three: the item's name, the date and the status wrap, so even the
   longest name in the catalogue is shown whole in 长辈版 at 1366×768 (nothing is elided);
4. only when even that does not fit, the 同步 column (its words are in 状态 too) gives way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption
from PySide6.QtWidgets import QTableView

from station_app.ui.cases.cases_model import Column, header

COLUMN_SAMPLES = {Column.REF: "HY261125-TR3R4R91", Column.TITLE: "城乡居民医保个人参保登记",
                  Column.APPLICANT: "欧阳**明", Column.CREATED: "2026-11-25 09:30",
                  Column.STATUS: "⚠ 需处理 · 上报被退回", Column.SYNC: "已上报"}
UNWRAPPED = (Column.REF, Column.APPLICANT, Column.SYNC)  # never broken: a code, a name, a word
CELL_PAD = 16  # the delegate's margins and some air, per column
ROW_PAD = 16
MARGIN = 16  # the list's frame and some air (its scroll bar is added)
MAX_LINES = 3


@dataclass(frozen=True)
class Fit:
    """Detail beside the list or below it; whether the 同步 column has room; list width; how
    many lines a row has; each column's width (the item's column stretches)."""

    side_by_side: bool
    show_sync: bool
    table_width: int
    lines: int = 1
    widths: dict[Column, int] = field(default_factory=dict)


def _lines_at(font: QFont, text: str, width: int) -> tuple[int, float]:
    """(lines, widest line) of `text` wrapped at word boundaries to `width`, as a view's
    delegate wraps a cell (a word wider than the cell is not broken: it would be elided)."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    layout.beginLayout()
    lines, widest = 0, 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines += 1
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return lines, widest


def wrapped_width(font: QFont, text: str, lines: int) -> int:
    """The narrowest width at which `text` takes at most `lines` lines, none cut."""
    full = ceil(QFontMetricsF(font).horizontalAdvance(text))
    if lines <= 1:
        return full
    low, high = 1, full
    while low < high:
        mid = (low + high) // 2
        count, widest = _lines_at(font, text, mid)
        if count <= lines and widest <= mid:
            high = mid
        else:
            low = mid + 1
    return high


def column_widths(table: QTableView, lines: int) -> dict[Column, int]:
    """Each column's width for rows of `lines` lines (the item's column: its minimum)."""
    bold = QFont(table.font())
    bold.setBold(True)
    head = table.horizontalHeader().fontMetrics()
    widths = {}
    for column, sample in COLUMN_SAMPLES.items():
        n = 1 if column in UNWRAPPED else lines
        widths[column] = max(wrapped_width(bold, sample, n),
                             head.horizontalAdvance(header(column))) + CELL_PAD
    return widths


def plan(table: QTableView, page_width: int, longest_title: str = "",
         scrollbar: int = 16) -> Fit:
    """The layout with the fewest lines per row that shows every cell whole (see above);
    `scrollbar` is the thickness of the list's scroll bar in the current look."""
    metrics = table.fontMetrics()
    margin = MARGIN + scrollbar
    title = max(longest_title, COLUMN_SAMPLES[Column.TITLE], key=metrics.horizontalAdvance)
    detail = metrics.horizontalAdvance("身份证号：420***********441X") * 3 // 2
    fits: list[Fit] = []
    for show_sync in (True, False):
        for lines in range(1, MAX_LINES + 1):
            widths = column_widths(table, lines)
            widths[Column.TITLE] = wrapped_width(table.font(), title, lines) + CELL_PAD
            wanted = sum(w for c, w in widths.items() if show_sync or c is not Column.SYNC)
            wanted += margin
            if lines == 1 and show_sync and page_width >= wanted + detail:
                return Fit(True, True, wanted, 1, widths)
            fits.append(Fit(False, show_sync, page_width, lines, widths))
            if page_width >= wanted:
                return fits[-1]
    return fits[-1]


def apply_fit(table: QTableView, fit: Fit, min_row: int) -> None:
    """Row height, wrapping and column widths of `fit` (the item's column stretches)."""
    metrics = table.fontMetrics()
    row = max(min_row, fit.lines * metrics.lineSpacing() + ROW_PAD)
    table.verticalHeader().setDefaultSectionSize(row)
    table.setWordWrap(fit.lines > 1)
    header_view = table.horizontalHeader()
    for column, width in fit.widths.items():
        if column is not Column.TITLE:
            header_view.resizeSection(column, width)
    header_view.setMinimumSectionSize(min(fit.widths.values(), default=32))
    table.setColumnHidden(Column.SYNC, not fit.show_sync)
