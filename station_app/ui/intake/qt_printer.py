"""The desk printer through Qt (implements printing.output.Printer).

With a printer named in 设置 the page goes straight to that print queue, on the station's
paper: the worker is not asked again at every receipt. Without one, Qt's print dialog asks.
The name is read at each print, so a printer chosen in 设置 is used at once (an open intake
page keeps its printer object).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from station_app.printing.paper import LAYOUT_DPI, Page


class PrintFailed(OSError):
    """The printer could not be opened; the message says what to check."""


class QtPrinter:
    """Prints one page; returns False when the worker cancels the dialog."""

    def __init__(self, parent: QWidget | None = None,
                 printer_name: str | Callable[[], str | None] | None = None) -> None:
        """``printer_name``: the print queue, or where to read it at each print (设置)."""
        self.parent = parent
        self._printer_name = printer_name

    @property
    def printer_name(self) -> str | None:
        name = self._printer_name
        return name() if callable(name) else name

    def print_page(self, page: Page) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(LAYOUT_DPI)  # text wraps as measured (a roll is cut there)
        name = self.printer_name
        if name:
            printer.setPrinterName(name)
        printer.setDocName(page.title)
        printer.setFullPage(True)  # the layouts keep their own margins
        printer.setPageLayout(QPageLayout(page.page_size(), QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))
        if not name or not printer.isValid():
            dialog = QPrintDialog(printer, self.parent)
            dialog.setWindowTitle(
                QCoreApplication.translate("QtPrinter", "打印{0}").format(page.title))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(QCoreApplication.translate(
                "QtPrinter", "无法连接打印机：请检查打印机电源、纸张和连接线，或先另存为 PDF"))
        try:
            page.draw(painter)
        finally:
            painter.end()
        return True
