"""Where a layout goes: a PDF file, a PNG image, or a printer behind a small interface."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

Draw = Callable[[QPainter], None]
PDF_DPI = 300


def write_pdf(path: Path, draw: Draw, title: str,
              size: QPageSize.PageSizeId = QPageSize.PageSizeId.A5) -> Path:
    """Write one page to `path` atomically (a half-written receipt is never left behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(title)
    writer.setCreator("红色驿站服务终端")
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(size), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        draw(painter)
    finally:
        painter.end()
    del writer
    tmp.replace(path)
    return path


def render_image(draw: Draw, width_mm: float = 148, height_mm: float = 210,
                 dpi: int = 150) -> QImage:
    """The page as an image on white paper: the one page-to-image renderer (previews, PNGs)."""
    dpm = round(dpi / 0.0254)
    img = QImage(round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi),
                 QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(dpm)
    img.setDotsPerMeterY(dpm)
    img.fill(0xFFFFFF)
    painter = QPainter(img)
    try:
        draw(painter)
    finally:
        painter.end()
    return img


def render_png(path: Path, draw: Draw, width_mm: float = 148, height_mm: float = 210,
               dpi: int = 150) -> Path:
    """Render the page to a PNG file, for looking at a layout."""
    img = render_image(draw, width_mm, height_mm, dpi)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not img.save(str(path)):
        raise OSError(f"无法写入图片 {path}")
    return path


class Printer(Protocol):
    """A physical printer. The Qt print dialog fills this in the GUI; tests use a fake."""

    def print_page(self, draw: Draw, title: str) -> bool: ...
