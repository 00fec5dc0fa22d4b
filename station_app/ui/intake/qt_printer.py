"""The desk printer, through Qt's print dialog (implements printing.output.Printer)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from station_app.printing.output import Draw


class PrintFailed(OSError):
    """The printer could not be opened; the message says what to check."""


class QtPrinter:
    """Asks the worker for the printer and copies in Qt's dialog, then prints one A5 page.

    ``printer_name`` (from settings) preselects the station's printer. Returns False when the
    worker cancels the dialog, so the page can say nothing was printed.
    """

    def __init__(self, parent: QWidget | None = None, printer_name: str | None = None) -> None:
        self.parent = parent
        self.printer_name = printer_name

    def print_page(self, draw: Draw, title: str) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.printer_name:
            printer.setPrinterName(self.printer_name)
        printer.setDocName(title)
        printer.setFullPage(True)  # the layouts keep their own margins
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5),
                                          QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))
        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle(QCoreApplication.translate("QtPrinter", "打印{0}").format(title))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(QCoreApplication.translate(
                "QtPrinter", "无法连接打印机：请检查打印机电源、纸张和连接线，或先另存为 PDF"))
        try:
            draw(painter)
        finally:
            painter.end()
        return True
