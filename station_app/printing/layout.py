"""Layouts of the receipt (回执) and the one-time notice (一次性告知单), in millimetres.

Both are drawn by plain functions on any QPainter, so the same code feeds the printer, PDF
files and the on-screen preview.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from station_app.domain.documents import NoticeData, ReceiptData
from station_app.printing.qr import draw_qr

DrawFn = Callable[[QPainter, QRectF], None]
FONT_FAMILY = "WenQuanYi Micro Hei"


class _Pen:
    """Writes lines of text top-down inside a page rectangle measured in millimetres."""

    def __init__(self, painter: QPainter, page: QRectF, dots_per_mm: float) -> None:
        self.p = painter
        self.page = page
        self.k = dots_per_mm
        self.y = page.top()

    def font(self, pt: float, bold: bool = False) -> QFont:
        f = QFont(FONT_FAMILY)
        f.setPixelSize(max(1, round(pt * 25.4 / 72 * self.k)))
        f.setBold(bold)
        self.p.setFont(f)
        return f

    def text(self, s: str, pt: float = 10.5, bold: bool = False, centre: bool = False,
             width: float | None = None, gap: float = 1.6) -> None:
        f = self.font(pt, bold)
        w = (width or self.page.width()) * self.k
        flags = int(Qt.TextFlag.TextWordWrap) | int(
            Qt.AlignmentFlag.AlignHCenter if centre else Qt.AlignmentFlag.AlignLeft)
        box = QFontMetricsF(f).boundingRect(QRectF(0, 0, w, 10_000), flags, s)
        rect = QRectF(self.page.left() * self.k, self.y * self.k, w, box.height())
        self.p.drawText(rect, flags, s)
        self.y += box.height() / self.k + gap

    def row(self, label: str, value: str, pt: float = 10.5, label_mm: float = 28) -> None:
        start = self.y
        self.font(pt, bold=True)
        self.p.drawText(QRectF(self.page.left() * self.k, start * self.k, label_mm * self.k,
                               20 * self.k), int(Qt.AlignmentFlag.AlignLeft), label)
        saved_left = self.page.left()
        self.page = QRectF(saved_left + label_mm, self.page.top(),
                           self.page.width() - label_mm, self.page.height())
        self.text(value, pt)
        self.page = QRectF(saved_left, self.page.top(), self.page.width() + label_mm,
                           self.page.height())

    def rule(self, gap: float = 2.5) -> None:
        self.p.setPen(QPen(QColor("black"), max(1.0, 0.3 * self.k)))
        y = (self.y + gap / 2) * self.k
        self.p.drawLine(round(self.page.left() * self.k), round(y),
                        round(self.page.right() * self.k), round(y))
        self.y += gap


def _dots_per_mm(painter: QPainter) -> float:
    return painter.device().logicalDpiX() / 25.4


def draw_receipt(painter: QPainter, data: ReceiptData) -> None:
    k = _dots_per_mm(painter)
    dev = painter.device()
    page = QRectF(10, 10, dev.width() / k - 20, dev.height() / k - 20)
    pen = _Pen(painter, page, k)
    painter.setPen(QColor("black"))
    pen.text("红色驿站 受理回执", 18, bold=True, centre=True)
    pen.text(data.station.name, 11, centre=True, gap=3)
    pen.rule()
    qr_mm = 34.0
    text_width = page.width() - qr_mm - 4
    top = pen.y
    pen.page = QRectF(page.left(), page.top(), text_width, page.height())
    pen.row("办理事项", data.title)
    if len(data.item_names) > 1:
        pen.row("包含", "；".join(data.item_names))
    pen.row("申请人", f"{data.applicant}（{data.applicant_id}）")
    pen.row("受理编号", data.tracking_ref, pt=12)
    pen.row("区平台回执号", data.receipt_no_text)
    pen.row("受理时间", data.accepted_at.strftime("%Y年%m月%d日 %H:%M"))
    pen.row("办结时限", data.promised)
    pen.row("经办人", data.operator)
    qr_rect = QRectF((page.right() - qr_mm) * k, top * k, qr_mm * k, qr_mm * k)
    draw_qr(painter, qr_rect, data.qr_text)
    pen.page = page
    pen.y = max(pen.y, top + qr_mm + 2)
    pen.font(8)
    painter.drawText(QRectF(qr_rect.left(), (top + qr_mm) * k, qr_rect.width(), 5 * k),
                     int(Qt.AlignmentFlag.AlignHCenter), "扫码查询办理进度")
    pen.rule()
    pen.text("已收材料", 11, bold=True)
    for i, m in enumerate(data.materials_received, 1):
        pen.text(f"{i}. {m}", 10, gap=0.8)
    pen.rule()
    contact = f"  联系电话：{data.station.contact_phone}" if data.station.contact_phone else ""
    pen.text(f"请妥善保管本回执，凭受理编号查询或领取结果。{contact}", 9)
    pen.text("个人信息仅用于办理本事项，依法保护。", 9)


def draw_notice(painter: QPainter, data: NoticeData) -> None:
    k = _dots_per_mm(painter)
    dev = painter.device()
    page = QRectF(12, 12, dev.width() / k - 24, dev.height() / k - 24)
    pen = _Pen(painter, page, k)
    painter.setPen(QColor("black"))
    pen.text("一次性告知单", 18, bold=True, centre=True)
    pen.text(data.station.name, 11, centre=True, gap=3)
    pen.rule()
    pen.row("办理事项", data.title)
    pen.row("申请人", f"{data.applicant}（{data.applicant_id}）")
    pen.row("告知日期", data.issued_at.strftime("%Y年%m月%d日"))
    pen.rule()
    pen.text("您申请的事项还缺少以下材料，请备齐后再来办理（一次告知，不再增补）：", 11, bold=True)
    for i, m in enumerate(data.missing, 1):
        line = f"{i}. {m.name}（{m.form}"
        line += f"，{m.copies} 份）" if m.copies else "）"
        if m.item_name and m.item_name != data.title:
            line += f" —— {m.item_name}"
        pen.text(line, 11, gap=0.6)
        if m.note:
            pen.text(f"    说明：{m.note}", 9.5, gap=1.2)
    for note in data.notes:
        pen.text(note, 10)
    pen.rule()
    contact = data.station.contact_phone or "请向本驿站工作人员咨询"
    pen.text(f"经办人：{data.operator}    咨询电话：{contact}", 10)
    pen.text("备齐材料后可到本驿站办理，也可由家属持委托书和双方身份证代办。", 9.5)
