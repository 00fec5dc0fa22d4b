"""The 回执 step: "已保存", a preview of the receipt, print it or save it as PDF.

Shown only after the case was committed, so what it says is true. Printing goes through a
`Printer` (Qt's print dialog at the desk); a PDF is written by the same layout code. 朗读 (F9)
reads the summary aloud: items, the reference in groups, the promised date, what to do next.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.documents import ReceiptData
from station_app.i18n import mark_data
from station_app.printing.documents_pdf import receipt_page, write_receipt_pdf
from station_app.printing.output import Printer, render_image
from station_app.printing.paper import Paper
from station_app.services.intake_session import SavedCase
from station_app.services.read_aloud_texts import receipt_speech
from station_app.ui.intake.field_base import ERROR_SIGN, set_role
from station_app.ui.read_aloud import ReadAloudButton
from station_app.ui.spaced_label import SpacedLabel

PREVIEW_DPI = 110
PREVIEW_MAX_HEIGHT = 620


def receipt_image(data: ReceiptData, paper: Paper, dpi: int = PREVIEW_DPI) -> QImage:
    """The receipt page as an image, on the station's paper, drawn by the printing code."""
    return render_image(receipt_page(data, paper), dpi=dpi)


class ReceiptView(QWidget):
    """Signal ``done`` when the worker has finished with this case (完成)."""

    done = Signal()

    def __init__(self, printer: Callable[[], Printer], parent: QWidget | None = None, *,
                 printed: Callable[[str], None] | None = None,
                 paper: Callable[[], Paper] = lambda: Paper.A4) -> None:
        """``printed(tracking_ref)`` is told of every copy that left (printer or PDF), for
        the audit trail."""
        super().__init__(parent)
        self._printer = printer
        self._paper = paper
        self._printed = printed or (lambda _ref: None)
        self.case: SavedCase | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(24)
        side = QVBoxLayout()
        side.setSpacing(14)
        self.saved = QLabel()
        set_role(self.saved, "heading")
        self.ref = QLabel()
        self.ref.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ref.setWordWrap(True)
        set_role(self.ref, "heading")
        self.hint = SpacedLabel(self.tr("请把回执交给办事人保管，凭受理编号查询进度。"))
        self.status = SpacedLabel()
        self.status.hide()
        self.print_button = QPushButton(self.tr("打印回执（Ctrl+P）"))
        self.print_button.setProperty("role", "primary")
        self.print_button.setShortcut("Ctrl+P")
        self.pdf_button = QPushButton(self.tr("另存为 PDF"))
        self.done_button = QPushButton(self.tr("完成"))
        self.read_aloud_button = ReadAloudButton(
            lambda: receipt_speech(self.case.receipt) if self.case else None)
        self.read_aloud_button.failed.connect(lambda line: self._say(line, error=True))
        for b in (self.pdf_button, self.done_button):
            b.setProperty("role", "secondary")
        for b in (self.print_button, self.pdf_button, self.done_button):
            b.setAutoDefault(True)
        self.print_button.clicked.connect(self.print_receipt)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.done_button.clicked.connect(self.done.emit)
        for w in (self.saved, self.ref, self.hint, self.print_button, self.pdf_button,
                  self.read_aloud_button, self.done_button, self.status):
            side.addWidget(w)
        side.addStretch(1)
        self.preview = QLabel()
        self.preview.setObjectName("receiptPreview")
        self.preview.setStyleSheet("QLabel#receiptPreview { border: 1px solid palette(mid); }")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.preview.setAccessibleName(self.tr("回执预览"))
        layout.addLayout(side, 2)
        layout.addWidget(self.preview, 3, Qt.AlignmentFlag.AlignTop)

    def show_case(self, case: SavedCase) -> None:
        """Show the saved case's receipt; the cursor waits on 打印回执 so Enter prints."""
        self.case = case
        self.saved.setText(self.tr("✔ 已保存"))
        self.ref.setText(self.tr("受理编号：{0}").format(case.tracking_ref))
        image = receipt_image(case.receipt, self._paper())
        pixmap = QPixmap.fromImage(image).scaledToHeight(
            min(image.height(), PREVIEW_MAX_HEIGHT), Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(pixmap)
        self.preview.setFixedSize(pixmap.size() + QSize(2, 2))  # the frame hugs the paper
        self._say(None)
        self.print_button.setFocus()

    def print_receipt(self) -> bool:
        """Print through the station's printer; False when cancelled or failed (and said so)."""
        if self.case is None:
            return False
        try:
            printed = self._printer().print_page(receipt_page(self.case.receipt, self._paper()))
        except OSError as e:
            self._say(str(e), error=True)
            return False
        self._say(self.tr("回执已送打印机") if printed else self.tr("已取消打印，可再按“打印回执”"))
        if printed:
            self._printed(self.case.tracking_ref)
        return printed

    def save_pdf(self, path: Path | None = None) -> Path | None:
        """Write the receipt as PDF (asks where, unless ``path`` is given)."""
        if self.case is None:
            return None
        if path is None:
            name = self.tr("回执-{0}.pdf").format(self.case.tracking_ref)
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("另存回执为 PDF"), name, self.tr("PDF 文件 (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            written = write_receipt_pdf(self.case.receipt, path, self._paper())
        except OSError as e:
            self._say(self.tr("回执未能保存：{0}。请换一个文件夹再试").format(e.strerror or e),
                      error=True)
            return None
        self._say(self.tr("回执已保存为 {0}").format(written))
        self._printed(self.case.tracking_ref)
        return written

    def _say(self, text: str | None, error: bool = False) -> None:
        self.status.setVisible(bool(text))
        self.status.setText((ERROR_SIGN if error else "") + (text or ""))
        set_role(self.status, "error" if error else "ok")
        mark_data(self.status, error)  # an error's own words come from the system
