"""How the 办件 table and detail share the page: sizes from the font, never from the rows.

Measuring rows (``resizeColumnsToContents``) would load every case; instead each column is as
wide as a sample of its widest plausible text in the current font (bold, as attention rows
are), and the page decides from those widths whether the detail fits beside the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from station_app.ui.cases.cases_model import Column

COLUMN_SAMPLES = {Column.REF: "HY261125-TR3R4R91", Column.TITLE: "城乡居民医保个人参保登记",
                  Column.APPLICANT: "欧阳**明", Column.CREATED: "2026-11-25 09:30",
                  Column.STATUS: "⚠ 需处理 · 上报被退回", Column.SYNC: "已上报"}
TITLE_MIN_CHARS = 8
MARGIN = 48  # frame, scroll bar and page margins


@dataclass(frozen=True)
class Fit:
    """Detail beside the list or below it; whether the 同步 column has room; list width."""

    side_by_side: bool
    show_sync: bool
    table_width: int


def size_columns(table: QTableView) -> None:
    """Fixed row height and column widths for the table's current font."""
    metrics = table.fontMetrics()
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 16)
    bold_font = table.font()
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    header = table.horizontalHeader()
    for column, sample in COLUMN_SAMPLES.items():
        if column is not Column.TITLE:
            header.resizeSection(column, bold.horizontalAdvance(sample) + 32)
    header.setMinimumSectionSize(metrics.horizontalAdvance("事项") + 32)


def plan(table: QTableView, page_width: int) -> Fit:
    """Side by side when the whole list and a readable detail fit; else the detail goes
    below, and the 同步 column (its words are in 状态 too) gives way to the item name."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    fixed = sum(header.sectionSize(c) for c in Column if c is not Column.TITLE)
    wanted = fixed + metrics.horizontalAdvance(COLUMN_SAMPLES[Column.TITLE]) + MARGIN
    detail = metrics.horizontalAdvance("身份证号：420***********441X") * 3 // 2
    if page_width >= wanted + detail:
        return Fit(True, True, wanted)
    title_min = metrics.horizontalAdvance("字" * TITLE_MIN_CHARS)
    return Fit(False, page_width >= fixed + title_min + MARGIN, page_width)
