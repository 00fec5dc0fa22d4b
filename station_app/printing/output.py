"""Where a page goes: a PDF file, a PNG image, or a printer behind a small interface."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPainter, QPdfWriter

from station_app.printing.paper import LAYOUT_DPI, Page

PDF_DPI = LAYOUT_DPI


def write_pdf(path: Path, page: Page) -> Path:
    """Write one page to `path` atomically (a half-written receipt is never left behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(page.title)
    writer.setCreator("红色驿站服务终端")
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(page.page_size(), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        page.draw(painter)
    finally:
        painter.end()
    del writer
    tmp.replace(path)
    return path


def render_image(page: Page, dpi: int = 150) -> QImage:
    """The page as an image on white paper: the one page-to-image renderer (previews, PNGs)."""
    dpm = round(dpi / 0.0254)
    img = QImage(round(page.width_mm / 25.4 * dpi), round(page.height_mm / 25.4 * dpi),
                 QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(dpm)
    img.setDotsPerMeterY(dpm)
    img.fill(0xFFFFFF)
    painter = QPainter(img)
    try:
        page.draw(painter)
    finally:
        painter.end()
    return img


def render_png(path: Path, page: Page, dpi: int = 150) -> Path:
    """Render the page to a PNG file, for looking at a layout."""
    img = render_image(page, dpi)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not img.save(str(path)):
        raise OSError(f"无法写入图片 {path}")
    return path


class Printer(Protocol):
    """A physical printer. The Qt print path fills this in the GUI; tests use a fake."""

    def print_page(self, page: Page) -> bool: ...
