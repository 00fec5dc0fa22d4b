"""Receipts and notices written straight to PDF files (for reprints and the command line)."""

from __future__ import annotations

from pathlib import Path

from station_app.domain.documents import NoticeData, ReceiptData
from station_app.printing.layout import draw_notice, draw_receipt
from station_app.printing.output import write_pdf


def write_receipt_pdf(data: ReceiptData, path: Path) -> Path:
    """The 回执 as a one-page PDF; needs a Qt GUI application for fonts."""
    return write_pdf(path, lambda p: draw_receipt(p, data), f"回执 {data.tracking_ref}")


def write_notice_pdf(data: NoticeData, path: Path) -> Path:
    """The 一次性告知单 as a one-page PDF."""
    return write_pdf(path, lambda p: draw_notice(p, data), f"一次性告知单 {data.title}")
