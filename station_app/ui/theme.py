"""The two looks of the terminal: standard, and 长辈版 (large print, high contrast).

Numbers follow the age-friendly rules (适老化, counter-research.md §5): in 长辈版 body text is
at least 24 px, every control a target of at least 60×60 px (main buttons 64), control borders
at least 3:1 and text (placeholders too) at least 4.5:1 against their background, in both
looks, and focus is always visible. The style sheet (station_app.ui.theme_sheet) and the widget
walk (tests/ui/test_elder_walk*.py) both read the numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from station_app.paths import resource_path

# Drawn arrows for combo and spin boxes (a styled box loses the native ones).
ICONS_DIR = resource_path("resources", "icons")

TARGET_MIN_PX = 60  # 长辈版: every enabled control (button, box, input, scroll bar, list row)
TEXT_CONTRAST_MIN = 4.5  # text and placeholders against their background (WCAG AA)
BORDER_CONTRAST_MIN = 3.0  # a control's outline against what it sits on (WCAG 1.4.11)
LINE_SPACING_MIN = 1.3  # 长辈版: distance between wrapped lines, in line heights


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
    control_px: int  # minimum outer height of every input and list row
    button_px: int  # minimum outer height (and, in 长辈版, width) of every other button
    indicator_px: int  # side of a check box's box and a radio button's ring
    scrollbar_px: int  # scroll bar thickness (0: the platform's own)
    border_px: int  # width of a control's outline
    line_spacing: float  # wrapped text: distance between lines, in line heights
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
            "placeholder": (self.muted, self.base),
        }

    def border_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (outline, background) pair a control's edge is drawn with."""
        return {
            "outline on window": (self.border, self.window),
            "outline on input": (self.border, self.base),
            "main button on window": (self.primary, self.window),
            "scroll handle on groove": (self.muted, self.window),
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
        """The application style sheet for this look (station_app.ui.theme_sheet)."""
        from station_app.ui.theme_sheet import stylesheet

        return stylesheet(self)


STANDARD = Theme(
    key="standard", label="标准版", font_px=15, heading_px=20, small_px=13, target_px=36,
    control_px=30, button_px=37, indicator_px=18, scrollbar_px=16, border_px=1, line_spacing=1.0,
    window="#F4F5F7", base="#FFFFFF", text="#1A1A1A", muted="#555A60", border="#80868B",
    primary="#B3261E", on_primary="#FFFFFF", error="#B3261E", ok="#1B6E2C",
    attention_bg="#FFF1C2", attention_text="#5C3B00", focus="#0B57D0", focus_width=2,
)

ELDER = Theme(
    key="elder", label="长辈版", font_px=24, heading_px=34, small_px=22, target_px=64,
    control_px=TARGET_MIN_PX, button_px=TARGET_MIN_PX, indicator_px=40,
    scrollbar_px=TARGET_MIN_PX, border_px=2,
    line_spacing=LINE_SPACING_MIN,
    window="#FFFFFF", base="#FFFFFF", text="#000000", muted="#333333", border="#000000",
    primary="#A0001B", on_primary="#FFFFFF", error="#A0001B", ok="#0B5A1E",
    attention_bg="#FFE680", attention_text="#000000", focus="#003DA5", focus_width=4,
)

THEMES = {t.key: t for t in (STANDARD, ELDER)}


def current_theme() -> Theme:
    """The look the application uses now (the one `apply_theme` applied: its window colour)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return STANDARD
    window = app.palette().color(QPalette.ColorRole.Window).name()
    for theme in THEMES.values():
        if theme.window.lower() == window.lower():
            return theme
    return STANDARD


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the whole application; widgets pick up palette, font and style at once."""
    app.setPalette(theme.palette())
    font = QFont(app.font())
    font.setPixelSize(theme.font_px)
    app.setFont(font)
    app.setStyleSheet(theme.stylesheet())
