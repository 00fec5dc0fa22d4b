"""The paper a station prints on: A4 (most desk lasers), A5, or an 80 mm thermal roll.

A laser printer stops on a paper mismatch, so the page size is the station's setting, not
the layout's choice. Sheets have fixed sizes; a roll is cut where the content ends, so its
page is as long as the document drawn on it (measured by drawing it once off-screen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter

ROLL_MEASURE_MM = 2000.0  # longer than any receipt or notice
ROLL_END_MM = 8.0  # blank paper after the last line, for the cutter
# Every page is laid out at the resolution it prints at (the PDF writer and the desk printer
# use it too): font sizes round to whole device pixels, so text wraps differently at 100 dpi,
# and a roll measured there came out of a real print queue 4.5 mm longer than measured.
LAYOUT_DPI = 300


class Paper(StrEnum):
    """The setting's values (station.toml ``paper``)."""

    A4 = "a4"
    A5 = "a5"
    ROLL_80 = "80mm"

    @property
    def label(self) -> str:
        return {"a4": "A4", "a5": "A5", "80mm": "80 毫米热敏卷纸"}[self.value]

    @property
    def width_mm(self) -> float:
        return {"a4": 210.0, "a5": 148.0, "80mm": 80.0}[self.value]

    @property
    def sheet_height_mm(self) -> float | None:
        """The sheet's height; None for a roll (as long as the content)."""
        return {"a4": 297.0, "a5": 210.0, "80mm": None}[self.value]


# Draws a document on a painter whose device is the page; returns where the content ended
# (millimetres from the top), so a roll can be cut there.
Layout = Callable[[QPainter], float]


@dataclass(frozen=True)
class Page:
    """One document on one paper: what to draw and the page's size in millimetres."""

    draw: Layout
    title: str
    width_mm: float
    height_mm: float

    def page_size(self) -> QPageSize:
        return QPageSize(QSizeF(self.width_mm, self.height_mm), QPageSize.Unit.Millimeter,
                         self.title, QPageSize.SizeMatchPolicy.ExactMatch)


def page_for(layout: Layout, title: str, paper: Paper) -> Page:
    """The page ``layout`` needs on ``paper``: the sheet, or the roll cut after the content."""
    height = paper.sheet_height_mm
    if height is None:
        height = measure_mm(layout, paper.width_mm) + ROLL_END_MM
    return Page(layout, title, paper.width_mm, height)


def measure_mm(layout: Layout, width_mm: float, dpi: int = LAYOUT_DPI) -> float:
    """How long ``layout`` runs on a page ``width_mm`` wide (drawn once on a tall image)."""
    image = QImage(round(width_mm / 25.4 * dpi), round(ROLL_MEASURE_MM / 25.4 * dpi),
                   QImage.Format.Format_Mono)
    dpm = round(dpi / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    painter = QPainter(image)
    try:
        return layout(painter)
    finally:
        painter.end()
