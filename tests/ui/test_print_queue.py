"""Printing against a real print queue: a private CUPS with a cups-pdf printer.

The station's 打印机 is set to the queue and its 纸张 chosen in settings; the 一次性告知单 and
the 回执 leave through the intake page's own printer (Qt's print support, libcups), and a
reprint through the 办件 page's button. Each job must finish in CUPS; the PDF cups-pdf writes
from it has the chosen paper's size, the receipt's QR decodes to the case, and the page's ink
is the ink of the page the terminal drew (nothing cut or scaled away on the way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from station_app.printing.documents_pdf import notice_page, receipt_page
from station_app.printing.output import render_image
from station_app.printing.paper import LAYOUT_DPI, ROLL_END_MM, Page, Paper
from station_app.services.context import StationContext
from station_app.services.intake_session import IntakeSession
from station_app.services.settings_form import store_settings, validate_settings
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent
from station_app.ui.cases import CasesPage
from station_app.ui.intake import IntakePage
from station_app.ui.intake.qt_printer import QtPrinter
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from tests.helpers.counter import SANFENG, save_case
from tests.helpers.cups_server import (
    PrintedJob,
    PrivateQueue,
    point_libcups_at,
    private_cups,
    unavailable_reason,
)

PHONE = "13871234567"
INK_DPI = 100
INK_EDGE_MM = 2.5
# PPD sizes are whole points: the cups-pdf PPD has A5 as 421 pt wide (148.5 mm), and CUPS
# gives a custom size in whole points too (80 mm = 226.8 pt becomes 226)
PAGE_TOLERANCE_MM = 1.0


@pytest.fixture(scope="module")
def print_queue() -> Iterator[PrivateQueue]:
    """One private scheduler for the module; this process's CUPS clients use it meanwhile."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with private_cups() as queue, point_libcups_at(queue.server):
        yield queue


def choose(ctx: StationContext, **changes: object) -> None:
    """Change settings the way the 设置 page saves them."""
    settings, errors = validate_settings(ctx.settings, changes)
    assert settings is not None, errors
    store_settings(ctx, settings)


def page_mm(pdf: Path) -> tuple[float, float]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) == 1
        width, height = doc[0].get_size()
    finally:
        doc.close()
    return width * 25.4 / 72, height * 25.4 / 72


def ink(image: Image.Image) -> Image.Image:
    """Where the page is dark, as a 1-bit image."""
    return image.convert("L").point(lambda v: 255 if v < 128 else 0, mode="1")


def spooled_ink(pdf: Path) -> Image.Image:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return ink(doc[0].render(scale=INK_DPI / 72).to_pil())
    finally:
        doc.close()


def drawn_ink(page: Page, size: tuple[int, int]) -> Image.Image:
    """The page as the terminal draws it at its print resolution (text wraps as printed),
    scaled to ``size``."""
    gray = render_image(page, LAYOUT_DPI).convertToFormat(QImage.Format.Format_Grayscale8)
    drawn = Image.frombytes("L", (gray.width(), gray.height()), bytes(gray.constBits()),
                            "raw", "L", gray.bytesPerLine())
    return ink(drawn.resize(size, Image.Resampling.BOX))


def assert_same_ink(pdf: Path, drawn: Page) -> tuple[float, ...]:
    """The spooled page carries the drawn page's ink at the same place and scale: the inked
    area's edges agree within a few millimetres, and about as much of the page is inked
    (CUPS and Ghostscript redraw the glyphs, so pixels differ). The inked area, in mm."""
    spooled = spooled_ink(pdf)
    expected = drawn_ink(drawn, spooled.size)
    box, wanted = spooled.getbbox(), expected.getbbox()
    assert box is not None and wanted is not None, "a blank page"
    mm = 25.4 / INK_DPI
    assert all(abs(a - b) * mm < INK_EDGE_MM for a, b in zip(box, wanted, strict=True)), \
        (box, wanted)
    ratio = spooled.histogram()[255] / expected.histogram()[255]
    assert 0.7 < ratio < 1.4, ratio
    return tuple(edge * mm for edge in box)


def assert_on_paper(job: PrintedJob, paper: Paper, drawn: Page) -> None:
    width, height = page_mm(job.pdf)
    assert abs(width - paper.width_mm) < PAGE_TOLERANCE_MM, (job.media, width)
    assert abs(height - drawn.height_mm) < PAGE_TOLERANCE_MM, (job.media, height)
    if paper.sheet_height_mm is not None:
        assert job.media == paper.label  # the sheet by its name: a laser picks its tray
    inked = assert_same_ink(job.pdf, drawn)
    if paper.sheet_height_mm is None:  # the roll is cut after the last line as printed
        assert height - inked[3] >= ROLL_END_MM, (height, inked)


def audit_actions(ctx: StationContext) -> list[tuple[str, str | None]]:
    with session_scope(ctx.engine) as s:
        return [(a, sub) for a, sub in s.exec(select(AuditEvent.action, AuditEvent.subject)
                                              .order_by(col(AuditEvent.id))).all()]


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)


@pytest.mark.parametrize("paper", list(Paper))
def test_notice_and_receipt_reach_the_queue_on_the_station_paper(
        qtbot: QtBot, named_ctx: StationContext, print_queue: PrivateQueue, paper: Paper,
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    page = IntakePage(named_ctx)  # no stand-in: the terminal's own printer
    show(qtbot, page)
    choose(named_ctx, printer=print_queue.name, paper=paper.value)  # after the page exists
    # the queue chosen in 设置 applies at once (else Qt's print dialog would wait for a worker)
    assert isinstance(page.printer, QtPrinter) and page.printer.printer_name == print_queue.name
    session = IntakeSession(named_ctx, "LL27")
    session.fill_from_card(SANFENG)
    session.set_value("phone", PHONE)
    page.open_session(session)
    fp = page.form_page
    known = print_queue.job_ids()

    # a material missing: the 一次性告知单
    assert fp.notice_button.isEnabled()
    qtbot.mouseClick(fp.notice_button, Qt.MouseButton.LeftButton)
    [notice] = print_queue.wait_for_jobs(known)
    assert notice.name.startswith("一次性告知单")
    assert_on_paper(notice, paper, notice_page(session.notice(), paper))
    assert "告知单已送打印机" in fp.note.text()

    # every material received: saved, and the 回执 from the receipt step
    for material, received in session.materials(session.review()):
        if not received:
            box = fp.materials.box(material.name)  # on the box itself, as a worker clicks
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.mouseClick(fp.submit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.mouseClick(page.confirm_view.confirm_button, Qt.MouseButton.LeftButton)
    ref = saved.args[0]
    case = page.receipt_view.case
    assert case is not None
    known |= {notice.job_id}
    qtbot.mouseClick(page.receipt_view.print_button, Qt.MouseButton.LeftButton)
    [receipt] = print_queue.wait_for_jobs(known)
    assert receipt.name == f"回执 {ref}"
    assert_on_paper(receipt, paper, receipt_page(case.receipt, paper))
    assert read_pdf(receipt.pdf)[1] == [ref]  # the QR, from the spooled file
    actions = audit_actions(named_ctx)
    assert ("receipt.printed", ref) in actions
    assert "notice.printed" in [a for a, _ in actions]


def test_reprint_from_cases_goes_to_the_same_queue(
        qtbot: QtBot, named_ctx: StationContext, print_queue: PrivateQueue,
        make_window: Callable[[StationContext], MainWindow],
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    choose(named_ctx, printer=print_queue.name, paper=Paper.ROLL_80.value)
    ref = save_case(named_ctx, "LL27", SANFENG, phone=PHONE)
    w = make_window(named_ctx)  # no stand-in printer: the window's own print path
    w.go_to(PageKey.CASES)
    cases = w.cases
    assert isinstance(cases, CasesPage)
    qtbot.waitUntil(lambda: cases.detail.fields["tracking_ref"].text() == ref)
    known = print_queue.job_ids()
    qtbot.mouseClick(cases.detail.reprint_button, Qt.MouseButton.LeftButton)
    [job] = print_queue.wait_for_jobs(known)
    assert job.name == f"回执 {ref}" and job.media.startswith("Custom.80x")
    width, _ = page_mm(job.pdf)
    assert abs(width - 80) < PAGE_TOLERANCE_MM
    assert read_pdf(job.pdf)[1] == [ref]
    assert ("receipt.reprinted", ref) in audit_actions(named_ctx)
    assert job.job_id in print_queue.job_ids("completed")
