"""Reprint a saved case's receipt (回执) as a PDF the worker chooses where to keep.

Used when the 办件 page asks for a receipt; the wording comes from `services.receipts`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from station_app.printing.documents_pdf import write_receipt_pdf
from station_app.printing.paper import Paper
from station_app.services.context import StationContext
from station_app.services.receipts import (
    CaseNotFound,
    find_case,
    receipt_for,
    record_printed,
)

log = logging.getLogger(__name__)


def reprint_receipt(parent: QWidget, ctx: StationContext, ref: str) -> Path | None:
    """Ask where to save, write the PDF, say where it went; None when cancelled or failed."""
    try:
        case = find_case(ctx, ref)
    except CaseNotFound as e:
        QMessageBox.warning(parent, QCoreApplication.translate("Receipt", "找不到办件"), str(e))
        return None
    file_name = QCoreApplication.translate("Receipt", "回执-{0}.pdf").format(case.tracking_ref)
    default = ctx.data_dir / "receipts" / file_name
    name, _ = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("Receipt", "保存回执"), str(default), "PDF (*.pdf)")
    if not name:
        return None
    try:
        path = write_receipt_pdf(receipt_for(ctx, case), Path(name), Paper(ctx.settings.paper))
    except OSError as e:
        log.exception("回执写入失败")
        message = QCoreApplication.translate("Receipt", "无法写入 {0}：{1}")
        QMessageBox.critical(parent, QCoreApplication.translate("Receipt", "回执未保存"),
                             message.format(name, e.strerror or e))
        return None
    record_printed(ctx, case.tracking_ref, kind="receipt", reprint=True)
    message = QCoreApplication.translate("Receipt", "回执已保存到 {0}")
    QMessageBox.information(parent, QCoreApplication.translate("Receipt", "回执已保存"),
                            message.format(path))
    return path
