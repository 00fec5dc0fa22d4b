"""The receipt and the 一次性告知单 as pages on the station's paper, and as PDF files."""

from __future__ import annotations

from pathlib import Path

from station_app.domain.documents import NoticeData, ReceiptData
from station_app.printing.layout import draw_notice, draw_receipt
from station_app.printing.output import write_pdf
from station_app.printing.paper import Page, Paper, page_for


def receipt_page(data: ReceiptData, paper: Paper) -> Page:
    return page_for(lambda p: draw_receipt(p, data), f"回执 {data.tracking_ref}", paper)


def notice_page(data: NoticeData, paper: Paper) -> Page:
    return page_for(lambda p: draw_notice(p, data), f"一次性告知单 {data.title}", paper)


def write_receipt_pdf(data: ReceiptData, path: Path, paper: Paper = Paper.A4) -> Path:
    """The 回执 as a one-page PDF; needs a Qt GUI application for fonts."""
    return write_pdf(path, receipt_page(data, paper))


def write_notice_pdf(data: NoticeData, path: Path, paper: Paper = Paper.A4) -> Path:
    """The 一次性告知单 as a one-page PDF."""
    return write_pdf(path, notice_page(data, paper))
