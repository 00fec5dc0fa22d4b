"""Layouts of the receipt (回执) and the one-time notice (一次性告知单), in millimetres.

Both are drawn by plain functions on any QPainter, so the same code feeds the printer, PDF
files and the on-screen preview.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from station_app.domain.documents import NoticeData, ReceiptData
from station_app.printing.qr import draw_qr

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


NARROW_MM = 100.0  # below this page width (a thermal roll) labels and QR go on their own lines


def _page(painter: QPainter, margin: float) -> tuple[_Pen, QRectF, float]:
    k = _dots_per_mm(painter)
    dev = painter.device()
    width = dev.width() / k
    if width < NARROW_MM:
        margin = min(margin, 4.0)  # a roll's printable width is about 72 mm of 80
    page = QRectF(margin, margin, width - 2 * margin, dev.height() / k - 2 * margin)
    painter.setPen(QColor("black"))
    return _Pen(painter, page, k), page, k


def draw_receipt(painter: QPainter, data: ReceiptData) -> float:
    """The 回执 on the painter's page; returns where it ended (mm from the top)."""
    pen, page, k = _page(painter, 10)
    narrow = page.width() < NARROW_MM - 8
    pen.text("红色驿站 受理回执", 14 if narrow else 18, bold=True, centre=True)
    pen.text(data.station.name, 9 if narrow else 11, centre=True, gap=3)
    pen.rule()
    rows = [("办理事项", data.title)]
    if len(data.item_names) > 1:
        rows.append(("包含", "；".join(data.item_names)))
    rows += [("申请人", f"{data.applicant}（{data.applicant_id}）"),
             ("受理编号", data.tracking_ref), ("区平台回执号", data.receipt_no_text),
             ("受理时间", data.accepted_at.strftime("%Y年%m月%d日 %H:%M")),
             ("办结时限", data.promised), ("经办人", data.operator)]
    qr_mm = 34.0
    if narrow:
        for label, value in rows:
            pen.text(f"{label}：{value}", 9, gap=1.0)
        qr_rect = QRectF((page.center().x() - qr_mm / 2) * k, (pen.y + 2) * k,
                         qr_mm * k, qr_mm * k)
        draw_qr(painter, qr_rect, data.qr_text)
        pen.y += qr_mm + 2
        pen.font(8)
        painter.drawText(QRectF(page.left() * k, pen.y * k, page.width() * k, 5 * k),
                         int(Qt.AlignmentFlag.AlignHCenter), data.qr_label)
        pen.y += 5
    else:
        top = pen.y
        pen.page = QRectF(page.left(), page.top(), page.width() - qr_mm - 4, page.height())
        for label, value in rows:
            pen.row(label, value, pt=12 if label == "受理编号" else 10.5)
        qr_rect = QRectF((page.right() - qr_mm) * k, top * k, qr_mm * k, qr_mm * k)
        draw_qr(painter, qr_rect, data.qr_text)
        pen.page = page
        pen.y = max(pen.y, top + qr_mm + 6)
        pen.font(8)
        painter.drawText(QRectF(qr_rect.left() - 4 * k, (top + qr_mm) * k,
                                qr_rect.width() + 4 * k, 5 * k),
                         int(Qt.AlignmentFlag.AlignHCenter), data.qr_label)
    small = 9 if narrow else 10
    pen.rule()
    pen.text("已收材料", small + 1, bold=True)
    for i, m in enumerate(data.materials_received, 1):
        pen.text(f"{i}. {m}", small, gap=0.8)
    pen.rule()
    contact = f"  联系电话：{data.station.contact_phone}" if data.station.contact_phone else ""
    pen.text(f"请妥善保管本回执，凭受理编号查询或领取结果。{contact}", small - 1)
    pen.text("个人信息仅用于办理本事项，依法保护。", small - 1)
    return pen.y


def draw_notice(painter: QPainter, data: NoticeData) -> float:
    """The 一次性告知单 on the painter's page; returns where it ended (mm from the top).

    What the 一次性告知 rules ask of it: a number, every missing material with its form and
    copies and where blank forms are, the time limits, the station's address, hours and
    phone, and a line for the resident's signature (the station keeps a signed copy).
    """
    pen, page, _k = _page(painter, 12)
    narrow = page.width() < NARROW_MM - 8
    big, body, small = (14, 9, 8.5) if narrow else (18, 11, 9.5)
    pen.text("一次性告知单", big, bold=True, centre=True)
    pen.text(data.station.name, body, centre=True, gap=1)
    if data.notice_no:
        pen.text(f"编号：{data.notice_no}", small, centre=True, gap=3)
    pen.rule()
    rows = [("办理事项", data.title), ("申请人", f"{data.applicant}（{data.applicant_id}）"),
            ("告知日期", data.issued_at.strftime("%Y年%m月%d日"))]
    for label, value in rows:
        if narrow:
            pen.text(f"{label}：{value}", body, gap=1.0)
        else:
            pen.row(label, value)
    pen.rule()
    pen.text("您申请的事项还缺少以下材料，请备齐后再来办理（一次告知，不再增补）：",
             body, bold=True)
    for i, m in enumerate(data.missing, 1):
        line = f"{i}. {m.name}（{m.form}"
        line += f"，{m.copies} 份）" if m.copies else "）"
        if m.item_name and m.item_name != data.title:
            line += f" —— {m.item_name}"
        pen.text(line, body, gap=0.6)
        if m.note:
            pen.text(f"    说明：{m.note}", small, gap=1.2)
    for note in data.notes:
        pen.text(note, small + 0.5)
    if data.time_limits:
        pen.y += 1.5
        pen.text("办理时限（材料齐全受理后）：", body, bold=True, gap=0.6)
        for limit in data.time_limits:
            pen.text(f"    {limit}", small, gap=0.6)
    pen.rule()
    station = data.station
    phone = station.contact_phone or "请向本驿站工作人员咨询"
    pen.text(f"经办人：{data.operator}    咨询电话：{phone}", small + 0.5)
    if station.address:
        pen.text(f"驿站地址：{station.address}", small + 0.5, gap=0.6)
    if station.hours:
        pen.text(f"办公时间：{station.hours}", small + 0.5, gap=0.6)
    pen.text("备齐材料后可到本驿站办理，也可由家属持委托书和双方身份证代办。", small)
    pen.y += 4
    pen.text("申请人已知悉以上告知内容。", body, gap=3)
    pen.text("申请人签名：__________    日期：____年___月___日", body, gap=2)
    return pen.y
