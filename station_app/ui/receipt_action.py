"""Reprint a saved case's receipt (回执) from 办件, through the same print path as the first.

The station's printer (or, without one, Qt's print dialog, whose choices include printing to
a PDF file) on the station's paper; every copy that left is recorded as a reprint. The
wording comes from `services.receipts`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from station_app.printing.documents_pdf import receipt_page
from station_app.printing.output import Printer
from station_app.printing.paper import Paper
from station_app.services.context import StationContext
from station_app.services.receipts import (
    CaseNotFound,
    find_case,
    receipt_for,
    record_printed,
)

log = logging.getLogger(__name__)


def reprint_receipt(parent: QWidget, ctx: StationContext, ref: str, printer: Printer) -> bool:
    """Print the receipt again; False when cancelled or failed (a failure is said in a box)."""
    try:
        case = find_case(ctx, ref)
    except CaseNotFound as e:
        QMessageBox.warning(parent, QCoreApplication.translate("Receipt", "找不到办件"), str(e))
        return False
    try:
        printed = printer.print_page(receipt_page(receipt_for(ctx, case),
                                                  Paper(ctx.settings.paper)))
    except OSError as e:
        log.exception("回执重新打印失败")
        QMessageBox.critical(parent, QCoreApplication.translate("Receipt", "回执未打印"), str(e))
        return False
    if printed:
        record_printed(ctx, case.tracking_ref, kind="receipt", reprint=True)
    return printed
