"""The application style sheet of a look, written from its numbers (station_app.ui.theme).

Heights in a style sheet are of the content box: a control's outer height is its min-height
plus twice its padding and border, so each rule subtracts those from the theme's outer number.
Check boxes and radio buttons are drawn here too (the platform's box is light grey, under 3:1),
and in 长辈版 the scroll bars are as wide as a finger (no arrow buttons, a long handle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from station_app.ui.theme import Theme

INPUT_PAD_V, INPUT_PAD_H = 2, 6
BUTTON_PAD_V, BUTTON_PAD_H = 4, 14


def _content(outer: int, pad: int, border: int) -> int:
    return max(0, outer - 2 * pad - 2 * border)


def _indicators(t: Theme, icons: str) -> str:
    bw = max(2, t.border_px)
    side = t.indicator_px - 2 * bw  # the box's outer side is the theme's number
    row = max(t.indicator_px, t.control_px if t.key == "elder" else 0)
    spacing = max(6, t.indicator_px // 3)
    wide = max(0, row - t.indicator_px - spacing)  # a style sheet's width leaves out the box
    return f"""
QCheckBox, QRadioButton {{ spacing: {spacing}px; min-height: {row}px; min-width: {wide}px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {side}px; height: {side}px;
    border: {bw}px solid {t.border}; background: {t.base}; }}
QCheckBox::indicator {{ border-radius: {max(2, side // 8)}px; }}
QRadioButton::indicator {{ border-radius: {t.indicator_px // 2}px; }}
QCheckBox::indicator:checked {{ image: url({icons}/check.svg); }}
QRadioButton::indicator:checked {{ image: url({icons}/radio-dot.svg); }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-style: dashed; }}
QCheckBox:focus, QRadioButton:focus {{ border: {t.focus_width}px solid {t.focus};
    outline: none; }}
"""


def _scrollbars(t: Theme) -> str:
    if not t.scrollbar_px:
        return ""
    s = t.scrollbar_px
    return f"""
QScrollBar:vertical {{ width: {s}px; margin: 0; background: {t.window};
    border-left: {t.border_px}px solid {t.border}; }}
QScrollBar:horizontal {{ height: {s}px; margin: 0; background: {t.window};
    border-top: {t.border_px}px solid {t.border}; }}
QScrollBar::handle {{ background: {t.muted}; border-radius: {max(2, s // 10)}px;
    margin: {max(2, s // 10)}px; }}
QScrollBar::handle:vertical {{ min-height: {s}px; }}
QScrollBar::handle:horizontal {{ min-width: {s}px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
"""


def _calendar(t: Theme) -> str:
    """The date picker: in 长辈版 every day (and the row of weekday names) a 60 px cell."""
    if t.key != "elder":
        return ""
    side = t.control_px * 9  # seven days and the week number; the weekday row, the month bar
    return f"""
QCalendarWidget {{ min-width: {side}px; min-height: {side}px; }}
QCalendarWidget QToolButton {{ min-height: {_content(t.control_px, BUTTON_PAD_V, 0)}px; }}
"""


def stylesheet(t: Theme) -> str:
    from station_app.ui.theme import ICONS_DIR

    icons = ICONS_DIR.as_posix()
    arrow = round(t.font_px * 0.7)
    bw, fw = t.border_px, t.focus_width
    input_h = _content(t.control_px, INPUT_PAD_V, bw)
    button_h = _content(t.button_px, BUTTON_PAD_V, bw)
    button_w = _content(t.button_px, BUTTON_PAD_H, bw) if t.key == "elder" else 0
    row_pad = round(t.font_px * 0.3)
    row_h = _content(t.control_px, row_pad, 0)
    dashed = 2  # a disabled button's outline: dashed, and thick enough to see the dashes
    # List rows are padded above and below only: a side padding is taken off twice when a
    # row is painted but once when it is measured, and wrapped rows came out elided.
    return f"""
QWidget {{ font-size: {t.font_px}px; color: {t.text}; }}
QMainWindow, QDialog, QWidget#page {{ background: {t.window}; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QSpinBox, QListView, QTableView, QTreeView {{
    background: {t.base}; border: {bw}px solid {t.border}; border-radius: 4px;
    min-height: {input_h}px; padding: {INPUT_PAD_V}px {INPUT_PAD_H}px;
    placeholder-text-color: {t.muted}; }}
QPushButton, QToolButton {{
    background: {t.base}; border: {bw}px solid {t.border}; border-radius: 6px;
    min-height: {button_h}px; min-width: {button_w}px;
    padding: {BUTTON_PAD_V}px {BUTTON_PAD_H}px; }}
QPushButton[role="primary"] {{
    background: {t.primary}; color: {t.on_primary}; border: {bw}px solid {t.primary};
    min-height: {t.target_px}px; min-width: {t.target_px}px; font-weight: bold;
}}
QPushButton[role="nav"] {{ min-height: {t.target_px}px; min-width: {t.target_px}px;
    text-align: left; }}
QPushButton[role="nav"]:checked {{ background: {t.primary}; color: {t.on_primary}; }}
*:focus {{ outline: {fw}px solid {t.focus}; border: {fw}px solid {t.focus}; }}
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
QListView::item {{ padding: {row_pad}px 0px; min-height: {row_h}px; }}
QComboBox {{ combobox-popup: 0; }}
QComboBox QAbstractItemView::item {{ min-height: {row_h}px; padding: {row_pad}px 0px; }}
QPushButton:disabled {{ border-style: dashed; border-width: {dashed}px;
    padding: {BUTTON_PAD_V + bw - dashed}px {BUTTON_PAD_H + bw - dashed}px; }}
QPushButton[role="primary"]:disabled {{ background: {t.window}; color: {t.text};
    border: {dashed}px dashed {t.text}; font-weight: normal; }}
QComboBox::drop-down, QDateEdit::drop-down {{ subcontrol-origin: padding;
    subcontrol-position: center right; width: {round(t.font_px * 1.4)}px; border: none; }}
QComboBox::down-arrow, QDateEdit::down-arrow, QSpinBox::down-arrow {{
    image: url({icons}/arrow-down.svg); width: {arrow}px; height: {arrow}px; }}
QSpinBox::up-arrow {{ image: url({icons}/arrow-up.svg); width: {arrow}px; height: {arrow}px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: {round(t.font_px * 1.4)}px; }}
QPushButton:focus, QToolButton:focus, QPushButton[role="primary"]:focus,
QPushButton[role="secondary"]:focus, QPushButton[role="nav"]:focus {{
    border: {fw}px solid {t.focus}; outline: none;
    padding: {max(0, BUTTON_PAD_V + bw - fw)}px {BUTTON_PAD_H + bw - fw}px; }}
QWidget#nav QPushButton[role="nav"]:focus {{ padding-left: {16 + bw - fw}px; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus {{
    padding: {max(0, INPUT_PAD_V + bw - fw)}px {INPUT_PAD_H + bw - fw}px; }}
{_indicators(t, icons)}{_scrollbars(t)}{_calendar(t)}"""
