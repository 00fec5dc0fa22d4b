"""Receipts and notices as real PDF files: read back their text and decode their QR code."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from station_app.domain.documents import (
    MissingMaterial,
    NoticeData,
    ReceiptData,
    StationInfo,
)
from station_app.printing.documents_pdf import notice_page, receipt_page
from station_app.printing.output import render_png, write_pdf
from station_app.printing.paper import ROLL_END_MM, Paper, measure_mm
from station_app.settings_schema import StationSettings

STATION = StationInfo("QDK01", "琴断口街七里一村社区红色驿站", "027-84700000")


def _receipt(ref: str = "HY7K3Q9XA2", receipt_no: str | None = None) -> ReceiptData:
    return ReceiptData(
        station=STATION, title="退休人员养老金资格认证", item_names=("退休人员养老金资格认证",),
        applicant="张*丰", applicant_id="420***********001X",
        materials_received=("居民身份证或社会保障卡（原件）",), tracking_ref=ref,
        receipt_no=receipt_no, accepted_at=datetime(2026, 11, 25, 9, 30),
        promised="即办件，当场办结", operator="李四", qr_text=ref)


def _pdf_text_and_codes(path: Path) -> tuple[str, list[str]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        image = page.render(scale=2).to_pil()
        codes = [b.text for b in zxingcpp.read_barcodes(image)]
    finally:
        pdf.close()
    return text, codes


@pytest.mark.parametrize("ref", ["HY7K3Q9XA2", "HY-20261125-000042"])
def test_receipt_pdf_qr_decodes_to_tracking_ref(qapp: object, tmp_path: Path, ref: str) -> None:
    pdf = write_pdf(tmp_path / "r.pdf", receipt_page(_receipt(ref), Paper.A5))
    text, codes = _pdf_text_and_codes(pdf)
    assert codes == [ref]
    assert ref in text
    assert "420***********001X" in text
    assert "待上报" in text  # not synced yet: says so instead of inventing a number


def test_receipt_shows_district_number_once_synced(qapp: object, tmp_path: Path) -> None:
    data = _receipt(receipt_no="HY-QDK01-20261125-0007")
    text, _ = _pdf_text_and_codes(write_pdf(tmp_path / "r.pdf", receipt_page(data, Paper.A4)))
    assert "HY-QDK01-20261125-0007" in text and "待上报" not in text


def _notice() -> NoticeData:
    return NoticeData(
        station=replace(STATION, address="汉阳区琴断口街七里一村社区党群服务中心一楼",
                        hours="周一至周五 8:30—17:30"),
        title="城乡居民医保个人参保登记", applicant="王*",
        applicant_id="420***********0014", issued_at=datetime(2026, 11, 25),
        missing=(MissingMaterial("出生医学证明", "原件及复印件", 1, "新生儿参保必交"),
                 MissingMaterial("户口簿", "原件", 0)),
        operator="李四", notice_no="GZ-QDK01-20261125-0A1B2C",
        time_limits=("城乡居民医保个人参保登记：即办件，当场办结",))


def test_notice_lists_every_missing_material(qapp: object, tmp_path: Path) -> None:
    text, codes = _pdf_text_and_codes(write_pdf(tmp_path / "n.pdf",
                                                notice_page(_notice(), Paper.A4)))
    assert codes == []
    for wanted in ("一次性告知单", "出生医学证明", "户口簿", "2026年11月25日", "027-84700000",
                   "GZ-QDK01-20261125-0A1B2C", "办理时限", "即办件", "党群服务中心",
                   "周一至周五", "申请人签名"):
        assert wanted in text


def test_png_preview_has_ink_where_the_text_is(qtbot: QtBot, tmp_path: Path) -> None:
    png = render_png(tmp_path / "r.png", receipt_page(_receipt(), Paper.A5))
    img = QImage(str(png))
    assert not img.isNull()
    dark = sum(1 for y in range(0, img.height() // 3, 4) for x in range(0, img.width(), 4)
               if img.pixelColor(x, y).lightness() < 100)
    assert dark > 200


def _page_mm(path: Path) -> tuple[float, float]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        width, height = pdf[0].get_size()  # points
    finally:
        pdf.close()
    return width * 25.4 / 72, height * 25.4 / 72


@pytest.mark.parametrize("paper", list(Paper))
def test_receipt_and_notice_on_every_paper(qapp: object, tmp_path: Path, paper: Paper) -> None:
    """Right page size, the QR still decodes, the text all there, nothing past the edge."""
    for name, page, wanted in (
            ("r", receipt_page(_receipt("HY7K3Q9XA2"), paper), ("HY7K3Q9XA2", "经办人")),
            ("n", notice_page(_notice(), paper), ("出生医学证明", "咨询电话"))):
        pdf = write_pdf(tmp_path / f"{name}-{paper.value}.pdf", page)
        width, height = _page_mm(pdf)
        assert abs(width - paper.width_mm) < 0.5
        used = measure_mm(page.draw, paper.width_mm)
        if paper.sheet_height_mm is None:  # a roll is cut just after the content
            assert abs(height - (used + ROLL_END_MM)) < 0.5
        else:
            assert abs(height - paper.sheet_height_mm) < 0.5 and used < height - 5
        text, codes = _pdf_text_and_codes(pdf)
        for w in wanted:
            assert w in text
        assert codes == (["HY7K3Q9XA2"] if name == "r" else [])
        png = render_png(tmp_path / f"{name}-{paper.value}.png", page)
        assert QImage(str(png)).height() > QImage(str(png)).width() * 0.9


def test_the_paper_setting_and_the_paper_sizes_agree() -> None:
    field = StationSettings.model_fields["paper"]
    assert set(field.annotation.__args__) == {p.value for p in Paper}  # type: ignore[union-attr]
    assert Paper(StationSettings().paper) is Paper.A4  # most desk printers are A4 lasers


def test_the_qr_label_says_what_the_code_is() -> None:
    assert "扫码查询办理进度" in replace(_receipt(), qr_text="https://q.example.invalid/q/HY").qr_label
    assert "受理编号" in _receipt().qr_label
