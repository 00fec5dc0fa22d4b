"""The two looks of the terminal: standard, and 长辈版 (large print, high contrast).

Numbers follow the age-friendly rules in DESIGN.md: in 长辈版 body text is at least 24 px,
main buttons at least 64x64 px, every text/background pair at least 4.5:1, focus always visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from station_app.paths import resource_path

# Drawn arrows for combo and spin boxes (a styled box loses the native ones).
ICONS_DIR = resource_path("resources", "icons")


def _luminance(hex_colour: str) -> float:
    c = QColor(hex_colour)
    chans = []
    for v in (c.redF(), c.greenF(), c.blueF()):
        chans.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = chans
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.1 contrast ratio between two colours, 1.0 to 21.0."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    font_px: int
    heading_px: int
    small_px: int
    target_px: int  # minimum height (and width) of a main button
    window: str
    base: str  # input backgrounds
    text: str
    muted: str
    border: str
    primary: str
    on_primary: str
    error: str
    ok: str
    attention_bg: str
    attention_text: str
    focus: str
    focus_width: int

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair the theme draws text with."""
        return {
            "body": (self.text, self.window),
            "input": (self.text, self.base),
            "muted": (self.muted, self.window),
            "primary button": (self.on_primary, self.primary),
            "error": (self.error, self.window),
            "error on input": (self.error, self.base),
            "ok": (self.ok, self.window),
            "attention": (self.attention_text, self.attention_bg),
        }

    def palette(self) -> QPalette:
        p = QPalette()
        p.setColor(QPalette.ColorRole.Window, QColor(self.window))
        p.setColor(QPalette.ColorRole.WindowText, QColor(self.text))
        p.setColor(QPalette.ColorRole.Base, QColor(self.base))
        p.setColor(QPalette.ColorRole.AlternateBase, QColor(self.window))
        p.setColor(QPalette.ColorRole.Text, QColor(self.text))
        p.setColor(QPalette.ColorRole.Button, QColor(self.base))
        p.setColor(QPalette.ColorRole.ButtonText, QColor(self.text))
        p.setColor(QPalette.ColorRole.Highlight, QColor(self.primary))
        p.setColor(QPalette.ColorRole.HighlightedText, QColor(self.on_primary))
        p.setColor(QPalette.ColorRole.PlaceholderText, QColor(self.muted))
        p.setColor(QPalette.ColorRole.ToolTipBase, QColor(self.base))
        p.setColor(QPalette.ColorRole.ToolTipText, QColor(self.text))
        return p

    def stylesheet(self) -> str:
        t = self
        icons = ICONS_DIR.as_posix()
        arrow = round(t.font_px * 0.7)
        return f"""
QWidget {{ font-size: {t.font_px}px; color: {t.text}; }}
QMainWindow, QDialog, QWidget#page {{ background: {t.window}; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QSpinBox, QListView, QTableView, QTreeView {{
    background: {t.base}; border: 1px solid {t.border}; border-radius: 4px;
    min-height: {round(t.font_px * 1.6)}px; padding: 2px 6px;
}}
QPushButton, QToolButton {{
    background: {t.base}; border: 1px solid {t.border}; border-radius: 6px;
    min-height: {round(t.font_px * 1.8)}px; padding: 4px 14px;
}}
QPushButton[role="primary"] {{
    background: {t.primary}; color: {t.on_primary}; border: 1px solid {t.primary};
    min-height: {t.target_px}px; min-width: {t.target_px}px; font-weight: bold;
}}
QPushButton[role="nav"] {{ min-height: {t.target_px}px; min-width: {t.target_px}px;
    text-align: left; }}
QPushButton[role="nav"]:checked {{ background: {t.primary}; color: {t.on_primary}; }}
*:focus {{ outline: {t.focus_width}px solid {t.focus}; border: {t.focus_width}px solid {t.focus}; }}
QLabel[role="heading"] {{ font-size: {t.heading_px}px; font-weight: bold; }}
QLabel[role="muted"] {{ color: {t.muted}; }}
QLabel[role="error"] {{ color: {t.error}; }}
QLabel[role="ok"] {{ color: {t.ok}; }}
QLabel[role="attention"] {{ background: {t.attention_bg}; color: {t.attention_text};
    padding: 4px 8px; border-radius: 4px; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QStatusBar::item {{ border: none; }}
QPushButton[role="secondary"] {{ min-height: {t.target_px}px; min-width: {t.target_px}px; }}
QWidget#nav QPushButton[role="nav"] {{ min-width: {t.font_px * 6}px; padding-left: 16px; }}
QLabel[role="fieldlabel"] {{ padding-top: {round(t.font_px * 0.35)}px; }}
QListView::item {{ padding: {round(t.font_px * 0.3)}px 6px; }}
QComboBox::drop-down, QDateEdit::drop-down {{ subcontrol-origin: padding;
    subcontrol-position: center right; width: {round(t.font_px * 1.4)}px; border: none; }}
QComboBox::down-arrow, QDateEdit::down-arrow, QSpinBox::down-arrow {{
    image: url({icons}/arrow-down.svg); width: {arrow}px; height: {arrow}px; }}
QSpinBox::up-arrow {{ image: url({icons}/arrow-up.svg); width: {arrow}px; height: {arrow}px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: {round(t.font_px * 1.4)}px; }}
QPushButton:focus, QToolButton:focus, QPushButton[role="primary"]:focus,
QPushButton[role="secondary"]:focus, QPushButton[role="nav"]:focus {{
    border: {t.focus_width}px solid {t.focus}; outline: none;
    padding: {max(0, 5 - t.focus_width)}px {15 - t.focus_width}px; }}
QWidget#nav QPushButton[role="nav"]:focus {{ padding-left: {17 - t.focus_width}px; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus {{
    padding: {max(0, 3 - t.focus_width)}px {7 - t.focus_width}px; }}
"""


STANDARD = Theme(
    key="standard", label="标准版", font_px=15, heading_px=20, small_px=13, target_px=36,
    window="#F4F5F7", base="#FFFFFF", text="#1A1A1A", muted="#555A60", border="#9AA0A6",
    primary="#B3261E", on_primary="#FFFFFF", error="#B3261E", ok="#1B6E2C",
    attention_bg="#FFF1C2", attention_text="#5C3B00", focus="#0B57D0", focus_width=2,
)

ELDER = Theme(
    key="elder", label="长辈版", font_px=24, heading_px=34, small_px=22, target_px=64,
    window="#FFFFFF", base="#FFFFFF", text="#000000", muted="#333333", border="#000000",
    primary="#A0001B", on_primary="#FFFFFF", error="#A0001B", ok="#0B5A1E",
    attention_bg="#FFE680", attention_text="#000000", focus="#003DA5", focus_width=4,
)

THEMES = {t.key: t for t in (STANDARD, ELDER)}


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the whole application; widgets pick up palette, font and style at once."""
    app.setPalette(theme.palette())
    font = QFont(app.font())
    font.setPixelSize(theme.font_px)
    app.setFont(font)
    app.setStyleSheet(theme.stylesheet())
