"""QR codes drawn as vector squares, so printed codes stay sharp at any resolution.

The qrcode library is loaded at the first code drawn, not when the terminal starts.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter


def qr_matrix(text: str) -> list[list[bool]]:
    """Module matrix of the QR code for `text`, including the quiet zone."""
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return [list(map(bool, row)) for row in qr.get_matrix()]


def draw_qr(painter: QPainter, rect: QRectF, text: str) -> None:
    """Draw the code centred in `rect`, square, black on white."""
    matrix = qr_matrix(text)
    n = len(matrix)
    side = min(rect.width(), rect.height())
    cell = side / n
    x0 = rect.x() + (rect.width() - side) / 2
    y0 = rect.y() + (rect.height() - side) / 2
    painter.save()
    painter.setPen(QColor("white"))
    painter.fillRect(QRectF(x0, y0, side, side), QColor("white"))
    black = QColor("black")
    for r, row in enumerate(matrix):
        for c, on in enumerate(row):
            if on:
                # overlap by a hair so no hairline gaps appear between modules
                painter.fillRect(QRectF(x0 + c * cell, y0 + r * cell, cell + 0.3, cell + 0.3),
                                 black)
    painter.restore()
