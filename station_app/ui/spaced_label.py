"""A wrapping label whose lines are as far apart as the look asks (长辈版: 1.3 line heights).

Qt draws a plain-text label with the font's own line spacing and style sheets have no
line-height, so the label shows its text as a paragraph with a CSS line-height (drawn and
measured by QTextDocument, so its height is right), and redraws it when the look changes.
`text()` still returns the plain text it was given; the accessible text is Qt's plain rendering.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from station_app.ui.theme import Theme, current_theme

_LOOK_CHANGES = (QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.PaletteChange)


def spaced_html(text: str, spacing: float) -> str:
    """`text` as one paragraph (lines kept) with its lines `spacing` line heights apart."""
    body = escape(text).replace("\n", "<br/>")
    return f'<p style="line-height:{round(spacing * 100)}%; margin:0">{body}</p>'


class SpacedLabel(QLabel):
    """A QLabel for text that may wrap onto several lines; `look` fixes the spacing for a
    screen that is always large print (核对, 评价), else it follows the application's look."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 look: Theme | None = None) -> None:
        super().__init__(parent)
        self._look = look
        self._plain = ""
        self._spacing = 0.0
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._plain = text
        self._spacing = self._wanted()
        super().setText(spaced_html(text, self._spacing) if text else "")

    def text(self) -> str:
        return self._plain

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _LOOK_CHANGES and self._wanted() != self._spacing:
            self.setText(self._plain)

    def _wanted(self) -> float:
        return (self._look or current_theme()).line_spacing
